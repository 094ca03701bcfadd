using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security;
using System.Threading.Tasks;
using OtelTls.Engine.Configuration;
using OtelTls.Engine.Diagnosis;

namespace OtelTls.Commands
{
    /// <summary>
    /// <para type="synopsis">Diagnoses the TLS connection to an OTLP endpoint, stage by stage, with a fix for every failure.</para>
    /// <para type="description">Network, TLS, certificate, trust, hostname, client authentication and OTLP stages; returns one
    /// OtlpTlsDiagnosis per endpoint. Endpoints are diagnosed concurrently (-ThrottleLimit).</para>
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "OtlpTlsEndpoint", DefaultParameterSetName = EndpointSet)]
    [OutputType(typeof(OtlpTlsDiagnosis), typeof(bool))]
    public sealed class TestOtlpTlsEndpointCommand : OtlpCmdlet
    {
        private const string EndpointSet = "Endpoint";
        private const string EnvironmentSet = "FromEnvironment";
        private PipelineWorkQueue? _queue;
        private DiagnosisOptions? _options;

        /// <summary>Endpoints as exporters are given them: host:port, https://host:4318/v1/traces, [::1]:4317, dns:///host:4317.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = EndpointSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Url", "Uri")]
        [ValidateNotNullOrEmpty]
        public string[] Endpoint { get; set; } = null!;

        /// <summary>
        /// Diagnose what the OTEL_EXPORTER_OTLP_* variables configure, read exactly as an SDK reads them: endpoint, protocol,
        /// CA, client certificate and key, headers, per signal.
        /// </summary>
        [Parameter(Mandatory = true, ParameterSetName = EnvironmentSet)]
        public SwitchParameter FromEnvironment { get; set; }

        /// <summary>With -FromEnvironment: a dotenv file to read instead of the process environment.</summary>
        [Parameter(ParameterSetName = EnvironmentSet)]
        [ValidateNotNullOrEmpty]
        public string? EnvironmentPath { get; set; }

        /// <summary>With -FromEnvironment: the signals whose configuration to diagnose (default: all three; identical ones once).</summary>
        [Parameter(ParameterSetName = EnvironmentSet)]
        [ValidateSet("traces", "metrics", "logs")]
        public string[] Signal { get; set; } = { "traces", "metrics", "logs" };

        /// <summary>The exporter protocol: grpc or http/protobuf. Without it, port 4318 or a /v1/ path means http/protobuf.</summary>
        [Parameter]
        [ValidateSet("grpc", "http/protobuf", IgnoreCase = true)]
        public string? Protocol { get; set; }

        /// <summary>The CA(s) the exporter trusts (OTEL_EXPORTER_OTLP_CERTIFICATE): files or OtlpCertificate objects. Default: the system store.</summary>
        [Parameter]
        [Alias("CaFile", "CAPath")]
        public object[]? CaCertificate { get; set; }

        /// <summary>The client certificate for mTLS (OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE); intermediates may follow the leaf.</summary>
        [Parameter]
        public string? ClientCertificate { get; set; }

        /// <summary>The client certificate's private key (OTEL_EXPORTER_OTLP_CLIENT_KEY).</summary>
        [Parameter]
        public string? ClientKey { get; set; }

        /// <summary>Password of an encrypted -ClientKey.</summary>
        [Parameter]
        public SecureString? ClientKeyPassword { get; set; }

        /// <summary>The name to send as SNI and to verify in the certificate, like the collector's server_name_override.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ServerName { get; set; }

        /// <summary>The TLS versions the client offers (default Tls12, Tls13). Tls10/Tls11 test legacy acceptance.</summary>
        [Parameter]
        public OtlpTlsVersion[]? TlsVersion { get; set; }

        /// <summary>Bound on each network step, in seconds.</summary>
        [Parameter]
        [ValidateRange(1, 600)]
        public int TimeoutSec { get; set; } = 10;

        /// <summary>Certificates that expire within this many days get a warning.</summary>
        [Parameter]
        [ValidateRange(0, 3650)]
        public int ExpiryWarningDays { get; set; } = 30;

        /// <summary>How many endpoints are diagnosed at once.</summary>
        [Parameter]
        [ValidateRange(1, 1024)]
        public int ThrottleLimit { get; set; } = 16;

        /// <summary>Headers for the OTLP export stage (Authorization, api-key); values are never shown.</summary>
        [Parameter]
        public Hashtable? Header { get; set; }

        /// <summary>Skip the OTLP export stage.</summary>
        [Parameter]
        public SwitchParameter SkipExport { get; set; }

        /// <summary>Write only $true (no Error finding) or $false per endpoint.</summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        /// <summary>Reads the trust and client files once; without them no diagnosis could be right.</summary>
        protected override void BeginProcessing()
        {
            _options = new DiagnosisOptions
            {
                Protocol = Protocol is null ? null : string.Equals(Protocol, "grpc", StringComparison.OrdinalIgnoreCase) ? OtlpProtocol.Grpc : OtlpProtocol.HttpProtobuf,
                TrustedAuthorities = ResolveCaCertificates(CaCertificate),
                ServerName = ServerName,
                TlsVersions = TlsVersion,
                Timeout = TimeSpan.FromSeconds(TimeoutSec),
                ExpiryWarningDays = ExpiryWarningDays,
                SkipExport = SkipExport,
                Headers = Header?.Cast<DictionaryEntry>().ToDictionary(e => e.Key.ToString()!, e => e.Value?.ToString() ?? string.Empty, StringComparer.OrdinalIgnoreCase)
                    ?? new Dictionary<string, string>(),
            };
            if (CaCertificate is { Length: 1 } && CaCertificate[0] is string caPath)
            {
                _options.CaCertificatePath = PathResolution.ResolveExisting(this, caPath, literal: false).FirstOrDefault();
            }

            LoadClientCertificate(_options);
            if (TlsVersion?.Any(v => v < OtlpTlsVersion.Tls12) == true)
            {
                WriteWarning("TLS 1.0 and 1.1 are offered on request only to test whether the server still accepts them; never configure exporters with them.");
            }

            _queue = new PipelineWorkQueue(this, ThrottleLimit, "Test-OtlpTlsEndpoint", CancellationToken);
        }

        /// <summary>Starts a diagnosis per endpoint and writes whatever has finished.</summary>
        protected override void ProcessRecord()
        {
            if (ParameterSetName == EnvironmentSet)
            {
                DiagnoseEnvironment();
                _queue!.DrainAvailable();
                return;
            }

            foreach (var text in Endpoint)
            {
                OtlpEndpoint endpoint;
                try
                {
                    endpoint = EndpointParser.Parse(text, _options!.Protocol);
                }
                catch (OtlpTlsException exception)
                {
                    WriteEngineError(exception);
                    continue;
                }

                Start(endpoint, _options!);
            }

            _queue!.DrainAvailable();
        }

        private void Start(OtlpEndpoint endpoint, DiagnosisOptions shared)
        {
            var quiet = Quiet.IsPresent;
            _queue!.Start(endpoint.Authority, async (narrate, token) =>
            {
                var diagnosis = await EndpointDiagnoser.DiagnoseAsync(endpoint, shared.WithNarration(narrate), token).ConfigureAwait(false);
                return quiet ? diagnosis.IsHealthy : diagnosis;
            });
        }

        private void DiagnoseEnvironment()
        {
            OtlpTlsEnvironment environment;
            IReadOnlyDictionary<string, string> variables;
            try
            {
                var file = EnvironmentPath is null ? null : PathResolution.ResolveForOutput(this, EnvironmentPath);
                variables = file is null ? OtlpEnvironmentReader.ProcessVariables() : DotEnvFile.Read(file);
                environment = OtlpEnvironmentReader.Read(variables, file ?? "Process", null, file is null ? null : System.IO.Path.GetDirectoryName(file));
            }
            catch (OtlpTlsException exception)
            {
                ThrowEngineError(exception);
                return;
            }

            foreach (var finding in environment.Findings.Where(f => f.Severity != OtlpSeverity.Info))
            {
                WriteWarning($"{finding.Id}: {finding.Message}");
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var signal in environment.Signals.Where(s => Signal.Contains(s.Signal, StringComparer.OrdinalIgnoreCase)))
            {
                if (signal.Endpoint is null || !seen.Add(string.Join("|", signal.Url, signal.CertificateFile, signal.ClientCertificateFile, signal.ClientKeyFile)))
                {
                    continue;
                }

                WriteVerbose($"{signal.Signal}: {signal.ProtocolName} {signal.Url} (endpoint from {signal.EndpointSource}, CA {signal.CertificateFile ?? "system store"}).");
                var options = _options!.Copy();
                options.Protocol = signal.Protocol;
                options.TrustedAuthorities = signal.CertificateFile is null ? null : ReadOrStop(signal.CertificateFile);
                options.CaCertificatePath = signal.CertificateFile;
                if (signal.ClientCertificateFile is not null && signal.ClientKeyFile is not null)
                {
                    try
                    {
                        options.LoadClientCertificate(signal.ClientCertificateFile, signal.ClientKeyFile, null);
                    }
                    catch (OtlpTlsException exception)
                    {
                        WriteEngineError(exception);
                        continue;
                    }
                }

                var headers = OtlpHeaderList.Parse(Variable(variables, "OTEL_EXPORTER_OTLP_HEADERS"));
                var signalHeaders = OtlpHeaderList.Parse(Variable(variables, $"OTEL_EXPORTER_OTLP_{signal.Signal.ToUpperInvariant()}_HEADERS"));
                options.Headers = signalHeaders.Count > 0 ? signalHeaders : headers;
                Start(signal.Endpoint, options);
            }
        }

        private static string? Variable(IReadOnlyDictionary<string, string> variables, string name) =>
            variables.TryGetValue(name, out var value) ? value : null;

        /// <summary>Waits for the remaining diagnoses.</summary>
        protected override void EndProcessing() => _queue?.Complete();

        /// <summary>Releases the work queue.</summary>
        protected override void StopProcessing()
        {
            base.StopProcessing();
            _queue?.Dispose();
        }

        private void LoadClientCertificate(DiagnosisOptions options)
        {
            if (ClientCertificate is null && ClientKey is null)
            {
                return;
            }

            if (ClientCertificate is null || ClientKey is null)
            {
                ThrowEngineError(new OtlpTlsException("ClientCertificateIncomplete", OtlpErrorKind.InvalidArgument,
                    "mTLS needs both -ClientCertificate and -ClientKey.", ClientCertificate ?? ClientKey,
                    "Pass the client certificate file and its private key file together (like OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE and _CLIENT_KEY)."));
            }

            var certificatePath = PathResolution.ResolveForOutput(this, ClientCertificate!);
            var keyPath = PathResolution.ResolveForOutput(this, ClientKey!);
            try
            {
                options.LoadClientCertificate(certificatePath, keyPath, SecureStrings.ToPlainText(ClientKeyPassword));
            }
            catch (OtlpTlsException exception)
            {
                ThrowEngineError(exception);
            }

            WriteVerbose($"Client certificate: {options.ClientCertificateChain![0].Subject} (issuer {options.ClientCertificateChain[0].Issuer}).");
        }
    }
}
