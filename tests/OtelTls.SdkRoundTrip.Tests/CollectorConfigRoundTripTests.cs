using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Authentication;
using System.Threading.Tasks;
using OtelTls.Lab;
using OtelTls.Module.Tests;
using YamlDotNet.RepresentationModel;

namespace OtelTls.SdkRoundTrip.Tests;

/// <summary>
/// A generated collector configuration proven by real handshakes: the receiver tls: block New-OtlpCollectorConfig writes is
/// served exactly as written (cert_file, key_file, client_ca_file, min_version) by the lab, Test-OtlpTlsEndpoint driven
/// by Test-OtlpCollectorConfig's exporter object finds it Healthy, and the exporter tls: block, turned into the SDK's
/// variables, lets the real OpenTelemetry .NET exporter deliver a span over mutual TLS.
/// </summary>
public sealed class CollectorConfigRoundTripTests
{
    [Theory]
    [InlineData("1.2")]
    [InlineData("1.3")]
    public async Task Generated_receiver_block_served_as_written_is_healthy_and_the_exporter_block_delivers_a_span(string minVersion)
    {
        using var dir = new TempDirectory();
        using var session = new PowerShellSession();
        session.Run(
            "$global:ca = New-OtlpCertificate -Type CA -CommonName 'Collector Root' -Name ca -OutputDirectory $args[0]; " +
            "$global:server = $global:ca | New-OtlpCertificate -Type Server -DnsName localhost -IPAddress 127.0.0.1 -Name server -OutputDirectory $args[0]; " +
            "$global:client = $global:ca | New-OtlpCertificate -Type Client -CommonName gateway -Name client -OutputDirectory $args[0]",
            dir.Path).AssertNoErrors();

        var config = dir.File("otelcol.yaml");
        var generated = session.Run("$global:ca, $global:server, $global:client | New-OtlpCollectorConfig -Protocol grpc -MinVersion $args[0]", minVersion);
        generated.AssertNoErrors();
        File.WriteAllText(config, generated.Single<string>());

        // The receiver block, read by an independent YAML parse, configures the server.
        var receiver = Block(config, "receivers", "otlp", "protocols", "grpc", "tls");
        Assert.Equal(minVersion, receiver["min_version"]);
        await using var lab = await LabScenario.StartAsync("mtls-required", new LabOptions
        {
            ServerCertificateFile = receiver["cert_file"],
            ServerKeyFile = receiver["key_file"],
            ClientCaFile = receiver["client_ca_file"],
            MinimumTlsVersion = minVersion == "1.3" ? SslProtocols.Tls13 : SslProtocols.Tls12,
        });

        // The exporter's endpoint goes into the same file by a merge (only that key and the tls: keys change).
        var endpoint = $"127.0.0.1:{lab.Port}";
        session.Run("$global:ca, $global:client | New-OtlpCollectorConfig -Side Exporter -ExporterEndpoint $args[0] -Path $args[1]", endpoint, config).AssertNoErrors();

        var diagnosis = session.Run(
            // Endpoint, CaCertificate, ClientCertificate, ClientKey and ServerName bind by property name.
            "Test-OtlpCollectorConfig $args[0] -NoProcessEnvironment | Where-Object Kind -eq exporter | Test-OtlpTlsEndpoint -TimeoutSec 10",
            config);
        diagnosis.AssertNoErrors();
        var result = diagnosis.Single<OtlpTlsDiagnosis>();
        Assert.True(result.Status == OtlpStatus.Healthy, string.Join("; ", result.Findings.Select(f => f.ToString())));
        // Both servers negotiate 1.3 with a client that offers it; min_version shows in what else is accepted.
        Assert.Contains("1.3", result.Tls!.Version, StringComparison.Ordinal);
        var tls12 = result.Tls.VersionSupport.Single(v => v.Version.Contains("1.2", StringComparison.Ordinal));
        Assert.Equal(minVersion == "1.2", tls12.Supported);

        var exporter = Block(config, "exporters", "otlp", "tls");
        Assert.Equal("false", exporter["insecure"]);
        var variables = new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "https://" + Scalar(config, "exporters", "otlp", "endpoint"),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc",
            ["OTEL_EXPORTER_OTLP_CERTIFICATE"] = exporter["ca_file"],
            ["OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE"] = exporter["cert_file"],
            ["OTEL_EXPORTER_OTLP_CLIENT_KEY"] = exporter["key_file"],
        };
        var run = DotnetExporterRoundTripTests.RunSdkClient("OtelTls.SdkClient.Latest", variables, "collector-config-" + minVersion);
        Assert.True(run.ExitCode == 0, run.ToString());
        await DotnetExporterRoundTripTests.WaitForAsync(() => lab.ReceivedTraceIds.Contains(run.TraceId));
        Assert.True(lab.ReceivedTraceIds.Contains(run.TraceId), $"Trace {run.TraceId} did not arrive. {run}");
    }

    private static Dictionary<string, string> Block(string file, params string[] path)
    {
        var node = Node(file, path);
        return ((YamlMappingNode)node).Children.ToDictionary(e => ((YamlScalarNode)e.Key).Value!, e => ((YamlScalarNode)e.Value).Value!);
    }

    private static string Scalar(string file, params string[] path) => ((YamlScalarNode)Node(file, path)).Value!;

    private static YamlNode Node(string file, string[] path)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(file))
        {
            stream.Load(reader);
        }

        YamlNode node = stream.Documents[0].RootNode;
        foreach (var key in path)
        {
            node = ((YamlMappingNode)node).Children[new YamlScalarNode(key)];
        }

        return node;
    }
}
