using System.Collections.Generic;
using OtelTls.Engine.Vocabulary;

namespace OtelTls.Engine.Collector
{
    /// <summary>
    /// The wording of every finding the collector configuration check raises itself: what is wrong at which key, what the
    /// collector does with it (from its configtls/configgrpc source, SDK-FACTS §1.1), and the change to make. Findings
    /// about the certificate files themselves come from the certificate checker.
    /// </summary>
    internal static class CollectorFindings
    {
        private const OtlpStage Stage = OtlpStage.Configuration;

        public static OtlpFinding EnvVariableMissing(string name, string path) => new(
            OtlpFindingId.CollectorEnvVariableMissing, OtlpSeverity.Error, Stage,
            $"{path} uses ${{env:{name}}}, and {name} is not set: the collector substitutes an empty string.",
            "Environment substitution happens when the collector loads the configuration; an unset variable becomes \"\", so a TLS path or endpoint silently disappears.",
            $"Set {name} in the collector's environment (container env, systemd Environment=), pass it with -Environment to check, or give a default: ${{env:{name}:-value}}.",
            name);

        public static OtlpFinding UnknownTopLevelKey(string key) => new(
            OtlpFindingId.CollectorUnknownKey, OtlpSeverity.Error, Stage,
            $"The top-level key '{key}' is not part of a collector configuration.",
            "The collector accepts only receivers, processors, exporters, connectors, extensions and service at the top level and refuses to start on anything else ('has invalid keys').",
            "Fix the spelling (receivers, exporters, extensions, …) or move the key under the component it belongs to.",
            key);

        public static OtlpFinding ComponentInvalid(string path, string why) => new(
            OtlpFindingId.CollectorComponentInvalid, OtlpSeverity.Error, Stage,
            $"{path}: {why}.",
            "Component ids are 'type' or 'type/name' (type: a letter, then letters, digits or underscores) and each component's settings are a mapping; the collector refuses anything else.",
            "Write the component as '<type>[/<name>]:' followed by its settings indented below it.",
            path);

        public static OtlpFinding TlsUnknownKey(string path, string key, IEnumerable<string> allowed) => new(
            OtlpFindingId.CollectorTlsUnknownKey, OtlpSeverity.Error, Stage,
            $"'{key}' is not a TLS setting ({path}).",
            "configtls decodes the tls: block strictly: an unknown key stops the collector at start-up ('has invalid keys'), and a misspelt file key would not be used anyway.",
            "Use one of: " + string.Join(", ", allowed) + ".",
            key);

        public static OtlpFinding FileAndPem(string path, string fileKey, string pemKey) => new(
            OtlpFindingId.CollectorTlsFileAndPem, OtlpSeverity.Error, Stage,
            $"Both {fileKey} and {pemKey} are set ({path}).",
            "configtls accepts either the file or the inline PEM of the same setting; with both it fails to load the TLS configuration ('provide either a … file or the PEM-encoded string, but not both').",
            $"Keep one: {fileKey} (a path the collector can read, which reload_interval can re-read) or {pemKey}.",
            null);

        public static OtlpFinding CertificateWithoutKey(string path, bool hasCertificate) => new(
            OtlpFindingId.CollectorTlsCertificateWithoutKey, OtlpSeverity.Error, Stage,
            hasCertificate ? $"{path} names a certificate but no key." : $"{path} names a key but no certificate.",
            "configtls needs both halves of a key pair ('TLS configuration must include both certificate and key'); the collector does not start.",
            hasCertificate ? "Add key_file with the certificate's private key (PEM)." : "Add cert_file with the certificate that belongs to the key (leaf first, then intermediates).",
            null);

        public static OtlpFinding ReceiverTlsWithoutCertificate(string path) => new(
            OtlpFindingId.CollectorReceiverTlsWithoutCertificate, OtlpSeverity.Error, Stage,
            $"The receiver's tls: block ({path}) has no certificate and key.",
            "A TLS server must present a certificate; the collector's server TLS validation requires cert_file/key_file (or cert_pem/key_pem) and refuses to start without them.",
            "Add cert_file (leaf followed by its intermediates) and key_file, e.g. New-OtlpCollectorConfig with the server certificate from New-OtlpCertificate.",
            null);

        public static OtlpFinding VersionInvalid(string path, string value) => new(
            OtlpFindingId.CollectorTlsVersionInvalid, OtlpSeverity.Error, Stage,
            $"{path} is '{value}', which is not a TLS version the collector knows.",
            "configtls accepts exactly \"1.0\", \"1.1\", \"1.2\" and \"1.3\" and fails with 'unsupported TLS version' otherwise. An unquoted 1.0 is read as the number 1, not \"1.0\".",
            "Write the version as a quoted string: min_version: \"1.2\" (the default) or \"1.3\".",
            value);

        public static OtlpFinding MinAboveMax(string path, OtlpTlsVersion min, OtlpTlsVersion max) => new(
            OtlpFindingId.CollectorTlsMinAboveMax, OtlpSeverity.Error, Stage,
            $"min_version {TlsVersions.CollectorName(min)} is above max_version {TlsVersions.CollectorName(max)} ({path}).",
            "No TLS version satisfies both bounds: the collector refuses the configuration.",
            $"Lower min_version or raise max_version (e.g. min_version: \"{max}\"), or drop max_version to let the collector use its highest.",
            $"min {min}, max {max}");

        public static OtlpFinding CipherSuiteUnknown(string path, string value) => new(
            OtlpFindingId.CollectorTlsCipherSuiteUnknown, OtlpSeverity.Error, Stage,
            $"'{value}' is not a cipher suite the collector knows ({path}).",
            "cipher_suites takes Go's names from tls.CipherSuites() (IANA names such as TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256); OpenSSL names like ECDHE-RSA-AES128-GCM-SHA256 and insecure suites fail with 'invalid TLS cipher suite'.",
            "Use Go/IANA names, e.g. TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384.",
            value);

        public static OtlpFinding CipherSuitesIgnored(string path) => new(
            OtlpFindingId.CollectorTlsCipherSuitesIgnored, OtlpSeverity.Warning, Stage,
            $"cipher_suites is set with min_version \"1.3\" ({path}): the list has no effect.",
            "Go does not let TLS 1.3 suites be configured; cipher_suites applies only to TLS 1.0–1.2, which min_version \"1.3\" turns off.",
            "Remove cipher_suites, or lower min_version to \"1.2\" if the TLS 1.2 restriction was the intent.",
            null);

        public static OtlpFinding CurveUnknown(string path, string value) => new(
            OtlpFindingId.CollectorTlsCurveUnknown, OtlpSeverity.Error, Stage,
            $"'{value}' is not a curve the collector knows ({path}).",
            "curve_preferences accepts P256, P384, P521, X25519 and X25519MLKEM768 (non-FIPS builds); anything else fails the TLS configuration.",
            "Use those names exactly, or remove curve_preferences to keep Go's default order (X25519MLKEM768, X25519, P521, P384, P256).",
            value);

        public static OtlpFinding ReloadIntervalInvalid(string path, string value) => new(
            OtlpFindingId.CollectorTlsReloadIntervalInvalid, OtlpSeverity.Error, Stage,
            $"reload_interval '{value}' is not a duration ({path}).",
            "reload_interval is a Go duration: a number with a unit (ns, us, ms, s, m, h), e.g. 24h or 1h30m; a bare number or a unit like 'd' fails to decode.",
            "Write it as e.g. reload_interval: 24h.",
            value);

        public static OtlpFinding ChainOrder(string path, string detail) => new(
            OtlpFindingId.CollectorCertificateChainOrder, OtlpSeverity.Error, Stage,
            $"The certificates in {path} are not in order: {detail}.",
            "The collector presents the file as it is: the first certificate must be the leaf that matches key_file, each next one the issuer of the one before. Strict clients reject a chain out of order, and a CA first makes the key not match.",
            "Write the file as leaf, then intermediate(s), without the root: cat server.crt intermediate.crt > server-chain.crt.",
            detail);

        public static OtlpFinding HttpSchemeStillTls(string path, string endpoint) => new(
            OtlpFindingId.CollectorHttpSchemeStillTls, OtlpSeverity.Warning, Stage,
            $"The gRPC exporter endpoint '{endpoint}' starts with http://, but the collector still dials TLS ({path}).",
            "In the collector's gRPC client the scheme is stripped: only tls.insecure: true turns TLS off (the opposite of the SDK rule, where http:// means plaintext). A plaintext receiver then sees a TLS ClientHello and the export fails.",
            "If the receiver is plaintext, add tls: { insecure: true }; if it uses TLS, write the endpoint without a scheme (host:4317) or with https:// so the intent is visible.",
            endpoint);

        public static OtlpFinding InsecureWithCa(string path) => new(
            OtlpFindingId.CollectorInsecureWithCa, OtlpSeverity.Warning, Stage,
            $"insecure: true is set together with a CA ({path}): the collector still dials TLS.",
            "configtls returns 'no TLS' only when insecure is true and no CA is configured; with ca_file or ca_pem the connection is TLS verified against that CA, which is rarely what insecure: true meant.",
            "For plaintext remove ca_file/ca_pem; for TLS remove insecure: true (or set it to false).",
            null);

        public static OtlpFinding InsecureSkipVerify(string path) => new(
            OtlpFindingId.CollectorInsecureSkipVerify, OtlpSeverity.Warning, Stage,
            $"insecure_skip_verify: true turns off certificate verification ({path}).",
            "The exporter accepts any certificate, so anyone on the path can impersonate the backend and read the telemetry. Acceptable only while debugging.",
            "Set ca_file to the CA that issued the server's certificate (and server_name_override if the endpoint host differs from the certificate's names), then remove insecure_skip_verify.",
            null);

        public static OtlpFinding ReceiverPlaintextOnAllInterfaces(string path, string endpoint) => new(
            OtlpFindingId.CollectorReceiverPlaintextOnAllInterfaces, OtlpSeverity.Warning, Stage,
            $"The receiver listens on {endpoint} (all interfaces) without TLS ({path}).",
            "Telemetry from every network that can reach the host travels unencrypted, and anyone can send data; exporters configured for TLS fail with 'first record does not look like a TLS handshake'.",
            "Add a tls: block with cert_file and key_file (New-OtlpCollectorConfig generates it), or bind to localhost when only local agents send.",
            endpoint);

        public static OtlpFinding ProtocolPortMismatch(string path, string endpoint, bool grpc) => new(
            OtlpFindingId.ProtocolPortMismatch, OtlpSeverity.Warning, Stage,
            grpc ? $"The gRPC component {path} uses port {OtlpProtocols.HttpPort}, the OTLP/HTTP port ('{endpoint}')." : $"The HTTP component {path} uses port {OtlpProtocols.GrpcPort}, the OTLP/gRPC port ('{endpoint}').",
            $"OTLP/gRPC listens on {OtlpProtocols.GrpcPort} and OTLP/HTTP on {OtlpProtocols.HttpPort} by convention; a gRPC client against an HTTP receiver (or the reverse) fails with a protocol error after a good TLS handshake.",
            grpc ? $"Use port {OtlpProtocols.GrpcPort} for the otlp (gRPC) exporter, or the otlphttp exporter for port {OtlpProtocols.HttpPort}." : $"Use port {OtlpProtocols.HttpPort} for otlphttp, or the otlp (gRPC) exporter for port {OtlpProtocols.GrpcPort}.",
            endpoint);

        public static OtlpFinding FileNotFound(string path, string configured, string local) => new(
            OtlpFindingId.ConfiguredFileNotFound, OtlpSeverity.Error, Stage,
            $"{path} names '{configured}', which does not exist" + (configured == local ? "." : $" (checked as '{local}')."),
            "The collector fails to load the TLS configuration at start-up (or at the first handshake) when a file is missing.",
            "Fix the path, or mount the file where the collector expects it; with a container, map the mount path to the local folder with -CollectorPath/-LocalPath.",
            local);

        public static OtlpFinding FileUnreadable(string path, string local, string why) => new(
            OtlpFindingId.ConfiguredFileUnreadable, OtlpSeverity.Error, Stage,
            $"{path}: '{local}' cannot be used: {why}",
            "The collector reads PEM only (Go's tls.X509KeyPair and x509.CertPool.AppendCertsFromPEM); DER, PKCS#12, encrypted keys and unreadable files fail to load.",
            "Convert to PEM (openssl x509 -in cert.der -inform der -out cert.pem; openssl pkey -in key.p12 -out key.pem) and make it readable by the collector's user.",
            local);

        public static OtlpFinding RelativePath(string path, string configured) => new(
            OtlpFindingId.RelativeFilePath, OtlpSeverity.Warning, Stage,
            $"{path} is the relative path '{configured}'.",
            "The collector resolves relative paths against its own working directory, which differs between a shell, systemd and a container.",
            "Use an absolute path (in a container, the mount path, e.g. /etc/otelcol/tls/server.crt).",
            configured);

        public static OtlpFinding NotCertificateAuthority(string path, string local) => new(
            OtlpFindingId.CaFileNotCertificateAuthority, OtlpSeverity.Error, Stage,
            $"{path} ('{local}') holds no certificate authority.",
            "A CA file must hold the CA that issued the peer's certificate; with a leaf certificate in it, the peer's chain cannot be verified and every handshake fails.",
            "Point it at the CA certificate (New-OtlpCertificate -Type CA writes it) — for client_ca_file, the CA that issues the exporters' client certificates.",
            local);
    }
}
