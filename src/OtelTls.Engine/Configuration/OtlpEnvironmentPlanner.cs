using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using OtelTls.Engine.Certificates;
using OtelTls.Engine.Diagnosis;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;
using OtelTls.Engine.Configuration.Sdks;
using OtelTls.Engine.Endpoints;
using OtelTls.Engine.Vocabulary;

namespace OtelTls.Engine.Configuration
{
    /// <summary>
    /// Turns a request into a plan, checking everything first: files exist and parse, a CA file holds a CA, the client key
    /// matches, nothing is expired, the endpoint parses. Nothing is written here.
    /// </summary>
    public static class OtlpEnvironmentPlanner
    {
        /// <summary>Checks the request and returns what to write.</summary>
        /// <exception cref="OtlpTlsException">For any input that would produce a configuration that cannot work.</exception>
        public static OtlpEnvironmentPlan PlanSet(OtlpEnvironmentRequest request)
        {
            if (request is null)
            {
                throw new ArgumentNullException(nameof(request));
            }

            request = WithPipedCertificates(request);

            if (string.IsNullOrEmpty(request.Endpoint) && request.Protocol is null && request.CaCertificate is null
                && request.ClientCertificate is null && request.ClientKey is null && request.Insecure is null)
            {
                throw new OtlpTlsException(OtlpErrorId.NothingToSet, OtlpErrorKind.InvalidArgument,
                    "Nothing to set: give -Endpoint, -Protocol, -CaCertificate, -ClientCertificate with -ClientKey, or -Insecure (or pipe certificates).",
                    null, "Set-OtlpTlsEnvironment -Endpoint https://collector:4318 -Protocol http/protobuf -CaCertificate ./ca.crt");
            }

            var at = request.At ?? DateTimeOffset.UtcNow;
            var signal = request.Signal is { } requested ? OtlpSignals.Check(requested) : (OtlpSignal?)null;
            var sdks = OtlpSdks.Distinct(request.Sdks);
            var warnings = new List<string>();
            var files = new List<OtlpPlannedFile>();
            var changes = new List<KeyValuePair<string, string?>>();
            void Set(string option, string value) => changes.Add(new KeyValuePair<string, string?>(OtlpVariables.Name(option, signal), value));

            var protocol = request.Protocol;
            if (protocol is { } given && !OtlpProtocols.All.Contains(given))
            {
                throw new OtlpTlsException(OtlpErrorId.InvalidProtocol, OtlpErrorKind.InvalidArgument,
                    $"'{given}' is not an OTLP protocol.", given, "Use grpc or http/protobuf.");
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
                        $"'{request.CaCertificate}' holds no CA certificate (its first certificate is '{CertificateDescriber.FormatName(caCertificates[0].SubjectDN)}'); an exporter cannot verify a collector with it. Nothing was written.",
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
                        $"The client key '{request.ClientKey}' does not belong to the client certificate '{CertificateDescriber.FormatName(clientCertificates[0].SubjectDN)}' ({request.ClientCertificate}). Nothing was written.",
                        request.ClientKey, "Pair the certificate with the key it was issued for; compare 'openssl x509 -noout -pubkey -in <crt>' with 'openssl pkey -pubout -in <key>'.");
                }
            }

            var remote = ExporterPathMap(request, warnings);
            if (endpoint is not null)
            {
                Set(OtlpVariables.Endpoint, request.Endpoint!.Trim());
            }

            if (protocol is { } chosen)
            {
                Set(OtlpVariables.Protocol, OtlpProtocols.Name(chosen));
            }

            var grpc = protocol == OtlpProtocol.Grpc || (protocol is null && endpoint?.Protocol == OtlpProtocol.Grpc);
            var advice = sdks.Select(SdkAdvice.For).Where(a => a is not null).Select(a => a!).ToList();
            var context = new SdkAdviceContext(request, signal, endpoint, grpc, caCertificates, clientCertificates, changes, warnings, files, remote);
            var caPath = request.CaCertificate;
            foreach (var sdk in advice)
            {
                caPath = caPath is null ? null : sdk.CaFile(context, caPath, caCertificates!);
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

            foreach (var sdk in advice)
            {
                sdk.Advise(context);
            }

            var yaml = sdks.Contains(OtlpSdk.Collector) ? CollectorExporterYaml.Build(request, endpoint, grpc, caPath, remote) : null;
            if (sdks.Count == 1 && sdks[0] == OtlpSdk.Collector)
            {
                // Only the collector: it reads YAML, not these variables, so nothing is written.
                changes.Clear();
            }

            return new OtlpEnvironmentPlan(changes, warnings, files, yaml);
        }

        /// <summary>
        /// The request with its piped certificates turned into files: one CA file (CERTIFICATE) and one client certificate
        /// (CLIENT_CERTIFICATE, its KeyPath as CLIENT_KEY) at most, each agreeing with the file given by parameter, and
        /// nothing else. The caller's request is left as it was.
        /// </summary>
        private static OtlpEnvironmentRequest WithPipedCertificates(OtlpEnvironmentRequest request)
        {
            var roles = PipedCertificateRoles.Classify(request.Certificates, new[] { OtlpCertificateUsage.Client }, "exporters read");
            var caFile = request.CaCertificate;
            foreach (var ca in roles.Authorities)
            {
                if (caFile is not null && !string.Equals(caFile, ca.Path, StringComparison.Ordinal))
                {
                    throw new OtlpTlsException(OtlpErrorId.MultipleCaFiles, OtlpErrorKind.InvalidArgument,
                        $"Two CA files were given ('{caFile}' and '{ca.Path}'), but OTEL_EXPORTER_OTLP_CERTIFICATE names one file. Nothing was written.",
                        ca.Path, "Concatenate the CAs into one PEM bundle and give that file.");
                }

                caFile = ca.Path;
            }

            var leaf = roles.Unassigned.Count > 0 ? roles.Unassigned[0] : null;
            if (leaf is not null && !PipedCertificateRoles.Allows(leaf, OtlpCertificateUsage.Client))
            {
                throw new OtlpTlsException(OtlpErrorId.NotClientCertificate, OtlpErrorKind.InvalidArgument,
                    $"'{leaf.Subject}' ({leaf.Path}) is neither a CA nor a client certificate (extended key usage: {string.Join(", ", leaf.EnhancedKeyUsages)}). Nothing was written.",
                    leaf.Path, "Pipe the CA that issued the collector's certificate, or a client certificate (New-OtlpCertificate -Type Client).");
            }

            var clientFile = request.ClientCertificate;
            var clientKey = request.ClientKey;
            if (roles.Client is { } client)
            {
                var other = leaf?.Path ?? clientFile;
                if (other is not null && !string.Equals(other, client.Path, StringComparison.Ordinal))
                {
                    throw new OtlpTlsException(OtlpErrorId.MultipleClientCertificates, OtlpErrorKind.InvalidArgument,
                        $"Two client certificates were given ('{other}' and '{client.Path}'); an exporter sends one. Nothing was written.",
                        client.Path, "Pipe one client certificate.");
                }

                clientFile = client.Path;
                clientKey = client.KeyPath ?? clientKey;
            }

            var effective = request.Copy();
            effective.CaCertificate = caFile;
            effective.ClientCertificate = clientFile;
            effective.ClientKey = clientKey;
            effective.Certificates = Array.Empty<OtlpCertificate>();
            return effective;
        }

        /// <summary>The variables Set writes for <paramref name="signal"/> (null: generic), all to be removed.</summary>
        public static OtlpEnvironmentPlan PlanClear(OtlpSignal? signal, IEnumerable<OtlpSdk>? sdks = null)
        {
            var changes = OtlpVariables.TlsOptions.Select(o => new KeyValuePair<string, string?>(OtlpVariables.Name(o, signal), null)).ToList();
            if (OtlpSdks.Distinct(sdks).Contains(OtlpSdk.Node))
            {
                changes.Add(new KeyValuePair<string, string?>(OtlpVariables.NodeExtraCaCerts, null));
            }

            return new OtlpEnvironmentPlan(changes, Array.Empty<string>(), Array.Empty<OtlpPlannedFile>(), null);
        }

        private static OtlpEndpoint CheckEndpoint(string text, OtlpProtocol? protocol, bool? insecure, OtlpSignal? signal, List<string> warnings)
        {
            var parts = EndpointText.Split(text);
            var grpc = protocol == OtlpProtocol.Grpc;
            if (parts.Scheme is null && !grpc)
            {
                throw new OtlpTlsException(OtlpErrorId.EndpointSchemeMissing, OtlpErrorKind.InvalidArgument,
                    $"'{text}' has no scheme: OTLP/HTTP exporters need a URL, and gRPC ones then decide TLS by INSECURE. Nothing was written.",
                    text, $"Write https://{text} (TLS) or http://{text} (plaintext); a scheme-less host:port is accepted with -Protocol grpc.");
            }

            var endpoint = EndpointParser.Parse(text, protocol);
            if (!parts.HasPort)
            {
                warnings.Add($"'{text}' has no port: exporters use {(parts.Scheme == "http" ? 80 : 443)}, not {OtlpProtocols.DefaultPort(endpoint.Protocol)}.");
            }
            else if (protocol is not null && endpoint.Port == (grpc ? OtlpProtocols.HttpPort : OtlpProtocols.GrpcPort))
            {
                warnings.Add($"-Protocol {OtlpProtocols.Name(protocol.Value)} with port {endpoint.Port}: that is the OTLP/{(grpc ? "HTTP" : "gRPC")} port; the export will fail unless the collector really serves {OtlpProtocols.Name(protocol.Value)} there.");
            }

            if (!grpc && signal is null && parts.Path.TrimEnd('/').Length > 0
                && OtlpSignals.All.Any(s => parts.Path.TrimEnd('/').EndsWith(OtlpSignals.HttpPath(s), StringComparison.OrdinalIgnoreCase)))
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
                            ? $"The {what} '{CertificateDescriber.FormatName(certificate.SubjectDN)}' in '{path}' expired on {notAfter:yyyy-MM-dd HH:mm} UTC. Nothing was written."
                            : $"The {what} '{CertificateDescriber.FormatName(certificate.SubjectDN)}' in '{path}' is not valid before {notBefore:yyyy-MM-dd HH:mm} UTC. Nothing was written.",
                        path, "Issue a new certificate (New-OtlpCertificate) and use that file.");
                }
            }

            return certificates;
        }

        private static OtlpTlsException NotPem(string path, string what) =>
            new(OtlpErrorId.NotPem, OtlpErrorKind.InvalidData, $"The {what} file '{path}' is not PEM; OTLP exporters read PEM only. Nothing was written.", path,
                "Convert it with openssl (x509 -outform PEM, pkcs12 -nokeys / -nocerts -nodes, pkey) and give the PEM file.");
    }
}
