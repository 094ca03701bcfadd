using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml.Linq;

namespace OtelTls.Tools;

/// <summary>
/// The reliability table: every test tagged <c>[Trait("Reliability", Area)]</c>, per area, with how many inputs were tried
/// and how many were handled (the test passed), read from the .trx files of a real test run.
/// </summary>
public sealed class ReliabilityTable
{
    /// <summary>The areas, in the order the table lists them.</summary>
    public static readonly string[] Areas = { "HostileServer", "HostilePki", "BadInput", "WriterFault", "Secret" };

    private static readonly XNamespace Trx = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";

    private static readonly Dictionary<string, string> Descriptions = new(StringComparer.Ordinal)
    {
        ["HostileServer"] = "Servers that stall, wait, lie or speak the wrong protocol: the verdict and the time bound hold.",
        ["HostilePki"] = "Certificates and chains made to break path validation: the verdict matches openssl and the platform.",
        ["BadInput"] = "Malformed files, endpoints, names and random or mutated input: a clear error, never a crash or a hang.",
        ["WriterFault"] = "Writers under failure, concurrency, odd modes and injection attempts: nothing lost, nothing injected.",
        ["Secret"] = "Planted credentials and private keys: never shown in any output, never left behind.",
    };

    private ReliabilityTable(IReadOnlyList<Case> cases) => Cases = cases;

    /// <summary>One test method's results (a theory's rows together).</summary>
    public sealed record Case(string Area, string Class, string Method, int Tried, int Handled, int Skipped, IReadOnlyList<string> FailedInputs)
    {
        /// <summary>The method name as a sentence: underscores become spaces.</summary>
        public string Title => Method.Replace('_', ' ');
    }

    /// <summary>Every case, grouped by area in <see cref="Areas"/> order.</summary>
    public IReadOnlyList<Case> Cases { get; }

    /// <summary>Inputs tried (test results, a theory row each).</summary>
    public int Tried => Cases.Sum(c => c.Tried);

    /// <summary>Inputs handled (passed).</summary>
    public int Handled => Cases.Sum(c => c.Handled);

    /// <summary>Inputs not handled (failed).</summary>
    public int Failed => Cases.Sum(c => c.Tried - c.Handled - c.Skipped);

    /// <summary>Reads <c>resultsDirectory/&lt;Area&gt;/**/*.trx</c>.</summary>
    public static ReliabilityTable FromResults(string resultsDirectory)
    {
        var cases = new List<Case>();
        foreach (var area in Areas.Concat(Directory.GetDirectories(resultsDirectory).Select(Path.GetFileName).OfType<string>().Where(a => !Areas.Contains(a)).OrderBy(a => a, StringComparer.Ordinal)))
        {
            var folder = Path.Combine(resultsDirectory, area);
            if (Directory.Exists(folder))
            {
                cases.AddRange(FromTrx(area, Directory.GetFiles(folder, "*.trx", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal).Select(XDocument.Load)));
            }
        }

        return new ReliabilityTable(cases);
    }

    /// <summary>The cases of one area from its .trx documents.</summary>
    public static IEnumerable<Case> FromTrx(string area, IEnumerable<XDocument> documents)
    {
        var rows = new List<(string Class, string Method, string Name, string Outcome)>();
        foreach (var document in documents)
        {
            var methods = document.Descendants(Trx + "UnitTest").ToDictionary(
                t => (string)t.Attribute("id")!,
                t => t.Element(Trx + "TestMethod")!);
            foreach (var result in document.Descendants(Trx + "UnitTestResult"))
            {
                var method = methods[(string)result.Attribute("testId")!];
                var className = ((string)method.Attribute("className")!).Split('.').Last();
                rows.Add((className, (string)method.Attribute("name")!, (string)result.Attribute("testName")!, (string)result.Attribute("outcome")!));
            }
        }

        return rows
            .GroupBy(r => (r.Class, r.Method))
            .OrderBy(g => g.Key.Class, StringComparer.Ordinal).ThenBy(g => g.Key.Method, StringComparer.Ordinal)
            .Select(g => new Case(area, g.Key.Class, g.Key.Method,
                g.Count(),
                g.Count(r => r.Outcome == "Passed"),
                g.Count(r => r.Outcome == "NotExecuted"),
                g.Where(r => r.Outcome is not ("Passed" or "NotExecuted")).Select(r => Arguments(r.Name)).ToList()));
    }

    private static string Arguments(string testName)
    {
        var open = testName.IndexOf('(');
        return open < 0 ? "(no arguments)" : testName.Substring(open);
    }

    /// <summary>The markdown page.</summary>
    public string ToMarkdown(DateTimeOffset at, string? commit)
    {
        var text = new StringBuilder();
        text.AppendLine("# Reliability table");
        text.AppendLine();
        text.AppendLine($"Generated by `tools/reliability-report.sh` from a test run on {at.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC" +
                        (commit is null ? string.Empty : $" (commit `{commit}`)") + "; do not edit by hand.");
        text.AppendLine("Every test tagged `[Trait(\"Reliability\", Area)]` is listed. *Tried* counts the inputs (a theory's rows each), *handled* those whose test passed.");
        text.AppendLine();
        text.AppendLine("| Area | Cases | Tried | Handled | Not handled |");
        text.AppendLine("|---|---:|---:|---:|---:|");
        foreach (var group in Cases.GroupBy(c => c.Area))
        {
            text.AppendLine($"| [{group.Key}](#{group.Key.ToLowerInvariant()}) | {group.Count()} | {group.Sum(c => c.Tried)} | {group.Sum(c => c.Handled)} | {group.Sum(c => c.Tried - c.Handled - c.Skipped)} |");
        }

        text.AppendLine($"| **Total** | {Cases.Count} | {Tried} | {Handled} | {Failed} |");
        foreach (var group in Cases.GroupBy(c => c.Area))
        {
            text.AppendLine();
            text.AppendLine($"## {group.Key}");
            text.AppendLine();
            if (Descriptions.TryGetValue(group.Key, out var description))
            {
                text.AppendLine(description);
                text.AppendLine();
            }

            text.AppendLine("| Case | Tried | Handled | Test class |");
            text.AppendLine("|---|---:|---:|---|");
            foreach (var item in group)
            {
                var handled = item.Handled == item.Tried - item.Skipped
                    ? item.Handled.ToString(CultureInfo.InvariantCulture)
                    : $"**{item.Handled}** (not handled: {string.Join(", ", item.FailedInputs).Replace("|", "\\|")})";
                text.AppendLine($"| {item.Title.Replace("|", "\\|")} | {item.Tried} | {handled} | {item.Class} |");
            }
        }

        return text.ToString();
    }
}
