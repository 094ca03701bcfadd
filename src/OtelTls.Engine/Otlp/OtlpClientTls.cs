using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Security;
using System.Runtime.InteropServices;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using OtelTls.Engine.Certificates;
using OtelTls.Engine.Client;
using OtelTls.Engine.Vocabulary;

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
                Version = TlsVersions.DisplayName(stream.SslProtocol);
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
        /// <summary>
        /// The TLS callback of the export: records what the handshake showed and asks the one server-certificate verdict
        /// (<see cref="ServerCertificateValidator"/>), which the diagnosis's platform check asks too.
        /// </summary>
        public static bool Validate(IReadOnlyList<X509Certificate2>? trusted, object sender, X509Certificate? certificate, X509Chain? chain,
            SslPolicyErrors errors, string expectedName, TlsObservation observation)
        {
            if (sender is SslStream stream)
            {
                observation.Stream = stream;
            }

            var verdict = ServerCertificateValidator.Judge(trusted, certificate, chain, errors, expectedName);
            observation.PeerSubject = verdict.PeerSubject;
            observation.ValidationFailure = verdict.Failure;
            return verdict.Accepted;
        }

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
    }
}
