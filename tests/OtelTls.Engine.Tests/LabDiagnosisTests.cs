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
}
