using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using OtelTls.Engine.Certificates;
using OtelTls.Engine.Diagnosis;
using OtelTls.Engine.Client;

namespace OtelTls.Engine.Tests;

/// <summary>
/// Servers that stall or wait: -TimeoutSec is one deadline per endpoint covering every stage (a correctness bound with a
/// margin, not a performance claim), and a plaintext receiver asked for with http:// gets the export it deserves.
/// </summary>
public sealed class HostileServerTests : IDisposable
{
    // Process start, JIT and the scheduler on a busy 2-core machine: the bound is TimeoutSec plus this.
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(1.5);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);
    private readonly TempDirectory dir = new();
    private readonly X509Certificate2 serverCertificate;

    public HostileServerTests()
    {
        var root = CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.CA, CommonName = "Hostile Root" });
        var server = CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.Server, DnsNames = { "localhost" }, IPAddresses = { "127.0.0.1" }, Signer = root });
        CertificateFiles.WriteCertificateAndKey(root, dir.File("ca.crt"), dir.File("ca.key"), force: false);
        CertificateFiles.WriteCertificateAndKey(server, dir.File("server.crt"), dir.File("server.key"), force: false);
        serverCertificate = X509Certificate2.CreateFromPemFile(dir.File("server.crt"), dir.File("server.key"));
    }

    public void Dispose()
    {
        serverCertificate.Dispose();
        dir.Dispose();
    }

    /// <summary>The diagnosis's -Verbose lines, each with the milliseconds since the options were made: a bound that is
    /// missed says which stage took the time (one run missed it by a whole TimeoutSec, once, on a loaded machine).</summary>
    private readonly ConcurrentQueue<string> narration = new();

    private DiagnosisOptions Options(TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        return new()
        {
            Client = new OtlpClientSettings(CertificateReader.ReadFile(dir.File("ca.crt")), timeout: timeout ?? Timeout),
            Narrate = line => narration.Enqueue($"{clock.ElapsedMilliseconds,6} ms {line}"),
        };
    }

    private string Narrated => "\n" + string.Join("\n", narration) + $"\n(thread pool: {ThreadPool.ThreadCount} threads, {ThreadPool.PendingWorkItemCount} items waiting)";

    /// <summary>Sends only the first TLS record it is given (the ServerHello), then swallows everything: a peer that stalls mid-handshake.</summary>
    private sealed class FirstRecordOnly(Stream inner) : Stream
    {
        private readonly MemoryStream pending = new();
        private bool stalled;

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (stalled)
            {
                return;
            }

            pending.Write(buffer.Span);
            var bytes = pending.GetBuffer();
            if (pending.Length >= 5 && pending.Length >= 5 + ((bytes[3] << 8) | bytes[4]))
            {
                stalled = true;
                await inner.WriteAsync(bytes.AsMemory(0, 5 + ((bytes[3] << 8) | bytes[4])), cancellationToken);
                await inner.FlushAsync(cancellationToken);
            }
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override void Flush() { }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }

    private RawServer TlsServer(bool stallAfterServerHello) => RawServer.Start(async (socket, token) =>
    {
        Stream network = new NetworkStream(socket, ownsSocket: false);
        if (stallAfterServerHello)
        {
            network = new FirstRecordOnly(network);
        }

        using var tls = new SslStream(network);
        await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
        {
            ServerCertificate = serverCertificate,
            ApplicationProtocols = new() { SslApplicationProtocol.Http2, SslApplicationProtocol.Http11 },
        }, token);

        // Handshake done: read the request and never answer (a receiver whose pipeline is stuck).
        var buffer = new byte[4096];
        while (await tls.ReadAsync(buffer, token) > 0)
        {
        }
    });

    [Fact]
    [Trait("Reliability", "HostileServer")]
    public async Task A_server_that_sends_its_hello_then_stalls_is_diagnosed_within_TimeoutSec()
    {
        using var server = TlsServer(stallAfterServerHello: true);
        var options = Options(); // reading the CA file is not part of the bound
        var watch = Stopwatch.StartNew();
        var result = await EndpointDiagnoser.DiagnoseAsync($"127.0.0.1:{server.Port}", options, CancellationToken.None);
        watch.Stop();

        var findings = string.Join("; ", result.Findings.Select(f => f.Id + ": " + f.Message));
        Assert.True(result.Findings.First(f => f.Severity == OtlpSeverity.Error).Id == OtlpFindingId.HandshakeTimedOut, findings);
        Assert.True(watch.Elapsed < Timeout + Margin, $"took {watch.Elapsed.TotalSeconds:F1} s with -TimeoutSec {Timeout.TotalSeconds}{Narrated}");
    }

    [Fact]
    [Trait("Reliability", "HostileServer")]
    public async Task A_receiver_that_completes_TLS_but_never_answers_the_export_is_diagnosed_within_TimeoutSec()
    {
        using var server = TlsServer(stallAfterServerHello: false);
        var options = Options();
        var watch = Stopwatch.StartNew();
        var result = await EndpointDiagnoser.DiagnoseAsync($"https://localhost:{server.Port}/v1/traces", options, CancellationToken.None);
        watch.Stop();

        var findings = string.Join("; ", result.Findings.Select(f => f.Id + ": " + f.Message));
        Assert.True(result.Tls!.HandshakeSucceeded, findings);
        Assert.True(watch.Elapsed < Timeout + Margin, $"took {watch.Elapsed.TotalSeconds:F1} s with -TimeoutSec {Timeout.TotalSeconds}: {result.Otlp}; {findings}{Narrated}");
        Assert.NotEqual(true, result.Otlp!.Succeeded);
    }

    [Fact]
    [Trait("Reliability", "HostileServer")]
    public async Task A_silent_server_is_diagnosed_within_TimeoutSec()
    {
        using var server = RawServer.Silent();
        var options = Options();
        var watch = Stopwatch.StartNew();
        var result = await EndpointDiagnoser.DiagnoseAsync($"127.0.0.1:{server.Port}", options, CancellationToken.None);
        Assert.True(watch.Elapsed < Timeout + Margin, $"took {watch.Elapsed.TotalSeconds:F1} s{Narrated}");
        Assert.Contains(result.Findings, f => f.Id == OtlpFindingId.HandshakeTimedOut);
    }

    [Fact]
    [Trait("Reliability", "HostileServer")]
    public async Task A_plaintext_receiver_that_waits_for_a_whole_request_gets_the_export_when_http_is_asked_for()
    {
        var requests = 0;
        using var server = RawServer.Start(async (socket, token) =>
        {
            // An HTTP/1.1 server that reads a complete request before it answers anything (as Go's net/http does):
            // a TLS ClientHello never ends its headers, so it never gets an answer.
            using var stream = new NetworkStream(socket, ownsSocket: false);
            var received = new MemoryStream();
            var buffer = new byte[8192];
            int headerEnd;
            while ((headerEnd = IndexOf(received, "\r\n\r\n"u8)) < 0)
            {
                var read = await stream.ReadAsync(buffer, token);
                if (read == 0)
                {
                    return;
                }

                received.Write(buffer, 0, read);
            }

            var head = Encoding.ASCII.GetString(received.GetBuffer(), 0, headerEnd);
            var length = head.Split("\r\n").Where(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                .Select(l => int.Parse(l.Substring(15).Trim())).FirstOrDefault();
            while (received.Length < headerEnd + 4 + length)
            {
                var read = await stream.ReadAsync(buffer, token);
                if (read == 0)
                {
                    return;
                }

                received.Write(buffer, 0, read);
            }

            Interlocked.Increment(ref requests);
            await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: application/x-protobuf\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), token);
        });

        var result = await EndpointDiagnoser.DiagnoseAsync($"http://127.0.0.1:{server.Port}/v1/traces", new DiagnosisOptions { Client = new OtlpClientSettings(timeout: TimeSpan.FromSeconds(4)) }, CancellationToken.None);

        Assert.DoesNotContain(result.Findings, f => f.Id == OtlpFindingId.HandshakeTimedOut);
        var tls = Assert.Single(result.Findings, f => f.Id == OtlpFindingId.TlsNotEnabled);
        Assert.Equal(OtlpSeverity.Warning, tls.Severity);
        Assert.Contains("as the http:// endpoint asks", tls.Message);
        Assert.True(result.Otlp!.Ran, result.Otlp.Message);
        Assert.True(result.Otlp.Succeeded, result.Otlp.Message);
        Assert.Equal(200, result.Otlp.StatusCode);
        Assert.Equal(1, requests);
        Assert.True(result.IsHealthy);
    }

    [Fact]
    public async Task An_HTTP2_server_whose_SETTINGS_come_only_after_the_probes_HTTP1_request_is_still_an_HTTP2_server()
    {
        // A stand-in for a cold or overloaded HTTP/2 server: it stays silent after the preface until more bytes arrive
        // (the HTTP/1.1 request the probe sends after a short silence), then does what RFC 9113 requires of any HTTP/2
        // server, whatever follows the preface: SETTINGS first, then its complaint about the bytes (GOAWAY), then close.
        var extraBytes = 0;
        using var server = RawServer.Start(async (socket, token) =>
        {
            using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false));
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = serverCertificate,
                ApplicationProtocols = new() { SslApplicationProtocol.Http2 },
            }, token);
            var received = new MemoryStream();
            var buffer = new byte[4096];
            const int PrefaceAndSettings = 24 + 9;
            while (received.Length <= PrefaceAndSettings)
            {
                var read = await tls.ReadAsync(buffer, token);
                if (read == 0)
                {
                    return;
                }

                received.Write(buffer, 0, read);
            }

            Volatile.Write(ref extraBytes, (int)received.Length - PrefaceAndSettings);
            await tls.WriteAsync(new byte[] { 0, 0, 0, 4, 0, 0, 0, 0, 0 }, token); // SETTINGS
            await tls.WriteAsync(new byte[] { 0, 0, 8, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 6 }, token); // GOAWAY FRAME_SIZE_ERROR
        });

        var result = await TlsProbe.RunAsync(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, server.Port), new TlsProbeSettings
        {
            ApplicationProtocols = new[] { Org.BouncyCastle.Tls.ProtocolName.Http_2_Tls },
            CheckHttp2Settings = true,
            Timeout = TimeSpan.FromSeconds(10),
        }, CancellationToken.None);

        Assert.Equal(TlsProbeOutcome.Connected, result.Outcome);
        Assert.Equal("h2", result.ApplicationProtocol);
        Assert.NotNull(result.Http1RequestSentAfter);
        Assert.True(Volatile.Read(ref extraBytes) > 0, "the server answered before the probe's HTTP/1.1 request");
        Assert.Equal(Http2Answer.Settings, result.Http2);
    }

    /// <summary>
    /// The first connection (the probe's) gets the trusted certificate and an HTTP/2 SETTINGS frame; every later one a
    /// certificate from an unrelated CA: what the probe accepted, .NET then refuses.
    /// </summary>
    private RawServer ChangingCertificateServer(X509Certificate2 later, bool answerHttp2)
    {
        var connections = 0;
        return RawServer.Start(async (socket, token) =>
        {
            var first = Interlocked.Increment(ref connections) == 1;
            using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false));
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = first ? serverCertificate : later,
                ApplicationProtocols = new() { SslApplicationProtocol.Http2 },
            }, token);
            var buffer = new byte[4096];
            if (first && answerHttp2 && await tls.ReadAsync(buffer, token) > 0)
            {
                await tls.WriteAsync(new byte[] { 0, 0, 0, 4, 0, 0, 0, 0, 0 }, token); // SETTINGS
            }

            while (await tls.ReadAsync(buffer, token) > 0)
            {
            }
        });
    }

    private X509Certificate2 UnrelatedServerCertificate()
    {
        var root = CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.CA, CommonName = "Unrelated Root" });
        var server = CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.Server, DnsNames = { "localhost" }, IPAddresses = { "127.0.0.1" }, Signer = root });
        CertificateFiles.WriteCertificateAndKey(server, dir.File("unrelated.crt"), dir.File("unrelated.key"), force: false);
        return X509Certificate2.CreateFromPemFile(dir.File("unrelated.crt"), dir.File("unrelated.key"));
    }

    [Fact]
    public async Task When_the_exports_handshake_fails_where_the_probes_succeeded_the_platform_check_runs_on_its_own()
    {
        // The export's connection stands in for the platform check only when it is accepted. Here .NET refuses it: the
        // platform check then runs on a connection of its own, and its refusal is the disagreement; the export's own
        // failure stands beside it.
        using var later = UnrelatedServerCertificate();
        using var server = ChangingCertificateServer(later, answerHttp2: true);
        var result = await EndpointDiagnoser.DiagnoseAsync($"localhost:{server.Port}", Options(), CancellationToken.None);
        var describe = $"{string.Join("; ", result.Findings.Select(f => $"{f.Id}: {f.Message}"))}; platform: {result.Platform?.Message}; otlp: {result.Otlp?.Message}";

        Assert.True(result.Tls!.HandshakeSucceeded, describe);
        Assert.DoesNotContain(result.Findings, f => f.Id == OtlpFindingId.NotAnHttp2Server);
        Assert.Contains(result.Findings, f => f.Id == OtlpFindingId.PlatformDisagreement);
        Assert.True(result.Platform is { Succeeded: false, AgreesWithProbe: false }, describe);
        Assert.DoesNotContain("export's connection", result.Platform!.Message);
        Assert.Contains("RemoteCertificateChainErrors", result.Platform.Errors);
        Assert.True(result.Otlp is { Ran: true, Succeeded: false }, describe);
        Assert.Contains(result.Findings, f => f.Id == OtlpFindingId.OtlpExportFailed && f.Message.Contains("does not chain to the given CA", StringComparison.Ordinal));
    }

    [Fact]
    public async Task When_the_export_will_not_run_the_platform_check_still_runs_on_its_own()
    {
        // No SETTINGS frame: not an HTTP/2 server, so no export; the platform question is still answered (and here .NET
        // refuses the later certificate, which it can only know from a connection of its own).
        using var later = UnrelatedServerCertificate();
        using var server = ChangingCertificateServer(later, answerHttp2: false);
        var result = await EndpointDiagnoser.DiagnoseAsync($"localhost:{server.Port}", Options(), CancellationToken.None);
        var describe = $"{string.Join("; ", result.Findings.Select(f => $"{f.Id}: {f.Message}"))}; platform: {result.Platform?.Message}; otlp: {result.Otlp?.Message}";

        Assert.Contains(result.Findings, f => f.Id == OtlpFindingId.NotAnHttp2Server);
        Assert.True(result.Platform is { Succeeded: false }, describe);
        Assert.False(result.Otlp!.Ran, describe);
    }

    [Fact]
    public async Task A_server_silent_after_the_preface_gets_its_platform_check_even_when_the_wait_for_SETTINGS_uses_up_TimeoutSec()
    {
        // With -TimeoutSec 2 the probe's wait for SETTINGS (2 s, or what is left) ends at the deadline: a platform check
        // started after it would have no time. It starts when the server has stayed silent after the preface instead.
        using var later = UnrelatedServerCertificate();

        // The first diagnosis in a process pays for JIT and the TLS stacks' first use (its handshake took 2.1 s in a CI
        // run on a loaded machine): that is paid here, on a server of its own, so that the 2 s below go to the wait.
        using (var first = ChangingCertificateServer(later, answerHttp2: false))
        {
            await EndpointDiagnoser.DiagnoseAsync($"localhost:{first.Port}", Options(), CancellationToken.None);
            narration.Clear();
        }

        using var server = ChangingCertificateServer(later, answerHttp2: false);
        var result = await EndpointDiagnoser.DiagnoseAsync($"localhost:{server.Port}", Options(TimeSpan.FromSeconds(2)), CancellationToken.None);
        var describe = $"{string.Join("; ", result.Findings.Select(f => $"{f.Id}: {f.Message}"))}; platform: {result.Platform?.Message}; otlp: {result.Otlp?.Message}{Narrated}";

        Assert.Contains(result.Findings, f => f.Id == OtlpFindingId.NotAnHttp2Server);
        Assert.True(result.Platform is { Succeeded: false }, describe);
        Assert.Contains("RemoteCertificateChainErrors", result.Platform!.Errors);
        Assert.False(result.Otlp!.Ran, describe);
    }

    private static int IndexOf(MemoryStream stream, ReadOnlySpan<byte> needle) =>
        stream.GetBuffer().AsSpan(0, (int)stream.Length).IndexOf(needle);
}
