using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using OtelTls.Engine.Diagnosis;
using OtelTls.Engine.Otlp;
using OtelTls.Engine.Endpoints;

namespace OtelTls.Engine.Tests;

/// <summary>The OTLP client against nginx, an independent TLS-terminating HTTP server.</summary>
public class OtlpClientNginxTests
{
    private const string Locations = """
        location = /v1/traces { return 200; }
        location = /auth/v1/traces { if ($http_authorization != "Bearer s3cret") { return 401; } return 200; }
        location = /busy/v1/traces { return 503; }
        location / { return 404; }
        """;

    private static ExportTarget Options(string endpoint, OtlpProtocol protocol, TestPki pki, string? caFile = null) => new()
    {
        Endpoint = EndpointParser.Parse(endpoint, protocol),
        TrustedAuthorities = pki.Trust(caFile ?? pki.RootFile),
        Timeout = TimeSpan.FromSeconds(10),
    };

    [Fact]
    public async Task HttpExportToNginxSucceedsWithTheRootCaAndReportsTheTlsSession()
    {
        using var pki = new TestPki();
        using var nginx = await pki.StartNginxAsync(Locations);
        var span = new OtlpTestSpan { ServiceName = "checkout", SpanName = "probe" };
        var result = await (Options($"https://{nginx.Authority}/v1/traces", OtlpProtocol.HttpProtobuf, pki)).SendAsync(span, CancellationToken.None);

        Assert.True(result.Succeeded, result.Message);
        Assert.Null(result.Finding);
        Assert.Equal(200, result.StatusCode);
        Assert.Equal(OtlpProtocol.HttpProtobuf, result.Protocol);
        Assert.Equal($"https://{nginx.Authority}/v1/traces", result.Url);
        Assert.Matches("^TLS 1\\.[23]$", result.TlsVersion);
        Assert.StartsWith("TLS_", result.CipherSuite);
        Assert.NotNull(result.PeerCertificateSubject);
        Assert.Equal(span.TraceIdHex, result.TraceId);
        Assert.Matches("^[0-9a-f]{32}$", result.TraceId);
        Assert.Matches("^[0-9a-f]{16}$", result.SpanId);
        Assert.Equal("checkout", result.ServiceName);
    }

    [Fact]
    public async Task ProbeSucceedsAndAnIntermediateAloneIsAnAnchor()
    {
        using var pki = new TestPki();
        using var nginx = await pki.StartNginxAsync(Locations);
        var probe = await (Options($"https://{nginx.Authority}/v1/traces", OtlpProtocol.HttpProtobuf, pki, pki.IntermediateFile)).ProbeAsync(CancellationToken.None);

        Assert.Null(probe.Finding);
        Assert.True(probe.Check.Ran);
        Assert.True(probe.Check.Succeeded);
        Assert.Equal(200, probe.Check.StatusCode);
        Assert.Equal(OtlpProtocol.HttpProtobuf, probe.Check.Protocol);
        Assert.True(probe.Check.Duration > TimeSpan.Zero);
    }

    [Theory]
    [InlineData("/v1/traces/v1/traces", "twice")]
    [InlineData("/otlp/v1/traces", "Nothing is served")]
    [InlineData("/v1/trace", "not that path")]
    public async Task WrongPathIsOtlpPathNotFoundWithTheReason(string path, string causeText)
    {
        using var pki = new TestPki();
        using var nginx = await pki.StartNginxAsync(Locations);
        var probe = await (Options($"https://{nginx.Authority}{path}", OtlpProtocol.HttpProtobuf, pki)).ProbeAsync(CancellationToken.None);

        Assert.False(probe.Check.Succeeded);
        Assert.Equal(404, probe.Check.StatusCode);
        var finding = Assert.IsType<OtlpFinding>(probe.Finding);
        Assert.Equal(OtlpFindingId.OtlpPathNotFound, finding.Id);
        Assert.Equal(OtlpStage.Otlp, finding.Stage);
        Assert.Equal(OtlpSeverity.Error, finding.Severity);
        Assert.Contains(path, finding.Message);
        Assert.Contains(causeText, finding.Cause);
        Assert.Contains("OTEL_EXPORTER_OTLP", finding.Remediation);
    }

    [Fact]
    public async Task UnauthenticatedNamesTheHeadersSentButNeverTheirValues()
    {
        using var pki = new TestPki();
        using var nginx = await pki.StartNginxAsync(Locations);
        var options = Options($"https://{nginx.Authority}/auth/v1/traces", OtlpProtocol.HttpProtobuf, pki);
        options.Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer wrong-token-value", ["X-Tenant"] = "tenant-secret" };

        var probe = await options.ProbeAsync(CancellationToken.None);
        var finding = Assert.IsType<OtlpFinding>(probe.Finding);
        Assert.Equal(OtlpFindingId.OtlpUnauthenticated, finding.Id);
        Assert.Equal(401, probe.Check.StatusCode);
        Assert.Contains("Authorization", finding.Message);
        Assert.Contains("X-Tenant", finding.Message);
        var everything = finding.Message + finding.Cause + finding.Remediation + finding.Evidence + probe.Check.Message;
        Assert.DoesNotContain("wrong-token-value", everything);
        Assert.DoesNotContain("tenant-secret", everything);

        options.Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer s3cret" };
        Assert.Null((await options.ProbeAsync(CancellationToken.None)).Finding);
    }

    [Fact]
    public async Task ServerErrorIsOtlpExportFailedWithTheStatus()
    {
        using var pki = new TestPki();
        using var nginx = await pki.StartNginxAsync(Locations);
        var probe = await (Options($"https://{nginx.Authority}/busy/v1/traces", OtlpProtocol.HttpProtobuf, pki)).ProbeAsync(CancellationToken.None);
        var finding = Assert.IsType<OtlpFinding>(probe.Finding);
        Assert.Equal(OtlpFindingId.OtlpExportFailed, finding.Id);
        Assert.Equal(503, probe.Check.StatusCode);
        Assert.Contains("HTTP 503", finding.Message);
    }

    [Fact]
    public async Task GrpcAgainstHttp11OnlyNginxIsOtlpWrongProtocol()
    {
        using var pki = new TestPki();
        using var nginx = await pki.StartNginxAsync(Locations, http2: false);
        var probe = await (Options(nginx.Authority, OtlpProtocol.Grpc, pki)).ProbeAsync(CancellationToken.None);

        var finding = Assert.IsType<OtlpFinding>(probe.Finding);
        Assert.True(finding.Id == OtlpFindingId.OtlpWrongProtocol, finding.Message + " | " + finding.Evidence);
        Assert.Contains("HTTP/2", finding.Message);
        Assert.Contains("4318", finding.Cause);
        Assert.Contains("http/protobuf", finding.Remediation);
        Assert.False(probe.Check.Succeeded);
    }

    [Fact]
    public async Task GrpcAgainstAnHttp2WebServerIsOtlpWrongProtocol()
    {
        using var pki = new TestPki();
        using var nginx = await pki.StartNginxAsync(Locations, http2: true);
        var probe = await (Options(nginx.Authority, OtlpProtocol.Grpc, pki)).ProbeAsync(CancellationToken.None);

        var finding = Assert.IsType<OtlpFinding>(probe.Finding);
        Assert.Equal(OtlpFindingId.OtlpWrongProtocol, finding.Id);
        Assert.Contains("plain HTTP response", finding.Message);
    }

    [Fact]
    public async Task UntrustedServerMeansTheExportNeverReachedOtlp()
    {
        using var pki = new TestPki();
        using var nginx = await pki.StartNginxAsync(Locations);
        var result = await Options($"https://{nginx.Authority}/v1/traces", OtlpProtocol.HttpProtobuf, pki, pki.OtherFile)
            .SendAsync(new OtlpTestSpan(), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Null(result.StatusCode);
        Assert.Contains("never reached OTLP", result.Message);
        Assert.Contains("does not chain", result.Message);
        Assert.Equal(OtlpFindingId.OtlpExportFailed, result.Finding!.Id);
        Assert.Contains("Test-OtlpTlsEndpoint", result.Finding.Remediation);
    }

    [Fact]
    public async Task ServerNameOverrideIsVerifiedAgainstTheCertificate()
    {
        using var pki = new TestPki();
        using var nginx = await pki.StartNginxAsync(Locations);
        var options = Options($"https://{nginx.Authority}/v1/traces", OtlpProtocol.HttpProtobuf, pki);
        options.ServerName = "otel-collector";
        Assert.True((await options.SendAsync(new OtlpTestSpan(), CancellationToken.None)).Succeeded);

        options.ServerName = "collector.example.com";
        var result = await options.SendAsync(new OtlpTestSpan(), CancellationToken.None);
        Assert.False(result.Succeeded);
        Assert.Contains("does not name 'collector.example.com'", result.Message);
    }

    [Fact]
    public async Task SystemTrustRejectsAPrivateCa()
    {
        using var pki = new TestPki();
        using var nginx = await pki.StartNginxAsync(Locations);
        var options = Options($"https://{nginx.Authority}/v1/traces", OtlpProtocol.HttpProtobuf, pki);
        options.TrustedAuthorities = null;
        var result = await options.SendAsync(new OtlpTestSpan(), CancellationToken.None);
        Assert.False(result.Succeeded);
        Assert.Contains("system store", result.Message);
    }

    [Fact]
    public async Task MutualTlsNginxAcceptsOurClientCertificateAndRejectsNone()
    {
        using var pki = new TestPki();
        using var nginx = await pki.StartNginxAsync(Locations, requireClientCertificate: true);
        var options = Options($"https://{nginx.Authority}/v1/traces", OtlpProtocol.HttpProtobuf, pki);

        var without = await options.ProbeAsync(CancellationToken.None);
        Assert.False(without.Check.Succeeded);
        Assert.Equal(400, without.Check.StatusCode);

        options.ClientCertificateFile = pki.ClientFile;
        options.ClientKeyFile = pki.ClientKeyFile;
        var with = await options.ProbeAsync(CancellationToken.None);
        Assert.True(with.Check.Succeeded, with.Check.Message);
    }
}

/// <summary>Bad input and bad networks: clear results or errors, within the time bound.</summary>
public class OtlpClientBadInputTests
{
    [Fact]
    public async Task UnreachableEndpointSaysNoConnection()
    {
        using var pki = new TestPki();
        var options = new ExportTarget { Endpoint = EndpointParser.Parse($"127.0.0.1:{LoopbackPorts.Free()}", OtlpProtocol.Grpc), TrustedAuthorities = pki.Trust(pki.RootFile) };
        var result = await options.SendAsync(new OtlpTestSpan(), CancellationToken.None);
        Assert.False(result.Succeeded);
        Assert.Null(result.StatusCode);
        Assert.Contains("no connection", result.Message);
        Assert.Contains("ConnectionRefused", result.Message);
        Assert.Equal(OtlpFindingId.OtlpExportFailed, result.Finding!.Id);
    }

    [Theory]
    [InlineData(OtlpProtocol.Grpc)]
    [InlineData(OtlpProtocol.HttpProtobuf)]
    public async Task SilentServerTimesOutWithinTheBound(OtlpProtocol protocol)
    {
        using var silent = RawServer.Silent();
        var options = new ExportTarget { Endpoint = EndpointParser.Parse($"127.0.0.1:{silent.Port}", protocol), Timeout = TimeSpan.FromSeconds(1.5) };
        var watch = Stopwatch.StartNew();
        var probe = await options.ProbeAsync(CancellationToken.None);
        watch.Stop();

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(8), $"took {watch.Elapsed}");
        Assert.False(probe.Check.Succeeded);
        Assert.Contains("within 1.5 s", probe.Check.Message);
        Assert.Contains("no TLS session", probe.Check.Message);
        Assert.Equal(OtlpFindingId.OtlpExportFailed, probe.Finding!.Id);
    }

    [Fact]
    public async Task CallerCancellationIsNotReportedAsATimeout()
    {
        using var silent = RawServer.Silent();
        var options = new ExportTarget { Endpoint = EndpointParser.Parse($"127.0.0.1:{silent.Port}", OtlpProtocol.HttpProtobuf), Timeout = TimeSpan.FromSeconds(30) };
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => options.ProbeAsync(cancel.Token));
    }

    [Theory]
    [InlineData("Bad Header")]
    [InlineData("x:y")]
    [InlineData("")]
    [InlineData("Content-Type")]
    public async Task InvalidHeaderNamesAreRejectedBeforeConnecting(string name)
    {
        var options = new ExportTarget
        {
            Endpoint = EndpointParser.Parse("127.0.0.1:1", OtlpProtocol.HttpProtobuf),
            Headers = new Dictionary<string, string> { [name] = "secret-value" },
        };
        var error = await Assert.ThrowsAsync<OtlpTlsException>(() => options.SendAsync(new OtlpTestSpan(), CancellationToken.None));
        Assert.Equal("InvalidHeaderName", error.ErrorId);
        Assert.Equal(OtlpErrorKind.InvalidArgument, error.Kind);
        Assert.DoesNotContain("secret-value", error.Message);
    }

    [Fact]
    public async Task HeaderValueWithALineBreakIsRejectedWithoutShowingIt()
    {
        var options = new ExportTarget
        {
            Endpoint = EndpointParser.Parse("127.0.0.1:1", OtlpProtocol.Grpc),
            Headers = new Dictionary<string, string> { ["authorization"] = "Bearer token-123\n" },
        };
        var error = await Assert.ThrowsAsync<OtlpTlsException>(() => options.ProbeAsync(CancellationToken.None));
        Assert.Equal("InvalidHeaderValue", error.ErrorId);
        Assert.DoesNotContain("token-123", error.Message);
    }

    [Fact]
    public async Task ClientCertificateProblemsAreErrorsBeforeConnecting()
    {
        using var pki = new TestPki();
        var options = new ExportTarget { Endpoint = EndpointParser.Parse("127.0.0.1:1", OtlpProtocol.HttpProtobuf), ClientCertificateFile = pki.ClientFile };
        Assert.Equal("ClientCertificatePairIncomplete", (await Assert.ThrowsAsync<OtlpTlsException>(() => options.ProbeAsync(CancellationToken.None))).ErrorId);

        options.ClientKeyFile = pki.ServerKeyFile;
        Assert.Equal("PrivateKeyMismatch", (await Assert.ThrowsAsync<OtlpTlsException>(() => options.ProbeAsync(CancellationToken.None))).ErrorId);

        options.ClientCertificateFile = null;
        Assert.Equal("ClientCertificatePairIncomplete", (await Assert.ThrowsAsync<OtlpTlsException>(() => options.ProbeAsync(CancellationToken.None))).ErrorId);
    }
}
