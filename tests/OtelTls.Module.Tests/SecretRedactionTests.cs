using System;
using System.Linq;
using System.Management.Automation;

namespace OtelTls.Module.Tests;

/// <summary>
/// Planted secrets (URL userinfo with '/', a query key, header values after a comma, a -Header value) never appear in any
/// stream (output, error, warning, verbose, information), nor in ToString, ConvertTo-Json or CliXml of any result.
/// </summary>
[Collection(ProcessEnvironmentCollection.Name)]
public sealed class SecretRedactionTests
{
    private const string UserInfoSecret = "Us3rInf0S3cret";
    private const string QuerySecret = "Qu3ryK3yS3cret";
    private const string HeaderSecret = "H3ad3rS3cret";
    private const string ParameterSecret = "Param3terS3cret";

    // Everything a cmdlet writes, every stream merged, each record rendered every way a user or a pipeline renders it.
    private const string Render = """
        param($block, $utility)
        Import-Module -Assembly $utility -ErrorAction Stop  # Out-String, ConvertTo-Json: the hosted runspace has no module path
        $records = & $block *>&1
        foreach ($record in $records) {
            # A record's InvocationInfo is PowerShell's copy of the command line the user typed (shown by the error view
            # too): a secret typed there is the user's own text. Everything the cmdlet put into the record is rendered.
            $shown = if ($record.PSObject.Properties['InvocationInfo']) { $record | Select-Object -Property * -ExcludeProperty InvocationInfo } else { $record }
            "$record"
            $shown | Out-String -Width 500
            if ($record -is [System.Management.Automation.ErrorRecord]) {
                $record.Exception.Message
                "$($record.TargetObject)"
                $record.ErrorDetails.RecommendedAction
            }
            try { $shown | ConvertTo-Json -Depth 4 -WarningAction SilentlyContinue } catch { "ConvertTo-Json failed: $_" }
            [System.Management.Automation.PSSerializer]::Serialize($shown, 4)
        }
        """;

    private static string Everything(PowerShellSession session, string block)
    {
        var result = session.Run(Render, ScriptBlock.Create(block), typeof(Microsoft.PowerShell.Commands.ConvertToJsonCommand).Assembly);
        Assert.True(result.Errors.Count == 0, string.Join(" | ", result.Errors.Select(e => e.ToString())));
        var text = string.Join("\n", result.Output.Select(o => o?.ToString()));
        Assert.True(text.Length > 200, "nothing was rendered: " + text);
        Assert.DoesNotContain("ConvertTo-Json failed", text);
        return text;
    }

    private static void AssertNoSecret(string text)
    {
        foreach (var secret in new[] { UserInfoSecret, QuerySecret, HeaderSecret, ParameterSecret })
        {
            var at = text.IndexOf(secret, StringComparison.Ordinal);
            Assert.True(at < 0, $"'{secret}' appears: …{(at < 0 ? string.Empty : text.Substring(Math.Max(0, at - 200), Math.Min(300, text.Length - Math.Max(0, at - 200))))}…");
        }
    }

    [Fact]
    [Trait("Reliability", "Secret")]
    public void Planted_endpoint_and_header_secrets_never_appear_in_any_stream_or_serialization()
    {
        using var snapshot = new EnvironmentSnapshot();
        using var lab = new OtelTls.Tests.LabProcess("healthy");
        Environment.SetEnvironmentVariable("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
        Environment.SetEnvironmentVariable("OTEL_EXPORTER_OTLP_CERTIFICATE", lab.CaFile);
        Environment.SetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT", $"https://user:pa/{UserInfoSecret}@{lab.Endpoint}");
        Environment.SetEnvironmentVariable("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", $"https://{lab.Endpoint}/v1/traces?api_key={QuerySecret}");
        Environment.SetEnvironmentVariable("OTEL_EXPORTER_OTLP_HEADERS", $"Authorization=Basic YWJj,{HeaderSecret}");

        using var session = new PowerShellSession();
        var text = Everything(session, $$"""
            Get-OtlpTlsEnvironment -Verbose
            Test-OtlpTlsEndpoint -FromEnvironment -TimeoutSec 5 -Verbose -InformationAction Continue
            Test-OtlpTlsEndpoint -Endpoint 'https://{{lab.Endpoint}}/v1/traces?api_key={{QuerySecret}}' -CaCertificate '{{lab.CaFile}}' -Header @{ 'api-key' = '{{ParameterSecret}}' } -TimeoutSec 5 -Verbose
            Test-OtlpTlsEndpoint -Endpoint 'https://user:pa/{{UserInfoSecret}}@{{lab.Endpoint}}' -TimeoutSec 5 -Verbose
            Send-OtlpTestSpan -FromEnvironment -TimeoutSec 5 -Verbose
            Send-OtlpTestSpan -Endpoint 'https://{{lab.Endpoint}}/v1/traces?api_key={{QuerySecret}}' -CaCertificate '{{lab.CaFile}}' -Header @{ 'api-key' = '{{ParameterSecret}}' } -TimeoutSec 5 -Verbose
            Get-OtlpCertificate -Endpoint 'https://{{lab.Endpoint}}?api_key={{QuerySecret}}' -Verbose
            """);

        // The run really went through the diagnosis and the export, so the outputs it renders are the full ones.
        Assert.Contains("api_key=***", text);
        Assert.Contains("Authorization=***", text);
        AssertNoSecret(text);
    }
}
