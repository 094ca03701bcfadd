using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Operators;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace OtelTls.Engine.Certificates
{
    /// <summary>
    /// Turns DER into a BouncyCastle certificate even when an extension is malformed. BouncyCastle refuses to construct a
    /// certificate whose basicConstraints or keyUsage does not decode; such a certificate is rebuilt without the broken
    /// extensions (remembered for the <c>CertificateMalformed</c> finding) and its signature is still checked over the
    /// original bytes, so the path and every other verdict stay right.
    /// </summary>
    internal static class CertificateDecoder
    {
        private static readonly ConditionalWeakTable<BcCertificate, Rebuilt> RebuiltCertificates = new();

        /// <summary>The certificate in <paramref name="der"/>; throws only when the certificate structure itself does not decode.</summary>
        public static BcCertificate Decode(byte[] der)
        {
            try
            {
                return new BcCertificate(der);
            }
            catch (Exception ex) when (ex is Org.BouncyCastle.Security.Certificates.CertificateParsingException)
            {
                var structure = X509CertificateStructure.GetInstance(Asn1Object.FromByteArray(der));
                var tbs = structure.TbsCertificate;
                var kept = new List<(DerObjectIdentifier Oid, X509Extension Extension)>();
                var dropped = new List<string>();
                foreach (var oid in tbs.Extensions?.ExtensionOids ?? Enumerable.Empty<DerObjectIdentifier>())
                {
                    var extension = tbs.Extensions!.GetExtension(oid);
                    if (oid.Id is "2.5.29.19" or "2.5.29.15" && !Decodes(oid.Id, extension))
                    {
                        dropped.Add((oid.Id == "2.5.29.19" ? "basicConstraints" : "keyUsage") + ": does not decode");
                        continue;
                    }

                    kept.Add((oid, extension));
                }

                var generator = new V3TbsCertificateGenerator();
                generator.SetSerialNumber(tbs.SerialNumber);
                generator.SetSignature(tbs.Signature);
                generator.SetIssuer(tbs.Issuer);
                generator.SetStartDate(tbs.StartDate);
                generator.SetEndDate(tbs.EndDate);
                generator.SetSubject(tbs.Subject);
                generator.SetSubjectPublicKeyInfo(tbs.SubjectPublicKeyInfo);
                if (kept.Count > 0)
                {
                    var extensions = new Dictionary<DerObjectIdentifier, X509Extension>();
                    var order = new List<DerObjectIdentifier>();
                    foreach (var (oid, extension) in kept)
                    {
                        extensions[oid] = extension;
                        order.Add(oid);
                    }

                    generator.SetExtensions(new X509Extensions(order, extensions));
                }

                var rebuilt = new BcCertificate(new X509CertificateStructure(generator.GenerateTbsCertificate(), structure.SignatureAlgorithm, structure.Signature));
                RebuiltCertificates.Add(rebuilt, new Rebuilt(tbs.GetEncoded(Asn1Encodable.Der), der, dropped));
                return rebuilt;
            }
        }

        /// <summary>Extensions dropped while decoding <paramref name="certificate"/> (empty for a well-formed one).</summary>
        public static IReadOnlyList<string> DroppedExtensions(BcCertificate certificate) =>
            RebuiltCertificates.TryGetValue(certificate, out var rebuilt) ? rebuilt.Dropped : Array.Empty<string>();

        /// <summary>The DER as received (a rebuilt certificate's own encoding lacks the dropped extensions).</summary>
        public static byte[] OriginalEncoding(BcCertificate certificate) =>
            RebuiltCertificates.TryGetValue(certificate, out var rebuilt) ? rebuilt.Der : certificate.GetEncoded();

        /// <summary>Verifies the signature over the bytes that were signed (the original TBS for a rebuilt certificate).</summary>
        public static void Verify(BcCertificate child, AsymmetricKeyParameter issuerKey)
        {
            if (!RebuiltCertificates.TryGetValue(child, out var rebuilt))
            {
                child.Verify(issuerKey);
                return;
            }

            var factory = new Asn1VerifierFactory(child.CertificateStructure.SignatureAlgorithm, issuerKey);
            var calculator = factory.CreateCalculator();
            using (var stream = calculator.Stream)
            {
                stream.Write(rebuilt.Tbs, 0, rebuilt.Tbs.Length);
            }

            if (!calculator.GetResult().IsVerified(child.GetSignature()))
            {
                throw new Org.BouncyCastle.Security.InvalidKeyException("Public key presented not for certificate signature");
            }
        }

        private static bool Decodes(string oid, X509Extension extension)
        {
            try
            {
                var value = Asn1Object.FromByteArray(extension.Value.GetOctets());
                if (oid == "2.5.29.19")
                {
                    BasicConstraints.GetInstance(value);
                }
                else
                {
                    KeyUsage.GetInstance(value);
                }

                return true;
            }
            catch (Exception ex) when (CertificateExtensionSet.IsDecodeFailure(ex))
            {
                return false;
            }
        }

        private sealed class Rebuilt
        {
            public Rebuilt(byte[] tbs, byte[] der, IReadOnlyList<string> dropped)
            {
                Tbs = tbs;
                Der = der;
                Dropped = dropped;
            }

            public byte[] Tbs { get; }

            public byte[] Der { get; }

            public IReadOnlyList<string> Dropped { get; }
        }
    }
}
