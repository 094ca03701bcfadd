using System;
using System.Collections.Generic;
using Org.BouncyCastle.Crypto;

namespace OtelTls.Engine.Certificates
{
    /// <summary>What <see cref="CertificateChecker.Check"/> checks a chain against.</summary>
    public sealed class CertificateCheckOptions
    {
        /// <summary>
        /// The authorities the client trusts (a CA file). Null or empty means the system trust store (the Root stores of
        /// CurrentUser and LocalMachine; on Linux .NET reads the OpenSSL bundle).
        /// </summary>
        public IReadOnlyList<OtlpCertificate>? TrustedAuthorities { get; set; }

        /// <summary>Untrusted intermediates the client also has (like <c>openssl verify -untrusted</c>).</summary>
        public IReadOnlyList<OtlpCertificate> ExtraCertificates { get; set; } = Array.Empty<OtlpCertificate>();

        /// <summary>DNS name or IP literal to check against the leaf's SANs; null skips the hostname stage.</summary>
        public string? HostName { get; set; }

        /// <summary>
        /// The role the leaf must fit: Server needs serverAuth (and digitalSignature/keyEncipherment when keyUsage is present),
        /// Client needs clientAuth. Null skips the usage checks.
        /// </summary>
        public OtlpCertificateUsage? Usage { get; set; }

        /// <summary>The moment validity is checked at; null means now.</summary>
        public DateTimeOffset? At { get; set; }

        /// <summary>A certificate expiring within this many days gets a warning; 0 turns the warning off.</summary>
        public int ExpiryWarningDays { get; set; } = 30;

        /// <summary>The private key meant to go with the leaf; when set, a key that does not belong to it is a finding.</summary>
        public AsymmetricKeyParameter? PrivateKey { get; set; }

        /// <summary>
        /// Reads the private key from a file into <see cref="PrivateKey"/>. For callers that must not touch BouncyCastle
        /// types themselves (the cmdlets, which load outside the engine's private load context).
        /// </summary>
        /// <param name="path">Key file (PEM, DER or PKCS#12).</param>
        /// <param name="password">Password of an encrypted key; null for none.</param>
        public void LoadPrivateKey(string path, string? password = null) => PrivateKey = PrivateKeyReader.Read(path, password);

        /// <summary>True when the chain came from a TLS handshake (findings then say "the server sent"); false for files.</summary>
        public bool PresentedByServer { get; set; }
    }
}
