using OtelTls.Engine.Client;
using System;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using OtelTls;
using OtelTls.Engine.Certificates;
using OtelTls.Engine.Diagnosis;
using OtelTls.Engine.Otlp;
using OtelTls.Lab;
using OtelTls.Engine.Endpoints;

namespace OtelTls.Perf;

/// <summary>
/// What one <c>Send-OtlpTestSpan</c> costs end to end on loopback: a new TCP connection, the TLS handshake (TLS 1.3,
/// custom CA chain validation; with mTLS also loading the client certificate and key), one export request and its
/// answer, against the lab's Kestrel receivers (which decode and count the span). The diagnosis's empty export
/// (<see cref="OtlpClient.ProbeAsync"/>) is measured too.
/// </summary>
// Loopback on a small shared machine is noisy: the median and minimum say more than the mean.
[MemoryDiagnoser]
[MedianColumn]
[MinColumn]
public class OtlpExportBenchmarks
{
    private LabScenario _tls = null!;
    private LabScenario _mtls = null!;

    /// <summary><c>grpc</c> or <c>http/protobuf</c>.</summary>
    [Params("grpc", "http/protobuf")]
    public string Protocol { get; set; } = "grpc";

    /// <summary>With a client certificate (the mtls-required-with-client-cert scenario).</summary>
    [Params(false, true)]
    public bool MutualTls { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _tls = LabScenario.StartAsync("healthy").GetAwaiter().GetResult();
        _mtls = LabScenario.StartAsync("mtls-required-with-client-cert").GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _tls.Dispose();
        _mtls.Dispose();
    }

    /// <summary>One span, as Send-OtlpTestSpan sends it.</summary>
    [Benchmark(Baseline = true)]
    public async Task<bool> SendOneSpan()
    {
        var result = await SendAsync(new OtlpTestSpan(), CancellationToken.None);
        return result.Succeeded ? true : throw new InvalidOperationException(result.Message);
    }

    /// <summary>The diagnosis's empty export request.</summary>
    [Benchmark]
    public async Task<bool> ProbeEmptyExport()
    {
        var probe = await ProbeAsync();
        return probe.Check.Succeeded == true ? true : throw new InvalidOperationException(probe.Check.Message);
    }

    private async Task<OtlpExportResult> SendAsync(OtlpTestSpan span, CancellationToken token)
    {
        var (endpoint, settings) = Target();
        using (settings)
        {
            return await OtlpClient.SendTestSpanAsync(endpoint, settings, span, token);
        }
    }

    private async Task<OtlpExportProbeResult> ProbeAsync()
    {
        var (endpoint, settings) = Target();
        using (settings)
        {
            return await OtlpClient.ProbeAsync(endpoint, settings, CancellationToken.None);
        }
    }

    /// <summary>What one Send-OtlpTestSpan command builds: the endpoint and its settings, files read afresh.</summary>
    private (OtlpEndpoint, OtlpClientSettings) Target()
    {
        var lab = MutualTls ? _mtls : _tls;
        return (EndpointParser.Parse(lab.Endpoint, Protocol == "grpc" ? OtlpProtocol.Grpc : OtlpProtocol.HttpProtobuf),
            new OtlpClientSettings(CertificateReader.ReadFile(lab.CaFile), MutualTls ? lab.ClientCertificateFile : null, MutualTls ? lab.ClientKeyFile : null));
    }
}
