using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace OtelTls.Engine.Certificates
{
    /// <summary>
    /// RFC 6125 host name matching as Go, OpenSSL (X509_check_host) and .NET do it for TLS clients: only SANs count
    /// (the CN is no fallback), DNS names compare case-insensitively, a wildcard is only the whole left-most label and
    /// covers exactly one label, and an IP literal matches only IP SANs.
    /// </summary>
    public static class HostNameMatcher
    {
        private static readonly Regex DottedQuad = new(@"^\d{1,3}(\.\d{1,3}){3}$", RegexOptions.CultureInvariant);

        /// <summary>
        /// Parses a host that is an IP literal (dotted-quad IPv4, or IPv6 with or without brackets and zone); null for a
        /// DNS name. Stricter than <see cref="IPAddress.TryParse(string, out IPAddress)"/>, which also takes "12345".
        /// </summary>
        public static IPAddress? ParseIPLiteral(string host)
        {
            var text = host.Trim();
            if (text.StartsWith("[", StringComparison.Ordinal) && text.EndsWith("]", StringComparison.Ordinal))
            {
                text = text.Substring(1, text.Length - 2);
            }

            if (text.IndexOf(':') >= 0)
            {
                return IPAddress.TryParse(text, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6
                    ? new IPAddress(v6.GetAddressBytes()) // drops the zone id: SANs carry none
                    : null;
            }

            return DottedQuad.IsMatch(text) && IPAddress.TryParse(text, out var v4) ? v4 : null;
        }

        /// <summary>The SAN entry that covers <paramref name="host"/>, or null when none does.</summary>
        public static string? FindMatch(string host, IEnumerable<string> dnsNames, IEnumerable<string> ipAddresses)
        {
            var ip = ParseIPLiteral(host);
            if (ip is not null)
            {
                var bytes = ip.GetAddressBytes();
                return ipAddresses.FirstOrDefault(s => IPAddress.TryParse(s, out var san) && san.GetAddressBytes().SequenceEqual(bytes));
            }

            return dnsNames.FirstOrDefault(san => MatchesDnsName(host, san));
        }

        /// <summary>One DNS SAN against one host name (both compared trimmed, without a trailing dot, case-insensitively).</summary>
        public static bool MatchesDnsName(string host, string san)
        {
            var pattern = NormalizeDnsName(san);
            host = NormalizeDnsName(host);
            if (pattern.Length == 0 || host.Length == 0)
            {
                return false;
            }

            if (!pattern.StartsWith("*.", StringComparison.Ordinal))
            {
                // A '*' anywhere else (partial labels like "f*.example.com") is not honoured by Go or browsers.
                return pattern.IndexOf('*') < 0 && string.Equals(pattern, host, StringComparison.Ordinal);
            }

            var suffix = pattern.Substring(1); // ".example.com"
            if (suffix.IndexOf('*') >= 0 || suffix.Count(c => c == '.') < 2)
            {
                // "*.*.example.com" and "*.com" are never honoured.
                return false;
            }

            // Exactly one label: "a.example.com" yes, "example.com" and "a.b.example.com" no.
            return host.EndsWith(suffix, StringComparison.Ordinal)
                && host.Length > suffix.Length
                && host.IndexOf('.') == host.Length - suffix.Length;
        }

        /// <summary>
        /// True when <paramref name="name"/> (without a trailing dot or a wildcard label) is a DNS name in syntax: at most 253
        /// characters of dot-separated labels, each 1-63 letters, digits and inner hyphens (RFC 1123). With
        /// <paramref name="allowUnderscore"/>, labels may hold underscores too (host names that resolve, such as Docker service
        /// names, often do; a certificate's DNS SAN must not).
        /// </summary>
        public static bool IsValidDnsName(string name, bool allowUnderscore)
        {
            if (name.Length == 0 || name.Length > 253)
            {
                return false;
            }

            foreach (var label in name.Split('.'))
            {
                if (label.Length == 0 || label.Length > 63 || label[0] == '-' || label[label.Length - 1] == '-')
                {
                    return false;
                }

                foreach (var c in label)
                {
                    var allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || (allowUnderscore && c == '_');
                    if (!allowed)
                    {
                        return false;
                    }
                }
            }

            return true;
        }

        private static string NormalizeDnsName(string name) =>
            name.Trim().TrimEnd('.').ToLower(CultureInfo.InvariantCulture);
    }
}
