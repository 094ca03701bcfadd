using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace OtelTls.Engine.Client
{
    /// <summary>
    /// The one verdict on a server certificate "like the exporter": with trusted CAs (OTEL_EXPORTER_OTLP_CERTIFICATE) they,
    /// and only they, are anchors — an intermediate among them counts, as in OpenSSL's partial-chain mode that the
    /// collector's Go stack behaves like; without them, the system store's verdict stands. The host name is always verified.
    /// The export's TLS callback and the diagnosis's platform check both ask it, so the two cannot disagree on trust.
    /// </summary>
    internal static class ServerCertificateValidator
    {
        private const X509ChainStatusFlags AnchorFlags = X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain;

        /// <summary>Judges the certificate a server presented during the handshake (a TLS validation callback's arguments).</summary>
        /// <param name="trusted">The CAs the client trusts; null: the system store.</param>
        /// <param name="certificate">The server's leaf, as the callback received it.</param>
        /// <param name="chain">The chain the platform built, with the intermediates the server sent.</param>
        /// <param name="errors">The platform's own verdict (system store, host name).</param>
        /// <param name="expectedName">The name the certificate must carry (the server name override, else the host), for the message.</param>
        public static ServerCertificateVerdict Judge(IReadOnlyList<X509Certificate2>? trusted, X509Certificate? certificate, X509Chain? chain,
            SslPolicyErrors errors, string expectedName)
        {
            if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
            {
                return new ServerCertificateVerdict(null, "no server certificate", "the server sent no certificate");
            }

            var leaf = certificate as X509Certificate2;
            var owned = leaf is null ? new X509Certificate2(certificate) : null;
            try
            {
                return Judge(trusted, leaf ?? owned!, chain, errors, expectedName);
            }
            finally
            {
                owned?.Dispose();
            }
        }

        /// <summary>
        /// A chain whose only roots are <paramref name="roots"/> (custom root trust, no revocation check), like an exporter
        /// given a CA file. .NET Framework has no custom root store: there the chain uses the system roots.
        /// </summary>
        public static X509Chain CustomRootChain(IEnumerable<X509Certificate2> roots)
        {
            var chain = new X509Chain();
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
#if NET8_0_OR_GREATER
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(roots.ToArray());
#endif
            return chain;
        }

        /// <summary>The chain's distinct status flags, comma-separated (empty when there are none or no chain).</summary>
        public static string ChainStatusText(X509Chain? chain) =>
            chain is null ? string.Empty : string.Join(", ", chain.ChainStatus.Select(s => s.Status.ToString()).Distinct());

        private static ServerCertificateVerdict Judge(IReadOnlyList<X509Certificate2>? trusted, X509Certificate2 leaf, X509Chain? chain,
            SslPolicyErrors errors, string expectedName)
        {
            // Every reason is listed (the platform check shows them all); the sentence names the first a user must fix.
            var reasons = new List<string>();
            string? failure = null;
            if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
            {
                reasons.Add("RemoteCertificateNameMismatch");
                failure = $"the server certificate '{leaf.Subject}' does not name '{expectedName}' (RemoteCertificateNameMismatch)";
            }

            if (trusted is null || trusted.Count == 0)
            {
                if ((errors & SslPolicyErrors.RemoteCertificateChainErrors) != 0)
                {
                    reasons.Add("RemoteCertificateChainErrors: " + ChainStatusText(chain));
                    failure ??= $"the server certificate '{leaf.Subject}' is not trusted by the system store ({DescribeChain(chain)})";
                }
            }
            else if (!AnchoredByPolicy(trusted, chain) && ChainFailure(trusted, leaf, chain) is { } chainFailure)
            {
                reasons.Add("RemoteCertificateChainErrors: " + chainFailure.Statuses);
                failure ??= chainFailure.Sentence;
            }

            return new ServerCertificateVerdict(leaf.Subject, reasons.Count == 0 ? null : string.Join("; ", reasons), failure);
        }

#if NET8_0_OR_GREATER
        /// <summary>
        /// The chain policy a TLS handshake is given so the platform builds the server's chain against the trusted CAs
        /// (self-issued ones as roots, all of them as candidates) instead of the system store: one chain per handshake,
        /// and the system store's roots never searched. A new policy each call, because SslStream adds the server's
        /// intermediates and the serverAuth usage to the policy it is handed. Null without trusted CAs (system trust).
        /// </summary>
        /// <param name="trusted">The CAs the client trusts; null or empty: the system store.</param>
        public static X509ChainPolicy? TrustedChainPolicy(IReadOnlyList<X509Certificate2>? trusted)
        {
            if (trusted is null || trusted.Count == 0)
            {
                return null;
            }

            var policy = new X509ChainPolicy { RevocationMode = X509RevocationMode.NoCheck, TrustMode = X509ChainTrustMode.CustomRootTrust };
            policy.CustomTrustStore.AddRange(trusted.Where(IsSelfIssued).ToArray());
            policy.ExtraStore.AddRange(trusted.ToArray());
            return policy;
        }
#endif

        /// <summary>
        /// True when the chain the platform built under <c>TrustedChainPolicy</c> (.NET 8 and later) already reaches one of
        /// <paramref name="trusted"/> with nothing wrong on the way. That chain is stricter than the verdict's own (the
        /// platform adds the serverAuth usage), so a pass stands; anything else is judged by building the verdict's chain,
        /// whose statuses and wording are the ones reported.
        /// </summary>
        private static bool AnchoredByPolicy(IReadOnlyList<X509Certificate2> trusted, X509Chain? chain)
        {
#if NET8_0_OR_GREATER
            if (chain is null || chain.ChainPolicy.TrustMode != X509ChainTrustMode.CustomRootTrust)
            {
                return false;
            }

            // The elements belong to the platform's chain, which disposes them.
            return AnchorIndex(trusted, chain.ChainElements.Cast<X509ChainElement>().ToList()) is { } anchor && anchor.CleanToAnchor;
#else
            return false;
#endif
        }

        /// <summary>
        /// Where the chain meets one of <paramref name="trusted"/> (null: nowhere), and whether every certificate up to
        /// it has nothing wrong but the anchor flags a trusted intermediate or a custom root carries.
        /// </summary>
        private static (int Index, bool CleanToAnchor)? AnchorIndex(IReadOnlyList<X509Certificate2> trusted, List<X509ChainElement> elements)
        {
            var thumbprints = new HashSet<string>(trusted.Select(t => t.Thumbprint), StringComparer.OrdinalIgnoreCase);
            var anchor = elements.FindIndex(e => thumbprints.Contains(e.Certificate.Thumbprint));
            return anchor < 0 ? null
                : (anchor, elements.Take(anchor + 1).All(e => e.ChainElementStatus.All(s => (s.Status & ~AnchorFlags) == 0)));
        }

        /// <summary>Null when the chain leads to one of <paramref name="trusted"/> with nothing wrong on the way; else why not.</summary>
        private static (string Statuses, string Sentence)? ChainFailure(IReadOnlyList<X509Certificate2> trusted, X509Certificate2 leaf, X509Chain? sent)
        {
            using var custom = CustomRootChain(trusted.Where(IsSelfIssued));
#if !NET8_0_OR_GREATER
            // .NET Framework has no custom root store: let the chain end anywhere, then demand that it passes through a
            // trusted certificate (checked below).
            custom.ChainPolicy.VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority;
#endif
            custom.ChainPolicy.ExtraStore.AddRange(trusted.ToArray());
            if (sent is not null)
            {
                custom.ChainPolicy.ExtraStore.AddRange(sent.ChainPolicy.ExtraStore);
                foreach (var element in sent.ChainElements)
                {
                    custom.ChainPolicy.ExtraStore.Add(element.Certificate);
                }
            }

            var built = custom.Build(leaf);
            var elements = custom.ChainElements.Cast<X509ChainElement>().ToList();
            try
            {
                var anchor = AnchorIndex(trusted, elements);
                if (anchor is { } found && (built || found.CleanToAnchor))
                {
                    return null;
                }

                var statuses = ChainStatusText(custom);
                return (statuses.Length == 0 ? "no path to a trusted CA" : statuses, anchor is null
                    ? $"the server certificate '{leaf.Subject}' does not chain to the given CA certificate(s) ({DescribeChain(custom)})"
                    : $"the server certificate chain to the given CA is not valid ({DescribeChain(custom)})");
            }
            finally
            {
                // Disposing the chain does not dispose its elements' certificates (each a native handle): without this
                // they wait for the finalizer, two chains per endpoint in a fleet.
                foreach (var element in elements)
                {
                    element.Certificate.Dispose();
                }
            }
        }

        private static bool IsSelfIssued(X509Certificate2 certificate) =>
            string.Equals(certificate.Subject, certificate.Issuer, StringComparison.Ordinal);

        private static string DescribeChain(X509Chain? chain)
        {
            var statuses = ChainStatusText(chain);
            return chain is null ? "no chain" : statuses.Length == 0 ? "chain errors" : statuses;
        }
    }

    /// <summary>What <see cref="ServerCertificateValidator"/> concluded about one server certificate.</summary>
    internal sealed class ServerCertificateVerdict
    {
        public ServerCertificateVerdict(string? peerSubject, string? errors, string? failure)
        {
            PeerSubject = peerSubject;
            Errors = errors;
            Failure = failure;
        }

        /// <summary>True when the certificate is acceptable.</summary>
        public bool Accepted => Failure is null;

        /// <summary>The server certificate's subject; null when it sent none.</summary>
        public string? PeerSubject { get; }

        /// <summary>Every reason in the platform's words (<c>RemoteCertificateNameMismatch; RemoteCertificateChainErrors: …</c>); null when accepted.</summary>
        public string? Errors { get; }

        /// <summary>The first reason as a clause for a sentence ("the server certificate … does not name …"); null when accepted.</summary>
        public string? Failure { get; }
    }
}
