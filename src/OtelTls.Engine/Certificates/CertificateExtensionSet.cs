using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Runtime.CompilerServices;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace OtelTls.Engine.Certificates
{
    /// <summary>
    /// The extensions path validation reads, parsed once per certificate and never throwing: an extension that does not
    /// decode is recorded in <see cref="Problems"/> (a <c>CertificateMalformed</c> finding) and treated as absent, so a
    /// hostile certificate becomes a verdict, not an exception.
    /// </summary>
    internal sealed class CertificateExtensionSet
    {
        // The extensions OpenSSL 3 processes (X509_supported_extension): a critical extension outside this list makes
        // OpenSSL fail with 'unhandled critical extension' (error 34). Go and .NET reject unknown critical extensions too.
        private static readonly Dictionary<string, string> Handled = new(StringComparer.Ordinal)
        {
            ["2.5.29.15"] = "keyUsage",
            ["2.5.29.17"] = "subjectAltName",
            ["2.5.29.19"] = "basicConstraints",
            ["2.5.29.30"] = "nameConstraints",
            ["2.5.29.31"] = "cRLDistributionPoints",
            ["2.5.29.32"] = "certificatePolicies",
            ["2.5.29.33"] = "policyMappings",
            ["2.5.29.36"] = "policyConstraints",
            ["2.5.29.37"] = "extendedKeyUsage",
            ["2.5.29.54"] = "inhibitAnyPolicy",
            ["1.3.6.1.5.5.7.1.14"] = "proxyCertInfo",
            ["1.3.6.1.5.5.7.1.24"] = "tlsfeature",
            ["1.3.6.1.5.5.7.1.7"] = "sbgp-ipAddrBlock",
            ["1.3.6.1.5.5.7.1.8"] = "sbgp-autonomousSysNum",
            ["2.16.840.1.113730.1.1"] = "nsCertType",
        };

        private static readonly ConditionalWeakTable<BcCertificate, CertificateExtensionSet> Cache = new();

        private static readonly char[] LineBreaks = { '\r', '\n' };

        private CertificateExtensionSet()
        {
        }

        /// <summary>True when basicConstraints says CA:TRUE.</summary>
        public bool IsAuthority { get; private set; }

        /// <summary>pathLenConstraint of a CA; null when absent.</summary>
        public int? PathLength { get; private set; }

        /// <summary>keyUsage bits (index 0 = digitalSignature); null when the extension is absent (or malformed).</summary>
        public bool[]? KeyUsage { get; private set; }

        /// <summary>extendedKeyUsage OIDs; null when absent (or malformed).</summary>
        public IReadOnlyList<string>? ExtendedKeyUsage { get; private set; }

        public List<string> DnsNames { get; } = new();

        /// <summary>IP SANs of 4 or 16 bytes (anything else is a problem).</summary>
        public List<IPAddress> IPAddresses { get; } = new();

        public List<string> Emails { get; } = new();

        public List<string> Uris { get; } = new();

        /// <summary>nameConstraints permitted subtrees; null when absent.</summary>
        public IReadOnlyList<GeneralName>? Permitted { get; private set; }

        /// <summary>nameConstraints excluded subtrees; null when absent.</summary>
        public IReadOnlyList<GeneralName>? Excluded { get; private set; }

        /// <summary>Critical extensions no TLS stack processes, as "name (OID)".</summary>
        public List<string> UnhandledCritical { get; } = new();

        /// <summary>What could not be decoded, one line per extension.</summary>
        public List<string> Problems { get; } = new();

        /// <summary>The parsed extensions of <paramref name="certificate"/> (cached per instance).</summary>
        public static CertificateExtensionSet For(BcCertificate certificate) => Cache.GetValue(certificate, Parse);

        private static CertificateExtensionSet Parse(BcCertificate certificate)
        {
            var set = new CertificateExtensionSet();
            set.Problems.AddRange(CertificateDecoder.DroppedExtensions(certificate));
            X509Extensions? extensions;
            try
            {
                extensions = certificate.CertificateStructure.TbsCertificate.Extensions;
            }
            catch (Exception ex) when (IsDecodeFailure(ex))
            {
                set.Problems.Add("extensions: " + ex.Message);
                return set;
            }

            if (extensions is null)
            {
                return set;
            }

            foreach (var oid in extensions.ExtensionOids)
            {
                var extension = extensions.GetExtension(oid);
                var known = Handled.TryGetValue(oid.Id, out var name);
                if (extension.IsCritical && !known && oid.Id is not ("2.5.29.14" or "2.5.29.35"))
                {
                    set.UnhandledCritical.Add($"{oid.Id}");
                }

                try
                {
                    set.Read(oid.Id, extension.Value.GetOctets());
                }
                catch (Exception ex) when (IsDecodeFailure(ex))
                {
                    set.Problems.Add($"{name ?? oid.Id}: {FirstLine(ex.Message)}");
                }
            }

            // Critical AKI/SKI: RFC 5280 forbids it and OpenSSL does not process them as critical either.
            foreach (var oid in extensions.GetCriticalExtensionOids().Where(o => o.Id is "2.5.29.14" or "2.5.29.35"))
            {
                set.UnhandledCritical.Add(oid.Id);
            }

            return set;
        }

        private void Read(string oid, byte[] value)
        {
            switch (oid)
            {
                case "2.5.29.19":
                    var basic = BasicConstraints.GetInstance(Asn1Object.FromByteArray(value));
                    IsAuthority = basic.IsCA();
                    var length = basic.PathLenConstraint;
                    if (length is not null)
                    {
                        PathLength = length.BitLength > 30 ? int.MaxValue : length.IntValue;
                    }

                    break;
                case "2.5.29.15":
                    var bits = DerBitString.GetInstance(Asn1Object.FromByteArray(value));
                    var bytes = bits.GetBytes();
                    var usage = new bool[9];
                    for (var i = 0; i < usage.Length; i++)
                    {
                        usage[i] = i / 8 < bytes.Length && (bytes[i / 8] & (0x80 >> (i % 8))) != 0;
                    }

                    KeyUsage = usage;
                    break;
                case "2.5.29.37":
                    var sequence = Asn1Sequence.GetInstance(Asn1Object.FromByteArray(value));
                    ExtendedKeyUsage = sequence.Cast<Asn1Encodable>().Select(e => DerObjectIdentifier.GetInstance(e).Id).ToList();
                    break;
                case "2.5.29.17":
                    foreach (var name in GeneralNames.GetInstance(Asn1Object.FromByteArray(value)).GetNames())
                    {
                        switch (name.TagNo)
                        {
                            case GeneralName.DnsName:
                                DnsNames.Add(DerIA5String.GetInstance(name.Name).GetString());
                                break;
                            case GeneralName.IPAddress:
                                var octets = Asn1OctetString.GetInstance(name.Name).GetOctets();
                                if (octets.Length is 4 or 16)
                                {
                                    IPAddresses.Add(new IPAddress(octets));
                                }
                                else
                                {
                                    Problems.Add($"subjectAltName: an IP address of {octets.Length} bytes (4 or 16 expected)");
                                }

                                break;
                            case GeneralName.Rfc822Name:
                                Emails.Add(DerIA5String.GetInstance(name.Name).GetString());
                                break;
                            case GeneralName.UniformResourceIdentifier:
                                Uris.Add(DerIA5String.GetInstance(name.Name).GetString());
                                break;
                        }
                    }

                    break;
                case "2.5.29.30":
                    var constraints = NameConstraints.GetInstance(Asn1Object.FromByteArray(value));
#pragma warning disable CS0618 // the replacement (GeneralSubtrees) has no enumeration in BouncyCastle 2.7; the sequences are the same data
                    Permitted = constraints.PermittedSubtrees?.Cast<Asn1Encodable>().Select(s => GeneralSubtree.GetInstance(s).Base).ToList();
                    Excluded = constraints.ExcludedSubtrees?.Cast<Asn1Encodable>().Select(s => GeneralSubtree.GetInstance(s).Base).ToList();
#pragma warning restore CS0618
                    foreach (var subtree in (Permitted ?? Array.Empty<GeneralName>()).Concat(Excluded ?? Array.Empty<GeneralName>()))
                    {
                        if (subtree.TagNo == GeneralName.IPAddress && Asn1OctetString.GetInstance(subtree.Name).GetOctets().Length is not (8 or 32))
                        {
                            Problems.Add("nameConstraints: an IP subtree that is not an address and mask of 8 or 32 bytes");
                        }
                    }

                    break;
            }
        }

        internal static bool IsDecodeFailure(Exception ex) => ex is ArgumentException or InvalidCastException or InvalidOperationException
            or System.IO.IOException or FormatException or IndexOutOfRangeException or Org.BouncyCastle.Asn1.Asn1Exception
            or Org.BouncyCastle.Security.Certificates.CertificateException or OverflowException;

        private static string FirstLine(string message)
        {
            var end = message.IndexOfAny(LineBreaks);
            return end < 0 ? message : message.Substring(0, end);
        }
    }
}
