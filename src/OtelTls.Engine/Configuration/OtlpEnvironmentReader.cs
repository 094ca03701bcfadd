using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using OtelTls.Engine.Certificates;
using OtelTls.Engine.Diagnosis;
using Org.BouncyCastle.Crypto;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;
using OtelTls.Engine.Endpoints;
using OtelTls.Engine.Vocabulary;

namespace OtelTls.Engine.Configuration
{
    /// <summary>
    /// Resolves <c>OTEL_EXPORTER_OTLP_*</c> variables into what an exporter for each signal will do, with the
    /// specification's precedence, and checks the files they name. It only reads: nothing here changes the environment.
    /// </summary>
    public static class OtlpEnvironmentReader
    {
        /// <summary>The current process environment as a dictionary.</summary>
        public static IReadOnlyDictionary<string, string> ProcessVariables()
        {
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
            {
                if (entry.Key is string name && entry.Value is string value)
                {
                    result[name] = value;
                }
            }

            return result;
        }

        /// <summary>
        /// Resolves <paramref name="variables"/> (e.g. the process environment copied into a dictionary, or a parsed dotenv
        /// file) into the effective configuration per signal, with findings.
        /// </summary>
        /// <param name="variables">Name to value; names are matched exactly, the way the SDKs read them.</param>
        /// <param name="at">The moment certificate validity is checked at (default: now).</param>
        public static OtlpTlsEnvironment Read(IReadOnlyDictionary<string, string> variables, DateTimeOffset? at = null) =>
            Read(variables, "Process", at);

        /// <summary>As <see cref="Read(IReadOnlyDictionary{string, string}, DateTimeOffset?)"/>, naming where the variables came from.</summary>
        /// <param name="variables">Name to value.</param>
        /// <param name="source"><c>Process</c>, a dotenv path, or a target name.</param>
        /// <param name="at">The moment certificate validity is checked at (default: now).</param>
        /// <param name="baseDirectory">Folder relative file paths are checked against (default: the current directory).</param>
        /// <param name="files">The command's file reads, so the files checked here are not read again to connect; null reads them here.</param>
        public static OtlpTlsEnvironment Read(IReadOnlyDictionary<string, string> variables, string source, DateTimeOffset? at = null, string? baseDirectory = null,
            CommandFiles? files = null)
        {
            if (variables is null)
            {
                throw new ArgumentNullException(nameof(variables));
            }

            var folder = baseDirectory ?? Environment.CurrentDirectory;
            var context = new Context(variables, at ?? DateTimeOffset.UtcNow, folder, files);
            var signals = OtlpSignals.All.Select(context.Resolve).ToArray();
            context.CheckOverrides();
            context.CheckProtocolSet();
            return new OtlpTlsEnvironment
            {
                Source = source,
                Variables = context.ReportedVariables(),
                Signals = signals,
                Findings = OtlpCertificateCheck.Order(context.Findings()),
                Timestamp = context.At,
                BaseDirectory = folder,
            };
        }

        /// <summary>
        /// A file named by <paramref name="environment"/>'s variables as the exporter opens it: relative paths against
        /// <see cref="OtlpTlsEnvironment.BaseDirectory"/>, the one folder the reader checked them in.
        /// </summary>
        /// <param name="environment">The configuration the path came from.</param>
        /// <param name="path">The path as written in the variable.</param>
        public static string FullPath(OtlpTlsEnvironment environment, string path) => FullPath(environment.BaseDirectory, path);

        private static string FullPath(string baseDirectory, string path) =>
            Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(baseDirectory, path));

        /// <summary>
        /// True only for the case-insensitive text <c>true</c> (surrounding blanks ignored), as the specification's boolean
        /// rule says; null for unset or empty.
        /// </summary>
        public static bool? ParseBoolean(string? value)
        {
            if (value is null || value.Trim().Length == 0)
            {
                return null;
            }

            return string.Equals(value.Trim(), "true", StringComparison.OrdinalIgnoreCase);
        }

        /// <summary>Header names from a <c>…_HEADERS</c> value (<c>k1=v1,k2=v2</c>): the headers an SDK sends, as OtlpHeaderList reads them.</summary>
        public static string[] HeaderNames(string? value) => OtlpHeaderList.Parse(value).Keys.ToArray();


        private sealed class Context
        {
            private readonly IReadOnlyDictionary<string, string> _variables;
            private readonly string _baseDirectory;
            private readonly CommandFiles? _files;
            private readonly Dictionary<string, (OtlpFinding Finding, SortedSet<OtlpSignal> Signals)> _findings = new(StringComparer.Ordinal);
            private readonly HashSet<string> _checkedFiles = new(StringComparer.Ordinal);
            private readonly HashSet<string> _checkedPairs = new(StringComparer.Ordinal);
            private readonly Dictionary<string, IReadOnlyList<BcCertificate>?> _certificates = new(StringComparer.Ordinal);
            private readonly Dictionary<string, AsymmetricKeyParameter?> _keys = new(StringComparer.Ordinal);

            private static readonly HashSet<string> CheckedIds = new(StringComparer.Ordinal)
            {
                OtlpFindingId.CertificateExpired, OtlpFindingId.CertificateNotYetValid, OtlpFindingId.CertificateExpiringSoon,
                OtlpFindingId.KeyUsageMismatch, OtlpFindingId.ClientCertificateNotForClientAuth,
            };

            public Context(IReadOnlyDictionary<string, string> variables, DateTimeOffset at, string baseDirectory, CommandFiles? files)
            {
                _variables = variables;
                At = at;
                _baseDirectory = baseDirectory;
                _files = files;
            }

            public DateTimeOffset At { get; }

            private string? Get(string name) =>
                _variables.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;

            /// <summary>The per-signal variable when set, else the generic one: the specification's first rule.</summary>
            private (string? Value, string? Name) Pick(string option, OtlpSignal signal)
            {
                var specific = OtlpVariables.Name(option, signal);
                var value = Get(specific);
                if (value is not null)
                {
                    return (value, specific);
                }

                var generic = OtlpVariables.Name(option);
                value = Get(generic);
                return value is not null ? (value, generic) : (null, null);
            }

            public OtlpSignalConfiguration Resolve(OtlpSignal signal)
            {
                var result = new OtlpSignalConfiguration { Signal = signal };
                ResolveProtocol(result);
                var (insecureText, insecureName) = Pick(OtlpVariables.Insecure, signal);
                if (insecureText is not null)
                {
                    result.Insecure = ParseBoolean(insecureText);
                    result.InsecureSource = insecureName;
                    var trimmed = insecureText.Trim();
                    if (!trimmed.Equals("true", StringComparison.OrdinalIgnoreCase) && !trimmed.Equals("false", StringComparison.OrdinalIgnoreCase))
                    {
                        Add(signal, OtlpFindingId.InvalidBooleanVariable, OtlpSeverity.Warning,
                            $"{insecureName}='{insecureText}' is neither 'true' nor 'false'; exporters read it as false.",
                            "Booleans in the OpenTelemetry environment are true only for the text 'true' (any case); every other value means false.",
                            $"Set {insecureName}=true or {insecureName}=false, or remove it.");
                    }
                }

                ResolveEndpoint(result);
                var (certificate, certificateName) = Pick(OtlpVariables.Certificate, signal);
                var (clientCertificate, clientCertificateName) = Pick(OtlpVariables.ClientCertificate, signal);
                var (clientKey, clientKeyName) = Pick(OtlpVariables.ClientKey, signal);
                result.CertificatePath = certificate;
                result.CertificatePathSource = certificateName;
                result.ClientCertificatePath = clientCertificate;
                result.ClientCertificatePathSource = clientCertificateName;
                result.ClientKeyPath = clientKey;
                result.ClientKeyPathSource = clientKeyName;
                result.HeaderNames = HeaderNames(Pick(OtlpVariables.Headers, signal).Value);
                CheckSecurity(result);
                CheckFiles(result);
                return result;
            }

            private void ResolveProtocol(OtlpSignalConfiguration result)
            {
                var (value, name) = Pick(OtlpVariables.Protocol, result.Signal);
                result.Protocol = OtlpProtocols.Default;
                if (value is null)
                {
                    return;
                }

                if (!OtlpProtocols.TryParseName(value, out var protocol))
                {
                    Add(result.Signal, OtlpFindingId.InvalidProtocolVariable, OtlpSeverity.Error,
                        $"{name}='{value}' is not an OTLP protocol.",
                        "The specification allows only grpc, http/protobuf and http/json; SDKs reject anything else or fall back to their own default.",
                        $"Set {name}={OtlpProtocols.Name(OtlpProtocol.Grpc)} (port {OtlpProtocols.GrpcPort}) or {name}={OtlpProtocols.Name(OtlpProtocol.HttpProtobuf)} (port {OtlpProtocols.HttpPort}).");
                    return;
                }

                result.Protocol = protocol;
                result.ProtocolSource = name!;
            }

            private void ResolveEndpoint(OtlpSignalConfiguration result)
            {
                var grpc = result.Protocol == OtlpProtocol.Grpc;
                var specificName = OtlpVariables.Name(OtlpVariables.Endpoint, result.Signal);
                var genericName = OtlpVariables.Name(OtlpVariables.Endpoint);
                var (picked, name) = Pick(OtlpVariables.Endpoint, result.Signal);
                var value = picked?.Trim();
                result.EndpointSource = name ?? "default";
                // Defaults per the current specification: plaintext localhost on the protocol's port.
                value ??= "http://localhost:" + OtlpProtocols.DefaultPort(result.Protocol).ToString(CultureInfo.InvariantCulture);
                var parts = EndpointText.Split(value);
                if (parts.Scheme is not null && parts.Scheme != "http" && parts.Scheme != "https")
                {
                    InvalidEndpoint(result, name!, value, $"the scheme '{parts.Scheme}' is neither http nor https");
                    return;
                }

                if (grpc)
                {
                    // gRPC: https ⇒ TLS, http ⇒ plaintext, both over INSECURE; no scheme ⇒ INSECURE decides (default TLS).
                    result.UsesTls = parts.Scheme is null ? result.Insecure != true : parts.Scheme == "https";
                    result.Url = parts.Scheme is null ? (result.UsesTls ? "https://" : "http://") + value : value;
                }
                else
                {
                    if (parts.Scheme is null)
                    {
                        InvalidEndpoint(result, name!, value, "an OTLP/HTTP endpoint must be a URL starting with http:// or https://");
                        return;
                    }

                    result.UsesTls = parts.Scheme == "https";
                    if (name != specificName)
                    {
                        // The generic variable is a base URL: append v1/<signal> after exactly one slash.
                        result.Url = value.TrimEnd('/') + OtlpSignals.HttpPath(result.Signal);
                        var path = parts.Path.TrimEnd('/');
                        foreach (var signal in OtlpSignals.All)
                        {
                            if (path.EndsWith(OtlpSignals.HttpPath(signal), StringComparison.OrdinalIgnoreCase))
                            {
                                Add(result.Signal, OtlpFindingId.SignalPathInGenericEndpoint, OtlpSeverity.Error,
                                    $"{genericName}='{value}' already ends in {OtlpSignals.HttpPath(signal)}, so HTTP exporters append another signal path ('{value.TrimEnd('/')}{OtlpSignals.HttpPath(signal)}').",
                                    "The generic endpoint is a base URL: exporters append /v1/traces, /v1/metrics or /v1/logs to it. Only the per-signal variables are used as is.",
                                    $"Set {genericName}={value.Substring(0, value.TrimEnd('/').Length - OtlpSignals.HttpPath(signal).Length)} (without the signal path), or move the full URL to {OtlpVariables.Name(OtlpVariables.Endpoint, signal)}.");
                                break;
                            }
                        }
                    }
                    else
                    {
                        // A per-signal URL is used as is; only a missing path becomes '/'.
                        result.Url = parts.Path.Length == 0 ? value + "/" : value;
                    }
                }

                if (!parts.HasPort && name is not null)
                {
                    var port = result.UsesTls ? "443" : "80";
                    Add(result.Signal, OtlpFindingId.EndpointPortMissing, OtlpSeverity.Warning,
                        $"{name}='{value}' has no port, so exporters connect to port {port}, not {(OtlpProtocols.DefaultPort(result.Protocol))}.",
                        "The specification takes a missing port as the scheme's default (80 for http, 443 for https); it does not fill in the OTLP ports.",
                        $"Write the port: {name}={EndpointText.WithPort(value, OtlpProtocols.DefaultPort(result.Protocol))} (if the collector listens on the OTLP default).");
                }

                try
                {
                    // ForExporter keeps the query apart on the endpoint (sent with the export, never shown).
                    result.Endpoint = EndpointParser.ForExporter(value, result.Url, result.Protocol, result.Signal, result.UsesTls);
                    result.Url = Redaction.Url(result.Url);
                }
                catch (OtlpTlsException ex)
                {
                    InvalidEndpoint(result, name ?? "default", value, ex.Message.TrimEnd('.'));
                    return;
                }

                var otherPort = grpc ? OtlpProtocols.HttpPort : OtlpProtocols.GrpcPort;
                if (result.Endpoint.Port == otherPort)
                {
                    var protocolName = OtlpProtocols.Name(result.Protocol);
                    var protocolVariable = result.ProtocolSource == "default" ? $"the default protocol {protocolName}" : $"{result.ProtocolSource}={protocolName}";
                    Add(result.Signal, OtlpFindingId.ProtocolPortMismatch, OtlpSeverity.Error,
                        $"{protocolVariable} is sent to port {otherPort} ({name ?? "default"}='{value}'), which is the OTLP/{(grpc ? "HTTP" : "gRPC")} port.",
                        grpc
                            ? "A gRPC exporter talking to the HTTP receiver fails (HTTP/2 preface to an HTTP/1.1 server, 'frame too large' or 'bogus greeting' errors)."
                            : "An HTTP/protobuf exporter talking to the gRPC receiver fails ('http2Server.HandleStreams received bogus greeting from client: \"POST /v1/…\"').",
                        grpc
                            ? $"Either set {OtlpVariables.Name(OtlpVariables.Protocol)}={OtlpProtocols.Name(OtlpProtocol.HttpProtobuf)}, or point the endpoint at port {OtlpProtocols.GrpcPort}."
                            : $"Either set {OtlpVariables.Name(OtlpVariables.Protocol)}={OtlpProtocols.Name(OtlpProtocol.Grpc)}, or point the endpoint at port {OtlpProtocols.HttpPort}.");
                }
            }

            private void InvalidEndpoint(OtlpSignalConfiguration result, string name, string value, string why)
            {
                result.Url = Redaction.Url(value);
                Add(result.Signal, OtlpFindingId.InvalidEndpointVariable, OtlpSeverity.Error,
                    $"{name}='{value}' cannot be used: {why}.",
                    "Exporters need an http:// or https:// URL (gRPC also accepts host:port) with a valid host.",
                    $"Set {name} to a URL such as https://collector:{OtlpProtocols.DefaultPort(result.Protocol)}.");
            }

            private void CheckSecurity(OtlpSignalConfiguration result)
            {
                var scheme = result.Endpoint?.Scheme;
                if (result.Insecure == true && scheme == "https")
                {
                    Add(result.Signal, OtlpFindingId.InsecureIgnored, OtlpSeverity.Warning,
                        $"{result.InsecureSource}=true has no effect with {result.EndpointSource}='{result.Endpoint!.Original}': the https:// scheme decides, so the exporter uses TLS.",
                        "The specification applies INSECURE only to gRPC endpoints without a scheme. The Go SDK diverges: it applies INSECURE after the scheme (also for HTTP) and would send plaintext to an https:// endpoint.",
                        $"Remove {result.InsecureSource}; to send plaintext, use an http:// endpoint instead.");
                }

                if (result.Endpoint is not null && !result.UsesTls)
                {
                    var files = new[] { result.CertificatePathSource, result.ClientCertificatePathSource, result.ClientKeyPathSource }.Where(n => n is not null).ToArray();
                    if (files.Length > 0)
                    {
                        Add(result.Signal, OtlpFindingId.TlsFilesIgnored, OtlpSeverity.Warning,
                            $"{result.EndpointSource}='{result.Endpoint.Original}' means plaintext, so {string.Join(", ", files)} {(files.Length == 1 ? "is" : "are")} not used.",
                            scheme == "http"
                                ? "An http:// endpoint means no TLS; certificate variables only apply to TLS connections."
                                : $"The gRPC endpoint has no scheme and {result.InsecureSource}=true turns TLS off.",
                            scheme == "http"
                                ? $"Use https:// in {result.EndpointSource} if the collector serves TLS, or remove the certificate variables."
                                : $"Remove {result.InsecureSource} (or write https:// in the endpoint) if the collector serves TLS.");
                    }
                }

                var hasClientCertificate = result.ClientCertificatePath is not null;
                var hasClientKey = result.ClientKeyPath is not null;
                if (hasClientCertificate != hasClientKey)
                {
                    var present = hasClientCertificate ? result.ClientCertificatePathSource : result.ClientKeyPathSource;
                    var missing = OtlpVariables.Name(hasClientCertificate ? OtlpVariables.ClientKey : OtlpVariables.ClientCertificate, present!.Contains("_TRACES_") || present.Contains("_METRICS_") || present.Contains("_LOGS_") ? result.Signal : (OtlpSignal?)null);
                    Add(result.Signal, OtlpFindingId.ClientCertificateIncomplete, OtlpSeverity.Error,
                        $"{present} is set but {missing} is not: no client certificate can be sent.",
                        "Mutual TLS needs both the certificate and its key. Go and Node drop the pair silently, Rust warns, Java fails at start-up ('Client key provided but certification chain is missing').",
                        $"Set {missing} to the matching {(hasClientCertificate ? "private key" : "certificate")} file (PEM), or remove {present}.");
                }
                else if (hasClientCertificate && result.CertificatePath is null)
                {
                    Add(result.Signal, OtlpFindingId.ClientCertificateWithoutCa, OtlpSeverity.Warning,
                        $"{result.ClientCertificatePathSource} and {result.ClientKeyPathSource} are set without {OtlpVariables.Name(OtlpVariables.Certificate)}: Java (gRPC) and Python (gRPC) exporters then send no client certificate.",
                        "The Python gRPC exporter reads the client pair only inside its CA branch, and the Java gRPC sender installs the key manager only with trusted certificates configured.",
                        $"Also set {OtlpVariables.Name(OtlpVariables.Certificate)} to the CA that signed the collector's certificate (its public CA bundle works too).");
                }
            }

            private void CheckFiles(OtlpSignalConfiguration result)
            {
                CheckFile(result.Signal, result.CertificatePathSource, result.CertificatePath, FileRole.Ca);
                var clientCertificate = CheckFile(result.Signal, result.ClientCertificatePathSource, result.ClientCertificatePath, FileRole.ClientCertificate);
                CheckFile(result.Signal, result.ClientKeyPathSource, result.ClientKeyPath, FileRole.ClientKey);
                if (clientCertificate is { Count: > 0 } && result.ClientKeyPath is not null)
                {
                    var key = LoadKey(result.ClientKeyPath);
                    var pair = result.ClientCertificatePath + "\n" + result.ClientKeyPath;
                    if (key is not null && _checkedPairs.Add(pair) && !PrivateKeyReader.Matches(clientCertificate[0], key))
                    {
                        Add(result.Signal, OtlpFindingId.ClientKeyMismatch, OtlpSeverity.Error,
                            $"The client key '{result.ClientKeyPath}' ({result.ClientKeyPathSource}) does not belong to the client certificate '{result.ClientCertificatePath}' ({result.ClientCertificatePathSource}).",
                            "The TLS stack cannot sign the handshake with a key that does not match the certificate; exporters fail to load the pair or the server rejects the handshake.",
                            $"Point {result.ClientKeyPathSource} at the key issued with '{CertificateDescriber.FormatName(clientCertificate[0].SubjectDN)}'; compare 'openssl x509 -noout -pubkey -in <crt>' with 'openssl pkey -pubout -in <key>'.");
                    }
                }
            }

            private enum FileRole
            {
                Ca,
                ClientCertificate,
                ClientKey,
            }

            private string ResolvePath(string path) => FullPath(_baseDirectory, path);

            private IReadOnlyList<BcCertificate>? CheckFile(OtlpSignal signal, string? variable, string? path, FileRole role)
            {
                if (variable is null || path is null)
                {
                    return null;
                }

                var first = _checkedFiles.Add(variable + "\n" + path);
                if (first && !Path.IsPathRooted(path))
                {
                    Add(signal, OtlpFindingId.RelativeFilePath, OtlpSeverity.Warning,
                        $"{variable}='{path}' is a relative path.",
                        "Each SDK resolves it against its own working directory, which differs between a shell, a service and a container.",
                        $"Use an absolute path: {variable}={ResolvePath(path)}.");
                }

                if (role == FileRole.ClientKey)
                {
                    LoadKey(path, first ? variable : null, signal);
                    return null;
                }

                var certificates = LoadCertificates(path, first ? variable : null, signal, role);
                return certificates;
            }

            private IReadOnlyList<BcCertificate>? LoadCertificates(string path, string? reportAs, OtlpSignal? signal, FileRole role)
            {
                if (!_certificates.TryGetValue(path, out var certificates))
                {
                    try
                    {
                        var bytes = CommandFiles.Read(_files, ResolvePath(path), role == FileRole.Ca ? "CA certificate" : "client certificate");
                        certificates = CertificateReader.Parse(bytes, path);
                        if (reportAs is not null && !PemBlock.LooksLikePem(bytes))
                        {
                            Add(signal, OtlpFindingId.ConfiguredFileUnreadable, OtlpSeverity.Error,
                                $"{reportAs}='{path}' is not PEM.",
                                "The specification and the SDKs read PEM files only; DER or PKCS#12 files fail to load.",
                                $"Convert it: openssl x509 -in '{path}' -out '{path}.pem' (or 'openssl pkcs12 -in … -nokeys' for a .pfx) and point {reportAs} at the PEM file.");
                        }
                    }
                    catch (OtlpTlsException ex)
                    {
                        certificates = null;
                        if (reportAs is not null)
                        {
                            ReportUnreadable(signal, reportAs, path, ex);
                        }
                    }

                    _certificates[path] = certificates;
                }

                if (certificates is not null && reportAs is not null)
                {
                    CheckCertificates(signal, reportAs, path, certificates, role);
                }

                return certificates;
            }

            private AsymmetricKeyParameter? LoadKey(string path, string? reportAs = null, OtlpSignal? signal = null)
            {
                if (_keys.TryGetValue(path, out var key) && reportAs is null)
                {
                    return key;
                }

                try
                {
                    var bytes = CommandFiles.Read(_files, ResolvePath(path), "private key");
                    key = PrivateKeyReader.Parse(bytes, path);
                    if (reportAs is not null && !PemBlock.LooksLikePem(bytes))
                    {
                        Add(signal, OtlpFindingId.ConfiguredFileUnreadable, OtlpSeverity.Error,
                            $"{reportAs}='{path}' is not PEM.",
                            "The specification and the SDKs read PEM keys only.",
                            $"Convert it: openssl pkey -in '{path}' -out '{path}.pem' and point {reportAs} at the PEM file.");
                    }
                }
                catch (OtlpTlsException ex)
                {
                    key = null;
                    if (reportAs is not null)
                    {
                        ReportUnreadable(signal, reportAs, path, ex);
                    }
                }

                _keys[path] = key;
                return key;
            }

            private void ReportUnreadable(OtlpSignal? signal, string variable, string path, OtlpTlsException ex)
            {
                if (ex.ErrorId == OtlpErrorId.FileNotFound)
                {
                    Add(signal, OtlpFindingId.ConfiguredFileNotFound, OtlpSeverity.Error,
                        $"{variable}='{path}' does not exist.",
                        "Go and Python exporters log the error and continue with the system trust store (so TLS fails later with 'unknown authority'); Java and .NET fail at start-up.",
                        $"Point {variable} at an existing PEM file (absolute path), or remove the variable.");
                    return;
                }

                var encrypted = ex.ErrorId is OtlpErrorId.PrivateKeyPasswordRequired or OtlpErrorId.PrivateKeyPasswordInvalid || ex.Message.IndexOf("encrypted", StringComparison.OrdinalIgnoreCase) >= 0;
                Add(signal, OtlpFindingId.ConfiguredFileUnreadable, OtlpSeverity.Error,
                    $"{variable}='{path}' cannot be used: {ex.Message}",
                    encrypted
                        ? "Exporters cannot read encrypted private keys: there is no variable for a password."
                        : "The exporter cannot load the file, so it either fails at start-up or continues without it.",
                    encrypted
                        ? $"Write an unencrypted copy readable only by the exporter's user: openssl pkey -in '{path}' -out client.key; chmod 600 client.key; then point {variable} at it."
                        : ex.RecommendedAction ?? $"Point {variable} at a readable PEM file.");
            }

            private void CheckCertificates(OtlpSignal? signal, string variable, string path, IReadOnlyList<BcCertificate> certificates, FileRole role)
            {
                if (role == FileRole.Ca && !certificates.Any(c => c.GetBasicConstraints() >= 0))
                {
                    var selfSigned = certificates.All(CertificateDescriber.IsSelfSigned);
                    Add(signal, OtlpFindingId.CaFileNotCertificateAuthority, selfSigned ? OtlpSeverity.Warning : OtlpSeverity.Error,
                        $"{variable}='{path}' holds no CA certificate (first: '{CertificateDescriber.FormatName(certificates[0].SubjectDN)}').",
                        selfSigned
                            ? "A self-signed server certificate used as its own trust anchor works only while the collector keeps exactly that certificate, and some stacks refuse non-CA anchors."
                            : "This looks like a server or client certificate: it cannot vouch for the collector's certificate, so verification fails with 'unknown authority'.",
                        $"Point {variable} at the CA certificate that issued the collector's certificate (e.g. ca.crt from New-OtlpCertificate -Type CA).");
                }

                // Validity (and, for a client certificate, its usage) is the shared certificate checker's job; restated here
                // with the variable that names the file.
                var models = certificates.Select((c, i) => CertificateDescriber.Create(c, path, i)).ToList();
                var chains = role == FileRole.Ca
                    ? models.Select(m => (IReadOnlyList<OtlpCertificate>)new[] { m }).ToList()
                    : new List<IReadOnlyList<OtlpCertificate>> { models };
                foreach (var chain in chains)
                {
                    var check = CertificateChecker.Check(chain, new CertificateCheckOptions
                    {
                        TrustedAuthorities = role == FileRole.Ca ? chain : models,
                        At = At,
                        Usage = role == FileRole.ClientCertificate ? OtlpCertificateUsage.Client : null,
                    });
                    foreach (var finding in check.Findings.Where(f => CheckedIds.Contains(f.Id)))
                    {
                        Add(signal, finding.Id, finding.Severity, $"{variable}='{path}': {finding.Message}", finding.Cause,
                            $"{finding.Remediation} Point {variable} at the new file and restart the exporter: SDKs read it only at start-up.", finding.Evidence);
                    }
                }
            }

            public void CheckOverrides()
            {
                foreach (var option in new[] { OtlpVariables.Endpoint, OtlpVariables.Protocol, OtlpVariables.Certificate, OtlpVariables.ClientCertificate, OtlpVariables.ClientKey, OtlpVariables.Insecure })
                {
                    var genericName = OtlpVariables.Name(option);
                    var generic = Get(genericName);
                    foreach (var signal in OtlpSignals.All)
                    {
                        var name = OtlpVariables.Name(option, signal);
                        var value = Get(name);
                        var tlsFile = option is OtlpVariables.Certificate or OtlpVariables.ClientCertificate or OtlpVariables.ClientKey;
                        if (value is null || (generic is null && !tlsFile) || string.Equals(value.Trim(), generic?.Trim(), StringComparison.Ordinal))
                        {
                            continue;
                        }

                        Add(signal, OtlpFindingId.SignalOverrideDiffers, OtlpSeverity.Warning,
                            generic is null
                                ? $"{name}='{value}' applies to {OtlpSignals.Name(signal)} only: the other signals have no {option.Replace('_', ' ').ToLowerInvariant()} file, since {genericName} is not set."
                                : $"{name}='{value}' overrides {genericName}='{generic}' for {OtlpSignals.Name(signal)}.",
                            tlsFile
                                ? "Per-signal variables win over the generic ones, silently. The .NET exporter reads only the generic TLS file variables, so there the per-signal one is ignored."
                                : "Per-signal variables win over the generic ones, silently: this signal goes to a different place or in a different way than the others.",
                            tlsFile
                                ? $"If all signals go to the same collector, set {genericName} and remove {name}."
                                : $"If that is not intended, remove {name} (the generic value then applies).");
                    }
                }
            }

            public void CheckProtocolSet()
            {
                if (Get(OtlpVariables.Name(OtlpVariables.Protocol)) is not null
                    || OtlpSignals.All.All(s => Get(OtlpVariables.Name(OtlpVariables.Protocol, s)) is not null)
                    || !_variables.Keys.Any(k => k.StartsWith(OtlpVariables.Prefix, StringComparison.Ordinal) && Get(k) is not null))
                {
                    return;
                }

                Add(null, OtlpFindingId.ProtocolNotSet, OtlpSeverity.Info,
                    $"{OtlpVariables.Name(OtlpVariables.Protocol)} is not set, so the exporter's own default decides.",
                    "The specification's default is http/protobuf (port 4318), but the .NET exporter and Java's autoconfigure default to grpc (port 4317); Go, Python and JS pick it by package.",
                    $"Set {OtlpVariables.Name(OtlpVariables.Protocol)}=grpc or =http/protobuf to match the collector port.");
            }

            private void Add(OtlpSignal? signal, string id, OtlpSeverity severity, string message, string cause, string remediation, string? evidence = null)
            {
                // Findings quote variable values; credentials in an endpoint or a header never leave in one.
                var secrets = _secrets ??= Secrets().ToList();
                message = Redaction.Scrub(message, secrets);
                cause = Redaction.Scrub(cause, secrets);
                remediation = Redaction.Scrub(remediation, secrets);
                evidence = evidence is null ? null : Redaction.Scrub(evidence, secrets);
                var key = id + "\n" + message;
                if (!_findings.TryGetValue(key, out var entry))
                {
                    entry = (new OtlpFinding(id, severity, OtlpStage.Configuration, message, cause, remediation, evidence), new SortedSet<OtlpSignal>());
                    _findings[key] = entry;
                }

                if (signal is { } named)
                {
                    entry.Signals.Add(named);
                }
            }

            public IEnumerable<OtlpFinding> Findings() => _findings.Values.Select(entry =>
            {
                if (entry.Signals.Count == 0)
                {
                    return entry.Finding;
                }

                var signals = "signals: " + string.Join(", ", entry.Signals.Select(OtlpSignals.Name));
                var f = entry.Finding;
                return new OtlpFinding(f.Id, f.Severity, f.Stage, f.Message, f.Cause, f.Remediation,
                    f.Evidence is null ? signals : f.Evidence + "; " + signals);
            });

            private List<string>? _secrets;

            private IEnumerable<string> Secrets()
            {
                foreach (var pair in _variables)
                {
                    if (OtlpVariables.IsHeaders(pair.Key))
                    {
                        foreach (var piece in pair.Value.Split(','))
                        {
                            var equals = piece.IndexOf('=');
                            var value = (equals < 0 ? piece : piece.Substring(equals + 1)).Trim();
                            yield return value;
                            yield return Uri.UnescapeDataString(value);
                        }

                        yield return pair.Value.Trim();
                    }
                    else if (pair.Key.StartsWith(OtlpVariables.Prefix, StringComparison.Ordinal))
                    {
                        foreach (var secret in Redaction.SecretsIn(pair.Value))
                        {
                            yield return secret;
                        }
                    }
                }
            }

            public IDictionary<string, string> ReportedVariables()
            {
                var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
                foreach (var pair in _variables)
                {
                    if (OtlpVariables.IsReported(pair.Key) && !string.IsNullOrEmpty(pair.Value))
                    {
                        result[pair.Key] = OtlpVariables.IsHeaders(pair.Key) ? Redaction.Headers(pair.Value) : Redaction.Url(pair.Value);
                    }
                }

                return result;
            }
        }
    }
}
