using System.Collections.Generic;
using static OtelTls.OtlpFindingId;

namespace OtelTls.Engine.Explain
{
    /// <summary>
    /// Every error wording Resolve-OtlpTlsError recognises, most specific first (the first rule that matches a line wins).
    /// Server-side log lines (a collector's "TLS handshake error from …") come before the client-side rules that share
    /// their words, because the same alert means the opposite side's problem there.
    /// </summary>
    internal static class TlsErrorRules
    {
        private const string Measured = "measured";
        private const string GoX509 = "go: src/crypto/x509/verify.go";
        private const string GoTls = "go: src/crypto/tls/conn.go, handshake_client.go, alert.go";
        private const string GoHttp2 = "golang.org/x/net: http2/frame.go, grpc-go: internal/transport/http2_server.go";
        private const string GrpcGoAlpn = "grpc-go: credentials/tls.go";
        private const string JavaJsse = "openjdk: src/java.base/share/classes/sun/security/ssl/Alert.java, SSLEngineInputRecord.java";
        private const string JavaCertPath = "openjdk: sun/security/validator/PKIXValidator.java, sun/security/util/HostnameChecker.java";
        private const string GrpcCore = "grpc: src/core/tsi/ssl_transport_security.cc, src/core/lib/security/security_connector/ssl_utils.cc";

        private static readonly string ConfirmTrust =
            "Test-OtlpTlsEndpoint with the CA file the client uses (-CaCertificate): it lists the certificates the server sends and says " +
            "whether an intermediate is missing (IncompleteChain), the root is not the one in the CA file (UnknownAuthority), or the leaf is self-signed.";

        public static readonly AmbiguityGroup UnknownOrIncomplete = new(new[] { UnknownAuthority, IncompleteChain, SelfSignedCertificate }, ConfirmTrust);

        public static readonly AmbiguityGroup IncompleteOrUnknown = new(new[] { IncompleteChain, UnknownAuthority }, ConfirmTrust);

        public static readonly AmbiguityGroup SelfSignedOrUnknown = new(new[] { SelfSignedCertificate, UnknownAuthority }, ConfirmTrust);

        public static readonly AmbiguityGroup AnyVerifyFailure = new(
            new[] { UnknownAuthority, IncompleteChain, SelfSignedCertificate, CertificateExpired, CertificateNotYetValid, HostnameMismatch, NoSubjectAlternativeName, KeyUsageMismatch },
            "The message says only that verification failed (gRPC C-core and OpenSSL's generic error hide the reason). " +
            "Test-OtlpTlsEndpoint <host:port> -CaCertificate <CA file> names the exact check that fails: trust, expiry or host name.");

        public static readonly AmbiguityGroup ExpiredOrNotYet = new(new[] { CertificateExpired, CertificateNotYetValid },
            "Compare the certificate's NotBefore/NotAfter with the clock of the client (Get-OtlpCertificate -Endpoint <host:port> shows both).");

        public static readonly AmbiguityGroup ClientCertificate = new(new[] { ClientCertificateRequired, ClientCertificateRejected },
            "Test-OtlpTlsEndpoint <host:port> -ClientCertificate <crt> -ClientKey <key>: the ClientAuth stage says whether the server wanted a " +
            "certificate and whether it refused the one sent (and which CAs it accepts).");

        public static readonly AmbiguityGroup HandshakeAlert = new(
            new[] { HandshakeFailed, CipherSuiteMismatch, ClientCertificateRequired, ProtocolVersionMismatch },
            "A bare handshake_failure alert is how TLS 1.2 servers refuse a missing client certificate, a cipher suite or a parameter; " +
            "Test-OtlpTlsEndpoint <host:port> retries with every cipher suite and each version alone and reports which one it was.");

        public static readonly AmbiguityGroup PlaintextToTls = new(new[] { ServerRequiresTls, OtlpWrongProtocol },
            "Test-OtlpTlsEndpoint <host:port> says whether the port speaks TLS; if it does, use https:// (and drop insecure).");

        public static readonly AmbiguityGroup NameOrNoSan = new(new[] { HostnameMismatch, NoSubjectAlternativeName },
            "Get-OtlpCertificate -Endpoint <host:port> shows the certificate's DnsNames and IPAddresses: none at all means a CN-only certificate, which .NET and Go reject whatever the name.");

        public static readonly AmbiguityGroup ConnectOrHandshakeTimeout = new(new[] { ConnectionTimedOut, HandshakeTimedOut },
            "Test-OtlpTlsEndpoint <host:port> times the TCP connection and the TLS handshake apart: a port that accepts and then says nothing is HandshakeTimedOut.");

        public static readonly AmbiguityGroup SignerConstraints = new(new[] { PathLengthExceeded, NameConstraintViolation },
            "Test-OtlpCertificate on the chain the server sends (Get-OtlpCertificate -Endpoint <host:port> | Test-OtlpCertificate -CaCertificate <CA file>) names the constraint and the certificate that breaks it.");

        public static readonly AmbiguityGroup VersionOrCipher = new(new[] { ProtocolVersionMismatch, CipherSuiteMismatch },
            "Test-OtlpTlsEndpoint <host:port> sweeps each TLS version alone and names the versions and suite the server accepts.");

        /// <summary>The rules, in the order they are tried.</summary>
        public static readonly IReadOnlyList<TlsErrorRule> All = new List<TlsErrorRule>
        {
            // Collector (Go server) logs: the peer is the exporter, so the alert it sends is about our certificate.
            new(OtlpRuntime.Go, @"TLS handshake error from \S+: remote error: tls: (bad certificate|unknown certificate authority)", UnknownAuthority,
                "http: TLS handshake error from 127.0.0.1:51234: remote error: tls: bad certificate", GoTls, UnknownOrIncomplete),
            new(OtlpRuntime.Go, @"TLS handshake error from \S+: remote error: tls: expired certificate", CertificateExpired,
                "http: TLS handshake error from 10.0.0.7:40412: remote error: tls: expired certificate", GoTls),
            new(OtlpRuntime.Go, @"TLS handshake error from \S+: tls: client didn't provide a certificate", ClientCertificateRequired,
                "http: TLS handshake error from 127.0.0.1:50112: tls: client didn't provide a certificate", "go: src/crypto/tls/handshake_server.go"),
            new(OtlpRuntime.Go, @"TLS handshake error from \S+: tls: first record does not look like a TLS handshake", ServerRequiresTls,
                "http: TLS handshake error from 127.0.0.1:50114: tls: first record does not look like a TLS handshake", GoTls),
            new(OtlpRuntime.Go, @"bogus greeting from client: ""\\x16\\x03", TlsNotEnabled,
                @"http2Server.HandleStreams received bogus greeting from client: ""\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03""", GoHttp2),
            new(OtlpRuntime.Go, @"bogus greeting from client: ""(POST|GET|PUT|HEAD) ", OtlpWrongProtocol,
                @"http2Server.HandleStreams received bogus greeting from client: ""POST /v1/metrics HTTP/1.""", GoHttp2),

            // Go clients (the collector's exporters, grpc-go, the Go SDK).
            new(OtlpRuntime.Go, @"x509: certificate is valid for (?<names>.+?), not (?<host>[^\s""'),]+)", HostnameMismatch,
                "x509: certificate is valid for collector.example.com, not localhost", GoX509),
            new(OtlpRuntime.Go, @"x509: cannot validate certificate for (?<host>\S+) because it doesn't contain any IP SANs", HostnameMismatch,
                "x509: cannot validate certificate for 127.0.0.1 because it doesn't contain any IP SANs", GoX509),
            new(OtlpRuntime.Go, @"x509: certificate is not valid for any names, but wanted to match (?<host>[^\s""',]+)", NoSubjectAlternativeName,
                "x509: certificate is not valid for any names, but wanted to match otel-collector", GoX509),
            new(OtlpRuntime.Go, @"x509: certificate relies on legacy Common Name field", NoSubjectAlternativeName,
                "x509: certificate relies on legacy Common Name field, use SANs instead", GoX509),
            new(OtlpRuntime.Go, @"x509: certificate has expired or is not yet valid: current time \S+ is before", CertificateNotYetValid,
                "x509: certificate has expired or is not yet valid: current time 2026-11-23T19:47:30Z is before 2026-12-03T00:00:00Z", GoX509),
            new(OtlpRuntime.Go, @"x509: certificate has expired or is not yet valid", CertificateExpired,
                "x509: certificate has expired or is not yet valid: current time 2026-11-23T19:47:30Z is after 2021-01-01T00:00:00Z", GoX509, ExpiredOrNotYet),
            new(OtlpRuntime.Go, @"x509: certificate signed by unknown authority", UnknownAuthority,
                "tls: failed to verify certificate: x509: certificate signed by unknown authority", GoX509, UnknownOrIncomplete),
            new(OtlpRuntime.Go, @"x509: certificate specifies an incompatible key usage", KeyUsageMismatch,
                "x509: certificate specifies an incompatible key usage", GoX509),
            new(OtlpRuntime.Go, @"tls: first record does not look like a TLS handshake", TlsNotEnabled,
                "transport: authentication handshake failed: tls: first record does not look like a TLS handshake", GoTls),
            new(OtlpRuntime.Go, @"http2: frame too large|error reading server preface", ServerRequiresTls,
                "connection error: desc = \"error reading server preface: http2: frame too large\"", GoHttp2, PlaintextToTls),
            new(OtlpRuntime.Go, @"missing selected ALPN property", AlpnH2NotNegotiated,
                "credentials: cannot check peer: missing selected ALPN property", GrpcGoAlpn),
            new(OtlpRuntime.Go, @"remote error: tls: certificate required", ClientCertificateRequired,
                "remote error: tls: certificate required", GoTls),
            new(OtlpRuntime.Go, @"remote error: tls: (bad certificate|unknown certificate authority|expired certificate|unsupported certificate|certificate revoked)", ClientCertificateRejected,
                "transport: authentication handshake failed: remote error: tls: bad certificate", GoTls, ClientCertificate),
            new(OtlpRuntime.Go, @"remote error: tls: protocol version not supported|tls: no supported versions satisfy MinVersion and MaxVersion|tls: server selected unsupported protocol version", ProtocolVersionMismatch,
                "remote error: tls: protocol version not supported", GoTls),
            new(OtlpRuntime.Go, @"tls: no cipher suite supported by both client and server|tls: server chose an unconfigured cipher suite", CipherSuiteMismatch,
                "tls: no cipher suite supported by both client and server", "go: src/crypto/tls/handshake_server.go"),
            new(OtlpRuntime.Go, @"remote error: tls: no application protocol", AlpnH2NotNegotiated,
                "remote error: tls: no application protocol", GoTls),
            new(OtlpRuntime.Go, @"remote error: tls: handshake failure", HandshakeFailed,
                "remote error: tls: handshake failure", GoTls, HandshakeAlert),

            // Java (JSSE).
            new(OtlpRuntime.Java, @"No subject alternative DNS name matching (?<host>\S+) found", HostnameMismatch,
                "java.security.cert.CertificateException: No subject alternative DNS name matching localhost found.", JavaCertPath),
            new(OtlpRuntime.Java, @"No subject alternative names matching IP address (?<host>\S+) found", HostnameMismatch,
                "java.security.cert.CertificateException: No subject alternative names matching IP address 127.0.0.1 found", JavaCertPath),
            new(OtlpRuntime.Java, @"No subject alternative names present", NoSubjectAlternativeName,
                "java.security.cert.CertificateException: No subject alternative names present", JavaCertPath),
            new(OtlpRuntime.Java, @"Hostname (?<host>\S+) not verified", HostnameMismatch,
                "javax.net.ssl.SSLPeerUnverifiedException: Hostname otel-collector not verified:", "okhttp: okhttp3/internal/connection/RealConnection.kt"),
            new(OtlpRuntime.Java, @"CertificateNotYetValidException", CertificateNotYetValid,
                "Caused by: java.security.cert.CertificateNotYetValidException: NotBefore: Thu Dec 03 00:00:00 UTC 2026", JavaCertPath),
            new(OtlpRuntime.Java, @"CertificateExpiredException|PKIX path validation failed: .*validity check failed", CertificateExpired,
                "sun.security.validator.ValidatorException: PKIX path validation failed: java.security.cert.CertPathValidatorException: validity check failed", JavaCertPath),
            new(OtlpRuntime.Java, @"PKIX path building failed|unable to find valid certification path to requested target", UnknownAuthority,
                "javax.net.ssl.SSLHandshakeException: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target",
                JavaCertPath, UnknownOrIncomplete),
            new(OtlpRuntime.Java, @"Extended key usage does not permit use for TLS server authentication|KeyUsage does not allow", KeyUsageMismatch,
                "sun.security.validator.ValidatorException: Extended key usage does not permit use for TLS server authentication", "openjdk: sun/security/validator/EndEntityChecker.java"),
            new(OtlpRuntime.Java, @"Unsupported or unrecognized SSL message", TlsNotEnabled,
                "javax.net.ssl.SSLException: Unsupported or unrecognized SSL message", JavaJsse),
            new(OtlpRuntime.Java, @"No appropriate protocol \(protocol is disabled or cipher suites are inappropriate\)", ProtocolVersionMismatch,
                "javax.net.ssl.SSLHandshakeException: No appropriate protocol (protocol is disabled or cipher suites are inappropriate)", JavaJsse, VersionOrCipher),
            new(OtlpRuntime.Java, @"Remote host terminated the handshake", HandshakeReset,
                "javax.net.ssl.SSLHandshakeException: Remote host terminated the handshake", JavaJsse),

            // .NET (SslStream / HttpClient / Grpc.Net.Client).
            new(OtlpRuntime.DotNet, @"RemoteCertificateNameMismatch", HostnameMismatch,
                "The remote certificate is invalid according to the validation procedure: RemoteCertificateNameMismatch, RemoteCertificateChainErrors", Measured, NameOrNoSan),
            new(OtlpRuntime.DotNet, @"errors in the certificate chain: [A-Za-z, ]*NotTimeValid", CertificateExpired,
                "The remote certificate is invalid because of errors in the certificate chain: NotTimeValid", Measured, ExpiredOrNotYet),
            new(OtlpRuntime.DotNet, @"errors in the certificate chain: [A-Za-z, ]*UntrustedRoot", SelfSignedCertificate,
                "The remote certificate is invalid because of errors in the certificate chain: UntrustedRoot", Measured, SelfSignedOrUnknown),
            new(OtlpRuntime.DotNet, @"errors in the certificate chain: [A-Za-z, ]*PartialChain", UnknownAuthority,
                "The remote certificate is invalid because of errors in the certificate chain: PartialChain", Measured, UnknownOrIncomplete),
            new(OtlpRuntime.DotNet, @"errors in the certificate chain: [A-Za-z, ]*(NotValidForUsage|InvalidExtension)", KeyUsageMismatch,
                "The remote certificate is invalid because of errors in the certificate chain: NotValidForUsage", Measured),
            new(OtlpRuntime.DotNet, @"Cannot determine the frame size or a corrupted frame was received", TlsNotEnabled,
                "System.Security.Authentication.AuthenticationException: Cannot determine the frame size or a corrupted frame was received.", Measured),
            new(OtlpRuntime.DotNet, @"Decrypt failed with OpenSSL error", ClientCertificateRequired,
                "System.Net.Http.HttpRequestException: The decryption operation failed, see inner exception. ---> Interop+OpenSsl+SslException: Decrypt failed with OpenSSL error - SSL_ERROR_SSL.",
                Measured, ClientCertificate),
            new(OtlpRuntime.DotNet, @"Requesting HTTP version 2\.0 with version policy RequestVersionExact while unable to establish HTTP/2 connection|HTTP_1_1_REQUIRED", AlpnH2NotNegotiated,
                "Requesting HTTP version 2.0 with version policy RequestVersionExact while unable to establish HTTP/2 connection.", Measured),
            new(OtlpRuntime.DotNet, @"Received an unexpected EOF or 0 bytes from the transport stream", HandshakeReset,
                "System.IO.IOException: Received an unexpected EOF or 0 bytes from the transport stream.", Measured),

            // gRPC C-core (Python, Ruby, C++ gRPC).
            new(OtlpRuntime.PythonGrpc, @"Peer name (?<host>\S+) is not in peer certificate", HostnameMismatch,
                "Peer name localhost is not in peer certificate", GrpcCore),
            new(OtlpRuntime.PythonGrpc, @"failed to connect to all addresses.*Socket closed", ServerRequiresTls,
                "failed to connect to all addresses; last error: UNAVAILABLE: ipv4:127.0.0.1:4317: Socket closed", GrpcCore, PlaintextToTls),

            // Node.js error codes (the message text after them is OpenSSL's and matched below too).
            new(OtlpRuntime.Node, @"ERR_TLS_CERT_ALTNAME_INVALID|Hostname/IP does not match certificate's altnames", HostnameMismatch,
                "Error [ERR_TLS_CERT_ALTNAME_INVALID]: Hostname/IP does not match certificate's altnames: Host: localhost. is not in the cert's altnames: DNS:collector.example.com", Measured),
            new(OtlpRuntime.Node, @"DEPTH_ZERO_SELF_SIGNED_CERT", SelfSignedCertificate, "code: 'DEPTH_ZERO_SELF_SIGNED_CERT'", Measured, SelfSignedOrUnknown),
            new(OtlpRuntime.Node, @"SELF_SIGNED_CERT_IN_CHAIN", UnknownAuthority, "code: 'SELF_SIGNED_CERT_IN_CHAIN'", Measured, UnknownOrIncomplete),
            new(OtlpRuntime.Node, @"UNABLE_TO_VERIFY_LEAF_SIGNATURE", IncompleteChain, "code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'", Measured, IncompleteOrUnknown),
            new(OtlpRuntime.Node, @"UNABLE_TO_GET_ISSUER_CERT_LOCALLY", UnknownAuthority, "code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'", Measured, UnknownOrIncomplete),
            new(OtlpRuntime.Node, @"CERT_HAS_EXPIRED", CertificateExpired, "code: 'CERT_HAS_EXPIRED'", Measured),
            new(OtlpRuntime.Node, @"CERT_NOT_YET_VALID", CertificateNotYetValid, "code: 'CERT_NOT_YET_VALID'", Measured),

            // GnuTLS (gnutls-cli).
            new(OtlpRuntime.GnuTls, @"certificate chain uses expired certificate", CertificateExpired,
                "- Status: The certificate is NOT trusted. The certificate chain uses expired certificate.", Measured),
            new(OtlpRuntime.GnuTls, @"certificate chain uses not yet valid certificate", CertificateNotYetValid,
                "- Status: The certificate is NOT trusted. The certificate chain uses not yet valid certificate.", Measured),
            new(OtlpRuntime.GnuTls, @"The name in the certificate does not match the expected", HostnameMismatch,
                "- Status: The certificate is NOT trusted. The name in the certificate does not match the expected.", Measured),
            new(OtlpRuntime.GnuTls, @"The certificate issuer is unknown", UnknownAuthority,
                "- Status: The certificate is NOT trusted. The certificate issuer is unknown.", Measured, UnknownOrIncomplete),
            new(OtlpRuntime.GnuTls, @"An unexpected TLS packet was received|A TLS packet with unexpected length was received", TlsNotEnabled,
                "*** Fatal error: An unexpected TLS packet was received.", Measured),
            new(OtlpRuntime.GnuTls, @"Received alert \[116\]|Certificate is required", ClientCertificateRequired,
                "*** Received alert [116]: Certificate is required", Measured),
            new(OtlpRuntime.GnuTls, @"Received alert \[(48|42)\]", ClientCertificateRejected, "*** Received alert [48]: CA is unknown", Measured, ClientCertificate),
            new(OtlpRuntime.GnuTls, @"does not match the intended purpose", KeyUsageMismatch,
                "- Status: The certificate is NOT trusted. The certificate chain does not match the intended purpose.", Measured),
            new(OtlpRuntime.GnuTls, @"Error in the pull function|Error decoding the received TLS packet", HandshakeReset,
                "*** Fatal error: Error in the pull function.", Measured),
            new(OtlpRuntime.GnuTls, @"Received alert \[70\]", ProtocolVersionMismatch, "*** Received alert [70]: Protocol version is not supported", Measured),
            new(OtlpRuntime.GnuTls, @"Received alert \[40\]", HandshakeFailed, "*** Received alert [40]: Handshake failed", Measured, HandshakeAlert),
            new(OtlpRuntime.GnuTls, @"No supported cipher suites have been found|Could not negotiate a supported cipher suite", CipherSuiteMismatch,
                "*** Fatal error: Could not negotiate a supported cipher suite.", Measured),
            new(OtlpRuntime.GnuTls, @"The TLS connection was non-properly terminated", HandshakeReset,
                "*** Fatal error: The TLS connection was non-properly terminated.", Measured),

            // OpenSSL's own texts: openssl s_client, and every runtime that prints them (Python ssl, Node, curl, gRPC C-core).
            new(OtlpRuntime.Curl, @"no alternative certificate subject name matches target host name '(?<host>[^']+)'", HostnameMismatch,
                "curl: (60) SSL: no alternative certificate subject name matches target host name '127.0.0.1'", Measured),
            new(OtlpRuntime.Unknown, @"(Hostname|IP address) mismatch(, certificate is not valid for '(?<host>[^']+)')?|num=6[24]\b", HostnameMismatch,
                "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: IP address mismatch, certificate is not valid for '127.0.0.1'. (_ssl.c:1006)", Measured),
            new(OtlpRuntime.Unknown, @"self[- ]signed certificate in certificate chain|num=19\b", UnknownAuthority,
                "verify error:num=19:self-signed certificate in certificate chain", Measured, UnknownOrIncomplete),
            new(OtlpRuntime.Unknown, @"self[- ]signed certificate|num=18\b", SelfSignedCertificate,
                "verify error:num=18:self-signed certificate", Measured, SelfSignedOrUnknown),
            new(OtlpRuntime.Unknown, @"unable to verify the first certificate|num=21\b", IncompleteChain,
                "verify error:num=21:unable to verify the first certificate", Measured, IncompleteOrUnknown),
            new(OtlpRuntime.Unknown, @"unable to get local issuer certificate|unable to get issuer certificate|num=20\b|num=2\b", UnknownAuthority,
                "verify error:num=20:unable to get local issuer certificate", Measured, UnknownOrIncomplete),
            new(OtlpRuntime.Unknown, @"certificate has expired|num=10\b", CertificateExpired, "verify error:num=10:certificate has expired", Measured),
            new(OtlpRuntime.Unknown, @"certificate is not yet valid|num=9\b", CertificateNotYetValid, "verify error:num=9:certificate is not yet valid", Measured),
            new(OtlpRuntime.Unknown, @"(unsupported|unsuitable) certificate purpose|num=26\b|INVALID_PURPOSE", KeyUsageMismatch, "verify error:num=26:unsuitable certificate purpose", Measured),
            new(OtlpRuntime.Unknown, @"wrong version number|WRONG_VERSION_NUMBER|packet length too long", TlsNotEnabled,
                "error:0A00010B:SSL routines:ssl_get_record:wrong version number", Measured),
            new(OtlpRuntime.Unknown, @"alert certificate required|alert number 116|CERTIFICATE_REQUIRED|certificate_required|'CertificateRequired'", ClientCertificateRequired,
                "error:0A00045C:SSL routines:ssl3_read_bytes:tlsv13 alert certificate required:ssl/record/rec_layer_s3.c:1593:SSL alert number 116", Measured),
            new(OtlpRuntime.Unknown, @"alert unknown ca|alert number 48|ALERT_UNKNOWN_CA|unknown_ca|'UnknownCA'", ClientCertificateRejected,
                "error:0A000418:SSL routines:ssl3_read_bytes:tlsv1 alert unknown ca:ssl/record/rec_layer_s3.c:1593:SSL alert number 48", Measured),
            new(OtlpRuntime.Unknown, @"alert bad certificate|alert number 42|ALERT_BAD_CERTIFICATE|bad_certificate|'BadCertificate'", ClientCertificateRejected,
                "error:0A000412:SSL routines::sslv3 alert bad certificate:SSL alert number 42", Measured, ClientCertificate),
            new(OtlpRuntime.Unknown, @"legacy sigalg disallowed or unsupported", ProtocolVersionMismatch,
                "error:0A00014D:SSL routines::legacy sigalg disallowed or unsupported", Measured),
            new(OtlpRuntime.Unknown, @"alert protocol version|alert number 70|PROTOCOL_VERSION|protocol_version|'ProtocolVersion'|unsupported protocol(?! scheme)|no protocols available", ProtocolVersionMismatch,
                "error:0A00042E:SSL routines:ssl3_read_bytes:tlsv1 alert protocol version:ssl/record/rec_layer_s3.c:1593:SSL alert number 70", Measured),
            new(OtlpRuntime.Unknown, @"no shared cipher|no cipher match|NO_SHARED_CIPHER|no ciphers available|insufficient security|alert number 71", CipherSuiteMismatch,
                "error:0A0000C1:SSL routines::no shared cipher", Measured),
            new(OtlpRuntime.Unknown, @"alert no application protocol|alert number 120|no_application_protocol|'NoApplicationProtocol'", AlpnH2NotNegotiated,
                "error:0A000460:SSL routines::tlsv1 alert no application protocol:SSL alert number 120", Measured),
            new(OtlpRuntime.Unknown, @"alert handshake failure|alert number 40|HANDSHAKE_FAILURE|handshake_failure|'HandshakeFailure'", HandshakeFailed,
                "error:0A000410:SSL routines::sslv3 alert handshake failure:SSL alert number 40", Measured, HandshakeAlert),
            new(OtlpRuntime.Unknown, @"path length constraint exceeded|num=25\b|PATH_LENGTH_EXCEEDED|errors in the certificate chain: [A-Za-z, ]*InvalidBasicConstraints", PathLengthExceeded,
                "verify error:num=25:path length constraint exceeded", Measured),
            new(OtlpRuntime.Unknown, @"(permitted|excluded) subtree violation|num=4[78]\b|(PERMITTED|EXCLUDED)_VIOLATION|Has(NotPermitted|Excluded)NameConstraint", NameConstraintViolation,
                "verify error:num=47:permitted subtree violation", Measured),
            new(OtlpRuntime.GnuTls, @"certificate chain violates the signer's constraints", NameConstraintViolation,
                "- Status: The certificate is NOT trusted. The certificate chain violates the signer's constraints.", Measured, SignerConstraints),
            new(OtlpRuntime.Unknown, @"unhandled critical extension|num=34\b|UNHANDLED_CRITICAL_EXTENSION|HasNotSupportedCriticalExtension|unknown critical extension", UnhandledCriticalExtension,
                "verify error:num=34:unhandled critical extension", Measured),
            new(OtlpRuntime.Unknown, @"signature digest algorithm too weak|num=68\b|CA_MD_TOO_WEAK|chain uses insecure algorithm", WeakSignatureAlgorithm,
                "verify error:num=68:CA signature digest algorithm too weak", Measured),
            new(OtlpRuntime.Unknown, @"(EE|CA) certificate key too weak|num=6[67]\b|(EE|CA)_KEY_TOO_SMALL", WeakKey,
                "verify error:num=66:EE certificate key too weak", Measured),
            new(OtlpRuntime.Unknown, @"certificate verify failed|CERTIFICATE_VERIFY_FAILED", UnknownAuthority,
                "Ssl handshake failed: SSL_ERROR_SSL: error:0A000086:SSL routines::certificate verify failed", Measured, AnyVerifyFailure),
            new(OtlpRuntime.Unknown, @"handshake operation timed out", HandshakeTimedOut, "TimeoutError: _ssl.c:989: The handshake operation timed out", Measured),
            new(OtlpRuntime.OpenSsl, @"^write:errno=104", HandshakeReset, "write:errno=104", Measured),
            new(OtlpRuntime.Curl, @"SSL_ERROR_SYSCALL|curl: \(35\) Recv failure", HandshakeReset,
                "curl: (35) OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to 127.0.0.1:4317", Measured),
            new(OtlpRuntime.Unknown, @"unexpected eof while reading|UNEXPECTED_EOF_WHILE_READING|EOF occurred in violation of protocol|socket hang up|Client network socket disconnected before secure TLS connection was established", HandshakeReset,
                "error:0A000126:SSL routines::unexpected eof while reading", Measured),

            // Connection errors: only where the line speaks of OTLP (or the tool is explicit, like curl).
            new(OtlpRuntime.Curl, @"curl: \(7\) Failed to connect to (?<host>\S+) port (?<port>\d+)", ConnectionRefused,
                "curl: (7) Failed to connect to 127.0.0.1 port 4317 after 0 ms: Couldn't connect to server", Measured),
            new(OtlpRuntime.Curl, @"curl: \(6\) Could not resolve host: (?<host>\S+)", DnsResolutionFailed,
                "curl: (6) Could not resolve host: otel-collector", Measured),
            new(OtlpRuntime.Curl, @"curl: \(28\) ", ConnectionTimedOut, "curl: (28) Connection timed out after 10001 milliseconds", Measured, ConnectOrHandshakeTimeout),
            new(OtlpRuntime.Unknown, @"connection refused|ECONNREFUSED|actively refused", ConnectionRefused,
                "rpc error: code = Unavailable desc = connection error: desc = \"transport: Error while dialing: dial tcp 127.0.0.1:4317: connect: connection refused\"",
                Measured, needsOtlpContext: true),
            new(OtlpRuntime.Unknown, @"no such host|ENOTFOUND|Name or service not known|No such host is known|Temporary failure in name resolution|nodename nor servname", DnsResolutionFailed,
                "dial tcp: lookup otel-collector on 10.96.0.10:53: no such host", GoTls, needsOtlpContext: true),
            new(OtlpRuntime.Unknown, @"i/o timeout|ETIMEDOUT|Connection timed out|connect timeout", ConnectionTimedOut,
                "dial tcp 10.0.0.5:4317: i/o timeout", GoTls, ConnectOrHandshakeTimeout, needsOtlpContext: true),
            new(OtlpRuntime.Unknown, @"StatusCode=""Unauthenticated""|code = Unauthenticated|\b16 UNAUTHENTICATED", OtlpUnauthenticated,
                "Grpc.Core.RpcException: Status(StatusCode=\"Unauthenticated\", Detail=\"Missing or wrong 'api-key' metadata.\")", Measured),
            new(OtlpRuntime.Unknown, @"StatusCode=""Unimplemented""|code = Unimplemented|\b12 UNIMPLEMENTED", OtlpPathNotFound,
                "Grpc.Core.RpcException: Status(StatusCode=\"Unimplemented\", Detail=\"Method /opentelemetry.proto.collector.trace.v1.TraceService/Export is not implemented\")", Measured),
            new(OtlpRuntime.Unknown, @"connection reset by peer|ECONNRESET|Connection reset", HandshakeReset,
                "read tcp 10.0.0.2:51234->10.0.0.5:4317: read: connection reset by peer", GoTls, needsOtlpContext: true),
        };

        /// <summary>
        /// Lines that wrap the real error (which follows on the same or a later line): alone they say only that TLS or the
        /// connection failed.
        /// </summary>
        public static readonly IReadOnlyList<TlsErrorRule> Wrappers = new List<TlsErrorRule>
        {
            new(OtlpRuntime.DotNet, @"The SSL connection could not be established", UnrecognizedTlsError, "System.Net.Http.HttpRequestException: The SSL connection could not be established, see inner exception.", Measured),
            new(OtlpRuntime.DotNet, @"Error starting gRPC call|StatusCode=""Unavailable""", UnrecognizedTlsError, "Status(StatusCode=\"Unavailable\", Detail=\"Error starting gRPC call. HttpRequestException: …\")", Measured),
            new(OtlpRuntime.DotNet, @"SSL Handshake failed with OpenSSL error|Authentication failed, see inner exception", UnrecognizedTlsError, "Interop+OpenSsl+SslException: SSL Handshake failed with OpenSSL error - SSL_ERROR_SSL.", Measured),
            new(OtlpRuntime.Go, @"transport: authentication handshake failed|tls: failed to verify certificate", UnrecognizedTlsError, "transport: authentication handshake failed:", GoTls),
            new(OtlpRuntime.Java, @"SSLHandshakeException|javax\.net\.ssl\.SSLException", UnrecognizedTlsError, "javax.net.ssl.SSLHandshakeException:", JavaJsse),
            new(OtlpRuntime.PythonGrpc, @"failed to connect to all addresses|Ssl handshake failed|Handshake failed with fatal error", UnrecognizedTlsError, "failed to connect to all addresses; last error: UNKNOWN: ipv4:127.0.0.1:4317:", GrpcCore),
            new(OtlpRuntime.Node, @"\d+ UNAVAILABLE: No connection established", UnrecognizedTlsError, "14 UNAVAILABLE: No connection established.", Measured),
            new(OtlpRuntime.GnuTls, @"\*\*\* Handshake has failed|\*\*\* PKI verification of server certificate failed|Status: The certificate is NOT trusted", UnrecognizedTlsError, "*** PKI verification of server certificate failed...", Measured),
            new(OtlpRuntime.Curl, @"curl: \((35|56|60)\)", UnrecognizedTlsError, "curl: (35) OpenSSL/3.0.19: error:…", Measured),
        };

        /// <summary>Markers that tell which runtime wrote a line (tried in order; the first that matches decides).</summary>
        public static readonly IReadOnlyList<(OtlpRuntime Runtime, GuardedRegex Marker)> RuntimeMarkers = new[]
        {
            Marker(OtlpRuntime.Curl, @"\bcurl: \(\d+\)"),
            Marker(OtlpRuntime.GnuTls, @"^\s*\*\*\* |^\s*- Status: |gnutls"),
            Marker(OtlpRuntime.Java, @"javax\.net\.ssl|sun\.security|java\.security\.cert|PKIX path|Received fatal alert: |CertPathValidatorException|No subject alternative"),
            Marker(OtlpRuntime.DotNet, @"System\.(Security\.Authentication|Net\.Http|IO\.IOException)|AuthenticationException|HttpRequestException|The remote certificate is invalid|Interop\+OpenSsl|Grpc\.Core|StatusCode=""|The remote party sent a TLS alert|Cannot determine the frame size|The SSL connection could not be established"),
            Marker(OtlpRuntime.PythonGrpc, @"\bTSI_|Ssl handshake failed|failed to connect to all addresses|Peer name \S+ is not in peer certificate|\bipv[46]:"),
            Marker(OtlpRuntime.Python, @"\[SSL: |_ssl\.c:|SSLCertVerificationError|ssl\.SSLError|urlopen error|urllib3|requests\.exceptions|MaxRetryError"),
            Marker(OtlpRuntime.Node, @"^\s*code: '[A-Z_]+'|\bERR_[A-Z0-9_]{4,}|\bE(CONNREFUSED|CONNRESET|NOTFOUND|PROTO)\b|INVALID_PURPOSE|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|CERT_HAS_EXPIRED|CERT_NOT_YET_VALID|UNABLE_TO_GET_ISSUER_CERT_LOCALLY|\b\d+ UNAVAILABLE: |Hostname/IP does not match|at TLSSocket|socket hang up"),
            Marker(OtlpRuntime.Go, @"\bx509: |\btls: [a-z]|transport: authentication handshake failed|http2: |\bdial tcp\b|rpc error: code = |bogus greeting"),
            Marker(OtlpRuntime.OpenSsl, @"verify error:num=|Verify return code:|Verification error:|s_client|^write:errno=|^[0-9A-F]{8,}:error:[0-9A-F]{8}:SSL routines"),
        };

        private static (OtlpRuntime, GuardedRegex) Marker(OtlpRuntime runtime, string pattern) =>
            (runtime, new GuardedRegex(pattern,
                System.Text.RegularExpressions.RegexOptions.CultureInvariant | System.Text.RegularExpressions.RegexOptions.Compiled));
    }
}
