using System;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using OtelTls.HelpBuilder;

namespace OtelTls.Engine.Tests.Help;

/// <summary>
/// The help converter (tools/OtelTls.HelpBuilder): platyPS-style markdown → MAML, about_ pages → text, and the findings
/// topic checked against the catalogue. Get-Help over the result in real pwsh is tests/Pester/Help.Tests.ps1.
/// </summary>
public class HelpBuilderTests
{
    private const string Page = """
        ---
        external help file: OtelTls.dll-Help.xml
        ---

        # Get-OtlpThing

        ## SYNOPSIS
        Gets a thing
        over two lines.

        ## SYNTAX

        ### Path (Default)
        ```
        Get-OtlpThing [-Path] <String[]> [-Force] [<CommonParameters>]
        ```

        ### Endpoint
        ```
        Get-OtlpThing -Endpoint <String> [<CommonParameters>]
        ```

        ## DESCRIPTION
        First `paragraph` with a [link](https://example.com).

        Second paragraph.

        ## EXAMPLES

        ### Example 1: Piped
        ```powershell
        PS> Get-OtlpThing ./a |
              Where-Object Name -eq x

        Name
        ----
        x
        ```

        What it shows.

        ### Example 2: Plain
        ```powershell
        Get-OtlpThing -Endpoint c:4317
        ```

        ## PARAMETERS

        ### -Path
        The files.

        ```yaml
        Type: String[]
        Parameter Sets: Path
        Aliases: PSPath, LP

        Required: True
        Position: 0
        Default value: None
        Accept pipeline input: True (ByValue)
        Accept wildcard characters: True
        ```

        ### -Endpoint
        Where.

        ```yaml
        Type: String
        Parameter Sets: Endpoint
        Aliases:

        Required: True
        Position: Named
        Default value: None
        Accept pipeline input: False
        Accept wildcard characters: False
        ```

        ### -Force
        Overwrites.

        ```yaml
        Type: SwitchParameter
        Parameter Sets: (All)
        Aliases:

        Required: False
        Position: Named
        Default value: False
        Accept pipeline input: False
        Accept wildcard characters: False
        ```

        ### CommonParameters
        This cmdlet supports the common parameters.

        ## INPUTS

        ### System.String
        Paths.

        ## OUTPUTS

        ### OtelTls.OtlpThing
        One per file.

        ## NOTES
        Read only.

        ## RELATED LINKS

        [Test-OtlpThing](Test-OtlpThing.md)
        """;

    [Fact]
    public void A_page_parses_into_name_synopsis_sets_parameters_and_examples()
    {
        var help = MarkdownHelp.Parse(Page, "test.md");

        Assert.Equal("Get-OtlpThing", help.Name);
        Assert.Equal("Gets a thing over two lines.", help.Synopsis);
        Assert.Equal(new[] { "First paragraph with a link.", "Second paragraph." }, help.Description);
        Assert.Equal(new[] { "Path", "Endpoint" }, help.ParameterSets);
        Assert.Equal(new[] { "Path", "Endpoint", "Force" }, help.Parameters.Select(p => p.Name));
        var path = help.Parameters[0];
        Assert.True(path.Required);
        Assert.True(path.Globbing);
        Assert.Equal("0", path.Position);
        Assert.Equal(new[] { "PSPath", "LP" }, path.Aliases);
        Assert.Equal("True (ByValue)", path.PipelineInput);
        Assert.True(help.Parameters[2].IsSwitch);
        Assert.Equal(2, help.Examples.Count);
        Assert.Equal(new[] { "What it shows." }, help.Examples[0].Remarks);
        Assert.Equal("System.String", Assert.Single(help.Inputs).Name);
        Assert.Equal("OtelTls.OtlpThing", Assert.Single(help.Outputs).Name);
        Assert.Equal(new[] { "Test-OtlpThing" }, help.RelatedLinks);
    }

    [Fact]
    public void Example_commands_keep_continuations_and_drop_the_output_shown()
    {
        var help = MarkdownHelp.Parse(Page, "test.md");

        Assert.Equal("Get-OtlpThing ./a |\n      Where-Object Name -eq x", help.Examples[0].Commands);
        Assert.Equal("Get-OtlpThing -Endpoint c:4317", help.Examples[1].Commands);
        Assert.Equal("Get-A |\nWhere-Object B", new ExampleHelp("t", "PS> Get-A |\n>> Where-Object B\nB\n-\nx", new string[0]).Commands);
    }

    [Fact]
    public void The_maml_has_one_syntax_item_per_set_and_every_parameter_described()
    {
        var maml = MamlWriter.Write(new[] { MarkdownHelp.Parse(Page, "test.md") });
        XNamespace command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        XNamespace maml2004 = "http://schemas.microsoft.com/maml/2004/10";
        XNamespace dev = "http://schemas.microsoft.com/maml/dev/2004/10";

        var element = Assert.Single(maml.Root!.Elements(command + "command"));
        Assert.Equal("Get-OtlpThing", element.Element(command + "details")!.Element(command + "name")!.Value);
        Assert.Equal("Gets a thing over two lines.", element.Element(command + "details")!.Element(maml2004 + "description")!.Value);
        var syntax = element.Element(command + "syntax")!.Elements(command + "syntaxItem").ToList();
        Assert.Equal(2, syntax.Count);
        Assert.Equal(new[] { "Path", "Force" }, syntax[0].Elements(command + "parameter").Select(p => p.Element(maml2004 + "name")!.Value));
        Assert.Equal(new[] { "Endpoint", "Force" }, syntax[1].Elements(command + "parameter").Select(p => p.Element(maml2004 + "name")!.Value));
        var parameters = element.Element(command + "parameters")!.Elements(command + "parameter").ToList();
        Assert.All(parameters, p => Assert.NotEmpty(p.Element(maml2004 + "description")!.Value));
        Assert.Null(parameters[2].Element(command + "parameterValue")); // a switch takes no value
        Assert.Equal("PSPath, LP", parameters[0].Attribute("aliases")!.Value);
        Assert.Equal(2, element.Element(command + "examples")!.Elements(command + "example").Count());
        Assert.Contains("Where-Object", element.Descendants(dev + "code").First().Value);
    }

    [Fact]
    public void A_page_without_a_synopsis_or_a_parameter_without_yaml_is_an_error_naming_the_file()
    {
        var noSynopsis = Assert.Throws<FormatException>(() => MarkdownHelp.Parse("# Get-OtlpThing\n\n## SYNOPSIS\n\n## DESCRIPTION\nx\n", "empty.md"));
        Assert.Contains("empty.md", noSynopsis.Message);
        var noYaml = Assert.Throws<FormatException>(() => MarkdownHelp.Parse("# Get-OtlpThing\n\n## SYNOPSIS\nx\n\n## PARAMETERS\n\n### -Path\nNo block.\n", "p.md"));
        Assert.Contains("-Path", noYaml.Message);
    }

    [Fact]
    public void The_findings_topic_fails_for_an_id_without_text_and_for_text_without_an_id()
    {
        var markdown = "# about_X\n\n## SHORT DESCRIPTION\nx\n\n## FINDINGS\n\n### Known\nCause: a.\nFix: b.\n\n### Stale\nCause: c.\nFix: d.\n";
        var error = Assert.Throws<FormatException>(() => AboutTopic.RenderFindings(markdown, new[] { ("Known", "K."), ("Added", "A.") }));
        Assert.Contains("Added", error.Message);
        Assert.Contains("Stale", error.Message);

        var text = AboutTopic.RenderFindings(markdown.Replace("### Stale\nCause: c.\nFix: d.\n", string.Empty), new[] { ("Known", "Known meaning.") });
        Assert.Contains("  Known\n    Meaning: Known meaning.\n\n    Cause: a.\n\n    Fix: b.", text);
    }

    [Fact]
    public void Every_finding_id_in_the_catalogue_has_meaning_cause_and_fix_in_the_findings_topic()
    {
        var catalogue = AboutTopic.CatalogueIds();
        Assert.Contains(catalogue, c => c.Id == OtlpFindingId.IncompleteChain);
        Assert.All(catalogue, c => Assert.False(string.IsNullOrWhiteSpace(c.Meaning), $"{c.Id} has no <summary> in OtlpFindingId."));

        var page = File.ReadAllText(Path.Combine(RepoRoot(), "docs", "en-US", "about_OtelTls_Findings.md"));
        var text = AboutTopic.RenderFindings(page, catalogue); // throws, naming the ids, when the page and the catalogue differ
        Assert.All(catalogue, c => Assert.Contains("\n  " + c.Id + "\n", text));
    }

    [Fact]
    public void About_text_wraps_at_80_columns_and_keeps_code_lines()
    {
        var text = AboutTopic.Render("# about_X\n\n## LONG DESCRIPTION\n" + string.Join(" ", Enumerable.Repeat("word", 60)) +
                                     "\n\n    Get-Thing | Where-Object { $_.A -eq 1 } | Select-Object -First 1 -Property Name, Value, Other, More, Stuff\n");
        var lines = text.Split('\n');
        Assert.Equal("TOPIC", lines[0]);
        Assert.Contains("LONG DESCRIPTION", lines);
        Assert.All(lines.Where(l => l.Contains("word")), l => Assert.True(l.Length <= 80, l));
        Assert.Contains(lines, l => l == "        Get-Thing | Where-Object { $_.A -eq 1 } | Select-Object -First 1 -Property Name, Value, Other, More, Stuff");
    }

    private static string RepoRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "OtelTls.sln")))
        {
            directory = directory.Parent;
        }

        return directory!.FullName;
    }
}
