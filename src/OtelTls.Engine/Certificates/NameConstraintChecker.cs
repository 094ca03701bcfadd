using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;

namespace OtelTls.Engine.Certificates
{
    /// <summary>
    /// RFC 5280 §4.2.1.10 name matching for DNS, IP, email and URI names, as OpenSSL's nc_match does it: a name of a type
    /// with permitted subtrees must fall in one of them, and no name may fall in an excluded subtree. Name types a CA does
    /// not constrain are free. directoryName constraints apply to the subject (when not empty): the constraint's RDNs must
    /// be a prefix of the subject's, compared as OpenSSL does after canonicalisation (case and spacing ignored).
    /// </summary>
    internal static class NameConstraintChecker
    {
        private static readonly char[] Blanks = { ' ', '\t' };

        /// <summary>The first name of <paramref name="names"/> that breaks the constraints, or null.</summary>
        public static (string Name, bool Excluded, string Subtrees)? FirstViolation(CertificateExtensionSet names, X509Name subject,
            IReadOnlyList<GeneralName>? permitted, IReadOnlyList<GeneralName>? excluded)
        {
            if (subject.GetOidList().Count > 0)
            {
                var excludedNames = (excluded ?? Array.Empty<GeneralName>()).Where(g => g.TagNo == GeneralName.DirectoryName).ToList();
                if (excludedNames.Any(g => DirectoryNameMatches(subject, X509Name.GetInstance(g.Name))))
                {
                    return ($"the subject {CertificateDescriber.FormatName(subject)}", true, Describe(excludedNames));
                }

                var permittedNames = (permitted ?? Array.Empty<GeneralName>()).Where(g => g.TagNo == GeneralName.DirectoryName).ToList();
                if (permittedNames.Count > 0 && !permittedNames.Any(g => DirectoryNameMatches(subject, X509Name.GetInstance(g.Name))))
                {
                    return ($"the subject {CertificateDescriber.FormatName(subject)}", false, Describe(permittedNames));
                }
            }

            foreach (var (tag, label, value) in Names(names))
            {
                var excludedOfType = (excluded ?? Array.Empty<GeneralName>()).Where(g => g.TagNo == tag).ToList();
                if (excludedOfType.Any(g => Matches(tag, value, g)))
                {
                    return ($"{label}:{value}", true, Describe(excludedOfType));
                }

                var permittedOfType = (permitted ?? Array.Empty<GeneralName>()).Where(g => g.TagNo == tag).ToList();
                if (permittedOfType.Count > 0 && !permittedOfType.Any(g => Matches(tag, value, g)))
                {
                    return ($"{label}:{value}", false, Describe(permittedOfType));
                }
            }

            return null;
        }

        /// <summary>Subtrees as openssl prints them (<c>DNS:example.com, IP:10.0.0.0/255.0.0.0</c>).</summary>
        public static string Describe(IEnumerable<GeneralName>? subtrees)
        {
            var list = (subtrees ?? Enumerable.Empty<GeneralName>()).Select(Describe).ToList();
            return list.Count == 0 ? "(none)" : string.Join(", ", list);
        }

        private static string Describe(GeneralName name)
        {
            switch (name.TagNo)
            {
                case GeneralName.DnsName:
                    return "DNS:" + Text(name);
                case GeneralName.Rfc822Name:
                    return "email:" + Text(name);
                case GeneralName.UniformResourceIdentifier:
                    return "URI:" + Text(name);
                case GeneralName.IPAddress:
                    var octets = Asn1OctetString.GetInstance(name.Name).GetOctets();
                    if (octets.Length is 8 or 32)
                    {
                        var half = octets.Length / 2;
                        return $"IP:{new IPAddress(octets.Take(half).ToArray())}/{new IPAddress(octets.Skip(half).ToArray())}";
                    }

                    return "IP:(invalid)";
                case GeneralName.DirectoryName:
                    return "dirName:" + CertificateDescriber.FormatName(X509Name.GetInstance(name.Name));
                default:
                    return "other:" + name.TagNo;
            }
        }

        private static IEnumerable<(int Tag, string Label, string Value)> Names(CertificateExtensionSet names)
        {
            foreach (var dns in names.DnsNames)
            {
                yield return (GeneralName.DnsName, "DNS", dns);
            }

            foreach (var ip in names.IPAddresses)
            {
                yield return (GeneralName.IPAddress, "IP", ip.ToString());
            }

            foreach (var email in names.Emails)
            {
                yield return (GeneralName.Rfc822Name, "email", email);
            }

            foreach (var uri in names.Uris)
            {
                yield return (GeneralName.UniformResourceIdentifier, "URI", uri);
            }
        }

        private static bool Matches(int tag, string value, GeneralName subtree)
        {
            switch (tag)
            {
                case GeneralName.DnsName:
                    return DnsMatches(value, Text(subtree));
                case GeneralName.Rfc822Name:
                    return EmailMatches(value, Text(subtree));
                case GeneralName.UniformResourceIdentifier:
                    return Uri.TryCreate(value, UriKind.Absolute, out var uri) && !string.IsNullOrEmpty(uri.Host) && HostMatches(uri.Host, Text(subtree));
                case GeneralName.IPAddress:
                    var octets = Asn1OctetString.GetInstance(subtree.Name).GetOctets();
                    var address = IPAddress.Parse(value).GetAddressBytes();
                    if (octets.Length != address.Length * 2)
                    {
                        return false;
                    }

                    for (var i = 0; i < address.Length; i++)
                    {
                        var mask = octets[address.Length + i];
                        if ((address[i] & mask) != (octets[i] & mask))
                        {
                            return false;
                        }
                    }

                    return true;
                default:
                    return false;
            }
        }

        // RFC 5280 §7.1 / OpenSSL nc_dn: the constraint's RDN sequence is a prefix of the name's.
        private static bool DirectoryNameMatches(X509Name name, X509Name constraint)
        {
            var nameOids = name.GetOidList();
            var nameValues = name.GetValueList();
            var oids = constraint.GetOidList();
            var values = constraint.GetValueList();
            if (oids.Count > nameOids.Count)
            {
                return false;
            }

            for (var i = 0; i < oids.Count; i++)
            {
                if (!oids[i].Equals(nameOids[i]) || !string.Equals(Canonical(values[i]), Canonical(nameValues[i]), StringComparison.OrdinalIgnoreCase))
                {
                    return false;
                }
            }

            return true;
        }

        private static string Canonical(string value) => string.Join(" ", value.Split(Blanks, StringSplitOptions.RemoveEmptyEntries));

        // "example.com" covers example.com and every name under it; ".example.com" only names under it (OpenSSL nc_dns).
        private static bool DnsMatches(string name, string constraint)
        {
            if (constraint.Length == 0)
            {
                return true;
            }

            name = name.TrimEnd('.');
            if (constraint.StartsWith(".", StringComparison.Ordinal))
            {
                return name.Length > constraint.Length && name.EndsWith(constraint, StringComparison.OrdinalIgnoreCase);
            }

            return string.Equals(name, constraint, StringComparison.OrdinalIgnoreCase)
                || (name.Length > constraint.Length && name.EndsWith("." + constraint, StringComparison.OrdinalIgnoreCase));
        }

        // URIs: ".example.com" names under it, "example.com" only that host (RFC 5280).
        private static bool HostMatches(string host, string constraint) =>
            constraint.StartsWith(".", StringComparison.Ordinal)
                ? host.EndsWith(constraint, StringComparison.OrdinalIgnoreCase)
                : string.Equals(host, constraint, StringComparison.OrdinalIgnoreCase);

        // "user@host" exactly; "host" any mailbox at that host; ".host" any mailbox under it.
        private static bool EmailMatches(string email, string constraint)
        {
            var at = email.LastIndexOf('@');
            if (at < 0)
            {
                return false;
            }

            if (constraint.Contains("@"))
            {
                return string.Equals(email, constraint, StringComparison.OrdinalIgnoreCase);
            }

            return HostMatches(email.Substring(at + 1), constraint);
        }

        private static string Text(GeneralName name) => name.Name is IAsn1String text ? text.GetString() : name.Name.ToString() ?? string.Empty;
    }
}
