namespace OtelTls
{
    /// <summary>The .NET platform TLS stack's verdict on the same endpoint.</summary>
    public sealed class OtlpPlatformCheck
    {
        internal OtlpPlatformCheck() { }

        /// <summary>The stack used, e.g. <c>.NET SslStream</c>.</summary>
        public string Stack { get; internal set; } = string.Empty;

        /// <summary>True when the handshake and certificate validation succeeded.</summary>
        public bool Succeeded { get; internal set; }

        /// <summary>Negotiated version as the platform reports it.</summary>
        public string? Version { get; internal set; }

        /// <summary>Negotiated ALPN protocol.</summary>
        public string? Alpn { get; internal set; }

        /// <summary>The platform's validation errors (<c>RemoteCertificateNameMismatch</c>, chain status), if any.</summary>
        public string? Errors { get; internal set; }

        /// <summary>True when the platform and the diagnostic probe reached the same verdict.</summary>
        public bool AgreesWithProbe { get; internal set; }

        /// <summary>What happened, in one sentence.</summary>
        public string Message { get; internal set; } = string.Empty;

        /// <inheritdoc />
        public override string ToString() => $"{(Succeeded ? "succeeded" : "failed")}{(AgreesWithProbe ? string.Empty : " (disagrees with the probe)")}: {Message}";
    }
}
