using System;
using System.IO;
using System.Linq;
using System.Text;
using OtelTls.Engine.Explain;

namespace OtelTls.Engine.Tests;

/// <summary>The help page lists every recognised message with its runtime and finding, exactly as the rule table has them.</summary>
public class TlsErrorHelpTests
{
    private const string Start = "<!-- recognised-messages:start -->";
    private const string End = "<!-- recognised-messages:end -->";

    [Fact]
    public void TheHelpPageListsEveryRecognisedMessage()
    {
        var page = Path.Combine(RepoRoot(), "docs", "en-US", "Resolve-OtlpTlsError.md");
        var text = File.ReadAllText(page);
        var table = Table();
        var from = text.IndexOf(Start, StringComparison.Ordinal) + Start.Length;
        var to = text.IndexOf(End, StringComparison.Ordinal);
        Assert.True(from > Start.Length - 1 && to > from, "the page has no recognised-messages section");
        if (Environment.GetEnvironmentVariable("OTELTLS_WRITE_HELP") == "1")
        {
            File.WriteAllText(page, text.Substring(0, from) + "\n" + table + text.Substring(to));
            return;
        }

        Assert.Equal(table.Replace("\r\n", "\n"), text.Substring(from, to - from).TrimStart('\n').Replace("\r\n", "\n"));
    }

    private static string Table()
    {
        var table = new StringBuilder();
        table.Append("| Runtime | Message | Finding | Same words also mean | Source |\n|---|---|---|---|---|\n");
        foreach (var rule in TlsErrorRules.All)
        {
            var also = rule.Ambiguity is null ? string.Empty : string.Join(", ", rule.Ambiguity.FindingIds.Where(id => id != rule.FindingId));
            var runtime = rule.Runtime == OtlpRuntime.Unknown ? "OpenSSL-based (Python, Node, curl, openssl, gRPC C-core)" : rule.Runtime.ToString();
            table.Append($"| {runtime} | `{rule.Example.Replace("|", "\\|").Replace("`", "'")}` | {rule.FindingId} | {also} | {rule.Source.Replace("|", "\\|")} |\n");
        }

        return table.ToString();
    }

    private static string RepoRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "OtelTls.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new InvalidOperationException("OtelTls.sln not found above the test assembly.");
    }
}
