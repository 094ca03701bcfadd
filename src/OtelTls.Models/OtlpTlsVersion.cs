namespace OtelTls
{
    // Based on long, like every public enum of the models (see OtlpSeverity.cs for why); a contract test keeps it so.
    /// <summary>TLS protocol versions a probe may offer.</summary>
    public enum OtlpTlsVersion : long
    {
        /// <summary>TLS 1.0 (legacy: only to test whether a server still accepts it).</summary>
        Tls10 = 0,

        /// <summary>TLS 1.1 (legacy: only to test whether a server still accepts it).</summary>
        Tls11 = 1,

        /// <summary>TLS 1.2.</summary>
        Tls12 = 2,

        /// <summary>TLS 1.3.</summary>
        Tls13 = 3,
    }
}
