using System;
using System.Collections.Generic;
using Org.BouncyCastle.Crypto;

namespace OtelTls.Engine.Diagnosis
{
    /// <summary>How to diagnose an endpoint: the same settings an exporter would have, plus the probe's bounds.</summary>
    public sealed class DiagnosisOptions
    {
        /// <summary>The exporter protocol; null infers it from the endpoint (port 4318 or a /v1/ path means HTTP).</summary>
        public OtlpProtocol? Protocol { get; set; }

        /// <summary>The CAs the client trusts (like OTEL_EXPORTER_OTLP_CERTIFICATE); null or empty means the system store.</summary>
        public IReadOnlyList<OtlpCertificate>? TrustedAuthorities { get; set; }

        /// <summary>Where the trusted CAs came from, for messages and the openssl command.</summary>
        public string? CaCertificatePath { get; set; }

        /// <summary>The client certificate and its chain, leaf first (like OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE).</summary>
        public IReadOnlyList<OtlpCertificate>? ClientCertificateChain { get; set; }

        /// <summary>
        /// The client certificate's private key (like OTEL_EXPORTER_OTLP_CLIENT_KEY). Internal: a BouncyCastle type must
        /// not appear where the cmdlet assembly binds, or it would load BouncyCastle outside the private load context.
        /// </summary>
        internal AsymmetricKeyParameter? ClientKey { get; set; }

        /// <summary>Reads the client certificate (with its chain) and key for mTLS; file errors are OtlpTlsExceptions.</summary>
        /// <param name="certificatePath">The client certificate file, leaf first.</param>
        /// <param name="keyPath">Its private key file.</param>
        /// <param name="keyPassword">The key's password, when it is encrypted.</param>
        public void LoadClientCertificate(string certificatePath, string keyPath, string? keyPassword)
        {
            ClientCertificateChain = Certificates.CertificateReader.ReadFile(certificatePath);
            ClientKey = Certificates.PrivateKeyReader.Read(keyPath, keyPassword);
            ClientCertificatePath = certificatePath;
            ClientKeyPath = keyPath;
            ClientKeyPassword = keyPassword;
        }

        /// <summary>A copy with its own narration callback, for one endpoint of many.</summary>
        /// <param name="narrate">Where this endpoint's steps go.</param>
        public DiagnosisOptions WithNarration(Action<string> narrate)
        {
            var copy = Copy();
            copy.Narrate = narrate;
            return copy;
        }

        /// <summary>A shallow copy: the same certificates and key, settings of its own.</summary>
        public DiagnosisOptions Copy() => (DiagnosisOptions)MemberwiseClone();

        /// <summary>The password of an encrypted client key, for the platform check and the export stage.</summary>
        public string? ClientKeyPassword { get; set; }

        /// <summary>The client certificate file, for the openssl command and the platform check.</summary>
        public string? ClientCertificatePath { get; set; }

        /// <summary>The client key file, for the openssl command and the platform check.</summary>
        public string? ClientKeyPath { get; set; }

        /// <summary>The name sent as SNI and verified against the certificate (the collector's server_name_override).</summary>
        public string? ServerName { get; set; }

        /// <summary>The versions the client offers; null means TLS 1.2 and 1.3, what current exporters offer.</summary>
        public IReadOnlyCollection<OtlpTlsVersion>? TlsVersions { get; set; }

        /// <summary>The bound on every network step.</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

        /// <summary>Certificates expiring within this many days get a warning.</summary>
        public int ExpiryWarningDays { get; set; } = 30;

        /// <summary>Skip the OTLP export stage.</summary>
        public bool SkipExport { get; set; }

        /// <summary>Headers for the OTLP export stage (values are never shown).</summary>
        public IReadOnlyDictionary<string, string> Headers { get; set; } = new Dictionary<string, string>();

        /// <summary>
        /// Only connect and shake hands: enough for the chain as presented, without the version sweep, the platform check or
        /// the export stage.
        /// </summary>
        public bool HandshakeOnly { get; set; }

        /// <summary>Receives one line per step, for -Verbose; called from worker threads.</summary>
        public Action<string>? Narrate { get; set; }
    }
}
