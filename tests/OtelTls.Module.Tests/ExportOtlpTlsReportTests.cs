using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation.Language;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using YamlDotNet.RepresentationModel;

namespace OtelTls.Module.Tests;

/// <summary>
/// Export-OtlpTlsReport as a pipeline step: real diagnoses of lab servers, the variables Azure Pipelines and GitHub Actions
/// set, every logging command checked against the system's grammar, and the docs/ci examples run as those systems run them.
/// The CI variables are process-wide, so every test that sets them is in this one class (xunit runs a class serially).
/// </summary>
public class ExportOtlpTlsReportTests
{
    private static readonly Regex AzureCommand = new(@"^##vso\[task\.(logissue|uploadsummary)((?: [a-z]+=[^;\]\r\n]*)(?:;[a-z]+=[^;\]\r\n]*)*)?\][^\r\n]*$");
    private static readonly Regex GitHubCommand = new(@"^::(error|warning|notice)(?: ([a-z]+=[^,:\r\n]*(?:,[a-z]+=[^,:\r\n]*)*))?::[^\r\n]*$");

    [Fact]
    public void Azure_Pipelines_gets_one_logissue_per_finding_on_the_host_stream_and_FailOn_stops_with_ReportFailed()
    {
        using var healthy = new LabProcess("healthy");
        using var expired = new LabProcess("expired");
        using var folder = new TempDirectory();
        using var ci = new CiVariables(("TF_BUILD", "True"), ("AGENT_TEMPDIRECTORY", folder.Path));
        using var session = Session();
        var result = session.Run("""
            try {
                $null = Test-OtlpTlsEndpoint $args[0], $args[1] -CaCertificate $args[2], $args[3] -SkipExport |
                    Export-OtlpTlsReport -JUnitPath $args[4] -FailOn Error
                'not stopped'
            } catch { $_.FullyQualifiedErrorId; $_.CategoryInfo.Category.ToString() }
            """, healthy.Endpoint, expired.Endpoint, healthy.CaFile, expired.CaFile, folder.File("otlp.xml"));

        Assert.Equal(new object?[] { "ReportFailed,OtelTls.Commands.ExportOtlpTlsReportCommand", "InvalidResult" }, result.Output);
        var commands = result.HostLines.Where(l => l.StartsWith("##", StringComparison.Ordinal)).ToList();
        Assert.All(commands, line => Assert.Matches(AzureCommand, line));
        var issue = Assert.Single(commands, c => c.StartsWith("##vso[task.logissue", StringComparison.Ordinal));
        Assert.StartsWith($"##vso[task.logissue type=error;code=CertificateExpired]{expired.Endpoint}: CertificateExpired:", issue);
        var upload = Assert.Single(commands, c => c.StartsWith("##vso[task.uploadsummary]", StringComparison.Ordinal));
        var summary = upload["##vso[task.uploadsummary]".Length..];
        Assert.Equal(folder.Path, Path.GetDirectoryName(summary));
        Assert.Contains("1 failed", File.ReadAllText(summary));

        var junit = XDocument.Load(folder.File("otlp.xml"));
        var cases = junit.Descendants("testcase").ToDictionary(c => c.Attribute("name")!.Value);
        Assert.Equal(2, cases.Count);
        Assert.Null(cases[healthy.Endpoint].Element("failure"));
        Assert.Equal("CertificateExpired", cases[expired.Endpoint].Element("failure")!.Attribute("type")!.Value);
    }

    [Fact]
    [Trait("Reliability", "Secret")]
    public void GitHub_Actions_gets_annotations_on_certificate_files_and_the_step_summary_without_header_values()
    {
        using var mtls = new LabProcess("mtls-required");
        using var folder = new TempDirectory();
        var stepSummary = folder.File("step_summary.md");
        File.WriteAllText(stepSummary, "## Build\n");
        using var ci = new CiVariables(("GITHUB_ACTIONS", "true"), ("GITHUB_STEP_SUMMARY", stepSummary));
        using var session = Session();
        var result = session.Run("""
            $ca = New-OtlpCertificate -Type CA -Name ca -CommonName 'Report CA' -OutputDirectory $args[0]
            $server = $ca | New-OtlpCertificate -Type Server -Name server -DnsName otel-collector -OutputDirectory $args[0]
            $checks = @(
                Test-OtlpCertificate $server.Path -CaCertificate $ca -HostName wrong.example
                Test-OtlpTlsEndpoint $args[1] -CaCertificate $args[2] -Header @{ Authorization = 'Bearer s3cr3t-t0ken' }
            )
            $checks | Export-OtlpTlsReport -MarkdownPath (Join-Path $args[0] 'report.md') | Out-Null
            $server.Path
            """, folder.Path, mtls.Endpoint, mtls.CaFile);

        result.AssertNoErrors();
        var serverPath = Assert.IsType<string>(Assert.Single(result.Output));
        var commands = result.HostLines.Where(l => l.StartsWith("::", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(commands);
        Assert.All(commands, line => Assert.Matches(GitHubCommand, line));
        Assert.Contains(commands, c => c.StartsWith("::error title=HostnameMismatch%3A CN=otel-collector (", StringComparison.Ordinal)
                                       && c.Contains(",file=" + serverPath.Replace(":", "%3A") + "::", StringComparison.Ordinal));
        Assert.Contains(commands, c => c.StartsWith("::error title=ClientCertificateRequired%3A ", StringComparison.Ordinal));
        var summary = File.ReadAllText(stepSummary);
        Assert.StartsWith("## Build\n\n## OtelTls TLS report", summary);
        Assert.Equal(File.ReadAllText(folder.File("report.md")), summary["## Build\n\n".Length..]);
        foreach (var written in new[] { summary, string.Join("\n", result.HostLines) })
        {
            Assert.DoesNotContain("s3cr3t-t0ken", written);
        }
    }

    [Fact]
    public void Without_a_CI_system_nothing_is_annotated_and_other_input_is_an_error_for_that_object()
    {
        using var folder = new TempDirectory();
        using var ci = new CiVariables();
        using var session = Session();
        var result = session.Run("""
            $ca = New-OtlpCertificate -Type CA -Name ca -OutputDirectory $args[0]
            $check = Test-OtlpCertificate $ca.Path -CaCertificate $ca.Path
            $check, $true | Export-OtlpTlsReport -JUnitPath (Join-Path $args[0] 'r.xml') -FailOn Warning -PassThru
            """, folder.Path);

        var error = result.SingleError();
        Assert.Equal("ReportInputInvalid,OtelTls.Commands.ExportOtlpTlsReportCommand", error.FullyQualifiedErrorId);
        Reflect.IsType("OtelTls.OtlpCertificateCheck", Assert.Single(result.Output));
        Assert.Empty(result.HostLines);
        Assert.Single(XDocument.Load(folder.File("r.xml")).Descendants("testcase"));
    }

    [Fact]
    public void The_Azure_Pipelines_example_runs_as_the_agent_runs_it_and_fails_the_step_on_an_error()
    {
        using var lab = new LabProcess("healthy");
        using var folder = new TempDirectory();
        var step = ScriptSteps(Path.Combine(ModulePaths.RepoRoot, "docs", "ci", "azure-pipelines.yml"), "pwsh")
            .Single(s => s.Contains("Export-OtlpTlsReport", StringComparison.Ordinal));
        Directory.CreateDirectory(folder.File("TestResults"));
        Directory.CreateDirectory(folder.File("agent"));
        // The agent expands $(Macro) before the script runs and exposes pipeline variables as upper-case environment variables.
        var script = step.Replace("$(Common.TestResultsDirectory)", folder.File("TestResults")).Replace("$(Agent.TempDirectory)", folder.File("agent"));
        Assert.DoesNotContain("$(", script);
        using var ci = new CiVariables(("TF_BUILD", "True"), ("AGENT_TEMPDIRECTORY", folder.File("agent")), ("BUILD_SOURCESDIRECTORY", folder.Path),
            ("OTLPENDPOINTS", lab.Endpoint), ("OTLPCAFILE", Path.Combine("deploy", "tls", "ca.crt")));
        using var session = Session();
        var result = session.Run("""
            Set-Location $args[0]
            New-Item -ItemType Directory deploy/tls | Out-Null
            Copy-Item $args[1] deploy/tls/ca.crt
            # A server certificate from another CA: Test-OtlpCertificate finds an error, so the step must fail.
            New-OtlpCertificate -Type CA -Name other-ca -OutputDirectory deploy/tls | New-OtlpCertificate -Type Server -Name server -DnsName otel -OutputDirectory deploy/tls | Out-Null
            Remove-Item deploy/tls/other-ca.*
            try { . ([scriptblock]::Create($args[2])); 'step passed' } catch { $_.FullyQualifiedErrorId }
            """, folder.Path, lab.CaFile, script);

        Assert.Equal("ReportFailed,OtelTls.Commands.ExportOtlpTlsReportCommand", result.Output.Last());
        var commands = result.HostLines.Where(l => l.StartsWith("##", StringComparison.Ordinal)).ToList();
        Assert.All(commands, line => Assert.Matches(AzureCommand, line));
        // The certificate file is named relative to the checked-out repository, as the agent links it.
        Assert.True(commands.Any(c => c.StartsWith("##vso[task.logissue type=error;sourcepath=deploy/tls/server.crt;code=IncompleteChain]", StringComparison.Ordinal)),
            string.Join("\n", commands));
        Assert.Contains($"##vso[task.uploadsummary]{folder.File(Path.Combine("agent", "otlp-tls.md"))}", commands);
        var cases = XDocument.Load(folder.File(Path.Combine("TestResults", "otlp-tls.xml"))).Descendants("testcase").ToList();
        Assert.Equal(2, cases.Count);
        Assert.Single(cases, c => c.Element("failure") is not null);
    }

    [Fact]
    public void The_GitHub_workflow_example_runs_as_the_runner_runs_it_and_passes_a_healthy_setup()
    {
        using var lab = new LabProcess("healthy");
        using var folder = new TempDirectory();
        var step = ScriptSteps(Path.Combine(ModulePaths.RepoRoot, "docs", "ci", "github-workflow.yml"), "run")
            .Single(s => s.Contains("Export-OtlpTlsReport", StringComparison.Ordinal));
        var stepSummary = folder.File("summary.md");
        File.WriteAllText(stepSummary, string.Empty);
        using var ci = new CiVariables(("GITHUB_ACTIONS", "true"), ("GITHUB_STEP_SUMMARY", stepSummary),
            ("OTLP_ENDPOINTS", lab.Endpoint), ("OTLP_CA_FILE", "deploy/tls/ca.crt"));
        using var session = Session();
        var result = session.Run("""
            Set-Location $args[0]
            New-Item -ItemType Directory deploy/tls | Out-Null
            Copy-Item $args[1] deploy/tls/ca.crt
            try { . ([scriptblock]::Create($args[2])); 'step passed' } catch { $_.FullyQualifiedErrorId }
            """, folder.Path, lab.CaFile, step);

        result.AssertNoErrors();
        Assert.Equal("step passed", result.Output.Last());
        Assert.All(result.HostLines.Where(l => l.StartsWith("::", StringComparison.Ordinal)), line => Assert.Matches(GitHubCommand, line));
        Assert.Contains("1 checked: 0 failed", File.ReadAllText(stepSummary));
        Assert.Single(XDocument.Load(folder.File("otlp-tls.xml")).Descendants("testcase"));
    }

    /// <summary>A session with the module and the core cmdlets a CI script uses (Set-Location, Get-ChildItem, Join-Path, Out-Null).</summary>
    private static PowerShellSession Session()
    {
        var session = new PowerShellSession();
        session.Run("Import-Module -Assembly $args[0], $args[1]", typeof(Microsoft.PowerShell.Commands.GetChildItemCommand).Assembly,
            typeof(Microsoft.PowerShell.Commands.OutStringCommand).Assembly).AssertNoErrors();
        return session;
    }

    /// <summary>The script of every step of a pipeline file, found by key (<c>pwsh</c> in Azure Pipelines, <c>run</c> with <c>shell: pwsh</c> in GitHub Actions); each must parse as PowerShell.</summary>
    private static List<string> ScriptSteps(string file, string key)
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(file))
        {
            yaml.Load(reader);
        }

        var scripts = new List<string>();
        void Walk(YamlNode node)
        {
            switch (node)
            {
                case YamlMappingNode mapping:
                    foreach (var (name, value) in mapping.Children)
                    {
                        if (name is YamlScalarNode { Value: var k } && k == key && value is YamlScalarNode { Value: { } script })
                        {
                            scripts.Add(script);
                        }

                        Walk(value);
                    }

                    break;
                case YamlSequenceNode sequence:
                    foreach (var child in sequence)
                    {
                        Walk(child);
                    }

                    break;
            }
        }

        Walk(yaml.Documents[0].RootNode);
        Assert.NotEmpty(scripts);
        foreach (var script in scripts)
        {
            Parser.ParseInput(script, out _, out var errors);
            Assert.True(errors.Length == 0, $"{file}: {string.Join("; ", errors.Select(e => e.Message))}");
        }

        return scripts;
    }

    /// <summary>Sets CI variables for one test and clears the others (the tests may themselves run in a CI job), restoring all at the end.</summary>
    private sealed class CiVariables : IDisposable
    {
        private static readonly string[] Known = { "TF_BUILD", "AGENT_TEMPDIRECTORY", "BUILD_SOURCESDIRECTORY", "GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "GITHUB_WORKSPACE" };
        private readonly Dictionary<string, string?> _saved = new();

        public CiVariables(params (string Name, string Value)[] values)
        {
            foreach (var name in Known.Concat(values.Select(v => v.Name)).Distinct())
            {
                _saved[name] = Environment.GetEnvironmentVariable(name);
                Environment.SetEnvironmentVariable(name, values.FirstOrDefault(v => v.Name == name).Value);
            }
        }

        public void Dispose()
        {
            foreach (var (name, value) in _saved)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }
}
