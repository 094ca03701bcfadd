using OtelTls.Engine.Endpoints;
using OtelTls.Engine.Vocabulary;

namespace OtelTls.Engine.Configuration
{
    /// <summary>
    /// The wording of every finding about the exporter environment: the variables' values (raised by
    /// <see cref="OtlpEnvironmentChecks"/>) and the files they name (raised by <see cref="OtlpEnvironmentFiles"/>). Each
    /// says what the exporter does with the value, why it fails, and the variable to change. Credentials quoted here are
    /// scrubbed by <see cref="OtlpEnvironmentFindings"/> before a finding leaves.
    /// </summary>
    internal static class ConfigurationFindings
    {
        public static OtlpFinding InvalidProtocolVariable(string? name, string text) => New(
            OtlpFindingId.InvalidProtocolVariable, OtlpSeverity.Error,
            $"{name}='{text}' is not an OTLP protocol.",
            "The specification allows only grpc, http/protobuf and http/json; SDKs reject anything else or fall back to their own default.",
            $"Set {name}={OtlpProtocols.Name(OtlpProtocol.Grpc)} (port {OtlpProtocols.GrpcPort}) or {name}={OtlpProtocols.Name(OtlpProtocol.HttpProtobuf)} (port {OtlpProtocols.HttpPort}).");

        public static OtlpFinding InvalidBooleanVariable(string? name, string text) => New(
            OtlpFindingId.InvalidBooleanVariable, OtlpSeverity.Warning,
            $"{name}='{text}' is neither 'true' nor 'false'; exporters read it as false.",
            "Booleans in the OpenTelemetry environment are true only for the text 'true' (any case); every other value means false.",
            $"Set {name}=true or {name}=false, or remove it.");

        public static OtlpFinding SignalPathInGenericEndpoint(string genericName, string value, OtlpSignal signal)
        {
            var signalPath = OtlpSignals.HttpPath(signal);
            var trimmed = value.TrimEnd('/');
            return New(
                OtlpFindingId.SignalPathInGenericEndpoint, OtlpSeverity.Error,
                $"{genericName}='{value}' already ends in {signalPath}, so HTTP exporters append another signal path ('{trimmed}{signalPath}').",
                "The generic endpoint is a base URL: exporters append /v1/traces, /v1/metrics or /v1/logs to it. Only the per-signal variables are used as is.",
                $"Set {genericName}={value.Substring(0, trimmed.Length - signalPath.Length)} (without the signal path), or move the full URL to {OtlpVariables.Name(OtlpVariables.Endpoint, signal)}.");
        }

        public static OtlpFinding EndpointPortMissing(string name, string value, bool usesTls, OtlpProtocol protocol)
        {
            var defaultPort = OtlpProtocols.DefaultPort(protocol);
            return New(
                OtlpFindingId.EndpointPortMissing, OtlpSeverity.Warning,
                $"{name}='{value}' has no port, so exporters connect to port {(usesTls ? "443" : "80")}, not {defaultPort}.",
                "The specification takes a missing port as the scheme's default (80 for http, 443 for https); it does not fill in the OTLP ports.",
                $"Write the port: {name}={EndpointText.WithPort(value, defaultPort)} (if the collector listens on the OTLP default).");
        }

        /// <param name="protocolVariable">The protocol and where it came from, e.g. "the default protocol grpc".</param>
        /// <param name="otherPort">The other protocol's port, which the endpoint names.</param>
        /// <param name="name">The endpoint variable.</param>
        /// <param name="value">Its value.</param>
        /// <param name="grpc">Whether the exporter speaks gRPC.</param>
        public static OtlpFinding ProtocolPortMismatch(string protocolVariable, int otherPort, string name, string value, bool grpc) => New(
            OtlpFindingId.ProtocolPortMismatch, OtlpSeverity.Error,
            $"{protocolVariable} is sent to port {otherPort} ({name}='{value}'), which is the OTLP/{(grpc ? "HTTP" : "gRPC")} port.",
            grpc
                ? "A gRPC exporter talking to the HTTP receiver fails (HTTP/2 preface to an HTTP/1.1 server, 'frame too large' or 'bogus greeting' errors)."
                : "An HTTP/protobuf exporter talking to the gRPC receiver fails ('http2Server.HandleStreams received bogus greeting from client: \"POST /v1/…\"').",
            grpc
                ? $"Either set {OtlpVariables.Name(OtlpVariables.Protocol)}={OtlpProtocols.Name(OtlpProtocol.HttpProtobuf)}, or point the endpoint at port {OtlpProtocols.GrpcPort}."
                : $"Either set {OtlpVariables.Name(OtlpVariables.Protocol)}={OtlpProtocols.Name(OtlpProtocol.Grpc)}, or point the endpoint at port {OtlpProtocols.HttpPort}.");

        public static OtlpFinding InvalidEndpointVariable(string name, string value, string why, OtlpProtocol protocol) => New(
            OtlpFindingId.InvalidEndpointVariable, OtlpSeverity.Error,
            $"{name}='{value}' cannot be used: {why}.",
            "Exporters need an http:// or https:// URL (gRPC also accepts host:port) with a valid host.",
            $"Set {name} to a URL such as https://collector:{OtlpProtocols.DefaultPort(protocol)}.");

        public static OtlpFinding InsecureIgnored(string? insecureVariable, string? endpointVariable, string endpoint) => New(
            OtlpFindingId.InsecureIgnored, OtlpSeverity.Warning,
            $"{insecureVariable}=true has no effect with {endpointVariable}='{endpoint}': the https:// scheme decides, so the exporter uses TLS.",
            "The specification applies INSECURE only to gRPC endpoints without a scheme. The Go SDK diverges: it applies INSECURE after the scheme (also for HTTP) and would send plaintext to an https:// endpoint.",
            $"Remove {insecureVariable}; to send plaintext, use an http:// endpoint instead.");

        /// <param name="endpointVariable">The endpoint variable.</param>
        /// <param name="endpoint">Its value.</param>
        /// <param name="fileVariables">The TLS file variables that are set.</param>
        /// <param name="httpScheme">True for an http:// endpoint; false for a scheme-less gRPC endpoint made plaintext by INSECURE.</param>
        /// <param name="insecureVariable">The INSECURE variable, when that is what turned TLS off.</param>
        public static OtlpFinding TlsFilesIgnored(string? endpointVariable, string endpoint, string[] fileVariables, bool httpScheme, string? insecureVariable) => New(
            OtlpFindingId.TlsFilesIgnored, OtlpSeverity.Warning,
            $"{endpointVariable}='{endpoint}' means plaintext, so {string.Join(", ", fileVariables)} {(fileVariables.Length == 1 ? "is" : "are")} not used.",
            httpScheme
                ? "An http:// endpoint means no TLS; certificate variables only apply to TLS connections."
                : $"The gRPC endpoint has no scheme and {insecureVariable}=true turns TLS off.",
            httpScheme
                ? $"Use https:// in {endpointVariable} if the collector serves TLS, or remove the certificate variables."
                : $"Remove {insecureVariable} (or write https:// in the endpoint) if the collector serves TLS.");

        /// <param name="present">The variable that is set.</param>
        /// <param name="missing">The variable that is not.</param>
        /// <param name="certificatePresent">True when the certificate is set and the key is missing.</param>
        public static OtlpFinding ClientCertificateIncomplete(string present, string missing, bool certificatePresent) => New(
            OtlpFindingId.ClientCertificateIncomplete, OtlpSeverity.Error,
            $"{present} is set but {missing} is not: no client certificate can be sent.",
            "Mutual TLS needs both the certificate and its key. Go and Node drop the pair silently, Rust warns, Java fails at start-up ('Client key provided but certification chain is missing').",
            $"Set {missing} to the matching {(certificatePresent ? "private key" : "certificate")} file (PEM), or remove {present}.");

        public static OtlpFinding ClientCertificateWithoutCa(string? certificateVariable, string? keyVariable)
        {
            var ca = OtlpVariables.Name(OtlpVariables.Certificate);
            return New(
                OtlpFindingId.ClientCertificateWithoutCa, OtlpSeverity.Warning,
                $"{certificateVariable} and {keyVariable} are set without {ca}: Java (gRPC) and Python (gRPC) exporters then send no client certificate.",
                "The Python gRPC exporter reads the client pair only inside its CA branch, and the Java gRPC sender installs the key manager only with trusted certificates configured.",
                $"Also set {ca} to the CA that signed the collector's certificate (its public CA bundle works too).");
        }

        /// <param name="name">The per-signal variable.</param>
        /// <param name="value">Its value.</param>
        /// <param name="genericName">The generic variable.</param>
        /// <param name="generic">The generic variable's value, or null when it is not set.</param>
        /// <param name="signal">The signal the per-signal variable applies to.</param>
        /// <param name="option">The option's name part, e.g. CLIENT_KEY.</param>
        /// <param name="tlsFile">Whether the option names a TLS file.</param>
        public static OtlpFinding SignalOverrideDiffers(string name, string value, string genericName, string? generic, OtlpSignal signal, string option, bool tlsFile) => New(
            OtlpFindingId.SignalOverrideDiffers, OtlpSeverity.Warning,
            generic is null
                ? $"{name}='{value}' applies to {OtlpSignals.Name(signal)} only: the other signals have no {option.Replace('_', ' ').ToLowerInvariant()} file, since {genericName} is not set."
                : $"{name}='{value}' overrides {genericName}='{generic}' for {OtlpSignals.Name(signal)}.",
            tlsFile
                ? "Per-signal variables win over the generic ones, silently. The .NET exporter reads only the generic TLS file variables, so there the per-signal one is ignored."
                : "Per-signal variables win over the generic ones, silently: this signal goes to a different place or in a different way than the others.",
            tlsFile
                ? $"If all signals go to the same collector, set {genericName} and remove {name}."
                : $"If that is not intended, remove {name} (the generic value then applies).");

        public static OtlpFinding ProtocolNotSet()
        {
            var protocol = OtlpVariables.Name(OtlpVariables.Protocol);
            return New(
                OtlpFindingId.ProtocolNotSet, OtlpSeverity.Info,
                $"{protocol} is not set, so the exporter's own default decides.",
                "The specification's default is http/protobuf (port 4318), but the .NET exporter and Java's autoconfigure default to grpc (port 4317); Go, Python and JS pick it by package.",
                $"Set {protocol}=grpc or =http/protobuf to match the collector port.");
        }

        public static OtlpFinding RelativeFilePath(string variable, string path, string fullPath) => New(
            OtlpFindingId.RelativeFilePath, OtlpSeverity.Warning,
            $"{variable}='{path}' is a relative path.",
            "Each SDK resolves it against its own working directory, which differs between a shell, a service and a container.",
            $"Use an absolute path: {variable}={fullPath}.");

        public static OtlpFinding CertificateFileNotPem(string variable, string path) => New(
            OtlpFindingId.ConfiguredFileUnreadable, OtlpSeverity.Error,
            $"{variable}='{path}' is not PEM.",
            "The specification and the SDKs read PEM files only; DER or PKCS#12 files fail to load.",
            $"Convert it: openssl x509 -in '{path}' -out '{path}.pem' (or 'openssl pkcs12 -in … -nokeys' for a .pfx) and point {variable} at the PEM file.");

        public static OtlpFinding KeyFileNotPem(string variable, string path) => New(
            OtlpFindingId.ConfiguredFileUnreadable, OtlpSeverity.Error,
            $"{variable}='{path}' is not PEM.",
            "The specification and the SDKs read PEM keys only.",
            $"Convert it: openssl pkey -in '{path}' -out '{path}.pem' and point {variable} at the PEM file.");

        public static OtlpFinding ConfiguredFileNotFound(string variable, string path) => New(
            OtlpFindingId.ConfiguredFileNotFound, OtlpSeverity.Error,
            $"{variable}='{path}' does not exist.",
            "Go and Python exporters log the error and continue with the system trust store (so TLS fails later with 'unknown authority'); Java and .NET fail at start-up.",
            $"Point {variable} at an existing PEM file (absolute path), or remove the variable.");

        /// <param name="variable">The variable that names the file.</param>
        /// <param name="path">The file.</param>
        /// <param name="problem">Why the file cannot be loaded.</param>
        /// <param name="encryptedKey">Whether the file is an encrypted private key.</param>
        /// <param name="action">The loader's own advice, if it has one.</param>
        public static OtlpFinding ConfiguredFileUnusable(string variable, string path, string problem, bool encryptedKey, string? action) => New(
            OtlpFindingId.ConfiguredFileUnreadable, OtlpSeverity.Error,
            $"{variable}='{path}' cannot be used: {problem}",
            encryptedKey
                ? "Exporters cannot read encrypted private keys: there is no variable for a password."
                : "The exporter cannot load the file, so it either fails at start-up or continues without it.",
            encryptedKey
                ? $"Write an unencrypted copy readable only by the exporter's user: openssl pkey -in '{path}' -out client.key; chmod 600 client.key; then point {variable} at it."
                : action ?? $"Point {variable} at a readable PEM file.");

        /// <param name="variable">The CA variable.</param>
        /// <param name="path">The file it names.</param>
        /// <param name="firstSubject">The subject of the file's first certificate.</param>
        /// <param name="selfSigned">Whether every certificate in the file is self-signed (a server certificate used as its own anchor).</param>
        public static OtlpFinding CaFileNotCertificateAuthority(string variable, string path, string firstSubject, bool selfSigned) => New(
            OtlpFindingId.CaFileNotCertificateAuthority, selfSigned ? OtlpSeverity.Warning : OtlpSeverity.Error,
            $"{variable}='{path}' holds no CA certificate (first: '{firstSubject}').",
            selfSigned
                ? "A self-signed server certificate used as its own trust anchor works only while the collector keeps exactly that certificate, and some stacks refuse non-CA anchors."
                : "This looks like a server or client certificate: it cannot vouch for the collector's certificate, so verification fails with 'unknown authority'.",
            $"Point {variable} at the CA certificate that issued the collector's certificate (e.g. ca.crt from New-OtlpCertificate -Type CA).");

        /// <param name="keyVariable">The client key variable.</param>
        /// <param name="keyPath">The key file.</param>
        /// <param name="certificateVariable">The client certificate variable.</param>
        /// <param name="certificatePath">The certificate file.</param>
        /// <param name="subject">The certificate's subject.</param>
        public static OtlpFinding ClientKeyMismatch(string? keyVariable, string keyPath, string? certificateVariable, string? certificatePath, string subject) => New(
            OtlpFindingId.ClientKeyMismatch, OtlpSeverity.Error,
            $"The client key '{keyPath}' ({keyVariable}) does not belong to the client certificate '{certificatePath}' ({certificateVariable}).",
            "The TLS stack cannot sign the handshake with a key that does not match the certificate; exporters fail to load the pair or the server rejects the handshake.",
            $"Point {keyVariable} at the key issued with '{subject}'; compare 'openssl x509 -noout -pubkey -in <crt>' with 'openssl pkey -pubout -in <key>'.");

        /// <summary>A finding of the shared certificate checker about a file, restated with the variable that names the file.</summary>
        public static OtlpFinding InConfiguredFile(string variable, string path, OtlpFinding finding) => New(
            finding.Id, finding.Severity,
            $"{variable}='{path}': {finding.Message}",
            finding.Cause,
            $"{finding.Remediation} Point {variable} at the new file and restart the exporter: SDKs read it only at start-up.",
            finding.Evidence);

        private static OtlpFinding New(string id, OtlpSeverity severity, string message, string cause, string remediation, string? evidence = null) =>
            new(id, severity, OtlpStage.Configuration, message, cause, remediation, evidence);
    }
}
