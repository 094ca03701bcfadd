using System;
using System.Collections.Generic;
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

        // CLOCK replacement (second chance): each slot has a "used since the hand last passed" bit. When the cache is full
        // the hand clears set bits and replaces the first slot whose bit is clear, so the CA keys a fleet keeps using stay
        // while a stream of one-off keys (thousands of distinct leaves, hostile input) only replaces one-off keys. A new
        // key starts with its bit clear: it earns its second chance by being asked for again.
        private static readonly object Gate = new();
        private static readonly Dictionary<string, int> Slots = new(StringComparer.Ordinal);
        private static readonly Entry[] Entries = new Entry[Capacity];
        private static int used;
        private static int hand;
        private static long constructions;

        private struct Entry
        {
            public string? Id;
            public Lazy<AsymmetricKeyParameter>? Key;
            public bool Referenced;
        }

        /// <summary>Keys constructed (and so validated) since the process started; tests read it to prove the reuse.</summary>
        internal static long Constructions => Interlocked.Read(ref constructions);

        /// <summary>The public key of a certificate, constructed at most once per distinct key while it stays cached.</summary>
        public static AsymmetricKeyParameter Get(BcCertificate certificate) => Get(certificate.CertificateStructure.SubjectPublicKeyInfo);

        /// <inheritdoc cref="Get(BcCertificate)"/>
        public static AsymmetricKeyParameter Get(SubjectPublicKeyInfo keyInfo)
        {
            var id = Convert.ToBase64String(keyInfo.GetDerEncoded());
            Lazy<AsymmetricKeyParameter> key;
            lock (Gate)
            {
                if (Slots.TryGetValue(id, out var slot))
                {
                    Entries[slot].Referenced = true;
                    key = Entries[slot].Key!;
                }
                else
                {
                    slot = used < Capacity ? used++ : Evict();
                    // Lazy with ExecutionAndPublication: concurrent diagnoses of the same chain construct the key once,
                    // outside the lock (12-90 ms for RSA).
                    key = new Lazy<AsymmetricKeyParameter>(() =>
                    {
                        Interlocked.Increment(ref constructions);
                        return PublicKeyFactory.CreateKey(keyInfo);
                    }, LazyThreadSafetyMode.ExecutionAndPublication);
                    Entries[slot] = new Entry { Id = id, Key = key };
                    Slots[id] = slot;
                }
            }

            return key.Value;
        }

        // Called under Gate with every slot in use: frees the slot the hand stops at.
        private static int Evict()
        {
            while (Entries[hand].Referenced)
            {
                Entries[hand].Referenced = false;
                hand = (hand + 1) % Capacity;
            }

            var slot = hand;
            Slots.Remove(Entries[slot].Id!);
            hand = (hand + 1) % Capacity;
            return slot;
        }

        /// <summary>
        /// Empties the cache. For tests that count constructions: once the cache is full, an older entry makes room for
        /// each new key, so a count taken after many other tests could include a rebuilt key.
        /// </summary>
        internal static void Clear()
        {
            lock (Gate)
            {
                Slots.Clear();
                Array.Clear(Entries, 0, Entries.Length);
                used = 0;
                hand = 0;
            }
        }

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
