using System.Collections.Generic;
using System.Linq;
using OtelTls.Engine.Endpoints;
using OtelTls.Engine.Vocabulary;

namespace OtelTls.Engine.Diagnosis
{
    /// <summary>
    /// The wording of every finding the endpoint diagnosis raises itself: what happened, why exporters fail on it, and
    /// the change to make on which side. Certificate, trust and hostname findings come from the certificate checker.
    /// </summary>
    internal static class DiagnosisFindings
    {
        private const string ServerTlsYaml = "receivers: { otlp: { protocols: { grpc: { tls: { cert_file: /certs/server.crt, key_file: /certs/server.key } } } } }";

        public static OtlpFinding DnsResolutionFailed(OtlpEndpoint endpoint, string detail) => new(
            OtlpFindingId.DnsResolutionFailed, OtlpSeverity.Error, OtlpStage.Network,
            $"'{endpoint.Host}' does not resolve to an address.",
            "No exporter can connect to a name that DNS does not know; TLS was never reached.",
            $"Check the spelling and the DNS search domain (in Kubernetes: <service>.<namespace>.svc.cluster.local). Try: nslookup {endpoint.Host}",
            detail);

        public static OtlpFinding ConnectionRefused(OtlpEndpoint endpoint, string addresses) => new(
            OtlpFindingId.ConnectionRefused, OtlpSeverity.Error, OtlpStage.Network,
            $"Nothing listens on {endpoint.Authority}: the connection was refused.",
            "The collector is not running, listens on another port or interface (a receiver bound to localhost inside a container), or a firewall rejects the connection.",
            $"Check the receiver's endpoint in the collector config (receivers.otlp.protocols.grpc.endpoint: 0.0.0.0:{OtlpProtocols.GrpcPort}, http: 0.0.0.0:{OtlpProtocols.HttpPort}) and that the port is published. gRPC uses {OtlpProtocols.GrpcPort}, HTTP {OtlpProtocols.HttpPort}.",
            addresses);

        public static OtlpFinding ConnectionTimedOut(OtlpEndpoint endpoint, string detail) => new(
            OtlpFindingId.ConnectionTimedOut, OtlpSeverity.Error, OtlpStage.Network,
            $"No TCP connection to {endpoint.Authority} within the time limit.",
            "Packets are dropped on the way: a firewall, a security group, a network policy, or a host that is down.",
            "Check firewalls and network policies between exporter and collector, then retry with a larger -TimeoutSec.",
            detail);

        public static OtlpFinding TlsNotEnabled(OtlpEndpoint endpoint, string kind)
        {
            var askedForPlaintext = endpoint.TlsRequested == false;
            return new OtlpFinding(
                OtlpFindingId.TlsNotEnabled, askedForPlaintext ? OtlpSeverity.Warning : OtlpSeverity.Error, OtlpStage.Tls,
                askedForPlaintext
                    ? $"{endpoint.Authority} speaks plaintext ({kind}), as the http:// endpoint asks: telemetry travels unencrypted."
                    : $"{endpoint.Authority} answered the TLS ClientHello in plaintext: {kind}.",
                "The receiver has no tls: block, so it expects plaintext; a TLS client then fails with 'first record does not look like a TLS handshake', 'wrong version number' or 'bogus greeting'.",
                "Either enable TLS on the receiver (" + ServerTlsYaml + "), or make the exporter use plaintext: OTEL_EXPORTER_OTLP_ENDPOINT=http://" + endpoint.Authority +
                " (gRPC without a scheme: OTEL_EXPORTER_OTLP_INSECURE=true; collector exporter: tls: { insecure: true }). Plaintext is only acceptable inside a trusted network.",
                kind);
        }

        public static OtlpFinding HandshakeTimedOut(OtlpEndpoint endpoint, bool anyBytes) => new(
            OtlpFindingId.HandshakeTimedOut, OtlpSeverity.Error, OtlpStage.Tls,
            anyBytes ? $"{endpoint.Authority} started the TLS handshake but did not finish it in time." : $"{endpoint.Authority} accepted the TCP connection but never answered the TLS ClientHello.",
            "A proxy or load balancer that accepts connections without a backend, a server waiting for a different protocol, or an overloaded receiver.",
            "Check what really listens on the port (ss -ltnp on the host), the load balancer's backend health, and the collector logs; retry with a larger -TimeoutSec.",
            null);

        public static OtlpFinding HandshakeReset(OtlpEndpoint endpoint, string detail) => new(
            OtlpFindingId.HandshakeReset, OtlpSeverity.Error, OtlpStage.Tls,
            $"{endpoint.Authority} closed or reset the connection during the TLS handshake without a TLS alert.",
            "Servers that require SNI or a specific name, TLS-terminating proxies without a matching route, or a non-TLS service that drops unknown bytes.",
            "Retry with -ServerName set to the name the certificate is for; check the proxy's SNI routes and the collector logs for 'TLS handshake error'.",
            detail);

        public static OtlpFinding ProtocolVersionMismatch(OtlpEndpoint endpoint, IEnumerable<OtlpTlsVersion> offered, IEnumerable<OtlpTlsVersion> serverSupports) => new(
            OtlpFindingId.ProtocolVersionMismatch, OtlpSeverity.Error, OtlpStage.Tls,
            $"{endpoint.Authority} shares no TLS version with the client (client offers {string.Join(", ", offered.Select(TlsVersions.DisplayName))}; server accepts {Describe(serverSupports)}).",
            "The receiver's min_version/max_version and the exporter's allowed versions do not overlap; current SDKs offer TLS 1.2 and 1.3 only.",
            "Allow TLS 1.2 and 1.3 on the receiver (tls: { min_version: \"1.2\" }) or on whichever side restricts them; never re-enable TLS 1.0/1.1 on clients.",
            null);

        public static OtlpFinding CipherSuiteMismatch(OtlpEndpoint endpoint, string serverSuite) => new(
            OtlpFindingId.CipherSuiteMismatch, OtlpSeverity.Error, OtlpStage.Tls,
            $"{endpoint.Authority} accepts none of the cipher suites a current client offers; it only agreed to {serverSuite}.",
            "The receiver's cipher_suites list is restricted to suites that exporters no longer offer (non-ECDHE or CBC suites).",
            "Remove the collector's tls.cipher_suites setting or add ECDHE AES-GCM / ChaCha20 suites (TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256).",
            serverSuite);

        public static OtlpFinding HandshakeFailed(OtlpEndpoint endpoint, string alert, bool raisedByClient) => new(
            OtlpFindingId.HandshakeFailed, OtlpSeverity.Error, OtlpStage.Tls,
            raisedByClient ? $"The TLS client aborted the handshake with {endpoint.Authority}: {alert}." : $"{endpoint.Authority} rejected the TLS handshake with the alert {alert}.",
            "The two sides disagree on a handshake parameter (signature algorithms, groups, a required extension) or the server refuses this client.",
            $"Reproduce with openssl (see OpenSslCommand) and read the collector log line for this connection; compare the receiver's tls settings with the exporter's.",
            alert);

        public static OtlpFinding LegacyProtocolEnabled(OtlpEndpoint endpoint, IEnumerable<OtlpTlsVersion> legacy) => new(
            OtlpFindingId.LegacyProtocolEnabled, OtlpSeverity.Warning, OtlpStage.Tls,
            $"{endpoint.Authority} still accepts {string.Join(" and ", legacy.Select(TlsVersions.DisplayName))}.",
            "TLS 1.0 and 1.1 are deprecated (RFC 8996): weak ciphers and downgrade attacks; no current exporter needs them.",
            "Set tls: { min_version: \"1.2\" } on the receiver (the collector's default is 1.2; something lowered it).",
            string.Join(", ", legacy));

        public static OtlpFinding AlpnH2NotNegotiated(OtlpEndpoint endpoint, string? alpn) => new(
            OtlpFindingId.AlpnH2NotNegotiated, OtlpSeverity.Error, OtlpStage.Tls,
            $"{endpoint.Authority} did not select ALPN 'h2' ({(alpn is null ? "no ALPN protocol selected" : alpn.StartsWith("refused", System.StringComparison.Ordinal) ? alpn : "selected '" + alpn + "'")}); OTLP/gRPC needs HTTP/2.",
            "gRPC clients require h2 via ALPN (grpc-go rejects the connection since 1.67; others fail with 'protocol error' or 'bogus greeting'). A TLS-terminating proxy or an HTTP/1.1-only listener is in front of the collector.",
            "Enable HTTP/2 (ALPN h2) on the proxy or load balancer in front of the receiver (nginx: listen ... ssl http2 + grpc_pass; AWS ALB: gRPC target group), or export over HTTP/protobuf to port 4318 (OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf).",
            alpn);

        public static OtlpFinding NotAnHttp2Server(OtlpEndpoint endpoint, string? answer, System.TimeSpan window) => new(
            OtlpFindingId.NotAnHttp2Server, OtlpSeverity.Error, OtlpStage.Otlp,
            $"{endpoint.Authority} completes TLS and selects ALPN 'h2', but it is not an HTTP/2 server: it answered the HTTP/2 connection preface with " +
            (answer ?? $"nothing within {window.TotalMilliseconds:F0} ms") + ", where an HTTP/2 server sends its SETTINGS frame at once.",
            "The port is a TLS endpoint of something else: a TLS terminator or a tunnel (stunnel, a load balancer's TCP/TLS listener) with no HTTP/2 backend, " +
            "a test server such as 'openssl s_server' that advertises h2, or a service that is not an OTLP receiver. Exporters hang until their timeout " +
            "(gRPC 'DEADLINE_EXCEEDED', HTTP clients 'timeout awaiting response headers') instead of failing with a clear error.",
            "Point the exporter at the collector's OTLP receiver port (gRPC 4317, HTTP 4318), or give the proxy an HTTP/2 backend (nginx: grpc_pass to the receiver; " +
            "a TCP/TLS listener must forward to a port where the collector's receiver listens). Check what listens behind the port: " +
            "curl -v --http2 https://" + endpoint.Authority + "/ should show an HTTP/2 response.",
            answer);

        public static OtlpFinding ClientCertificateRequired(OtlpEndpoint endpoint, IReadOnlyList<string> authorities, string? alert) => new(
            OtlpFindingId.ClientCertificateRequired, OtlpSeverity.Error, OtlpStage.ClientAuth,
            $"{endpoint.Authority} requires a client certificate (mTLS) and none was supplied" + (alert is null ? "." : $"; it ended the connection with {alert}."),
            "The receiver has tls.client_ca_file set, so it accepts only clients that present a certificate issued by that CA." +
            (authorities.Count > 0 ? " It names the CAs it accepts: " + string.Join("; ", authorities) + "." : " It named no acceptable CAs."),
            "Give the exporter a client certificate issued by one of those CAs: OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE=/certs/client.crt and OTEL_EXPORTER_OTLP_CLIENT_KEY=/certs/client.key " +
            "(create one: New-OtlpCertificate -Type Client -Signer <ca> -Name client), then rerun with -ClientCertificate and -ClientKey.",
            authorities.Count > 0 ? string.Join("; ", authorities) : null);

        public static OtlpFinding ClientCertificateRejected(OtlpEndpoint endpoint, string subject, string alert, IReadOnlyList<string> authorities) => new(
            OtlpFindingId.ClientCertificateRejected, OtlpSeverity.Error, OtlpStage.ClientAuth,
            $"{endpoint.Authority} refused the client certificate '{subject}' with {alert}.",
            "The receiver could not verify the client certificate against its client_ca_file: a different issuer, a missing intermediate (the .NET exporter sends only the leaf), an expired certificate, or no clientAuth usage.",
            "Issue the client certificate from the CA in the receiver's tls.client_ca_file" +
            (authorities.Count > 0 ? " (the server accepts: " + string.Join("; ", authorities) + ")" : string.Empty) +
            ", or add its issuing CA (and intermediates) to client_ca_file. Inspect it: openssl verify -CAfile <client_ca_file> client.crt",
            alert);

        public static OtlpFinding ClientCertificateIssuerNotAccepted(string subject, string issuer, IReadOnlyList<string> authorities) => new(
            OtlpFindingId.ClientCertificateIssuerNotAccepted, OtlpSeverity.Warning, OtlpStage.ClientAuth,
            $"The client certificate '{subject}' is issued by '{issuer}', which is not among the CAs the server says it accepts.",
            "Clients that pick a certificate by the server's CA list (Go's crypto/tls, so the collector and Go SDKs) then silently send no certificate at all and fail as if none were configured.",
            "Use a client certificate issued by one of: " + string.Join("; ", authorities) + ", or add '" + issuer + "' to the receiver's tls.client_ca_file.",
            string.Join("; ", authorities));

        public static OtlpFinding ClientKeyMismatch(string certificatePath, string? keyPath) => new(
            OtlpFindingId.ClientKeyMismatch, OtlpSeverity.Error, OtlpStage.ClientAuth,
            $"The client key {keyPath} does not belong to the client certificate {certificatePath}.",
            "A TLS client signs the handshake with the key; the server checks the signature against the certificate's public key and fails the handshake (decrypt_error).",
            "Pair the certificate with the key it was issued for; compare: openssl x509 -in <cert> -noout -pubkey and openssl pkey -in <key> -pubout. The certificate was not sent by the probe.",
            null);

        public static OtlpFinding ClientCertificateNotForClientAuth(string subject, IEnumerable<string> ekus) => new(
            OtlpFindingId.ClientCertificateNotForClientAuth, OtlpSeverity.Error, OtlpStage.ClientAuth,
            $"The client certificate '{subject}' does not allow client authentication (extended key usage: {string.Join(", ", ekus)}).",
            "Servers verifying client certificates require the clientAuth extended key usage when the extension is present (Go: 'x509: certificate specifies an incompatible key usage').",
            "Reissue it with clientAuth: New-OtlpCertificate -Type Client -Signer <ca> -Name client (openssl: extendedKeyUsage = clientAuth).",
            string.Join(", ", ekus));

        public static OtlpFinding PlatformDisagreement(string probe, string platform) => new(
            OtlpFindingId.PlatformDisagreement, OtlpSeverity.Warning, OtlpStage.Tls,
            $"The .NET TLS stack disagrees with the diagnostic probe: probe {probe}; .NET {platform}.",
            "The .NET exporter uses this platform stack (SslStream over the OS TLS library), which has its own trust store, version and cipher policy; OpenSSL's configuration (/etc/ssl/openssl.cnf) or Windows SChannel settings can differ from other clients.",
            "Trust the .NET result for .NET exporters and the probe's for others; check the OS crypto policy (update-crypto-policies, openssl.cnf MinProtocol/CipherString) or the Windows TLS registry settings.",
            null);

        /// <summary>
        /// The probe sent the client certificate with the intermediates of its file and was accepted; .NET sends the leaf
        /// alone (as the OpenTelemetry .NET exporter does) and was refused: the server trusts only the root.
        /// </summary>
        public static OtlpFinding PlatformClientChainNotSent(string leaf, string issuer, string certificateFile, string platform) => new(
            OtlpFindingId.PlatformDisagreement, OtlpSeverity.Warning, OtlpStage.ClientAuth,
            $"The server accepts the client certificate '{leaf}' with its intermediate, but refuses it from .NET, which sends the leaf only (.NET: {platform}).",
            $"'{leaf}' is issued by the intermediate '{issuer}'. The probe (like Go, Java and OpenSSL clients) sends the intermediates that follow the leaf in '{certificateFile}'; .NET's SslStream, and so the OpenTelemetry .NET exporter, sends only the leaf, and a server that trusts only the root cannot build the path.",
            $"For .NET exporters: add the intermediate '{issuer}' to the collector's client_ca_file (next to the root), or issue the client certificate directly from the root. Other SDKs work as they are.",
            null);

        private static string Describe(IEnumerable<OtlpTlsVersion> versions)
        {
            var list = versions.Select(TlsVersions.DisplayName).ToList();
            return list.Count == 0 ? "none that were tried" : string.Join(", ", list);
        }
    }
}
