using System.Collections.Generic;
using static OtelTls.OtlpFindingId;
using OtelTls.Engine.Vocabulary;

namespace OtelTls.Engine.Explain
{
    /// <summary>
    /// The wording of findings read from an error message rather than measured at an endpoint: what the message means,
    /// why it happens, and the fix — with the runtime's own way to trust a CA where that differs (Node ignores the OS
    /// store, Java ignores SSL_CERT_FILE, requests uses certifi, gRPC C-core its bundled roots).
    /// </summary>
    internal static class ExplainFindings
    {
        private sealed class Text
        {
            public Text(OtlpStage stage, string message, string cause, string remediation)
            {
                Stage = stage;
                Message = message;
                Cause = cause;
                Remediation = remediation;
            }

            public OtlpStage Stage { get; }
            public string Message { get; }
            public string Cause { get; }
            public string Remediation { get; }
        }

        private static readonly Dictionary<string, Text> Texts = new()
        {
            [UnknownAuthority] = new(OtlpStage.Trust,
                "The client does not trust the authority that issued the collector's certificate.",
                "The chain the server sends ends at a CA that is not in the client's trust store: a private CA the exporter was not given, or the wrong CA file. The same words appear when the server leaves out an intermediate.",
                "Give the exporter the CA that issued the collector's certificate: OTEL_EXPORTER_OTLP_CERTIFICATE=/path/ca.crt (collector exporters: tls.ca_file)."),
            [IncompleteChain] = new(OtlpStage.Trust,
                "The client could not build a path from the collector's certificate to a trusted root: the issuer of the leaf is missing.",
                "The server sends only its leaf, without the intermediate CA that signed it, so a client that trusts only the root cannot connect the two.",
                "Serve the full chain: put the leaf followed by its intermediate(s) in the collector's tls.cert_file (cat server.crt intermediate.crt > server-chain.crt)."),
            [SelfSignedCertificate] = new(OtlpStage.Trust,
                "The collector presents a self-signed certificate that the client does not trust.",
                "No CA issued the certificate; only a client given that exact certificate as its trust anchor can accept it.",
                "Issue the collector's certificate from a CA (New-OtlpCertificate -Type CA, then -Type Server) and give clients the CA; or give the client the self-signed certificate as its CA file."),
            [CertificateExpired] = new(OtlpStage.Certificate,
                "A certificate in the chain has expired (or the client's clock is wrong).",
                "Every TLS client rejects a certificate outside its validity window; certificates rotated on disk are not used until the collector reloads them.",
                "Renew the certificate (New-OtlpCertificate -Type Server …), deploy it, and set tls.reload_interval on the receiver or restart the collector; check the client's clock."),
            [CertificateNotYetValid] = new(OtlpStage.Certificate,
                "A certificate in the chain is not valid yet (or the client's clock is behind).",
                "The certificate's NotBefore lies in the client's future: it was issued with a future start date, or the client's clock is wrong.",
                "Check the client's time (NTP), or reissue the certificate with a NotBefore in the past."),
            [HostnameMismatch] = new(OtlpStage.Hostname,
                "The collector's certificate does not name the host the client connects to.",
                "Clients compare the host of the endpoint with the certificate's subject alternative names only; an IP address needs an IP SAN.",
                "Reissue the certificate with the name the exporters use (New-OtlpCertificate -Type Server -DnsName <host> -IPAddress <ip>), or point the exporter at a name the certificate has; for a test only, a server name override (collector exporters: tls.server_name_override)."),
            [NoSubjectAlternativeName] = new(OtlpStage.Hostname,
                "The collector's certificate has no subject alternative names (only a Common Name).",
                "Go (since 1.15), browsers and most current clients ignore the Common Name for host name checks.",
                "Reissue the certificate with SANs: New-OtlpCertificate -Type Server -DnsName <host> (openssl: -addext \"subjectAltName=DNS:<host>\")."),
            [KeyUsageMismatch] = new(OtlpStage.Certificate,
                "The certificate is not meant for this use (its key usage or extended key usage excludes TLS server or client authentication).",
                "Clients check the extended key usage: a server certificate needs serverAuth, a client certificate clientAuth.",
                "Reissue it with the right usage: New-OtlpCertificate -Type Server (serverAuth) or -Type Client (clientAuth)."),
            [PathLengthExceeded] = new(OtlpStage.Trust,
                "A CA in the chain issued more levels of CAs below it than its pathLenConstraint allows.",
                "Every TLS stack enforces basicConstraints pathLenConstraint: a root with pathlen:0 may sign only leaves, not intermediates.",
                "Reissue the CA without the constraint (or with a larger one), or issue the server certificate directly from the CA whose constraint allows it."),
            [NameConstraintViolation] = new(OtlpStage.Trust,
                "The server certificate names a host or address outside what its CA's nameConstraints permit.",
                "A name-constrained CA may only issue for its permitted subtrees and never for its excluded ones; clients check every SAN.",
                "Issue the certificate from a CA whose nameConstraints include the names it carries, or drop the names the CA may not vouch for."),
            [UnhandledCriticalExtension] = new(OtlpStage.Certificate,
                "A certificate in the chain carries a critical extension the client does not understand.",
                "RFC 5280 makes a client reject a certificate with any critical extension it cannot process.",
                "Reissue the certificate without the extension, or mark it non-critical."),
            [WeakSignatureAlgorithm] = new(OtlpStage.Certificate,
                "A certificate in the chain is signed with SHA-1 or MD5.",
                "OpenSSL 3 at its default security level, Go and current browsers refuse SHA-1 and MD5 signatures.",
                "Reissue the certificate (and its CA, if the CA is SHA-1 signed) with SHA-256: New-OtlpCertificate does by default."),
            [WeakKey] = new(OtlpStage.Certificate,
                "A certificate in the chain has a key that is too small (RSA under 2048 bits).",
                "OpenSSL 3 at its default security level refuses RSA keys under 2048 bits.",
                "Reissue the certificate with an RSA-2048 (or larger) or ECDSA P-256 key."),
            [TlsNotEnabled] = new(OtlpStage.Tls,
                "The client spoke TLS to a port that answers in plaintext.",
                "The receiver (or a proxy in front of it) has no TLS; its plaintext answer is not a TLS record, so the client's TLS layer fails with 'wrong version number', 'first record does not look like a TLS handshake' or 'unrecognized SSL message'.",
                "Either enable TLS on the receiver (receivers.otlp.protocols.grpc.tls: cert_file, key_file) or use plaintext deliberately: OTEL_EXPORTER_OTLP_ENDPOINT=http://<host:port> (collector exporters: tls.insecure: true)."),
            [ServerRequiresTls] = new(OtlpStage.Tls,
                "A plaintext client (an http:// or insecure exporter) reached a port that expects TLS.",
                "The server answers with a TLS record (or closes the connection), which a plaintext HTTP/2 client reads as a broken frame ('frame too large', 'error reading server preface').",
                "Use https:// in OTEL_EXPORTER_OTLP_ENDPOINT and give the exporter the CA (OTEL_EXPORTER_OTLP_CERTIFICATE); in a collector exporter remove tls.insecure: true."),
            [OtlpWrongProtocol] = new(OtlpStage.Otlp,
                "An OTLP/HTTP client reached the gRPC port (or the other way round).",
                $"gRPC receivers listen on {OtlpProtocols.GrpcPort} and speak HTTP/2 only; OTLP/HTTP receivers listen on {OtlpProtocols.HttpPort}.",
                $"Match protocol and port: OTEL_EXPORTER_OTLP_PROTOCOL=grpc with :{OtlpProtocols.GrpcPort}, http/protobuf with :{OtlpProtocols.HttpPort}."),
            [AlpnH2NotNegotiated] = new(OtlpStage.Tls,
                "TLS worked but the server did not agree to HTTP/2 (ALPN h2), which gRPC needs.",
                "A proxy or load balancer that terminates TLS without offering h2; grpc-go 1.67 and later refuse such connections.",
                "Enable HTTP/2 (ALPN h2) on the proxy or load balancer in front of the collector, or use OTLP/HTTP (http/protobuf on 4318)."),
            [ClientCertificateRequired] = new(OtlpStage.ClientAuth,
                "The collector requires a client certificate (mTLS) and the client sent none.",
                "The receiver has client_ca_file set; a client without a certificate — or whose certificate the server's accepted CA list excludes (Go then sends none) — is refused, in TLS 1.3 only after the handshake.",
                "Give the exporter its certificate and key: OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE and OTEL_EXPORTER_OTLP_CLIENT_KEY (collector exporters: tls.cert_file, tls.key_file), issued by a CA in the collector's client_ca_file."),
            [ClientCertificateRejected] = new(OtlpStage.ClientAuth,
                "The collector refused the client certificate the exporter sent.",
                "The client certificate was not issued by a CA in the receiver's client_ca_file, has expired, or lacks clientAuth.",
                "Issue the client certificate from a CA listed in the collector's client_ca_file (New-OtlpCertificate -Type Client -Signer <ca>), or add its issuer (with intermediates) to client_ca_file."),
            [ProtocolVersionMismatch] = new(OtlpStage.Tls,
                "Client and server share no TLS version.",
                "The receiver's min_version/max_version and the client's allowed versions do not overlap (for example a TLS 1.3-only server and a TLS 1.2 client, or a legacy 1.0/1.1 server).",
                "Allow TLS 1.2 and 1.3 on both sides (receiver tls.min_version: \"1.2\"); never re-enable TLS 1.0/1.1 on clients."),
            [CipherSuiteMismatch] = new(OtlpStage.Tls,
                "Client and server share no cipher suite.",
                "The receiver's cipher_suites list holds only suites that current clients no longer offer.",
                "Remove tls.cipher_suites from the receiver or add ECDHE AES-GCM/ChaCha20 suites."),
            [HandshakeFailed] = new(OtlpStage.Tls,
                "The server ended the TLS handshake with a fatal alert.",
                "The sides disagree on a handshake parameter (cipher suite, signature algorithm, group), or a TLS 1.2 server refuses a missing client certificate this way.",
                "Run Test-OtlpTlsEndpoint against the endpoint: it retries with each version and every suite and tells which it was."),
            [HandshakeTimedOut] = new(OtlpStage.Tls,
                "The TLS handshake did not finish in time.",
                "The port accepts TCP connections but no TLS server answers: a proxy without a healthy backend, a server waiting for another protocol, or an overloaded receiver.",
                "Check what listens on the port and the load balancer's backend health; Test-OtlpTlsEndpoint tells a silent port from a slow handshake."),
            [OtlpUnauthenticated] = new(OtlpStage.Otlp,
                "TLS worked; the collector (or the backend behind it) refused the export as unauthenticated.",
                "The receiver or an auth extension requires a header (an API key, a bearer token) that the exporter did not send or sent wrong.",
                "Set the header: OTEL_EXPORTER_OTLP_HEADERS=\"api-key=<key>\" (or authorization=Bearer%20<token>)."),
            [OtlpPathNotFound] = new(OtlpStage.Otlp,
                "TLS worked; the server has no OTLP service at that path or method.",
                "The endpoint is not an OTLP receiver (another service on the port), or an OTLP/HTTP path is wrong (the generic endpoint gets /v1/<signal> appended).",
                "Point the exporter at the collector's OTLP receiver (gRPC 4317, HTTP 4318 with /v1/traces) and check the path."),
            [HandshakeReset] = new(OtlpStage.Tls,
                "The connection was closed or reset during the TLS handshake without a TLS alert.",
                "A proxy without a route for the requested name (SNI), a server that refuses this client silently, or a non-TLS service dropping unknown bytes.",
                "Check the proxy's SNI routes and the collector logs; run Test-OtlpTlsEndpoint with -ServerName set to the certificate's name."),
            [ConnectionRefused] = new(OtlpStage.Network,
                "Nothing listens on the collector's port: the connection was refused.",
                "The collector is down, listens on another port or only on localhost inside its container, or a firewall rejects the connection.",
                "Check receivers.otlp.protocols.*.endpoint (0.0.0.0:4317 / 0.0.0.0:4318) and that the port is published."),
            [DnsResolutionFailed] = new(OtlpStage.Network,
                "The collector's host name does not resolve.",
                "A typo, a missing DNS search domain, or a Kubernetes service in another namespace.",
                "Check the name (in Kubernetes: <service>.<namespace>.svc.cluster.local)."),
            [ConnectionTimedOut] = new(OtlpStage.Network,
                "No TCP connection to the collector in time.",
                "Packets are dropped: a firewall, a security group, a network policy or a host that is down.",
                "Check the network path between exporter and collector."),
            [UnrecognizedTlsError] = new(OtlpStage.Tls,
                "This line reads like a TLS or connection error, but no known wording matches it.",
                "A runtime, version or wrapper OtelTls does not know yet; wrappers such as 'see inner exception' carry the real error on a later line.",
                "Paste the whole error, including inner exceptions and 'Caused by' lines; or diagnose the endpoint directly with Test-OtlpTlsEndpoint."),
        };

        /// <summary>How each runtime trusts a private CA without code changes (the fix for trust findings).</summary>
        private static readonly Dictionary<OtlpRuntime, string> TrustFix = new()
        {
            [OtlpRuntime.Go] = "Go reads the OS store or SSL_CERT_FILE; the collector's exporters take tls.ca_file (which replaces the system roots).",
            [OtlpRuntime.Java] = "Java ignores SSL_CERT_FILE and the OS store: use OTEL_EXPORTER_OTLP_CERTIFICATE or -Djavax.net.ssl.trustStore.",
            [OtlpRuntime.Python] = "Python's requests uses the certifi bundle, not the OS store: use OTEL_EXPORTER_OTLP_CERTIFICATE or REQUESTS_CA_BUNDLE.",
            [OtlpRuntime.PythonGrpc] = "gRPC C-core uses its bundled roots: use OTEL_EXPORTER_OTLP_CERTIFICATE or GRPC_DEFAULT_SSL_ROOTS_FILE_PATH.",
            [OtlpRuntime.DotNet] = "The .NET exporter (1.19 or later, .NET 8+) reads OTEL_EXPORTER_OTLP_CERTIFICATE; on Linux SSL_CERT_FILE also works.",
            [OtlpRuntime.Node] = "Node ignores SSL_CERT_FILE and the OS store: use NODE_EXTRA_CA_CERTS, or OTEL_EXPORTER_OTLP_CERTIFICATE (JS exporters 0.212 and later).",
            [OtlpRuntime.Curl] = "curl: --cacert ca.crt.",
            [OtlpRuntime.OpenSsl] = "openssl: -CAfile ca.crt.",
            [OtlpRuntime.GnuTls] = "gnutls-cli: --x509cafile ca.crt.",
        };

        /// <summary>The finding a recognised line stands for.</summary>
        public static OtlpFinding For(string findingId, OtlpRuntime runtime, string evidence)
        {
            var text = Texts.TryGetValue(findingId, out var known) ? known : Texts[UnrecognizedTlsError];
            var remediation = text.Remediation;
            if ((findingId == UnknownAuthority || findingId == SelfSignedCertificate) && TrustFix.TryGetValue(runtime, out var fix))
            {
                remediation += " " + fix;
            }

            var severity = findingId == UnrecognizedTlsError ? OtlpSeverity.Warning : OtlpSeverity.Error;
            return new OtlpFinding(findingId, severity, text.Stage, text.Message, text.Cause, remediation, evidence);
        }

        /// <summary>Whether the catalogue has wording for an id (a test keeps every rule's id covered).</summary>
        public static bool Knows(string findingId) => Texts.ContainsKey(findingId);
    }
}
