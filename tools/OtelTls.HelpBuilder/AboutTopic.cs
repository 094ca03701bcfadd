using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace OtelTls.HelpBuilder;

/// <summary>about_ topics: markdown in docs/en-US rendered as the plain text Get-Help shows (about_*.help.txt).</summary>
public static class AboutTopic
{
    private const int Width = 80;

    /// <summary>Renders an about_ page: "## TITLE" becomes an upper-case heading, paragraphs wrap at 80 columns.</summary>
    public static string Render(string markdown)
    {
        var lines = markdown.Replace("\r\n", "\n").Split('\n');
        var title = lines.First(l => l.StartsWith("# ", StringComparison.Ordinal)).Substring(2).Trim();
        var text = new StringBuilder().Append("TOPIC\n    ").Append(title).Append("\n\n");
        var body = new List<string>();
        foreach (var line in lines.SkipWhile(l => !l.StartsWith("## ", StringComparison.Ordinal)))
        {
            if (line.StartsWith("## ", StringComparison.Ordinal) || line.StartsWith("### ", StringComparison.Ordinal))
            {
                Flush();
                var heading = line.TrimStart('#').Trim();
                text.Append(line.StartsWith("## ", StringComparison.Ordinal) ? heading.ToUpperInvariant() : "  " + heading).Append('\n');
                continue;
            }

            body.Add(line);
        }

        Flush();
        return text.ToString().TrimEnd('\n') + "\n";

        void Flush()
        {
            foreach (var paragraph in MarkdownHelp.Paragraphs(string.Join("\n", body)))
            {
                text.Append(paragraph.Contains('\n') || paragraph.StartsWith("    ", StringComparison.Ordinal)
                    ? string.Join("\n", paragraph.Split('\n').Select(l => ((l.StartsWith("    ", StringComparison.Ordinal) ? "    " : "        ") + l).TrimEnd()))
                    : Wrap(paragraph, 4)).Append("\n\n");
            }

            body.Clear();
        }
    }

    /// <summary>Wraps a paragraph at <see cref="Width"/> columns with the indent; list items hang their continuation lines.</summary>
    public static string Wrap(string paragraph, int indent)
    {
        var hanging = Regex.Match(paragraph, @"^([-*]|\d+\.)\s+").Length;
        var result = new StringBuilder();
        var line = new StringBuilder(new string(' ', indent));
        foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length + word.Length + 1 > Width && line.ToString().Trim().Length > 0)
            {
                result.Append(line.ToString().TrimEnd()).Append('\n');
                line.Clear().Append(' ', indent + hanging);
            }

            line.Append(line.ToString().Trim().Length > 0 ? " " : string.Empty).Append(word);
        }

        return result.Append(line.ToString().TrimEnd()).ToString();
    }

    /// <summary>
    /// The finding ids of the catalogue (<see cref="OtlpFindingId"/>) with their meaning from its XML documentation, in
    /// catalogue order.
    /// </summary>
    public static IReadOnlyList<(string Id, string Meaning)> CatalogueIds()
    {
        var assembly = typeof(OtlpFindingId).Assembly;
        var docFile = Path.ChangeExtension(assembly.Location, ".xml");
        var docs = File.Exists(docFile)
            ? XDocument.Load(docFile).Descendants("member")
                .ToDictionary(m => (string)m.Attribute("name")!, m => Regex.Replace(m.Element("summary")?.Value ?? string.Empty, @"\s+", " ").Trim())
            : new Dictionary<string, string>();
        return typeof(OtlpFindingId).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => ((string)f.GetRawConstantValue()!, docs.TryGetValue($"F:{typeof(OtlpFindingId).FullName}.{f.Name}", out var meaning) ? meaning : string.Empty))
            .ToList();
    }

    /// <summary>
    /// about_OtelTls_Findings: the page's text with, under FINDINGS, every catalogue id (meaning from the catalogue,
    /// cause and fix from the page). An id without text, or text for an id the catalogue lacks, is an error.
    /// </summary>
    public static string RenderFindings(string markdown, IReadOnlyList<(string Id, string Meaning)> catalogue)
    {
        var text = markdown.Replace("\r\n", "\n");
        var start = text.IndexOf("\n## FINDINGS\n", StringComparison.Ordinal);
        if (start < 0)
        {
            throw new FormatException("about_OtelTls_Findings.md has no '## FINDINGS' section.");
        }

        var end = text.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var section = end < 0 ? text[start..] : text[start..end];
        var entries = Regex.Matches(section, @"^### (\w+)\n(.*?)(?=^### |\z)", RegexOptions.Multiline | RegexOptions.Singleline)
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value.Trim(), StringComparer.Ordinal);
        var missing = catalogue.Select(c => c.Id).Where(id => !entries.ContainsKey(id) || !Regex.IsMatch(entries[id], @"^Cause: \S.*^Fix: \S", RegexOptions.Multiline | RegexOptions.Singleline)).ToList();
        var unknown = entries.Keys.Except(catalogue.Select(c => c.Id)).ToList();
        if (missing.Count > 0 || unknown.Count > 0)
        {
            throw new FormatException(
                (missing.Count > 0 ? $"about_OtelTls_Findings.md has no 'Cause:'/'Fix:' text for the finding id(s) {string.Join(", ", missing)}. " : string.Empty) +
                (unknown.Count > 0 ? $"It describes id(s) that OtlpFindingId does not define: {string.Join(", ", unknown)}." : string.Empty));
        }

        var generated = new StringBuilder("\n## FINDINGS\n");
        foreach (var (id, meaning) in catalogue)
        {
            var lines = entries[id].Split('\n');
            generated.Append("### ").Append(id).Append('\n');
            if (meaning.Length > 0)
            {
                generated.Append("Meaning: ").Append(meaning).Append("\n\n");
            }

            var cause = string.Join(" ", lines.SkipWhile(l => !l.StartsWith("Cause:", StringComparison.Ordinal)).TakeWhile(l => !l.StartsWith("Fix:", StringComparison.Ordinal)));
            var fix = string.Join(" ", lines.SkipWhile(l => !l.StartsWith("Fix:", StringComparison.Ordinal)));
            generated.Append(cause.Trim()).Append("\n\n").Append(fix.Trim()).Append("\n\n");
        }

        return Render(text[..start] + generated + (end < 0 ? string.Empty : text[end..]));
    }
}
