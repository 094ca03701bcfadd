using OtelTls.Engine.Client;
using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OtelTls.Engine.Certificates;
using OtelTls.Engine.Diagnosis;
using OtelTls.Lab;

namespace OtelTls.Engine.Tests;

/// <summary>
/// Every lab scenario, diagnosed the way its client settings say, must produce its expected primary finding and status.
/// The list comes from the lab itself: a scenario added without a diagnosis fails here.
/// </summary>
public class LabDiagnosisTests
{
    public static IEnumerable<object[]> Scenarios => LabScenario.All.Select(s => new object[] { s.Name });

    internal static DiagnosisOptions OptionsFor(LabScenario lab, TimeSpan timeout)
    {
        var client = lab.Info.Client;
        return new DiagnosisOptions
        {
            Client = new OtlpClientSettings(
                client.UseCaFile ? CertificateReader.ReadFile(lab.CaFile) : null,
                client.UseClientCertificate ? lab.ClientCertificateFile : null,
                client.UseClientCertificate ? lab.ClientKeyFile : null,
                serverName: client.ServerName,
                protocol: client.Protocol == "grpc" ? OtlpProtocol.Grpc : OtlpProtocol.HttpProtobuf,
                headers: client.UseRequiredHeader && lab.RequiredHeaderName is not null
                    ? new Dictionary<string, string> { [lab.RequiredHeaderName] = lab.RequiredHeaderValue ?? string.Empty }
                    : null,
                timeout: timeout),
            TlsVersions = client.TlsVersion is null ? null : new[] { Enum.Parse<OtlpTlsVersion>(client.TlsVersion) },
        };
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task EveryScenarioYieldsItsExpectedFindingAndStatus(string name)
    {
        await using var lab = await LabScenario.StartAsync(name);
        var timeout = TimeSpan.FromSeconds(6); // generous: handshakes slow down a lot when CI runs the test assemblies in parallel on 2 cores
        var started = DateTime.UtcNow;
        var result = await EndpointDiagnoser.DiagnoseAsync(lab.Endpoint, OptionsFor(lab, timeout), CancellationToken.None);
        var elapsed = DateTime.UtcNow - started;
        var describe = $"{name}: {result.Status}; findings: {string.Join(", ", result.Findings.Select(f => $"{f.Id}/{f.Severity}"))}; summary: {result.Summary}";

        if (lab.Info.ExpectedFindingId is null)
        {
            Assert.True(!result.Findings.Any(f => f.Severity == OtlpSeverity.Error), describe);
        }
        else
        {
            var primary = result.Findings.FirstOrDefault(f => f.Severity != OtlpSeverity.Info);
            Assert.True(primary?.Id == lab.Info.ExpectedFindingId, $"expected {lab.Info.ExpectedFindingId}; {describe}");
            Assert.False(string.IsNullOrWhiteSpace(primary!.Remediation));
        }

        Assert.True(lab.Info.ExpectedStatus == result.Status, $"expected status {lab.Info.ExpectedStatus}; {describe}");

        // Hostile servers (silent, slow, garbage, reset) end within the bound plus a small margin; the rest well inside it.
        Assert.True(elapsed < timeout + TimeSpan.FromSeconds(2), $"{name} took {elapsed.TotalSeconds:F1} s");
    }

    [Theory]
    [InlineData("healthy", true)]
    [InlineData("healthy-http", true)]
    [InlineData("mtls-required-with-client-cert", false)]
    [InlineData("mtls-optional", false)]
    public async Task The_platform_verdict_comes_from_the_exports_connection_unless_a_client_certificate_is_involved(string name, bool fromExport)
    {
        // One handshake fewer per endpoint: without a client certificate to present or a server asking for one, the
        // export's connection (same stack, same settings, same verdict) answers the platform question. With one, the
        // platform check keeps its own connection, whose read after the handshake hears the server's verdict on it.
        await using var lab = await LabScenario.StartAsync(name);
        var result = await EndpointDiagnoser.DiagnoseAsync(lab.Endpoint, OptionsFor(lab, TimeSpan.FromSeconds(10)), CancellationToken.None);
        var describe = $"{name}: {result.Status}; {string.Join("; ", result.Findings.Select(f => $"{f.Id}: {f.Message}"))}; platform: {result.Platform?.Message}";

        Assert.True(result.Platform is { Succeeded: true, AgreesWithProbe: true }, describe);
        Assert.True(result.Otlp!.Succeeded, describe);
        Assert.Equal(fromExport, result.Platform!.Message.Contains("on the export's connection", StringComparison.Ordinal));
        Assert.Equal(result.Tls!.Version, result.Platform.Version);
    }

    [Theory]
    [InlineData("healthy")]
    [InlineData("rsa-chain")]
    public async Task A_freshly_started_Kestrel_on_a_saturated_CPU_is_never_judged_NotAnHttp2Server(string name)
    {
        // The probe's first connection is the new Kestrel's first HTTP/2 connection (its HTTP/2 code still cold). Busy
        // threads, twice the cores, compete with it for the CPU the whole time: the SETTINGS frame comes late, maybe
        // after the probe's HTTP/1.1 request, and must still be read as an HTTP/2 server's. A bounded load: it ends
        // with each diagnosis (at most its timeout).
        for (var round = 0; round < 3; round++)
        {
            await using var lab = await LabScenario.StartAsync(name);
            using var stop = new CancellationTokenSource();
            var spinners = Enumerable.Range(0, 2 * Environment.ProcessorCount).Select(_ => new Thread(() =>
            {
                var x = 0UL;
                while (!stop.IsCancellationRequested)
                {
                    x = x * 6364136223846793005UL + 1;
                }
            }) { IsBackground = true }).ToList();
            spinners.ForEach(t => t.Start());
            OtlpTlsDiagnosis result;
            try
            {
                result = await EndpointDiagnoser.DiagnoseAsync(lab.Endpoint, OptionsFor(lab, TimeSpan.FromSeconds(10)), CancellationToken.None);
            }
            finally
            {
                stop.Cancel();
                spinners.ForEach(t => t.Join());
            }

            var describe = $"{name}, round {round}: {result.Status}; {string.Join("; ", result.Findings.Select(f => $"{f.Id}: {f.Message}"))}";
            Assert.DoesNotContain(result.Findings, f => f.Id == OtlpFindingId.NotAnHttp2Server);
            Assert.True(result.Status == lab.Info.ExpectedStatus, describe);
            Assert.True(result.Otlp!.Succeeded, describe);
        }
    }
}
