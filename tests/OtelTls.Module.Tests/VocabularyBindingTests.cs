using System.IO;
using System.Linq;
using OtelTls.Tests;

namespace OtelTls.Module.Tests;

/// <summary>
/// Vocabulary parameters are enums: PowerShell binds their names in any case and completes them, and the spellings users
/// copy from OTEL_EXPORTER_OTLP_PROTOCOL, collector configs and openssl still bind.
/// </summary>
public sealed class VocabularyBindingTests
{
    [Theory]
    [InlineData("http/protobuf", "HttpProtobuf")]
    [InlineData("HTTP/PROTOBUF", "HttpProtobuf")]
    [InlineData("httpprotobuf", "HttpProtobuf")]
    [InlineData("grpc", "Grpc")]
    public void Test_OtlpTlsEndpoint_binds_the_protocol_as_written(string written, string bound)
    {
        using var session = new PowerShellSession();
        // Port 9 on loopback refuses at once; the binding shows in the target the diagnosis reports.
        var result = session.Run("Test-OtlpTlsEndpoint 127.0.0.1:9 -Protocol $args[0] -TimeoutSec 5 | ForEach-Object { $_.Target.Protocol.ToString() }", written);
        Assert.Equal(bound, Assert.Single(result.Output)?.ToString());
    }

    [Fact]
    public void The_client_cmdlets_refuse_http_json_because_they_send_protobuf()
    {
        using var session = new PowerShellSession();
        foreach (var command in new[] { "Test-OtlpTlsEndpoint", "Send-OtlpTestSpan" })
        {
            var error = session.Run($"{command} 127.0.0.1:9 -Protocol http/json").SingleError();
            Assert.StartsWith("ParameterArgumentValidationError", error.FullyQualifiedErrorId);
        }
    }

    [Theory]
    [InlineData("http/json", "http/json")]
    [InlineData("HttpJson", "http/json")]
    [InlineData("GRPC", "grpc")]
    public void Set_OtlpTlsEnvironment_writes_the_specifications_spelling(string written, string value)
    {
        using var dir = new TempDirectory();
        using var session = new PowerShellSession();
        session.Run("Set-OtlpTlsEnvironment -Target DotEnv -Path $args[0] -Endpoint https://collector:4318 -Protocol $args[1]", dir.File(".env"), written).AssertNoErrors();
        Assert.Contains("OTEL_EXPORTER_OTLP_PROTOCOL=" + value, File.ReadAllLines(dir.File(".env")));
    }

    [Theory]
    [InlineData("1.2", "-tls1_2")]
    [InlineData("TLS 1.3", "-tls1_3")]
    [InlineData("TLSv1.2", "-tls1_2")]
    [InlineData("tls13", "-tls1_3")]
    public void A_tls_version_binds_as_the_collector_openssl_or_a_report_writes_it(string written, string openSslFlag)
    {
        using var session = new PowerShellSession();
        // One version offered: the openssl command of the diagnosis offers exactly that one.
        var result = session.Run("Test-OtlpTlsEndpoint 127.0.0.1:9 -TlsVersion $args[0] -TimeoutSec 5 | ForEach-Object OpenSslCommand", written);
        Assert.EndsWith(openSslFlag + " -showcerts </dev/null", Assert.Single(result.Output)?.ToString());
    }

    [Theory]
    [InlineData("metrics", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT")]
    [InlineData("LOGS", "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT")]
    [InlineData("Traces", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")]
    public void A_signal_binds_in_any_case_and_names_its_variables(string written, string variable)
    {
        using var dir = new TempDirectory();
        using var session = new PowerShellSession();
        session.Run("Set-OtlpTlsEnvironment -Target DotEnv -Path $args[0] -Signal $args[1] -Endpoint https://collector:4318", dir.File(".env"), written).AssertNoErrors();
        Assert.Contains(variable + "=https://collector:4318", File.ReadAllLines(dir.File(".env")));
    }

    [Fact]
    public void An_sdk_binds_as_users_type_it()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File(".env"), "NODE_EXTRA_CA_CERTS=/etc/ca.crt\nOTEL_EXPORTER_OTLP_ENDPOINT=https://collector:4318\n");
        using var session = new PowerShellSession();
        // -Sdk node also removes what Set wrote for Node.js; the lower-case name binds to OtlpSdk.Node.
        session.Run("Clear-OtlpTlsEnvironment -Target DotEnv -Path $args[0] -Sdk node, DOTNET", dir.File(".env")).AssertNoErrors();
        Assert.DoesNotContain(File.ReadAllLines(dir.File(".env")), l => l.StartsWith("NODE_EXTRA_CA_CERTS=") || l.StartsWith("OTEL_EXPORTER_OTLP_ENDPOINT="));
    }

    [Theory]
    [InlineData("Send-OtlpTestSpan x -Protocol ", "Grpc,HttpProtobuf")]
    [InlineData("Test-OtlpTlsEndpoint x -Protocol ", "Grpc,HttpProtobuf")]
    [InlineData("Set-OtlpTlsEnvironment -Protocol ", "Grpc,HttpJson,HttpProtobuf")]
    [InlineData("New-OtlpCollectorConfig -Protocol ", "Grpc,HttpJson,HttpProtobuf")]
    [InlineData("Test-OtlpTlsEndpoint x -TlsVersion ", "Tls10,Tls11,Tls12,Tls13")]
    [InlineData("New-OtlpCollectorConfig -MinVersion ", "Tls10,Tls11,Tls12,Tls13")]
    [InlineData("Send-OtlpTestSpan x -Signal ", "Logs,Metrics,Traces")]
    [InlineData("Test-OtlpTlsEndpoint -FromEnvironment -Signal ", "Logs,Metrics,Traces")]
    [InlineData("Set-OtlpTlsEnvironment -Signal ", "Logs,Metrics,Traces")]
    [InlineData("Clear-OtlpTlsEnvironment -Signal ", "Logs,Metrics,Traces")]
    [InlineData("Set-OtlpTlsEnvironment -Sdk ", "Collector,Dotnet,Go,Java,Node,Python")]
    [InlineData("Clear-OtlpTlsEnvironment -Sdk ", "Collector,Dotnet,Go,Java,Node,Python")]
    public void Tab_completes_the_names(string line, string expected)
    {
        using var session = new PowerShellSession();
        var result = session.Run("(TabExpansion2 -inputScript $args[0] -cursorColumn $args[0].Length).CompletionMatches | ForEach-Object CompletionText", line);
        result.AssertNoErrors();
        Assert.Equal(expected.Split(','), result.Output.Select(o => o?.ToString()).ToArray());
    }
}
