using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using OtelTls.Engine.Vocabulary;

namespace OtelTls.Engine.Collector
{
    /// <summary>Which side of a connection a <c>tls:</c> block configures: a receiver serves, an exporter connects.</summary>
    internal enum CollectorTlsRole
    {
        Server,
        Client,
        Unknown,
    }

    /// <summary>
    /// The rules for one component's <c>tls:</c> block, as configtls applies them: the keys its side accepts, file or PEM
    /// (never both), certificate with key, versions, cipher suites, curves, reload interval, the insecure switches; the
    /// files it names are then checked by <see cref="CollectorTlsFiles"/>.
    /// </summary>
    internal sealed class CollectorTlsCheck
    {
        private static readonly string[] CommonKeys =
        {
            "ca_file", "ca_pem", "include_system_ca_certs_pool", "cert_file", "cert_pem", "key_file", "key_pem", "min_version",
            "max_version", "cipher_suites", "curve_preferences", "reload_interval", "tpm",
        };

        private static readonly string[] ClientKeys = { "insecure", "insecure_skip_verify", "server_name_override" };

        private static readonly string[] ServerKeys = { "client_ca_file", "client_ca_file_reload" };

        private readonly CollectorLintOptions _options;

        public CollectorTlsCheck(CollectorLintOptions options) => _options = options;

        /// <summary>Checks one <c>tls:</c> block and records the files it names on the component.</summary>
        public void Check(ConfigNode tls, CollectorTlsRole role, List<OtlpCollectorFinding> findings, string? hostName, OtlpCollectorComponent component)
        {
            if (tls.IsNull)
            {
                tls = new ConfigNode { Kind = ConfigNodeKind.Mapping, Path = tls.Path, File = tls.File, Line = tls.Line, Column = tls.Column };
            }

            if (tls.Kind != ConfigNodeKind.Mapping)
            {
                findings.Add(At(CollectorFindings.ComponentInvalid(tls.Path, "tls is not a mapping of TLS settings"), tls));
                return;
            }

            var allowed = CommonKeys.Concat(role == CollectorTlsRole.Server ? ServerKeys : role == CollectorTlsRole.Client ? ClientKeys : ServerKeys.Concat(ClientKeys)).ToArray();
            foreach (var entry in tls.Entries.Where(e => !allowed.Contains(e.Key)))
            {
                findings.Add(At(CollectorFindings.TlsUnknownKey(tls.Path, entry.Key, allowed), entry.Value));
            }

            foreach (var (file, pem) in new[] { ("ca_file", "ca_pem"), ("cert_file", "cert_pem"), ("key_file", "key_pem") })
            {
                if (Has(tls, file) && Has(tls, pem))
                {
                    findings.Add(At(CollectorFindings.FileAndPem(tls.Path, file, pem), tls[pem]!));
                }
            }

            var hasCert = Has(tls, "cert_file") || Has(tls, "cert_pem");
            var hasKey = Has(tls, "key_file") || Has(tls, "key_pem");
            if (hasCert != hasKey)
            {
                findings.Add(At(CollectorFindings.CertificateWithoutKey(tls.Path, hasCert), tls[hasCert ? (Has(tls, "cert_file") ? "cert_file" : "cert_pem") : (Has(tls, "key_file") ? "key_file" : "key_pem")]!));
            }
            else if (!hasCert && role == CollectorTlsRole.Server)
            {
                findings.Add(At(CollectorFindings.ReceiverTlsWithoutCertificate(tls.Path), tls));
            }

            var min = CheckVersion(tls, "min_version", findings);
            var max = CheckVersion(tls, "max_version", findings);
            if (min is not null && max is not null && min > max)
            {
                findings.Add(At(CollectorFindings.MinAboveMax(tls.Path, min.Value, max.Value), tls["min_version"]!));
            }

            if (tls["cipher_suites"] is { } suites)
            {
                foreach (var item in Items(suites))
                {
                    if (item.Value is { } name && !CollectorTlsValues.CipherSuites.Contains(name))
                    {
                        findings.Add(At(CollectorFindings.CipherSuiteUnknown(item.Path, name), item));
                    }
                }

                if (min == OtlpTlsVersion.Tls13 && Items(suites).Any())
                {
                    findings.Add(At(CollectorFindings.CipherSuitesIgnored(tls.Path), suites));
                }
            }

            if (tls["curve_preferences"] is { } curves)
            {
                foreach (var item in Items(curves))
                {
                    if (item.Value is { } name && !CollectorTlsValues.Curves.Contains(name))
                    {
                        findings.Add(At(CollectorFindings.CurveUnknown(item.Path, name), item));
                    }
                }
            }

            if (tls.Scalar("reload_interval") is { Length: > 0 } interval && !CollectorTlsValues.IsGoDuration(interval))
            {
                findings.Add(At(CollectorFindings.ReloadIntervalInvalid(tls.Path + ".reload_interval", interval), tls["reload_interval"]!));
            }

            if (role != CollectorTlsRole.Server)
            {
                if (tls.IsTrue("insecure") && (Has(tls, "ca_file") || Has(tls, "ca_pem")))
                {
                    findings.Add(At(CollectorFindings.InsecureWithCa(tls.Path), tls["insecure"]!));
                }

                if (tls.IsTrue("insecure_skip_verify"))
                {
                    findings.Add(At(CollectorFindings.InsecureSkipVerify(tls.Path), tls["insecure_skip_verify"]!));
                }
            }

            var ca = LocalFile(tls, "ca_file");
            var cert = LocalFile(tls, "cert_file");
            var key = LocalFile(tls, "key_file");
            var clientCa = role == CollectorTlsRole.Server ? LocalFile(tls, "client_ca_file") : null;
            if (role == CollectorTlsRole.Server)
            {
                component.ServerCertificate = cert;
                component.ServerKey = key;
                component.ClientCaCertificate = clientCa;
            }
            else
            {
                component.CaCertificate = ca;
                component.ClientCertificate = cert;
                component.ClientKey = key;
                component.ServerName = tls.Scalar("server_name_override") is { Length: > 0 } sni ? sni : null;
            }

            if (!_options.SkipFileChecks)
            {
                new CollectorTlsFiles(this, _options, tls, role, findings, hostName).Run();
            }
        }

        private static OtlpTlsVersion? CheckVersion(ConfigNode tls, string key, List<OtlpCollectorFinding> findings)
        {
            if (tls[key] is not { } node || node.IsNull)
            {
                return null;
            }

            var value = node.Value ?? string.Empty;
            // An unquoted 1.0 reaches the collector as the number 1; 1.2 and 1.3 survive the float round trip.
            if (!TlsVersions.TryParseCollectorName(value, out var version) || (!node.Quoted && version == OtlpTlsVersion.Tls10))
            {
                findings.Add(At(CollectorFindings.VersionInvalid(node.Path, value), node));
                return null;
            }

            return version;
        }

        private static IEnumerable<ConfigNode> Items(ConfigNode node) =>
            node.Kind == ConfigNodeKind.Sequence ? node.Items : node.IsNull ? Enumerable.Empty<ConfigNode>() : new[] { node };

        private static bool Has(ConfigNode tls, string key) => tls.Scalar(key) is { Length: > 0 };

        /// <summary>The file a <c>tls:</c> key names, as a path on this machine; null when the key is not set.</summary>
        public string? LocalFile(ConfigNode tls, string key) =>
            tls[key] is { Value: { Length: > 0 } configured } node ? ToLocal(configured, node.File) : null;

        /// <summary>A path as the collector sees it, mapped to this machine (CollectorPath → LocalPath; relative to the config file).</summary>
        private string ToLocal(string configured, string? configFile)
        {
            var collectorPath = _options.CollectorPath?.TrimEnd('/', '\\');
            if (!string.IsNullOrEmpty(collectorPath) && _options.LocalPath is not null
                && (configured == collectorPath || configured.StartsWith(collectorPath + "/", StringComparison.Ordinal)))
            {
                var rest = configured.Substring(collectorPath!.Length).TrimStart('/');
                return rest.Length == 0 ? _options.LocalPath : Path.Combine(_options.LocalPath, rest.Replace('/', Path.DirectorySeparatorChar));
            }

            if (!Path.IsPathRooted(configured) && configFile is not null)
            {
                return Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(configFile)) ?? ".", configured));
            }

            return configured;
        }

        private static OtlpCollectorFinding At(OtlpFinding finding, ConfigNode node) => node.Locate(finding);
    }
}
