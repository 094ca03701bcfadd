using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using OtelTls.Engine.Certificates;
using OtelTls.Engine.Endpoints;
using OtelTls.Engine.Vocabulary;

namespace OtelTls.Engine.Collector
{
    /// <summary>What <see cref="CollectorTlsGenerator.Plan"/> generates the collector's <c>tls:</c> settings from.</summary>
    public sealed class CollectorTlsRequest
    {
        /// <summary>Certificates from New-OtlpCertificate or Get-OtlpCertificate: the role comes from each object (CA, server, client).</summary>
        public IReadOnlyList<OtlpCertificate> Certificates { get; set; } = Array.Empty<OtlpCertificate>();

        /// <summary>The receiver's certificate file (leaf and intermediates), when not piped.</summary>
        public string? ServerCertificate { get; set; }

        /// <summary>The receiver's key file.</summary>
        public string? ServerKey { get; set; }

        /// <summary>The CA the exporter trusts (<c>ca_file</c>), and the receiver's <c>client_ca_file</c> unless <see cref="ClientCaCertificate"/> is set.</summary>
        public string? CaCertificate { get; set; }

        /// <summary>The CA whose client certificates the receiver accepts (<c>client_ca_file</c>).</summary>
        public string? ClientCaCertificate { get; set; }

        /// <summary>The exporter's client certificate (<c>cert_file</c>).</summary>
        public string? ClientCertificate { get; set; }

        /// <summary>The exporter's client key (<c>key_file</c>).</summary>
        public string? ClientKey { get; set; }

        /// <summary>Receiver, Exporter, or both; empty decides from the certificates (server → receiver, client → exporter).</summary>
        public IReadOnlyList<string> Sides { get; set; } = Array.Empty<string>();

        /// <summary>The receiver id (<c>otlp</c>).</summary>
        public string ReceiverName { get; set; } = "otlp";

        /// <summary>Receiver protocols to configure: Grpc, HttpProtobuf (the collector's <c>http</c>, which serves http/json too).</summary>
        public IReadOnlyList<OtlpProtocol> Protocols { get; set; } = OtlpProtocols.Transports;

        /// <summary>When set, the receiver endpoints become <c>host:4317</c>/<c>host:4318</c>; otherwise endpoints are left alone.</summary>
        public string? ListenHost { get; set; }

        /// <summary>The exporter id (<c>otlp</c>, <c>otlphttp/backend</c>).</summary>
        public string ExporterName { get; set; } = "otlp";

        /// <summary>The exporter's endpoint; otherwise the endpoint is left alone.</summary>
        public string? ExporterEndpoint { get; set; }

        /// <summary><c>server_name_override</c>; derived from the server certificate when the endpoint host is not one of its names.</summary>
        public string? ServerName { get; set; }

        /// <summary>Require client certificates (<c>client_ca_file</c>); null: when a client certificate is given.</summary>
        public bool? RequireClientCertificate { get; set; }

        /// <summary><c>min_version</c>.</summary>
        public OtlpTlsVersion MinVersion { get; set; } = OtlpTlsVersion.Tls12;

        /// <summary><c>max_version</c>, or null.</summary>
        public OtlpTlsVersion? MaxVersion { get; set; }

        /// <summary><c>cipher_suites</c> (Go names), or empty.</summary>
        public IReadOnlyList<string> CipherSuites { get; set; } = Array.Empty<string>();

        /// <summary><c>reload_interval</c> (Go duration), or null.</summary>
        public string? ReloadInterval { get; set; }

        /// <summary>The folder the collector sees the files in (a container mount); null writes the local absolute paths.</summary>
        public string? CollectorPath { get; set; }
    }

    /// <summary>The generated settings: fresh YAML, or a merge into an existing configuration file.</summary>
    public sealed class CollectorTlsPlan
    {
        internal CollectorTlsPlan(IReadOnlyList<YamlEdit> edits)
        {
            Edits = edits;
            Yaml = YamlSplicer.Apply(string.Empty, edits, "the generated configuration");
        }

        internal IReadOnlyList<YamlEdit> Edits { get; }

        /// <summary>The settings as a YAML document of their own.</summary>
        public string Yaml { get; }

        /// <summary>The dotted keys that are set.</summary>
        public IReadOnlyList<string> Keys => Edits.Select(e => e.DottedPath).ToArray();

        /// <summary>The text of <paramref name="path"/> with the settings merged in (nothing is written).</summary>
        public string MergeInto(string path) => MergeText(ConfigTree.ReadText(path), path);

        /// <summary>
        /// Merges into <paramref name="path"/> and replaces the file atomically through <c>AtomicFile</c> (under the file's
        /// lock, so the merge applies to the bytes it replaces; mode, owner and byte-order mark kept); returns the new text.
        /// </summary>
        public string WriteInto(string path)
        {
            string? merged = null;
            AtomicFile.Update(path, "collector configuration", current =>
            {
                if (current is null)
                {
                    throw new OtlpTlsException(OtlpErrorId.FileNotFound, OtlpErrorKind.ObjectNotFound,
                        $"The collector configuration file '{path}' does not exist.", path, "Check the path, or output the YAML without -Path.");
                }

                var bom = ConfigTree.HasBom(current);
                var text = new UTF8Encoding(false).GetString(current, bom ? 3 : 0, current.Length - (bom ? 3 : 0));
                merged = MergeText(text, path);
                var body = new UTF8Encoding(false).GetBytes(merged);
                return bom ? new byte[] { 0xEF, 0xBB, 0xBF }.Concat(body).ToArray() : body;
            });
            return merged!;
        }

        private string MergeText(string text, string path)
        {
            var missing = new List<MissingVariable>();
            // Refuse early what is not a collector configuration, with the same errors as the check.
            var tree = ConfigTree.Parse(text, path, _ => null, missing);
            if (tree.Entries.Count > 0 && !tree.Entries.Any(e => e.Key is "receivers" or "exporters" or "extensions" or "service" or "processors" or "connectors"))
            {
                throw ConfigTree.NotCollectorConfig(path, "it has none of receivers, exporters, extensions or service at the top level");
            }

            return YamlSplicer.Apply(text, Edits, path);
        }
    }

    /// <summary>
    /// Generates the collector side of a PKI: the receiver's <c>tls:</c> (server certificate with its chain, key, client CA
    /// for mutual TLS, versions, suites, reload) and the exporter's <c>tls:</c> (CA, client certificate, server name), with
    /// paths as the collector will see them.
    /// </summary>
    public static class CollectorTlsGenerator
    {
        /// <summary>Works out the settings; throws for inconsistent input before anything is produced.</summary>
        public static CollectorTlsPlan Plan(CollectorTlsRequest request)
        {
            var roles = Roles.From(request);
            ValidateTls(request);
            var sides = request.Sides.Count > 0
                ? request.Sides.Select(s => s.ToLowerInvariant()).ToArray()
                : new[] { roles.ServerCertificate is not null ? "receiver" : null, roles.ClientCertificate is not null || request.ExporterEndpoint is not null ? "exporter" : null }
                    .Where(s => s is not null).Select(s => s!).ToArray();
            if (sides.Length == 0)
            {
                throw new OtlpTlsException(OtlpErrorId.CollectorTlsNothingToGenerate, OtlpErrorKind.InvalidArgument,
                    "Neither a server certificate (for the receiver) nor a client certificate or exporter endpoint (for the exporter) was given.", null,
                    "Pipe the CA, server and client certificates from New-OtlpCertificate, or give -ServerCertificate / -ExporterEndpoint.");
            }

            var edits = new List<YamlEdit>();
            if (sides.Contains("receiver"))
            {
                Receiver(request, roles, edits);
            }

            if (sides.Contains("exporter"))
            {
                Exporter(request, roles, edits);
            }

            return new CollectorTlsPlan(edits);
        }

        private static void Receiver(CollectorTlsRequest request, Roles roles, List<YamlEdit> edits)
        {
            if (roles.ServerCertificate is null || roles.ServerKey is null)
            {
                throw new OtlpTlsException(OtlpErrorId.CollectorTlsServerCertificateMissing, OtlpErrorKind.InvalidArgument,
                    roles.ServerCertificate is null ? "The receiver needs a server certificate, and none was given." : $"The server certificate '{roles.ServerCertificate}' has no key file.",
                    roles.ServerCertificate, "Pipe the server certificate from New-OtlpCertificate -Type Server (it carries its KeyPath), or give -ServerCertificate and -ServerKey.");
            }

            var mutual = request.RequireClientCertificate ?? roles.ClientCertificate is not null;
            var clientCa = roles.ClientCa;
            if (mutual && clientCa is null)
            {
                throw new OtlpTlsException(OtlpErrorId.CollectorTlsClientCaMissing, OtlpErrorKind.InvalidArgument,
                    "Client certificates are required, but no CA to verify them (client_ca_file) was given.", null,
                    "Pipe the CA that issues the exporters' client certificates, or give -ClientCaCertificate.");
            }

            foreach (var protocol in request.Protocols.Distinct())
            {
                if (!OtlpProtocols.All.Contains(protocol))
                {
                    throw new OtlpTlsException(OtlpErrorId.CollectorProtocolInvalid, OtlpErrorKind.InvalidArgument,
                        $"'{protocol}' is not an OTLP receiver protocol.", protocol, "Use Grpc, HttpProtobuf or both.");
                }
            }

            foreach (var protocol in request.Protocols.Select(OtlpProtocols.Transport).Distinct())
            {
                var basePath = new[] { "receivers", request.ReceiverName, "protocols", OtlpProtocols.CollectorKey(protocol) };
                if (request.ListenHost is not null)
                {
                    var host = request.ListenHost.Contains(":") ? "[" + request.ListenHost + "]" : request.ListenHost;
                    edits.Add(new YamlEdit(basePath.Append("endpoint").ToArray(), host + ":" + OtlpProtocols.DefaultPort(protocol).ToString(CultureInfo.InvariantCulture)));
                }

                var tls = basePath.Append("tls").ToArray();
                edits.Add(Tls(tls, "cert_file", request.Collector(roles.ServerCertificate)));
                edits.Add(Tls(tls, "key_file", request.Collector(roles.ServerKey)));
                if (mutual)
                {
                    edits.Add(Tls(tls, "client_ca_file", request.Collector(clientCa!)));
                }

                Common(request, tls, edits);
            }
        }

        private static void Exporter(CollectorTlsRequest request, Roles roles, List<YamlEdit> edits)
        {
            var basePath = new[] { "exporters", request.ExporterName };
            if (request.ExporterEndpoint is not null)
            {
                edits.Add(new YamlEdit(basePath.Append("endpoint").ToArray(), request.ExporterEndpoint));
            }

            var tls = basePath.Append("tls").ToArray();
            // Explicitly false: an existing 'insecure: true' would otherwise keep TLS off.
            edits.Add(new YamlEdit(tls.Append("insecure").ToArray(), false));
            if (roles.Ca is not null)
            {
                edits.Add(Tls(tls, "ca_file", request.Collector(roles.Ca)));
            }

            if (roles.ClientCertificate is not null)
            {
                if (roles.ClientKey is null)
                {
                    throw new OtlpTlsException(OtlpErrorId.CollectorTlsClientKeyMissing, OtlpErrorKind.InvalidArgument,
                        $"The client certificate '{roles.ClientCertificate}' has no key file.", roles.ClientCertificate,
                        "Pipe the client certificate from New-OtlpCertificate -Type Client (it carries its KeyPath), or give -ClientKey.");
                }

                edits.Add(Tls(tls, "cert_file", request.Collector(roles.ClientCertificate)));
                edits.Add(Tls(tls, "key_file", request.Collector(roles.ClientKey)));
            }

            var serverName = request.ServerName ?? DerivedServerName(request, roles);
            if (serverName is not null)
            {
                edits.Add(Tls(tls, "server_name_override", serverName));
            }

            if (request.MinVersion != OtlpTlsVersion.Tls12 || request.MaxVersion is not null)
            {
                edits.Add(Tls(tls, "min_version", TlsVersions.CollectorName(request.MinVersion)));
            }

            if (request.MaxVersion is { } max)
            {
                edits.Add(Tls(tls, "max_version", TlsVersions.CollectorName(max)));
            }
        }

        private static void Common(CollectorTlsRequest request, string[] tls, List<YamlEdit> edits)
        {
            edits.Add(Tls(tls, "min_version", TlsVersions.CollectorName(request.MinVersion)));
            if (request.MaxVersion is { } max)
            {
                edits.Add(Tls(tls, "max_version", TlsVersions.CollectorName(max)));
            }

            if (request.CipherSuites.Count > 0)
            {
                edits.Add(new YamlEdit(tls.Append("cipher_suites").ToArray(), request.CipherSuites.ToArray()));
            }

            if (request.ReloadInterval is not null)
            {
                edits.Add(Tls(tls, "reload_interval", request.ReloadInterval));
            }
        }

        /// <summary>The server certificate's first DNS name when the exporter's endpoint host is not covered by its names.</summary>
        private static string? DerivedServerName(CollectorTlsRequest request, Roles roles)
        {
            if (request.ExporterEndpoint is null || roles.Server is null)
            {
                return null;
            }

            var (host, _) = EndpointText.Split(request.ExporterEndpoint.Trim()).HostAndPort();
            if (host is null || HostNameMatcher.FindMatch(host, roles.Server.DnsNames, roles.Server.IPAddresses) is not null)
            {
                return null;
            }

            return roles.Server.DnsNames.FirstOrDefault();
        }

        private static YamlEdit Tls(string[] tls, string key, string value) => new(tls.Append(key).ToArray(), value);

        private static void ValidateTls(CollectorTlsRequest request)
        {
            foreach (var (name, value) in new[] { ("MinVersion", (OtlpTlsVersion?)request.MinVersion), ("MaxVersion", request.MaxVersion) })
            {
                if (value is { } version && !TlsVersions.All.Contains(version))
                {
                    throw new OtlpTlsException(OtlpErrorId.CollectorTlsVersionArgumentInvalid, OtlpErrorKind.InvalidArgument,
                        $"-{name} '{version}' is not a TLS version the collector accepts.", version, "Use 1.0, 1.1, 1.2 or 1.3.");
                }
            }

            if (request.MaxVersion is { } maxVersion && request.MinVersion > maxVersion)
            {
                throw new OtlpTlsException(OtlpErrorId.CollectorTlsVersionRangeInvalid, OtlpErrorKind.InvalidArgument,
                    $"-MinVersion {TlsVersions.CollectorName(request.MinVersion)} is above -MaxVersion {TlsVersions.CollectorName(maxVersion)}.", null,
                    "Lower -MinVersion or raise -MaxVersion.");
            }

            foreach (var suite in request.CipherSuites.Where(s => !CollectorTlsValues.CipherSuites.Contains(s)))
            {
                throw new OtlpTlsException(OtlpErrorId.CollectorTlsCipherSuiteArgumentUnknown, OtlpErrorKind.InvalidArgument,
                    $"'{suite}' is not a cipher suite name the collector accepts.", suite,
                    "Use Go/IANA names: " + string.Join(", ", CollectorTlsValues.CipherSuites.OrderBy(s => s, StringComparer.Ordinal)) + ".");
            }

            if (request.CipherSuites.Count > 0 && request.MinVersion == OtlpTlsVersion.Tls13)
            {
                throw new OtlpTlsException(OtlpErrorId.CollectorTlsCipherSuitesNotApplicable, OtlpErrorKind.InvalidArgument,
                    "-CipherSuite has no effect with -MinVersion 1.3: TLS 1.3 suites are not configurable in the collector.", null,
                    "Drop -CipherSuite, or use -MinVersion 1.2.");
            }

            if (request.ReloadInterval is not null && !CollectorTlsValues.IsGoDuration(request.ReloadInterval))
            {
                throw new OtlpTlsException(OtlpErrorId.CollectorTlsReloadIntervalArgumentInvalid, OtlpErrorKind.InvalidArgument,
                    $"-ReloadInterval '{request.ReloadInterval}' is not a Go duration.", request.ReloadInterval, "Write it as e.g. 24h or 1h30m.");
            }
        }

        /// <summary>The certificates' roles, from the objects and the explicit paths.</summary>
        private sealed class Roles
        {
            public string? ServerCertificate { get; private set; }

            public string? ServerKey { get; private set; }

            public OtlpCertificate? Server { get; private set; }

            public string? ClientCertificate { get; private set; }

            public string? ClientKey { get; private set; }

            public string? Ca { get; private set; }

            public string? ClientCa { get; private set; }

            public static Roles From(CollectorTlsRequest request)
            {
                var piped = PipedCertificateRoles.Classify(request.Certificates, new[] { OtlpCertificateUsage.Server, OtlpCertificateUsage.Client }, "the collector reads");
                if (piped.Unassigned.Count > 0 && piped.Unassigned[0] is { } extra)
                {
                    throw new OtlpTlsException(OtlpErrorId.CertificateRoleUnknown, OtlpErrorKind.InvalidArgument,
                        $"'{extra.Subject}' ({extra.Path}) is neither a CA, nor a server or client certificate that is still missing (extended key usage: {string.Join(", ", extra.EnhancedKeyUsages)}).",
                        extra.Path, "Pipe one CA (or CA chain), one server certificate (New-OtlpCertificate -Type Server) and at most one client certificate.");
                }

                var roles = new Roles
                {
                    Server = piped.Server,
                    ServerCertificate = piped.Server?.Path,
                    ServerKey = piped.Server?.KeyPath,
                    ClientCertificate = piped.Client?.Path,
                    ClientKey = piped.Client?.KeyPath,
                };
                roles.ServerCertificate = request.ServerCertificate ?? roles.ServerCertificate;
                roles.ServerKey = request.ServerKey ?? roles.ServerKey;
                roles.ClientCertificate = request.ClientCertificate ?? roles.ClientCertificate;
                roles.ClientKey = request.ClientKey ?? roles.ClientKey;
                // The exporter trusts the root (the collector's Go client builds the path through the intermediates the
                // receiver sends); the receiver accepts client certificates from the CA that issued them.
                roles.Ca = request.CaCertificate ?? piped.Root?.Path;
                var clientIssuer = piped.Client is null ? null : piped.IssuerOf(piped.Client);
                roles.ClientCa = request.ClientCaCertificate ?? request.CaCertificate ?? clientIssuer?.Path ?? piped.Root?.Path;
                foreach (var path in new[] { roles.ServerCertificate, roles.ServerKey, roles.ClientCertificate, roles.ClientKey, roles.Ca, roles.ClientCa })
                {
                    if (path is not null && !File.Exists(path))
                    {
                        throw new OtlpTlsException(OtlpErrorId.FileNotFound, OtlpErrorKind.ObjectNotFound,
                            $"The file '{path}' does not exist; the configuration would name a file that is not there.", path, "Check the path.");
                    }
                }

                return roles;
            }
        }

        /// <summary>A local file as the collector will see it.</summary>
        private static string Collector(this CollectorTlsRequest request, string local)
        {
            if (string.IsNullOrEmpty(request.CollectorPath))
            {
                return Path.GetFullPath(local);
            }

            return request.CollectorPath!.TrimEnd('/', '\\') + "/" + Path.GetFileName(local);
        }
    }
}
