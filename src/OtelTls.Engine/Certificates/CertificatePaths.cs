using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Security;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace OtelTls.Engine.Certificates
{
    /// <summary>
    /// Builds the certification path the way clients do (issuer by name <em>and</em> signature, trusted issuers first,
    /// issuers valid at the check time first) and keeps what that costs low: system roots and CA files are indexed once,
    /// signature verdicts are remembered, and untrusted pools are indexed by name so a bundle of n certificates is
    /// checked in O(n), not O(n²). The rules applied to the built path live in <see cref="CertificateChecker"/>.
    /// </summary>
    internal static class CertificatePaths
    {
        /// <summary>
        /// The longest path built: OpenSSL's default verify depth is 100 intermediates (leaf + 100 + root); Go and .NET
        /// bound it no tighter. A path cut here is <c>CertificateChainTooLong</c>, as OpenSSL's error 22.
        /// </summary>
        public const int MaxPathLength = 102;

        private const int MaxRememberedVerdicts = 4096;

        private static readonly Regex Whitespace = new(@"\s+", RegexOptions.CultureInvariant);

        // The system roots, indexed once per process: a fleet of endpoint checks must not re-index ~150 roots each time.
        private static readonly Lazy<CertificateIndex> SystemIndex = new(
            () => new CertificateIndex(SystemTrustStore.Certificates.Select(r => new CertificateNode(r, null, CertificateOrigin.Trusted))),
            System.Threading.LazyThreadSafetyMode.ExecutionAndPublication);

        // A CA file given once is checked against many leaves (a bundle, a fleet): index it once per list instance.
        private static readonly ConditionalWeakTable<IReadOnlyList<OtlpCertificate>, CertificateIndex> CaFileIndexes = new();

        // Signature checks are the expensive part (about a millisecond each with BouncyCastle), and a fleet presents the
        // same certificates again and again: remember the verdicts, keyed by both certificates' SHA-256.
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> SignatureVerdicts = new(StringComparer.Ordinal);

        /// <summary>Certificates decoded for path building on this thread (a count tests bound instead of a clock).</summary>
        [ThreadStatic]
        internal static long DecodedCount;

        /// <summary>Issuer candidates examined on this thread.</summary>
        [ThreadStatic]
        internal static long CandidateCount;

        public static CertificateIndex SystemRoots => SystemIndex.Value;

        public static CertificateIndex TrustIndexFor(IReadOnlyList<OtlpCertificate> authorities) =>
            CaFileIndexes.GetValue(authorities, list => new CertificateIndex(list.Select(a => Node(a, CertificateOrigin.Trusted))));

        public static CertificateNode Node(OtlpCertificate certificate, CertificateOrigin origin)
        {
            DecodedCount++;
            return new CertificateNode(CertificateDescriber.ToBouncyCastle(certificate), certificate, origin);
        }

        // Names compare as clients compare them: case and spacing do not matter (RFC 5280 §7.1 in practice).
        public static string NameKey(X509Name name) =>
            Whitespace.Replace(CertificateDescriber.FormatName(name), " ").ToLowerInvariant();

        public static bool Signed(CertificateNode child, CertificateNode issuer)
        {
            var key = child.Fingerprint + ">" + issuer.Fingerprint;
            if (SignatureVerdicts.TryGetValue(key, out var known))
            {
                return known;
            }

            if (SignatureVerdicts.Count >= MaxRememberedVerdicts)
            {
                SignatureVerdicts.Clear();
            }

            var verdict = CertificateDescriber.IsSignedBy(child.Certificate, issuer.Certificate);
            SignatureVerdicts[key] = verdict;
            return verdict;
        }

        public static bool SamePublicKey(BcCertificate a, BcCertificate b) =>
            a.CertificateStructure.SubjectPublicKeyInfo.GetEncoded().SequenceEqual(b.CertificateStructure.SubjectPublicKeyInfo.GetEncoded());
    }
}
