using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using Google.Protobuf;
using OtelTls.Engine.Client;
#if NET8_0_OR_GREATER
using Grpc.Core;
using Grpc.Net.Client;
#endif

namespace OtelTls.Engine.Otlp
{
    /// <summary>Everything one export attempt produced, before it is judged.</summary>
    internal sealed class ExportAttempt
    {
        public OtlpProtocol Protocol { get; set; }

        /// <summary>What was sent: signal, gRPC method, what partial success counts.</summary>
        public OtlpPayload Payload { get; set; } = null!;

        /// <summary>The URL the user's endpoint means (not the server-name-override form used on the wire).</summary>
        public string Url { get; set; } = string.Empty;

        public int? StatusCode { get; set; }

        /// <summary>True when the receiver accepted the request (HTTP 2xx or gRPC OK).</summary>
        public bool Accepted { get; set; }

        public string? ContentType { get; set; }

        /// <summary>An HTTP answer that came from a gRPC server (gRPC content type or grpc-status).</summary>
        public bool AnsweredAsGrpc { get; set; }

        /// <summary>The receiver's own words: google.rpc.Status message or the gRPC status detail (without a final period, as it is quoted mid-sentence).</summary>
        public string? ServerMessage
        {
            get => _serverMessage;
            set => _serverMessage = value?.Trim().TrimEnd('.');
        }

        private string? _serverMessage;

        public long Rejected { get; set; }

        public string? PartialSuccessMessage { get; set; }

        public Exception? Error { get; set; }

        public bool TimedOut { get; set; }

        public string? HttpVersion { get; set; }

        public TimeSpan Duration { get; set; }

        public TlsObservation Tls { get; } = new();
    }

    /// <summary>
    /// Sends one OTLP export request over gRPC (Grpc.Net.Client, HTTP/2 with ALPN h2) or HTTP/protobuf (HttpClient),
    /// with the exporter's TLS settings, and records what happened. Judging the outcome is <see cref="OtlpExportClassifier"/>'s job.
    /// </summary>
    internal static class OtlpTransport
    {
        public const string ProtobufContentType = "application/x-protobuf";
        private const int MaxBody = 64 * 1024;

        public static async Task<ExportAttempt> ExportAsync(OtlpConnection options, OtlpPayload request, CancellationToken cancellationToken)
        {
            var endpoint = options.Endpoint;
            var attempt = new ExportAttempt
            {
                Payload = request,
                Protocol = endpoint.Protocol,
                Url = endpoint.Protocol == OtlpProtocol.Grpc ? endpoint.Url.TrimEnd('/') : endpoint.Url,
            };
            if (endpoint.Protocol == OtlpProtocol.Grpc && !GrpcSupported)
            {
                throw new OtlpTlsException(OtlpErrorId.GrpcNotSupported, OtlpErrorKind.NotImplemented,
                    $"OTLP/gRPC export to {endpoint.Authority} is not supported on Windows PowerShell 5.1 (.NET Framework has no HTTP/2 client OtelTls can use).",
                    endpoint.Original, "Run the command in PowerShell 7 (pwsh), or test the OTLP/HTTP port with -Protocol http/protobuf.");
            }

            // Made once per command by the settings, which own them: disposing them here would break the next export
            // that presents the same certificate.
            var trusted = options.Settings.PlatformTrusted;
            var client = options.Settings.PlatformClientCertificate;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Timeout);
            var watch = System.Diagnostics.Stopwatch.StartNew();
            try
            {
                if (endpoint.Protocol == OtlpProtocol.Grpc)
                {
                    await SendGrpcAsync(options, trusted, client, request, attempt, timeout.Token).ConfigureAwait(false);
                }
                else
                {
                    await SendHttpAsync(options, trusted, client, request, attempt, timeout.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                attempt.TimedOut = true;
            }
            catch (Exception ex) when (IsTransportFailure(ex))
            {
                attempt.TimedOut = timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested;
                attempt.Error = ex;
            }
            finally
            {
                watch.Stop();
                attempt.Duration = watch.Elapsed;
            }

            cancellationToken.ThrowIfCancellationRequested();
            return attempt;
        }

        private static bool IsTransportFailure(Exception ex) =>
            ex is HttpRequestException or IOException or SocketException or System.Security.Authentication.AuthenticationException
                or InvalidProtocolBufferException
#if NET8_0_OR_GREATER
                or RpcException
#endif
            ;

        /// <summary>The name the server certificate must carry: the server name override when given, else the endpoint's host.</summary>
        private static string ExpectedName(OtlpConnection options) =>
            string.IsNullOrEmpty(options.ServerName) ? options.Endpoint.Host : options.ServerName!;

        /// <summary>The host the request names: the server name override when given (SNI, certificate name, authority).</summary>
        private static string RequestAuthority(OtlpConnection options)
        {
            var host = ExpectedName(options);
            return (host.IndexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + options.Endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        private static string Scheme(OtlpEndpoint endpoint) => endpoint.TlsRequested == false ? "http" : "https";

        private static async Task SendHttpAsync(OtlpConnection options, IReadOnlyList<X509Certificate2>? trusted,
            X509Certificate2? client, OtlpPayload request,
            ExportAttempt attempt, CancellationToken token)
        {
            var uri = new Uri(Scheme(options.Endpoint) + "://" + RequestAuthority(options) + options.Endpoint.Path + options.Endpoint.Query);
            using var handler = CreateHandler(options, trusted, client, attempt.Tls);
            using var http = new HttpClient(handler, disposeHandler: false) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
            using var message = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(request.Request.ToByteArray()) };
#if NET8_0_OR_GREATER
            // Offer h2 as well as http/1.1: a gRPC-only port then answers in a way that names the mix-up (gRPC content
            // type, 415) instead of closing the connection.
            message.VersionPolicy = HttpVersionPolicy.RequestVersionOrHigher;
#else
            if (!string.IsNullOrEmpty(options.ServerName))
            {
                // .NET Framework takes SNI and the certificate name from the Host header.
                message.Headers.Host = RequestAuthority(options);
            }
#endif
            message.Content.Headers.ContentType = new MediaTypeHeaderValue(ProtobufContentType);
            foreach (var header in options.Headers)
            {
                message.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            try
            {
                using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
                attempt.StatusCode = (int)response.StatusCode;
                attempt.HttpVersion = response.Version.ToString();
                attempt.ContentType = response.Content.Headers.ContentType?.MediaType;
                attempt.AnsweredAsGrpc = (attempt.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) ?? false)
                    || response.Headers.Contains("grpc-status");
                var body = await ReadLimitedAsync(response.Content, token).ConfigureAwait(false);
#if NET8_0_OR_GREATER
                attempt.AnsweredAsGrpc |= response.TrailingHeaders.Contains("grpc-status");
#endif
                if (response.IsSuccessStatusCode && !attempt.AnsweredAsGrpc)
                {
                    attempt.Accepted = true;
                    if (IsProtobuf(attempt.ContentType) && body.Length > 0)
                    {
                        (attempt.Rejected, attempt.PartialSuccessMessage) = request.ReadHttpResponse(body);
                    }
                }
                else
                {
                    attempt.ServerMessage = OtlpMessages.ReadStatusMessage(body) ?? TextExcerpt(body, attempt.ContentType);
                }
            }
            finally
            {
                attempt.Tls.Capture();
            }
        }

        private static bool IsProtobuf(string? contentType) =>
            contentType is null || contentType.IndexOf("protobuf", StringComparison.OrdinalIgnoreCase) >= 0;

        private static async Task<byte[]> ReadLimitedAsync(HttpContent content, CancellationToken token)
        {
#if NET8_0_OR_GREATER
            using var stream = await content.ReadAsStreamAsync(token).ConfigureAwait(false);
#else
            using var stream = await content.ReadAsStreamAsync().ConfigureAwait(false);
#endif
            using var buffer = new MemoryStream();
            var chunk = new byte[8192];
            int read;
            while (buffer.Length < MaxBody && (read = await stream.ReadAsync(chunk, 0, chunk.Length, token).ConfigureAwait(false)) > 0)
            {
                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }

        /// <summary>The start of a text body (an HTML error page, a proxy's message), on one line.</summary>
        private static string? TextExcerpt(byte[] body, string? contentType)
        {
            if (body.Length == 0 || (contentType is not null && !contentType.StartsWith("text/", StringComparison.OrdinalIgnoreCase)
                && contentType.IndexOf("json", StringComparison.OrdinalIgnoreCase) < 0))
            {
                return null;
            }

            var text = System.Text.Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 300));
            text = System.Text.RegularExpressions.Regex.Replace(text, @"<[^>]*>|\s+", " ").Trim();
            return text.Length == 0 ? null : text;
        }

#if NET8_0_OR_GREATER
        internal const bool GrpcSupported = true;

        /// <summary>Loads and runs once what an export builds before it connects (handler, channel, request bytes).</summary>
        internal static void Prepare(OtlpProtocol protocol)
        {
            using var handler = new SocketsHttpHandler { UseProxy = false };
            if (protocol == OtlpProtocol.Grpc)
            {
                PrepareChannel(handler);
            }

            _ = OtlpMessages.EmptyPayload(OtlpSignal.Traces).Request.ToByteArray();
        }

        /// <summary>A method of its own so that preparing an HTTP/protobuf export never names, so never loads, gRPC types.</summary>
        private static void PrepareChannel(HttpMessageHandler handler)
        {
            using var channel = OpenChannel(new Uri("https://localhost"), handler);
        }

        /// <summary>The gRPC channel over the export's handler, which the export (not the channel) disposes.</summary>
        private static GrpcChannel OpenChannel(Uri address, HttpMessageHandler handler) =>
            GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = false });

        private static async Task SendGrpcAsync(OtlpConnection options, IReadOnlyList<X509Certificate2>? trusted,
            X509Certificate2? client, OtlpPayload request,
            ExportAttempt attempt, CancellationToken token)
        {
            var address = new Uri(Scheme(options.Endpoint) + "://" + RequestAuthority(options));
            using var handler = CreateHandler(options, trusted, client, attempt.Tls);
            using var channel = OpenChannel(address, handler);
            var metadata = new Metadata();
            foreach (var header in options.Headers)
            {
                metadata.Add(header.Key.ToLowerInvariant(), header.Value);
            }

            try
            {
                var (rejected, message) = await OtlpGrpcCall.ExportAsync(request, channel, metadata, token).ConfigureAwait(false);
                attempt.StatusCode = (int)StatusCode.OK;
                attempt.Accepted = true;
                attempt.Rejected = rejected;
                attempt.PartialSuccessMessage = message;
            }
            catch (RpcException ex)
            {
                // A status made up by the client because no answer arrived (connection, TLS, HTTP/2 failure) is not
                // the receiver's: keep StatusCode for statuses the server sent.
                attempt.StatusCode = ex.Status.DebugException is HttpRequestException or IOException or SocketException
                    or System.Security.Authentication.AuthenticationException ? null : (int)ex.StatusCode;
                attempt.ServerMessage = string.IsNullOrEmpty(ex.Status.Detail) ? null : ex.Status.Detail;
                attempt.Error = ex;
                if (token.IsCancellationRequested && ex.StatusCode is StatusCode.Cancelled or StatusCode.DeadlineExceeded)
                {
                    throw new OperationCanceledException(token);
                }
            }
            finally
            {
                attempt.Tls.Capture();
            }
        }

        /// <summary>
        /// One handler per export, so TLS details belong to this request. The TCP connection goes to the endpoint's host
        /// while the URL names the server-name override: SNI, certificate name and authority all follow it, as with the
        /// collector's server_name_override. No proxy: the point is to test this endpoint, not the path through a proxy.
        /// </summary>
        private static SocketsHttpHandler CreateHandler(OtlpConnection options, IReadOnlyList<X509Certificate2>? trusted,
            X509Certificate2? client, TlsObservation observation)
        {
            var endpoint = options.Endpoint;
            var expectedName = ExpectedName(options);
            var handler = new SocketsHttpHandler
            {
                UseProxy = false,
                AllowAutoRedirect = false,
                UseCookies = false,
                ConnectCallback = async (context, token) =>
                {
                    var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    try
                    {
                        await socket.ConnectAsync(endpoint.Host, endpoint.Port, token).ConfigureAwait(false);
                        return new NetworkStream(socket, ownsSocket: true);
                    }
                    catch
                    {
                        socket.Dispose();
                        throw;
                    }
                },
                SslOptions = new SslClientAuthenticationOptions
                {
                    RemoteCertificateValidationCallback = (sender, certificate, chain, errors) =>
                        OtlpClientTls.Validate(trusted, sender, certificate, chain, errors, expectedName, observation),
                    CertificateChainPolicy = ServerCertificateValidator.TrustedChainPolicy(trusted),
                },
            };
            if (client is null)
            {
                // Called when the server asks for a client certificate (once its own certificate is known). With TLS 1.3
                // a server that then refuses the connection does so after the handshake, so this is the only trace of why.
                handler.SslOptions.LocalCertificateSelectionCallback = (sender, host, local, remote, issuers) =>
                {
                    if (remote is not null)
                    {
                        observation.ClientCertificateRequested = true;
                    }

                    return null!;
                };
            }

            if (client is not null)
            {
                // The leaf only, as the OpenTelemetry .NET exporter presents it (HttpClientHandler.ClientCertificates):
                // a collector that trusts only the root refuses a leaf issued by an intermediate, here as there.
                handler.SslOptions.ClientCertificates = new X509CertificateCollection { client };
            }

            return handler;
        }
#else
        internal const bool GrpcSupported = false;

        private static Task SendGrpcAsync(OtlpConnection options, IReadOnlyList<X509Certificate2>? trusted,
            X509Certificate2? client, OtlpPayload request,
            ExportAttempt attempt, CancellationToken token) => throw new PlatformNotSupportedException();

        /// <summary>
        /// .NET Framework: HttpClientHandler. The platform does not tell the TLS version or cipher here; the server name
        /// override works through the Host header.
        /// </summary>
        private static HttpClientHandler CreateHandler(OtlpConnection options, IReadOnlyList<X509Certificate2>? trusted,
            X509Certificate2? client, TlsObservation observation)
        {
            var expectedName = ExpectedName(options);
            var handler = new HttpClientHandler
            {
                UseProxy = false,
                AllowAutoRedirect = false,
                UseCookies = false,
                ServerCertificateCustomValidationCallback = (request, certificate, chain, errors) =>
                    OtlpClientTls.Validate(trusted, request, certificate, chain, errors, expectedName, observation),
            };
            if (client is not null)
            {
                handler.ClientCertificateOptions = ClientCertificateOption.Manual;
                handler.ClientCertificates.Add(client);
            }

            return handler;
        }
#endif
    }
}
