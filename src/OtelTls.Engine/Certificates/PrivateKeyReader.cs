using System;
using System.IO;
using System.Linq;
using System.Text;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math.EC.Multiplier;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.Security;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace OtelTls.Engine.Certificates
{
    /// <summary>
    /// Reads private keys in the forms tools write them (PKCS#8, encrypted PKCS#8, PKCS#1 RSA, SEC1 EC, legacy
    /// encrypted PEM, DER, PKCS#12) and tells whether a key belongs to a certificate. Key material never appears in
    /// an error message.
    /// </summary>
    public static class PrivateKeyReader
    {
        /// <summary>Reads the private key in a file.</summary>
        /// <param name="path">A file system path.</param>
        /// <param name="password">Password of an encrypted key or PKCS#12 file; null for none.</param>
        public static AsymmetricKeyParameter Read(string path, string? password = null) =>
            Parse(FileAccess.ReadAllBytes(path, "private key"), path, password);

        /// <summary>Parses key bytes; <paramref name="source"/> names them in errors.</summary>
        public static AsymmetricKeyParameter Parse(byte[] bytes, string source, string? password = null)
        {
            if (bytes.Length == 0)
            {
                throw Invalid(source, "The file is empty.");
            }

            if (PemBlock.LooksLikePem(bytes))
            {
                return ParsePem(Encoding.ASCII.GetString(bytes), source, password);
            }

            if (CertificateReader.IsPkcs12(source, bytes))
            {
                var store = Pkcs12Files.Load(bytes, source, password);
                var alias = store.Aliases.FirstOrDefault(store.IsKeyEntry)
                    ?? throw Invalid(source, "The PKCS#12 file holds no private key.");
                return store.GetKey(alias).Key;
            }

            try
            {
                return RequirePrivate(PrivateKeyFactory.CreateKey(WrapTraditionalDer(bytes)), source);
            }
            catch (Exception ex) when (IsParseFailure(ex))
            {
                throw Invalid(source, "It is neither a PEM nor a DER private key.");
            }
        }

        /// <summary>
        /// openssl writes RSA and EC keys in DER as PKCS#1 / SEC1 ("traditional"), not PKCS#8: wrap those in a
        /// PrivateKeyInfo so one factory reads every form.
        /// </summary>
        private static byte[] WrapTraditionalDer(byte[] der)
        {
            var sequence = Asn1Sequence.GetInstance(Asn1Object.FromByteArray(der));
            if (sequence.Count == 9 && sequence[0] is DerInteger rsaVersion && rsaVersion.HasValue(0))
            {
                var rsa = new AlgorithmIdentifier(PkcsObjectIdentifiers.RsaEncryption, DerNull.Instance);
                return new PrivateKeyInfo(rsa, sequence).GetEncoded();
            }

            if (sequence.Count >= 2 && sequence[0] is DerInteger ecVersion && ecVersion.HasValue(1) && sequence[1] is Asn1OctetString)
            {
                var ec = ECPrivateKeyStructure.GetInstance(sequence);
                var parameters = ec.Parameters ?? throw new ArgumentException("SEC1 key without curve parameters.");
                return new PrivateKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.IdECPublicKey, parameters), ec).GetEncoded();
            }

            return der;
        }

        /// <summary>True when the key is the private half of the certificate's public key.</summary>
        public static bool Matches(BcCertificate certificate, AsymmetricKeyParameter privateKey)
        {
            var keyInfo = certificate.CertificateStructure.SubjectPublicKeyInfo;
            if (privateKey is RsaKeyParameters rsa)
            {
                // The modulus straight from the SPKI: constructing the RSA public key would run its primality test again.
                return PublicKeyCache.IsRsa(keyInfo) && rsa.Modulus.Equals(RsaPublicKeyStructure.GetInstance(keyInfo.ParsePublicKey()).Modulus);
            }

            var publicKey = PublicKeyCache.Get(keyInfo);
            switch (privateKey)
            {
                case ECPrivateKeyParameters ec when publicKey is ECPublicKeyParameters ecPublic:
                    var q = new FixedPointCombMultiplier().Multiply(ec.Parameters.G, ec.D).Normalize();
                    return q.Equals(ecPublic.Q.Normalize());
                case Ed25519PrivateKeyParameters ed when publicKey is Ed25519PublicKeyParameters edPublic:
                    return ed.GeneratePublicKey().GetEncoded().SequenceEqual(edPublic.GetEncoded());
                case Ed448PrivateKeyParameters ed448 when publicKey is Ed448PublicKeyParameters ed448Public:
                    return ed448.GeneratePublicKey().GetEncoded().SequenceEqual(ed448Public.GetEncoded());
                default:
                    return false;
            }
        }

        private static AsymmetricKeyParameter ParsePem(string text, string source, string? password)
        {
            var blocks = PemBlock.ReadAll(text, source);
            var keyBlock = blocks.FirstOrDefault(b => b.Label.EndsWith("PRIVATE KEY", StringComparison.Ordinal));
            if (keyBlock is null)
            {
                if (blocks.Any(b => b.Label.EndsWith("CERTIFICATE", StringComparison.Ordinal)))
                {
                    throw new OtlpTlsException(OtlpErrorId.CertificateNotPrivateKey, OtlpErrorKind.InvalidData,
                        $"The file '{source}' holds a certificate, not a private key.", source,
                        "Pass the key file (BEGIN PRIVATE KEY); the certificate goes to the certificate parameter.");
                }

                throw Invalid(source, $"It holds PEM blocks ({string.Join(", ", blocks.Select(b => b.Label).Distinct())}) but no private key.");
            }

            var encrypted = keyBlock.Label == "ENCRYPTED PRIVATE KEY"
                || (keyBlock.Headers.TryGetValue("Proc-Type", out var procType) && procType.Contains("ENCRYPTED"));
            if (encrypted && string.IsNullOrEmpty(password))
            {
                throw new OtlpTlsException(OtlpErrorId.PrivateKeyPasswordRequired, OtlpErrorKind.AuthenticationError,
                    $"The private key in '{source}' is encrypted and no password was given.", source,
                    "Pass the key's password (a SecureString), or decrypt it once: openssl pkey -in <key> -out <plain-key>.");
            }

            // Re-encode just the key block so BouncyCastle's reader sees one object, whatever else the file holds.
            var blockText = PemBlock.Encode(keyBlock.Label, keyBlock.Content);
            if (keyBlock.Headers.Count > 0)
            {
                var headerLines = string.Concat(keyBlock.Headers.Select(h => $"{h.Key}: {h.Value}\n")) + "\n";
                var firstLineEnd = blockText.IndexOf('\n') + 1;
                blockText = blockText.Substring(0, firstLineEnd) + headerLines + blockText.Substring(firstLineEnd);
            }

            object? parsed;
            try
            {
                using var reader = new StringReader(blockText);
                parsed = new PemReader(reader, new StaticPassword(password)).ReadObject();
            }
            catch (Exception ex) when (encrypted && (ex is InvalidCipherTextException or PemException or IOException
                or ArgumentException or InvalidCastException or CryptoException))
            {
                throw new OtlpTlsException(OtlpErrorId.PrivateKeyPasswordInvalid, OtlpErrorKind.AuthenticationError,
                    $"The password for the private key in '{source}' is wrong.", source,
                    "Check the password; 'openssl pkey -in <key> -noout' asks for it and says whether it is right.");
            }
            catch (Exception ex) when (IsParseFailure(ex) || ex is PemException)
            {
                throw Invalid(source, $"The '{keyBlock.Label}' block could not be parsed.");
            }

            return parsed switch
            {
                AsymmetricCipherKeyPair pair => pair.Private,
                AsymmetricKeyParameter key => RequirePrivate(key, source),
                _ => throw Invalid(source, $"The '{keyBlock.Label}' block is not a supported private key."),
            };
        }

        private static AsymmetricKeyParameter RequirePrivate(AsymmetricKeyParameter key, string source) =>
            key.IsPrivate ? key : throw Invalid(source, "It holds a public key, not a private key.");

        private static bool IsParseFailure(Exception ex) =>
            ex is IOException or ArgumentException or InvalidCastException or InvalidOperationException
                or SecurityUtilityException or CryptoException or FormatException;

        private static OtlpTlsException Invalid(string source, string detail) =>
            new(OtlpErrorId.PrivateKeyFileInvalid, OtlpErrorKind.InvalidData,
                $"The file '{source}' is not a readable private key. {detail}", source,
                "Check the file: 'openssl pkey -in <file> -noout' reads any valid key.");

        private sealed class StaticPassword : IPasswordFinder
        {
            private readonly string? _password;

            public StaticPassword(string? password) => _password = password;

            public char[] GetPassword() => (_password ?? string.Empty).ToCharArray();
        }
    }
}
