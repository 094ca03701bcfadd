using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using Org.BouncyCastle.X509.Extension;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace OtelTls.Engine.Certificates
{
    /// <summary>
    /// Issues CA, server and client certificates in-process: what <c>openssl req</c> + <c>openssl x509 -req</c> do in
    /// several process runs, with the extensions OTLP peers check already right (SANs, EKUs, basicConstraints, key ids).
    /// </summary>
    public static class CertificateFactory
    {
        private static readonly SecureRandom Random = new();

        private static readonly Dictionary<string, DerObjectIdentifier> ExtendedKeyUsageOids = new(StringComparer.OrdinalIgnoreCase)
        {
            ["ServerAuth"] = KeyPurposeID.id_kp_serverAuth,
            ["ClientAuth"] = KeyPurposeID.id_kp_clientAuth,
            ["CodeSigning"] = KeyPurposeID.id_kp_codeSigning,
            ["EmailProtection"] = KeyPurposeID.id_kp_emailProtection,
            ["TimeStamping"] = KeyPurposeID.id_kp_timeStamping,
            ["OcspSigning"] = KeyPurposeID.id_kp_OCSPSigning,
        };

        /// <summary>Issues one certificate with a fresh key.</summary>
        public static IssuedCertificate Issue(CertificateSpec spec)
        {
            var (dnsNames, ipAddresses) = Check(spec);
            var signer = spec.Signer;
            // A DNS name may be 253 characters, a CN at most 64: a longer first name leaves the CN at the type's default.
            var commonName = spec.CommonName ?? dnsNames.FirstOrDefault(n => n.Length <= MaxCommonNameLength) ?? DefaultCommonName(spec.Type);
            var keyPair = GenerateKeyPair(spec.KeyAlgorithm);
            var subject = new X509Name(new List<DerObjectIdentifier> { X509Name.CN }, new List<string> { commonName });
            var notBefore = (spec.NotBefore ?? DateTimeOffset.UtcNow.AddMinutes(-5)).UtcDateTime;
            var notAfter = (spec.NotAfter ?? new DateTimeOffset(notBefore).AddDays(spec.ValidityDays ?? DefaultValidityDays(spec.Type))).UtcDateTime;
            if (notAfter <= notBefore)
            {
                throw new OtlpTlsException(OtlpErrorId.InvalidValidityPeriod, OtlpErrorKind.InvalidArgument,
                    $"The certificate would expire ({notAfter:u}) before it becomes valid ({notBefore:u}).", null,
                    "Give a positive -ValidityDays.");
            }

            var generator = new X509V3CertificateGenerator();
            generator.SetSerialNumber(NewSerialNumber());
            generator.SetSubjectDN(subject);
            generator.SetIssuerDN(signer?.Certificate.SubjectDN ?? subject);
            generator.SetNotBefore(notBefore);
            generator.SetNotAfter(notAfter);
            generator.SetPublicKey(keyPair.Public);
            AddExtensions(generator, spec, keyPair.Public, signer, dnsNames, ipAddresses);

            var signingKey = signer?.PrivateKey ?? keyPair.Private;
            var certificate = generator.Generate(new Asn1SignatureFactory(SignatureAlgorithm(signingKey), signingKey, Random));
            return new IssuedCertificate(certificate, keyPair.Private, IntermediatesFor(signer));
        }

        /// <summary>
        /// What is legal but useless about the signer: expired or not yet valid (every client then rejects what it signs:
        /// 'certificate has expired' at depth 1), or expiring before the new certificate does. Issuing goes on (a lab or a
        /// test may want exactly that); the caller shows these as warnings.
        /// </summary>
        /// <param name="spec">The certificate to issue.</param>
        /// <param name="now">The moment to judge at (now for the cmdlet).</param>
        public static IReadOnlyList<string> SignerWarnings(CertificateSpec spec, DateTimeOffset now)
        {
            var warnings = new List<string>();
            if (spec.Signer is not { } signer)
            {
                return warnings;
            }

            var name = CertificateDescriber.FormatName(signer.Certificate.SubjectDN);
            var signerNotAfter = new DateTimeOffset(DateTime.SpecifyKind(signer.Certificate.NotAfter, DateTimeKind.Utc));
            var signerNotBefore = new DateTimeOffset(DateTime.SpecifyKind(signer.Certificate.NotBefore, DateTimeKind.Utc));
            if (signerNotAfter < now)
            {
                warnings.Add($"The signer '{name}' expired on {signerNotAfter.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC: every client rejects the certificate issued now " +
                             "(OpenSSL 'certificate has expired' at depth 1, Go 'x509: certificate has expired or is not yet valid'). Renew the CA first: New-OtlpCertificate -Type CA.");
            }
            else if (signerNotBefore > now)
            {
                warnings.Add($"The signer '{name}' is not valid before {signerNotBefore.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC: until then clients reject what it signs ('certificate is not yet valid').");
            }
            else
            {
                var notBefore = spec.NotBefore ?? now.AddMinutes(-5);
                var notAfter = spec.NotAfter ?? notBefore.AddDays(spec.ValidityDays ?? DefaultValidityDays(spec.Type));
                if (notAfter > signerNotAfter)
                {
                    warnings.Add($"The signer '{name}' expires on {signerNotAfter.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC, before the new certificate ({notAfter.UtcDateTime:yyyy-MM-dd}): " +
                                 "from that day clients reject it although it has not expired itself.");
                }
            }

            return warnings;
        }

        /// <summary>
        /// Checks a spec without generating a key (names, addresses, signer, path length), so a caller can fail before it
        /// writes or asks anything; <see cref="Issue"/> runs the same checks.
        /// </summary>
        public static void Validate(CertificateSpec spec) => Check(spec);

        /// <summary>RFC 5280's ub-common-name: longer CNs are refused by BouncyCastle, openssl and most CAs.</summary>
        internal const int MaxCommonNameLength = 64;

        private static void ValidateCommonName(string? commonName)
        {
            if (commonName is null)
            {
                return;
            }

            var why = commonName.Trim().Length == 0 ? "it is empty"
                : commonName.Length > MaxCommonNameLength ? $"it is {commonName.Length} characters long; a common name has at most {MaxCommonNameLength} (RFC 5280 ub-common-name)"
                : commonName.Any(char.IsControl) ? "it contains a control character (a line break?)"
                : null;
            if (why is not null)
            {
                var shown = new string((commonName.Length > 80 ? commonName.Substring(0, 80) + "…" : commonName).Select(c => char.IsControl(c) ? '?' : c).ToArray());
                throw new OtlpTlsException(OtlpErrorId.InvalidCommonName, OtlpErrorKind.InvalidArgument,
                    $"The common name '{shown}' cannot be used: {why}.", shown,
                    "Give a short -CommonName (clients match -DnsName and -IPAddress, not the CN, so the CN can be a label such as 'otel-collector').");
            }
        }

        private static (List<string> DnsNames, List<IPAddress> IPAddresses) Check(CertificateSpec spec)
        {
            var dnsNames = spec.DnsNames.Select(n => ValidateDnsName(n)).ToList();
            var ipAddresses = spec.IPAddresses.Select(ParseIPAddress).ToList();
            ValidateCommonName(spec.CommonName);
            var signer = spec.Signer;
            if (signer is not null && !signer.IsCertificateAuthority)
            {
                throw new OtlpTlsException(OtlpErrorId.SignerNotCertificateAuthority, OtlpErrorKind.InvalidArgument,
                    $"'{CertificateDescriber.FormatName(signer.Certificate.SubjectDN)}' is not a CA (basicConstraints CA:FALSE) and cannot sign certificates.",
                    CertificateDescriber.FormatName(signer.Certificate.SubjectDN), "Sign with a certificate made by New-OtlpCertificate -Type CA.");
            }

            if (signer is not null && spec.Type == OtlpCertificateType.CA && signer.Certificate.GetBasicConstraints() == 0)
            {
                // openssl, Go and .NET all reject the chain later; say so now, before anything is written.
                throw new OtlpTlsException(OtlpErrorId.SignerPathLengthExceeded, OtlpErrorKind.InvalidArgument,
                    $"'{CertificateDescriber.FormatName(signer.Certificate.SubjectDN)}' has path length 0: it may sign leaf certificates only, not another CA.",
                    CertificateDescriber.FormatName(signer.Certificate.SubjectDN), "Sign the new CA with the root, or re-issue the signer with a larger -PathLength.");
            }

            if (spec.Type == OtlpCertificateType.Server && dnsNames.Count == 0 && ipAddresses.Count == 0 && !spec.OmitSubjectAlternativeNames)
            {
                throw new OtlpTlsException(OtlpErrorId.ServerNameRequired, OtlpErrorKind.InvalidArgument,
                    "A server certificate needs at least one DNS name or IP address: clients match the host they connect to against these names, not the CN.",
                    null, "Add -DnsName with every name clients use (e.g. otel-collector, otel-collector.observability.svc, localhost) and -IPAddress for IPs.");
            }

            if (spec.PathLength is int pathLength && (spec.Type != OtlpCertificateType.CA || pathLength < 0))
            {
                throw new OtlpTlsException(OtlpErrorId.InvalidPathLength, OtlpErrorKind.InvalidArgument,
                    spec.Type != OtlpCertificateType.CA
                        ? $"A path length applies only to CA certificates, not to a {spec.Type} certificate."
                        : $"The path length must be 0 or more, not {pathLength}.",
                    pathLength, "Use -PathLength only with -Type CA (0: it may sign leaf certificates only, no further CAs).");
            }

            return (dnsNames, ipAddresses);
        }

        /// <summary>Checks a DNS name (as a SAN would carry it) and returns it; invalid names are an argument error.</summary>
        public static string ValidateDnsName(string name)
        {
            var trimmed = name?.Trim() ?? string.Empty;
            // One trailing dot (the root) and a single leading "*." wildcard label are allowed; no underscores.
            var labels = trimmed.EndsWith(".", StringComparison.Ordinal) ? trimmed.Substring(0, trimmed.Length - 1) : trimmed;
            labels = labels.StartsWith("*.", StringComparison.Ordinal) ? labels.Substring(2) : labels;
            var isIPAddress = IPAddress.TryParse(trimmed, out _);
            if (trimmed.Length > 253 || isIPAddress || !HostNameMatcher.IsValidDnsName(labels, allowUnderscore: false))
            {
                throw new OtlpTlsException(OtlpErrorId.InvalidDnsName, OtlpErrorKind.InvalidArgument,
                    $"'{name}' is not a valid DNS name for a certificate.", name,
                    isIPAddress
                        ? "IP addresses go to -IPAddress: clients match them against IP SANs, never DNS SANs."
                        : "Use letters, digits, hyphens and dots (e.g. otel-collector.observability.svc); a wildcard is allowed only as the whole left-most label (*.example.com).");
            }

            return trimmed.TrimEnd('.');
        }

        private static IPAddress ParseIPAddress(string text)
        {
            if (IPAddress.TryParse(text?.Trim() ?? string.Empty, out var address)
                && (address.AddressFamily == AddressFamily.InterNetwork || address.AddressFamily == AddressFamily.InterNetworkV6))
            {
                return address;
            }

            throw new OtlpTlsException(OtlpErrorId.InvalidIPAddress, OtlpErrorKind.InvalidArgument,
                $"'{text}' is not a valid IP address.", text, "Use IPv4 (127.0.0.1) or IPv6 (::1) notation; host names go to -DnsName.");
        }

        private static void AddExtensions(X509V3CertificateGenerator generator, CertificateSpec spec, AsymmetricKeyParameter publicKey,
            IssuedCertificate? signer, IReadOnlyList<string> dnsNames, IReadOnlyList<IPAddress> ipAddresses)
        {
            var isCa = spec.Type == OtlpCertificateType.CA;
            generator.AddExtension(X509Extensions.BasicConstraints, true,
                isCa ? (spec.PathLength is int length ? new BasicConstraints(length) : new BasicConstraints(true)) : new BasicConstraints(false));
            generator.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(KeyUsageBits(spec.Type, publicKey)));

            var extendedKeyUsages = spec.ExtendedKeyUsages?.ToList() ?? DefaultExtendedKeyUsages(spec.Type);
            if (extendedKeyUsages.Count > 0)
            {
                generator.AddExtension(X509Extensions.ExtendedKeyUsage, false,
                    new ExtendedKeyUsage(extendedKeyUsages.Select(ExtendedKeyUsageOid).ToArray()));
            }

            if (!spec.OmitSubjectAlternativeNames && (dnsNames.Count > 0 || ipAddresses.Count > 0))
            {
                var names = dnsNames.Select(n => new GeneralName(GeneralName.DnsName, n))
                    .Concat(ipAddresses.Select(a => new GeneralName(GeneralName.IPAddress, new DerOctetString(a.GetAddressBytes()))))
                    .ToArray();
                generator.AddExtension(X509Extensions.SubjectAlternativeName, false, new GeneralNames(names));
            }

            // Key identifiers let every verifier (openssl, Go, .NET) pick the right issuer when names repeat.
            generator.AddExtension(X509Extensions.SubjectKeyIdentifier, false, X509ExtensionUtilities.CreateSubjectKeyIdentifier(publicKey));
            generator.AddExtension(X509Extensions.AuthorityKeyIdentifier, false, signer is null
                ? X509ExtensionUtilities.CreateAuthorityKeyIdentifier(publicKey)
                : X509ExtensionUtilities.CreateAuthorityKeyIdentifier(signer.Certificate));
        }

        private static int KeyUsageBits(OtlpCertificateType type, AsymmetricKeyParameter publicKey)
        {
            if (type == OtlpCertificateType.CA)
            {
                return KeyUsage.KeyCertSign | KeyUsage.CrlSign | KeyUsage.DigitalSignature;
            }

            // RSA key exchange (TLS 1.2 RSA suites) needs keyEncipherment on the server's key.
            return publicKey is RsaKeyParameters ? KeyUsage.DigitalSignature | KeyUsage.KeyEncipherment : KeyUsage.DigitalSignature;
        }

        private static List<string> DefaultExtendedKeyUsages(OtlpCertificateType type) => type switch
        {
            OtlpCertificateType.Server => new List<string> { "ServerAuth" },
            OtlpCertificateType.Client => new List<string> { "ClientAuth" },
            _ => new List<string>(),
        };

        private static DerObjectIdentifier ExtendedKeyUsageOid(string nameOrOid)
        {
            if (ExtendedKeyUsageOids.TryGetValue(nameOrOid, out var oid))
            {
                return oid;
            }

            try
            {
                return new DerObjectIdentifier(nameOrOid);
            }
            catch (FormatException)
            {
                throw new OtlpTlsException(OtlpErrorId.InvalidExtendedKeyUsage, OtlpErrorKind.InvalidArgument,
                    $"'{nameOrOid}' is not an extended key usage name or OID.", nameOrOid,
                    "Use ServerAuth, ClientAuth, CodeSigning, EmailProtection, TimeStamping, OcspSigning or a dotted OID.");
            }
        }

        private static AsymmetricCipherKeyPair GenerateKeyPair(OtlpKeyAlgorithm algorithm)
        {
            switch (algorithm)
            {
                case OtlpKeyAlgorithm.EcdsaP256:
                case OtlpKeyAlgorithm.EcdsaP384:
                    var curve = algorithm == OtlpKeyAlgorithm.EcdsaP256 ? SecObjectIdentifiers.SecP256r1 : SecObjectIdentifiers.SecP384r1;
                    var ec = new ECKeyPairGenerator("EC");
                    ec.Init(new ECKeyGenerationParameters(curve, Random));
                    return ec.GenerateKeyPair();
                case OtlpKeyAlgorithm.Rsa2048:
                case OtlpKeyAlgorithm.Rsa3072:
                case OtlpKeyAlgorithm.Rsa4096:
                    var bits = algorithm switch { OtlpKeyAlgorithm.Rsa2048 => 2048, OtlpKeyAlgorithm.Rsa3072 => 3072, _ => 4096 };
                    var rsa = new RsaKeyPairGenerator();
                    rsa.Init(new RsaKeyGenerationParameters(BigInteger.ValueOf(65537), Random, bits, 100));
                    return rsa.GenerateKeyPair();
                default:
                    throw new OtlpTlsException(OtlpErrorId.UnsupportedKeyAlgorithm, OtlpErrorKind.InvalidArgument,
                        $"Key algorithm '{algorithm}' is not supported.", algorithm);
            }
        }

        private static string SignatureAlgorithm(AsymmetricKeyParameter signingKey) => signingKey switch
        {
            ECPrivateKeyParameters ec when ec.Parameters.Curve.FieldSize > 256 => "SHA384WITHECDSA",
            ECPrivateKeyParameters => "SHA256WITHECDSA",
            RsaKeyParameters => "SHA256WITHRSA",
            Ed25519PrivateKeyParameters => "Ed25519",
            _ => throw new OtlpTlsException(OtlpErrorId.UnsupportedKeyAlgorithm, OtlpErrorKind.InvalidArgument,
                $"The signer's key type ({signingKey.GetType().Name}) is not supported for signing.", null),
        };

        private static IReadOnlyList<BcCertificate> IntermediatesFor(IssuedCertificate? signer)
        {
            if (signer is null || CertificateDescriber.IsSelfSigned(signer.Certificate))
            {
                return Array.Empty<BcCertificate>();
            }

            return new[] { signer.Certificate }.Concat(signer.Intermediates).ToList();
        }

        // 127 random bits: positive, under the 20-octet limit, and never zero.
        private static BigInteger NewSerialNumber() => new BigInteger(127, Random).SetBit(126);

        private static string DefaultCommonName(OtlpCertificateType type) => type switch
        {
            OtlpCertificateType.CA => "OtelTls CA",
            OtlpCertificateType.Client => "otel-client",
            _ => "otel-collector",
        };

        private static int DefaultValidityDays(OtlpCertificateType type) => type == OtlpCertificateType.CA ? 3650 : 365;
    }
}
