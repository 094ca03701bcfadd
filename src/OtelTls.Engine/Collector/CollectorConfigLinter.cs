using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using OtelTls.Engine.Certificates;
using OtelTls.Engine.Vocabulary;

namespace OtelTls.Engine.Collector
{
    /// <summary>What <see cref="CollectorConfigLinter.Check"/> reads and how it resolves what the configuration names.</summary>
    public sealed class CollectorLintOptions
    {
        /// <summary>Configuration files, merged in order as the collector merges several <c>--config</c> files.</summary>
        public IReadOnlyList<string> Paths { get; set; } = Array.Empty<string>();

        /// <summary>Variables for <c>${env:VAR}</c>; they take precedence over the process environment.</summary>
        public IReadOnlyDictionary<string, string> Environment { get; set; } = new Dictionary<string, string>();

        /// <summary>When false, only <see cref="Environment"/> is used for substitution.</summary>
        public bool UseProcessEnvironment { get; set; } = true;

        /// <summary>A folder as the collector sees it (a container mount path, e.g. <c>/etc/otelcol/tls</c>).</summary>
        public string? CollectorPath { get; set; }

        /// <summary>The local folder that <see cref="CollectorPath"/> corresponds to.</summary>
        public string? LocalPath { get; set; }

        /// <summary>The host each receiver is probed on (its listen host is usually 0.0.0.0); null keeps the configured host.</summary>
        public string? ReceiverHost { get; set; }

        /// <summary>CA files the exporters that talk to these receivers trust: the receivers' chains are checked against them.</summary>
        public IReadOnlyList<string> TrustedCaFiles { get; set; } = Array.Empty<string>();

        /// <summary>Check the configuration only, not the files it names.</summary>
        public bool SkipFileChecks { get; set; }

        /// <summary>Certificates expiring within this many days get a warning.</summary>
        public int ExpiryWarningDays { get; set; } = 30;

        /// <summary>The moment validity is checked at; null is now.</summary>
        public DateTimeOffset? At { get; set; }
    }

    /// <summary>
    /// Reads a collector configuration as the collector does (YAML, <c>${env:…}</c>, several files merged) and checks every
    /// <c>tls:</c> block of its receivers, exporters and extensions against configtls's rules, the certificate checker
    /// and the known traps. Returns one object per component that has TLS settings or an endpoint.
    /// </summary>
    public static class CollectorConfigLinter
    {
        private static readonly string[] TopLevelKeys = { "receivers", "processors", "exporters", "connectors", "extensions", "service" };

        private static readonly string[] CommonKeys =
        {
            "ca_file", "ca_pem", "include_system_ca_certs_pool", "cert_file", "cert_pem", "key_file", "key_pem", "min_version",
            "max_version", "cipher_suites", "curve_preferences", "reload_interval", "tpm",
        };

        private static readonly string[] ClientKeys = { "insecure", "insecure_skip_verify", "server_name_override" };

        private static readonly string[] ServerKeys = { "client_ca_file", "client_ca_file_reload" };

        /// <summary>Go's tls.CipherSuites(): the only names configtls accepts.</summary>
        internal static readonly HashSet<string> GoCipherSuites = new(StringComparer.Ordinal)
        {
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
            "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
        };

        private static readonly HashSet<string> Curves = new(StringComparer.Ordinal) { "P256", "P384", "P521", "X25519", "X25519MLKEM768" };

        private static readonly Regex GoDuration = new(@"^[-+]?(0|((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+)$", RegexOptions.CultureInvariant);

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

            public Run(ConfigNode root, CollectorLintOptions options, List<MissingVariable> missing)
            {
                _root = root;
                _options = options;
                _missing = missing;
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
                        CheckTls(tls, Role.Unknown, findings, null, component);
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
                var (host, port) = endpoint is null ? (null, null) : SplitHostPort(endpoint);
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
                CheckTls(tls, Role.Server, findings, hostName, component);
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
                var scheme = endpoint is null ? null : Scheme(endpoint);
                component.TlsEnabled = http ? scheme == "https" : !(insecure && !hasCa);
                if (endpoint is not null)
                {
                    var (host, port) = SplitHostPort(endpoint);
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
                    CheckTls(tls, Role.Client, findings, null, component);
                }
            }

            private enum Role
            {
                Server,
                Client,
                Unknown,
            }

            private void CheckTls(ConfigNode tls, Role role, List<OtlpCollectorFinding> findings, string? hostName, OtlpCollectorComponent component)
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

                var allowed = CommonKeys.Concat(role == Role.Server ? ServerKeys : role == Role.Client ? ClientKeys : ServerKeys.Concat(ClientKeys)).ToArray();
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
                else if (!hasCert && role == Role.Server)
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
                        if (item.Value is { } name && !GoCipherSuites.Contains(name))
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
                        if (item.Value is { } name && !Curves.Contains(name))
                        {
                            findings.Add(At(CollectorFindings.CurveUnknown(item.Path, name), item));
                        }
                    }
                }

                if (tls.Scalar("reload_interval") is { Length: > 0 } interval && !GoDuration.IsMatch(interval))
                {
                    findings.Add(At(CollectorFindings.ReloadIntervalInvalid(tls.Path + ".reload_interval", interval), tls["reload_interval"]!));
                }

                if (role != Role.Server)
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
                var clientCa = role == Role.Server ? LocalFile(tls, "client_ca_file") : null;
                if (role == Role.Server)
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
                    new FileChecks(this, tls, role, findings, hostName).Run();
                }
            }

            private OtlpTlsVersion? CheckVersion(ConfigNode tls, string key, List<OtlpCollectorFinding> findings)
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

            /// <summary>A gRPC component on the OTLP/HTTP port, or an HTTP one on the gRPC port.</summary>
            private static bool IsOtherProtocolsPort(string port, bool grpc, bool http) =>
                (grpc && port == OtlpProtocols.HttpPort.ToString(CultureInfo.InvariantCulture)) || (http && port == OtlpProtocols.GrpcPort.ToString(CultureInfo.InvariantCulture));

            private static IEnumerable<ConfigNode> Items(ConfigNode node) =>
                node.Kind == ConfigNodeKind.Sequence ? node.Items : node.IsNull ? Enumerable.Empty<ConfigNode>() : new[] { node };

            private static bool Has(ConfigNode tls, string key) => tls.Scalar(key) is { Length: > 0 };

            private string? LocalFile(ConfigNode tls, string key) =>
                tls[key] is { Value: { Length: > 0 } configured } node ? ToLocal(configured, node.File) : null;

            /// <summary>A path as the collector sees it, mapped to this machine (CollectorPath → LocalPath; relative to the config file).</summary>
            internal string ToLocal(string configured, string? configFile)
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

            private sealed class FileChecks
            {
                private readonly Run _run;
                private readonly ConfigNode _tls;
                private readonly Role _role;
                private readonly List<OtlpCollectorFinding> _findings;
                private readonly string? _hostName;

                public FileChecks(Run run, ConfigNode tls, Role role, List<OtlpCollectorFinding> findings, string? hostName)
                {
                    _run = run;
                    _tls = tls;
                    _role = role;
                    _findings = findings;
                    _hostName = hostName;
                }

                public void Run()
                {
                    var caFiles = new List<IReadOnlyList<OtlpCertificate>>();
                    foreach (var key in _role == Role.Client ? new[] { "ca_file" } : _role == Role.Server ? new[] { "ca_file", "client_ca_file" } : new[] { "ca_file", "client_ca_file" })
                    {
                        if (Certificates(key) is { } cas)
                        {
                            caFiles.Add(cas);
                            if (!cas.Any(c => c.IsCertificateAuthority))
                            {
                                Add(CollectorFindings.NotCertificateAuthority(_tls[key]!.Path, cas[0].Path ?? string.Empty), key);
                            }
                            else
                            {
                                // An expired or soon-expiring CA breaks every handshake that relies on it.
                                var check = CertificateChecker.Check(new[] { cas[0] }, new CertificateCheckOptions
                                {
                                    TrustedAuthorities = cas,
                                    At = _run._options.At,
                                    ExpiryWarningDays = _run._options.ExpiryWarningDays,
                                });
                                AddAll(check.Findings.Where(f => f.Stage == OtlpStage.Certificate), key);
                            }
                        }
                    }

                    var chain = Certificates("cert_file");
                    var keyPath = Local("key_file");
                    Org.BouncyCastle.Crypto.AsymmetricKeyParameter? privateKey = null;
                    if (keyPath is not null && Read("key_file", keyPath) is { } keyBytes)
                    {
                        try
                        {
                            privateKey = PrivateKeyReader.Parse(keyBytes, keyPath);
                        }
                        catch (OtlpTlsException ex)
                        {
                            Add(CollectorFindings.FileUnreadable(_tls["key_file"]!.Path, keyPath, ex.Message), "key_file");
                        }
                    }

                    if (chain is null)
                    {
                        return;
                    }

                    CheckOrder(chain);
                    var anchors = _run._options.TrustedCaFiles.SelectMany(f => CertificateReader.ReadFile(f)).ToList();
                    if (anchors.Count == 0 && _role == Role.Server)
                    {
                        // Without the exporters' CA, the receiver's own CA files are the best stand-in (one-CA PKIs, the guide's layout).
                        anchors.AddRange(caFiles.SelectMany(c => c).Where(c => c.IsCertificateAuthority));
                    }

                    var result = CertificateChecker.Check(chain, new CertificateCheckOptions
                    {
                        TrustedAuthorities = anchors.Count == 0 ? null : anchors,
                        HostName = _role == Role.Server ? _hostName : null,
                        Usage = _role == Role.Server ? OtlpCertificateUsage.Server : _role == Role.Client ? OtlpCertificateUsage.Client : null,
                        At = _run._options.At,
                        ExpiryWarningDays = _run._options.ExpiryWarningDays,
                        PrivateKey = privateKey,
                    });
                    // Which CA the peers trust is not in this file: without an anchor, trust cannot be judged here.
                    AddAll(result.Findings.Where(f => anchors.Count > 0 || f.Stage != OtlpStage.Trust), "cert_file");
                }

                private void CheckOrder(IReadOnlyList<OtlpCertificate> chain)
                {
                    if (chain.Count > 1 && chain[0].IsCertificateAuthority)
                    {
                        Add(CollectorFindings.ChainOrder(_tls["cert_file"]!.Path, $"the first certificate '{chain[0].Subject}' is a CA, not the leaf"), "cert_file");
                        return;
                    }

                    for (var i = 1; i < chain.Count; i++)
                    {
                        if (!string.Equals(chain[i - 1].Issuer, chain[i].Subject, StringComparison.Ordinal))
                        {
                            Add(CollectorFindings.ChainOrder(_tls["cert_file"]!.Path,
                                $"certificate {i + 1} '{chain[i].Subject}' does not follow its subject certificate '{chain[i - 1].Subject}' (issued by '{chain[i - 1].Issuer}')"), "cert_file");
                            return;
                        }
                    }
                }

                private string? Local(string key) => _run.LocalFile(_tls, key);

                private byte[]? Read(string key, string local)
                {
                    var node = _tls[key]!;
                    if (!Path.IsPathRooted(node.Value!))
                    {
                        Add(CollectorFindings.RelativePath(node.Path, node.Value!), key);
                    }

                    byte[] bytes;
                    try
                    {
                        bytes = FileAccess.ReadAllBytes(local, key == "key_file" ? "private key" : "certificate");
                    }
                    catch (OtlpTlsException ex) when (ex.ErrorId == OtlpErrorId.FileNotFound)
                    {
                        Add(CollectorFindings.FileNotFound(node.Path, node.Value!, local), key);
                        return null;
                    }
                    catch (OtlpTlsException ex)
                    {
                        Add(CollectorFindings.FileUnreadable(node.Path, local, ex.Message), key);
                        return null;
                    }

                    if (!PemBlock.LooksLikePem(bytes))
                    {
                        Add(CollectorFindings.FileUnreadable(node.Path, local, "it is not PEM (no -----BEGIN line)."), key);
                        return null;
                    }

                    return bytes;
                }

                private IReadOnlyList<OtlpCertificate>? Certificates(string key)
                {
                    var local = Local(key);
                    if (local is null || Read(key, local) is null)
                    {
                        return null;
                    }

                    try
                    {
                        var certificates = CertificateReader.ReadFile(local);
                        if (certificates.Count == 0)
                        {
                            Add(CollectorFindings.FileUnreadable(_tls[key]!.Path, local, "it holds no certificate."), key);
                            return null;
                        }

                        return certificates;
                    }
                    catch (OtlpTlsException ex)
                    {
                        Add(CollectorFindings.FileUnreadable(_tls[key]!.Path, local, ex.Message), key);
                        return null;
                    }
                }

                private void Add(OtlpFinding finding, string key) => _findings.Add(_run.At(finding, _tls[key] ?? _tls));

                private void AddAll(IEnumerable<OtlpFinding> findings, string key)
                {
                    foreach (var finding in findings)
                    {
                        Add(finding, key);
                    }
                }
            }

            private OtlpCollectorFinding At(OtlpFinding finding, ConfigNode node) => new(finding, node.File, node.Path, node.Line, node.Column);

            private static bool IsWildcard(string? host) => host is null || host.Length == 0 || host == "0.0.0.0" || host == "::" || host == "[::]";
        }

        /// <summary>True for a Go duration (<c>24h</c>, <c>1h30m</c>, <c>0</c>).</summary>
        internal static bool IsGoDuration(string value) => GoDuration.IsMatch(value);

        /// <summary>The scheme of an endpoint (lower case), or null when it has none.</summary>
        internal static string? Scheme(string endpoint)
        {
            var i = endpoint.IndexOf("://", StringComparison.Ordinal);
            return i > 0 ? endpoint.Substring(0, i).ToLowerInvariant() : null;
        }

        /// <summary>Host and port of <c>host:port</c>, <c>[v6]:port</c> or a URL; the port is null when absent.</summary>
        internal static (string? Host, string? Port) SplitHostPort(string endpoint)
        {
            var text = endpoint.Trim();
            var scheme = Scheme(text);
            if (scheme is not null)
            {
                text = text.Substring(scheme.Length + 3);
            }

            var slash = text.IndexOf('/');
            if (slash >= 0)
            {
                text = text.Substring(0, slash);
            }

            string? host;
            string? port = null;
            if (text.StartsWith("[", StringComparison.Ordinal))
            {
                var close = text.IndexOf(']');
                host = close > 0 ? text.Substring(1, close - 1) : text;
                if (close > 0 && close + 1 < text.Length && text[close + 1] == ':')
                {
                    port = text.Substring(close + 2);
                }
            }
            else
            {
                var colon = text.LastIndexOf(':');
                if (colon >= 0 && text.IndexOf(':') == colon)
                {
                    host = text.Substring(0, colon);
                    port = text.Substring(colon + 1);
                }
                else
                {
                    host = text;
                }
            }

            if (port is not null && !int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                port = null;
            }

            if (port is null && scheme is "https" or "http")
            {
                port = scheme == "https" ? "443" : "80";
            }

            return (host, port);
        }
    }
}
