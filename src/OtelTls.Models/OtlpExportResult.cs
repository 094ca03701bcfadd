using System;

namespace OtelTls
{
    /// <summary>
    /// What <c>Send-OtlpTestSpan</c> did: where the span went, over which transport and TLS session, and what the
    /// receiver answered. A failed export is data too: <see cref="Succeeded"/> is false and <see cref="Finding"/> says why.
    /// </summary>
    public sealed class OtlpExportResult
    {
        internal OtlpExportResult() { }

        /// <summary>The endpoint as given (binds by property name to <c>Test-OtlpTlsEndpoint</c>).</summary>
        public string Endpoint { get; internal set; } = string.Empty;

        /// <summary>The transport used.</summary>
        public OtlpProtocol Protocol { get; internal set; }

        /// <summary>The URL the request went to: for HTTP/protobuf the POST target, for gRPC the channel address.</summary>
        public string Url { get; internal set; } = string.Empty;

        /// <summary>The signal exported: Traces, Metrics or Logs.</summary>
        public OtlpSignal Signal { get; internal set; }

        /// <summary>True when the receiver accepted the export request.</summary>
        public bool Succeeded { get; internal set; }

        /// <summary>The gRPC status code (0 = OK) or the HTTP status code; null when no answer came.</summary>
        public int? StatusCode { get; internal set; }

        /// <summary>What happened, in one sentence.</summary>
        public string Message { get; internal set; } = string.Empty;

        /// <summary>
        /// Items the receiver said it rejected (OTLP partial success: spans, or data points / log records for the other
        /// signals); 0 when all were accepted.
        /// </summary>
        public long RejectedCount { get; internal set; }

        /// <summary>The trace id of the test span, 32 lowercase hex digits: search for it in the backend.</summary>
        public string TraceId { get; internal set; } = string.Empty;

        /// <summary>The span id of the test span, 16 lowercase hex digits.</summary>
        public string SpanId { get; internal set; } = string.Empty;

        /// <summary>The <c>service.name</c> resource attribute sent.</summary>
        public string ServiceName { get; internal set; } = string.Empty;

        /// <summary>The span name sent.</summary>
        public string SpanName { get; internal set; } = string.Empty;

        /// <summary>Time from the start of the connection to the answer.</summary>
        public TimeSpan Duration { get; internal set; }

        /// <summary>Negotiated TLS version, e.g. <c>TLS 1.3</c>; null for plaintext or when the platform does not tell.</summary>
        public string? TlsVersion { get; internal set; }

        /// <summary>Negotiated cipher suite (IANA name); null when the platform does not tell.</summary>
        public string? CipherSuite { get; internal set; }

        /// <summary>ALPN protocol the server selected (<c>h2</c>, <c>http/1.1</c>), when known.</summary>
        public string? Alpn { get; internal set; }

        /// <summary>Subject of the certificate the server presented.</summary>
        public string? PeerCertificateSubject { get; internal set; }

        /// <summary>Why the export failed (or the partial-success warning), with its fix; null on a clean success.</summary>
        public OtlpFinding? Finding { get; internal set; }

        /// <summary>When the export was sent.</summary>
        public DateTimeOffset Timestamp { get; internal set; }

        /// <summary>Verdict, transport, URL and message in one line.</summary>
        public override string ToString() => $"{(Succeeded ? "Sent" : "Failed")} {Protocol} {Url}: {Message}";
    }
}
