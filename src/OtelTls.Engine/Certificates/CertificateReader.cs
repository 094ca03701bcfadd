using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace OtelTls.Engine.Certificates
{
    /// <summary>
    /// Reads certificates from files in every form users have: PEM (one or a bundle), DER, PKCS#12.
    /// Every failure is an <see cref="OtlpTlsException"/> with a stable id; nothing here guesses silently.
    /// </summary>
    public static class CertificateReader
    {
        private static readonly string[] CertificatePemLabels = { "CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE" };

        /// <summary>Reads every certificate in a file, in file order.</summary>
        /// <param name="path">A file system path (already resolved by the caller).</param>
        /// <param name="password">PKCS#12 password; null for none.</param>
        /// <param name="files">The command's file reads, when the file may be read again in the same command; null reads it here.</param>
        public static IReadOnlyList<OtlpCertificate> ReadFile(string path, string? password = null, CommandFiles? files = null) =>
            Parse(CommandFiles.Read(files, path, "certificate"), path, password).Select((c, i) => CertificateDescriber.Create(c, path, i)).ToList();

        /// <summary>Reads every certificate in a file as BouncyCastle objects, for the engine's own checks.</summary>
        internal static IReadOnlyList<BcCertificate> ReadBouncyCastleFile(string path, string? password = null)
        {
            var bytes = FileAccess.ReadAllBytes(path, "certificate");
            return Parse(bytes, path, password);
        }

        /// <summary>Parses PEM, DER or PKCS#12 bytes; <paramref name="source"/> names them in errors.</summary>
        internal static IReadOnlyList<BcCertificate> Parse(byte[] bytes, string source, string? password = null)
        {
            if (bytes.Length == 0)
            {
                throw Invalid(source, "The file is empty.");
            }

            if (PemBlock.LooksLikePem(bytes))
            {
                return ParsePem(Encoding.ASCII.GetString(bytes), source);
            }

            if (IsPkcs12(source, bytes))
            {
                return ParsePkcs12(bytes, source, password);
            }

            var der = TryParseDer(bytes);
            if (der is not null)
            {
                return new[] { der };
            }

            throw Invalid(source, "It is neither PEM, DER nor PKCS#12.");
        }

        private static IReadOnlyList<BcCertificate> ParsePem(string text, string source)
        {
            var blocks = PemBlock.ReadAll(text, source);
            var certificates = new List<BcCertificate>();
            foreach (var block in blocks.Where(b => CertificatePemLabels.Contains(b.Label)))
            {
                certificates.Add(TryParseDer(block.Content)
                    ?? throw Invalid(source, $"The PEM block {block.Ordinal} ('{block.Label}') does not hold a valid certificate."));
            }

            if (certificates.Count > 0)
            {
                return certificates;
            }

            if (blocks.Any(b => b.Label.EndsWith("PRIVATE KEY", StringComparison.Ordinal)))
            {
                throw new OtlpTlsException(OtlpErrorId.PrivateKeyNotCertificate, OtlpErrorKind.InvalidData,
                    $"The file '{source}' holds a private key, not a certificate.", source,
                    "Pass the certificate file (.crt/.pem with BEGIN CERTIFICATE); the key goes to -KeyPath or -ClientKey.");
            }

            throw Invalid(source, $"It holds PEM blocks ({string.Join(", ", blocks.Select(b => b.Label).Distinct())}) but no certificate.");
        }

        private static IReadOnlyList<BcCertificate> ParsePkcs12(byte[] bytes, string source, string? password)
        {
            var store = Pkcs12Files.Load(bytes, source, password);
            var certificates = new List<BcCertificate>();
            foreach (var alias in store.Aliases)
            {
                if (store.IsKeyEntry(alias))
                {
                    // Leaf (with its chain) first, as a server would send it.
                    foreach (var entry in store.GetCertificateChain(alias) ?? Array.Empty<X509CertificateEntry>())
                    {
                        AddDistinct(certificates, entry.Certificate);
                    }
                }
            }

            foreach (var alias in store.Aliases)
            {
                if (store.IsCertificateEntry(alias))
                {
                    AddDistinct(certificates, store.GetCertificate(alias).Certificate);
                }
            }

            if (certificates.Count == 0)
            {
                throw Invalid(source, "The PKCS#12 file holds no certificate.");
            }

            return certificates;
        }

        private static void AddDistinct(List<BcCertificate> list, BcCertificate certificate)
        {
            if (!list.Any(c => c.Equals(certificate)))
            {
                list.Add(certificate);
            }
        }

        internal static bool IsPkcs12(string source, byte[] bytes)
        {
            var extension = Path.GetExtension(source);
            if (extension.Equals(".pfx", StringComparison.OrdinalIgnoreCase) || extension.Equals(".p12", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            // A certificate is SEQUENCE { SEQUENCE tbs ... }; a PFX is SEQUENCE { INTEGER 3, ... }.
            return TryParseDer(bytes) is null && Pkcs12Files.LooksLikePfx(bytes);
        }

        private static BcCertificate? TryParseDer(byte[] der)
        {
            try
            {
                var certificate = CertificateDecoder.Decode(der);
                // Force the lazy parts to parse so truncation is caught here, not later.
                _ = certificate.GetTbsCertificate();
                return certificate;
            }
            catch (Exception ex) when (ex is ArgumentException or IOException or SecurityUtilityException
                or InvalidCastException or InvalidOperationException or Org.BouncyCastle.Security.Certificates.CertificateException
                or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
            {
                return null;
            }
        }

        private static OtlpTlsException Invalid(string source, string detail) =>
            new(OtlpErrorId.CertificateFileInvalid, OtlpErrorKind.InvalidData,
                $"The file '{source}' is not a readable certificate. {detail}", source,
                "Check the file: 'openssl x509 -in <file> -noout -text' shows what it holds. PEM must contain BEGIN/END CERTIFICATE lines.");
    }
}
