using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

using OtelTls.Engine.Diagnosis;

namespace OtelTls.Engine.Otlp
{
    /// <summary>
    /// The OTLP client side: sends a real test span (<c>Send-OtlpTestSpan</c>) or an empty export request (the
    /// diagnosis's Otlp stage) over gRPC or HTTP/protobuf with the exporter's TLS settings, and explains the answer.
    /// </summary>
    public static class OtlpExporter
    {
        /// <summary>
        /// Exports one span. Anything the network or the receiver does is reported in the result (never thrown);
        /// only unusable input throws (<see cref="OtlpTlsException"/>: InvalidHeaderName, a bad certificate or key file,
        /// GrpcNotSupported on .NET Framework).
        /// </summary>
        public static async Task<OtlpExportResult> SendTestSpanAsync(OtlpConnectionOptions options, OtlpTestSpan span, CancellationToken cancellationToken)
        {
            ValidateOptions(options);
            if (span is null)
            {
                throw new ArgumentNullException(nameof(span));
            }

            if (span.Signal is not ("traces" or "metrics" or "logs"))
            {
                throw new OtlpTlsException("InvalidSignal", OtlpErrorKind.InvalidArgument, $"'{span.Signal}' is not an OTLP signal.", span.Signal,
                    "Use traces, metrics or logs.");
            }

            var timestamp = DateTimeOffset.UtcNow;
            var payload = OtlpMessages.Payload(span, timestamp, timestamp.AddMilliseconds(1));
            var attempt = await OtlpTransport.ExportAsync(options, payload, cancellationToken).ConfigureAwait(false);
            var what = span.Signal switch { "metrics" => "test metric", "logs" => "test log record", _ => "span" };
            var verdict = OtlpExportClassifier.Classify(options, attempt, what);
            return new OtlpExportResult
            {
                Endpoint = options.Endpoint.Original,
                Protocol = attempt.Protocol,
                Url = attempt.Url,
                Signal = span.Signal,
                Success = verdict.Success,
                StatusCode = attempt.StatusCode,
                Message = verdict.Message,
                RejectedSpans = attempt.Rejected,
                TraceId = span.TraceIdHex,
                SpanId = span.SpanIdHex,
                ServiceName = span.ServiceName,
                SpanName = span.SpanName,
                Duration = attempt.Duration,
                TlsVersion = attempt.Tls.Version,
                CipherSuite = attempt.Tls.CipherSuite,
                Alpn = attempt.Tls.Alpn,
                PeerCertificateSubject = attempt.Tls.PeerSubject,
                Finding = verdict.Finding,
                Timestamp = timestamp,
            };
        }

        /// <summary>
        /// Sends an empty trace export request (valid OTLP, writes nothing at the backend) and classifies the answer.
        /// The finding is null on success; otherwise OtlpWrongProtocol, OtlpPathNotFound, OtlpUnauthenticated or
        /// OtlpExportFailed (Error), or OtlpPartialSuccess (Warning, the request was accepted).
        /// </summary>
        public static async Task<OtlpExportProbeResult> ProbeAsync(OtlpConnectionOptions options, CancellationToken cancellationToken)
        {
            ValidateOptions(options);
#pragma warning disable CS0162 // GrpcSupported is a per-target constant.
            if (options.Endpoint.Protocol == OtlpProtocol.Grpc && !OtlpTransport.GrpcSupported)
            {
                // The diagnosis goes on without the export on Windows PowerShell 5.1; the TLS stages still ran.
                return new OtlpExportProbeResult(new OtlpExportCheck
                {
                    Ran = false,
                    Protocol = OtlpProtocol.Grpc,
                    Url = options.Endpoint.Url,
                    Message = "The OTLP/gRPC export check is not supported on Windows PowerShell 5.1 (.NET Framework has no HTTP/2 client OtelTls can use); run in PowerShell 7 for it.",
                }, null);
            }
#pragma warning restore CS0162

            var attempt = await OtlpTransport.ExportAsync(options, OtlpMessages.EmptyPayload("traces"), cancellationToken).ConfigureAwait(false);
            var verdict = OtlpExportClassifier.Classify(options, attempt, "empty export request");
            var check = new OtlpExportCheck
            {
                Ran = true,
                Succeeded = verdict.Success,
                StatusCode = attempt.StatusCode,
                Message = verdict.Message,
                Protocol = attempt.Protocol,
                Url = attempt.Url,
                Duration = attempt.Duration,
                RejectedCount = attempt.Rejected,
            };
            return new OtlpExportProbeResult(check, verdict.Finding);
        }

        /// <summary>Checks what can be checked before connecting: the endpoint, header names and values, the time bound.</summary>
        internal static void ValidateOptions(OtlpConnectionOptions options)
        {
            if (options is null)
            {
                throw new ArgumentNullException(nameof(options));
            }

            if (options.Endpoint is null)
            {
                throw new OtlpTlsException("EndpointRequired", OtlpErrorKind.InvalidArgument, "No OTLP endpoint was given.", null,
                    "Give an endpoint such as collector:4317 or https://collector:4318/v1/traces.");
            }

            EndpointParser.ValidateServerName(options.ServerName);
            if (options.Timeout <= TimeSpan.Zero)
            {
                throw new OtlpTlsException("InvalidTimeout", OtlpErrorKind.InvalidArgument, "The timeout must be positive.", options.Timeout,
                    "Give a timeout of at least one second.");
            }

            foreach (var header in options.Headers ?? throw new ArgumentNullException(nameof(options), "Headers is null."))
            {
                ValidateHeader(header.Key, header.Value, options.Endpoint.Protocol);
            }
        }

        private static readonly string[] ReservedHeaders =
        {
            "host", "content-type", "content-length", "te", "connection", "transfer-encoding", "upgrade", "keep-alive",
            "grpc-timeout", "grpc-encoding", "grpc-accept-encoding", "grpc-status", "grpc-message",
        };

        private static void ValidateHeader(string name, string? value, OtlpProtocol protocol)
        {
            string? why = null;
            if (string.IsNullOrEmpty(name))
            {
                why = "it is empty";
            }
            else if (!name.All(IsTokenChar))
            {
                why = "a header name may hold only letters, digits and !#$%&'*+-.^_`|~ (no spaces, colons or other separators)";
            }
            else if (ReservedHeaders.Contains(name.ToLowerInvariant()))
            {
                why = "the transport sets this header itself";
            }
            else if (protocol == OtlpProtocol.Grpc && name.EndsWith("-bin", StringComparison.OrdinalIgnoreCase))
            {
                why = "gRPC metadata ending in -bin carries binary values, which a text header cannot give";
            }

            if (why is not null)
            {
                throw new OtlpTlsException("InvalidHeaderName", OtlpErrorKind.InvalidArgument,
                    $"'{name}' cannot be sent as a header: {why}.", name,
                    "Use the header name the backend documents, e.g. Authorization or api-key: -Header @{ 'api-key' = $key }.");
            }

            if (value is null || value.Any(c => c == '\r' || c == '\n' || c == '\0'))
            {
                // The value itself is never shown: it is usually a secret.
                throw new OtlpTlsException("InvalidHeaderValue", OtlpErrorKind.InvalidArgument,
                    $"The value of header '{name}' is missing or contains a line break or NUL character (value not shown).", name,
                    "Remove line breaks from the value (a token read from a file often ends with one: use .Trim()).");
            }
        }

        private static bool IsTokenChar(char c) =>
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".IndexOf(c) >= 0;
    }
}
