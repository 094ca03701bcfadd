using OtelTls.Engine.Client;
using System;
using System.Threading;
using System.Threading.Tasks;
using System.IO;
using System.Linq;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using OtelTls.Engine.Certificates;
using OtelTls.Engine.Diagnosis;
using OtelTls.Engine.Endpoints;

namespace OtelTls.Engine.Tests;

/// <summary>The diagnosis against independent servers (openssl s_server and raw sockets); the lab covers the full catalog.</summary>
public sealed class EndpointDiagnoserTests : IDisposable
{
    private readonly TempDirectory dir = new();
    private readonly IssuedCertificate root;
    private readonly IssuedCertificate client;

    public EndpointDiagnoserTests()
    {
        root = CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.CA, CommonName = "Diag Root" });
        var server = CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.Server, DnsNames = { "localhost" }, IPAddresses = { "127.0.0.1" }, Signer = root });
        client = CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.Client, CommonName = "exporter", Signer = root });
        CertificateFiles.WriteCertificateAndKey(root, dir.File("ca.crt"), dir.File("ca.key"), force: false);
        CertificateFiles.WriteCertificateAndKey(server, dir.File("server.crt"), dir.File("server.key"), force: false);
        CertificateFiles.WriteCertificateAndKey(client, dir.File("client.crt"), dir.File("client.key"), force: false);
    }

    public void Dispose() => dir.Dispose();

    private DiagnosisOptions Options(bool trustCa = true, bool withClient = false, string? keyFile = null, double timeoutSeconds = 10) => new()
    {
        Client = new OtlpClientSettings(
            trustCa ? CertificateReader.ReadFile(dir.File("ca.crt")) : null,
            withClient || keyFile is not null ? dir.File("client.crt") : null,
            keyFile ?? (withClient ? dir.File("client.key") : null),
            timeout: TimeSpan.FromSeconds(timeoutSeconds)),
        SkipExport = true,
    };

    [Fact]
    public async Task HealthyOpenSslServerHasNoErrorAndRecordsTheHandshake()
    {
        using var server = OpenSslServer.Start(dir, "-alpn h2");
        var result = await EndpointDiagnoser.DiagnoseAsync($"127.0.0.1:{server.Port}", Options(), CancellationToken.None);

        Assert.DoesNotContain(result.Findings, f => f.Severity == OtlpSeverity.Error);
        Assert.True(result.Tls!.HandshakeSucceeded);
        Assert.Equal("TLS 1.3", result.Tls.Version);
        Assert.Equal("h2", result.Tls.Alpn);
        Assert.StartsWith("TLS_", result.Tls.CipherSuite);
        Assert.Equal("CN=localhost", result.Chain[0].Subject);
        Assert.Contains(result.Tls.VersionSupport, v => v.Version == "TLS 1.2" && v.Supported == true);
        Assert.True(result.Platform!.Succeeded, result.Platform.Message);
        Assert.True(result.Platform.AgreesWithProbe);
        Assert.Contains("-CAfile", result.OpenSslCommand);
    }

    [Fact]
    public async Task UnknownAuthorityWithoutTheCaAndTheDotNetStackAgrees()
    {
        using var server = OpenSslServer.Start(dir, "-alpn h2");
        var result = await EndpointDiagnoser.DiagnoseAsync($"127.0.0.1:{server.Port}", Options(trustCa: false), CancellationToken.None);

        Assert.Equal(OtlpStatus.Failed, result.Status);
        Assert.Equal(OtlpFindingId.UnknownAuthority, result.Findings[0].Id);
        Assert.False(result.Platform!.Succeeded);
        Assert.True(result.Platform.AgreesWithProbe);
    }

    [Theory]
    [InlineData("-tls1_3")]
    [InlineData("-tls1_2")]
    public async Task MutualTlsRequiredNamesTheAcceptedCaAndAcceptsTheRightClient(string version)
    {
        using var server = OpenSslServer.Start(dir, $"-alpn h2 -Verify 1 -verify_return_error -CAfile ca.crt {version}");
        var without = await EndpointDiagnoser.DiagnoseAsync($"127.0.0.1:{server.Port}", Options(), CancellationToken.None);
        var required = Assert.Single(without.Findings, f => f.Severity == OtlpSeverity.Error);
        Assert.Equal(OtlpFindingId.ClientCertificateRequired, required.Id);
        Assert.Contains("CN=Diag Root", without.ClientAuth!.AcceptableAuthorities);

        var with = await EndpointDiagnoser.DiagnoseAsync($"127.0.0.1:{server.Port}", Options(withClient: true), CancellationToken.None);
        Assert.DoesNotContain(with.Findings, f => f.Severity == OtlpSeverity.Error);
        Assert.True(with.ClientAuth!.CertificateSent);
        Assert.True(with.ClientAuth.Accepted);
    }

    [Fact]
    public async Task A_TLS_server_that_selects_h2_but_sends_no_SETTINGS_is_named_without_waiting_for_the_export_timeout()
    {
        // openssl s_server -www advertises h2 but answers only HTTP/1.0 GET lines: the HTTP/2 preface gets nothing back,
        // the HTTP/1.1 request the probe sends after a short silence gets s_server's HTTP/1.0 status page.
        using var server = OpenSslServer.Start(dir, "-www -alpn h2");
        var options = Options();
        options.SkipExport = false;
        var result = await EndpointDiagnoser.DiagnoseAsync($"127.0.0.1:{server.Port}", options, CancellationToken.None);

        var finding = Assert.Single(result.Findings, f => f.Severity == OtlpSeverity.Error);
        Assert.Equal(OtlpFindingId.NotAnHttp2Server, finding.Id);
        Assert.Equal(OtlpStage.Otlp, finding.Stage);
        Assert.Contains("not an HTTP/2 server", finding.Message);
        Assert.Contains("HTTP/1.1 request", finding.Message);
        Assert.Contains("HTTP/1.x (HTTP/1.0 200 ok)", finding.Message);
        Assert.Equal("h2", result.Tls!.Alpn);
        // Judged from the probe's own connection: the export, which would wait its whole timeout, is never started
        // (how long the judgement takes is measured by tests/perf --silent-peers, not asserted here).
        Assert.False(result.Otlp!.Ran);
        Assert.Contains("NotAnHttp2Server", result.Otlp.Message);
    }

    [Fact]
    public async Task A_TLS_server_that_selects_h2_and_never_answers_anything_is_named_after_the_silence_window()
    {
        // openssl s_server without -www prints what it receives and sends nothing: total silence, the one case that waits.
        using var server = OpenSslServer.Start(dir, "-alpn h2");
        var options = Options();
        options.SkipExport = false;
        var result = await EndpointDiagnoser.DiagnoseAsync($"127.0.0.1:{server.Port}", options, CancellationToken.None);

        var finding = Assert.Single(result.Findings, f => f.Severity == OtlpSeverity.Error);
        Assert.Equal(OtlpFindingId.NotAnHttp2Server, finding.Id);
        Assert.Contains("answered the HTTP/2 connection preface with nothing within", finding.Message);
        Assert.False(result.Otlp!.Ran);
    }

    [Fact]
    public async Task A_healthy_mTLS_peer_that_sends_nothing_after_the_handshake_is_accepted_by_probe_and_platform_reading_side_by_side()
    {
        using var server = OpenSslServer.Start(dir, "-alpn h2 -Verify 1 -verify_return_error -CAfile ca.crt -tls1_3");
        var result = await EndpointDiagnoser.DiagnoseAsync($"127.0.0.1:{server.Port}", Options(withClient: true), CancellationToken.None);

        Assert.DoesNotContain(result.Findings, f => f.Severity == OtlpSeverity.Error);
        Assert.True(result.ClientAuth!.Accepted);
        // s_server serves one connection at a time: the platform check's handshake waits for the probe's verdict window
        // to end, and its own read then shares that window's end instead of waiting a second one (tests/perf --silent-peers).
        Assert.True(result.Platform!.Succeeded, result.Platform.Message);
        Assert.True(result.Platform.AgreesWithProbe);
    }

    [Fact]
    public async Task AClientKeyThatIsNotTheCertificatesIsAFindingAndTheCertificateIsNotSent()
    {
        using var server = OpenSslServer.Start(dir, "-alpn h2 -Verify 1 -verify_return_error -CAfile ca.crt");
        var options = Options(keyFile: dir.File("server.key"));
        var result = await EndpointDiagnoser.DiagnoseAsync($"127.0.0.1:{server.Port}", options, CancellationToken.None);

        Assert.Contains(result.Findings, f => f.Id == OtlpFindingId.ClientKeyMismatch && f.Severity == OtlpSeverity.Error);
        Assert.Contains(result.Findings, f => f.Id == OtlpFindingId.ClientCertificateRequired);
        Assert.False(result.ClientAuth!.CertificateSent);
        Assert.DoesNotContain("PRIVATE KEY", string.Join(" ", result.Findings.Select(f => f.Message + f.Evidence + f.Remediation)));
    }

    [Fact]
    public async Task PlaintextHttpServerIsTlsNotEnabled()
    {
        using var server = RawServer.Start(async (socket, _) => await socket.SendAsync(Encoding.ASCII.GetBytes("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")));
        var result = await EndpointDiagnoser.DiagnoseAsync($"127.0.0.1:{server.Port}", Options(), CancellationToken.None);
        Assert.Equal(OtlpFindingId.TlsNotEnabled, result.Findings[0].Id);
        Assert.Equal(OtlpSeverity.Error, result.Findings[0].Severity);
        Assert.Contains("HTTP/1.1 400 Bad Request", result.Tls!.PlaintextKind);
        Assert.False(result.Tls.IsTls);
    }

    [Fact]
    public async Task SilentServerEndsWithinTheTimeout()
    {
        using var server = RawServer.Silent();
        var options = Options(timeoutSeconds: 1);
        var watch = Stopwatch.StartNew();
        var result = await EndpointDiagnoser.DiagnoseAsync($"127.0.0.1:{server.Port}", options, CancellationToken.None);
        Assert.Equal(OtlpFindingId.HandshakeTimedOut, result.Findings[0].Id);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task AServerThatStallsMidHandshakeIsToldFromOneThatNeverAnswers()
    {
        // The first bytes of a TLS handshake record, then nothing.
        using var server = RawServer.Start(async (socket, token) =>
        {
            await socket.SendAsync(new byte[] { 0x16, 0x03, 0x03, 0x00, 0x40, 0x02 });
            await Task.Delay(Timeout.Infinite, token);
        });
        var options = Options(timeoutSeconds: 1);
        var result = await EndpointDiagnoser.DiagnoseAsync($"127.0.0.1:{server.Port}", options, CancellationToken.None);
        Assert.Equal(OtlpFindingId.HandshakeTimedOut, result.Findings[0].Id);
        Assert.Contains("started the TLS handshake", result.Findings[0].Message);
    }

    [Fact]
    public async Task ClosedPortIsConnectionRefused()
    {
        var port = LoopbackPorts.Free();
        var result = await EndpointDiagnoser.DiagnoseAsync($"127.0.0.1:{port}", Options(), CancellationToken.None);
        Assert.Equal(OtlpFindingId.ConnectionRefused, Assert.Single(result.Findings).Id);
        Assert.Null(result.Tls);
    }

    [Fact]
    public async Task UnknownHostIsDnsResolutionFailed()
    {
        var result = await EndpointDiagnoser.DiagnoseAsync("no-such-host.invalid:4317", Options(), CancellationToken.None);
        Assert.Equal(OtlpFindingId.DnsResolutionFailed, Assert.Single(result.Findings).Id);
    }

    [Fact]
    public async Task CancellationStopsASilentServerPromptly()
    {
        using var server = RawServer.Silent();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => EndpointDiagnoser.DiagnoseAsync($"127.0.0.1:{server.Port}", Options(), cancel.Token));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3));
    }

    [Fact]
    public void OpenSslCommandReproducesTheProbe()
    {
        var options = Options(withClient: true);
        options.TlsVersions = new[] { OtlpTlsVersion.Tls12 };
        var command = EndpointDiagnoser.OpenSslCommand(EndpointParser.Parse("collector:4317"), options);
        Assert.Contains("-connect collector:4317 -servername collector -verify_hostname collector", command);
        Assert.Contains("-alpn h2", command);
        Assert.Contains("-tls1_2", command);
        Assert.Contains("-cert ", command);
    }
}
