using System;
using System.Linq;
using OtelTls.Engine.Endpoints;
using OtelTls.Engine.Vocabulary;

namespace OtelTls.Engine.Configuration
{
    /// <summary>
    /// The findings about the variables themselves: values an exporter cannot use or reads otherwise than meant, settings
    /// that contradict each other, and per-signal overrides. The files the variables name are <see cref="OtlpEnvironmentFiles"/>'.
    /// </summary>
    internal sealed class OtlpEnvironmentChecks
    {
        private readonly OtlpVariablePrecedence _variables;
        private readonly OtlpEnvironmentFindings _findings;

        public OtlpEnvironmentChecks(OtlpVariablePrecedence variables, OtlpEnvironmentFindings findings)
        {
            _variables = variables;
            _findings = findings;
        }

        /// <summary>One signal's values: protocol, insecure flag, endpoint, then how they combine.</summary>
        public void CheckSignal(OtlpResolvedSignal resolved)
        {
            var result = resolved.Configuration;
            if (resolved.RejectedProtocol is { } protocolText)
            {
                var name = resolved.RejectedProtocolVariable;
                Add(result.Signal, OtlpFindingId.InvalidProtocolVariable, OtlpSeverity.Error,
                    $"{name}='{protocolText}' is not an OTLP protocol.",
                    "The specification allows only grpc, http/protobuf and http/json; SDKs reject anything else or fall back to their own default.",
                    $"Set {name}={OtlpProtocols.Name(OtlpProtocol.Grpc)} (port {OtlpProtocols.GrpcPort}) or {name}={OtlpProtocols.Name(OtlpProtocol.HttpProtobuf)} (port {OtlpProtocols.HttpPort}).");
            }

            if (resolved.InsecureText is { } insecureText)
            {
                var insecureName = result.InsecureSource;
                var trimmed = insecureText.Trim();
                if (!trimmed.Equals("true", StringComparison.OrdinalIgnoreCase) && !trimmed.Equals("false", StringComparison.OrdinalIgnoreCase))
                {
                    Add(result.Signal, OtlpFindingId.InvalidBooleanVariable, OtlpSeverity.Warning,
                        $"{insecureName}='{insecureText}' is neither 'true' nor 'false'; exporters read it as false.",
                        "Booleans in the OpenTelemetry environment are true only for the text 'true' (any case); every other value means false.",
                        $"Set {insecureName}=true or {insecureName}=false, or remove it.");
                }
            }

            CheckEndpoint(resolved);
            CheckSecurity(result);
        }

        private void CheckEndpoint(OtlpResolvedSignal resolved)
        {
            var result = resolved.Configuration;
            var name = resolved.EndpointVariable;
            var value = resolved.EndpointValue;
            if (resolved.EndpointOutcome == OtlpEndpointOutcome.SchemeRejected)
            {
                InvalidEndpoint(result, name ?? "default", value, resolved.EndpointProblem!);
                return;
            }

            var grpc = result.Protocol == OtlpProtocol.Grpc;
            if (!grpc && name != OtlpVariables.Name(OtlpVariables.Endpoint, result.Signal))
            {
                var genericName = OtlpVariables.Name(OtlpVariables.Endpoint);
                var path = resolved.EndpointParts.Path.TrimEnd('/');
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

            if (!resolved.EndpointParts.HasPort && name is not null)
            {
                var port = result.UsesTls ? "443" : "80";
                Add(result.Signal, OtlpFindingId.EndpointPortMissing, OtlpSeverity.Warning,
                    $"{name}='{value}' has no port, so exporters connect to port {port}, not {(OtlpProtocols.DefaultPort(result.Protocol))}.",
                    "The specification takes a missing port as the scheme's default (80 for http, 443 for https); it does not fill in the OTLP ports.",
                    $"Write the port: {name}={EndpointText.WithPort(value, OtlpProtocols.DefaultPort(result.Protocol))} (if the collector listens on the OTLP default).");
            }

            if (resolved.EndpointOutcome == OtlpEndpointOutcome.ParseFailed)
            {
                InvalidEndpoint(result, name ?? "default", value, resolved.EndpointProblem!);
                return;
            }

            var otherPort = grpc ? OtlpProtocols.HttpPort : OtlpProtocols.GrpcPort;
            if (result.Endpoint!.Port == otherPort)
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

        private void InvalidEndpoint(OtlpSignalConfiguration result, string name, string value, string why) =>
            Add(result.Signal, OtlpFindingId.InvalidEndpointVariable, OtlpSeverity.Error,
                $"{name}='{value}' cannot be used: {why}.",
                "Exporters need an http:// or https:// URL (gRPC also accepts host:port) with a valid host.",
                $"Set {name} to a URL such as https://collector:{OtlpProtocols.DefaultPort(result.Protocol)}.");

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

        /// <summary>Per-signal variables that differ from the generic one (or stand alone, for the TLS files).</summary>
        public void CheckOverrides()
        {
            foreach (var option in new[] { OtlpVariables.Endpoint, OtlpVariables.Protocol, OtlpVariables.Certificate, OtlpVariables.ClientCertificate, OtlpVariables.ClientKey, OtlpVariables.Insecure })
            {
                var genericName = OtlpVariables.Name(option);
                var generic = _variables.Get(genericName);
                foreach (var signal in OtlpSignals.All)
                {
                    var name = OtlpVariables.Name(option, signal);
                    var value = _variables.Get(name);
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

        /// <summary>Exporter variables are set but no protocol is, so each SDK's own default decides.</summary>
        public void CheckProtocolSet()
        {
            if (_variables.Get(OtlpVariables.Name(OtlpVariables.Protocol)) is not null
                || OtlpSignals.All.All(s => _variables.Get(OtlpVariables.Name(OtlpVariables.Protocol, s)) is not null)
                || !_variables.Names.Any(k => k.StartsWith(OtlpVariables.Prefix, StringComparison.Ordinal) && _variables.Get(k) is not null))
            {
                return;
            }

            Add(null, OtlpFindingId.ProtocolNotSet, OtlpSeverity.Info,
                $"{OtlpVariables.Name(OtlpVariables.Protocol)} is not set, so the exporter's own default decides.",
                "The specification's default is http/protobuf (port 4318), but the .NET exporter and Java's autoconfigure default to grpc (port 4317); Go, Python and JS pick it by package.",
                $"Set {OtlpVariables.Name(OtlpVariables.Protocol)}=grpc or =http/protobuf to match the collector port.");
        }

        private void Add(OtlpSignal? signal, string id, OtlpSeverity severity, string message, string cause, string remediation) =>
            _findings.Add(signal, id, severity, message, cause, remediation);
    }
}
