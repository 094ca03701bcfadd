namespace OtelTls
{
    // Based on long, like every public enum of the models (see OtlpSeverity.cs for why); a contract test keeps it so.
    /// <summary>Kinds of certificate that <c>New-OtlpCertificate</c> issues.</summary>
    public enum OtlpCertificateType : long
    {
        /// <summary>A certificate authority (root when self-signed, intermediate when signed by another CA).</summary>
        CA = 0,
        /// <summary>A TLS server certificate (serverAuth, with SANs).</summary>
        Server = 1,
        /// <summary>A TLS client certificate for mutual TLS (clientAuth).</summary>
        Client = 2,
    }
}
