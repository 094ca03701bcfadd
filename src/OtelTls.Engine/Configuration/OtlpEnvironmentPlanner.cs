using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using OtelTls.Engine.Certificates;
using OtelTls.Engine.Diagnosis;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;
using OtelTls.Engine.Endpoints;

namespace OtelTls.Engine.Configuration
{
    /// <summary>What <c>Set-OtlpTlsEnvironment</c> was asked to write.</summary>
    public sealed class OtlpEnvironmentRequest
    {
        /// <summary><c>traces</c>, <c>metrics</c>, <c>logs</c>, or null for the generic variables.</summary>
        public string? Signal { get; set; }

        /// <summary>The endpoint URL (or host:port for gRPC).</summary>
        public string? Endpoint { get; set; }

        /// <summary><c>grpc</c>, <c>http/protobuf</c> or <c>http/json</c>.</summary>
        public string? Protocol { get; set; }

        /// <summary>Absolute path of the CA file.</summary>
        public string? CaCertificate { get; set; }

        /// <summary>Absolute path of the client certificate (PEM).</summary>
        public string? ClientCertificate { get; set; }

        /// <summary>Absolute path of the client key (PEM, unencrypted).</summary>
        public string? ClientKey { get; set; }

        /// <summary>The INSECURE value to write, or null to leave it alone.</summary>
        public bool? Insecure { get; set; }

        /// <summary>SDKs to tailor for: dotnet, java, go, python, node, collector.</summary>
        public IList<string> Sdks { get; set; } = new List<string>();

        /// <summary>The moment validity is checked at (default: now).</summary>
        public DateTimeOffset? At { get; set; }

        /// <summary>
        /// The folder where the exporter finds the files, when it runs on another machine or in a container
        /// (<c>/etc/otel/tls</c>): the local files are checked, and the variables name <c>ExporterPath/&lt;file name&gt;</c>.
        /// Null: the variables name the local files.
        /// </summary>
        public string? ExporterPath { get; set; }
    }

    /// <summary>A file the plan writes besides the variables (e.g. a CA bundle reordered for .NET).</summary>
    public sealed class OtlpPlannedFile
    {
        internal OtlpPlannedFile(string path, string content, string reason)
        {
            Path = path;
            Content = content;
            Reason = reason;
        }

        /// <summary>Absolute path.</summary>
        public string Path { get; }

        /// <summary>Text content.</summary>
        public string Content { get; }

        /// <summary>Why it is written.</summary>
        public string Reason { get; }
    }

    /// <summary>The variables to change (null value: remove), extra files, warnings and, for the collector, a YAML block.</summary>
    public sealed class OtlpEnvironmentPlan
    {
        internal OtlpEnvironmentPlan(IReadOnlyList<KeyValuePair<string, string?>> changes, IReadOnlyList<string> warnings,
            IReadOnlyList<OtlpPlannedFile> files, string? collectorYaml)
        {
            Changes = changes;
            Warnings = warnings;
            Files = files;
            CollectorYaml = collectorYaml;
        }

        /// <summary>Name to new value, in writing order; a null value removes the variable.</summary>
        public IReadOnlyList<KeyValuePair<string, string?>> Changes { get; }

        /// <summary>Things the user must know (insecure settings, SDK divergences), full sentences.</summary>
        public IReadOnlyList<string> Warnings { get; }

        /// <summary>Files written next to the user's files.</summary>
        public IReadOnlyList<OtlpPlannedFile> Files { get; }

        /// <summary>The collector exporter YAML, when <c>collector</c> was among the SDKs.</summary>
        public string? CollectorYaml { get; }
    }

    /// <summary>
    /// Turns a request into a plan, checking everything first: files exist and parse, a CA file holds a CA, the client key
    /// matches, nothing is expired, the endpoint parses. Nothing is written here.
    /// </summary>
    public static class OtlpEnvironmentPlanner
    {
        /// <summary>The SDK names <c>-Sdk</c> accepts.</summary>
        public static IReadOnlyList<string> KnownSdks { get; } = new[] { "dotnet", "java", "go", "python", "node", "collector" };

        /// <summary>Checks the request and returns what to write.</summary>
        /// <exception cref="OtlpTlsException">For any input that would produce a configuration that cannot work.</exception>
        public static OtlpEnvironmentPlan PlanSet(OtlpEnvironmentRequest request)
        {
            if (request is null)
            {
                throw new ArgumentNullException(nameof(request));
            }

            if (string.IsNullOrEmpty(request.Endpoint) && string.IsNullOrEmpty(request.Protocol) && request.CaCertificate is null
                && request.ClientCertificate is null && request.ClientKey is null && request.Insecure is null)
            {
                throw new OtlpTlsException(OtlpErrorId.NothingToSet, OtlpErrorKind.InvalidArgument,
                    "Nothing to set: give -Endpoint, -Protocol, -CaCertificate, -ClientCertificate with -ClientKey, or -Insecure (or pipe certificates).",
                    null, "Set-OtlpTlsEnvironment -Endpoint https://collector:4318 -Protocol http/protobuf -CaCertificate ./ca.crt");
            }

            var at = request.At ?? DateTimeOffset.UtcNow;
            var signal = string.IsNullOrEmpty(request.Signal) ? null : OtlpVariables.NormalizeSignal(request.Signal!);
            var sdks = NormalizeSdks(request.Sdks);
            var warnings = new List<string>();
            var files = new List<OtlpPlannedFile>();
            var changes = new List<KeyValuePair<string, string?>>();
            void Set(string option, string value) => changes.Add(new KeyValuePair<string, string?>(OtlpVariables.Name(option, signal), value));

            string? protocol = null;
            if (!string.IsNullOrEmpty(request.Protocol))
            {
                protocol = request.Protocol!.Trim().ToLowerInvariant();
                if (protocol != "grpc" && protocol != "http/protobuf" && protocol != "http/json")
                {
                    throw new OtlpTlsException(OtlpErrorId.InvalidProtocol, OtlpErrorKind.InvalidArgument,
                        $"'{request.Protocol}' is not an OTLP protocol.", request.Protocol, "Use grpc or http/protobuf.");
                }
            }

            OtlpEndpoint? endpoint = null;
            if (!string.IsNullOrEmpty(request.Endpoint))
            {
                endpoint = CheckEndpoint(request.Endpoint!.Trim(), protocol, request.Insecure, signal, warnings);
            }

            if ((request.ClientCertificate is null) != (request.ClientKey is null))
            {
                var missing = request.ClientCertificate is null ? "-ClientCertificate" : "-ClientKey";
                throw new OtlpTlsException(OtlpErrorId.ClientCertificatePairIncomplete, OtlpErrorKind.InvalidArgument,
                    $"Mutual TLS needs both the client certificate and its key; {missing} is missing. Nothing was written.",
                    request.ClientCertificate ?? request.ClientKey,
                    "Give -ClientCertificate and -ClientKey together, or pipe the client certificate object from New-OtlpCertificate (it carries KeyPath).");
            }

            IReadOnlyList<BcCertificate>? caCertificates = null;
            if (request.CaCertificate is not null)
            {
                caCertificates = CheckCertificateFile(request.CaCertificate, "CA certificate", at);
                if (!caCertificates.Any(c => c.GetBasicConstraints() >= 0))
                {
                    throw new OtlpTlsException(OtlpErrorId.NotCertificateAuthority, OtlpErrorKind.InvalidData,
                        $"'{request.CaCertificate}' holds no CA certificate (its first certificate is '{CertificateInfo.FormatName(caCertificates[0].SubjectDN)}'); an exporter cannot verify a collector with it. Nothing was written.",
                        request.CaCertificate, "Give the CA that issued the collector's certificate (e.g. the ca.crt of New-OtlpCertificate -Type CA).");
                }
            }

            IReadOnlyList<BcCertificate>? clientCertificates = null;
            if (request.ClientCertificate is not null)
            {
                clientCertificates = CheckCertificateFile(request.ClientCertificate, "client certificate", at);
                var keyBytes = FileAccess.ReadAllBytes(RequireAbsolute(request.ClientKey!, "client key"), "private key");
                var key = PrivateKeyReader.Parse(keyBytes, request.ClientKey!);
                if (!PemBlock.LooksLikePem(keyBytes))
                {
                    throw NotPem(request.ClientKey!, "client key");
                }

                if (!PrivateKeyReader.Matches(clientCertificates[0], key))
                {
                    throw new OtlpTlsException(OtlpErrorId.PrivateKeyMismatch, OtlpErrorKind.InvalidData,
                        $"The client key '{request.ClientKey}' does not belong to the client certificate '{CertificateInfo.FormatName(clientCertificates[0].SubjectDN)}' ({request.ClientCertificate}). Nothing was written.",
                        request.ClientKey, "Pair the certificate with the key it was issued for; compare 'openssl x509 -noout -pubkey -in <crt>' with 'openssl pkey -pubout -in <key>'.");
                }
            }

            var remote = ExporterPathMap(request, warnings);
            if (endpoint is not null)
            {
                Set(OtlpVariables.Endpoint, request.Endpoint!.Trim());
            }

            if (protocol is not null)
            {
                Set(OtlpVariables.Protocol, protocol);
            }

            var caPath = request.CaCertificate;
            if (caPath is not null && sdks.Contains("dotnet"))
            {
                caPath = DotnetCaBundle(caPath, caCertificates!, files, warnings, remote);
            }

            if (caPath is not null)
            {
                Set(OtlpVariables.Certificate, remote(caPath));
            }

            if (request.ClientCertificate is not null)
            {
                Set(OtlpVariables.ClientCertificate, remote(request.ClientCertificate));
                Set(OtlpVariables.ClientKey, remote(request.ClientKey!));
            }

            if (request.Insecure is not null)
            {
                Set(OtlpVariables.Insecure, request.Insecure.Value ? "true" : "false");
                if (request.Insecure.Value)
                {
                    warnings.Add($"{OtlpVariables.Name(OtlpVariables.Insecure, signal)}=true disables TLS for gRPC endpoints without a scheme: telemetry and headers travel in plaintext.");
                }
            }

            var grpc = protocol == "grpc" || (protocol is null && endpoint?.Protocol == OtlpProtocol.Grpc);
            Advise(sdks, signal, request, endpoint, grpc, caCertificates, clientCertificates, changes, warnings, remote);
            var yaml = sdks.Contains("collector") ? CollectorYaml(request, endpoint, grpc, caPath, remote) : null;
            if (sdks.Count == 1 && sdks[0] == "collector")
            {
                // Only the collector: it reads YAML, not these variables, so nothing is written.
                changes.Clear();
            }

            return new OtlpEnvironmentPlan(changes, warnings, files, yaml);
        }

        /// <summary>The variables Set writes for <paramref name="signal"/> (null: generic), all to be removed.</summary>
        public static OtlpEnvironmentPlan PlanClear(string? signal, IEnumerable<string>? sdks = null)
        {
            var normalized = string.IsNullOrEmpty(signal) ? null : OtlpVariables.NormalizeSignal(signal!);
            var changes = OtlpVariables.TlsOptions.Select(o => new KeyValuePair<string, string?>(OtlpVariables.Name(o, normalized), null)).ToList();
            if (NormalizeSdks(sdks).Contains("node"))
            {
                changes.Add(new KeyValuePair<string, string?>(OtlpVariables.NodeExtraCaCerts, null));
            }

            return new OtlpEnvironmentPlan(changes, Array.Empty<string>(), Array.Empty<OtlpPlannedFile>(), null);
        }

        internal static List<string> NormalizeSdks(IEnumerable<string>? sdks)
        {
            var result = new List<string>();
            foreach (var sdk in sdks ?? Enumerable.Empty<string>())
            {
                var name = (sdk ?? string.Empty).Trim().ToLowerInvariant();
                if (!KnownSdks.Contains(name))
                {
                    throw new OtlpTlsException(OtlpErrorId.InvalidSdk, OtlpErrorKind.InvalidArgument, $"'{sdk}' is not an SDK this module knows.", sdk,
                        "Use dotnet, java, go, python, node or collector.");
                }

                if (!result.Contains(name))
                {
                    result.Add(name);
                }
            }

            return result;
        }

        private static OtlpEndpoint CheckEndpoint(string text, string? protocol, bool? insecure, string? signal, List<string> warnings)
        {
            var parts = EndpointText.Split(text);
            var grpc = protocol == "grpc";
            if (parts.Scheme is null && !grpc)
            {
                throw new OtlpTlsException(OtlpErrorId.EndpointSchemeMissing, OtlpErrorKind.InvalidArgument,
                    $"'{text}' has no scheme: OTLP/HTTP exporters need a URL, and gRPC ones then decide TLS by INSECURE. Nothing was written.",
                    text, $"Write https://{text} (TLS) or http://{text} (plaintext); a scheme-less host:port is accepted with -Protocol grpc.");
            }

            var endpoint = EndpointParser.Parse(text, protocol is null ? null : protocol == "grpc" ? OtlpProtocol.Grpc : OtlpProtocol.HttpProtobuf);
            if (!parts.HasPort)
            {
                warnings.Add($"'{text}' has no port: exporters use {(parts.Scheme == "http" ? 80 : 443)}, not {EndpointParser.DefaultPort(endpoint.Protocol)}.");
            }
            else if (protocol is not null && endpoint.Port == (grpc ? EndpointParser.HttpDefaultPort : EndpointParser.GrpcDefaultPort))
            {
                warnings.Add($"-Protocol {protocol} with port {endpoint.Port}: that is the OTLP/{(grpc ? "HTTP" : "gRPC")} port; the export will fail unless the collector really serves {protocol} there.");
            }

            if (!grpc && signal is null && parts.Path.TrimEnd('/').Length > 0
                && OtlpVariables.Signals.Any(s => parts.Path.TrimEnd('/').EndsWith("/v1/" + s, StringComparison.OrdinalIgnoreCase)))
            {
                warnings.Add($"'{text}' already ends in a signal path, and the generic endpoint gets /v1/<signal> appended ('…/v1/traces/v1/traces'); use the base URL, or -Signal for a full URL.");
            }

            if (insecure == true && parts.Scheme == "https")
            {
                warnings.Add("-Insecure has no effect with an https:// endpoint under the specification (the scheme wins); the Go SDK, though, applies INSECURE after the scheme and would send plaintext.");
            }

            return endpoint;
        }

        /// <summary>
        /// Local file to the path the exporter uses: itself, or with <see cref="OtlpEnvironmentRequest.ExporterPath"/> its
        /// file name in that folder (joined with the folder's own separator, as it names a path on another machine). The
        /// user is told which file goes where.
        /// </summary>
        private static Func<string, string> ExporterPathMap(OtlpEnvironmentRequest request, List<string> warnings)
        {
            var folder = request.ExporterPath?.Trim();
            if (string.IsNullOrEmpty(folder))
            {
                return local => local;
            }

            LineValues.Check("-ExporterPath", folder!, "the configuration");
            var windows = folder!.Length >= 3 && char.IsLetter(folder[0]) && folder[1] == ':' && (folder[2] == '\\' || folder[2] == '/');
            if (!folder.StartsWith("/", StringComparison.Ordinal) && !windows && !folder.StartsWith("\\\\", StringComparison.Ordinal))
            {
                throw new OtlpTlsException(OtlpErrorId.ExporterPathNotAbsolute, OtlpErrorKind.InvalidArgument,
                    $"-ExporterPath '{folder}' is not an absolute path; the exporter would resolve it against its own working directory. Nothing was written.",
                    folder, "Give the folder as the exporter sees it, e.g. /etc/otel/tls or C:\\otel\\tls.");
            }

            var separator = folder.StartsWith("/", StringComparison.Ordinal) ? '/' : '\\';
            var locals = new[] { request.CaCertificate, request.ClientCertificate, request.ClientKey }.Where(p => p is not null).Select(p => p!).ToList();
            var clash = locals.GroupBy(p => Path.GetFileName(p), StringComparer.Ordinal).FirstOrDefault(g => g.Distinct(StringComparer.Ordinal).Count() > 1);
            if (clash is not null)
            {
                throw new OtlpTlsException(OtlpErrorId.ExporterPathCollision, OtlpErrorKind.InvalidArgument,
                    $"'{string.Join("' and '", clash.Distinct())}' have the same file name, so under -ExporterPath they would be one file. Nothing was written.",
                    folder, "Give files with distinct names (rename one), or set the variables without -ExporterPath.");
            }

            string Map(string local) => folder.TrimEnd('/', '\\') + separator + Path.GetFileName(local);
            var mapped = new HashSet<string>(StringComparer.Ordinal);
            return local =>
            {
                var target = Map(local);
                if (mapped.Add(local))
                {
                    warnings.Add($"The exporter reads '{target}': copy '{local}' there (a Secret or ConfigMap volume at {folder} in Kubernetes).");
                }

                return target;
            };
        }

        internal static string RequireAbsolute(string path, string what)
        {
            if (!Path.IsPathRooted(path))
            {
                throw new OtlpTlsException(OtlpErrorId.RelativePath, OtlpErrorKind.InvalidArgument,
                    $"The {what} path '{path}' is relative; exporters would resolve it against their own working directory. Nothing was written.",
                    path, "Give an absolute path (the cmdlet resolves relative paths against the current location).");
            }

            return path;
        }

        private static IReadOnlyList<BcCertificate> CheckCertificateFile(string path, string what, DateTimeOffset at)
        {
            RequireAbsolute(path, what);
            var bytes = FileAccess.ReadAllBytes(path, what);
            var certificates = CertificateReader.Parse(bytes, path);
            if (!PemBlock.LooksLikePem(bytes))
            {
                throw NotPem(path, what);
            }

            foreach (var certificate in certificates)
            {
                var notAfter = new DateTimeOffset(DateTime.SpecifyKind(certificate.NotAfter, DateTimeKind.Utc));
                var notBefore = new DateTimeOffset(DateTime.SpecifyKind(certificate.NotBefore, DateTimeKind.Utc));
                if (notAfter < at || notBefore > at)
                {
                    var expired = notAfter < at;
                    throw new OtlpTlsException(expired ? OtlpErrorId.ExpiredCertificateRefused : OtlpErrorId.NotYetValidCertificateRefused, OtlpErrorKind.InvalidData,
                        expired
                            ? $"The {what} '{CertificateInfo.FormatName(certificate.SubjectDN)}' in '{path}' expired on {notAfter:yyyy-MM-dd HH:mm} UTC. Nothing was written."
                            : $"The {what} '{CertificateInfo.FormatName(certificate.SubjectDN)}' in '{path}' is not valid before {notBefore:yyyy-MM-dd HH:mm} UTC. Nothing was written.",
                        path, "Issue a new certificate (New-OtlpCertificate) and use that file.");
                }
            }

            return certificates;
        }

        private static OtlpTlsException NotPem(string path, string what) =>
            new(OtlpErrorId.NotPem, OtlpErrorKind.InvalidData, $"The {what} file '{path}' is not PEM; OTLP exporters read PEM only. Nothing was written.", path,
                "Convert it with openssl (x509 -outform PEM, pkcs12 -nokeys / -nocerts -nodes, pkey) and give the PEM file.");

        /// <summary>
        /// The .NET exporter (measured with 1.20.1) loads only the first certificate of the CA file and its custom-root check
        /// does not reach a root through an intermediate. When the file starts with a root and also holds intermediates, write
        /// a copy with the issuing (lowest) CA first and use that.
        /// </summary>
        private static string DotnetCaBundle(string caPath, IReadOnlyList<BcCertificate> certificates, List<OtlpPlannedFile> files, List<string> warnings,
            Func<string, string> remote)
        {
            var cas = certificates.Where(c => c.GetBasicConstraints() >= 0).ToList();
            if (certificates.Count > 1 && CertificateInfo.IsSelfSigned(certificates[0]) && cas.Any(c => !CertificateInfo.IsSelfSigned(c)))
            {
                int Depth(BcCertificate c)
                {
                    var depth = 0;
                    var current = c;
                    while (!CertificateInfo.IsSelfSigned(current) && depth < certificates.Count)
                    {
                        var issuer = certificates.FirstOrDefault(i => i.SubjectDN.Equivalent(current.IssuerDN));
                        if (issuer is null)
                        {
                            break;
                        }

                        current = issuer;
                        depth++;
                    }

                    return depth;
                }

                var ordered = certificates.OrderByDescending(Depth).ToList();
                var directory = Path.GetDirectoryName(caPath)!;
                var target = Path.Combine(directory, Path.GetFileNameWithoutExtension(caPath) + ".dotnet" + Path.GetExtension(caPath));
                var content = string.Concat(ordered.Select(c => PemBlock.Encode("CERTIFICATE", c.GetEncoded())));
                files.Add(new OtlpPlannedFile(target, content, "the .NET exporter uses only the first certificate of the CA file"));
                warnings.Add($".NET: the exporter uses only the first certificate of {OtlpVariables.Name(OtlpVariables.Certificate)} and does not reach the root through an intermediate (measured with 1.20.1); wrote '{target}' with '{CertificateInfo.FormatName(ordered[0].SubjectDN)}' first and used it instead of '{caPath}'.");
                return target;
            }

            if (certificates.Count == 1 && CertificateInfo.IsSelfSigned(certificates[0]))
            {
                warnings.Add($".NET: '{caPath}' holds only the root '{CertificateInfo.FormatName(certificates[0].SubjectDN)}'. If the collector's certificate is issued by an intermediate, the .NET exporter (measured with 1.20.1) rejects it even when the collector sends the intermediate: put the intermediate first in the CA file.");
            }

            return caPath;
        }

        private static void Advise(List<string> sdks, string? signal, OtlpEnvironmentRequest request, OtlpEndpoint? endpoint, bool grpc,
            IReadOnlyList<BcCertificate>? ca, IReadOnlyList<BcCertificate>? client, List<KeyValuePair<string, string?>> changes, List<string> warnings,
            Func<string, string> remote)
        {
            var hasTlsFiles = request.CaCertificate is not null || request.ClientCertificate is not null;
            var clientWithoutCa = request.ClientCertificate is not null && request.CaCertificate is null;
            foreach (var sdk in sdks)
            {
                switch (sdk)
                {
                    case "dotnet":
                        if (hasTlsFiles)
                        {
                            warnings.Add(".NET: OpenTelemetry.Exporter.OpenTelemetryProtocol reads OTEL_EXPORTER_OTLP_CERTIFICATE and CLIENT_* from 1.15.0 on, and only in builds for .NET 8 or later (not .NET Framework).");
                        }

                        if (request.CaCertificate is not null)
                        {
                            // Measured with the SDK client in tests/: 1.15.3, 1.17.0 and 1.18.0 crash, 1.19.0 and 1.20.1 work.
                            warnings.Add(".NET: exporter versions before 1.19.0 (measured: 1.15.3, 1.17.0, 1.18.0) load the CA file with X509Certificate2.CreateFromPemFile and throw at start-up on a file without a private key ('The key contents do not contain a PEM, the content is malformed, or the key does not match the certificate.'): use 1.19.0 or later.");
                        }

                        if (clientWithoutCa)
                        {
                            warnings.Add(".NET: with CLIENT_* but no OTEL_EXPORTER_OTLP_CERTIFICATE the exporter checks the collector certificate's revocation, so a private CA without CRL or OCSP fails with 'RevocationStatusUnknown, OfflineRevocation' (measured with 1.15.3 and 1.20.1): give -CaCertificate too.");
                        }

                        if (signal is not null && hasTlsFiles)
                        {
                            warnings.Add($".NET: the exporter reads only the generic OTEL_EXPORTER_OTLP_CERTIFICATE/CLIENT_CERTIFICATE/CLIENT_KEY, not the {signal.ToUpperInvariant()} ones written here; set them without -Signal.");
                        }

                        if (client is { Count: > 1 })
                        {
                            warnings.Add($".NET: the exporter sends only the leaf of '{request.ClientCertificate}', not its {client.Count - 1} intermediate(s): the collector's client_ca_file must hold the issuing intermediate, not only the root.");
                        }

                        if (request.Insecure is not null)
                        {
                            warnings.Add(".NET: the exporter does not read OTEL_EXPORTER_OTLP_INSECURE; use an http:// endpoint for plaintext.");
                        }

                        if (request.Protocol is null && endpoint is not null)
                        {
                            warnings.Add(".NET: without OTEL_EXPORTER_OTLP_PROTOCOL the exporter uses grpc; give -Protocol.");
                        }

                        break;
                    case "java":
                        if (clientWithoutCa)
                        {
                            warnings.Add("Java: the gRPC exporter sends the client certificate only when OTEL_EXPORTER_OTLP_CERTIFICATE is set too; give -CaCertificate.");
                        }

                        if (request.Insecure is not null)
                        {
                            warnings.Add("Java: OTEL_EXPORTER_OTLP_INSECURE is not read; the endpoint's scheme decides.");
                        }

                        if (endpoint is not null && endpoint.Scheme is null)
                        {
                            warnings.Add("Java: the endpoint must start with http:// or https:// ('OTLP endpoint scheme must be http or https').");
                        }

                        if (grpc && endpoint is not null && EndpointText.Split(endpoint.Original).Path.Trim('/').Length > 0)
                        {
                            warnings.Add("Java: a gRPC endpoint must not have a path ('OTLP endpoint must not have a path').");
                        }

                        if (request.Protocol is null)
                        {
                            warnings.Add("Java: autoconfigure defaults to grpc, the Java agent 2.x to http/protobuf; give -Protocol.");
                        }

                        if (hasTlsFiles)
                        {
                            warnings.Add("Java ignores SSL_CERT_FILE and the OS store; the CA must come from OTEL_EXPORTER_OTLP_CERTIFICATE (or -Djavax.net.ssl.trustStore).");
                        }

                        break;
                    case "python":
                        if (clientWithoutCa && grpc)
                        {
                            warnings.Add("Python: the gRPC exporter reads CLIENT_CERTIFICATE/CLIENT_KEY only when OTEL_EXPORTER_OTLP_CERTIFICATE is set; give -CaCertificate.");
                        }

                        if (grpc && endpoint?.Scheme == "http" && request.Insecure is null)
                        {
                            // Python's gRPC exporter lets an explicit INSECURE override http://; writing true keeps it plaintext for sure.
                            changes.Add(new KeyValuePair<string, string?>(OtlpVariables.Name(OtlpVariables.Insecure, signal), "true"));
                            warnings.Add("Python: INSECURE overrides an http:// scheme in the gRPC exporter (INSECURE=false would dial TLS); wrote INSECURE=true to match the http:// endpoint.");
                        }

                        if (!grpc && request.CaCertificate is null)
                        {
                            warnings.Add("Python: the HTTP exporter uses requests, whose trust store is certifi, not the OS store: a private CA needs OTEL_EXPORTER_OTLP_CERTIFICATE (or REQUESTS_CA_BUNDLE).");
                        }

                        break;
                    case "go":
                        if (request.Insecure == true && endpoint?.Scheme == "https")
                        {
                            warnings.Add("Go: INSECURE is applied after the scheme and also to the HTTP exporter: with INSECURE=true the Go SDK sends plaintext even to this https:// endpoint.");
                        }

                        if (hasTlsFiles)
                        {
                            warnings.Add("Go: an unreadable CA or client file is only logged and the exporter goes on with the system roots; check the exporter's log for 'read tls ca cert file'.");
                        }

                        break;
                    case "node":
                        if (request.CaCertificate is not null)
                        {
                            changes.Add(new KeyValuePair<string, string?>(OtlpVariables.NodeExtraCaCerts, remote(request.CaCertificate)));
                            warnings.Add("Node: OpenTelemetry JS before 0.212 ignores OTEL_EXPORTER_OTLP_CERTIFICATE; NODE_EXTRA_CA_CERTS was set too (read once at process start).");
                        }

                        if (request.ClientCertificate is not null)
                        {
                            warnings.Add("Node: OpenTelemetry JS before 0.212 cannot take a client certificate from the environment; mTLS needs 0.212 or later.");
                        }

                        if (request.Insecure is not null && endpoint?.Scheme is not null)
                        {
                            warnings.Add("Node: INSECURE is read by the gRPC exporter only, and only for endpoints without a scheme.");
                        }

                        break;
                }
            }
        }

        private static string CollectorYaml(OtlpEnvironmentRequest request, OtlpEndpoint? endpoint, bool grpc, string? caPath, Func<string, string> remote)
        {
            var builder = new StringBuilder();
            builder.Append("exporters:\n");
            builder.Append(grpc ? "  otlp:\n" : "  otlphttp:\n");
            if (endpoint is not null)
            {
                builder.Append("    endpoint: ").Append(Quote(grpc ? endpoint.Authority : endpoint.Original.Trim())).Append('\n');
            }

            builder.Append("    tls:\n");
            // In the collector an http:// scheme does not turn TLS off for gRPC: only insecure: true does.
            var plaintext = request.Insecure == true || endpoint?.Scheme == "http";
            if (plaintext)
            {
                builder.Append("      insecure: true\n");
            }

            if (caPath is not null)
            {
                builder.Append("      ca_file: ").Append(Quote(remote(request.CaCertificate!))).Append('\n');
            }

            if (request.ClientCertificate is not null)
            {
                builder.Append("      cert_file: ").Append(Quote(remote(request.ClientCertificate))).Append('\n');
                builder.Append("      key_file: ").Append(Quote(remote(request.ClientKey!))).Append('\n');
            }

            if (!plaintext && caPath is null && request.ClientCertificate is null)
            {
                builder.Append("      insecure: false\n");
            }

            return builder.ToString();
        }

        internal static string Quote(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
    }
}
