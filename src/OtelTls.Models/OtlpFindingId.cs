namespace OtelTls
{
    /// <summary>
    /// The catalog of finding ids. An id is never renamed once released: scripts and pipelines match on it.
    /// </summary>
    public static class OtlpFindingId
    {
        // Network
        /// <summary>The host name did not resolve.</summary>
        public const string DnsResolutionFailed = nameof(DnsResolutionFailed);
        /// <summary>Nothing listens on the port.</summary>
        public const string ConnectionRefused = nameof(ConnectionRefused);
        /// <summary>No TCP answer in time.</summary>
        public const string ConnectionTimedOut = nameof(ConnectionTimedOut);

        // Tls
        /// <summary>The server answered in plaintext.</summary>
        public const string TlsNotEnabled = nameof(TlsNotEnabled);
        /// <summary>TCP is up but no TLS answer came in time.</summary>
        public const string HandshakeTimedOut = nameof(HandshakeTimedOut);
        /// <summary>The server closed or reset the connection without an alert.</summary>
        public const string HandshakeReset = nameof(HandshakeReset);
        /// <summary>No TLS version in common.</summary>
        public const string ProtocolVersionMismatch = nameof(ProtocolVersionMismatch);
        /// <summary>No cipher suite in common.</summary>
        public const string CipherSuiteMismatch = nameof(CipherSuiteMismatch);
        /// <summary>The server accepts TLS 1.0 or 1.1.</summary>
        public const string LegacyProtocolEnabled = nameof(LegacyProtocolEnabled);
        /// <summary>The server did not select ALPN h2, which gRPC needs.</summary>
        public const string AlpnH2NotNegotiated = nameof(AlpnH2NotNegotiated);
        /// <summary>The server selected ALPN h2 but did not answer the HTTP/2 connection preface with SETTINGS: the port is TLS, not HTTP/2.</summary>
        public const string NotAnHttp2Server = nameof(NotAnHttp2Server);

        /// <summary>The server ended the handshake with a fatal alert that no more specific finding explains (the alert is in the evidence).</summary>
        public const string HandshakeFailed = nameof(HandshakeFailed);

        /// <summary>A plaintext client (an <c>http://</c> or <c>insecure</c> exporter) reached a port that expects TLS.</summary>
        public const string ServerRequiresTls = nameof(ServerRequiresTls);

        /// <summary>A log line reads like a TLS or connection error that no rule of Resolve-OtlpTlsError recognises (the raw text is kept).</summary>
        public const string UnrecognizedTlsError = nameof(UnrecognizedTlsError);

        /// <summary>The .NET TLS stack (what the .NET exporter uses) concluded differently from the diagnostic probe.</summary>
        public const string PlatformDisagreement = nameof(PlatformDisagreement);

        // Certificate
        /// <summary>The certificate's validity ended.</summary>
        public const string CertificateExpired = nameof(CertificateExpired);
        /// <summary>The certificate's validity has not started.</summary>
        public const string CertificateNotYetValid = nameof(CertificateNotYetValid);
        /// <summary>The certificate expires within the warning window.</summary>
        public const string CertificateExpiringSoon = nameof(CertificateExpiringSoon);
        /// <summary>The certificate lacks the extended or basic key usage its role needs.</summary>
        public const string KeyUsageMismatch = nameof(KeyUsageMismatch);
        /// <summary>SHA-1 or MD5 signature.</summary>
        public const string WeakSignatureAlgorithm = nameof(WeakSignatureAlgorithm);
        /// <summary>RSA key under 2048 bits (or an equally weak key).</summary>
        public const string WeakKey = nameof(WeakKey);
        /// <summary>The private key given with a (server) certificate does not belong to it.</summary>
        public const string CertificateKeyMismatch = nameof(CertificateKeyMismatch);
        /// <summary>An extension does not decode (a 5-byte IP SAN, a malformed extendedKeyUsage or basicConstraints…).</summary>
        public const string CertificateMalformed = nameof(CertificateMalformed);
        /// <summary>A CA's basicConstraints pathLenConstraint allows fewer intermediates than the path has.</summary>
        public const string PathLengthExceeded = nameof(PathLengthExceeded);
        /// <summary>A name in a certificate lies outside a CA's permitted nameConstraints or inside its excluded ones.</summary>
        public const string NameConstraintViolation = nameof(NameConstraintViolation);
        /// <summary>A certificate has a critical extension TLS clients do not process.</summary>
        public const string UnhandledCriticalExtension = nameof(UnhandledCriticalExtension);
        /// <summary>The path is longer than clients follow (OpenSSL's verify depth).</summary>
        public const string CertificateChainTooLong = nameof(CertificateChainTooLong);

        // Trust
        /// <summary>The leaf is self-signed and not trusted.</summary>
        public const string SelfSignedCertificate = nameof(SelfSignedCertificate);
        /// <summary>The chain ends at an authority the client does not trust.</summary>
        public const string UnknownAuthority = nameof(UnknownAuthority);
        /// <summary>An intermediate is missing, so the path to the trusted root cannot be built.</summary>
        public const string IncompleteChain = nameof(IncompleteChain);

        // Hostname
        /// <summary>No SAN covers the host name the client uses.</summary>
        public const string HostnameMismatch = nameof(HostnameMismatch);
        /// <summary>The certificate has no subject alternative names (CN-only).</summary>
        public const string NoSubjectAlternativeName = nameof(NoSubjectAlternativeName);

        // ClientAuth
        /// <summary>The server requires a client certificate and none was supplied.</summary>
        public const string ClientCertificateRequired = nameof(ClientCertificateRequired);
        /// <summary>The server refused the supplied client certificate.</summary>
        public const string ClientCertificateRejected = nameof(ClientCertificateRejected);
        /// <summary>The client key does not belong to the client certificate.</summary>
        public const string ClientKeyMismatch = nameof(ClientKeyMismatch);
        /// <summary>The client certificate is not valid for clientAuth.</summary>
        public const string ClientCertificateNotForClientAuth = nameof(ClientCertificateNotForClientAuth);

        /// <summary>
        /// The server named the CAs it accepts and the supplied client certificate's issuer is not one of them: some clients
        /// (Go) then silently send no certificate at all.
        /// </summary>
        public const string ClientCertificateIssuerNotAccepted = nameof(ClientCertificateIssuerNotAccepted);

        // Otlp
        /// <summary>The OTLP export failed for a reason not covered by a more specific id.</summary>
        public const string OtlpExportFailed = nameof(OtlpExportFailed);
        /// <summary>gRPC against an HTTP port or the other way round.</summary>
        public const string OtlpWrongProtocol = nameof(OtlpWrongProtocol);
        /// <summary>HTTP 404 on the export path.</summary>
        public const string OtlpPathNotFound = nameof(OtlpPathNotFound);
        /// <summary>401/403 or gRPC Unauthenticated: a header is needed.</summary>
        public const string OtlpUnauthenticated = nameof(OtlpUnauthenticated);
        /// <summary>The receiver accepted the request but rejected some items (OTLP partial success).</summary>
        public const string OtlpPartialSuccess = nameof(OtlpPartialSuccess);

        // Configuration (exporter environment variables and the files they name)
        /// <summary>A certificate or key file named by an exporter variable does not exist.</summary>
        public const string ConfiguredFileNotFound = nameof(ConfiguredFileNotFound);
        /// <summary>A certificate or key file named by an exporter variable cannot be read or parsed.</summary>
        public const string ConfiguredFileUnreadable = nameof(ConfiguredFileUnreadable);
        /// <summary>The CA file (<c>…_CERTIFICATE</c>) holds no certificate authority.</summary>
        public const string CaFileNotCertificateAuthority = nameof(CaFileNotCertificateAuthority);
        /// <summary>A certificate or key file is named by a relative path, which each SDK resolves against its own working directory.</summary>
        public const string RelativeFilePath = nameof(RelativeFilePath);
        /// <summary><c>…_INSECURE=true</c> with an <c>https://</c> endpoint: the scheme wins, INSECURE has no effect.</summary>
        public const string InsecureIgnored = nameof(InsecureIgnored);
        /// <summary>An <c>http://</c> endpoint with a CA or client certificate set: the connection is plaintext and the files are unused.</summary>
        public const string TlsFilesIgnored = nameof(TlsFilesIgnored);
        /// <summary>A per-signal variable differs from the generic one, so one signal goes elsewhere or trusts something else.</summary>
        public const string SignalOverrideDiffers = nameof(SignalOverrideDiffers);
        /// <summary>gRPC pointed at port 4318 or HTTP at port 4317.</summary>
        public const string ProtocolPortMismatch = nameof(ProtocolPortMismatch);
        /// <summary><c>…_CLIENT_CERTIFICATE</c>/<c>…_CLIENT_KEY</c> without <c>…_CERTIFICATE</c> (Java and Python gRPC then send no client certificate).</summary>
        public const string ClientCertificateWithoutCa = nameof(ClientCertificateWithoutCa);
        /// <summary>Only one of <c>…_CLIENT_CERTIFICATE</c> and <c>…_CLIENT_KEY</c> is set.</summary>
        public const string ClientCertificateIncomplete = nameof(ClientCertificateIncomplete);
        /// <summary>An endpoint variable that no exporter can use.</summary>
        public const string InvalidEndpointVariable = nameof(InvalidEndpointVariable);
        /// <summary>A protocol variable that is not <c>grpc</c>, <c>http/protobuf</c> or <c>http/json</c>.</summary>
        public const string InvalidProtocolVariable = nameof(InvalidProtocolVariable);
        /// <summary>A boolean variable that is neither <c>true</c> nor <c>false</c> (read as false).</summary>
        public const string InvalidBooleanVariable = nameof(InvalidBooleanVariable);
        /// <summary>An endpoint without a port: SDKs use 80/443, not 4317/4318.</summary>
        public const string EndpointPortMissing = nameof(EndpointPortMissing);
        /// <summary>The generic HTTP endpoint already ends in <c>/v1/&lt;signal&gt;</c>, so the path is doubled.</summary>
        public const string SignalPathInGenericEndpoint = nameof(SignalPathInGenericEndpoint);
        /// <summary>No protocol variable is set: SDKs disagree on the default.</summary>
        public const string ProtocolNotSet = nameof(ProtocolNotSet);

        // Collector configuration (Test-OtlpCollectorConfig: tls: blocks of receivers, exporters and extensions)
        /// <summary>A <c>${env:VAR}</c> substitution names a variable that is not set: the collector substitutes an empty string.</summary>
        public const string CollectorEnvVariableMissing = nameof(CollectorEnvVariableMissing);
        /// <summary>A top-level key the collector does not know (it refuses to start).</summary>
        public const string CollectorUnknownKey = nameof(CollectorUnknownKey);
        /// <summary>A component id that is not <c>type[/name]</c>, or a component section that is not a mapping.</summary>
        public const string CollectorComponentInvalid = nameof(CollectorComponentInvalid);
        /// <summary>A key inside <c>tls:</c> that configtls does not have (the collector refuses to start).</summary>
        public const string CollectorTlsUnknownKey = nameof(CollectorTlsUnknownKey);
        /// <summary>Both the file and the PEM form of the same setting (<c>ca_file</c> and <c>ca_pem</c>, …).</summary>
        public const string CollectorTlsFileAndPem = nameof(CollectorTlsFileAndPem);
        /// <summary>A certificate without its key or a key without its certificate.</summary>
        public const string CollectorTlsCertificateWithoutKey = nameof(CollectorTlsCertificateWithoutKey);
        /// <summary>A receiver <c>tls:</c> block without a certificate and key (the server has nothing to present).</summary>
        public const string CollectorReceiverTlsWithoutCertificate = nameof(CollectorReceiverTlsWithoutCertificate);
        /// <summary><c>min_version</c>/<c>max_version</c> is not 1.0, 1.1, 1.2 or 1.3.</summary>
        public const string CollectorTlsVersionInvalid = nameof(CollectorTlsVersionInvalid);
        /// <summary><c>min_version</c> is above <c>max_version</c>.</summary>
        public const string CollectorTlsMinAboveMax = nameof(CollectorTlsMinAboveMax);
        /// <summary>A <c>cipher_suites</c> entry that is not a Go cipher suite name.</summary>
        public const string CollectorTlsCipherSuiteUnknown = nameof(CollectorTlsCipherSuiteUnknown);
        /// <summary><c>cipher_suites</c> with <c>min_version: "1.3"</c>: TLS 1.3 suites are not configurable, the list has no effect.</summary>
        public const string CollectorTlsCipherSuitesIgnored = nameof(CollectorTlsCipherSuitesIgnored);
        /// <summary>A <c>curve_preferences</c> entry the collector does not know.</summary>
        public const string CollectorTlsCurveUnknown = nameof(CollectorTlsCurveUnknown);
        /// <summary><c>reload_interval</c> is not a Go duration.</summary>
        public const string CollectorTlsReloadIntervalInvalid = nameof(CollectorTlsReloadIntervalInvalid);
        /// <summary>A certificate file whose certificates are not leaf first, each followed by its issuer.</summary>
        public const string CollectorCertificateChainOrder = nameof(CollectorCertificateChainOrder);
        /// <summary>A gRPC exporter with an <c>http://</c> endpoint and no <c>insecure: true</c>: the collector still dials TLS.</summary>
        public const string CollectorHttpSchemeStillTls = nameof(CollectorHttpSchemeStillTls);
        /// <summary><c>insecure: true</c> together with a CA: the collector still dials TLS.</summary>
        public const string CollectorInsecureWithCa = nameof(CollectorInsecureWithCa);
        /// <summary><c>insecure_skip_verify: true</c>: the server certificate is not verified.</summary>
        public const string CollectorInsecureSkipVerify = nameof(CollectorInsecureSkipVerify);
        /// <summary>A receiver listens on all interfaces without TLS.</summary>
        public const string CollectorReceiverPlaintextOnAllInterfaces = nameof(CollectorReceiverPlaintextOnAllInterfaces);
    }
}
