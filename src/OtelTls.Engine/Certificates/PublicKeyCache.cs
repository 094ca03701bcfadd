using System;
using System.Collections.Concurrent;
using System.Threading;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace OtelTls.Engine.Certificates
{
    /// <summary>
    /// The one place the engine turns a SubjectPublicKeyInfo into a BouncyCastle public key: a bounded, process-wide cache
    /// keyed by the SPKI bytes, shared by the checker's signature checks, private-key matching and the TLS probe.
    /// </summary>
    /// <remarks>
    /// BouncyCastle 2.7 validates every RSA public key it constructs with a Miller-Rabin compositeness test (about 12 ms
    /// for RSA-2048, 90 ms for RSA-4096) and keeps no cache, so without this a chain with an RSA CA paid the test several
    /// times per diagnosis. The test itself stays on (it protects the rest of the PowerShell process); each distinct key
    /// is validated once, and a key that fails validation fails the same way every time it is asked for.
    /// Sizes and algorithms never need a key: <see cref="IsRsa"/> and <see cref="RsaModulusBits"/> read the SPKI.
    /// </remarks>
    internal static class PublicKeyCache
    {
        /// <summary>Distinct keys kept; a fleet shares a handful of CAs, so this only bounds hostile or huge inputs.</summary>
        internal const int Capacity = 1024;

        private static readonly ConcurrentDictionary<string, Lazy<AsymmetricKeyParameter>> Keys = new(StringComparer.Ordinal);
        private static long constructions;

        /// <summary>Keys constructed (and so validated) since the process started; tests read it to prove the reuse.</summary>
        internal static long Constructions => Interlocked.Read(ref constructions);

        /// <summary>The public key of a certificate, constructed at most once per distinct key while it stays cached.</summary>
        public static AsymmetricKeyParameter Get(BcCertificate certificate) => Get(certificate.CertificateStructure.SubjectPublicKeyInfo);

        /// <inheritdoc cref="Get(BcCertificate)"/>
        public static AsymmetricKeyParameter Get(SubjectPublicKeyInfo keyInfo)
        {
            var id = Convert.ToBase64String(keyInfo.GetDerEncoded());
            if (Keys.TryGetValue(id, out var known))
            {
                return known.Value;
            }

            if (Keys.Count >= Capacity)
            {
                // Drop one arbitrary entry: a bounded memory cost matters more than which key is rebuilt later.
                foreach (var entry in Keys)
                {
                    Keys.TryRemove(entry.Key, out _);
                    break;
                }
            }

            // Lazy with ExecutionAndPublication: concurrent diagnoses of the same chain construct the key once.
            var lazy = Keys.GetOrAdd(id, _ => new Lazy<AsymmetricKeyParameter>(() =>
            {
                Interlocked.Increment(ref constructions);
                return PublicKeyFactory.CreateKey(keyInfo);
            }, LazyThreadSafetyMode.ExecutionAndPublication));
            return lazy.Value;
        }

        /// <summary>
        /// Empties the cache. For tests that count constructions: once the cache is full, an arbitrary entry makes room
        /// for each new key, so a count taken after many other tests could include a rebuilt key.
        /// </summary>
        internal static void Clear() => Keys.Clear();

        /// <summary>True for an RSA key (rsaEncryption or RSASSA-PSS), read from the algorithm identifier.</summary>
        public static bool IsRsa(SubjectPublicKeyInfo keyInfo)
        {
            var oid = keyInfo.Algorithm.Algorithm;
            return oid.Equals(PkcsObjectIdentifiers.RsaEncryption) || oid.Equals(PkcsObjectIdentifiers.IdRsassaPss)
                || oid.Equals(X509ObjectIdentifiers.IdEARsa);
        }

        /// <summary>The modulus length of an RSA key, read from the SPKI without constructing (and validating) the key.</summary>
        /// <exception cref="ArgumentException">The key bits are not an RSAPublicKey structure.</exception>
        public static int RsaModulusBits(SubjectPublicKeyInfo keyInfo)
        {
            try
            {
                return RsaPublicKeyStructure.GetInstance(keyInfo.ParsePublicKey()).Modulus.BitLength;
            }
            catch (Exception e) when (e is InvalidCastException or System.IO.IOException or Asn1Exception)
            {
                throw new ArgumentException("The RSA public key is not a valid RSAPublicKey structure.", nameof(keyInfo), e);
            }
        }
    }
}
