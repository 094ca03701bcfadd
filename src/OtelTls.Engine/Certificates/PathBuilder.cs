using System;
using System.Collections.Generic;
using System.Linq;

namespace OtelTls.Engine.Certificates
{
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
