using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace OtelTls.Engine.Certificates
{
    /// <summary>
    /// The roots the operating system trusts, as the .NET exporter sees them: the Root stores of CurrentUser and
    /// LocalMachine (on Linux .NET fills LocalMachine\Root from the OpenSSL bundle, e.g. /etc/ssl/certs).
    /// Read once per process: a fleet of endpoint checks must not re-read hundreds of roots each time.
    /// </summary>
    internal static class SystemTrustStore
    {
        private static readonly Lazy<IReadOnlyList<BcCertificate>> Roots = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

        /// <summary>Every root certificate in the system stores (duplicates across the two stores removed).</summary>
        public static IReadOnlyList<BcCertificate> Certificates => Roots.Value;

        private static IReadOnlyList<BcCertificate> Load()
        {
            var result = new List<BcCertificate>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var location in new[] { StoreLocation.CurrentUser, StoreLocation.LocalMachine })
            {
                try
                {
                    using var store = new X509Store(StoreName.Root, location);
                    store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
                    foreach (var certificate in store.Certificates)
                    {
                        using (certificate)
                        {
                            var der = certificate.RawData;
                            if (seen.Add(Convert.ToBase64String(der)))
                            {
                                TryAdd(result, der);
                            }
                        }
                    }
                }
                catch (CryptographicException)
                {
                    // A store that does not exist (CurrentUser\Root on a fresh Linux account) simply adds nothing.
                }
                catch (PlatformNotSupportedException)
                {
                    // Some platforms have no LocalMachine store: nothing to add.
                }
            }

            return result;
        }

        private static void TryAdd(List<BcCertificate> result, byte[] der)
        {
            try
            {
                result.Add(new BcCertificate(der));
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.IO.IOException
                or Org.BouncyCastle.Security.Certificates.CertificateException)
            {
                // A root BouncyCastle cannot parse cannot be part of a path we build either.
            }
        }
    }
}
