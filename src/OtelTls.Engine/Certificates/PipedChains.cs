using System.Collections.Generic;
using System.Linq;

namespace OtelTls.Engine.Certificates
{
    /// <summary>
    /// How certificates that arrive one by one (Get-OtlpCertificate | Test-OtlpCertificate) are judged: the certificates of one
    /// file or one endpoint, in their order, are what the file or the server holds together.
    /// </summary>
    public static class PipedChains
    {
        /// <summary>
        /// The chains to check for one group, each leaf first. What a server presented is one chain: its first certificate is
        /// the leaf and the rest are intermediates, never leaves (a healthy server's intermediate has no SAN for the host and
        /// need not fit the server role). A file whose first certificate is not a CA (a full-chain file) is one chain too. A
        /// file that starts with a CA (a CA bundle) has no leaf: each certificate is checked, with the others as helpers.
        /// </summary>
        public static IReadOnlyList<IReadOnlyList<OtlpCertificate>> Split(IReadOnlyList<OtlpCertificate> group)
        {
            var ordered = group.OrderBy(c => c.Index).ToList();
            if (ordered.Count == 0)
            {
                return new List<IReadOnlyList<OtlpCertificate>>();
            }

            var first = ordered[0];
            var presented = first.Path is null && first.Endpoint is not null;
            if (presented || !first.IsCertificateAuthority)
            {
                return new List<IReadOnlyList<OtlpCertificate>> { ordered };
            }

            return ordered.Select(c => (IReadOnlyList<OtlpCertificate>)new[] { c }.Concat(ordered.Where(o => !ReferenceEquals(o, c))).ToList()).ToList();
        }

        /// <summary>The role a check implies: a host name is only ever checked for a server, so -HostName means the server role unless -Usage says otherwise.</summary>
        public static OtlpCertificateUsage? ImpliedUsage(OtlpCertificateUsage? usage, string? hostName) =>
            usage ?? (string.IsNullOrEmpty(hostName) ? null : OtlpCertificateUsage.Server);
    }
}
