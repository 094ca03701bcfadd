using OtelTls.Engine.Client;
using System;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using OtelTls.Engine.Certificates;
using OtelTls.Engine.Diagnosis;
using OtelTls.Lab;

namespace OtelTls.Perf;

/// <summary>
/// One diagnosis of a healthy lab endpoint (TLS 1.3, ALPN h2, custom CA): every stage (version sweep, platform check,
/// empty gRPC export), and the probe's handshake alone (what <c>Get-OtlpCertificate -Endpoint</c> does).
/// </summary>
[MemoryDiagnoser]
public class DiagnosisBenchmarks
{
    private LabScenario _lab = null!;
    private DiagnosisOptions _full = null!;
    private DiagnosisOptions _handshakeOnly = null!;

    [GlobalSetup]
    public void Setup()
    {
        _lab = LabScenario.StartAsync("healthy").GetAwaiter().GetResult();
        var trusted = CertificateReader.ReadFile(_lab.CaFile);
        _full = new DiagnosisOptions { Client = new OtlpClientSettings(trusted) };
        _handshakeOnly = new DiagnosisOptions { Client = new OtlpClientSettings(trusted), HandshakeOnly = true };
    }

    [GlobalCleanup]
    public void Cleanup() => _lab.Dispose();

    /// <summary>Test-OtlpTlsEndpoint on one endpoint.</summary>
    [Benchmark(Baseline = true)]
    public Task<OtlpTlsDiagnosis> FullDiagnosis() => Diagnose(_full);

    /// <summary>Connect and one probe handshake.</summary>
    [Benchmark]
    public Task<OtlpTlsDiagnosis> HandshakeOnly() => Diagnose(_handshakeOnly);

    private async Task<OtlpTlsDiagnosis> Diagnose(DiagnosisOptions options)
    {
        var result = await EndpointDiagnoser.DiagnoseAsync(_lab.Endpoint, options, CancellationToken.None);
        return result.Status == OtlpStatus.Healthy ? result : throw new InvalidOperationException(result.Summary);
    }
}
