using System;
using System.Collections.Generic;

namespace OtelTls.Engine.Certificates
{
    /// <summary>
    /// What to issue. Defaults produce what collectors and exporters accept; the "deliberately broken" knobs exist so
    /// the lab and the tests can reproduce real failures with certificates made here.
    /// </summary>
    public sealed class CertificateSpec
    {
        /// <summary>CA, Server or Client.</summary>
        public OtlpCertificateType Type { get; set; } = OtlpCertificateType.Server;

        /// <summary>Subject CN. Defaults to the first DNS name, else a name from the type.</summary>
        public string? CommonName { get; set; }

        /// <summary>DNS subject alternative names (a single leading <c>*.</c> wildcard label is allowed).</summary>
        public IList<string> DnsNames { get; set; } = new List<string>();

        /// <summary>IP subject alternative names (IPv4 or IPv6 text).</summary>
        public IList<string> IPAddresses { get; set; } = new List<string>();

        /// <summary>Key algorithm; ECDSA P-256 unless told otherwise.</summary>
        public OtlpKeyAlgorithm KeyAlgorithm { get; set; } = OtlpKeyAlgorithm.EcdsaP256;

        /// <summary>Validity in days from <see cref="NotBefore"/>; default 3650 for a CA, 365 otherwise.</summary>
        public int? ValidityDays { get; set; }

        /// <summary>Start of validity; default five minutes ago, so a peer with a slightly slow clock accepts it.</summary>
        public DateTimeOffset? NotBefore { get; set; }

        /// <summary>End of validity; overrides <see cref="ValidityDays"/>.</summary>
        public DateTimeOffset? NotAfter { get; set; }

        /// <summary>basicConstraints pathLenConstraint of a CA; null for none.</summary>
        public int? PathLength { get; set; }

        /// <summary>The issuing CA, with its key; null issues a self-signed certificate.</summary>
        public IssuedCertificate? Signer { get; set; }

        /// <summary>Leave out the SAN extension (a CN-only certificate, which Go and browsers reject).</summary>
        public bool OmitSubjectAlternativeNames { get; set; }

        /// <summary>
        /// Extended key usages by name (<c>ServerAuth</c>, <c>ClientAuth</c>) or OID, replacing the type's default;
        /// an empty list leaves the extension out. Null keeps the default.
        /// </summary>
        public IList<string>? ExtendedKeyUsages { get; set; }
    }
}
