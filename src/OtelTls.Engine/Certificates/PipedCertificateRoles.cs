using System;
using System.Collections.Generic;
using System.Linq;

namespace OtelTls.Engine.Certificates
{
    /// <summary>
    /// What certificates piped to a command that writes configuration are for (Set-OtlpTlsEnvironment,
    /// New-OtlpCollectorConfig, New-OtlpKubernetesManifest), decided the same way for all of them: one decision per file,
    /// from its first certificate (the rest of a file is that certificate's chain). A CA is trust; a leaf takes the first
    /// of the wanted roles that is still free and that its extended key usage allows (none listed allows any, as TLS
    /// stacks read it). Which leftovers are an error is the command's to say.
    /// </summary>
    public sealed class PipedCertificateRoles
    {
        private PipedCertificateRoles(IReadOnlyList<OtlpCertificate> authorities, OtlpCertificate? server, OtlpCertificate? client,
            IReadOnlyList<OtlpCertificate> unassigned)
        {
            Authorities = authorities;
            Server = server;
            Client = client;
            Unassigned = unassigned;
        }

        /// <summary>The first certificate of each CA file, in pipeline order.</summary>
        public IReadOnlyList<OtlpCertificate> Authorities { get; }

        /// <summary>The root among <see cref="Authorities"/> (the first self-signed one), or else the first CA: what clients are given to trust.</summary>
        public OtlpCertificate? Root => Authorities.FirstOrDefault(c => c.IsSelfSigned) ?? (Authorities.Count > 0 ? Authorities[0] : null);

        /// <summary>The leaf that took the server role.</summary>
        public OtlpCertificate? Server { get; }

        /// <summary>The leaf that took the client role.</summary>
        public OtlpCertificate? Client { get; }

        /// <summary>Leaves that fit no wanted role that was still free, in pipeline order.</summary>
        public IReadOnlyList<OtlpCertificate> Unassigned { get; }

        /// <summary>Sorts the certificates.</summary>
        /// <param name="certificates">The piped certificates (nulls are skipped).</param>
        /// <param name="wanted">The leaf roles the command fills, in the order a leaf that allows several takes them.</param>
        /// <param name="reader">Who reads the files, for the error about a certificate without one ("exporters read", "the collector reads").</param>
        /// <exception cref="OtlpTlsException">CertificateHasNoFile: configuration names files, and this certificate has none.</exception>
        public static PipedCertificateRoles Classify(IEnumerable<OtlpCertificate?> certificates, IReadOnlyList<OtlpCertificateUsage> wanted, string reader)
        {
            var authorities = new List<OtlpCertificate>();
            var unassigned = new List<OtlpCertificate>();
            OtlpCertificate? server = null;
            OtlpCertificate? client = null;
            foreach (var group in certificates.Where(c => c is not null).Select(c => c!).GroupBy(c => PlatformCertificates.FileOf(c) ?? string.Empty))
            {
                var first = group.OrderBy(c => c.Index).First();
                if (group.Key.Length == 0)
                {
                    throw new OtlpTlsException(OtlpErrorId.CertificateHasNoFile, OtlpErrorKind.InvalidArgument,
                        $"The certificate '{first.Subject}' has no file (it came from an endpoint or a .NET object), and {reader} certificates from files. Nothing was written.",
                        first.Subject, "Save it first (New-OtlpCertificate writes files), or pipe Get-OtlpCertificate -Path <file>.");
                }

                if (first.IsCertificateAuthority)
                {
                    authorities.Add(first);
                    continue;
                }

                var role = wanted.Where(w => (w == OtlpCertificateUsage.Server ? server : client) is null).Cast<OtlpCertificateUsage?>()
                    .FirstOrDefault(w => Allows(first, w!.Value));
                if (role == OtlpCertificateUsage.Server)
                {
                    server = first;
                }
                else if (role == OtlpCertificateUsage.Client)
                {
                    client = first;
                }
                else
                {
                    unassigned.Add(first);
                }
            }

            return new PipedCertificateRoles(authorities, server, client, unassigned);
        }

        /// <summary>The CA among <see cref="Authorities"/> whose subject is <paramref name="certificate"/>'s issuer.</summary>
        public OtlpCertificate? IssuerOf(OtlpCertificate certificate) =>
            Authorities.FirstOrDefault(c => string.Equals(c.Subject, certificate.Issuer, StringComparison.Ordinal));

        /// <summary>The certificate's extended key usage allows the use: it lists the purpose, or lists none (any purpose).</summary>
        public static bool Allows(OtlpCertificate certificate, OtlpCertificateUsage usage) =>
            certificate.EnhancedKeyUsages.Length == 0
            || certificate.EnhancedKeyUsages.Contains(usage == OtlpCertificateUsage.Server ? "ServerAuth" : "ClientAuth", StringComparer.Ordinal);
    }
}
