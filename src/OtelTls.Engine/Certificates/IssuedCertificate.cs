using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace OtelTls.Engine.Certificates
{
    /// <summary>A certificate together with its private key and the intermediates that must travel with it.</summary>
    public sealed class IssuedCertificate
    {
        /// <summary>Pairs a certificate with its key and intermediates (issuer first, root excluded).</summary>
        public IssuedCertificate(BcCertificate certificate, AsymmetricKeyParameter privateKey, IReadOnlyList<BcCertificate> intermediates)
        {
            Certificate = certificate;
            PrivateKey = privateKey;
            Intermediates = intermediates;
        }

        /// <summary>The certificate.</summary>
        public BcCertificate Certificate { get; }

        /// <summary>Its private key.</summary>
        public AsymmetricKeyParameter PrivateKey { get; }

        /// <summary>The issuing intermediates, nearest first; empty when issued directly by a root or self-signed.</summary>
        public IReadOnlyList<BcCertificate> Intermediates { get; }

        /// <summary>
        /// How many intermediates travel with the certificate. The cmdlets read this rather than <see cref="Intermediates"/>:
        /// OtelTls.dll must never bind to a BouncyCastle type, which another module's older copy could satisfy.
        /// </summary>
        public int IntermediateCount => Intermediates.Count;

        /// <summary>True for a CA certificate.</summary>
        public bool IsCertificateAuthority => Certificate.GetBasicConstraints() >= 0;

        /// <summary>This certificate alone, PEM.</summary>
        public string CertificatePem => PemBlock.Encode("CERTIFICATE", CertificateDescriber.EncodedAsReceived(Certificate));

        /// <summary>This certificate followed by its intermediates: what a server sends and what a .crt file should hold.</summary>
        public string ChainPem => string.Concat(new[] { Certificate }.Concat(Intermediates).Select(c => PemBlock.Encode("CERTIFICATE", CertificateDescriber.EncodedAsReceived(c))));

        /// <summary>The private key as unencrypted PKCS#8 PEM (<c>BEGIN PRIVATE KEY</c>), the form every SDK reads.</summary>
        public string PrivateKeyPem => PemBlock.Encode("PRIVATE KEY", PrivateKeyInfoFactory.CreatePrivateKeyInfo(PrivateKey).GetEncoded());

        /// <summary>The user-facing view of the certificate.</summary>
        public OtlpCertificate ToModel(string? path = null, string? keyPath = null) => CertificateDescriber.Create(Certificate, path, 0, keyPath);

        /// <summary>
        /// PKCS#12 with the key and chain. 3DES-based PBE because OpenSSL 3 refuses BouncyCastle's RC2-40 default
        /// without its legacy provider.
        /// </summary>
        public byte[] ToPkcs12(string? password, string? friendlyName = null)
        {
            var store = new Pkcs12StoreBuilder()
                .SetKeyAlgorithm(PkcsObjectIdentifiers.PbeWithShaAnd3KeyTripleDesCbc)
                .SetCertAlgorithm(PkcsObjectIdentifiers.PbeWithShaAnd3KeyTripleDesCbc)
                .SetUseDerEncoding(true)
                .Build();
            var chain = new[] { Certificate }.Concat(Intermediates).Select(c => new X509CertificateEntry(c)).ToArray();
            store.SetKeyEntry(friendlyName ?? CertificateDescriber.CommonName(Certificate.SubjectDN) ?? "certificate", new AsymmetricKeyEntry(PrivateKey), chain);
            using var stream = new MemoryStream();
            store.Save(stream, (password ?? string.Empty).ToCharArray(), new SecureRandom());
            return stream.ToArray();
        }

        /// <summary>
        /// Loads a signer (or any certificate with its key) from files: the certificate file may hold the chain after the
        /// leaf; the key must match.
        /// </summary>
        public static IssuedCertificate Load(string certificatePath, string? keyPath, string? keyPassword = null)
        {
            var certificates = CertificateReader.ReadBouncyCastleFile(certificatePath, keyPassword);
            var leaf = certificates[0];
            if (string.IsNullOrEmpty(keyPath))
            {
                throw new OtlpTlsException(OtlpErrorId.SignerKeyMissing, OtlpErrorKind.InvalidOperation,
                    $"The private key of '{CertificateDescriber.FormatName(leaf.SubjectDN)}' ({certificatePath}) is not known.", certificatePath,
                    "Give the key file (-SignerKeyPath), or pipe the object New-OtlpCertificate returned (it carries KeyPath).");
            }

            var key = ReadMatchingKey(leaf, certificatePath, keyPath!, keyPassword);
            var intermediates = certificates.Skip(1).Where(c => !CertificateDescriber.IsSelfSigned(c)).ToList();
            return new IssuedCertificate(leaf, key, intermediates);
        }

        /// <summary>
        /// Pairs a certificate object (from <c>New-OtlpCertificate</c> or <c>Get-OtlpCertificate</c>) with its key, to sign
        /// with it. The key comes from <paramref name="keyPath"/> or else the object's <c>KeyPath</c>; intermediates are the
        /// certificates that follow it in its own file (the chain a .crt written here carries).
        /// </summary>
        public static IssuedCertificate FromCertificate(OtlpCertificate certificate, string? keyPath = null, string? keyPassword = null)
        {
            var leaf = CertificateDescriber.ToBouncyCastle(certificate);
            var source = certificate.Path ?? certificate.Endpoint ?? certificate.Subject;
            keyPath = string.IsNullOrEmpty(keyPath) ? certificate.KeyPath : keyPath;
            if (string.IsNullOrEmpty(keyPath))
            {
                throw new OtlpTlsException(OtlpErrorId.SignerKeyMissing, OtlpErrorKind.InvalidOperation,
                    $"The private key of '{certificate.Subject}' ({source}) is not known, so it cannot sign.", source,
                    "Give the key file with -SignerKeyPath, or pipe the object New-OtlpCertificate returned (it carries KeyPath).");
            }

            var key = ReadMatchingKey(leaf, source, keyPath!, keyPassword);
            var intermediates = new List<BcCertificate>();
            if (!string.IsNullOrEmpty(certificate.Path) && !CertificateDescriber.IsSelfSigned(leaf))
            {
                // Only what follows this certificate in its file: a bundle may also hold unrelated certificates before it.
                var inFile = CertificateReader.ReadBouncyCastleFile(certificate.Path!, keyPassword);
                var position = inFile.ToList().FindIndex(c => c.Equals(leaf));
                if (position >= 0)
                {
                    intermediates.AddRange(inFile.Skip(position + 1).Where(c => !CertificateDescriber.IsSelfSigned(c)));
                }
            }

            return new IssuedCertificate(leaf, key, intermediates);
        }

        private static AsymmetricKeyParameter ReadMatchingKey(BcCertificate leaf, string certificateSource, string keyPath, string? keyPassword)
        {
            var key = PrivateKeyReader.Read(keyPath, keyPassword);
            if (!PrivateKeyReader.Matches(leaf, key))
            {
                throw new OtlpTlsException(OtlpErrorId.PrivateKeyMismatch, OtlpErrorKind.InvalidData,
                    $"The private key '{keyPath}' does not belong to the certificate '{CertificateDescriber.FormatName(leaf.SubjectDN)}' ({certificateSource}).",
                    keyPath, "Pair each certificate with the key it was issued for; compare 'openssl x509 -noout -pubkey -in <crt>' with 'openssl pkey -pubout -in <key>'.");
            }

            return key;
        }
    }
}
