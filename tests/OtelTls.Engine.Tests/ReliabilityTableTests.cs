using System;
using System.IO;
using System.Linq;
using System.Reflection;
using OtelTls.Tools;

namespace OtelTls.Engine.Tests;

/// <summary>The generator of docs/reliability.md, on a small trx shaped like the ones dotnet test writes.</summary>
public sealed class ReliabilityTableTests
{
    private static string Trx(params (string Class, string Method, string Arguments, string Outcome)[] results)
    {
        var tests = results.Select((r, i) => (r, Id: $"00000000-0000-0000-0000-{i:D12}")).ToList();
        return $"""
            <?xml version="1.0" encoding="utf-8"?>
            <TestRun id="1" name="run" xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
              <Results>
            {string.Concat(tests.Select(t => $"    <UnitTestResult testId=\"{t.Id}\" testName=\"OtelTls.Engine.Tests.{t.r.Class}.{t.r.Method}{Escape(t.r.Arguments)}\" outcome=\"{t.r.Outcome}\" />\n"))}
              </Results>
              <TestDefinitions>
            {string.Concat(tests.Select(t => $"    <UnitTest name=\"OtelTls.Engine.Tests.{t.r.Class}.{t.r.Method}{Escape(t.r.Arguments)}\" id=\"{t.Id}\"><TestMethod className=\"OtelTls.Engine.Tests.{t.r.Class}\" name=\"{t.r.Method}\" /></UnitTest>\n"))}
              </TestDefinitions>
            </TestRun>
            """;
    }

    private static string Escape(string text) => System.Security.SecurityElement.Escape(text)!;

    [Fact]
    public void A_small_trx_becomes_the_table_with_theory_rows_counted_and_failures_named()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("BadInput"));
        Directory.CreateDirectory(dir.File("Secret"));
        File.WriteAllText(dir.File("BadInput/run.trx"), Trx(
            ("FileAccessTests", "A_FIFO_is_refused", "(reader: \"certificate\")", "Passed"),
            ("FileAccessTests", "A_FIFO_is_refused", "(reader: \"dotenv\")", "Failed"),
            ("InputValidationTests", "A_bare_port_is_refused", string.Empty, "Passed")));
        File.WriteAllText(dir.File("Secret/run.trx"), Trx(("RedactionTests", "Url_masks_userinfo", "(url: \"a|b\")", "Passed")));

        var table = ReliabilityTable.FromResults(dir.Path);
        Assert.Equal(4, table.Tried);
        Assert.Equal(3, table.Handled);
        Assert.Equal(1, table.Failed);

        var markdown = table.ToMarkdown(new DateTimeOffset(2026, 1, 2, 3, 4, 0, TimeSpan.Zero), "abc1234");
        Assert.Contains("2026-01-02 03:04 UTC (commit `abc1234`)", markdown);
        Assert.Contains("| [BadInput](#badinput) | 2 | 3 | 2 | 1 |", markdown);
        Assert.Contains("| [Secret](#secret) | 1 | 1 | 1 | 0 |", markdown);
        Assert.Contains("| **Total** | 3 | 4 | 3 | 1 |", markdown);
        Assert.Contains("| A FIFO is refused | 2 | **1** (not handled: (reader: \"dotenv\")) | FileAccessTests |", markdown);
        Assert.Contains("| Url masks userinfo | 1 | 1 | RedactionTests |", markdown);
        Assert.True(markdown.IndexOf("## BadInput", StringComparison.Ordinal) < markdown.IndexOf("## Secret", StringComparison.Ordinal));
        Assert.DoesNotContain("## HostilePki", markdown); // no results, no section
    }

    [Fact]
    public void Every_reliability_trait_in_this_assembly_names_a_known_area()
    {
        var areas = typeof(ReliabilityTableTests).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods())
            .SelectMany(m => m.CustomAttributes.Where(a => a.AttributeType == typeof(TraitAttribute))
                .Select(a => (Method: m.DeclaringType!.Name + "." + m.Name, Name: (string)a.ConstructorArguments[0].Value!, Value: (string)a.ConstructorArguments[1].Value!)))
            .Where(t => t.Name == "Reliability")
            .ToList();
        Assert.NotEmpty(areas);
        Assert.All(areas, t => Assert.True(ReliabilityTable.Areas.Contains(t.Value), $"{t.Method}: unknown area '{t.Value}'"));
    }
}
