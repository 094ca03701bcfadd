using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using OtelTls.Engine.Reports;

namespace OtelTls.Engine.Tests;

/// <summary>Export-OtlpTlsReport's engine: JUnit against the Ant schema, Markdown, and logging commands that cannot be injected.</summary>
public class ReportTests
{
    /// <summary>
    /// The Ant JUnit schema's shape (the "windyroad" JUnit.xsd that JUnit consumers such as Azure's PublishTestResults
    /// and the GitHub test-report actions are written against): required attributes, one failure or error per case,
    /// properties/system-out/system-err per suite, ISO timestamps without zone.
    /// </summary>
    private const string AntJUnitSchema = """
        <?xml version="1.0" encoding="UTF-8"?>
        <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified">
          <xs:simpleType name="ISO8601_DATETIME_PATTERN">
            <xs:restriction base="xs:dateTime"><xs:pattern value="[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"/></xs:restriction>
          </xs:simpleType>
          <xs:simpleType name="pre-string"><xs:restriction base="xs:string"><xs:whiteSpace value="preserve"/></xs:restriction></xs:simpleType>
          <xs:complexType name="problem">
            <xs:simpleContent>
              <xs:extension base="pre-string">
                <xs:attribute name="message" type="xs:string"/>
                <xs:attribute name="type" type="xs:string" use="required"/>
              </xs:extension>
            </xs:simpleContent>
          </xs:complexType>
          <xs:complexType name="testsuite">
            <xs:sequence>
              <xs:element name="properties">
                <xs:complexType><xs:sequence>
                  <xs:element name="property" minOccurs="0" maxOccurs="unbounded">
                    <xs:complexType>
                      <xs:attribute name="name" use="required"><xs:simpleType><xs:restriction base="xs:token"><xs:minLength value="1"/></xs:restriction></xs:simpleType></xs:attribute>
                      <xs:attribute name="value" type="xs:string" use="required"/>
                    </xs:complexType>
                  </xs:element>
                </xs:sequence></xs:complexType>
              </xs:element>
              <xs:element name="testcase" minOccurs="0" maxOccurs="unbounded">
                <xs:complexType>
                  <xs:choice minOccurs="0">
                    <xs:element name="error" type="problem"/>
                    <xs:element name="failure" type="problem"/>
                  </xs:choice>
                  <xs:attribute name="name" type="xs:token" use="required"/>
                  <xs:attribute name="classname" type="xs:token" use="required"/>
                  <xs:attribute name="time" type="xs:decimal" use="required"/>
                </xs:complexType>
              </xs:element>
              <xs:element name="system-out" type="pre-string"/>
              <xs:element name="system-err" type="pre-string"/>
            </xs:sequence>
            <xs:attribute name="name" use="required"><xs:simpleType><xs:restriction base="xs:token"><xs:minLength value="1"/></xs:restriction></xs:simpleType></xs:attribute>
            <xs:attribute name="timestamp" type="ISO8601_DATETIME_PATTERN" use="required"/>
            <xs:attribute name="hostname" use="required"><xs:simpleType><xs:restriction base="xs:token"><xs:minLength value="1"/></xs:restriction></xs:simpleType></xs:attribute>
            <xs:attribute name="tests" type="xs:int" use="required"/>
            <xs:attribute name="failures" type="xs:int" use="required"/>
            <xs:attribute name="errors" type="xs:int" use="required"/>
            <xs:attribute name="skipped" type="xs:int"/>
            <xs:attribute name="time" type="xs:decimal" use="required"/>
          </xs:complexType>
          <xs:element name="testsuites">
            <xs:complexType>
              <xs:sequence>
                <xs:element name="testsuite" minOccurs="0" maxOccurs="unbounded">
                  <xs:complexType>
                    <xs:complexContent>
                      <xs:extension base="testsuite">
                        <xs:attribute name="package" type="xs:token" use="required"/>
                        <xs:attribute name="id" type="xs:int" use="required"/>
                      </xs:extension>
                    </xs:complexContent>
                  </xs:complexType>
                </xs:element>
              </xs:sequence>
              <xs:attribute name="name" type="xs:string"/>
              <xs:attribute name="tests" type="xs:int"/>
              <xs:attribute name="failures" type="xs:int"/>
              <xs:attribute name="errors" type="xs:int"/>
              <xs:attribute name="time" type="xs:decimal"/>
            </xs:complexType>
          </xs:element>
        </xs:schema>
        """;

    /// <summary>Azure Pipelines' logging command grammar: <c>##vso[area.action k=v;k=v]message</c> on one line, no raw ']' or ';' in values.</summary>
    private static readonly Regex AzureCommand = new(@"^##vso\[task\.(logissue|uploadsummary)((?: [a-z]+=[^;\]\r\n]*)(?:;[a-z]+=[^;\]\r\n]*)*)?\][^\r\n]*$");

    /// <summary>GitHub's workflow command grammar: <c>::command k=v,k=v::message</c>, no raw ':' or ',' in values.</summary>
    private static readonly Regex GitHubCommand = new(@"^::(error|warning|notice)(?: ([a-z]+=[^,:\r\n]*(?:,[a-z]+=[^,:\r\n]*)*))?::[^\r\n]*$");

    private const string Hostile = "bad]name;type=error\r\n##vso[task.setvariable variable=PATH]/tmp\n::error::owned,file=x:1 100% %0A";

    private static OtlpFinding Finding(string id, OtlpSeverity severity, string message = "The thing is wrong.") =>
        new(id, severity, OtlpStage.Certificate, message, "Because.", "Do this.", "seen");

    private static List<ReportItem> Sample() => new()
    {
        new ReportItem(ReportItemKind.Endpoint, "good:4317", Array.Empty<OtlpFinding>(), "TLS 1.3, h2", duration: TimeSpan.FromMilliseconds(12)),
        new ReportItem(ReportItemKind.Endpoint, "bad:4317", new[] { Finding("UnknownAuthority", OtlpSeverity.Error), Finding("CertificateExpiringSoon", OtlpSeverity.Warning) },
            "Untrusted", duration: TimeSpan.FromMilliseconds(30)),
        new ReportItem(ReportItemKind.Endpoint, "warn:4317", new[] { Finding("CertificateExpiringSoon", OtlpSeverity.Warning) }),
        new ReportItem(ReportItemKind.Certificate, "CN=server (/tls/server.crt)", new[] { Finding("HostnameMismatch", OtlpSeverity.Error) }, sourcePath: "/tls/server.crt"),
    };

    private static XDocument Validate(byte[] xml)
    {
        var settings = new XmlReaderSettings { ValidationType = ValidationType.Schema };
        settings.Schemas.Add(null, XmlReader.Create(new StringReader(AntJUnitSchema)));
        var errors = new List<string>();
        settings.ValidationEventHandler += (_, e) => errors.Add(e.Message);
        using var reader = XmlReader.Create(new MemoryStream(xml), settings);
        var document = XDocument.Load(reader);
        Assert.True(errors.Count == 0, string.Join("; ", errors));
        return document;
    }

    [Theory]
    [InlineData(new OtlpSeverity[0], OtlpStatus.Healthy)]
    [InlineData(new[] { OtlpSeverity.Info, OtlpSeverity.Info }, OtlpStatus.Healthy)]
    [InlineData(new[] { OtlpSeverity.Info, OtlpSeverity.Warning }, OtlpStatus.Warning)]
    [InlineData(new[] { OtlpSeverity.Warning, OtlpSeverity.Error, OtlpSeverity.Info }, OtlpStatus.Failed)]
    [InlineData(new[] { OtlpSeverity.Error, OtlpSeverity.Warning }, OtlpStatus.Failed)]
    public void A_report_item_takes_its_status_from_the_worst_finding_like_every_result(OtlpSeverity[] severities, OtlpStatus expected)
    {
        var findings = severities.Select((severity, i) => Finding("Finding" + i, severity)).ToArray();
        Assert.Equal(expected, new ReportItem(ReportItemKind.Endpoint, "x:4317", findings).Status);
    }

    [Fact]
    public void JUnit_is_valid_against_the_Ant_schema_with_one_case_per_item_and_errors_as_failures()
    {
        var document = Validate(JUnitReport.Build(Sample(), OtlpSeverity.Error, DateTimeOffset.UtcNow, "agent-1"));
        var root = document.Root!;
        Assert.Equal("4", root.Attribute("tests")!.Value);
        Assert.Equal("2", root.Attribute("failures")!.Value);
        var suites = root.Elements("testsuite").ToList();
        Assert.Equal(new[] { "Test-OtlpTlsEndpoint", "Test-OtlpCertificate" }, suites.Select(s => s.Attribute("name")!.Value));
        var bad = suites[0].Elements("testcase").Single(c => c.Attribute("name")!.Value == "bad:4317");
        var failure = bad.Element("failure")!;
        Assert.Equal("UnknownAuthority", failure.Attribute("type")!.Value);
        Assert.Contains("[Warning] CertificateExpiringSoon", failure.Value);
        Assert.Contains("Fix: Do this.", failure.Value);
        Assert.Equal("0.030", bad.Attribute("time")!.Value);
        Assert.Null(suites[0].Elements("testcase").Single(c => c.Attribute("name")!.Value == "warn:4317").Element("failure"));
        Assert.Contains("warn:4317: Warning CertificateExpiringSoon", suites[0].Element("system-out")!.Value);
    }

    [Fact]
    public void JUnit_fails_warnings_too_when_the_gate_is_Warning()
    {
        var root = Validate(JUnitReport.Build(Sample(), OtlpSeverity.Warning, DateTimeOffset.UtcNow, "agent-1")).Root!;
        Assert.Equal("3", root.Attribute("failures")!.Value);
        Assert.Equal("CertificateExpiringSoon", root.Descendants("testcase").Single(c => c.Attribute("name")!.Value == "warn:4317").Element("failure")!.Attribute("type")!.Value);
    }

    [Fact]
    [Trait("Reliability", "BadInput")]
    public void JUnit_stays_valid_XML_with_control_characters_and_markup_in_findings()
    {
        var items = new List<ReportItem>
        {
            new(ReportItemKind.Endpoint, "a\u0001b<c>&\"d\"", new[] { Finding("UnknownAuthority", OtlpSeverity.Error, "x\u0000y\u001b[31m</failure><injected/>") }),
        };
        var document = Validate(JUnitReport.Build(items, OtlpSeverity.Error, DateTimeOffset.UtcNow, "h"));
        Assert.Empty(document.Descendants("injected"));
        Assert.Equal("a\uFFFDb<c>&\"d\"", document.Descendants("testcase").Single().Attribute("name")!.Value);
    }

    [Fact]
    public void The_validator_says_no_to_a_case_without_classname()
    {
        var bad = Encoding.UTF8.GetBytes("<testsuites><testsuite name=\"s\" package=\"p\" id=\"0\" timestamp=\"2026-01-01T00:00:00\" hostname=\"h\" tests=\"1\" failures=\"0\" errors=\"0\" time=\"0\"><properties/><testcase name=\"n\" time=\"0\"/><system-out/><system-err/></testsuite></testsuites>");
        Assert.ThrowsAny<Exception>(() => Validate(bad));
    }

    [Fact]
    [Trait("Reliability", "BadInput")]
    public void Azure_logissue_cannot_be_injected_through_finding_text_or_endpoint()
    {
        var item = new ReportItem(ReportItemKind.Certificate, Hostile, new[] { Finding(Hostile, OtlpSeverity.Error, Hostile) }, sourcePath: "/tls/" + Hostile);
        var lines = PipelineCommands.For(PipelineHost.AzureDevOps, new[] { item }, OtlpSeverity.Warning, "/tmp/sum]mary;x.md");
        Assert.Equal(2, lines.Count);
        foreach (var line in lines)
        {
            Assert.Matches(AzureCommand, line);
        }

        var match = Regex.Match(lines[0], @"^##vso\[task\.logissue (?<props>[^\]]*)\](?<message>.*)$");
        var properties = match.Groups["props"].Value.Split(';').Select(p => p.Split(new[] { '=' }, 2)).ToDictionary(p => p[0], p => UnescapeAzure(p[1]));
        Assert.Equal(new[] { "type", "sourcepath", "code" }, properties.Keys);
        Assert.Equal("error", properties["type"]);
        Assert.Equal("/tls/" + Hostile, properties["sourcepath"]);
        Assert.Equal(Hostile, properties["code"]);
        Assert.StartsWith(Hostile + ": ", UnescapeAzure(match.Groups["message"].Value));
        Assert.Equal("##vso[task.uploadsummary]/tmp/sum]mary;x.md", lines[1].Replace("%AZP25", "%"));
    }

    [Fact]
    [Trait("Reliability", "BadInput")]
    public void GitHub_annotations_cannot_be_injected_through_finding_text_or_endpoint()
    {
        var item = new ReportItem(ReportItemKind.Certificate, Hostile, new[] { Finding("X", OtlpSeverity.Warning, Hostile) }, sourcePath: "C:\\tls\\a,b:c.crt");
        var line = Assert.Single(PipelineCommands.For(PipelineHost.GitHubActions, new[] { item }, OtlpSeverity.Warning, "/ignored.md"));
        var match = GitHubCommand.Match(line);
        Assert.True(match.Success, line);
        Assert.Equal("warning", match.Groups[1].Value);
        var properties = match.Groups[2].Value.Split(',').Select(p => p.Split(new[] { '=' }, 2)).ToDictionary(p => p[0], p => UnescapeGitHub(p[1]));
        Assert.Equal("X: " + Hostile, properties["title"]);
        Assert.Equal("C:\\tls\\a,b:c.crt", properties["file"]);
        var message = line.Substring(line.IndexOf("::", 2, StringComparison.Ordinal) + 2);
        Assert.StartsWith(Hostile + ": X: " + Hostile, UnescapeGitHub(message));
    }

    [Fact]
    public void Annotations_follow_the_threshold_and_say_the_fix()
    {
        var errorsOnly = PipelineCommands.For(PipelineHost.AzureDevOps, Sample(), OtlpSeverity.Error, null);
        Assert.Equal(2, errorsOnly.Count);
        Assert.Equal("##vso[task.logissue type=error;code=UnknownAuthority]bad:4317: UnknownAuthority: The thing is wrong. Fix: Do this.", errorsOnly[0]);
        Assert.Equal("##vso[task.logissue type=error;sourcepath=/tls/server.crt;code=HostnameMismatch]CN=server (/tls/server.crt): HostnameMismatch: The thing is wrong. Fix: Do this.", errorsOnly[1]);
        var all = PipelineCommands.For(PipelineHost.GitHubActions, Sample(), OtlpSeverity.Warning, null);
        Assert.Equal(4, all.Count);
        Assert.Equal("::warning title=CertificateExpiringSoon%3A warn%3A4317::warn:4317: CertificateExpiringSoon: The thing is wrong. Fix: Do this.", all[2]);
        Assert.Empty(PipelineCommands.For(PipelineHost.None, Sample(), OtlpSeverity.Warning, null));
    }

    [Fact]
    public void Certificate_files_inside_the_repository_are_named_relative_to_it_as_both_systems_expect()
    {
        var root = Path.Combine(Path.GetTempPath(), "repo");
        var inside = new ReportItem(ReportItemKind.Certificate, "CN=a", new[] { Finding("X", OtlpSeverity.Error) }, sourcePath: Path.Combine(root, "deploy", "tls", "a.crt"));
        var outside = new ReportItem(ReportItemKind.Certificate, "CN=b", new[] { Finding("X", OtlpSeverity.Error) }, sourcePath: Path.Combine(Path.GetTempPath(), "repository-2", "b.crt"));
        var azure = PipelineCommands.For(PipelineHost.AzureDevOps, new[] { inside, outside }, OtlpSeverity.Error, null, root + Path.DirectorySeparatorChar);
        Assert.StartsWith("##vso[task.logissue type=error;sourcepath=deploy/tls/a.crt;code=X]", azure[0]);
        Assert.StartsWith($"##vso[task.logissue type=error;sourcepath={outside.SourcePath};code=X]", azure[1]);
        var github = PipelineCommands.For(PipelineHost.GitHubActions, new[] { inside }, OtlpSeverity.Error, null, root);
        Assert.StartsWith("::error title=X%3A CN=a,file=deploy/tls/a.crt::", Assert.Single(github));
    }

    [Theory]
    [InlineData("True", null, PipelineHost.AzureDevOps)]
    [InlineData(null, "true", PipelineHost.GitHubActions)]
    [InlineData(null, "false", PipelineHost.None)]
    [InlineData("", null, PipelineHost.None)]
    [InlineData(null, null, PipelineHost.None)]
    public void The_CI_system_is_detected_from_the_variables_its_runner_sets(string? tfBuild, string? githubActions, PipelineHost expected)
    {
        var variables = new Dictionary<string, string?> { ["TF_BUILD"] = tfBuild, ["GITHUB_ACTIONS"] = githubActions };
        Assert.Equal(expected, PipelineCommands.Detect(name => variables.TryGetValue(name, out var value) ? value : null));
    }

    [Fact]
    [Trait("Reliability", "BadInput")]
    public void Markdown_keeps_one_table_row_per_item_whatever_the_text()
    {
        var items = Sample();
        items.Add(new ReportItem(ReportItemKind.Endpoint, "x|y\n| injected | row |\n<script>alert(1)</script> [link](http://e) **b**", Array.Empty<OtlpFinding>()));
        var markdown = MarkdownReport.Build(items, "Report | title");
        var rows = markdown.Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal)).ToList();
        Assert.Equal(1 + items.Count, rows.Count);
        Assert.All(rows, row => Assert.Equal(5, Regex.Matches(row, @"(?<!\\)\|").Count));
        Assert.DoesNotContain("<script>", markdown);
        Assert.Contains(@"\[link\](http", markdown);
        Assert.Contains("**5 checked: 2 failed, 1 with warnings, 2 healthy.**", markdown);
        Assert.Contains("- **Error UnknownAuthority**: The thing is wrong.", markdown);
    }

    [Fact]
    public void Write_replaces_report_files_and_appends_to_the_step_summary()
    {
        using var folder = new TempDirectory();
        var summary = folder.File("step_summary.md");
        File.WriteAllText(summary, "## An earlier step\n");
        File.WriteAllText(folder.File("r.xml"), "old");
        var request = new TlsReportRequest
        {
            JUnitPath = folder.File("r.xml"), MarkdownPath = folder.File("r.md"), FailOn = OtlpSeverity.Error,
            Host = PipelineHost.GitHubActions, GitHubStepSummary = summary,
        };
        foreach (var item in Sample())
        {
            request.Items.Add(item);
        }

        var result = TlsReport.Write(request);
        Validate(File.ReadAllBytes(folder.File("r.xml")));
        Assert.StartsWith("## OtelTls TLS report", File.ReadAllText(folder.File("r.md")));
        Assert.StartsWith("## An earlier step\n\n## OtelTls TLS report", File.ReadAllText(summary));
        Assert.Equal(new[] { "bad:4317", "CN=server (/tls/server.crt)" }, result.Failing.Select(i => i.Name));
        Assert.Equal(2, result.Commands.Count);
        Assert.Equal(new[] { "r.md", "r.xml", "step_summary.md" }, Directory.GetFiles(folder.Path).Select(Path.GetFileName).OrderBy(n => n));
    }

    [Fact]
    public void Azure_gets_the_summary_uploaded_from_the_agent_temp_folder_when_no_markdown_path_is_given()
    {
        using var folder = new TempDirectory();
        var request = new TlsReportRequest { Host = PipelineHost.AzureDevOps, TemporaryDirectory = folder.Path };
        request.Items.Add(Sample()[0]);
        var result = TlsReport.Write(request);
        var file = Assert.Single(result.Files);
        Assert.Equal(folder.Path, Path.GetDirectoryName(file));
        Assert.Equal($"##vso[task.uploadsummary]{file}", Assert.Single(result.Commands));
        Assert.Empty(result.Failing);
    }

    private static string UnescapeAzure(string value) =>
        value.Replace("%3B", ";").Replace("%5D", "]").Replace("%0D", "\r").Replace("%0A", "\n").Replace("%AZP25", "%");

    private static string UnescapeGitHub(string value) =>
        value.Replace("%2C", ",").Replace("%3A", ":").Replace("%0D", "\r").Replace("%0A", "\n").Replace("%25", "%");
}
