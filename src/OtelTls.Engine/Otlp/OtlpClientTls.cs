using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Security;
using System.Runtime.InteropServices;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using OtelTls.Engine.Certificates;

namespace OtelTls.Engine.Otlp
{
    /// <summary>What the TLS layer saw during one export: the session's parameters, or why validation refused it.</summary>
    internal sealed class TlsObservation
    {
        /// <summary>The platform's TLS stream (an SslStream), kept to read version and cipher once the handshake is done.</summary>
        public SslStream? Stream { get; set; }

        public string? PeerSubject { get; set; }

        /// <summary>True when the server sent a CertificateRequest and no client certificate was configured.</summary>
        public bool ClientCertificateRequested { get; set; }

        /// <summary>Set when our validation refused the server certificate: the export then never reached OTLP.</summary>
        public string? ValidationFailure { get; set; }

        public string? Version { get; set; }

        public string? CipherSuite { get; set; }

        public string? Alpn { get; set; }

        /// <summary>Reads the negotiated parameters from the stream (valid after the handshake).</summary>
        public void Capture()
        {
            var stream = Stream;
            if (stream is null || !stream.IsAuthenticated)
            {
                return;
            }

            try
            {
                Version = OtlpClientTls.VersionName(stream.SslProtocol);
#if NET8_0_OR_GREATER
                CipherSuite = stream.NegotiatedCipherSuite.ToString();
                var alpn = stream.NegotiatedApplicationProtocol.ToString();
                Alpn = string.IsNullOrEmpty(alpn) ? null : alpn;
#endif
            }
            catch (ObjectDisposedException)
            {
                // The connection closed before we looked; the version stays unknown.
            }
        }
    }

    /// <summary>
    /// The exporter-side TLS settings shared by the gRPC and HTTP clients: trust (custom authorities replace the
    /// system roots), the client certificate, and the verdict on the server certificate.
    /// </summary>
    internal static class OtlpClientTls
    {
        private const X509ChainStatusFlags AnchorFlags = X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain;

        /// <summary>
        /// Decides whether the server certificate is acceptable. With <paramref name="trusted"/> the chain must lead to
        /// one of them (an intermediate counts as an anchor, like OpenSSL's partial-chain mode the collector's Go stack
        /// behaves like); without, the platform's verdict stands. The host name is always verified.
        /// </summary>
        public static bool Validate(IReadOnlyList<X509Certificate2>? trusted, object sender, X509Certificate? certificate, X509Chain? chain,
            SslPolicyErrors errors, string expectedName, TlsObservation observation)
        {
            if (sender is SslStream stream)
            {
                observation.Stream = stream;
            }

            if (certificate is null)
            {
                observation.ValidationFailure = "the server sent no certificate";
                return false;
            }

            var leaf = certificate as X509Certificate2 ?? new X509Certificate2(certificate);
            observation.PeerSubject = leaf.Subject;
            if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
            {
                observation.ValidationFailure = $"the server certificate '{leaf.Subject}' does not name '{expectedName}' (RemoteCertificateNameMismatch)";
                return false;
            }

            if (trusted is null)
            {
                if (errors == SslPolicyErrors.None)
                {
                    return true;
                }

                observation.ValidationFailure = $"the server certificate '{leaf.Subject}' is not trusted by the system store ({DescribeChain(chain)})";
                return false;
            }

            using var custom = CustomRootChain(trusted.Where(IsSelfIssued));
#if !NET8_0_OR_GREATER
            // .NET Framework has no custom root store: let the chain end anywhere, then demand that it passes through a
            // trusted certificate (checked below).
            custom.ChainPolicy.VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority;
#endif
            custom.ChainPolicy.ExtraStore.AddRange(trusted.ToArray());
            if (chain is not null)
            {
                custom.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
                foreach (var element in chain.ChainElements)
                {
                    custom.ChainPolicy.ExtraStore.Add(element.Certificate);
                }
            }

            var built = custom.Build(leaf);
            var thumbprints = new HashSet<string>(trusted.Select(t => t.Thumbprint), StringComparer.OrdinalIgnoreCase);
            var elements = custom.ChainElements.Cast<X509ChainElement>().ToList();
            var anchor = elements.FindIndex(e => thumbprints.Contains(e.Certificate.Thumbprint));
            if (anchor >= 0 && elements.Take(anchor + 1).All(e => e.ChainElementStatus.All(s => (s.Status & ~AnchorFlags) == 0)))
            {
                return true;
            }

            if (built && anchor >= 0)
            {
                return true;
            }

            observation.ValidationFailure = anchor < 0
                ? $"the server certificate '{leaf.Subject}' does not chain to the given CA certificate(s) ({DescribeChain(custom)})"
                : $"the server certificate chain to the given CA is not valid ({DescribeChain(custom)})";
            return false;
        }

        /// <summary>
        /// "TLS 1.2" style name of what <see cref="SslStream"/> negotiated (numbers, as netstandard2.0 has no Tls13 and
        /// names Tls/Tls11 obsolete). Also used by the diagnosis's platform check.
        /// </summary>
        public static string VersionName(SslProtocols protocol) => (int)protocol switch
        {
            192 => "TLS 1.0",
            768 => "TLS 1.1",
            3072 => "TLS 1.2",
            12288 => "TLS 1.3",
            _ => protocol.ToString(),
        };

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

#if NET8_0_OR_GREATER
        /// <summary>
        /// A platform certificate with its private key from PEM text, built as the .NET exporter builds it
        /// (<c>X509Certificate2.CreateFromPem</c>, no PKCS#12 round trip, whose key derivation costs ~10 ms). Windows' TLS
        /// stack (SChannel) cannot sign with the ephemeral key that gives, so there the key is persisted through a PKCS#12
        /// copy, as the .NET exporter does; elsewhere it never touches disk. Used by the export and by the diagnosis's
        /// platform check.
        /// </summary>
        public static X509Certificate2 CertificateWithKey(string certificatePem, string keyPem)
        {
            var certificate = X509Certificate2.CreateFromPem(certificatePem, keyPem);
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                return certificate;
            }

            using (certificate)
            {
                return new X509Certificate2(certificate.Export(X509ContentType.Pkcs12));
            }
        }
#endif

        private static bool IsSelfIssued(X509Certificate2 certificate) =>
            string.Equals(certificate.Subject, certificate.Issuer, StringComparison.Ordinal);

        private static string DescribeChain(X509Chain? chain)
        {
            var statuses = ChainStatusText(chain);
            return chain is null ? "no chain" : statuses.Length == 0 ? "chain errors" : statuses;
        }
    }
}
