using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using OtelTls.Engine.Client;
using OtelTls.Engine.Configuration;
using OtelTls.Engine.Diagnosis;
using OtelTls.Engine.Endpoints;
using OtelTls.Engine.Vocabulary;
using OtelTls.Support;

namespace OtelTls.Commands
{
    /// <summary>
    /// <para type="synopsis">Diagnoses the TLS connection to an OTLP endpoint, stage by stage, with a fix for every failure.</para>
    /// <para type="description">Network, TLS, certificate, trust, hostname, client authentication and OTLP stages; returns one
    /// OtlpTlsDiagnosis per endpoint. Endpoints are diagnosed concurrently (-ThrottleLimit).</para>
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "OtlpTlsEndpoint", DefaultParameterSetName = EndpointSet)]
    [OutputType(typeof(OtlpTlsDiagnosis), typeof(bool))]
    public sealed class TestOtlpTlsEndpointCommand : OtlpClientCmdlet
    {
        private PipelineWorkQueue? _queue;
        private DiagnosisOptions? _options;
        private readonly Dictionary<OtlpClientSettings, DiagnosisOptions> _recordOptions = new();

        /// <summary>Endpoints as exporters are given them: host:port, https://host:4318/v1/traces, [::1]:4317, dns:///host:4317.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = EndpointSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Url", "Uri")]
        [ValidateNotNullOrEmpty]
        public string[] Endpoint { get; set; } = null!;

        /// <summary>With -FromEnvironment: the signals whose configuration to diagnose (default: all three; identical ones once).</summary>
        [Parameter(ParameterSetName = EnvironmentSet)]
        public OtlpSignal[] Signal { get; set; } = { OtlpSignal.Traces, OtlpSignal.Metrics, OtlpSignal.Logs };

        /// <summary>The exporter protocol: Grpc or HttpProtobuf (grpc and http/protobuf bind too). Without it, port 4318 or a /v1/ path means http/protobuf.</summary>
        [Parameter(ParameterSetName = EndpointSet)]
        [OtlpNameArgument(typeof(OtlpProtocol))]
        [ValidateSet(nameof(OtlpProtocol.Grpc), nameof(OtlpProtocol.HttpProtobuf))]
        public OtlpProtocol? Protocol { get; set; }

        /// <summary>The TLS versions the client offers (default Tls12, Tls13; 1.2 and TLS 1.2 bind too). Tls10/Tls11 test legacy acceptance.</summary>
        [Parameter]
        [OtlpNameArgument(typeof(OtlpTlsVersion))]
        public OtlpTlsVersion[]? TlsVersion { get; set; }

        /// <summary>Certificates that expire within this many days get a warning.</summary>
        [Parameter]
        [ValidateRange(0, 3650)]
        public int ExpiryWarningDays { get; set; } = 30;

        /// <summary>How many endpoints are diagnosed at once.</summary>
        [Parameter]
        [ValidateRange(1, 1024)]
        public int ThrottleLimit { get; set; } = 16;

        /// <summary>Skip the OTLP export stage.</summary>
        [Parameter]
        public SwitchParameter SkipExport { get; set; }

        /// <summary>Write only $true (no Error finding) or $false per endpoint, in input order.</summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        /// <summary>Reads the trust and client files and checks the headers once; without them no diagnosis could be right.</summary>
        protected override void BeginProcessing()
        {
            if (TlsVersion?.Any(TlsVersions.IsLegacy) == true)
            {
                WriteWarning("TLS 1.0 and 1.1 are offered on request only to test whether the server still accepts them; never configure exporters with them.");
            }

            _options = OptionsFor(BuildSharedClientSettings(Protocol));
            _queue = new PipelineWorkQueue(this, ThrottleLimit, "Test-OtlpTlsEndpoint", CancellationToken, inputOrder: Quiet.IsPresent);
        }

        private DiagnosisOptions OptionsFor(OtlpClientSettings client)
        {
            if (client.ClientCertificateChain is { } chain)
            {
                WriteVerbose($"Client certificate: {chain[0].Subject} (issuer {chain[0].Issuer}).");
            }

            return new DiagnosisOptions
            {
                Client = client,
                TlsVersions = TlsVersion,
                ExpiryWarningDays = ExpiryWarningDays,
                SkipExport = SkipExport,
            };
        }

        /// <summary>
        /// The options for the current record: the shared ones, unless the record brought its own CA, client certificate or
        /// server name by property name (e.g. an exporter from Test-OtlpCollectorConfig); those are read once per distinct set,
        /// and a record whose files cannot be read is an error for that record only.
        /// </summary>
        private DiagnosisOptions OptionsForRecord()
        {
            var client = ClientSettingsForRecord(Protocol);
            if (ReferenceEquals(client, _options!.Client))
            {
                return _options;
            }

            if (!_recordOptions.TryGetValue(client, out var options))
            {
                options = OptionsFor(client);
                _recordOptions[client] = options;
            }

            return options;
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

            DiagnosisOptions options;
            try
            {
                options = OptionsForRecord();
            }
            catch (OtlpTlsException exception)
            {
                WriteEngineError(exception);
                return;
            }

            foreach (var text in Endpoint)
            {
                OtlpEndpoint endpoint;
                try
                {
                    endpoint = EndpointParser.Parse(text, options.Client.Protocol);
                    // Headers that this endpoint's protocol cannot carry are an error for it, before any diagnosis.
                    options.Client.ValidateFor(endpoint.Protocol);
                }
                catch (OtlpTlsException exception)
                {
                    WriteEngineError(exception);
                    continue;
                }

                Start(endpoint, options);
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
            ExporterEnvironment environment;
            try
            {
                environment = ReadExporterEnvironment();
            }
            catch (OtlpTlsException exception)
            {
                ThrowEngineError(exception);
                return;
            }

            // Signals that would connect the same way are diagnosed once.
            var selected = environment.Configuration.Signals.Where(s => Signal.Contains(s.Signal));
            foreach (var signal in SignalConnections.Distinct(selected, environment.Variables))
            {
                OtlpClientSettings client;
                try
                {
                    client = SettingsForSignal(_options!.Client, environment, signal);
                    client.ValidateFor(signal.Endpoint!.Protocol);
                }
                catch (OtlpTlsException exception)
                {
                    WriteEngineError(exception);
                    continue;
                }

                WriteVerbose($"{OtlpSignals.Name(signal.Signal)}: {OtlpProtocols.Name(signal.Protocol)} {signal.Url} (endpoint from {signal.EndpointSource}, CA {signal.CertificatePath ?? "system store"}).");
                var options = _options!.Copy();
                options.Client = client;
                Start(signal.Endpoint!, options);
            }
        }

        /// <summary>Waits for the remaining diagnoses.</summary>
        protected override void EndProcessing() => _queue?.Complete();

        /// <summary>Releases the work queue.</summary>
        protected override void StopProcessing()
        {
            base.StopProcessing();
            _queue?.Dispose();
        }
    }
}
