namespace OtelTls
{
    // Based on long, like every public enum of the models (see OtlpSeverity.cs for why); a contract test keeps it so.
    /// <summary>The stage of the diagnosis a finding belongs to, in the order the checks run.</summary>
    public enum OtlpStage : long
    {
        /// <summary>DNS and TCP.</summary>
        Network = 0,
        /// <summary>TLS or plaintext, versions, cipher suites, ALPN.</summary>
        Tls = 1,
        /// <summary>The certificate itself: validity, key usage, algorithms.</summary>
        Certificate = 2,
        /// <summary>Whether the chain leads to a trusted authority.</summary>
        Trust = 3,
        /// <summary>Whether the certificate names the host the client asked for.</summary>
        Hostname = 4,
        /// <summary>Client certificates (mutual TLS).</summary>
        ClientAuth = 5,
        /// <summary>The OTLP export over the established connection.</summary>
        Otlp = 6,
        /// <summary>Exporter configuration (environment variables, files).</summary>
        Configuration = 7,
    }
}
