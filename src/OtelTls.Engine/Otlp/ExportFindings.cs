using System;
using System.Collections.Generic;
using System.Globalization;
using OtelTls.Engine.Vocabulary;

namespace OtelTls.Engine.Otlp
{
    /// <summary>
    /// The wording of every finding of the export stage: what the receiver answered (or that nothing OTLP was reached),
    /// why an exporter fails the same way, and what to change. The rules that pick one are in
    /// <see cref="OtlpExportClassifier"/>; <c>where</c> is the receiver's host:port, <c>original</c> the endpoint as given
    /// (for the Test-OtlpTlsEndpoint command to run next).
    /// </summary>
    internal static class ExportFindings
    {
        private const string NotHttp2Cause = "gRPC runs only over HTTP/2 (ALPN h2); this port serves HTTP/1.1";

        public static OtlpFinding PartialSuccess(string where, string what, long rejected, string itemNoun, string? receiverMessage) => New(
            OtlpFindingId.OtlpPartialSuccess, OtlpSeverity.Warning,
            $"The receiver at {where} accepted the {what} but rejected {rejected} {itemNoun}{(receiverMessage is null ? string.Empty : ": " + receiverMessage)}.",
            "The receiver answered with OTLP partial success: the request was valid, but some items were dropped (invalid data, limits, or a backend policy).",
            "Read the receiver's message; check its limits and the collector's processors (filter, memory_limiter) and the backend's ingestion rules.");

        /// <param name="where">The receiver.</param>
        /// <param name="reason">How the connection ended.</param>
        /// <param name="leafSubject">The client certificate sent.</param>
        /// <param name="leafIssuer">The intermediate that was not sent.</param>
        /// <param name="certificatePath">The file holding the chain.</param>
        /// <param name="original">The endpoint as given.</param>
        public static OtlpFinding LeafSentWithoutIntermediate(string where, string reason, string leafSubject, string leafIssuer, string? certificatePath, string original) => New(
            OtlpFindingId.OtlpExportFailed, OtlpSeverity.Error,
            $"The export never reached OTLP: {where} ended the connection after the TLS handshake ({reason}). OtelTls, like the OpenTelemetry .NET exporter, sends the client certificate '{leafSubject}' without the intermediate '{leafIssuer}' that follows it in '{certificatePath}'.",
            "A receiver whose client_ca_file holds only the root cannot build the path from a leaf issued by an intermediate, so it refuses the client. Clients that send the chain (Go, Java, OpenSSL) are accepted.",
            $"Add the intermediate '{leafIssuer}' to the collector's client_ca_file, or issue the client certificate directly from the root; Test-OtlpTlsEndpoint {original} with the same files shows it (PlatformDisagreement).");

        public static OtlpFinding GrpcAlpnRefused(string where, string host) => WrongProtocol(
            $"The server at {where} does not speak HTTP/2, so it cannot be an OTLP/gRPC receiver: it refused ALPN h2 (TLS alert no_application_protocol).",
            $"{NotHttp2Cause} only: most often the OTLP/HTTP port ({OtlpProtocols.HttpPort}), or a proxy without HTTP/2.",
            UseHttpForThisPort(host));

        public static OtlpFinding HttpAlpnRefused(string where) => WrongProtocol(
            $"The server at {where} refused the ALPN protocols of an HTTP client (h2, http/1.1) (TLS alert no_application_protocol).",
            $"The server speaks another application protocol on this port; a gRPC server that also refuses plain HTTP/2 requests does this. If this is the gRPC port ({OtlpProtocols.GrpcPort}), the exporter must use gRPC.",
            UseGrpcForThisPort);

        public static OtlpFinding TlsAnsweredInPlaintext(string where, string reason, string original) => New(
            OtlpFindingId.OtlpExportFailed, OtlpSeverity.Error,
            TlsFailedMessage(where, reason),
            "The server does not speak TLS on this port: it answered the TLS handshake in plaintext (an OTLP receiver without a tls: block).",
            $"Either enable TLS on the receiver (tls: cert_file/key_file), or, if plaintext is intended, use http://{where} (OTEL_EXPORTER_OTLP_INSECURE=true for gRPC exporters without a scheme). Test-OtlpTlsEndpoint {original} confirms it (TlsNotEnabled).");

        public static OtlpFinding TlsFailed(string where, string reason, string original) => New(
            OtlpFindingId.OtlpExportFailed, OtlpSeverity.Error,
            TlsFailedMessage(where, reason),
            "The TLS handshake failed before any OTLP request was sent, so the receiver never saw it.",
            $"Run Test-OtlpTlsEndpoint {original} with the same -CaCertificate, -ClientCertificate and -ServerName: its TLS finding names the cause and the fix.");

        public static OtlpFinding ClientCertificateNotGiven(string where, string reason, string original) => New(
            OtlpFindingId.OtlpExportFailed, OtlpSeverity.Error,
            $"The export never reached OTLP: {where} asked for a client certificate (mutual TLS), none was given, and the connection ended without an answer ({reason}).",
            "The server requires mutual TLS. With TLS 1.3 it refuses a client without a certificate only after the handshake, so the exporter sees a broken connection rather than a TLS error.",
            $"Give the client certificate and key (-ClientCertificate/-ClientKey; OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE and OTEL_EXPORTER_OTLP_CLIENT_KEY for an SDK); Test-OtlpTlsEndpoint {original} shows which CAs the server accepts.");

        /// <param name="where">The receiver.</param>
        /// <param name="timeout">The export's time limit.</param>
        /// <param name="stage">How far the exchange got, e.g. "no TLS session was established".</param>
        /// <param name="original">The endpoint as given.</param>
        public static OtlpFinding TimedOut(string where, TimeSpan timeout, string stage, string original) => New(
            OtlpFindingId.OtlpExportFailed, OtlpSeverity.Error,
            $"No answer from {where} within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s: {stage}.",
            "The server accepted the connection (or the network dropped it) but did not complete the exchange in time: a firewall that drops packets, a server that is not speaking TLS/OTLP on this port, or an overloaded receiver.",
            $"Run Test-OtlpTlsEndpoint {original} to see which step stops; raise -TimeoutSec for a slow link.");

        /// <param name="where">The receiver.</param>
        /// <param name="socketError">The socket error's name.</param>
        /// <param name="socketMessage">The socket error's text.</param>
        /// <param name="refused">Whether the connection was refused (rather than unreachable).</param>
        /// <param name="original">The endpoint as given.</param>
        public static OtlpFinding NoConnection(string where, string socketError, string socketMessage, bool refused, string original) => New(
            OtlpFindingId.OtlpExportFailed, OtlpSeverity.Error,
            $"The export never reached OTLP: no connection to {where} ({socketError}: {socketMessage}).",
            refused
                ? "Nothing listens on that port, or a firewall rejects the connection."
                : "The host could not be reached or its name did not resolve.",
            $"Check the host and port and that the collector's receiver listens there (grpc {OtlpProtocols.GrpcPort}, http {OtlpProtocols.HttpPort}); Test-OtlpTlsEndpoint {original} reports DNS and TCP.");

        /// <param name="where">The receiver.</param>
        /// <param name="evidence">What showed it is gRPC.</param>
        /// <param name="grpcMethod">The gRPC method of the signal.</param>
        /// <param name="path">The HTTP path posted to.</param>
        /// <param name="host">The receiver's host.</param>
        /// <param name="signal">The signal's name.</param>
        public static OtlpFinding HttpAnsweredByGrpc(string where, string evidence, string grpcMethod, string path, string host, string signal) => WrongProtocol(
            $"The server at {where} answered the OTLP/HTTP request like a gRPC server ({evidence}).",
            $"This looks like an OTLP/gRPC port ({OtlpProtocols.GrpcPort}): it serves {grpcMethod}, not POST {path}; the collector logs a 'bogus greeting' or rejects the content type.",
            $"Use -Protocol grpc for this port (OTEL_EXPORTER_OTLP_PROTOCOL=grpc), or send OTLP/HTTP to the receiver's HTTP port ({OtlpProtocols.HttpPort}): https://{host}:{OtlpProtocols.HttpPort}/v1/{signal}.");

        /// <param name="where">The receiver.</param>
        /// <param name="path">The HTTP path posted to.</param>
        /// <param name="serverSays">": " and the receiver's message, or empty.</param>
        /// <param name="signal">The signal's name.</param>
        public static OtlpFinding HttpPathNotFound(string where, string path, string serverSays, string signal)
        {
            var signalPath = "/v1/" + signal;
            var cause = CountOf(path, "/v1/") > 1
                ? $"The path {path} contains /v1/ twice: OTEL_EXPORTER_OTLP_ENDPOINT is a base URL and the SDK appends {signalPath} to it, so a base URL that already ends in {signalPath} doubles it."
                : !path.EndsWith(signalPath, StringComparison.Ordinal)
                    ? $"OTLP/HTTP receivers serve {signal} at {signalPath}; {path} is not that path."
                    : $"Nothing is served at {signalPath} here: this is not an OTLP/HTTP receiver, the receiver has no {signal} pipeline, or a proxy in front routes the path elsewhere.";
            return New(
                OtlpFindingId.OtlpPathNotFound, OtlpSeverity.Error,
                $"The receiver at {where} answered 404 Not Found for POST {path}{serverSays}.",
                cause,
                $"Set OTEL_EXPORTER_OTLP_ENDPOINT to the base URL (https://{where}) and let the SDK append {signalPath}, or OTEL_EXPORTER_OTLP_{signal.ToUpperInvariant()}_ENDPOINT to the full URL ending in {signalPath} exactly once; behind a proxy, route /v1/ to the collector's HTTP port ({OtlpProtocols.HttpPort}).");
        }

        public static OtlpFinding HttpMethodNotAllowed(string where, string path, string serverSays, string signal) => New(
            OtlpFindingId.OtlpPathNotFound, OtlpSeverity.Error,
            $"The server at {where} does not accept POST at {path} (HTTP 405){serverSays}.",
            $"The URL points at something other than an OTLP/HTTP receiver's /v1/{signal} (a UI, a health endpoint, a static site).",
            $"Send {signal} to the receiver's /v1/{signal} on its HTTP port ({OtlpProtocols.HttpPort}).");

        public static OtlpFinding HttpNotAnsweredLikeHttp(string where, string reason, bool grpcPort) => WrongProtocol(
            $"The server at {where} did not give the OTLP/HTTP request an HTTP answer ({reason}).",
            $"{(grpcPort ? $"Port {OtlpProtocols.GrpcPort} is the OTLP/gRPC port" : "The server does not speak HTTP/1.1 here")}: a gRPC-only server closes the connection or sends an HTTP/2 'bogus greeting' reply to an HTTP/1.1 request.",
            UseGrpcForThisPort);

        public static OtlpFinding HttpNoAnswer(string where, string reason, string original) => New(
            OtlpFindingId.OtlpExportFailed, OtlpSeverity.Error,
            $"The OTLP/HTTP export to {where} failed before an answer arrived ({reason}).",
            "The connection closed or broke after TLS: a proxy or load balancer in between, or a server that is not an OTLP receiver.",
            $"Check the collector's and any proxy's logs at this time; Test-OtlpTlsEndpoint {original} shows the connection itself.");

        public static OtlpFinding HttpRefused(string where, string what, int status, string serverSays) => New(
            OtlpFindingId.OtlpExportFailed, OtlpSeverity.Error,
            $"The receiver at {where} refused the {what} with HTTP {status}{serverSays}.",
            status >= 500 ? "The receiver or its backend failed (5xx): the request reached OTLP but was not stored."
                : status == 429 ? "The receiver is throttling (429 Too Many Requests)."
                : status == 400 ? "The receiver could not read the request (400 Bad Request): a proxy altering the body, or a receiver expecting another encoding (http/json)."
                : $"The receiver answered {status}, which OTLP does not define for a valid request.",
            "Read the receiver's message and the collector's logs for the same time; retry later for 429/503.");

        public static OtlpFinding GrpcOverHttp1(string where, string? alpn, string host) => WrongProtocol(
            $"The server at {where} does not speak HTTP/2, so it cannot be an OTLP/gRPC receiver (ALPN {alpn ?? "did not select h2"}).",
            $"{NotHttp2Cause}: most often the OTLP/HTTP port ({OtlpProtocols.HttpPort}), or a proxy without HTTP/2.",
            UseHttpForThisPort(host));

        public static OtlpFinding GrpcAnsweredByHttp(string where, string detail, string host, string signal) => WrongProtocol(
            $"The server at {where} answered the gRPC call with a plain HTTP response, not gRPC ({detail}).",
            $"An HTTP server listens there (an OTLP/HTTP receiver on {OtlpProtocols.HttpPort}, a web server, or a proxy route that is not grpc_pass), not an OTLP/gRPC receiver.",
            $"Use -Protocol http/protobuf for this port (https://{host}:{OtlpProtocols.HttpPort}/v1/{signal}), or point the gRPC exporter at the gRPC port ({OtlpProtocols.GrpcPort}).");

        public static OtlpFinding GrpcUnimplemented(string where, string grpcMethod, string? serverMessage, string signal) => New(
            OtlpFindingId.OtlpPathNotFound, OtlpSeverity.Error,
            $"The gRPC server at {where} does not implement {grpcMethod} (Unimplemented){(serverMessage is null ? string.Empty : ": " + serverMessage)}.",
            $"The server speaks gRPC but serves no OTLP {signal} receiver: the collector's otlp receiver is not in a {signal} pipeline, another gRPC service listens on this port, or a proxy routes the service elsewhere.",
            $"Add the otlp receiver to service.pipelines.{signal}.receivers in the collector configuration, or point the exporter at the collector's OTLP/gRPC port ({OtlpProtocols.GrpcPort}).");

        /// <param name="where">The receiver.</param>
        /// <param name="what">What was exported, e.g. "test span".</param>
        /// <param name="status">The status's name and code, e.g. "Unavailable (14)".</param>
        /// <param name="code">The gRPC status code, if any.</param>
        /// <param name="detail">The status detail.</param>
        public static OtlpFinding GrpcFailed(string where, string what, string status, int? code, string detail) => New(
            OtlpFindingId.OtlpExportFailed, OtlpSeverity.Error,
            $"The gRPC export of the {what} to {where} failed with {status}: {detail}.",
            code == 14 ? "The receiver is unavailable (Unavailable): the connection broke, the server is shutting down, or a proxy has no healthy upstream."
                : code == 8 ? "The receiver is out of resources or throttling (ResourceExhausted), or the message is larger than it accepts."
                : code == 3 ? "The receiver could not read the request (InvalidArgument)."
                : "The receiver or the connection failed for the reason in the status detail.",
            "Read the status detail and the collector's logs for the same time; retry later for Unavailable/ResourceExhausted.");

        /// <param name="authority">The receiver.</param>
        /// <param name="answer">What it answered, e.g. "HTTP 401 Unauthorized".</param>
        /// <param name="headerNames">The names of the headers sent (never their values).</param>
        /// <param name="signal">The signal's name.</param>
        public static OtlpFinding Unauthenticated(string authority, string answer, IReadOnlyCollection<string> headerNames, string signal)
        {
            var sent = headerNames.Count == 0
                ? "No headers were sent."
                : $"Headers sent: {string.Join(", ", headerNames)} (values not shown); the receiver did not accept them.";
            return New(
                OtlpFindingId.OtlpUnauthenticated, OtlpSeverity.Error,
                $"The receiver at {authority} refused the export: {answer}. {sent}",
                "The receiver or a gateway in front of it requires credentials in a request header (Authorization, api-key or a vendor header), and the right one did not arrive.",
                $"Send the header the backend expects: -Header @{{ Authorization = 'Bearer <token>' }} here, OTEL_EXPORTER_OTLP_HEADERS=authorization=Bearer%20<token> for an SDK, or headers: under the collector's otlp exporter. If it was sent, check its name, that the token is valid, and that it may write {signal}.");
        }

        private static string UseGrpcForThisPort =>
            $"Use -Protocol grpc for this port (OTEL_EXPORTER_OTLP_PROTOCOL=grpc), or send OTLP/HTTP to port {OtlpProtocols.HttpPort}.";

        private static string UseHttpForThisPort(string host) =>
            $"Use -Protocol http/protobuf for this port (OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf, https://{host}:{OtlpProtocols.HttpPort}), or point the gRPC exporter at the gRPC port ({OtlpProtocols.GrpcPort}); a proxy needs HTTP/2 enabled (nginx: http2 on, grpc_pass).";

        private static string TlsFailedMessage(string where, string reason) =>
            $"The export never reached OTLP: the TLS connection to {where} failed ({reason}).";

        private static int CountOf(string text, string part)
        {
            var count = 0;
            for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
            {
                count++;
            }

            return count;
        }

        private static OtlpFinding WrongProtocol(string message, string cause, string remediation) =>
            New(OtlpFindingId.OtlpWrongProtocol, OtlpSeverity.Error, message, cause, remediation);

        private static OtlpFinding New(string id, OtlpSeverity severity, string message, string cause, string remediation) =>
            new(id, severity, OtlpStage.Otlp, message, cause, remediation);
    }
}
