using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using Org.BouncyCastle.Utilities.Encoders;

namespace OtelTls.Engine.Otlp
{
    /// <summary>The span <see cref="OtlpClient.SendTestSpanAsync"/> sends; ids are random unless set.</summary>
    public sealed class OtlpTestSpan
    {
        /// <summary>Creates a span with fresh random trace and span ids.</summary>
        public OtlpTestSpan()
        {
            TraceId = RandomBytes(16);
            SpanId = RandomBytes(8);
        }

        /// <summary>The <c>service.name</c> resource attribute: what the backend lists the span under.</summary>
        public string ServiceName { get; set; } = "oteltls-probe";

        /// <summary>The span name.</summary>
        public string SpanName { get; set; } = "oteltls test span";

        /// <summary>
        /// Traces (a span), Metrics (a gauge <c>oteltls.probe</c> = 1 described by the span name) or Logs (an INFO log
        /// record whose body is the span name, carrying the trace and span ids). The endpoint's HTTP path must be the
        /// signal's (<c>/v1/metrics</c>): parse it with the same signal.
        /// </summary>
        public OtlpSignal Signal { get; set; } = OtlpSignal.Traces;

        /// <summary>Span attributes: strings, booleans, integers, floating point numbers, byte arrays or arrays of these.</summary>
        public IDictionary<string, object?> Attributes { get; set; } = new Dictionary<string, object?>();

        /// <summary>16 random bytes (never all zero: OTLP treats that as invalid).</summary>
        public byte[] TraceId { get; set; }

        /// <summary>8 random bytes.</summary>
        public byte[] SpanId { get; set; }

        /// <summary>The trace id as 32 lowercase hex digits, the form backends search by.</summary>
        public string TraceIdHex => Hex.ToHexString(TraceId);

        /// <summary>The span id as 16 lowercase hex digits.</summary>
        public string SpanIdHex => Hex.ToHexString(SpanId);

        private static byte[] RandomBytes(int count)
        {
            var bytes = new byte[count];
            using var random = RandomNumberGenerator.Create();
            do
            {
                random.GetBytes(bytes);
            }
            while (Array.TrueForAll(bytes, b => b == 0));

            return bytes;
        }
    }

    /// <summary>Outcome of the diagnosis's OTLP stage: the check that ran and, when it did not pass cleanly, the finding.</summary>
    public sealed class OtlpExportProbeResult
    {
        internal OtlpExportProbeResult(OtlpExportCheck check, OtlpFinding? finding)
        {
            Check = check;
            Finding = finding;
        }

        /// <summary>What was sent and answered.</summary>
        public OtlpExportCheck Check { get; }

        /// <summary>Null on success; otherwise an Otlp-stage finding (an Error, or the partial-success Warning).</summary>
        public OtlpFinding? Finding { get; }

        /// <summary>
        /// The export's TLS handshake completed and its server-certificate verdict accepted the server: what the
        /// diagnosis's platform check would have concluded on a connection of its own.
        /// </summary>
        internal bool TlsAccepted { get; set; }

        /// <summary>The TLS version the export negotiated (<c>TLS 1.3</c>); null when its handshake did not complete.</summary>
        internal string? TlsVersion { get; set; }

        /// <summary>The ALPN protocol the export negotiated; null when none.</summary>
        internal string? Alpn { get; set; }
    }
}
