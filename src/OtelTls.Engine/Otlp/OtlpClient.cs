using System;
using System.Threading;
using System.Threading.Tasks;
using OtelTls.Engine.Client;
using OtelTls.Engine.Vocabulary;

namespace OtelTls.Engine.Otlp
{
    /// <summary>
    /// The OTLP client side: sends a real test span (<c>Send-OtlpTestSpan</c>) or an empty export request (the
    /// diagnosis's Otlp stage) over gRPC or HTTP/protobuf with the exporter's TLS settings, and explains the answer.
    /// </summary>
    public static class OtlpClient
    {
        /// <summary>
        /// Exports one span. Anything the network or the receiver does is reported in the result (never thrown);
        /// only unusable input throws (<see cref="OtlpTlsException"/>: InvalidHeaderName, a bad certificate or key file,
        /// GrpcNotSupported on .NET Framework).
        /// </summary>
        /// <param name="endpoint">The receiver; its protocol picks gRPC or HTTP/protobuf.</param>
        /// <param name="settings">Trust, client certificate, server name, headers and time bound, loaded once by the caller.</param>
        /// <param name="span">What to send.</param>
        /// <param name="cancellationToken">Stops the export.</param>
        public static async Task<OtlpExportResult> SendTestSpanAsync(OtlpEndpoint endpoint, OtlpClientSettings settings, OtlpTestSpan span, CancellationToken cancellationToken)
        {
            var options = new OtlpConnection(endpoint, settings);
            if (span is null)
            {
                throw new ArgumentNullException(nameof(span));
            }

            OtlpSignals.Check(span.Signal);

            var timestamp = DateTimeOffset.UtcNow;
            var payload = OtlpMessages.Payload(span, timestamp, timestamp.AddMilliseconds(1));
            var attempt = await OtlpTransport.ExportAsync(options, payload, cancellationToken).ConfigureAwait(false);
            var what = span.Signal switch { OtlpSignal.Metrics => "test metric", OtlpSignal.Logs => "test log record", _ => "span" };
            var verdict = OtlpExportClassifier.Classify(options, attempt, what);
            return new OtlpExportResult
            {
                Endpoint = options.Endpoint.Original,
                Protocol = attempt.Protocol,
                Url = attempt.Url,
                Signal = span.Signal,
                Succeeded = verdict.Succeeded,
                StatusCode = attempt.StatusCode,
                Message = verdict.Message,
                RejectedCount = attempt.Rejected,
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
        /// <param name="endpoint">The receiver.</param>
        /// <param name="settings">The client settings, loaded once by the caller.</param>
        /// <param name="cancellationToken">Stops the export.</param>
        public static async Task<OtlpExportProbeResult> ProbeAsync(OtlpEndpoint endpoint, OtlpClientSettings settings, CancellationToken cancellationToken)
        {
            var options = new OtlpConnection(endpoint, settings);
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

            var attempt = await OtlpTransport.ExportAsync(options, OtlpMessages.EmptyPayload(OtlpSignal.Traces), cancellationToken).ConfigureAwait(false);
            var verdict = OtlpExportClassifier.Classify(options, attempt, "empty export request");
            var check = new OtlpExportCheck
            {
                Ran = true,
                Succeeded = verdict.Succeeded,
                StatusCode = attempt.StatusCode,
                Message = verdict.Message,
                Protocol = attempt.Protocol,
                Url = attempt.Url,
                Duration = attempt.Duration,
                RejectedCount = attempt.Rejected,
            };
            return new OtlpExportProbeResult(check, verdict.Finding)
            {
                TlsAccepted = attempt.Tls.Version is not null && attempt.Tls.PeerSubject is not null && attempt.Tls.ValidationFailure is null,
                TlsVersion = attempt.Tls.Version,
                Alpn = attempt.Tls.Alpn,
            };
        }
    }
}
