using System;
using System.Security.Cryptography.X509Certificates;

namespace OtelTls
{
    /// <summary>
    /// One X.509 certificate as OtelTls sees it: read from a file, taken from an endpoint, or just issued.
    /// Property names are chosen so it binds by name to the next cmdlet (<see cref="Path"/>, <see cref="KeyPath"/>).
    /// </summary>
    public sealed class OtlpCertificate
    {
        internal OtlpCertificate() { }

        /// <summary>Distinguished name of the subject, RFC 4514 order (e.g. <c>CN=otel-collector, O=Example</c>).</summary>
        public string Subject { get; internal set; } = string.Empty;

        /// <summary>Distinguished name of the issuer.</summary>
        public string Issuer { get; internal set; } = string.Empty;

        /// <summary>The subject's common name, if it has one.</summary>
        public string? CommonName { get; internal set; }

        /// <summary>DNS names from the subject alternative name extension.</summary>
        public string[] DnsNames { get; internal set; } = Array.Empty<string>();

        /// <summary>IP addresses from the subject alternative name extension.</summary>
        public string[] IPAddresses { get; internal set; } = Array.Empty<string>();

        /// <summary>Start of validity.</summary>
        public DateTimeOffset NotBefore { get; internal set; }

        /// <summary>End of validity.</summary>
        public DateTimeOffset NotAfter { get; internal set; }

        /// <summary>Whole days from now until <see cref="NotAfter"/>; negative once expired.</summary>
        public int DaysUntilExpiry => (int)Math.Floor((NotAfter - DateTimeOffset.UtcNow).TotalDays);

        /// <summary>True when <see cref="NotAfter"/> has passed.</summary>
        public bool IsExpired => DateTimeOffset.UtcNow > NotAfter;

        /// <summary>True when basicConstraints says CA:TRUE.</summary>
        public bool IsCertificateAuthority { get; internal set; }

        /// <summary>basicConstraints pathLenConstraint, when the certificate is a CA that sets one.</summary>
        public int? PathLength { get; internal set; }

        /// <summary>True when the certificate is signed by its own key (subject = issuer and the signature verifies).</summary>
        public bool IsSelfSigned { get; internal set; }

        /// <summary>Public key algorithm: <c>RSA</c>, <c>ECDSA P-256</c>, <c>Ed25519</c>…</summary>
        public string KeyAlgorithm { get; internal set; } = string.Empty;

        /// <summary>Key size in bits (RSA modulus, EC field size).</summary>
        public int KeySize { get; internal set; }

        /// <summary>Signature algorithm, e.g. <c>SHA256withECDSA</c>.</summary>
        public string SignatureAlgorithm { get; internal set; } = string.Empty;

        /// <summary>keyUsage bits by name (<c>DigitalSignature</c>, <c>KeyCertSign</c>…).</summary>
        public string[] KeyUsages { get; internal set; } = Array.Empty<string>();

        /// <summary>extendedKeyUsage purposes by name (<c>ServerAuth</c>, <c>ClientAuth</c>) or OID when unnamed.</summary>
        public string[] EnhancedKeyUsages { get; internal set; } = Array.Empty<string>();

        /// <summary>Serial number, upper-case hex.</summary>
        public string SerialNumber { get; internal set; } = string.Empty;

        /// <summary>SHA-256 fingerprint of the DER encoding, upper-case hex without separators.</summary>
        public string Thumbprint { get; internal set; } = string.Empty;

        /// <summary>File the certificate was read from or written to; null for one taken from an endpoint.</summary>
        public string? Path { get; internal set; }

        /// <summary>File holding the matching private key, when known.</summary>
        public string? KeyPath { get; internal set; }

        /// <summary>The endpoint that presented the certificate, when it came from one.</summary>
        public string? Endpoint { get; internal set; }

        /// <summary>Position in the file or in the chain as sent (0 = first).</summary>
        public int Index { get; internal set; }

        /// <summary>PEM encoding of the certificate (never of a key).</summary>
        public string Pem { get; internal set; } = string.Empty;

        /// <summary>
        /// The certificate as a .NET object. A method, not a property: as a property it would be written out whole by
        /// ConvertTo-Json and serialization (a large property bag repeating the DER), while <see cref="Pem"/> already
        /// carries the certificate.
        /// </summary>
        internal X509Certificate2? Certificate => _platformCertificate?.Value;

        /// <summary>
        /// Makes <see cref="Certificate"/> on first use. A process's first X509Certificate2 loads and initialises the
        /// platform's crypto library (about 40 ms on Linux), and most certificates described (a served chain, a file
        /// listed) are never handed to the platform.
        /// </summary>
        internal Func<X509Certificate2?> PlatformCertificateFactory
        {
            set => _platformCertificate = new Lazy<X509Certificate2?>(value);
        }

        private Lazy<X509Certificate2?>? _platformCertificate;

        /// <summary>The certificate as an <see cref="X509Certificate2"/>, for SslStream, X509Chain or the certificate store.</summary>
        public X509Certificate2? ToX509Certificate2() => Certificate;

        /// <summary>DER encoding; kept so the engine can re-read the certificate without the platform's parser.</summary>
        internal byte[] RawData { get; set; } = Array.Empty<byte>();

        /// <summary>The DER encoding of the certificate.</summary>
        public byte[] GetRawData() => (byte[])RawData.Clone();

        /// <summary>Subject and expiry, e.g. <c>CN=otel-collector (expires 2027-01-01)</c>.</summary>
        public override string ToString() => $"{Subject} (expires {NotAfter.UtcDateTime:yyyy-MM-dd})";
    }
}
