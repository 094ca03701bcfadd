using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using OtelTls.Engine.Otlp;

namespace OtelTls.Engine.Client
{
    /// <summary>
    /// Everything an OTLP exporter is configured with for one connection — trust, client certificate and key, server name
    /// override, protocol, headers, time bound — read and checked once, then shared by the diagnosis's probe, its platform
    /// check, its export stage and <c>Send-OtlpTestSpan</c>. Files are read when it is built, never again; the platform
    /// certificates it makes are its own and are released with it (the command that built it disposes it).
    /// </summary>
    public sealed class OtlpClientSettings : IDisposable
    {
        private readonly bool _ownsCredential;
        private readonly CommandFiles? _files;

        /// <summary>Client credentials the environment names, one per certificate and key pair, shared by every signal that names them.</summary>
        private readonly Dictionary<string, ClientCredential> _environmentCredentials = new(StringComparer.Ordinal);
        private IReadOnlyList<X509Certificate2>? _platformTrusted;

        /// <summary>Builds and validates the settings; unusable input is an <see cref="OtlpTlsException"/> here, before anything connects.</summary>
        /// <param name="trustedAuthorities">The CAs the client trusts (OTEL_EXPORTER_OTLP_CERTIFICATE); null or empty: the system store.</param>
        /// <param name="clientCertificatePath">The client certificate file (PEM with its chain after the leaf, DER or PKCS#12), or null.</param>
        /// <param name="clientKeyPath">Its private key file; may be null when the certificate file is PKCS#12.</param>
        /// <param name="clientKeyPassword">Password of an encrypted key or PKCS#12 file.</param>
        /// <param name="serverName">The name sent as SNI and verified in the server certificate (server_name_override).</param>
        /// <param name="protocol">The exporter protocol; null infers it from each endpoint.</param>
        /// <param name="headers">Request headers (gRPC metadata); checked here, values never shown.</param>
        /// <param name="timeout">The bound on each network step; default 10 s.</param>
        /// <param name="files">
        /// The command's file reads: the client files here, and the environment's files in <see cref="ForSignal"/>, are read
        /// through it, so each is read from disk once per command. Null reads them directly.
        /// </param>
        public OtlpClientSettings(IReadOnlyList<OtlpCertificate>? trustedAuthorities = null, string? clientCertificatePath = null,
            string? clientKeyPath = null, string? clientKeyPassword = null, string? serverName = null, OtlpProtocol? protocol = null,
            IReadOnlyDictionary<string, string>? headers = null, TimeSpan? timeout = null, CommandFiles? files = null)
            : this(trustedAuthorities, null, false, serverName, protocol, headers, timeout ?? TimeSpan.FromSeconds(10))
        {
            // Read last: everything that needs no file is checked first, and nothing is left open when a check fails.
            Credential = ClientCredential.Load(clientCertificatePath, clientKeyPath, clientKeyPassword, files);
            _ownsCredential = true;
            _files = files;
        }

        private OtlpClientSettings(IReadOnlyList<OtlpCertificate>? trustedAuthorities, ClientCredential? credential, bool ownsCredential,
            string? serverName, OtlpProtocol? protocol, IReadOnlyDictionary<string, string>? headers, TimeSpan timeout)
        {
            TrustedAuthorities = trustedAuthorities is { Count: > 0 } ? trustedAuthorities : null;
            CaCertificatePath = SingleSource(TrustedAuthorities);
            // Checked here so every command that connects refuses a line break or an over-long name before any socket opens.
            Endpoints.EndpointParser.ValidateServerName(serverName);
            ServerName = string.IsNullOrEmpty(serverName) ? null : serverName;
            Protocol = protocol;
            Timeout = timeout;
            if (Timeout <= TimeSpan.Zero)
            {
                throw new OtlpTlsException(OtlpErrorId.InvalidTimeout, OtlpErrorKind.InvalidArgument, "The timeout must be positive.", Timeout,
                    "Give a timeout of at least one second.");
            }

            var copy = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var header in headers ?? new Dictionary<string, string>())
            {
                OtlpHeaderRules.Validate(header.Key, header.Value);
                copy[header.Key] = header.Value;
            }

            Headers = copy;
            if (protocol is { } known)
            {
                ValidateFor(known);
            }

            Credential = credential;
            _ownsCredential = ownsCredential;
        }

        /// <summary>The CAs the client trusts; null means the system store.</summary>
        public IReadOnlyList<OtlpCertificate>? TrustedAuthorities { get; }

        /// <summary>The one file every trusted certificate came from, for messages and the openssl command; null when none or several.</summary>
        public string? CaCertificatePath { get; }

        /// <summary>The client certificate and what followed it in its file, leaf first; null without mutual TLS.</summary>
        public IReadOnlyList<OtlpCertificate>? ClientCertificateChain => Credential?.Chain;

        /// <summary>The client certificate file, for the openssl command and messages.</summary>
        public string? ClientCertificatePath => Credential?.CertificatePath;

        /// <summary>The client key file (the certificate file itself for PKCS#12), for the openssl command and messages.</summary>
        public string? ClientKeyPath => Credential?.KeyPath;

        /// <summary>The name sent as SNI and verified in the server certificate; null: the endpoint's host.</summary>
        public string? ServerName { get; }

        /// <summary>The exporter protocol; null infers it from the endpoint (port 4318 or a /v1/ path means HTTP).</summary>
        public OtlpProtocol? Protocol { get; }

        /// <summary>Request headers (gRPC metadata), already checked. Values are never logged or printed.</summary>
        public IReadOnlyDictionary<string, string> Headers { get; }

        /// <summary>The bound on each network step (connect, handshake, request and answer).</summary>
        public TimeSpan Timeout { get; }

        /// <summary>The client certificate, chain and key as read once; null without mutual TLS.</summary>
        internal ClientCredential? Credential { get; }

        /// <summary>
        /// Checks what depends on the protocol, once an endpoint decides it: gRPC metadata ending in <c>-bin</c> carries
        /// binary values a text header cannot give.
        /// </summary>
        /// <param name="protocol">The endpoint's protocol.</param>
        public void ValidateFor(OtlpProtocol protocol)
        {
            foreach (var header in Headers)
            {
                OtlpHeaderRules.ValidateForProtocol(header.Key, protocol);
            }
        }

        /// <summary>
        /// The settings an exporter for one signal of <paramref name="environment"/> has. What this command was given
        /// explicitly wins (its trust when <paramref name="trustGiven"/>, its client certificate when
        /// <paramref name="clientGiven"/>, its headers over the signal's); the rest comes from the variables, with relative
        /// files resolved against <see cref="OtlpTlsEnvironment.BaseDirectory"/>. A client certificate and key come from the
        /// environment only when both are set (Go ignores one alone, Java refuses it). Files are read through the command's
        /// <see cref="CommandFiles"/>, and a client certificate and key are loaded once for all the signals that name them; what
        /// is loaded belongs to this instance, not to the result, and is released with it.
        /// </summary>
        /// <param name="signal">The signal's resolved configuration.</param>
        /// <param name="environment">The environment it was resolved from.</param>
        /// <param name="variables">The variables themselves (for the signal's headers).</param>
        /// <param name="trustGiven">True when the command was given its own CA certificates.</param>
        /// <param name="clientGiven">True when the command was given its own client certificate.</param>
        public OtlpClientSettings ForSignal(OtlpSignalConfiguration signal, OtlpTlsEnvironment environment, IReadOnlyDictionary<string, string> variables,
            bool trustGiven, bool clientGiven)
        {
            var trusted = trustGiven || signal.CertificatePath is null
                ? TrustedAuthorities
                : Certificates.CertificateReader.ReadFile(Configuration.OtlpEnvironmentReader.FullPath(environment, signal.CertificatePath), null, _files);
            var headers = Configuration.OtlpHeaderList.ForSignal(variables, signal.Signal, Headers);
            var credential = clientGiven ? Credential
                : signal.ClientCertificatePath is null || signal.ClientKeyPath is null ? null
                : EnvironmentCredential(Configuration.OtlpEnvironmentReader.FullPath(environment, signal.ClientCertificatePath),
                    Configuration.OtlpEnvironmentReader.FullPath(environment, signal.ClientKeyPath));
            return new OtlpClientSettings(trusted, credential, false, ServerName, signal.Protocol, headers, Timeout);
        }

        private ClientCredential EnvironmentCredential(string certificatePath, string keyPath)
        {
            lock (_environmentCredentials)
            {
                var key = certificatePath + "\n" + keyPath;
                if (!_environmentCredentials.TryGetValue(key, out var credential))
                {
                    credential = ClientCredential.Load(certificatePath, keyPath, null, _files)!;
                    _environmentCredentials[key] = credential;
                }

                return credential;
            }
        }

        /// <summary>
        /// The same settings with a shorter time bound, for the stages of one endpoint that share its deadline. The copy
        /// shares the credential and trusted certificates already read (no file is read again) and does not own them: only
        /// the settings that read the files dispose them.
        /// </summary>
        /// <param name="timeout">The bound for the copy; must be positive.</param>
        internal OtlpClientSettings WithTimeout(TimeSpan timeout)
        {
            if (timeout == Timeout)
            {
                return this;
            }

            var copy = new OtlpClientSettings(TrustedAuthorities, Credential, false, ServerName, Protocol, Headers, timeout);
            copy._platformTrusted = _platformTrusted;
            return copy;
        }

        /// <summary>The trusted CAs as platform certificates, made once.</summary>
        internal IReadOnlyList<X509Certificate2>? PlatformTrusted =>
            TrustedAuthorities is null ? null
                : LazyInitializer.EnsureInitialized(ref _platformTrusted, () => TrustedAuthorities.Select(a => a.Certificate ?? new X509Certificate2(a.GetRawData())).ToList());

        /// <summary>
        /// The client certificate with its private key as the platform TLS stack takes it, made once: every connection of
        /// the command presents this one object, which lives until the settings that read it are disposed.
        /// </summary>
        internal X509Certificate2? PlatformClientCertificate => Credential?.PlatformCertificate;

        /// <summary>Releases the platform certificates made from the client files this instance read (not shared ones).</summary>
        public void Dispose()
        {
            if (_ownsCredential)
            {
                Credential?.Dispose();
            }

            lock (_environmentCredentials)
            {
                foreach (var credential in _environmentCredentials.Values)
                {
                    credential.Dispose();
                }

                _environmentCredentials.Clear();
            }
        }

        /// <summary>The openssl command can name one CA file: the one every trusted certificate came from, if there is one.</summary>
        private static string? SingleSource(IReadOnlyList<OtlpCertificate>? trusted)
        {
            var paths = trusted?.Select(c => c.Path).Distinct().ToList();
            return paths is { Count: 1 } ? paths[0] : null;
        }
    }
}
