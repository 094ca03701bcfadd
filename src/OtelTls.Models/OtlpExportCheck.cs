using System;

namespace OtelTls
{
    /// <summary>Outcome of the OTLP stage.</summary>
    public sealed class OtlpExportCheck
    {
        internal OtlpExportCheck() { }

        /// <summary>True when an export request was sent.</summary>
        public bool Ran { get; internal set; }

        /// <summary>True when the receiver accepted it; null when it did not run.</summary>
        public bool? Succeeded { get; internal set; }

        /// <summary>Status code (gRPC or HTTP) of the response, if any.</summary>
        public int? StatusCode { get; internal set; }

        /// <summary>What happened, or why it did not run.</summary>
        public string Message { get; internal set; } = string.Empty;

        /// <summary>The transport the export request used.</summary>
        public OtlpProtocol? Protocol { get; internal set; }

        /// <summary>The URL the request went to (for gRPC, the channel address; the method path is fixed by OTLP).</summary>
        public string? Url { get; internal set; }

        /// <summary>Time from sending the request to the answer (or the failure), connection and handshake included.</summary>
        public TimeSpan Duration { get; internal set; }

        /// <summary>Items the receiver said it rejected (OTLP partial success); 0 when all were accepted.</summary>
        public long RejectedCount { get; internal set; }

        /// <inheritdoc />
        public override string ToString() => Ran ? $"{(Succeeded == true ? "accepted" : "refused")} ({StatusCode}): {Message}" : Message;
    }
}
