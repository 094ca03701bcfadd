using System;
using System.Management.Automation;
using OtelTls.Engine.Collector;
using OtelTls.Engine.Vocabulary;
using OtelTls.Support;

namespace OtelTls.Commands
{
    /// <summary>
    /// <para type="synopsis">Generates the OpenTelemetry Collector's tls: settings (receiver and exporter) from certificates, as YAML or merged into an existing config file.</para>
    /// <para type="description">The receiver gets cert_file (the server certificate with its chain), key_file, client_ca_file for mutual TLS, min/max
    /// version, cipher suites and reload interval; the exporter gets insecure: false, ca_file, cert_file/key_file and server_name_override. With -Path
    /// only those keys change in the file: every other byte, comment and key order stays, and the file is replaced atomically.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.New, "OtlpCollectorConfig", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(string))]
    public sealed class NewOtlpCollectorConfigCommand : OtlpPipedCertificatesCmdlet
    {
        /// <summary>The receiver's certificate file (leaf followed by intermediates), instead of a piped server certificate.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ServerCertificate { get; set; }

        /// <summary>The receiver's private key file.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ServerKey { get; set; }

        /// <summary>The CA file the exporter trusts (ca_file); also the receiver's client_ca_file unless -ClientCaCertificate is given.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? CaCertificate { get; set; }

        /// <summary>The CA whose client certificates the receiver accepts (client_ca_file).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ClientCaCertificate { get; set; }

        /// <summary>The exporter's client certificate file (cert_file).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ClientCertificate { get; set; }

        /// <summary>The exporter's client key file (key_file).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ClientKey { get; set; }

        /// <summary>Receiver, Exporter or both; without it, a server certificate means the receiver and a client certificate or -ExporterEndpoint the exporter.</summary>
        [Parameter]
        [ValidateSet("Receiver", "Exporter")]
        public string[]? Side { get; set; }

        /// <summary>The receiver id (default otlp).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string ReceiverName { get; set; } = "otlp";

        /// <summary>Receiver protocols to configure (default Grpc and HttpProtobuf; the collector's grpc and http bind too).</summary>
        [Parameter]
        [OtlpNameArgument(typeof(OtlpProtocol))]
        public OtlpProtocol[] Protocol { get; set; } = { OtlpProtocol.Grpc, OtlpProtocol.HttpProtobuf };

        /// <summary>Also set the receiver endpoints to this host (0.0.0.0 in a container) with ports 4317/4318; without it, endpoints are left alone.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ListenHost { get; set; }

        /// <summary>The exporter id (default otlp; otlphttp/backend for an HTTP exporter).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string ExporterName { get; set; } = "otlp";

        /// <summary>Also set the exporter's endpoint.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ExporterEndpoint { get; set; }

        /// <summary>The exporter's server_name_override; by default the server certificate's first DNS name when the endpoint host is not among its names.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ServerName { get; set; }

        /// <summary>Require client certificates (client_ca_file). Default: when a client certificate is given; -RequireClientCertificate:$false turns it off.</summary>
        [Parameter]
        public SwitchParameter RequireClientCertificate { get; set; }

        /// <summary>min_version (default Tls12): Tls10 … Tls13, or as the collector writes it (1.2).</summary>
        [Parameter]
        [OtlpNameArgument(typeof(OtlpTlsVersion))]
        public OtlpTlsVersion MinVersion { get; set; } = OtlpTlsVersion.Tls12;

        /// <summary>max_version: Tls10 … Tls13, or as the collector writes it (1.3).</summary>
        [Parameter]
        [OtlpNameArgument(typeof(OtlpTlsVersion))]
        public OtlpTlsVersion? MaxVersion { get; set; }

        /// <summary>cipher_suites, Go names (TLS 1.2 only).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? CipherSuite { get; set; }

        /// <summary>reload_interval, a Go duration such as 24h.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ReloadInterval { get; set; }

        /// <summary>The folder the collector sees the files in (e.g. the container mount /etc/otelcol/tls); without it, the local absolute paths.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? CollectorPath { get; set; }

        /// <summary>An existing collector configuration to merge the settings into (only the tls: keys change).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <summary>With -Path: also return the merged configuration.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>Generates, then writes or outputs.</summary>
        protected override void EndProcessing()
        {
            TryRun(() =>
            {
                var plan = CollectorTlsGenerator.Plan(new CollectorTlsRequest
                {
                    Certificates = PipedCertificates,
                    ServerCertificate = ResolveOutputPath(ServerCertificate),
                    ServerKey = ResolveOutputPath(ServerKey),
                    CaCertificate = ResolveOutputPath(CaCertificate),
                    ClientCaCertificate = ResolveOutputPath(ClientCaCertificate),
                    ClientCertificate = ResolveOutputPath(ClientCertificate),
                    ClientKey = ResolveOutputPath(ClientKey),
                    Sides = Side ?? Array.Empty<string>(),
                    ReceiverName = ReceiverName,
                    Protocols = Protocol,
                    ListenHost = ListenHost,
                    ExporterName = ExporterName,
                    ExporterEndpoint = ExporterEndpoint,
                    ServerName = ServerName,
                    RequireClientCertificate = MyInvocation.BoundParameters.ContainsKey(nameof(RequireClientCertificate)) ? RequireClientCertificate.IsPresent : null,
                    MinVersion = MinVersion,
                    MaxVersion = MaxVersion,
                    CipherSuites = CipherSuite ?? Array.Empty<string>(),
                    ReloadInterval = ReloadInterval,
                    CollectorPath = CollectorPath,
                });
                if (Path is null)
                {
                    WriteObject(plan.Yaml);
                    return;
                }

                var target = ResolveOutputPath(Path)!;
                // Merged (and verified) before asking, so -WhatIf also reports a file that cannot be merged.
                var merged = plan.MergeInto(target);
                if (ShouldProcess(target, "Set " + string.Join(", ", plan.Keys)))
                {
                    merged = plan.WriteInto(target);
                    if (PassThru)
                    {
                        WriteObject(merged);
                    }
                }
            });
        }
    }
}
