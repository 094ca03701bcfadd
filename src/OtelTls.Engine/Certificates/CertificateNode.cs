using System;
using Org.BouncyCastle.Security;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace OtelTls.Engine.Certificates
{
    /// <summary>Where a certificate in the path-building pool came from.</summary>
    internal enum CertificateOrigin
    {
        Presented,
        Extra,
        Trusted,
    }

    /// <summary>A certificate in the pool the path is built from. Lazy parts may be computed twice under a race; both results are equal.</summary>
    internal sealed class CertificateNode
    {
        private OtlpCertificate? _model;
        private int _selfSigned; // 0 unknown, 1 yes, 2 no: an int, so threads sharing a system root never see half a write
        private string? _fingerprint;
        private string? _subjectKey;

        public CertificateNode(BcCertificate certificate, OtlpCertificate? model, CertificateOrigin origin)
        {
            Certificate = certificate;
            _model = model;
            Origin = origin;
            Subject = model?.Subject ?? CertificateDescriber.FormatName(certificate.SubjectDN);
        }

        public BcCertificate Certificate { get; }

        public CertificateOrigin Origin { get; }

        public string Subject { get; }

        public string Issuer => CertificateDescriber.FormatName(Certificate.IssuerDN);

        /// <summary>The subject as names are compared (<see cref="CertificatePaths.NameKey"/>).</summary>
        public string SubjectKey => _subjectKey ??= CertificatePaths.NameKey(Certificate.SubjectDN);

        // System roots get their user-facing object only when they end up in a path.
        public OtlpCertificate Model => _model ??= CertificateDescriber.Create(Certificate, null, 0);

        public CertificateExtensionSet Extensions => CertificateExtensionSet.For(Certificate);

        public bool IsSelfSigned
        {
            get
            {
                var known = System.Threading.Volatile.Read(ref _selfSigned);
                if (known == 0)
                {
                    known = IsSelfIssued && CertificatePaths.Signed(this, this) ? 1 : 2;
                    System.Threading.Volatile.Write(ref _selfSigned, known);
                }

                return known == 1;
            }
        }

        /// <summary>Subject equals issuer (RFC 5280's "self-issued": such CA certificates do not count against pathLenConstraint).</summary>
        public bool IsSelfIssued => Certificate.SubjectDN.Equivalent(Certificate.IssuerDN);

        public string Fingerprint => _fingerprint ??= _model?.Thumbprint
            ?? Org.BouncyCastle.Utilities.Encoders.Hex.ToHexString(DigestUtilities.CalculateDigest("SHA-256", CertificateDecoder.OriginalEncoding(Certificate))).ToUpperInvariant();

        public bool IsAuthority => Extensions.IsAuthority;

        public DateTimeOffset NotBefore => new(DateTime.SpecifyKind(Certificate.NotBefore, DateTimeKind.Utc));

        public DateTimeOffset NotAfter => new(DateTime.SpecifyKind(Certificate.NotAfter, DateTimeKind.Utc));
    }
}
