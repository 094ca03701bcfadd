using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Crypto;
using OtelTls.Engine.Certificates;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace OtelTls.Engine.Client
{
    /// <summary>
    /// The client certificate, the certificates after it in its file, and its private key, read once from PEM (plain or
    /// encrypted), DER or PKCS#12: the one client-certificate loader of the probe, the platform check and the export.
    /// </summary>
    internal sealed class ClientCredential : IDisposable
    {
        private readonly object _gate = new();
        private X509Certificate2? _platform;
        private bool _disposed;

        private ClientCredential(string certificatePath, string keyPath, IReadOnlyList<BcCertificate> chain, AsymmetricKeyParameter key)
        {
            CertificatePath = certificatePath;
            KeyPath = keyPath;
            BouncyCastleChain = chain;
            Key = key;
            Chain = chain.Select((c, i) => CertificateDescriber.Create(c, certificatePath, i)).ToList();
            KeyMatches = PrivateKeyReader.Matches(chain[0], key);
        }

        public string CertificatePath { get; }

        public string KeyPath { get; }

        /// <summary>The leaf, then what followed it in the file.</summary>
        public IReadOnlyList<OtlpCertificate> Chain { get; }

        public IReadOnlyList<BcCertificate> BouncyCastleChain { get; }

        public AsymmetricKeyParameter Key { get; }

        /// <summary>False when the key is not the leaf's: the diagnosis reports it, the export refuses to send.</summary>
        public bool KeyMatches { get; }

        /// <summary>True when the file holds more than the leaf (intermediates): the .NET exporter sends only the leaf.</summary>
        public bool HasIntermediates => BouncyCastleChain.Skip(1).Any(c => !CertificateDescriber.IsSelfSigned(c));

        /// <summary>
        /// Reads the pair. Neither given: null (no mutual TLS). A key without a certificate, or a certificate that is not
        /// PKCS#12 without a key, is one mistake with one id everywhere: <c>ClientCertificatePairIncomplete</c>. The files
        /// are read through <paramref name="files"/>, the command's reads, when given.
        /// </summary>
        public static ClientCredential? Load(string? certificatePath, string? keyPath, string? password, CommandFiles? files = null)
        {
            if (string.IsNullOrEmpty(certificatePath) && string.IsNullOrEmpty(keyPath))
            {
                return null;
            }

            if (string.IsNullOrEmpty(certificatePath))
            {
                throw Incomplete($"A client key ('{keyPath}') was given without its certificate.", keyPath!);
            }

            if (string.IsNullOrEmpty(keyPath) && !LooksLikePkcs12Name(certificatePath!) && !System.IO.File.Exists(certificatePath))
            {
                // The missing key is the mistake to name first; a PKCS#12 file (which needs no key file) is read below.
                throw Incomplete($"The client certificate '{certificatePath}' was given without its private key.", certificatePath!);
            }

            var bytes = CommandFiles.Read(files, certificatePath!, "client certificate");
            if (string.IsNullOrEmpty(keyPath))
            {
                if (!CertificateReader.IsPkcs12(certificatePath!, bytes))
                {
                    throw Incomplete($"The client certificate '{certificatePath}' was given without its private key.", certificatePath!);
                }

                var bundled = CertificateReader.Parse(bytes, certificatePath!, password);
                return new ClientCredential(certificatePath!, certificatePath!, bundled, PrivateKeyReader.Parse(bytes, certificatePath!, password));
            }

            var chain = CertificateReader.Parse(bytes, certificatePath!, password);
            return new ClientCredential(certificatePath!, keyPath!, chain, PrivateKeyReader.Parse(CommandFiles.Read(files, keyPath!, "private key"), keyPath!, password));
        }

        /// <summary>
        /// The leaf with its key as the platform TLS stack needs it. Only the leaf: that is what the OpenTelemetry .NET
        /// exporter presents (measured: it never sends the intermediates of its client certificate file).
        /// </summary>
        private X509Certificate2 ToPlatformCertificate()
        {
            var issued = new IssuedCertificate(BouncyCastleChain[0], Key, Array.Empty<BcCertificate>());
#if NET8_0_OR_GREATER
            return Otlp.OtlpClientTls.CertificateWithKey(issued.CertificatePem, issued.PrivateKeyPem);
#else
            // .NET Framework cannot pair a certificate with a PEM key: through PKCS#12 into the user key set.
            var transient = Guid.NewGuid().ToString("N");
            return new X509Certificate2(issued.ToPkcs12(transient), transient, X509KeyStorageFlags.UserKeySet);
#endif
        }

        /// <summary>The platform certificate, made on first use and kept until <see cref="Dispose"/>.</summary>
        public X509Certificate2 PlatformCertificate
        {
            get
            {
                lock (_gate)
                {
                    if (_disposed)
                    {
                        throw new ObjectDisposedException(nameof(OtelTls.Engine.Client.OtlpClientSettings));
                    }

                    return _platform ??= ToPlatformCertificate();
                }
            }
        }

        /// <summary>Releases the platform certificate.</summary>
        public void Dispose()
        {
            lock (_gate)
            {
                _disposed = true;
                _platform?.Dispose();
                _platform = null;
            }
        }

        /// <summary>The export cannot sign the handshake with a key that is not the certificate's.</summary>
        public void ThrowIfKeyMismatch()
        {
            if (!KeyMatches)
            {
                throw new OtlpTlsException(OtlpErrorId.PrivateKeyMismatch, OtlpErrorKind.InvalidData,
                    $"The private key '{KeyPath}' does not belong to the certificate '{Chain[0].Subject}' ({CertificatePath}).",
                    KeyPath, "Pair each certificate with the key it was issued for; compare 'openssl x509 -noout -pubkey -in <crt>' with 'openssl pkey -pubout -in <key>'.");
            }
        }

        private static bool LooksLikePkcs12Name(string path) =>
            path.EndsWith(".p12", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase);

        private static OtlpTlsException Incomplete(string message, string target) =>
            new(OtlpErrorId.ClientCertificatePairIncomplete, OtlpErrorKind.InvalidArgument, message + " Mutual TLS needs both.", target,
                "Pass the client certificate and its private key together (-ClientCertificate and -ClientKey, like OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE and _CLIENT_KEY), or a PKCS#12 file that holds both.");
    }
}
