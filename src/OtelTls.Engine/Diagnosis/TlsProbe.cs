using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace OtelTls.Engine.Diagnosis
{
    /// <summary>How a probe handshake ended.</summary>
    internal enum TlsProbeOutcome
    {
        /// <summary>Handshake done (and, where it applies, the server accepted the client after it).</summary>
        Connected,

        /// <summary>Stopped on purpose after the ServerHello (version sweep).</summary>
        ServerHelloSeen,

        /// <summary>The server sent a fatal alert.</summary>
        AlertReceived,

        /// <summary>We refused something the server sent and raised an alert.</summary>
        AlertRaised,

        /// <summary>The server answered a ClientHello with bytes that are not TLS.</summary>
        Plaintext,

        /// <summary>The server closed the connection without an alert.</summary>
        Closed,

        /// <summary>The connection was reset.</summary>
        Reset,

        /// <summary>No answer within the time bound.</summary>
        TimedOut,

        /// <summary>No TCP connection for this attempt.</summary>
        ConnectFailed,
    }

    /// <summary>What the server sent first after the HTTP/2 connection preface (ALPN h2 only).</summary>
    internal enum Http2Answer
    {
        /// <summary>Not looked at (no h2, or not asked).</summary>
        NotChecked,

        /// <summary>A SETTINGS frame: an HTTP/2 server.</summary>
        Settings,

        /// <summary>Nothing within the window: not an HTTP/2 server (or one that never answers).</summary>
        Silent,

        /// <summary>Application data that is not an HTTP/2 SETTINGS frame (<see cref="TlsProbeResult.FirstApplicationBytes"/>).</summary>
        Other,
    }

    /// <summary>Everything one probe handshake learned.</summary>
    internal sealed class TlsProbeResult
    {
        public TlsProbeOutcome Outcome { get; set; }

        public ProtocolVersion? Version { get; set; }

        public int? CipherSuite { get; set; }

        public string? ApplicationProtocol { get; set; }

        public IReadOnlyList<byte[]> ServerChain { get; set; } = Array.Empty<byte[]>();

        public bool CertificateRequested { get; set; }

        public IReadOnlyList<X509Name> AcceptableAuthorities { get; set; } = Array.Empty<X509Name>();

        public bool ClientCertificateSent { get; set; }

        public short? AlertReceived { get; set; }

        public short? AlertRaised { get; set; }

        public string? Detail { get; set; }

        /// <summary>True when the server's verdict came after the handshake (TLS 1.3 client authentication).</summary>
        public bool FailedAfterHandshake { get; set; }

        public string? PlaintextKind { get; set; }

        public byte[] FirstBytes { get; set; } = Array.Empty<byte>();

        /// <summary>With <see cref="TlsProbeSettings.CheckHttp2Settings"/> and ALPN h2: how the server answered the HTTP/2 preface.</summary>
        public Http2Answer Http2 { get; set; }

        /// <summary>The first decrypted bytes the server sent after the handshake (up to 64), when it sent any.</summary>
        public byte[] FirstApplicationBytes { get; set; } = Array.Empty<byte>();

        /// <summary>How long <see cref="Http2"/> waited for an answer.</summary>
        public TimeSpan Http2Window { get; set; }

        /// <summary>
        /// When the server stayed silent after the HTTP/2 preface: how long after it the probe sent an HTTP/1.1 request
        /// (<see cref="TlsProbe.Http1RequestAfter"/>), so <see cref="FirstApplicationBytes"/> may answer that request.
        /// </summary>
        public TimeSpan? Http1RequestSentAfter { get; set; }

        public TimeSpan Duration { get; set; }
    }

    /// <summary>
    /// Runs one BouncyCastle TLS client handshake in non-blocking mode over an async socket: no thread waits on the
    /// network, so hundreds of endpoints can be probed at once, and closing the socket ends any wait at the deadline.
    /// </summary>
    internal static class TlsProbe
    {
        private static readonly SecureRandom Random = new();

        // HTTP/2 client connection preface followed by an empty SETTINGS frame: an h2 server answers with its own SETTINGS.
        private static readonly byte[] Http2Preface = Encoding.ASCII.GetBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")
            .Concat(new byte[] { 0, 0, 0, 4, 0, 0, 0, 0, 0 }).ToArray();

        public static async Task<TlsProbeResult> RunAsync(IPEndPoint endPoint, TlsProbeSettings settings, CancellationToken cancellationToken, Socket? connected = null)
        {
            var stopwatch = Stopwatch.StartNew();
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(settings.Timeout);
            var socket = connected;
            try
            {
                if (socket is null)
                {
                    socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    try
                    {
                        await SocketConnect.ConnectAsync(socket, endPoint, deadline.Token).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is SocketException || e is OperationCanceledException)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        return new TlsProbeResult { Outcome = TlsProbeOutcome.ConnectFailed, Detail = e.Message, Duration = stopwatch.Elapsed };
                    }
                }

                socket.NoDelay = true;
                var result = await HandshakeAsync(socket, settings, deadline.Token).ConfigureAwait(false);
                if (result.Outcome == TlsProbeOutcome.TimedOut)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                result.Duration = stopwatch.Elapsed;
                return result;
            }
            finally
            {
                socket?.Dispose();
            }
        }

        private static async Task<TlsProbeResult> HandshakeAsync(Socket socket, TlsProbeSettings settings, CancellationToken deadline)
        {
            var handshakeWatch = Stopwatch.StartNew();
            var client = new ProbeTlsClient(new ProbeTlsCrypto(Random), settings);
            var protocol = new TlsClientProtocol();
            var result = new TlsProbeResult();
            var buffer = new byte[16384];
            var head = new MemoryStream();
            using var closeOnDeadline = deadline.Register(socket.Dispose);
            var afterHandshake = false;
            var isTls = false;
            try
            {
                protocol.Connect(client);
                await FlushAsync(protocol, socket, buffer, deadline).ConfigureAwait(false);
                while (!client.HandshakeComplete)
                {
                    var read = await ReceiveAsync(socket, buffer, deadline).ConfigureAwait(false);
                    if (read == 0)
                    {
                        return Finish(result, client, isTls || head.Length == 0 ? TlsProbeOutcome.Closed : Classify(result, head.ToArray()));
                    }

                    if (!isTls)
                    {
                        // Decide TLS or not on the first bytes, before BouncyCastle turns plaintext into an obscure alert.
                        head.Write(buffer, 0, Math.Min(read, 64));
                        var first = head.ToArray();
                        var startsLikeTls = first[0] is >= 0x14 and <= 0x18;
                        if (startsLikeTls && first.Length < 3)
                        {
                            protocol.OfferInput(buffer, 0, read);
                            continue;
                        }

                        if (!startsLikeTls || !LooksLikeTlsRecord(first))
                        {
                            if (first.Length < 9)
                            {
                                continue; // enough bytes to name an HTTP status line or an HTTP/2 frame header
                            }

                            return Finish(result, client, Classify(result, first));
                        }

                        isTls = true;
                    }

                    protocol.OfferInput(buffer, 0, read);
                    await FlushAsync(protocol, socket, buffer, deadline).ConfigureAwait(false);
                    if (settings.StopAfterServerHello && client.ServerVersion is not null)
                    {
                        return Finish(result, client, TlsProbeOutcome.ServerHelloSeen);
                    }
                }

                afterHandshake = true;
                settings.HandshakeCompleted?.Invoke(client.CertificateRequested);
                var confirm = settings.ConfirmClientAuthentication && client.CertificateRequested;
                var checkHttp2 = settings.CheckHttp2Settings && client.ApplicationProtocol == "h2";
                if (confirm || checkHttp2)
                {
                    await ReadFirstAnswerAsync(protocol, client, socket, settings, buffer, confirm, checkHttp2, result, handshakeWatch.Elapsed, deadline).ConfigureAwait(false);
                }

                return Finish(result, client, TlsProbeOutcome.Connected);
            }
            catch (TlsFatalAlertReceived e)
            {
                result.AlertReceived = e.AlertDescription;
                result.FailedAfterHandshake = afterHandshake;
                return Finish(result, client, TlsProbeOutcome.AlertReceived);
            }
            catch (TlsFatalAlert e)
            {
                result.AlertRaised = e.AlertDescription;
                result.Detail = e.Message;
                result.FailedAfterHandshake = afterHandshake;
                return Finish(result, client, TlsProbeOutcome.AlertRaised);
            }
            catch (Exception e) when (deadline.IsCancellationRequested && (e is OperationCanceledException || e is ObjectDisposedException || e is SocketException || e is IOException))
            {
                result.FailedAfterHandshake = afterHandshake;
                return Finish(result, client, TlsProbeOutcome.TimedOut);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown)
            {
                result.Detail = e.Message;
                result.FailedAfterHandshake = afterHandshake;
                return Finish(result, client, TlsProbeOutcome.Reset);
            }
            catch (Exception e) when (e is IOException || e is EndOfStreamException || e is TlsNoCloseNotifyException)
            {
                result.Detail = e.Message;
                result.FailedAfterHandshake = afterHandshake;
                return Finish(result, client, TlsProbeOutcome.Closed);
            }
            finally
            {
                // Kept for every outcome: "started the handshake, then stalled" is told from "never answered" by these bytes.
                if (result.FirstBytes.Length == 0)
                {
                    result.FirstBytes = head.ToArray();
                }
            }
        }

        /// <summary>How long to wait for the server's verdict after a TLS 1.3 handshake before assuming acceptance.</summary>
        internal static readonly TimeSpan ConfirmationWindow = TimeSpan.FromSeconds(2);

        /// <summary>
        /// How long an h2 server may take to send its SETTINGS frame after the client's preface before the port is judged
        /// not to be an HTTP/2 server, at least: HTTP/2 servers send it at once (one round trip). On a loaded machine the
        /// window is ten times the handshake's own duration when that is longer. Only a peer that stays silent through
        /// <see cref="Http1RequestAfter"/> and the HTTP/1.1 request waits this long.
        /// </summary>
        internal static readonly TimeSpan Http2SettingsWindow = TimeSpan.FromMilliseconds(2000); // 500 ms gave false NotAnHttp2Server on a loaded 2-core machine (a fresh Kestrel lab)

        /// <summary>
        /// After this much silence following the HTTP/2 preface (four handshake durations, within 150–500 ms) the probe
        /// also sends an HTTP/1.1 request on the same connection. A server that negotiated h2 without being an HTTP/2 server
        /// often ignores the preface (openssl s_server -www waits for a GET line) but answers that request at once, so the
        /// port is named in well under a second. A real HTTP/2 server cannot be misjudged by it: whatever follows the
        /// preface, its first frame is its SETTINGS (RFC 9113 §3.4), which the probe reads before the server's complaint
        /// about the extra bytes (a GOAWAY).
        /// </summary>
        internal static TimeSpan Http1RequestAfter(TimeSpan handshakeTime) =>
            TimeSpan.FromTicks(Math.Min(Math.Max(4 * handshakeTime.Ticks, TimeSpan.FromMilliseconds(150).Ticks), TimeSpan.FromMilliseconds(500).Ticks));

        private static async Task ReadFirstAnswerAsync(TlsClientProtocol protocol, ProbeTlsClient client, Socket socket, TlsProbeSettings settings,
            byte[] buffer, bool confirm, bool checkHttp2, TlsProbeResult result, TimeSpan handshakeTime, CancellationToken deadline)
        {
            var request = client.ApplicationProtocol == "h2"
                ? Http2Preface
                : Http1Request(settings, "OPTIONS *");
            protocol.WriteApplicationData(request, 0, request.Length);
            await FlushAsync(protocol, socket, buffer, deadline).ConfigureAwait(false);

            // A server that refuses the certificate answers with an alert or closes the connection (.NET servers judge the
            // certificate after their TLS library has finished, even sent session tickets); one that accepts it answers the
            // request, and an HTTP/2 server answers the preface with SETTINGS at once. Session tickets alone settle nothing.
            // A server that sends no data at all gets the benefit of the doubt on the certificate after a short window, and
            // is judged not to speak HTTP/2.
            // A loaded machine or server answers late: the window grows with how long the handshake itself took.
            var settingsWindow = TimeSpan.FromTicks(Math.Max(Http2SettingsWindow.Ticks, 10 * handshakeTime.Ticks));
            var window = confirm ? ConfirmationWindow : settingsWindow;
            window = window < settings.Timeout ? window : settings.Timeout;
            using var windowSource = CancellationTokenSource.CreateLinkedTokenSource(deadline);
            windowSource.CancelAfter(window);
            var windowWatch = Stopwatch.StartNew();
            TimeSpan? askHttp1At = checkHttp2 ? Http1RequestAfter(handshakeTime) : null;
            var answer = new MemoryStream();
            try
            {
                // Enough bytes to read an HTTP/2 frame header (9), or any answer at all when only the certificate verdict matters.
                Task<int>? pending = null;
                while (answer.Length < (checkHttp2 ? 9 : 1))
                {
                    var available = protocol.GetAvailableInputBytes();
                    if (available > 0)
                    {
                        var take = Math.Min(available, 64 - (int)answer.Length);
                        var chunk = new byte[take];
                        protocol.ReadInput(chunk, 0, take);
                        answer.Write(chunk, 0, take);
                        continue;
                    }

                    // The receive is never cancelled to send the HTTP/1.1 request (on netstandard2.0 that would close the
                    // socket): the request goes out while the receive is pending.
                    pending ??= SocketConnect.ReceiveAsync(socket, new ArraySegment<byte>(buffer), windowSource.Token);
                    if (askHttp1At is { } at && answer.Length == 0 && !await AnswerOrTimeAsync(pending, at - windowWatch.Elapsed, windowSource.Token).ConfigureAwait(false))
                    {
                        askHttp1At = null;
                        result.Http1RequestSentAfter = windowWatch.Elapsed;
                        settings.SilentAfterPreface?.Invoke();
                        // The line break first ends the binary SETTINGS frame as a line of its own: a line-reading
                        // server (s_server -www) would otherwise see it glued to the request line.
                        var get = Http1Request(settings, "\r\nGET /");
                        protocol.WriteApplicationData(get, 0, get.Length);
                        await FlushAsync(protocol, socket, buffer, deadline).ConfigureAwait(false);
                    }

                    var read = await pending.ConfigureAwait(false);
                    pending = null;
                    if (read == 0)
                    {
                        if (answer.Length > 0 || !confirm)
                        {
                            break; // what it sent, then closed: enough to name it
                        }

                        throw new EndOfStreamException("The server closed the connection right after the handshake.");
                    }

                    protocol.OfferInput(buffer, 0, read);
                }
            }
            catch (Exception e) when (windowSource.IsCancellationRequested && (e is OperationCanceledException || e is ObjectDisposedException || e is SocketException))
            {
                // No (complete) answer in the window: nothing refused the certificate. The handshake is done, so the
                // endpoint's deadline passing here (a slow handshake makes the window as long as what is left of it) is a
                // silent server after a good handshake, not a handshake timeout.
            }

            result.FirstApplicationBytes = answer.ToArray();
            if (checkHttp2)
            {
                var head = result.FirstApplicationBytes;
                result.Http2Window = window;
                result.Http2 = head.Length == 0 ? Http2Answer.Silent
                    : head.Length >= 9 && head[3] == 0x04 && (head[4] & 0x01) == 0 && head[5] == 0 && head[6] == 0 && head[7] == 0 && head[8] == 0 ? Http2Answer.Settings
                    : Http2Answer.Other;
            }
        }

        private static byte[] Http1Request(TlsProbeSettings settings, string target) =>
            Encoding.ASCII.GetBytes(target + " HTTP/1.1\r\nHost: " + (settings.ServerName ?? "localhost") + "\r\nConnection: close\r\n\r\n");

        /// <summary>True when the receive completed within <paramref name="wait"/>, false when the time came first (or none was left).</summary>
        private static async Task<bool> AnswerOrTimeAsync(Task<int> pending, TimeSpan wait, CancellationToken window)
        {
            if (pending.IsCompleted || window.IsCancellationRequested)
            {
                return true; // nothing to decide: read what is there, or let the window's end surface from the receive
            }

            if (wait <= TimeSpan.Zero)
            {
                return false;
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(window);
            var finished = await Task.WhenAny(pending, Task.Delay(wait, stop.Token)).ConfigureAwait(false);
            stop.Cancel();
            return finished == pending || window.IsCancellationRequested;
        }

        private static TlsProbeResult Finish(TlsProbeResult result, ProbeTlsClient client, TlsProbeOutcome outcome)
        {
            result.Outcome = outcome;
            result.Version = client.ServerVersion;
            result.CipherSuite = client.SelectedCipherSuite;
            result.ApplicationProtocol = client.ApplicationProtocol;
            result.ServerChain = client.ServerChain;
            result.CertificateRequested = client.CertificateRequested;
            result.AcceptableAuthorities = client.AcceptableAuthorities;
            result.ClientCertificateSent = client.ClientCertificateSent;
            result.AlertReceived ??= client.AlertReceived;
            result.AlertRaised ??= client.AlertRaised;
            if (outcome == TlsProbeOutcome.AlertRaised && client.AlertRaisedMessage is not null)
            {
                result.Detail = client.AlertRaisedMessage;
            }

            return result;
        }

        internal static bool LooksLikeTlsRecord(byte[] head) =>
            head.Length >= 3 && head[0] is >= 0x14 and <= 0x18 && head[1] == 0x03 && head[2] <= 0x04;

        private static TlsProbeOutcome Classify(TlsProbeResult result, byte[] head)
        {
            result.FirstBytes = head;
            result.PlaintextKind = PlaintextKind(head);
            return TlsProbeOutcome.Plaintext;
        }

        /// <summary>Names what kind of plaintext server answered, from the first bytes it sent back to a ClientHello.</summary>
        internal static string PlaintextKind(byte[] head)
        {
            if (head.Length >= 5 && Encoding.ASCII.GetString(head, 0, 5) == "HTTP/")
            {
                var text = Encoding.ASCII.GetString(head);
                var end = text.IndexOf('\r');
                return "HTTP/1.x (" + (end > 0 ? text.Substring(0, end) : text) + ")";
            }

            // An HTTP/2 frame header: 24-bit length, type (SETTINGS 4, GOAWAY 7), flags, stream id 0.
            if (head.Length >= 9 && head[3] is 0x04 or 0x07 && head[5] == 0 && head[6] == 0 && head[7] == 0 && (head[8] & 0x7F) == 0)
            {
                return head[3] == 0x04 ? "HTTP/2 without TLS (h2c SETTINGS frame)" : "HTTP/2 without TLS (h2c GOAWAY frame)";
            }

            if (head.Length >= 5 && head[3] is 0x04 or 0x07)
            {
                return "HTTP/2 without TLS (h2c frame)";
            }

            return "not TLS (first bytes " + BitConverter.ToString(head, 0, Math.Min(head.Length, 16)) + ")";
        }

        private static async Task FlushAsync(TlsClientProtocol protocol, Socket socket, byte[] buffer, CancellationToken deadline)
        {
            int available;
            while ((available = protocol.GetAvailableOutputBytes()) > 0)
            {
                var count = protocol.ReadOutput(buffer, 0, Math.Min(available, buffer.Length));
                var sent = 0;
                while (sent < count)
                {
                    sent += await SocketConnect.SendAsync(socket, new ArraySegment<byte>(buffer, sent, count - sent), deadline).ConfigureAwait(false);
                }
            }
        }

        private static Task<int> ReceiveAsync(Socket socket, byte[] buffer, CancellationToken deadline) =>
            SocketConnect.ReceiveAsync(socket, new ArraySegment<byte>(buffer), deadline);
    }
}
