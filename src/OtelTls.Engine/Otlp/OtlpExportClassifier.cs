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
                    var partial = ExportFindings.PartialSuccess(where, what, attempt.Rejected, attempt.Payload.ItemNoun, attempt.PartialSuccessMessage);
                    return new Verdict(true, partial.Message, WithEvidence(partial, Evidence(attempt, $"rejected={attempt.Rejected}")));
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
                return Failed(ExportFindings.LeafSentWithoutIntermediate(where, reason, leaf.Subject, leaf.Issuer, credential.CertificatePath, endpoint.Original), attempt);
            }

            if (attempt.Tls.ValidationFailure is not null || (attempt.Error is not null && FindInner<AuthenticationException>(attempt.Error) is not null))
            {
                var reason = attempt.Tls.ValidationFailure ?? Innermost(attempt.Error!).Message;
                if (attempt.Tls.ValidationFailure is null && reason.IndexOf("no application protocol", StringComparison.OrdinalIgnoreCase) >= 0)
                {
                    // TLS alert 120: the server supports none of the ALPN protocols offered. gRPC offers only h2, so the
                    // server has no HTTP/2; the HTTP client offers h2 and http/1.1, so only a server without either refuses.
                    return Failed(grpc ? ExportFindings.GrpcAlpnRefused(where, endpoint.Host) : ExportFindings.HttpAlpnRefused(where), attempt);
                }

                // .NET's words for a server that answered the ClientHello with something that is not TLS.
                return Failed(attempt.Tls.ValidationFailure is null && LooksLikePlaintext(reason)
                    ? ExportFindings.TlsAnsweredInPlaintext(where, reason, endpoint.Original)
                    : ExportFindings.TlsFailed(where, reason, endpoint.Original), attempt);
            }

            if (attempt.Tls.ClientCertificateRequested && attempt.StatusCode is null)
            {
                var reason = attempt.Error is null ? "no answer" : Innermost(attempt.Error).Message;
                return Failed(ExportFindings.ClientCertificateNotGiven(where, reason, endpoint.Original), attempt);
            }

            if (attempt.TimedOut)
            {
                var stage = attempt.Tls.Stream is null && endpoint.TlsRequested != false
                    ? "no TLS session was established"
                    : attempt.StatusCode is null ? "no answer to the request arrived" : "the answer did not complete";
                return Failed(ExportFindings.TimedOut(where, options.Timeout, stage, endpoint.Original), attempt);
            }

            if (attempt.Error is not null && FindInner<SocketException>(attempt.Error) is { } socket)
            {
                return Failed(ExportFindings.NoConnection(where, socket.SocketErrorCode.ToString(), socket.Message,
                    socket.SocketErrorCode == SocketError.ConnectionRefused, endpoint.Original), attempt);
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
                return Failed(ExportFindings.HttpAnsweredByGrpc(where, evidence, attempt.Payload.GrpcMethod, endpoint.Path, endpoint.Host, signal), attempt);
            }

            switch (status)
            {
                case 404:
                    return Failed(ExportFindings.HttpPathNotFound(where, endpoint.Path, serverSays, signal), attempt);
                case 401:
                case 403:
                    return Unauthenticated(options, attempt, $"HTTP {status} {(status == 401 ? "Unauthorized" : "Forbidden")}{serverSays}");
                case 405:
                    return Failed(ExportFindings.HttpMethodNotAllowed(where, endpoint.Path, serverSays, signal), attempt);
                case null:
                    var reason = attempt.Error is null ? "no response" : Innermost(attempt.Error).Message;
                    var port4317 = endpoint.Port == OtlpProtocols.GrpcPort;
                    if (port4317 || IsProtocolError(attempt.Error))
                    {
                        return Failed(ExportFindings.HttpNotAnsweredLikeHttp(where, reason, port4317), attempt);
                    }

                    return Failed(ExportFindings.HttpNoAnswer(where, reason, endpoint.Original), attempt);
                default:
                    return Failed(ExportFindings.HttpRefused(where, what, status.Value, serverSays), attempt);
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
                return Failed(ExportFindings.GrpcOverHttp1(where, attempt.Tls.Alpn, endpoint.Host), attempt);
            }

            if (detail.StartsWith("Bad gRPC response", StringComparison.OrdinalIgnoreCase))
            {
                return Failed(ExportFindings.GrpcAnsweredByHttp(where, detail, endpoint.Host, OtlpSignals.Name(attempt.Payload.Signal)), attempt);
            }

            switch (code)
            {
                case 16:
                case 7:
                    return Unauthenticated(options, attempt, $"gRPC {name}{(attempt.ServerMessage is null ? string.Empty : ": " + attempt.ServerMessage)}");
                case 12:
                    return Failed(ExportFindings.GrpcUnimplemented(where, attempt.Payload.GrpcMethod, attempt.ServerMessage, OtlpSignals.Name(attempt.Payload.Signal)), attempt);
                default:
                    return Failed(ExportFindings.GrpcFailed(where, what, name, code, detail), attempt);
            }
        }

        private static Verdict Unauthenticated(OtlpConnection options, ExportAttempt attempt, string answer) =>
            Failed(ExportFindings.Unauthenticated(options.Endpoint.Authority, answer, options.Headers.Keys.ToList(), OtlpSignals.Name(attempt.Payload.Signal)), attempt);

        private static Verdict Failed(OtlpFinding finding, ExportAttempt attempt) =>
            new(false, finding.Message, WithEvidence(finding, Evidence(attempt, null)));

        private static OtlpFinding WithEvidence(OtlpFinding finding, string evidence) =>
            new(finding.Id, finding.Severity, finding.Stage, finding.Message, finding.Cause, finding.Remediation, evidence);

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

        private static string GrpcStatusName(int code) => code switch
        {
            0 => "OK", 1 => "Cancelled", 2 => "Unknown", 3 => "InvalidArgument", 4 => "DeadlineExceeded", 5 => "NotFound",
            6 => "AlreadyExists", 7 => "PermissionDenied", 8 => "ResourceExhausted", 9 => "FailedPrecondition", 10 => "Aborted",
            11 => "OutOfRange", 12 => "Unimplemented", 13 => "Internal", 14 => "Unavailable", 15 => "DataLoss", 16 => "Unauthenticated",
            _ => "status",
        };
    }
}
