namespace OtelTls
{
    // Based on long, like every public enum of the models (see OtlpSeverity.cs for why); a contract test keeps it so.
    /// <summary>What a certificate is checked to be usable for.</summary>
    public enum OtlpCertificateUsage : long
    {
        /// <summary>A TLS server (serverAuth).</summary>
        Server = 0,
        /// <summary>A TLS client (clientAuth).</summary>
        Client = 1,
    }
}
