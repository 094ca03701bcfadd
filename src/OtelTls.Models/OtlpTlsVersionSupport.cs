namespace OtelTls
{
    /// <summary>Whether the server accepts one TLS version.</summary>
    public sealed class OtlpTlsVersionSupport
    {
        internal OtlpTlsVersionSupport() { }

        /// <summary><c>TLS 1.0</c> … <c>TLS 1.3</c>.</summary>
        public string Version { get; internal set; } = string.Empty;

        /// <summary>True when a handshake with only this version succeeded; null when the attempt could not tell.</summary>
        public bool? Supported { get; internal set; }

        /// <summary>The cipher chosen, or why the attempt failed.</summary>
        public string? Detail { get; internal set; }

        /// <summary>Version and verdict.</summary>
        public override string ToString() => $"{Version}: {(Supported is null ? "unknown" : Supported.Value ? "yes" : "no")}";
    }
}
