using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using OtelTls.Engine.Certificates;
using OtelTls.Engine.Diagnosis;
using OtelTls.Engine.Otlp;
using OtelTls.Lab;
using OtelTls.Engine.Endpoints;

namespace OtelTls.Engine.Tests;

/// <summary>The OTLP client against the lab's Kestrel receivers, which decode and count what arrives.</summary>
public class OtlpClientLabTests
{
    private static ExportTarget Options(LabScenario lab, OtlpProtocol protocol, bool clientCertificate = false) => new()
    {
        Endpoint = EndpointParser.Parse(lab.Endpoint, protocol),
        TrustedAuthorities = CertificateReader.ReadFile(lab.CaFile),
        ClientCertificateFile = clientCertificate ? lab.ClientCertificateFile : null,
        ClientKeyFile = clientCertificate ? lab.ClientKeyFile : null,
        Timeout = TimeSpan.FromSeconds(10),
    };

    [Theory]
    [InlineData("healthy", OtlpProtocol.Grpc, false)]
    [InlineData("healthy", OtlpProtocol.HttpProtobuf, false)]
    [InlineData("mtls-required-with-client-cert", OtlpProtocol.Grpc, true)]
    [InlineData("mtls-required-with-client-cert", OtlpProtocol.HttpProtobuf, true)]
    public async Task SpansArriveDecodedWithTheTraceId(string scenario, OtlpProtocol protocol, bool mtls)
    {
        await using var lab = await LabScenario.StartAsync(scenario);
        var span = new OtlpTestSpan { SpanName = "lab span", Attributes = new Dictionary<string, object?> { ["run"] = 1L, ["ok"] = true } };
        var result = await (Options(lab, protocol, mtls)).SendAsync(span, CancellationToken.None);

        Assert.True(result.Succeeded, result.Message + " | " + result.Finding?.Evidence);
        Assert.Equal(protocol == OtlpProtocol.Grpc ? 0 : 200, result.StatusCode);
        Assert.Equal(0, result.RejectedCount);
        Assert.Equal(1, lab.ReceivedSpanCount);
        Assert.Contains(span.TraceIdHex, lab.ReceivedTraceIds, StringComparer.OrdinalIgnoreCase);
        Assert.NotNull(result.TlsVersion);
        Assert.NotNull(result.CipherSuite);
        Assert.Equal(protocol == OtlpProtocol.Grpc ? "h2" : result.Alpn, result.Alpn);
    }

    [Fact]
    public async Task MutualTlsWithoutAClientCertificateNeverReachesOtlp()
    {
        await using var lab = await LabScenario.StartAsync("mtls-required");
        var result = await (Options(lab, OtlpProtocol.Grpc)).SendAsync(new OtlpTestSpan(), CancellationToken.None);
        Assert.False(result.Succeeded);
        Assert.Equal(0, lab.ReceivedSpanCount);
        Assert.Equal(OtlpFindingId.OtlpExportFailed, result.Finding!.Id);
        Assert.Contains("asked for a client certificate", result.Message);
        Assert.Contains("-ClientCertificate", result.Finding.Remediation);
        Assert.Contains("Test-OtlpTlsEndpoint", result.Finding.Remediation);
    }

    [Theory]
    [InlineData(OtlpProtocol.Grpc)]
    [InlineData(OtlpProtocol.HttpProtobuf)]
    public async Task ProbeSucceedsOnHealthyAndWritesNothing(OtlpProtocol protocol)
    {
        await using var lab = await LabScenario.StartAsync("healthy");
        var probe = await (Options(lab, protocol)).ProbeAsync(CancellationToken.None);
        Assert.Null(probe.Finding);
        Assert.True(probe.Check.Succeeded, probe.Check.Message);
        Assert.Equal(1, lab.ExportRequestCount);
        Assert.Equal(0, lab.ReceivedSpanCount);
    }

    [Theory]
    [InlineData("grpc-unimplemented", OtlpProtocol.Grpc, "OtlpPathNotFound", 12)]
    [InlineData("grpc-unimplemented", OtlpProtocol.HttpProtobuf, "OtlpPathNotFound", 404)]
    [InlineData("http-404", OtlpProtocol.HttpProtobuf, "OtlpPathNotFound", 404)]
    [InlineData("unauthenticated-grpc", OtlpProtocol.Grpc, "OtlpUnauthenticated", 16)]
    [InlineData("unauthenticated-http", OtlpProtocol.HttpProtobuf, "OtlpUnauthenticated", 401)]
    [InlineData("alpn-http11", OtlpProtocol.Grpc, "OtlpWrongProtocol", null)]
    public async Task ProbeGivesEachOtlpFinding(string scenario, OtlpProtocol protocol, string findingId, int? status)
    {
        await using var lab = await LabScenario.StartAsync(scenario);
        var probe = await (Options(lab, protocol)).ProbeAsync(CancellationToken.None);
        var finding = Assert.IsType<OtlpFinding>(probe.Finding);
        Assert.True(findingId == finding.Id, finding + " | " + finding.Evidence);
        Assert.Equal(status, probe.Check.StatusCode);
        Assert.False(probe.Check.Succeeded);
        Assert.Equal(OtlpStage.Otlp, finding.Stage);
    }

    [Theory]
    [InlineData(OtlpProtocol.Grpc)]
    [InlineData(OtlpProtocol.HttpProtobuf)]
    public async Task TheRequiredHeaderGetsThrough(OtlpProtocol protocol)
    {
        await using var lab = await LabScenario.StartAsync(protocol == OtlpProtocol.Grpc ? "unauthenticated-grpc" : "unauthenticated-http");
        var options = Options(lab, protocol);
        options.Headers = new Dictionary<string, string> { [lab.RequiredHeaderName!] = lab.RequiredHeaderValue! };
        var result = await options.SendAsync(new OtlpTestSpan(), CancellationToken.None);
        Assert.True(result.Succeeded, result.Message);
        Assert.Equal(1, lab.ReceivedSpanCount);
    }

    [Theory]
    [InlineData(OtlpProtocol.Grpc)]
    [InlineData(OtlpProtocol.HttpProtobuf)]
    public async Task PartialSuccessIsReadAndIsAWarning(OtlpProtocol protocol)
    {
        await using var lab = await LabScenario.StartAsync("partial-success");
        var result = await (Options(lab, protocol)).SendAsync(new OtlpTestSpan(), CancellationToken.None);
        Assert.True(result.Succeeded, result.Message);
        Assert.Equal(1, result.RejectedCount);
        Assert.Equal(OtlpFindingId.OtlpPartialSuccess, result.Finding!.Id);
        Assert.Equal(OtlpSeverity.Warning, result.Finding.Severity);
        Assert.Contains("rejected 1 span", result.Message);
    }

    [Theory]
    [InlineData("plaintext-h2c", OtlpProtocol.Grpc)]
    [InlineData("plaintext-http", OtlpProtocol.HttpProtobuf)]
    public async Task HttpSchemeMeansPlaintextAndTheSpanArrives(string scenario, OtlpProtocol protocol)
    {
        await using var lab = await LabScenario.StartAsync(scenario);
        var options = new ExportTarget { Endpoint = EndpointParser.Parse("http://" + lab.Endpoint, protocol) };
        var span = new OtlpTestSpan();
        var result = await options.SendAsync(span, CancellationToken.None);
        Assert.True(result.Succeeded, result.Message);
        Assert.Null(result.TlsVersion);
        Assert.StartsWith("http://", result.Url);
        Assert.Contains(span.TraceIdHex, lab.ReceivedTraceIds, StringComparer.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("plaintext-h2c", OtlpProtocol.Grpc)]
    [InlineData("plaintext-http", OtlpProtocol.HttpProtobuf)]
    public async Task TlsToAPlaintextServerSaysSo(string scenario, OtlpProtocol protocol)
    {
        await using var lab = await LabScenario.StartAsync(scenario);
        var probe = await new ExportTarget { Endpoint = EndpointParser.Parse(lab.Endpoint, protocol), Timeout = TimeSpan.FromSeconds(5) }.ProbeAsync(
            CancellationToken.None);
        var finding = Assert.IsType<OtlpFinding>(probe.Finding);
        Assert.Equal(OtlpFindingId.OtlpExportFailed, finding.Id);
        Assert.Contains("never reached OTLP", finding.Message);
        Assert.True(finding.Cause.Contains("plaintext"), finding.Message + " | " + finding.Cause + " | " + finding.Evidence);
        Assert.Contains("http://", finding.Remediation);
    }

    [Theory]
    [InlineData(OtlpSignal.Metrics, OtlpProtocol.Grpc)]
    [InlineData(OtlpSignal.Metrics, OtlpProtocol.HttpProtobuf)]
    [InlineData(OtlpSignal.Logs, OtlpProtocol.Grpc)]
    [InlineData(OtlpSignal.Logs, OtlpProtocol.HttpProtobuf)]
    public async Task MetricsAndLogsArriveAtTheirOwnService(OtlpSignal signal, OtlpProtocol protocol)
    {
        await using var lab = await LabScenario.StartAsync("healthy");
        var options = Options(lab, protocol);
        options.Endpoint = EndpointParser.Parse(lab.Endpoint, protocol, signal);
        var result = await options.SendAsync(new OtlpTestSpan { Signal = signal }, CancellationToken.None);

        Assert.True(result.Succeeded, result.Message);
        Assert.Equal(signal, result.Signal);
        Assert.Equal(signal == OtlpSignal.Metrics ? 1 : 0, lab.ReceivedMetricCount);
        Assert.Equal(signal == OtlpSignal.Logs ? 1 : 0, lab.ReceivedLogRecordCount);
        Assert.Equal(0, lab.ReceivedSpanCount);
        if (protocol == OtlpProtocol.HttpProtobuf)
        {
            Assert.EndsWith("/v1/" + signal.ToString().ToLowerInvariant(), result.Url);
        }
    }

    [Fact]
    public async Task PartialSuccessOfLogsCountsLogRecords()
    {
        await using var lab = await LabScenario.StartAsync("partial-success");
        var options = Options(lab, OtlpProtocol.HttpProtobuf);
        options.Endpoint = EndpointParser.Parse(lab.Endpoint, OtlpProtocol.HttpProtobuf, OtlpSignal.Logs);
        var result = await options.SendAsync(new OtlpTestSpan { Signal = OtlpSignal.Logs }, CancellationToken.None);
        Assert.Equal(1, result.RejectedCount);
        Assert.Contains("rejected 1 log record(s)", result.Message);
    }

    [Fact]
    public async Task AnUnknownSignalIsAnArgumentError()
    {
        var options = new ExportTarget { Endpoint = EndpointParser.Parse("127.0.0.1:1", OtlpProtocol.Grpc) };
        var error = await Assert.ThrowsAsync<OtlpTlsException>(() => options.SendAsync(new OtlpTestSpan { Signal = (OtlpSignal)3 }, CancellationToken.None));
        Assert.Equal("InvalidSignal", error.ErrorId);
    }
}
