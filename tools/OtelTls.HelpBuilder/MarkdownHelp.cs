using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace OtelTls.HelpBuilder;

/// <summary>One cmdlet help page as written in docs/en-US (the platyPS markdown schema 2.0.0).</summary>
public sealed record CommandHelp(
    string Name,
    string Synopsis,
    IReadOnlyList<string> Description,
    IReadOnlyList<string> ParameterSets,
    IReadOnlyList<ParameterHelp> Parameters,
    IReadOnlyList<ExampleHelp> Examples,
    IReadOnlyList<TypeHelp> Inputs,
    IReadOnlyList<TypeHelp> Outputs,
    IReadOnlyList<string> Notes,
    IReadOnlyList<string> RelatedLinks);

/// <summary>A parameter: its description and the platyPS yaml block's fields.</summary>
public sealed record ParameterHelp(
    string Name,
    IReadOnlyList<string> Description,
    string Type,
    IReadOnlyList<string> ParameterSets,
    IReadOnlyList<string> Aliases,
    bool Required,
    string Position,
    string DefaultValue,
    string PipelineInput,
    bool Globbing)
{
    /// <summary>A switch has no value in the syntax.</summary>
    public bool IsSwitch => Type is "SwitchParameter" or "Switch";

    /// <summary>Whether the parameter belongs to the named parameter set ("(All)" belongs to every set).</summary>
    public bool InSet(string set) => ParameterSets.Count == 0 || ParameterSets.Contains("(All)") || ParameterSets.Contains(set, StringComparer.OrdinalIgnoreCase);
}

/// <summary>An example: title, the code block as written, and the paragraphs after it.</summary>
public sealed record ExampleHelp(string Title, string Code, IReadOnlyList<string> Remarks)
{
    /// <summary>
    /// The PowerShell a user would type: the lines after <c>PS&gt;</c> prompts with their continuations (<c>&gt;&gt;</c>
    /// prompts, or indented lines after a pipe), or
    /// the whole block when it has no prompt. Output shown after a command is not part of it.
    /// </summary>
    public string Commands
    {
        get
        {
            var lines = Code.Split('\n');
            if (!lines.Any(l => l.StartsWith("PS> ", StringComparison.Ordinal) || l == "PS>"))
            {
                return Code;
            }

            var commands = new List<string>();
            var inCommand = false;
            foreach (var line in lines)
            {
                if (line.StartsWith("PS>", StringComparison.Ordinal))
                {
                    commands.Add(line.Substring(3).TrimStart());
                    inCommand = true;
                }
                else if (inCommand && line.StartsWith(">>", StringComparison.Ordinal))
                {
                    commands.Add(line.Substring(2).TrimStart());
                }
                else if (inCommand && line.Length > 0 && char.IsWhiteSpace(line[0]) && IsContinuation(commands[^1]))
                {
                    commands.Add(line);
                }
                else
                {
                    inCommand = false;
                }
            }

            return string.Join("\n", commands);

            // A command goes on on the next line after a pipe, a backtick, an open brace/paren or a comma.
            static bool IsContinuation(string previous) => Regex.IsMatch(previous.TrimEnd(), @"[|`{(,]$");
        }
    }
}

/// <summary>An INPUTS or OUTPUTS entry.</summary>
public sealed record TypeHelp(string Name, IReadOnlyList<string> Description);

/// <summary>Reads a platyPS-style markdown page. Unknown sections are ignored; a page without a name or synopsis is an error.</summary>
public static class MarkdownHelp
{
    /// <summary>Parses one page; <paramref name="source"/> names it in errors.</summary>
    public static CommandHelp Parse(string markdown, string source)
    {
        var text = markdown.Replace("\r\n", "\n");
        if (text.StartsWith("---\n", StringComparison.Ordinal))
        {
            var end = text.IndexOf("\n---\n", 4, StringComparison.Ordinal);
            text = end < 0 ? text : text[(end + 5)..];
        }

        var lines = text.Split('\n');
        var name = lines.FirstOrDefault(l => l.StartsWith("# ", StringComparison.Ordinal))?.Substring(2).Trim()
                   ?? throw new FormatException($"{source}: no '# <Cmdlet-Name>' title.");
        var sections = Split(lines, "## ");
        string Section(string title) => sections.TryGetValue(title, out var body) ? body : string.Empty;

        var synopsis = string.Join(" ", Paragraphs(Section("SYNOPSIS")));
        if (synopsis.Length == 0)
        {
            throw new FormatException($"{source}: '## SYNOPSIS' is empty.");
        }

        var sets = Split(Section("SYNTAX").Split('\n'), "### ").Keys
            .Select(k => Regex.Replace(k, @"\s*\(Default\)\s*$", string.Empty)).ToList();

        var parameters = Split(Section("PARAMETERS").Split('\n'), "### ")
            .Where(p => p.Key.StartsWith("-", StringComparison.Ordinal))
            .Select(p => Parameter(p.Key.Substring(1).Trim(), p.Value, source)).ToList();

        var examples = Split(Section("EXAMPLES").Split('\n'), "### ").Select(e => Example(e.Key, e.Value, source)).ToList();

        return new CommandHelp(name, synopsis, Paragraphs(Section("DESCRIPTION")), sets, parameters, examples,
            Types(Section("INPUTS")), Types(Section("OUTPUTS")), Paragraphs(Section("NOTES")),
            Regex.Matches(Section("RELATED LINKS"), @"\[([^\]]+)\]\(([^)]*)\)").Select(m => m.Groups[1].Value).ToList());
    }

    private static ParameterHelp Parameter(string name, string body, string source)
    {
        var yaml = Regex.Match(body, "```yaml\n(.*?)```", RegexOptions.Singleline);
        if (!yaml.Success)
        {
            throw new FormatException($"{source}: parameter -{name} has no ```yaml block.");
        }

        var fields = yaml.Groups[1].Value.Split('\n').Select(l => l.Split(':', 2)).Where(p => p.Length == 2)
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        string Field(string key, string fallback = "") => fields.TryGetValue(key, out var v) && v.Length > 0 ? v : fallback;
        List<string> List(string key) => Field(key).Split(',').Select(s => s.Trim()).Where(s => s.Length > 0).ToList();

        return new ParameterHelp(name, Paragraphs(body[..yaml.Index]), Field("Type", "Object"), List("Parameter Sets"), List("Aliases"),
            Field("Required").StartsWith("True", StringComparison.OrdinalIgnoreCase), Field("Position", "Named"),
            Field("Default value", "None"), Field("Accept pipeline input", "False"),
            Field("Accept wildcard characters").StartsWith("True", StringComparison.OrdinalIgnoreCase));
    }

    private static ExampleHelp Example(string title, string body, string source)
    {
        var code = Regex.Match(body, "```[a-zA-Z]*\n(.*?)```", RegexOptions.Singleline);
        if (!code.Success)
        {
            throw new FormatException($"{source}: example '{title}' has no code block.");
        }

        var remarks = Paragraphs(body[..code.Index]).Concat(Paragraphs(body[(code.Index + code.Length)..])).ToList();
        return new ExampleHelp(title.Trim(), code.Groups[1].Value.TrimEnd('\n'), remarks);
    }

    private static List<TypeHelp> Types(string section) =>
        Split(section.Split('\n'), "### ").Select(t => new TypeHelp(t.Key, Paragraphs(t.Value))).ToList();

    /// <summary>Splits at headings of one level, outside code fences; the text before the first heading is dropped.</summary>
    private static Dictionary<string, string> Split(IEnumerable<string> lines, string prefix)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? current = null;
        var body = new StringBuilder();
        var fenced = false;
        foreach (var line in lines)
        {
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                fenced = !fenced;
            }

            if (!fenced && line.StartsWith(prefix, StringComparison.Ordinal))
            {
                Flush();
                current = line.Substring(prefix.Length).Trim();
                continue;
            }

            body.Append(line).Append('\n');
        }

        Flush();
        return result;

        void Flush()
        {
            if (current is not null)
            {
                result[current] = body.ToString();
            }

            body.Clear();
        }
    }

    /// <summary>
    /// Markdown paragraphs as plain text: lines joined, inline code and emphasis marks dropped, links reduced to their
    /// text. A fenced block stays one paragraph with its line breaks, an indented block keeps its indent too; list
    /// items stay separate.
    /// </summary>
    public static List<string> Paragraphs(string markdown)
    {
        var result = new List<string>();
        var current = new List<string>();
        var fence = (List<string>?)null;
        var indented = (List<string>?)null;
        foreach (var raw in markdown.Split('\n'))
        {
            var line = raw.TrimEnd();
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                if (fence is null)
                {
                    Flush();
                    fence = new List<string>();
                }
                else
                {
                    result.Add(string.Join("\n", fence));
                    fence = null;
                }

                continue;
            }

            if (fence is not null)
            {
                fence.Add(line);
            }
            else if (indented is not null && line.StartsWith("    ", StringComparison.Ordinal))
            {
                indented.Add(line);
            }
            else if (current.Count == 0 && line.StartsWith("    ", StringComparison.Ordinal) && !Regex.IsMatch(line, @"^\s*([-*]|\d+\.)\s"))
            {
                // An indented block (markdown's other code form) keeps its lines.
                indented = new List<string> { line };
            }
            else if (line.Length == 0)
            {
                Flush();
            }
            else if (Regex.IsMatch(line, @"^\s*([-*]|\d+\.)\s"))
            {
                Flush();
                current.Add(line.Trim());
            }
            else
            {
                current.Add(line.Trim());
            }
        }

        Flush();
        return result;

        void Flush()
        {
            if (indented is not null)
            {
                result.Add(string.Join("\n", indented));
                indented = null;
            }

            if (current.Count > 0)
            {
                result.Add(Inline(string.Join(" ", current)));
                current.Clear();
            }
        }
    }

    /// <summary>Inline markdown to text: [text](url) → text, `code` → code, **b**/*i* → b/i.</summary>
    public static string Inline(string text)
    {
        text = Regex.Replace(text, @"\[([^\]]+)\]\([^)]*\)", "$1");
        text = Regex.Replace(text, @"`([^`]+)`", "$1");
        text = Regex.Replace(text, @"\*\*([^*]+)\*\*", "$1");
        text = Regex.Replace(text, @"(?<![\w*])\*([^*\s][^*]*)\*(?![\w*])", "$1");
        return text;
    }
}
