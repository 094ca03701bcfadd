using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using OtelTls.Engine.Endpoints;
using OtelTls.Engine.Vocabulary;

namespace OtelTls.Engine.Collector
{
    /// <summary>
    /// Reads a collector configuration as the collector does (YAML, <c>${env:…}</c>, several files merged) and checks every
    /// <c>tls:</c> block of its receivers, exporters and extensions against configtls's rules, the certificate checker
    /// and the known traps. Returns one object per component that has TLS settings or an endpoint.
    /// </summary>
    public static class CollectorConfigLinter
    {
        private static readonly string[] TopLevelKeys = { "receivers", "processors", "exporters", "connectors", "extensions", "service" };

        private static readonly Regex ComponentId = new(@"^[A-Za-z][A-Za-z0-9_]*(/[^/\s]+)?$", RegexOptions.CultureInvariant);

        /// <summary>Reads and checks the configuration.</summary>
        public static IReadOnlyList<OtlpCollectorComponent> Check(CollectorLintOptions options)
        {
            if (options.Paths.Count == 0)
            {
                throw new OtlpTlsException(OtlpErrorId.CollectorConfigMissing, OtlpErrorKind.InvalidArgument, "No collector configuration file was given.", null,
                    "Give the collector's config.yaml with -Path (several files are merged in order, as with several --config).");
            }

            var missing = new List<MissingVariable>();
            ConfigNode? merged = null;
            foreach (var path in options.Paths)
            {
                var tree = ConfigTree.Parse(ConfigTree.ReadText(path), path, Lookup(options), missing);
                merged = merged is null ? tree : ConfigTree.Merge(merged, tree);
            }

            return new Run(merged!, options, missing).Execute();
        }

        internal static Func<string, string?> Lookup(CollectorLintOptions options) => name =>
            options.Environment.TryGetValue(name, out var value) ? value
            : options.UseProcessEnvironment ? System.Environment.GetEnvironmentVariable(name) : null;

        private sealed class Run
        {
            private readonly ConfigNode _root;
            private readonly CollectorLintOptions _options;
            private readonly List<MissingVariable> _missing;
            private readonly List<(OtlpCollectorComponent Component, List<OtlpCollectorFinding> Findings)> _components = new();
            private readonly List<OtlpCollectorFinding> _general = new();
            private readonly CollectorTlsCheck _tls;

            public Run(ConfigNode root, CollectorLintOptions options, List<MissingVariable> missing)
            {
                _root = root;
                _options = options;
                _missing = missing;
                _tls = new CollectorTlsCheck(options);
            }

            public IReadOnlyList<OtlpCollectorComponent> Execute()
            {
                if (_root.Entries.Count > 0 && !_root.Entries.Any(e => TopLevelKeys.Contains(e.Key)))
                {
                    throw ConfigTree.NotCollectorConfig(_root.File, "it has none of receivers, exporters, extensions or service at the top level");
                }

                foreach (var entry in _root.Entries.Where(e => !TopLevelKeys.Contains(e.Key)))
                {
                    _general.Add(At(CollectorFindings.UnknownTopLevelKey(entry.Key), entry.Value));
                }

                foreach (var (id, node) in Components("receivers"))
                {
                    var protocols = node["protocols"];
                    if (protocols is { Kind: ConfigNodeKind.Mapping })
                    {
                        foreach (var protocol in protocols.Entries)
                        {
                            Receiver(id, protocol.Key, protocol.Value);
                        }
                    }
                    else if (node["tls"] is not null || node["endpoint"] is not null)
                    {
                        Receiver(id, null, node);
                    }
                }

                foreach (var (id, node) in Components("exporters"))
                {
                    Exporter(id, node);
                }

                foreach (var (id, node) in Components("extensions"))
                {
                    if (node["tls"] is { } tls)
                    {
                        var (component, findings) = Add("extension", id, node);
                        component.TlsEnabled = true;
                        _tls.Check(tls, CollectorTlsRole.Unknown, findings, null, component);
                    }
                }

                foreach (var variable in _missing)
                {
                    var finding = At(CollectorFindings.EnvVariableMissing(variable.Name, variable.Node.Path), variable.Node);
                    var owner = _components.Where(c => variable.Node.Path.StartsWith(c.Component.YamlPath + ".", StringComparison.Ordinal))
                        .OrderByDescending(c => c.Component.YamlPath.Length).FirstOrDefault();
                    (owner.Findings ?? _general).Add(finding);
                }

                var result = _components.Select(c =>
                {
                    c.Component.Findings = Order(c.Findings);
                    return c.Component;
                }).ToList();
                if (_general.Count > 0)
                {
                    result.Insert(0, new OtlpCollectorComponent
                    {
                        Kind = "config",
                        Name = Path.GetFileName(_root.File ?? "config"),
                        Path = _root.File,
                        Line = 1,
                        Findings = Order(_general),
                    });
                }

                return result;
            }

            private static OtlpCollectorFinding[] Order(List<OtlpCollectorFinding> findings) =>
                findings.OrderByDescending(f => f.Severity).ThenBy(f => f.Path, StringComparer.Ordinal).ThenBy(f => f.Line).ToArray();

            private IEnumerable<(string Id, ConfigNode Node)> Components(string section)
            {
                var node = _root[section];
                if (node is null || node.IsNull)
                {
                    yield break;
                }

                if (node.Kind != ConfigNodeKind.Mapping)
                {
                    _general.Add(At(CollectorFindings.ComponentInvalid(section, "is not a mapping of components"), node));
                    yield break;
                }

                foreach (var entry in node.Entries)
                {
                    if (!ComponentId.IsMatch(entry.Key))
                    {
                        _general.Add(At(CollectorFindings.ComponentInvalid(entry.Value.Path, $"'{entry.Key}' is not a component id"), entry.Value));
                        continue;
                    }

                    if (entry.Value.IsNull)
                    {
                        continue;
                    }

                    if (entry.Value.Kind != ConfigNodeKind.Mapping)
                    {
                        _general.Add(At(CollectorFindings.ComponentInvalid(entry.Value.Path, "its settings are not a mapping"), entry.Value));
                        continue;
                    }

                    yield return (entry.Key, entry.Value);
                }
            }

            private (OtlpCollectorComponent Component, List<OtlpCollectorFinding> Findings) Add(string kind, string id, ConfigNode node)
            {
                var component = new OtlpCollectorComponent
                {
                    Kind = kind,
                    Name = id,
                    Type = id.Split('/')[0],
                    YamlPath = node.Path,
                    Path = node.File,
                    Line = node.Line,
                };
                var entry = (component, new List<OtlpCollectorFinding>());
                _components.Add(entry);
                return entry;
            }

            private void Receiver(string id, string? protocolKey, ConfigNode node)
            {
                var (component, findings) = Add("receiver", id, node);
                component.Protocol = OtlpProtocols.FromCollectorKey(protocolKey);
                var grpc = component.Protocol == OtlpProtocol.Grpc;
                var http = component.Protocol == OtlpProtocol.HttpProtobuf;
                var tls = node.IsNull ? null : node["tls"];
                var configured = node.IsNull ? null : node.Scalar("endpoint");
                var endpoint = configured ?? (component.Protocol is { } protocol ? "localhost:" + OtlpProtocols.DefaultPort(protocol).ToString(CultureInfo.InvariantCulture) : null);
                component.ConfiguredEndpoint = configured;
                component.TlsEnabled = tls is not null;
                var (host, port) = endpoint is null ? (null, null) : EndpointText.Split(endpoint.Trim()).HostAndPort();
                if (endpoint is not null && port is not null)
                {
                    var probeHost = _options.ReceiverHost ?? (IsWildcard(host) ? "localhost" : host!);
                    var authority = (probeHost.Contains(":") ? "[" + probeHost + "]" : probeHost) + ":" + port;
                    component.Endpoint = http
                        ? (tls is not null ? "https://" : "http://") + authority + "/v1/traces"
                        : (tls is not null ? authority : "http://" + authority);
                }

                var endpointNode = node.IsNull ? null : node["endpoint"];
                if (endpointNode is not null && port is not null && IsOtherProtocolsPort(port, grpc, http))
                {
                    findings.Add(At(CollectorFindings.ProtocolPortMismatch(node.Path, endpoint!, grpc), endpointNode));
                }

                if (tls is null)
                {
                    if (endpointNode is not null && IsWildcard(host) && endpoint!.Length > 0)
                    {
                        findings.Add(At(CollectorFindings.ReceiverPlaintextOnAllInterfaces(node.Path, endpoint), endpointNode));
                    }

                    return;
                }

                var hostName = IsWildcard(host) ? null : host;
                _tls.Check(tls, CollectorTlsRole.Server, findings, hostName, component);
            }

            private void Exporter(string id, ConfigNode node)
            {
                var type = id.Split('/')[0];
                var grpc = type is "otlp" or "otlp_grpc";
                var http = type is "otlphttp" or "otlp_http";
                var tls = node["tls"];
                var endpointNode = node["endpoint"];
                if (tls is null && endpointNode is null && !grpc && !http)
                {
                    return;
                }

                var (component, findings) = Add("exporter", id, node);
                component.Protocol = grpc ? OtlpProtocol.Grpc : http ? OtlpProtocol.HttpProtobuf : null;
                var endpoint = node.Scalar("endpoint");
                component.ConfiguredEndpoint = endpoint;
                var insecure = tls is { Kind: ConfigNodeKind.Mapping } && tls.IsTrue("insecure");
                var hasCa = tls is { Kind: ConfigNodeKind.Mapping } && (!string.IsNullOrEmpty(tls.Scalar("ca_file")) || !string.IsNullOrEmpty(tls.Scalar("ca_pem")));
                var scheme = endpoint is null ? null : EndpointText.Split(endpoint.Trim()).Scheme;
                component.TlsEnabled = http ? scheme == "https" : !(insecure && !hasCa);
                if (endpoint is not null)
                {
                    var (host, port) = EndpointText.Split(endpoint.Trim()).HostAndPort();
                    if (http)
                    {
                        component.Endpoint = endpoint.TrimEnd('/') + "/v1/traces";
                    }
                    else if (host is not null)
                    {
                        var authority = (host.Contains(":") ? "[" + host + "]" : host) + (port is null ? string.Empty : ":" + port);
                        component.Endpoint = component.TlsEnabled ? authority : "http://" + authority;
                    }

                    if (port is not null && endpointNode is not null && IsOtherProtocolsPort(port, grpc, http))
                    {
                        findings.Add(At(CollectorFindings.ProtocolPortMismatch(node.Path, endpoint, grpc), endpointNode));
                    }

                    if (grpc && scheme == "http" && !insecure && endpointNode is not null)
                    {
                        findings.Add(At(CollectorFindings.HttpSchemeStillTls(node.Path, endpoint), endpointNode));
                    }
                }

                if (tls is not null)
                {
                    _tls.Check(tls, CollectorTlsRole.Client, findings, null, component);
                }
            }

            /// <summary>A gRPC component on the OTLP/HTTP port, or an HTTP one on the gRPC port.</summary>
            private static bool IsOtherProtocolsPort(string port, bool grpc, bool http) =>
                (grpc && port == OtlpProtocols.HttpPort.ToString(CultureInfo.InvariantCulture)) || (http && port == OtlpProtocols.GrpcPort.ToString(CultureInfo.InvariantCulture));

            private static OtlpCollectorFinding At(OtlpFinding finding, ConfigNode node) => node.Locate(finding);

            private static bool IsWildcard(string? host) => host is null || host.Length == 0 || host == "0.0.0.0" || host == "::" || host == "[::]";
        }
    }
}
