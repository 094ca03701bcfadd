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

    /// <summary>Certificates by subject name: the trusted authorities, or the untrusted certificates that came with a leaf.</summary>
    internal sealed class CertificateIndex
    {
        private readonly Dictionary<string, List<CertificateNode>> _byName = new(StringComparer.Ordinal);

        public CertificateIndex(IEnumerable<CertificateNode> nodes)
        {
            foreach (var node in nodes)
            {
                Add(node);
            }
        }

        public List<CertificateNode> All { get; } = new();

        public void Add(CertificateNode node)
        {
            All.Add(node);
            if (!_byName.TryGetValue(node.SubjectKey, out var list))
            {
                _byName[node.SubjectKey] = list = new List<CertificateNode>();
            }

            list.Add(node);
        }

        public IReadOnlyList<CertificateNode> Named(string key) => _byName.TryGetValue(key, out var list) ? list : Array.Empty<CertificateNode>();
    }

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

    /// <summary>One path, built from a leaf through an untrusted pool to a trust index.</summary>
    internal sealed class PathBuilder
    {
        private readonly CertificateIndex _trust;
        private readonly CertificateIndex _untrusted;
        private readonly DateTimeOffset _at;

        public PathBuilder(CertificateIndex trust, CertificateIndex untrusted, DateTimeOffset at)
        {
            _trust = trust;
            _untrusted = untrusted;
            _at = at;
        }

        public List<CertificateNode> Path { get; } = new();

        /// <summary>The path ends at a trusted certificate.</summary>
        public bool Anchored { get; private set; }

        /// <summary>The path was cut at <see cref="CertificatePaths.MaxPathLength"/>.</summary>
        public bool TooLong { get; private set; }

        /// <summary>Certificates named like the missing issuer whose key did not sign (a regenerated CA).</summary>
        public List<CertificateNode> SameNameWrongKey { get; } = new();

        public void Build(CertificateNode leaf)
        {
            Path.Add(leaf);
            var current = leaf;
            while (true)
            {
                if (IsTrusted(current))
                {
                    Anchored = true;
                    return;
                }

                if (current.IsSelfSigned)
                {
                    return;
                }

                var issuer = FindIssuer(current);
                if (issuer is null)
                {
                    return;
                }

                if (Path.Count >= CertificatePaths.MaxPathLength)
                {
                    TooLong = true;
                    return;
                }

                Path.Add(issuer);
                current = issuer;
            }
        }

        private CertificateNode? FindIssuer(CertificateNode child)
        {
            var key = CertificatePaths.NameKey(child.Certificate.IssuerDN);
            // Trusted candidates first: a path that reaches an anchor sooner is the one clients build.
            // Within each group, issuers valid at the checked moment first (a renewed CA next to its expired
            // predecessor, same name and key): OpenSSL and Go prefer those too. OrderBy is stable.
            var candidates = _trust.Named(key).OrderBy(n => IsValidAt(n) ? 0 : 1)
                .Concat(_untrusted.Named(key).OrderBy(n => IsValidAt(n) ? 0 : 1));
            var wrongKey = new List<CertificateNode>();
            foreach (var candidate in candidates)
            {
                CertificatePaths.CandidateCount++;
                if (Path.Any(p => ReferenceEquals(p, candidate) || p.Certificate.Equals(candidate.Certificate)))
                {
                    continue;
                }

                if (CertificatePaths.Signed(child, candidate))
                {
                    return candidate;
                }

                wrongKey.Add(candidate);
            }

            // Only a dead end counts: a same-name certificate next to the real issuer (a renewed CA) is no problem.
            SameNameWrongKey.AddRange(wrongKey);
            return null;
        }

        public bool IsValidAt(CertificateNode node) => node.NotBefore <= _at && _at <= node.NotAfter;

        private bool IsTrusted(CertificateNode node)
        {
            if (node.Origin == CertificateOrigin.Trusted)
            {
                return true;
            }

            // The same certificate, or (for a root) the same name and key in a different encoding.
            return _trust.Named(node.SubjectKey).Any(t => t.Certificate.Equals(node.Certificate)
                || (node.IsSelfSigned && CertificatePaths.SamePublicKey(t.Certificate, node.Certificate)));
        }
    }
}
