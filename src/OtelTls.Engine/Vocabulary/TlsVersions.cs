using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Authentication;
using Org.BouncyCastle.Tls;

namespace OtelTls.Engine.Vocabulary
{
    /// <summary>
    /// The one table of TLS versions: how users, reports, openssl, the collector, BouncyCastle and .NET spell each
    /// <see cref="OtlpTlsVersion"/>. Code compares the enum; these spellings are only read from input and written to output.
    /// </summary>
    public static class TlsVersions
    {
        private sealed class Row
        {
            public Row(OtlpTlsVersion version, string displayName, string collectorName, string openSslFlag, ProtocolVersion wire, int sslProtocols)
            {
                Version = version;
                DisplayName = displayName;
                CollectorName = collectorName;
                OpenSslFlag = openSslFlag;
                Wire = wire;
                SslProtocols = (SslProtocols)sslProtocols;
            }

            public OtlpTlsVersion Version { get; }

            public string DisplayName { get; }

            public string CollectorName { get; }

            public string OpenSslFlag { get; }

            public ProtocolVersion Wire { get; }

            public SslProtocols SslProtocols { get; }
        }

        // SslProtocols as numbers: netstandard2.0 has no Tls13 member and .NET marks Tls/Tls11 obsolete.
        private static readonly Row[] Rows =
        {
            new(OtlpTlsVersion.Tls10, "TLS 1.0", "1.0", "-tls1", ProtocolVersion.TLSv10, 192),
            new(OtlpTlsVersion.Tls11, "TLS 1.1", "1.1", "-tls1_1", ProtocolVersion.TLSv11, 768),
            new(OtlpTlsVersion.Tls12, "TLS 1.2", "1.2", "-tls1_2", ProtocolVersion.TLSv12, 3072),
            new(OtlpTlsVersion.Tls13, "TLS 1.3", "1.3", "-tls1_3", ProtocolVersion.TLSv13, 12288),
        };

        /// <summary>Every version, oldest first.</summary>
        public static IReadOnlyList<OtlpTlsVersion> All { get; } = Rows.Select(r => r.Version).ToArray();

        /// <summary>The versions current exporters offer (TLS 1.0 and 1.1 are deprecated by RFC 8996).</summary>
        public static IReadOnlyList<OtlpTlsVersion> Current { get; } = new[] { OtlpTlsVersion.Tls12, OtlpTlsVersion.Tls13 };

        /// <summary>True for TLS 1.0 and 1.1.</summary>
        public static bool IsLegacy(OtlpTlsVersion version) => version < OtlpTlsVersion.Tls12;

        /// <summary>The name reports and findings use: <c>TLS 1.2</c>.</summary>
        public static string DisplayName(OtlpTlsVersion version) => Get(version).DisplayName;

        /// <summary>The collector's <c>min_version</c>/<c>max_version</c> spelling: <c>1.2</c>.</summary>
        public static string CollectorName(OtlpTlsVersion version) => Get(version).CollectorName;

        /// <summary>The <c>openssl s_client</c> flag that offers only this version: <c>-tls1_2</c>.</summary>
        public static string OpenSslFlag(OtlpTlsVersion version) => Get(version).OpenSslFlag;

        /// <summary>The version as BouncyCastle's TLS client offers it.</summary>
        public static ProtocolVersion ToProtocolVersion(OtlpTlsVersion version) => Get(version).Wire;

        /// <summary>The version a BouncyCastle handshake negotiated; null for anything else (SSL 3.0, a future version).</summary>
        public static OtlpTlsVersion? FromProtocolVersion(ProtocolVersion? version) =>
            version is null ? null : Rows.FirstOrDefault(r => r.Wire.Equals(version))?.Version;

        /// <summary>The <see cref="System.Security.Authentication.SslProtocols"/> flag of one version.</summary>
        public static SslProtocols ToSslProtocols(OtlpTlsVersion version) => Get(version).SslProtocols;

        /// <summary>The flags that enable <paramref name="versions"/>; none (the OS default) for none.</summary>
        public static SslProtocols ToSslProtocols(IEnumerable<OtlpTlsVersion>? versions) =>
            versions?.Aggregate(SslProtocols.None, (all, v) => all | ToSslProtocols(v)) ?? SslProtocols.None;

        /// <summary>The version <see cref="System.Net.Security.SslStream"/> negotiated; null for anything else.</summary>
        public static OtlpTlsVersion? FromSslProtocols(SslProtocols protocol) => Rows.FirstOrDefault(r => r.SslProtocols == protocol)?.Version;

        /// <summary>The display name of what BouncyCastle negotiated, also for versions outside the table (<c>SSL 3.0</c>).</summary>
        public static string DisplayName(ProtocolVersion version) =>
            FromProtocolVersion(version) is { } known ? DisplayName(known) : version.IsSsl ? "SSL 3.0" : version.ToString();

        /// <summary>The display name of what SslStream negotiated, also for values outside the table.</summary>
        public static string DisplayName(SslProtocols protocol) =>
            FromSslProtocols(protocol) is { } known ? DisplayName(known) : protocol.ToString();

        /// <summary>Reads the collector's exact spelling (<c>1.2</c>): configtls accepts nothing else.</summary>
        public static bool TryParseCollectorName(string? text, out OtlpTlsVersion version)
        {
            var row = Rows.FirstOrDefault(r => r.CollectorName == text);
            version = row?.Version ?? default;
            return row is not null;
        }

        /// <summary>
        /// Reads a version as people write it: the enum name (<c>Tls12</c>), the collector's <c>1.2</c>, <c>TLS 1.2</c>,
        /// <c>TLSv1.2</c> (openssl) or <c>tls1_2</c>; case and spaces do not matter.
        /// </summary>
        public static bool TryParse(string? text, out OtlpTlsVersion version)
        {
            version = default;
            var compact = new string((text ?? string.Empty).Where(c => !char.IsWhiteSpace(c)).ToArray()).ToUpperInvariant();
            if (compact.StartsWith("TLSV", StringComparison.Ordinal))
            {
                compact = compact.Substring(4);
            }
            else if (compact.StartsWith("TLS", StringComparison.Ordinal))
            {
                compact = compact.Substring(3);
            }

            compact = compact.Replace('_', '.');
            if (compact.Length == 2 && compact[0] == '1')
            {
                compact = "1." + compact[1]; // Tls12
            }

            foreach (var row in Rows)
            {
                if (row.CollectorName == compact)
                {
                    version = row.Version;
                    return true;
                }
            }

            return false;
        }

        private static Row Get(OtlpTlsVersion version) =>
            Rows.FirstOrDefault(r => r.Version == version)
            ?? throw new ArgumentOutOfRangeException(nameof(version), version, "Not a TLS version of the table.");
    }
}
