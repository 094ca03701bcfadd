using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using OtelTls.Engine.Client;
using OtelTls.Engine.Otlp;
using OtelTls.Engine.Vocabulary;

namespace OtelTls.Engine.Diagnosis
{
    /// <summary>
    /// The same connection through <see cref="SslStream"/>, the stack the .NET exporter really uses, with the same trust
    /// settings: what it concludes is what a .NET exporter would conclude on this machine.
    /// </summary>
    internal static class PlatformTlsCheck
    {
        /// <summary>
        /// The least time the client-certificate read waits after this check's own handshake, when it shares the probe's
        /// window: a server that refuses the certificate says so right after the handshake.
        /// </summary>
        internal static readonly TimeSpan ConfirmationGrace = TimeSpan.FromMilliseconds(50);

        /// <summary>One handshake through <see cref="SslStream"/> with the exporter's trust settings, and its verdict.</summary>
        /// <param name="endPoint">The address to connect to (the one the probe reached).</param>
        /// <param name="targetHost">The server name sent (SNI) and checked against the certificate.</param>
        /// <param name="protocol">The OTLP protocol, which decides the ALPN protocols offered (h2 only for gRPC).</param>
        /// <param name="options">The diagnosis options: client settings (trust, client certificate, timeout) and TLS versions.</param>
        /// <param name="confirmClientAuthentication">
        /// Read after the handshake for the server's verdict on the client certificate (it may arrive only then).
        /// </param>
        /// <param name="cancellationToken">Cancels the check; the client timeout bounds it too.</param>
        /// <param name="confirmUntil">
        /// When the probe's own verdict window ends (UTC). The two reads run side by side, so this one ends with the
        /// probe's, or <see cref="ConfirmationGrace"/> after its handshake when the server serves one connection at a time
        /// and could only start this handshake once the probe's window was over. Null: a full window of its own.
        /// </param>
        public static async Task<PlatformResult> RunAsync(IPEndPoint endPoint, string targetHost, OtlpProtocol protocol, DiagnosisOptions options,
            bool confirmClientAuthentication, CancellationToken cancellationToken, DateTime? confirmUntil = null)
        {
            var result = new PlatformResult { Stack = StackName };
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(options.Client.Timeout);
            using var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            using var closeOnDeadline = deadline.Token.Register(socket.Dispose);
            var policyErrors = new List<string>();
            X509Certificate2? clientCertificate = null;
            try
            {
                await SocketConnect.ConnectAsync(socket, endPoint, deadline.Token).ConfigureAwait(false);
                using var stream = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false,
                    (_, certificate, chain, errors) => Validate(certificate, chain, errors, options.Client.PlatformTrusted, targetHost, policyErrors));
                clientCertificate = LoadClientCertificate(options, result);
#if NET
                var authentication = new SslClientAuthenticationOptions
                {
                    TargetHost = targetHost,
                    EnabledSslProtocols = TlsVersions.ToSslProtocols(options.TlsVersions),
                    ApplicationProtocols = protocol == OtlpProtocol.Grpc
                        ? new List<SslApplicationProtocol> { SslApplicationProtocol.Http2 }
                        : new List<SslApplicationProtocol> { SslApplicationProtocol.Http2, SslApplicationProtocol.Http11 },
                    ClientCertificates = clientCertificate is null ? null : new X509CertificateCollection { clientCertificate },
                    CertificateChainPolicy = ServerCertificateValidator.TrustedChainPolicy(options.Client.PlatformTrusted),
                };
                await stream.AuthenticateAsClientAsync(authentication, deadline.Token).ConfigureAwait(false);
                result.Alpn = stream.NegotiatedApplicationProtocol.Protocol.Length == 0 ? null : stream.NegotiatedApplicationProtocol.ToString();
#else
                await stream.AuthenticateAsClientAsync(targetHost,
                    clientCertificate is null ? null : new X509CertificateCollection { clientCertificate },
                    TlsVersions.ToSslProtocols(options.TlsVersions), checkCertificateRevocation: false).ConfigureAwait(false);
#endif
                result.Version = TlsVersions.DisplayName(stream.SslProtocol);
                if (confirmClientAuthentication)
                {
                    // The server's verdict on the client certificate may arrive only with the first read (TLS 1.3, and .NET servers).
                    var request = result.Alpn == "h2"
                        ? Encoding.ASCII.GetBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n").Concat(new byte[] { 0, 0, 0, 4, 0, 0, 0, 0, 0 }).ToArray()
                        : Encoding.ASCII.GetBytes("OPTIONS * HTTP/1.1\r\nHost: " + targetHost + "\r\nConnection: close\r\n\r\n");
                    await stream.WriteAsync(request, 0, request.Length, deadline.Token).ConfigureAwait(false);
                    var one = new byte[1];
                    using var window = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
                    var length = TlsProbe.ConfirmationWindow < options.Client.Timeout ? TlsProbe.ConfirmationWindow : options.Client.Timeout;
                    if (confirmUntil is { } end)
                    {
                        var shared = end - DateTime.UtcNow;
                        length = shared > ConfirmationGrace ? shared : ConfirmationGrace;
                    }

                    window.CancelAfter(length);
                    try
                    {
                        if (await stream.ReadAsync(one, 0, 1, window.Token).ConfigureAwait(false) == 0)
                        {
                            throw new IOException("The server closed the connection after the handshake.");
                        }
                    }
                    catch (OperationCanceledException) when (!deadline.IsCancellationRequested)
                    {
                        // SslStream consumes session tickets silently; no data and no alert within the window means accepted.
                    }
                }

                result.Succeeded = true;
                result.Message = AcceptedMessage(result.Version, result.Alpn);
            }
            // CryptographicException: SslStream's chain builder throws (instead of reporting a status) on some malformed
            // extensions, e.g. an extendedKeyUsage that is not a SEQUENCE; that is .NET refusing the certificate.
            catch (Exception e) when (e is AuthenticationException || e is IOException || e is SocketException || e is OperationCanceledException || e is ObjectDisposedException || e is Win32Exception
                || e is System.Security.Cryptography.CryptographicException)
            {
                cancellationToken.ThrowIfCancellationRequested();
                result.Succeeded = false;
                result.Message = deadline.IsCancellationRequested ? "timed out" : Innermost(e);
            }

            result.Errors = policyErrors.Count == 0 ? null : string.Join("; ", policyErrors);
            if (!result.Succeeded && result.Errors is not null)
            {
                result.Message = "rejected the server certificate: " + result.Errors;
            }

            return result;
        }

        /// <summary>
        /// The check's result taken from the export's own handshake, which went through the same stack with the same
        /// settings and the same server-certificate verdict (<see cref="ServerCertificateValidator"/>), and was accepted.
        /// </summary>
        /// <param name="version">The TLS version the export negotiated.</param>
        /// <param name="alpn">The ALPN protocol it negotiated; null when none.</param>
        public static PlatformResult AcceptedByExport(string? version, string? alpn) => new()
        {
            Stack = StackName,
            Succeeded = true,
            Version = version,
            Alpn = alpn,
            Message = AcceptedMessage(version, alpn) + " (on the export's connection)",
        };

        private static string StackName => RuntimeInformation.FrameworkDescription.Trim() + " SslStream on " + RuntimeInformation.OSDescription.Trim();

        private static string AcceptedMessage(string? version, string? alpn) =>
            $"handshake succeeded ({version}{(alpn is null ? string.Empty : ", ALPN " + alpn)}) and the certificate was accepted";

        /// <summary>The one server-certificate verdict the export uses too, with every reason kept for the result.</summary>
        private static bool Validate(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors, IReadOnlyList<X509Certificate2>? trusted,
            string targetHost, List<string> policyErrors)
        {
            var verdict = ServerCertificateValidator.Judge(trusted, certificate, chain, errors, targetHost);
            if (verdict.Errors is not null)
            {
                policyErrors.Add(verdict.Errors);
            }

            return verdict.Accepted;
        }

        /// <summary>
        /// The settings' client certificate (read once for the whole command, owned and released by the settings): the leaf
        /// alone, as the .NET exporter presents it.
        /// </summary>
        private static X509Certificate2? LoadClientCertificate(DiagnosisOptions options, PlatformResult result)
        {
            if (options.Client.Credential is null)
            {
                return null;
            }
#if NET
            try
            {
                return options.Client.PlatformClientCertificate;
            }
            catch (Exception e) when (e is System.Security.Cryptography.CryptographicException || e is ArgumentException || e is OtlpTlsException)
            {
                result.Note = ".NET could not load the client certificate and key (" + e.Message + "); the check ran without it";
                return null;
            }
#else
            result.Note = "client certificates are not loaded by the platform check on this runtime";
            return null;
#endif
        }

        private static string Innermost(Exception e)
        {
            var messages = new List<string>();
            for (var current = e; current is not null; current = current.InnerException)
            {
                messages.Add(current.Message);
            }

            return string.Join(" -> ", messages.Distinct());
        }

        /// <summary>What the platform stack concluded.</summary>
        internal sealed class PlatformResult
        {
            public string Stack { get; set; } = string.Empty;

            public bool Succeeded { get; set; }

            public string? Version { get; set; }

            public string? Alpn { get; set; }

            public string? Errors { get; set; }

            public string Message { get; set; } = string.Empty;

            public string? Note { get; set; }
        }
    }
}
