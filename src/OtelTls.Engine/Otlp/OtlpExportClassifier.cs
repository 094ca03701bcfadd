using System;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;
using OtelTls.Engine.Vocabulary;

namespace OtelTls.Engine.Otlp
{
    /// <summary>
    /// Judges an export attempt: accepted, or which Otlp finding explains the failure. The rules, and why:
    /// <list type="bullet">
    /// <item>HTTP 404 → OtlpPathNotFound (wrong path, e.g. <c>/v1/traces</c> twice).</item>
    /// <item>HTTP 401/403, gRPC Unauthenticated(16)/PermissionDenied(7) → OtlpUnauthenticated.</item>
    /// <item>gRPC client on an HTTP/1.1-only port (no ALPN h2), a non-gRPC answer to a gRPC call, or an HTTP client answered
    /// by a gRPC server (gRPC content type, grpc-status, 415) → OtlpWrongProtocol.</item>
    /// <item>gRPC Unimplemented(12) with a real gRPC status → OtlpPathNotFound: the server speaks gRPC but does not serve the
    /// OTLP trace method at <c>/opentelemetry.proto.collector.trace.v1.TraceService/Export</c>, the gRPC form of a 404
    /// (no traces pipeline, another service, a proxy route). Grpc.Net.Client also reports a plain HTTP 404 as
    /// Unimplemented; that case is an HTTP server, so it is OtlpWrongProtocol.</item>
    /// <item>A TLS failure → OtlpExportFailed that says the export never reached OTLP and points at Test-OtlpTlsEndpoint.</item>
    /// <item>Anything else → OtlpExportFailed with the status and the receiver's message.</item>
    /// </list>
    /// </summary>
    internal static class OtlpExportClassifier
    {
        internal readonly struct Verdict
        {
            public Verdict(bool succeeded, string message, OtlpFinding? finding)
            {
                Succeeded = succeeded;
                Message = message;
                Finding = finding;
            }

            public bool Succeeded { get; }

            public string Message { get; }

            public OtlpFinding? Finding { get; }
        }

        public static Verdict Classify(OtlpConnection options, ExportAttempt attempt, string what)
        {
            var endpoint = options.Endpoint;
            var where = endpoint.Authority;
            var grpc = attempt.Protocol == OtlpProtocol.Grpc;
            var transport = grpc ? "OTLP/gRPC" : "OTLP/HTTP";
            var ms = ((long)attempt.Duration.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);

            if (attempt.Accepted)
            {
                var tls = attempt.Tls.Version is null ? string.Empty : $" over {attempt.Tls.Version}";
                if (attempt.Rejected > 0 || attempt.PartialSuccessMessage is not null)
                {
                    var message = $"The receiver at {where} accepted the {what} but rejected {attempt.Rejected} {attempt.Payload.ItemNoun}{(attempt.PartialSuccessMessage is null ? string.Empty : ": " + attempt.PartialSuccessMessage)}.";
                    return new Verdict(true, message, Finding(OtlpFindingId.OtlpPartialSuccess, OtlpSeverity.Warning, message,
                        "The receiver answered with OTLP partial success: the request was valid, but some items were dropped (invalid data, limits, or a backend policy).",
                        "Read the receiver's message; check its limits and the collector's processors (filter, memory_limiter) and the backend's ingestion rules.",
                        Evidence(attempt, $"rejected={attempt.Rejected}")));
                }

                return new Verdict(true, $"The {transport} receiver at {where} accepted the {what}{tls} in {ms} ms (status {attempt.StatusCode}).", null);
            }

            if (options.Settings.Credential is { HasIntermediates: true } credential && attempt.StatusCode is null && !attempt.TimedOut
                && attempt.Tls.Stream is not null && attempt.Tls.ValidationFailure is null)
            {
                // The server's certificate was accepted, then the connection ended: with a client certificate issued by an
                // intermediate, the likely refusal is of the leaf sent alone.
                var reason = attempt.Error is null ? "no answer" : Innermost(attempt.Error).Message;
                var leaf = credential.Chain[0];
                return Failed(OtlpFindingId.OtlpExportFailed,
                    $"The export never reached OTLP: {where} ended the connection after the TLS handshake ({reason}). OtelTls, like the OpenTelemetry .NET exporter, sends the client certificate '{leaf.Subject}' without the intermediate '{leaf.Issuer}' that follows it in '{credential.CertificatePath}'.",
                    "A receiver whose client_ca_file holds only the root cannot build the path from a leaf issued by an intermediate, so it refuses the client. Clients that send the chain (Go, Java, OpenSSL) are accepted.",
                    $"Add the intermediate '{leaf.Issuer}' to the collector's client_ca_file, or issue the client certificate directly from the root; Test-OtlpTlsEndpoint {endpoint.Original} with the same files shows it (PlatformDisagreement).",
                    attempt);
            }

            if (attempt.Tls.ValidationFailure is not null || (attempt.Error is not null && FindInner<AuthenticationException>(attempt.Error) is not null))
            {
                var reason = attempt.Tls.ValidationFailure ?? Innermost(attempt.Error!).Message;
                if (attempt.Tls.ValidationFailure is null && reason.IndexOf("no application protocol", StringComparison.OrdinalIgnoreCase) >= 0)
                {
                    // TLS alert 120: the server supports none of the ALPN protocols offered. gRPC offers only h2, so the
                    // server has no HTTP/2; the HTTP client offers h2 and http/1.1, so only a server without either refuses.
                    return grpc
                        ? WrongProtocol(options, attempt,
                            $"The server at {where} does not speak HTTP/2, so it cannot be an OTLP/gRPC receiver: it refused ALPN h2 (TLS alert no_application_protocol).",
                            $"gRPC runs only over HTTP/2 (ALPN h2); this port serves HTTP/1.1 only: most often the OTLP/HTTP port ({OtlpProtocols.HttpPort}), or a proxy without HTTP/2.",
                            $"Use -Protocol http/protobuf for this port (OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf, https://{endpoint.Host}:{OtlpProtocols.HttpPort}), or point the gRPC exporter at the gRPC port ({OtlpProtocols.GrpcPort}); a proxy needs HTTP/2 enabled (nginx: http2 on, grpc_pass).")
                        : WrongProtocol(options, attempt,
                            $"The server at {where} refused the ALPN protocols of an HTTP client (h2, http/1.1) (TLS alert no_application_protocol).",
                            $"The server speaks another application protocol on this port; a gRPC server that also refuses plain HTTP/2 requests does this. If this is the gRPC port ({OtlpProtocols.GrpcPort}), the exporter must use gRPC.",
                            $"Use -Protocol grpc for this port (OTEL_EXPORTER_OTLP_PROTOCOL=grpc), or send OTLP/HTTP to port {OtlpProtocols.HttpPort}.");
                }

                var message = $"The export never reached OTLP: the TLS connection to {where} failed ({reason}).";
                if (attempt.Tls.ValidationFailure is null && LooksLikePlaintext(reason))
                {
                    // .NET's words for a server that answered the ClientHello with something that is not TLS.
                    return Failed(OtlpFindingId.OtlpExportFailed, message,
                        "The server does not speak TLS on this port: it answered the TLS handshake in plaintext (an OTLP receiver without a tls: block).",
                        $"Either enable TLS on the receiver (tls: cert_file/key_file), or, if plaintext is intended, use http://{where} (OTEL_EXPORTER_OTLP_INSECURE=true for gRPC exporters without a scheme). Test-OtlpTlsEndpoint {endpoint.Original} confirms it (TlsNotEnabled).",
                        attempt);
                }

                return Failed(OtlpFindingId.OtlpExportFailed, message,
                    "The TLS handshake failed before any OTLP request was sent, so the receiver never saw it.",
                    $"Run Test-OtlpTlsEndpoint {endpoint.Original} with the same -CaCertificate, -ClientCertificate and -ServerName: its TLS finding names the cause and the fix.",
                    attempt);
            }

            if (attempt.Tls.ClientCertificateRequested && attempt.StatusCode is null)
            {
                var reason = attempt.Error is null ? "no answer" : Innermost(attempt.Error).Message;
                var message = $"The export never reached OTLP: {where} asked for a client certificate (mutual TLS), none was given, and the connection ended without an answer ({reason}).";
                return Failed(OtlpFindingId.OtlpExportFailed, message,
                    "The server requires mutual TLS. With TLS 1.3 it refuses a client without a certificate only after the handshake, so the exporter sees a broken connection rather than a TLS error.",
                    $"Give the client certificate and key (-ClientCertificate/-ClientKey; OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE and OTEL_EXPORTER_OTLP_CLIENT_KEY for an SDK); Test-OtlpTlsEndpoint {endpoint.Original} shows which CAs the server accepts.",
                    attempt);
            }

            if (attempt.TimedOut)
            {
                var stage = attempt.Tls.Stream is null && endpoint.TlsRequested != false
                    ? "no TLS session was established"
                    : attempt.StatusCode is null ? "no answer to the request arrived" : "the answer did not complete";
                var message = $"No answer from {where} within {options.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s: {stage}.";
                return Failed(OtlpFindingId.OtlpExportFailed, message,
                    "The server accepted the connection (or the network dropped it) but did not complete the exchange in time: a firewall that drops packets, a server that is not speaking TLS/OTLP on this port, or an overloaded receiver.",
                    $"Run Test-OtlpTlsEndpoint {endpoint.Original} to see which step stops; raise -TimeoutSec for a slow link.",
                    attempt);
            }

            if (attempt.Error is not null && FindInner<SocketException>(attempt.Error) is { } socket)
            {
                var message = $"The export never reached OTLP: no connection to {where} ({socket.SocketErrorCode}: {socket.Message}).";
                return Failed(OtlpFindingId.OtlpExportFailed, message,
                    socket.SocketErrorCode == SocketError.ConnectionRefused
                        ? "Nothing listens on that port, or a firewall rejects the connection."
                        : "The host could not be reached or its name did not resolve.",
                    $"Check the host and port and that the collector's receiver listens there (grpc {OtlpProtocols.GrpcPort}, http {OtlpProtocols.HttpPort}); Test-OtlpTlsEndpoint {endpoint.Original} reports DNS and TCP.",
                    attempt);
            }

            return grpc ? ClassifyGrpc(options, attempt, what) : ClassifyHttp(options, attempt, what);
        }

        private static Verdict ClassifyHttp(OtlpConnection options, ExportAttempt attempt, string what)
        {
            var signal = OtlpSignals.Name(attempt.Payload.Signal);
            var endpoint = options.Endpoint;
            var where = endpoint.Authority;
            var status = attempt.StatusCode;
            var serverSays = attempt.ServerMessage is null ? string.Empty : $": {attempt.ServerMessage}";

            if (attempt.AnsweredAsGrpc || status == 415)
            {
                var evidence = attempt.AnsweredAsGrpc ? $"the answer is gRPC (content type {attempt.ContentType ?? "none"}, grpc-status)" : "HTTP 415 Unsupported Media Type for application/x-protobuf";
                return WrongProtocol(options, attempt,
                    $"The server at {where} answered the OTLP/HTTP request like a gRPC server ({evidence}).",
                    $"This looks like an OTLP/gRPC port ({OtlpProtocols.GrpcPort}): it serves {attempt.Payload.GrpcMethod}, not POST {endpoint.Path}; the collector logs a 'bogus greeting' or rejects the content type.",
                    $"Use -Protocol grpc for this port (OTEL_EXPORTER_OTLP_PROTOCOL=grpc), or send OTLP/HTTP to the receiver's HTTP port ({OtlpProtocols.HttpPort}): https://{endpoint.Host}:{OtlpProtocols.HttpPort}/v1/{signal}.");
            }

            switch (status)
            {
                case 404:
                    var doubled = CountOf(endpoint.Path, "/v1/") > 1;
                    var cause = doubled
                        ? $"The path {endpoint.Path} contains /v1/ twice: OTEL_EXPORTER_OTLP_ENDPOINT is a base URL and the SDK appends /v1/{signal} to it, so a base URL that already ends in /v1/{signal} doubles it."
                        : !endpoint.Path.EndsWith("/v1/" + signal, StringComparison.Ordinal)
                            ? $"OTLP/HTTP receivers serve {signal} at /v1/{signal}; {endpoint.Path} is not that path."
                            : $"Nothing is served at /v1/{signal} here: this is not an OTLP/HTTP receiver, the receiver has no {signal} pipeline, or a proxy in front routes the path elsewhere.";
                    return Failed(OtlpFindingId.OtlpPathNotFound, $"The receiver at {where} answered 404 Not Found for POST {endpoint.Path}{serverSays}.", cause,
                        $"Set OTEL_EXPORTER_OTLP_ENDPOINT to the base URL (https://{where}) and let the SDK append /v1/{signal}, or OTEL_EXPORTER_OTLP_{signal.ToUpperInvariant()}_ENDPOINT to the full URL ending in /v1/{signal} exactly once; behind a proxy, route /v1/ to the collector's HTTP port ({OtlpProtocols.HttpPort}).",
                        attempt);
                case 401:
                case 403:
                    return Unauthenticated(options, attempt, $"HTTP {status} {(status == 401 ? "Unauthorized" : "Forbidden")}{serverSays}");
                case 405:
                    return Failed(OtlpFindingId.OtlpPathNotFound, $"The server at {where} does not accept POST at {endpoint.Path} (HTTP 405){serverSays}.",
                        $"The URL points at something other than an OTLP/HTTP receiver's /v1/{signal} (a UI, a health endpoint, a static site).",
                        $"Send {signal} to the receiver's /v1/{signal} on its HTTP port ({OtlpProtocols.HttpPort}).", attempt);
                case null:
                    var reason = attempt.Error is null ? "no response" : Innermost(attempt.Error).Message;
                    var port4317 = endpoint.Port == OtlpProtocols.GrpcPort;
                    if (port4317 || IsProtocolError(attempt.Error))
                    {
                        return WrongProtocol(options, attempt,
                            $"The server at {where} did not give the OTLP/HTTP request an HTTP answer ({reason}).",
                            $"{(port4317 ? $"Port {OtlpProtocols.GrpcPort} is the OTLP/gRPC port" : "The server does not speak HTTP/1.1 here")}: a gRPC-only server closes the connection or sends an HTTP/2 'bogus greeting' reply to an HTTP/1.1 request.",
                            $"Use -Protocol grpc for this port (OTEL_EXPORTER_OTLP_PROTOCOL=grpc), or send OTLP/HTTP to port {OtlpProtocols.HttpPort}.");
                    }

                    return Failed(OtlpFindingId.OtlpExportFailed, $"The OTLP/HTTP export to {where} failed before an answer arrived ({reason}).",
                        "The connection closed or broke after TLS: a proxy or load balancer in between, or a server that is not an OTLP receiver.",
                        $"Check the collector's and any proxy's logs at this time; Test-OtlpTlsEndpoint {endpoint.Original} shows the connection itself.", attempt);
                default:
                    return Failed(OtlpFindingId.OtlpExportFailed, $"The receiver at {where} refused the {what} with HTTP {status}{serverSays}.",
                        status >= 500 ? "The receiver or its backend failed (5xx): the request reached OTLP but was not stored."
                            : status == 429 ? "The receiver is throttling (429 Too Many Requests)."
                            : status == 400 ? "The receiver could not read the request (400 Bad Request): a proxy altering the body, or a receiver expecting another encoding (http/json)."
                            : $"The receiver answered {status}, which OTLP does not define for a valid request.",
                        "Read the receiver's message and the collector's logs for the same time; retry later for 429/503.", attempt);
            }
        }

        private static Verdict ClassifyGrpc(OtlpConnection options, ExportAttempt attempt, string what)
        {
            var endpoint = options.Endpoint;
            var where = endpoint.Authority;
            var detail = attempt.ServerMessage ?? (attempt.Error is null ? "no detail" : Innermost(attempt.Error).Message);
            var code = attempt.StatusCode;
            var name = code is null ? "no status" : $"{GrpcStatusName(code.Value)} ({code})";

            if (IsVersionNegotiationFailure(attempt.Error) || detail.IndexOf("protocol downgraded to HTTP/1.1", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                return WrongProtocol(options, attempt,
                    $"The server at {where} does not speak HTTP/2, so it cannot be an OTLP/gRPC receiver (ALPN {attempt.Tls.Alpn ?? "did not select h2"}).",
                    $"gRPC runs only over HTTP/2 (ALPN h2); this port serves HTTP/1.1: most often the OTLP/HTTP port ({OtlpProtocols.HttpPort}), or a proxy without HTTP/2.",
                    $"Use -Protocol http/protobuf for this port (OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf, https://{endpoint.Host}:{OtlpProtocols.HttpPort}), or point the gRPC exporter at the gRPC port ({OtlpProtocols.GrpcPort}); a proxy needs HTTP/2 enabled (nginx: http2 on, grpc_pass).");
            }

            if (detail.StartsWith("Bad gRPC response", StringComparison.OrdinalIgnoreCase))
            {
                return WrongProtocol(options, attempt,
                    $"The server at {where} answered the gRPC call with a plain HTTP response, not gRPC ({detail}).",
                    $"An HTTP server listens there (an OTLP/HTTP receiver on {OtlpProtocols.HttpPort}, a web server, or a proxy route that is not grpc_pass), not an OTLP/gRPC receiver.",
                    $"Use -Protocol http/protobuf for this port (https://{endpoint.Host}:{OtlpProtocols.HttpPort}/v1/{OtlpSignals.Name(attempt.Payload.Signal)}), or point the gRPC exporter at the gRPC port ({OtlpProtocols.GrpcPort}).");
            }

            switch (code)
            {
                case 16:
                case 7:
                    return Unauthenticated(options, attempt, $"gRPC {name}{(attempt.ServerMessage is null ? string.Empty : ": " + attempt.ServerMessage)}");
                case 12:
                    return Failed(OtlpFindingId.OtlpPathNotFound,
                        $"The gRPC server at {where} does not implement {attempt.Payload.GrpcMethod} (Unimplemented){(attempt.ServerMessage is null ? string.Empty : ": " + attempt.ServerMessage)}.",
                        $"The server speaks gRPC but serves no OTLP {OtlpSignals.Name(attempt.Payload.Signal)} receiver: the collector's otlp receiver is not in a {OtlpSignals.Name(attempt.Payload.Signal)} pipeline, another gRPC service listens on this port, or a proxy routes the service elsewhere.",
                        $"Add the otlp receiver to service.pipelines.{OtlpSignals.Name(attempt.Payload.Signal)}.receivers in the collector configuration, or point the exporter at the collector's OTLP/gRPC port ({OtlpProtocols.GrpcPort}).",
                        attempt);
                default:
                    return Failed(OtlpFindingId.OtlpExportFailed, $"The gRPC export of the {what} to {where} failed with {name}: {detail}.",
                        code == 14 ? "The receiver is unavailable (Unavailable): the connection broke, the server is shutting down, or a proxy has no healthy upstream."
                            : code == 8 ? "The receiver is out of resources or throttling (ResourceExhausted), or the message is larger than it accepts."
                            : code == 3 ? "The receiver could not read the request (InvalidArgument)."
                            : "The receiver or the connection failed for the reason in the status detail.",
                        "Read the status detail and the collector's logs for the same time; retry later for Unavailable/ResourceExhausted.", attempt);
            }
        }

        private static Verdict Unauthenticated(OtlpConnection options, ExportAttempt attempt, string answer)
        {
            var names = options.Headers.Keys.ToList();
            var sent = names.Count == 0
                ? "No headers were sent."
                : $"Headers sent: {string.Join(", ", names)} (values not shown); the receiver did not accept them.";
            return Failed(OtlpFindingId.OtlpUnauthenticated, $"The receiver at {options.Endpoint.Authority} refused the export: {answer}. {sent}",
                "The receiver or a gateway in front of it requires credentials in a request header (Authorization, api-key or a vendor header), and the right one did not arrive.",
                $"Send the header the backend expects: -Header @{{ Authorization = 'Bearer <token>' }} here, OTEL_EXPORTER_OTLP_HEADERS=authorization=Bearer%20<token> for an SDK, or headers: under the collector's otlp exporter. If it was sent, check its name, that the token is valid, and that it may write {OtlpSignals.Name(attempt.Payload.Signal)}.",
                attempt);
        }

        private static Verdict WrongProtocol(OtlpConnection options, ExportAttempt attempt, string message, string cause, string remediation) =>
            Failed(OtlpFindingId.OtlpWrongProtocol, message, cause, remediation, attempt);

        private static Verdict Failed(string id, string message, string cause, string remediation, ExportAttempt attempt) =>
            new(false, message, Finding(id, OtlpSeverity.Error, message, cause, remediation, Evidence(attempt, null)));

        private static OtlpFinding Finding(string id, OtlpSeverity severity, string message, string cause, string remediation, string evidence) =>
            new(id, severity, OtlpStage.Otlp, message, cause, remediation, evidence);

        private static string Evidence(ExportAttempt attempt, string? extra)
        {
            var parts = new System.Collections.Generic.List<string>
            {
                $"{OtlpProtocols.Name(attempt.Protocol)} {attempt.Url}",
            };
            if (attempt.StatusCode is { } status)
            {
                parts.Add($"status {status}");
            }

            if (attempt.HttpVersion is not null)
            {
                parts.Add($"HTTP/{attempt.HttpVersion}");
            }

            if (attempt.ContentType is not null)
            {
                parts.Add($"content-type {attempt.ContentType}");
            }

            if (attempt.Tls.Version is not null)
            {
                parts.Add($"{attempt.Tls.Version} {attempt.Tls.CipherSuite} ALPN {attempt.Tls.Alpn ?? "none"}");
            }

            if (attempt.Error is not null)
            {
                parts.Add($"{Innermost(attempt.Error).GetType().Name}: {Innermost(attempt.Error).Message}");
            }

            if (extra is not null)
            {
                parts.Add(extra);
            }

            return string.Join("; ", parts);
        }

        private static bool LooksLikePlaintext(string reason) =>
            reason.IndexOf("frame size", StringComparison.OrdinalIgnoreCase) >= 0
            || reason.IndexOf("corrupted frame", StringComparison.OrdinalIgnoreCase) >= 0
            || reason.IndexOf("wrong version number", StringComparison.OrdinalIgnoreCase) >= 0
            || reason.IndexOf("packet length too long", StringComparison.OrdinalIgnoreCase) >= 0;

        private static bool IsVersionNegotiationFailure(Exception? error)
        {
#if NET8_0_OR_GREATER
            for (var e = error; e is not null; e = OtlpGrpcCall.Next(e))
            {
                if (e is HttpRequestException { HttpRequestError: HttpRequestError.VersionNegotiationError })
                {
                    return true;
                }
            }
#endif
            return false;
        }

        private static bool IsProtocolError(Exception? error)
        {
#if NET8_0_OR_GREATER
            for (var e = error; e is not null; e = e.InnerException)
            {
                if (e is HttpRequestException { HttpRequestError: HttpRequestError.InvalidResponse or HttpRequestError.HttpProtocolError or HttpRequestError.ResponseEnded })
                {
                    return true;
                }
            }
#endif
            return false;
        }

        private static T? FindInner<T>(Exception error)
            where T : Exception
        {
            for (var e = error; e is not null; e = NextInner(e))
            {
                if (e is T match)
                {
                    return match;
                }
            }

            return null;
        }

        private static Exception? NextInner(Exception e) =>
#if NET8_0_OR_GREATER
            OtlpGrpcCall.Next(e);
#else
            e.InnerException;
#endif

        private static Exception Innermost(Exception error)
        {
            var e = error;
            while (NextInner(e) is { } inner)
            {
                e = inner;
            }

            return e;
        }

        private static int CountOf(string text, string part)
        {
            var count = 0;
            for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
            {
                count++;
            }

            return count;
        }

        private static string GrpcStatusName(int code) => code switch
        {
            0 => "OK", 1 => "Cancelled", 2 => "Unknown", 3 => "InvalidArgument", 4 => "DeadlineExceeded", 5 => "NotFound",
            6 => "AlreadyExists", 7 => "PermissionDenied", 8 => "ResourceExhausted", 9 => "FailedPrecondition", 10 => "Aborted",
            11 => "OutOfRange", 12 => "Unimplemented", 13 => "Internal", 14 => "Unavailable", 15 => "DataLoss", 16 => "Unauthenticated",
            _ => "status",
        };
    }
}
