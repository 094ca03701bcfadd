namespace OtelTls
{
    // Every public enum here is based on long: PowerShell's ConvertTo-Json writes Int64-based enums as their names
    // (JavaScript cannot hold every Int64), and names are what a JSON consumer of the results should see. A contract
    // test keeps new enums the same.
    /// <summary>How serious a finding is.</summary>
    public enum OtlpSeverity : long
    {
        /// <summary>Worth knowing; nothing to fix.</summary>
        Info = 0,
        /// <summary>Works today, but is fragile or about to break.</summary>
        Warning = 1,
        /// <summary>Breaks the connection or the export.</summary>
        Error = 2,
    }

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

    /// <summary>Overall verdict of a check.</summary>
    public enum OtlpStatus : long
    {
        /// <summary>No finding above Info.</summary>
        Healthy = 0,
        /// <summary>At least one Warning, no Error.</summary>
        Warning = 1,
        /// <summary>At least one Error.</summary>
        Failed = 2,
    }

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

    /// <summary>Key algorithms offered for new certificates.</summary>
    public enum OtlpKeyAlgorithm : long
    {
        /// <summary>ECDSA on NIST P-256 (fast, universally supported).</summary>
        EcdsaP256 = 0,
        /// <summary>ECDSA on NIST P-384.</summary>
        EcdsaP384 = 1,
        /// <summary>RSA, 2048-bit modulus.</summary>
        Rsa2048 = 2,
        /// <summary>RSA, 3072-bit modulus.</summary>
        Rsa3072 = 3,
        /// <summary>RSA, 4096-bit modulus.</summary>
        Rsa4096 = 4,
    }

    /// <summary>What a certificate is checked to be usable for.</summary>
    public enum OtlpCertificateUsage : long
    {
        /// <summary>A TLS server (serverAuth).</summary>
        Server = 0,
        /// <summary>A TLS client (clientAuth).</summary>
        Client = 1,
    }

    /// <summary>
    /// Broad reason an operation could not run. The cmdlets map it to a PowerShell <c>ErrorCategory</c>;
    /// the models cannot reference PowerShell, so the mapping lives with the cmdlets.
    /// </summary>
    public enum OtlpErrorKind : long
    {
        /// <summary>Input that cannot be used (malformed endpoint, garbage file, wrong key).</summary>
        InvalidData = 0,
        /// <summary>An argument outside what is allowed (invalid DNS name, unknown signal).</summary>
        InvalidArgument = 1,
        /// <summary>A file or object that does not exist.</summary>
        ObjectNotFound = 2,
        /// <summary>Something would be overwritten or already exists.</summary>
        ResourceExists = 3,
        /// <summary>The operating system refused access.</summary>
        PermissionDenied = 4,
        /// <summary>Authentication failed (a wrong password).</summary>
        AuthenticationError = 5,
        /// <summary>Not possible on this platform.</summary>
        NotImplemented = 6,
        /// <summary>A remote peer could not be reached.</summary>
        ConnectionError = 7,
        /// <summary>A time bound ran out.</summary>
        OperationTimeout = 8,
        /// <summary>An object in the wrong state for the operation (a signer without its key).</summary>
        InvalidOperation = 9,
        /// <summary>Reading or writing a file failed.</summary>
        WriteError = 10,
        /// <summary>Reading a file failed.</summary>
        ReadError = 11,
        /// <summary>The work ran, and its result is a failure the caller asked to stop on (a report gate).</summary>
        InvalidResult = 12,
    }

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
