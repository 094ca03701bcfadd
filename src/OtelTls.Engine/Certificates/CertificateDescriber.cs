using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Utilities.Encoders;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace OtelTls.Engine.Certificates
{
    /// <summary>Turns a parsed certificate into the <see cref="OtlpCertificate"/> users see, and names its parts.</summary>
    public static class CertificateDescriber
    {
        private static readonly (int Bit, string Name)[] KeyUsageNames =
        {
            (KeyUsage.DigitalSignature, "DigitalSignature"), (KeyUsage.NonRepudiation, "NonRepudiation"),
            (KeyUsage.KeyEncipherment, "KeyEncipherment"), (KeyUsage.DataEncipherment, "DataEncipherment"),
            (KeyUsage.KeyAgreement, "KeyAgreement"), (KeyUsage.KeyCertSign, "KeyCertSign"),
            (KeyUsage.CrlSign, "CrlSign"), (KeyUsage.EncipherOnly, "EncipherOnly"), (KeyUsage.DecipherOnly, "DecipherOnly"),
        };

        private static readonly Dictionary<string, string> ExtendedKeyUsageNames = new()
        {
            ["1.3.6.1.5.5.7.3.1"] = "ServerAuth",
            ["1.3.6.1.5.5.7.3.2"] = "ClientAuth",
            ["1.3.6.1.5.5.7.3.3"] = "CodeSigning",
            ["1.3.6.1.5.5.7.3.4"] = "EmailProtection",
            ["1.3.6.1.5.5.7.3.8"] = "TimeStamping",
            ["1.3.6.1.5.5.7.3.9"] = "OcspSigning",
            ["2.5.29.37.0"] = "AnyExtendedKeyUsage",
        };

        // openssl's names, because users compare our output with 'openssl x509 -text'.
        private static readonly Dictionary<string, string> SignatureAlgorithmNames = new()
        {
            ["1.2.840.113549.1.1.4"] = "md5WithRSAEncryption",
            ["1.2.840.113549.1.1.5"] = "sha1WithRSAEncryption",
            ["1.2.840.113549.1.1.11"] = "sha256WithRSAEncryption",
            ["1.2.840.113549.1.1.12"] = "sha384WithRSAEncryption",
            ["1.2.840.113549.1.1.13"] = "sha512WithRSAEncryption",
            ["1.2.840.113549.1.1.10"] = "rsassaPss",
            ["1.2.840.10045.4.1"] = "ecdsa-with-SHA1",
            ["1.2.840.10045.4.3.2"] = "ecdsa-with-SHA256",
            ["1.2.840.10045.4.3.3"] = "ecdsa-with-SHA384",
            ["1.2.840.10045.4.3.4"] = "ecdsa-with-SHA512",
            ["1.3.101.112"] = "ED25519",
            ["1.3.101.113"] = "ED448",
        };

        /// <summary>Builds the user-facing object; <paramref name="path"/> is null for a certificate from an endpoint.</summary>
        public static OtlpCertificate Create(BcCertificate certificate, string? path, int index, string? keyPath = null, string? endpoint = null)
        {
            var der = CertificateDecoder.OriginalEncoding(certificate);
            var (keyAlgorithm, keySize) = DescribeKey(certificate);
            var extensions = CertificateExtensionSet.For(certificate);
            return new OtlpCertificate
            {
                Subject = FormatName(certificate.SubjectDN),
                Issuer = FormatName(certificate.IssuerDN),
                CommonName = CommonName(certificate.SubjectDN),
                DnsNames = SubjectAlternativeNames(certificate, GeneralName.DnsName).ToArray(),
                IPAddresses = SubjectAlternativeNames(certificate, GeneralName.IPAddress).ToArray(),
                NotBefore = new DateTimeOffset(DateTime.SpecifyKind(certificate.NotBefore, DateTimeKind.Utc)),
                NotAfter = new DateTimeOffset(DateTime.SpecifyKind(certificate.NotAfter, DateTimeKind.Utc)),
                IsCertificateAuthority = extensions.IsAuthority,
                PathLength = extensions.IsAuthority ? extensions.PathLength : null,
                IsSelfSigned = IsSelfSigned(certificate),
                KeyAlgorithm = keyAlgorithm,
                KeySize = keySize,
                SignatureAlgorithm = SignatureAlgorithmName(certificate.SigAlgOid),
                KeyUsages = KeyUsageList(certificate).ToArray(),
                EnhancedKeyUsages = ExtendedKeyUsageList(certificate).ToArray(),
                SerialNumber = certificate.SerialNumber.ToString(16).ToUpperInvariant(),
                Thumbprint = Hex.ToHexString(DigestUtilities.CalculateDigest("SHA-256", der)).ToUpperInvariant(),
                Path = path,
                KeyPath = keyPath,
                Endpoint = endpoint,
                Index = index,
                Pem = PemBlock.Encode("CERTIFICATE", der),
                RawData = der,
                PlatformCertificateFactory = () => CreatePlatformCertificate(der),
            };
        }

        /// <summary>
        /// The DER as received: a certificate whose malformed basicConstraints or keyUsage had to be dropped to decode it
        /// still encodes (and serves) as the original bytes.
        /// </summary>
        public static byte[] EncodedAsReceived(BcCertificate certificate) => CertificateDecoder.OriginalEncoding(certificate);

        /// <summary>Re-reads the DER an <see cref="OtlpCertificate"/> carries.</summary>
        public static BcCertificate ToBouncyCastle(OtlpCertificate certificate) => CertificateDecoder.Decode(certificate.GetRawData());

        /// <summary>Subject or issuer as <c>CN=…, O=…, C=…</c> (most specific first, like .NET and Windows show it).</summary>
        public static string FormatName(X509Name name)
        {
            var oids = name.GetOidList();
            var values = name.GetValueList();
            var parts = new List<string>(oids.Count);
            for (var i = oids.Count - 1; i >= 0; i--)
            {
                var key = X509Name.DefaultSymbols.TryGetValue(oids[i], out var symbol) ? symbol : oids[i].Id;
                parts.Add(key + "=" + EscapeRdnValue(values[i]));
            }

            return string.Join(", ", parts);
        }

        private static string EscapeRdnValue(string value)
        {
            var builder = new System.Text.StringBuilder(value.Length);
            foreach (var c in value)
            {
                if (c is ',' or '+' or '"' or '\\' or '<' or '>' or ';')
                {
                    builder.Append('\\');
                }

                builder.Append(c);
            }

            return builder.ToString();
        }

        /// <summary>The last CN of a name, or null.</summary>
        public static string? CommonName(X509Name name) => name.GetValueList(X509Name.CN).LastOrDefault();

        /// <summary>SAN entries of one kind (DNS or IP), as text; entries that do not decode are left out (they are a CertificateMalformed finding).</summary>
        public static IEnumerable<string> SubjectAlternativeNames(BcCertificate certificate, int tag)
        {
            var extensions = CertificateExtensionSet.For(certificate);
            return tag switch
            {
                GeneralName.DnsName => extensions.DnsNames,
                GeneralName.IPAddress => extensions.IPAddresses.Select(ip => ip.ToString()),
                GeneralName.Rfc822Name => extensions.Emails,
                GeneralName.UniformResourceIdentifier => extensions.Uris,
                _ => Enumerable.Empty<string>(),
            };
        }

        /// <summary>keyUsage bit names.</summary>
        public static IEnumerable<string> KeyUsageList(BcCertificate certificate)
        {
            var bits = CertificateExtensionSet.For(certificate).KeyUsage;
            if (bits is null)
            {
                yield break;
            }

            // BouncyCastle returns the bits in encoding order: index 0 is digitalSignature.
            for (var i = 0; i < bits.Length && i < KeyUsageNames.Length; i++)
            {
                if (bits[i])
                {
                    yield return KeyUsageNames[i].Name;
                }
            }
        }

        /// <summary>extendedKeyUsage names (or OIDs for purposes without a name here).</summary>
        public static IEnumerable<string> ExtendedKeyUsageList(BcCertificate certificate)
        {
            var oids = CertificateExtensionSet.For(certificate).ExtendedKeyUsage;
            if (oids is null)
            {
                return Enumerable.Empty<string>();
            }

            return oids.Select(o => ExtendedKeyUsageNames.TryGetValue(o, out var name) ? name : o);
        }

        /// <summary>The openssl name of a signature algorithm OID.</summary>
        public static string SignatureAlgorithmName(string oid) =>
            SignatureAlgorithmNames.TryGetValue(oid, out var name) ? name : oid;

        /// <summary>True when subject equals issuer and the certificate's own key verifies its signature.</summary>
        public static bool IsSelfSigned(BcCertificate certificate) =>
            certificate.SubjectDN.Equivalent(certificate.IssuerDN) && IsSignedBy(certificate, certificate);

        /// <summary>
        /// True when <paramref name="issuer"/>'s key verifies <paramref name="child"/>'s signature; false for a wrong key,
        /// a broken signature or an algorithm BouncyCastle cannot verify.
        /// </summary>
        internal static bool IsSignedBy(BcCertificate child, BcCertificate issuer)
        {
            try
            {
                CertificateDecoder.Verify(child, PublicKeyCache.Get(issuer));
                return true;
            }
            catch (Exception ex) when (ex is Org.BouncyCastle.Security.Certificates.CertificateException
                or InvalidKeyException or SignatureException or Org.BouncyCastle.Crypto.CryptoException
                or ArgumentException or InvalidOperationException or SecurityUtilityException)
            {
                return false;
            }
        }

        /// <summary>Key algorithm as people say it (<c>RSA</c>, <c>ECDSA P-256</c>) and its size in bits.</summary>
        public static (string Algorithm, int Size) DescribeKey(BcCertificate certificate)
        {
            var keyInfo = certificate.CertificateStructure.SubjectPublicKeyInfo;
            if (PublicKeyCache.IsRsa(keyInfo))
            {
                // Read from the SPKI: constructing an RSA key runs BouncyCastle's primality test (PublicKeyCache).
                return ("RSA", PublicKeyCache.RsaModulusBits(keyInfo));
            }

            switch (PublicKeyCache.Get(keyInfo))
            {
                case ECPublicKeyParameters ec:
                    var curve = ec.PublicKeyParamSet is null ? null : Org.BouncyCastle.Asn1.X9.ECNamedCurveTable.GetName(ec.PublicKeyParamSet);
                    return ("ECDSA " + CurveDisplayName(curve, ec.Parameters.Curve.FieldSize), ec.Parameters.Curve.FieldSize);
                case Ed25519PublicKeyParameters:
                    return ("Ed25519", 256);
                case Ed448PublicKeyParameters:
                    return ("Ed448", 448);
                case DsaPublicKeyParameters dsa:
                    return ("DSA", dsa.Parameters.P.BitLength);
                default:
                    return (certificate.SubjectPublicKeyInfo.Algorithm.Algorithm.Id, 0);
            }
        }

        /// <summary>
        /// True for keys within reach of attackers and refused by OpenSSL's default security level 2: RSA and DSA under
        /// 2048 bits, EC under 256 bits (<paramref name="algorithm"/> and <paramref name="size"/> as <see cref="DescribeKey"/> gives them).
        /// </summary>
        internal static bool IsWeakKey(string algorithm, int size) => algorithm switch
        {
            "RSA" or "DSA" => size < 2048,
            _ when algorithm.StartsWith("ECDSA", StringComparison.Ordinal) => size < 256,
            _ => false,
        };

        /// <summary>
        /// True for weak keys that OpenSSL at security level 2 (112 bits) refuses outright rather than merely warns about:
        /// every weak RSA or DSA key, and EC keys under 224 bits (EC 224..255 is weak but accepted).
        /// </summary>
        internal static bool IsRefusedKey(string algorithm, int size) => algorithm switch
        {
            "RSA" or "DSA" => size < 2048,
            _ when algorithm.StartsWith("ECDSA", StringComparison.Ordinal) => size < 224,
            _ => false,
        };

        private static string CurveDisplayName(string? curve, int fieldSize) => curve switch
        {
            "secp256r1" or "prime256v1" or "P-256" => "P-256",
            "secp384r1" or "P-384" => "P-384",
            "secp521r1" or "P-521" => "P-521",
            null => $"{fieldSize}-bit curve",
            _ => curve,
        };

        private static System.Security.Cryptography.X509Certificates.X509Certificate2? CreatePlatformCertificate(byte[] der)
        {
            try
            {
#if NET9_0_OR_GREATER
                return System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(der);
#else
                return new System.Security.Cryptography.X509Certificates.X509Certificate2(der);
#endif
            }
            catch (System.Security.Cryptography.CryptographicException)
            {
                // The platform parser is stricter than BouncyCastle on some odd certificates; everything else still works.
                return null;
            }
        }

        /// <summary>A private key as findings name it: algorithm and size.</summary>
        internal static string DescribePrivateKey(Org.BouncyCastle.Crypto.AsymmetricKeyParameter key) => key switch
        {
            Org.BouncyCastle.Crypto.Parameters.RsaKeyParameters rsa => $"RSA, {rsa.Modulus.BitLength.ToString(System.Globalization.CultureInfo.InvariantCulture)} bits",
            Org.BouncyCastle.Crypto.Parameters.ECPrivateKeyParameters ec => $"EC, {ec.Parameters.Curve.FieldSize.ToString(System.Globalization.CultureInfo.InvariantCulture)} bits",
            Org.BouncyCastle.Crypto.Parameters.Ed25519PrivateKeyParameters => "Ed25519",
            Org.BouncyCastle.Crypto.Parameters.Ed448PrivateKeyParameters => "Ed448",
            _ => key.GetType().Name.Replace("PrivateKeyParameters", string.Empty),
        };
    }
}
