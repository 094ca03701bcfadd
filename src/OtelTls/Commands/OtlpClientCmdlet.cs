using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security;
using OtelTls.Engine;
using OtelTls.Engine.Client;
using OtelTls.Engine.Configuration;
using OtelTls.Support;

namespace OtelTls.Commands
{
    /// <summary>
    /// What the cmdlets that connect to a collector as an exporter would share: the exporter's TLS settings as parameters
    /// (CA, client key, server name, headers, timeout) or read from OTEL_EXPORTER_OTLP_* (-FromEnvironment).
    /// </summary>
    public abstract class OtlpClientCmdlet : OtlpCmdlet
    {
        private readonly List<OtlpClientSettings> _owned = new();
        private readonly Dictionary<string, OtlpClientSettings> _perRecord = new(StringComparer.Ordinal);
        private OtlpClientSettings? _shared;
        private string? _sharedKey;

        /// <summary>The files this command reads, each read from disk once (the environment's checks and every connection share them).</summary>
        private readonly CommandFiles _files = new();

        /// <summary>The parameter set of -Endpoint.</summary>
        protected const string EndpointSet = "Endpoint";

        /// <summary>The parameter set of -FromEnvironment.</summary>
        protected const string EnvironmentSet = "FromEnvironment";

        /// <summary>
        /// Use what the OTEL_EXPORTER_OTLP_* variables configure, read exactly as an SDK reads them: endpoint, protocol, CA,
        /// client certificate and key, headers; signal-specific variables win.
        /// </summary>
        [Parameter(Mandatory = true, ParameterSetName = EnvironmentSet)]
        public SwitchParameter FromEnvironment { get; set; }

        /// <summary>With -FromEnvironment: a dotenv file (KEY=value lines) to read instead of the process environment.</summary>
        [Parameter(ParameterSetName = EnvironmentSet)]
        [ValidateNotNullOrEmpty]
        public string? EnvironmentPath { get; set; }

        /// <summary>
        /// The CA(s) the exporter trusts (OTEL_EXPORTER_OTLP_CERTIFICATE): files, OtlpCertificate or X509Certificate2 objects;
        /// also a CaCertificate column or property of piped objects (Import-Csv), per row. Default: the system store.
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("CaFile", "CAPath")]
        [OtlpCertificateArgument]
        public object[]? CaCertificate { get; set; }

        /// <summary>
        /// The client certificate for mutual TLS (OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE): a file path, an OtlpCertificate
        /// read from a file (its KeyPath is used when -ClientKey is not given), or an X509Certificate2 with its private key
        /// (Cert:\, Get-PfxCertificate). Also from a ClientCertificate column of piped objects.
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [OtlpCertificateArgument]
        public object? ClientCertificate { get; set; }

        /// <summary>The client certificate's private key (OTEL_EXPORTER_OTLP_CLIENT_KEY): a file, or a certificate object that carries its key. Also from a ClientKey column.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [OtlpCertificateArgument(OtlpCertificateArgumentKind.KeyPath)]
        public string? ClientKey { get; set; }

        /// <summary>Password of an encrypted -ClientKey.</summary>
        [Parameter]
        public SecureString? ClientKeyPassword { get; set; }

        /// <summary>The name to send as SNI and to verify in the certificate, like the collector's server_name_override. Also from a ServerName column.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [EmptyAsNull]
        public string? ServerName { get; set; }

        /// <summary>Request headers (gRPC metadata), e.g. @{ Authorization = 'Bearer …' }; values may be SecureStrings and are never shown.</summary>
        [Parameter]
        public Hashtable? Header { get; set; }

        /// <summary>Bound on each network step, in seconds.</summary>
        [Parameter]
        [ValidateRange(1, 600)]
        public int TimeoutSec { get; set; } = 10;

        /// <summary>
        /// The TLS settings of the current record as one string: objects piped by property name (Test-OtlpCollectorConfig's
        /// components) carry their own CA, client certificate and server name, so a change means new options.
        /// </summary>
        private string ClientSettingsKey()
        {
            static string Text(object? value) => Unwrap(value) switch
            {
                null => string.Empty,
                OtlpCertificate certificate => certificate.Thumbprint + "@" + certificate.Path,
                FileInfo file => file.FullName,
                var other => other.ToString() ?? string.Empty,
            };

            return string.Join("\u0001", (CaCertificate ?? Array.Empty<object>()).Select(Text)) + "\u0002" + Text(ClientCertificate) + "\u0002" + ClientKey + "\u0002" + ServerName;
        }

        /// <summary>The -ClientCertificate and -ClientKey files, resolved against the current location; nulls when not given.</summary>
        protected (string? CertificateFile, string? KeyFile) ResolveClientCertificate()
        {
            var (certificateFile, keyFile) = ClientCertificateArgument.Files(Unwrap(ClientCertificate), ClientKey);
            return (certificateFile is null ? null : PathResolution.ResolveForOutput(this, certificateFile),
                keyFile is null ? null : PathResolution.ResolveForOutput(this, keyFile));
        }

        /// <summary>-Header as name → value; SecureString values are opened here and nowhere shown.</summary>
        protected Dictionary<string, string> ReadHeaderTable()
        {
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (Header is null)
            {
                return headers;
            }

            foreach (DictionaryEntry entry in Header)
            {
                var name = Convert.ToString(Unwrap(entry.Key), CultureInfo.InvariantCulture) ?? string.Empty;
                var value = Unwrap(entry.Value) switch
                {
                    SecureString secure => SecureStrings.ToPlainText(secure),
                    null => null,
                    var other => Convert.ToString(other, CultureInfo.InvariantCulture),
                };
                // A null value is passed on as such: the engine names the header and hides the value in its error.
                headers[name] = value!;
            }

            return headers;
        }

        /// <summary>
        /// The client settings the parameters give, read and checked once for the whole command (files, key, headers); a
        /// failure stops the command, since no connection could be right without them. The command owns and releases them.
        /// </summary>
        protected OtlpClientSettings BuildClientSettings(OtlpProtocol? protocol, IReadOnlyList<OtlpCertificate>? trusted)
        {
            try
            {
                return CreateClientSettings(protocol, trusted);
            }
            catch (OtlpTlsException exception)
            {
                ThrowEngineError(exception);
                throw; // not reached: ThrowTerminatingError throws
            }
        }

        /// <summary>
        /// Reads the command's client settings once, before the first record (BeginProcessing): the trusted CAs, the client
        /// pair and the headers. A failure stops the command, since no connection could be right without them.
        /// </summary>
        protected OtlpClientSettings BuildSharedClientSettings(OtlpProtocol? protocol)
        {
            _shared = BuildClientSettings(protocol, ResolveCaCertificates(CaCertificate));
            _sharedKey = ClientSettingsKey();
            return _shared;
        }

        /// <summary>
        /// The settings for the current record: the shared ones, unless the record brought its own CA, client certificate,
        /// key or server name by property name (an Import-Csv row, an exporter from Test-OtlpCollectorConfig). Those are read
        /// once per distinct set; files that cannot be read are an <see cref="OtlpTlsException"/> for that record only.
        /// </summary>
        protected OtlpClientSettings ClientSettingsForRecord(OtlpProtocol? protocol)
        {
            var key = ClientSettingsKey();
            if (key == _sharedKey)
            {
                return _shared!;
            }

            if (!_perRecord.TryGetValue(key, out var settings))
            {
                settings = CreateClientSettings(protocol, ResolveCaCertificates(CaCertificate));
                _perRecord[key] = settings;
            }

            return settings;
        }

        /// <summary>
        /// The client settings the current parameters give, owned and released by the command; unusable input is an
        /// <see cref="OtlpTlsException"/> for the caller to report (per record when a piped object brought its own files).
        /// </summary>
        protected OtlpClientSettings CreateClientSettings(OtlpProtocol? protocol, IReadOnlyList<OtlpCertificate>? trusted)
        {
            var (certificateFile, keyFile) = ResolveClientCertificate();
            var settings = new OtlpClientSettings(trusted, certificateFile, keyFile, SecureStrings.ToPlainText(ClientKeyPassword), ServerName,
                protocol, ReadHeaderTable(), TimeSpan.FromSeconds(TimeoutSec), _files);
            return Own(settings);
        }

        /// <summary>The settings for one signal of the environment: the parameters where given, the variables for the rest.</summary>
        protected OtlpClientSettings SettingsForSignal(OtlpClientSettings fromParameters, ExporterEnvironment environment, OtlpSignalConfiguration signal) =>
            Own(fromParameters.ForSignal(signal, environment.Configuration, environment.Variables, CaCertificate is not null,
                ClientCertificate is not null || ClientKey is not null));

        /// <summary>
        /// Reads the exporter configuration from the process or the -EnvironmentPath dotenv file, warning about its
        /// findings (Get-OtlpTlsEnvironment shows them in full). Relative paths in a dotenv file are relative to the file;
        /// in the process environment, to the session's current location, where the programs it starts run.
        /// </summary>
        protected ExporterEnvironment ReadExporterEnvironment()
        {
            var file = EnvironmentPath is null ? null : PathResolution.ResolveForOutput(this, EnvironmentPath);
            var variables = file is null ? OtlpEnvironmentReader.ProcessVariables() : DotEnvFile.Read(file);
            var baseDirectory = file is null ? SessionState.Path.CurrentFileSystemLocation.ProviderPath : Path.GetDirectoryName(file)!;
            var environment = OtlpEnvironmentReader.Read(variables, file ?? "Process", null, baseDirectory, _files);
            foreach (var finding in environment.Findings.Where(f => f.Severity != OtlpSeverity.Info))
            {
                WriteWarning($"{finding.Id}: {finding.Message}");
            }

            return new ExporterEnvironment(variables, environment, file);
        }

        /// <summary>Releases the client settings this command built.</summary>
        protected override void ReleaseResources()
        {
            lock (_owned)
            {
                foreach (var settings in _owned)
                {
                    settings.Dispose();
                }

                _owned.Clear();
            }

            _files.Dispose();
        }

        private OtlpClientSettings Own(OtlpClientSettings settings)
        {
            lock (_owned)
            {
                _owned.Add(settings);
            }

            return settings;
        }

        /// <summary>Takes the PowerShell wrapper off a value.</summary>
        protected static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;

        /// <summary>The exporter configuration the environment holds.</summary>
        protected sealed class ExporterEnvironment
        {
            internal ExporterEnvironment(IReadOnlyDictionary<string, string> variables, OtlpTlsEnvironment environment, string? file)
            {
                Variables = variables;
                Configuration = environment;
                File = file;
            }

            /// <summary>The variables as read.</summary>
            public IReadOnlyDictionary<string, string> Variables { get; }

            /// <summary>The resolved configuration per signal.</summary>
            public OtlpTlsEnvironment Configuration { get; }

            /// <summary>The dotenv file, or null for the process environment.</summary>
            public string? File { get; }
        }
    }
}
