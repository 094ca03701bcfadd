namespace OtelTls
{
    /// <summary>
    /// The catalog of error ids (the first part of an ErrorRecord's FullyQualifiedErrorId and <see cref="OtlpTlsException.ErrorId"/>).
    /// One id per user mistake, the same in every cmdlet; no id is also a finding id (<see cref="OtlpFindingId"/>). An id is
    /// never renamed once released: scripts match on it.
    /// </summary>
    public static class OtlpErrorId
    {
        // Files and paths
        /// <summary>A file to read does not exist.</summary>
        public const string FileNotFound = nameof(FileNotFound);
        /// <summary>A file cannot be read or written: access is denied.</summary>
        public const string FileAccessDenied = nameof(FileAccessDenied);
        /// <summary>A file could not be read (I/O error).</summary>
        public const string FileReadFailed = nameof(FileReadFailed);
        /// <summary>A file could not be written (I/O error); nothing was replaced.</summary>
        public const string FileWriteFailed = nameof(FileWriteFailed);
        /// <summary>An output file exists and -Force was not given.</summary>
        public const string FileExists = nameof(FileExists);
        /// <summary>A file was expected and a folder was given.</summary>
        public const string PathIsDirectory = nameof(PathIsDirectory);
        /// <summary>A wildcard path matched no file.</summary>
        public const string PathNotFound = nameof(PathNotFound);
        /// <summary>The target needs a file path.</summary>
        public const string PathRequired = nameof(PathRequired);
        /// <summary>A path that must be absolute is relative.</summary>
        public const string RelativePath = nameof(RelativePath);
        /// <summary>The output folder is not on the file system.</summary>
        public const string OutputDirectoryInvalid = nameof(OutputDirectoryInvalid);
        /// <summary>Another writer held the file's lock for longer than the lock timeout.</summary>
        public const string FileLocked = nameof(FileLocked);
        /// <summary>The file to replace is read-only; it is left as it is.</summary>
        public const string FileReadOnly = nameof(FileReadOnly);
        /// <summary>Replacing the file would change its owner; nothing was written.</summary>
        public const string FileOwnerNotKept = nameof(FileOwnerNotKept);
        /// <summary>A failed write could not put the old file back (it is kept under a backup name).</summary>
        public const string FileRestoreFailed = nameof(FileRestoreFailed);
        /// <summary>An output path is not on the file system.</summary>
        public const string PathNotFileSystem = nameof(PathNotFileSystem);
        /// <summary>An output path with wildcards does not name exactly one file.</summary>
        public const string PathWildcardNotSingle = nameof(PathWildcardNotSingle);
        /// <summary>An input path is a FIFO, device, socket or directory, not a regular file (reading it could block or never end).</summary>
        public const string NotARegularFile = nameof(NotARegularFile);
        /// <summary>An input file is larger than any certificate, key or configuration file we read.</summary>
        public const string FileTooLarge = nameof(FileTooLarge);

        // Certificates and keys
        /// <summary>A file is not a readable certificate.</summary>
        public const string CertificateFileInvalid = nameof(CertificateFileInvalid);
        /// <summary>A PEM block is malformed.</summary>
        public const string PemInvalid = nameof(PemInvalid);
        /// <summary>A file that exporters must read as PEM is not PEM.</summary>
        public const string NotPem = nameof(NotPem);
        /// <summary>A file holds no certificate.</summary>
        public const string CertificateChainEmpty = nameof(CertificateChainEmpty);
        /// <summary>A certificate object has no file an exporter could be pointed at.</summary>
        public const string CertificateHasNoFile = nameof(CertificateHasNoFile);
        /// <summary>A certificate file was given where a private key was expected.</summary>
        public const string CertificateNotPrivateKey = nameof(CertificateNotPrivateKey);
        /// <summary>A file is not a readable private key.</summary>
        public const string PrivateKeyFileInvalid = nameof(PrivateKeyFileInvalid);
        /// <summary>A private key file was given where a certificate was expected.</summary>
        public const string PrivateKeyNotCertificate = nameof(PrivateKeyNotCertificate);
        /// <summary>A private key does not belong to its certificate.</summary>
        public const string PrivateKeyMismatch = nameof(PrivateKeyMismatch);
        /// <summary>An encrypted key or PKCS#12 file needs a password.</summary>
        public const string PrivateKeyPasswordRequired = nameof(PrivateKeyPasswordRequired);
        /// <summary>The password does not open the key or PKCS#12 file.</summary>
        public const string PrivateKeyPasswordInvalid = nameof(PrivateKeyPasswordInvalid);
        /// <summary>The key algorithm is not supported.</summary>
        public const string UnsupportedKeyAlgorithm = nameof(UnsupportedKeyAlgorithm);
        /// <summary>-CaCertificate got something that is neither a path nor a certificate.</summary>
        public const string CaCertificateInvalid = nameof(CaCertificateInvalid);
        /// <summary>-CaCertificate named no readable certificate.</summary>
        public const string CaCertificateNotFound = nameof(CaCertificateNotFound);
        /// <summary>More than one CA file was given where exporters take one.</summary>
        public const string MultipleCaFiles = nameof(MultipleCaFiles);
        /// <summary>A certificate given as a CA is not one.</summary>
        public const string NotCertificateAuthority = nameof(NotCertificateAuthority);
        /// <summary>-ClientCertificate got something that is neither a path nor a certificate read from a file.</summary>
        public const string ClientCertificateInvalid = nameof(ClientCertificateInvalid);
        /// <summary>A client certificate without its key, or a key without its certificate (one id in every cmdlet).</summary>
        public const string ClientCertificatePairIncomplete = nameof(ClientCertificatePairIncomplete);
        /// <summary>A certificate given as the client certificate is not for client authentication.</summary>
        public const string NotClientCertificate = nameof(NotClientCertificate);
        /// <summary>Two client certificates were given where an exporter sends one.</summary>
        public const string MultipleClientCertificates = nameof(MultipleClientCertificates);
        /// <summary>An expired certificate was not configured.</summary>
        public const string ExpiredCertificateRefused = nameof(ExpiredCertificateRefused);
        /// <summary>A certificate not valid yet was not configured.</summary>
        public const string NotYetValidCertificateRefused = nameof(NotYetValidCertificateRefused);

        // Issuing certificates
        /// <summary>A common name cannot be used.</summary>
        public const string InvalidCertificateName = nameof(InvalidCertificateName);
        /// <summary>A DNS name cannot be used in a certificate.</summary>
        public const string InvalidDnsName = nameof(InvalidDnsName);
        /// <summary>An IP address cannot be used in a certificate.</summary>
        public const string InvalidIPAddress = nameof(InvalidIPAddress);
        /// <summary>An extended key usage is unknown.</summary>
        public const string InvalidExtendedKeyUsage = nameof(InvalidExtendedKeyUsage);
        /// <summary>A CA path length is out of range.</summary>
        public const string InvalidPathLength = nameof(InvalidPathLength);
        /// <summary>A validity period is out of range.</summary>
        public const string InvalidValidityPeriod = nameof(InvalidValidityPeriod);
        /// <summary>A server certificate needs a DNS name or IP address.</summary>
        public const string ServerNameRequired = nameof(ServerNameRequired);
        /// <summary>A -CommonName that cannot be put in a certificate subject (empty, too long, control characters).</summary>
        public const string InvalidCommonName = nameof(InvalidCommonName);
        /// <summary>The signer's private key is not known.</summary>
        public const string SignerKeyMissing = nameof(SignerKeyMissing);
        /// <summary>The signer is not a CA.</summary>
        public const string SignerNotCertificateAuthority = nameof(SignerNotCertificateAuthority);
        /// <summary>The signer's path length forbids another CA below it.</summary>
        public const string SignerPathLengthExceeded = nameof(SignerPathLengthExceeded);
        /// <summary>An output file is the signer's own file.</summary>
        public const string SignerWouldBeOverwritten = nameof(SignerWouldBeOverwritten);

        // Endpoints, connections and exports
        /// <summary>The text is not an OTLP endpoint.</summary>
        public const string InvalidEndpoint = nameof(InvalidEndpoint);
        /// <summary>No endpoint was given.</summary>
        public const string EndpointRequired = nameof(EndpointRequired);
        /// <summary>An endpoint needs a scheme here.</summary>
        public const string EndpointSchemeMissing = nameof(EndpointSchemeMissing);
        /// <summary>The endpoint is a bare port (4317) with no host.</summary>
        public const string EndpointHostMissing = nameof(EndpointHostMissing);
        /// <summary>A -ServerName that is neither a DNS name nor an IP address.</summary>
        public const string InvalidServerName = nameof(InvalidServerName);
        /// <summary>An unknown OTLP protocol.</summary>
        public const string InvalidProtocol = nameof(InvalidProtocol);
        /// <summary>An unknown OTLP signal.</summary>
        public const string InvalidSignal = nameof(InvalidSignal);
        /// <summary>An unknown SDK name.</summary>
        public const string InvalidSdk = nameof(InvalidSdk);
        /// <summary>A timeout that is not positive.</summary>
        public const string InvalidTimeout = nameof(InvalidTimeout);
        /// <summary>A header name an exporter cannot send.</summary>
        public const string InvalidHeaderName = nameof(InvalidHeaderName);
        /// <summary>A header value that is missing or holds a line break (the value is never shown).</summary>
        public const string InvalidHeaderValue = nameof(InvalidHeaderValue);
        /// <summary>OTLP/gRPC is not available on this runtime (Windows PowerShell 5.1).</summary>
        public const string GrpcNotSupported = nameof(GrpcNotSupported);
        /// <summary>The endpoint presented no certificate.</summary>
        public const string CertificateNotPresented = nameof(CertificateNotPresented);
        /// <summary>An unexpected failure in one pipeline item.</summary>
        public const string UnexpectedFailure = nameof(UnexpectedFailure);

        // Exporter configuration
        /// <summary>The endpoint the environment configures cannot be used.</summary>
        public const string EnvironmentEndpointInvalid = nameof(EnvironmentEndpointInvalid);
        /// <summary>Set-OtlpTlsEnvironment was given nothing to set.</summary>
        public const string NothingToSet = nameof(NothingToSet);
        /// <summary>The target is not available on this platform.</summary>
        public const string TargetNotSupported = nameof(TargetNotSupported);
        /// <summary>GITHUB_ENV is not set (not in a GitHub Actions job).</summary>
        public const string GitHubEnvNotSet = nameof(GitHubEnvNotSet);
        /// <summary>-ExporterPath is not absolute.</summary>
        public const string ExporterPathNotAbsolute = nameof(ExporterPathNotAbsolute);
        /// <summary>Two files would have the same name under -ExporterPath.</summary>
        public const string ExporterPathCollision = nameof(ExporterPathCollision);
        /// <summary>The GitHub environment file has an invalid line.</summary>
        public const string GitHubEnvInvalid = nameof(GitHubEnvInvalid);
        /// <summary>A Kubernetes manifest is not valid YAML.</summary>
        public const string KubernetesManifestInvalid = nameof(KubernetesManifestInvalid);
        /// <summary>A Kubernetes manifest cannot be edited safely.</summary>
        public const string KubernetesManifestUnsupported = nameof(KubernetesManifestUnsupported);
        /// <summary>A Kubernetes manifest has no containers and no env list.</summary>
        public const string KubernetesNoContainers = nameof(KubernetesNoContainers);
        /// <summary>Editing a Kubernetes manifest did not give the intended result; nothing was written.</summary>
        public const string KubernetesEditFailed = nameof(KubernetesEditFailed);

        // Certificate objects given as arguments (OtlpCertificateArgumentAttribute) and PKCS#12 files
        /// <summary>A certificate object could not be turned into a certificate file.</summary>
        public const string CertificateInvalid = nameof(CertificateInvalid);
        /// <summary>A certificate object's private key cannot be exported to the key file an exporter reads.</summary>
        public const string PrivateKeyNotExportable = nameof(PrivateKeyNotExportable);
        /// <summary>A PKCS#12 file's password is missing or wrong.</summary>
        public const string Pkcs12PasswordInvalid = nameof(Pkcs12PasswordInvalid);

        // Reports (Export-OtlpTlsReport)
        /// <summary>A piped object is not something a report can hold.</summary>
        public const string ReportInputInvalid = nameof(ReportInputInvalid);
        /// <summary>The report could not be written.</summary>
        public const string ReportFailed = nameof(ReportFailed);

        // Collector configuration and Kubernetes manifests
        /// <summary>A piped certificate is neither a CA nor a server or client certificate still missing.</summary>
        public const string CertificateRoleUnknown = nameof(CertificateRoleUnknown);
        /// <summary>A collector configuration section to edit is in flow style ({ }), which cannot be edited without rewriting it.</summary>
        public const string CollectorConfigFlowStyle = nameof(CollectorConfigFlowStyle);
        /// <summary>A collector configuration has a value of the wrong shape where TLS settings are read.</summary>
        public const string CollectorConfigInvalid = nameof(CollectorConfigInvalid);
        /// <summary>A collector configuration already sets a TLS key to another value; nothing was written.</summary>
        public const string CollectorConfigMergeConflict = nameof(CollectorConfigMergeConflict);
        /// <summary>Editing a collector configuration did not give the intended result; nothing was written.</summary>
        public const string CollectorConfigMergeFailed = nameof(CollectorConfigMergeFailed);
        /// <summary>No collector configuration file was given.</summary>
        public const string CollectorConfigMissing = nameof(CollectorConfigMissing);
        /// <summary>A collector configuration file is not YAML (or not a mapping at its top).</summary>
        public const string CollectorConfigNotYaml = nameof(CollectorConfigNotYaml);
        /// <summary>A receiver protocol is not grpc or http.</summary>
        public const string CollectorProtocolInvalid = nameof(CollectorProtocolInvalid);
        /// <summary>A cipher suite is not one the collector knows.</summary>
        public const string CollectorTlsCipherSuiteArgumentUnknown = nameof(CollectorTlsCipherSuiteArgumentUnknown);
        /// <summary>Cipher suites were given with a TLS 1.3 minimum, where the collector cannot configure them.</summary>
        public const string CollectorTlsCipherSuitesNotApplicable = nameof(CollectorTlsCipherSuitesNotApplicable);
        /// <summary>Client authentication was asked for without a CA to verify clients with.</summary>
        public const string CollectorTlsClientCaMissing = nameof(CollectorTlsClientCaMissing);
        /// <summary>An exporter client certificate has no key file.</summary>
        public const string CollectorTlsClientKeyMissing = nameof(CollectorTlsClientKeyMissing);
        /// <summary>The minimum TLS version is above the maximum.</summary>
        public const string CollectorTlsVersionRangeInvalid = nameof(CollectorTlsVersionRangeInvalid);
        /// <summary>Neither a receiver nor an exporter TLS section was asked for.</summary>
        public const string CollectorTlsNothingToGenerate = nameof(CollectorTlsNothingToGenerate);
        /// <summary>The certificate reload interval is not positive.</summary>
        public const string CollectorTlsReloadIntervalArgumentInvalid = nameof(CollectorTlsReloadIntervalArgumentInvalid);
        /// <summary>A receiver TLS section was asked for without a server certificate and key.</summary>
        public const string CollectorTlsServerCertificateMissing = nameof(CollectorTlsServerCertificateMissing);
        /// <summary>A TLS version is not one the collector accepts (1.0 to 1.3).</summary>
        public const string CollectorTlsVersionArgumentInvalid = nameof(CollectorTlsVersionArgumentInvalid);
        /// <summary>The collector's Secret needs a server certificate with its key and a CA.</summary>
        public const string KubernetesPkiIncomplete = nameof(KubernetesPkiIncomplete);
        /// <summary>The Kubernetes manifest needs a service name.</summary>
        public const string KubernetesServiceNameMissing = nameof(KubernetesServiceNameMissing);
    }
}
