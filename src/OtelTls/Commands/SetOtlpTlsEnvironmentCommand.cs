using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using OtelTls.Engine.Client;
using OtelTls.Engine.Configuration;
using OtelTls.Engine.Vocabulary;
using OtelTls.Support;

namespace OtelTls.Commands
{
    /// <summary>
    /// <para type="synopsis">Sets the OTLP exporter TLS variables (OTEL_EXPORTER_OTLP_*) for the process, a dotenv file, a CI system or Kubernetes.</para>
    /// <para type="description">Every file is checked before anything is written: it exists, parses as PEM, a CA file holds a CA, the client key
    /// matches the client certificate, nothing is expired. Paths are stored absolute. -Sdk adds what a given SDK needs and warns about its divergences.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "OtlpTlsEnvironment", SupportsShouldProcess = true, DefaultParameterSetName = "Files")]
    [OutputType(typeof(OtlpTlsEnvironment), typeof(string))]
    public sealed class SetOtlpTlsEnvironmentCommand : OtlpPipedCertificatesCmdlet
    {
        /// <summary>The collector endpoint: a URL (https://collector:4318), or host:port with -Protocol grpc.</summary>
        [Parameter(Position = 0)]
        [Alias("Uri")]
        [ValidateNotNullOrEmpty]
        public string? Endpoint { get; set; }

        /// <summary>The OTLP protocol: Grpc (port 4317), HttpProtobuf or HttpJson (port 4318); grpc, http/protobuf and http/json bind too.</summary>
        [Parameter]
        [OtlpNameArgument(typeof(OtlpProtocol))]
        public OtlpProtocol? Protocol { get; set; }

        /// <summary>The CA file the exporter trusts (OTEL_EXPORTER_OTLP_CERTIFICATE): a path, or an OtlpCertificate read from a file.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [OtlpCertificateArgument(OtlpCertificateArgumentKind.CertificatePath, FileRequired = true)]
        public string? CaCertificate { get; set; }

        /// <summary>
        /// The client certificate for mutual TLS (OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE): a path, or an OtlpCertificate read
        /// from a file (New-OtlpCertificate -Type Client), whose KeyPath sets CLIENT_KEY unless -ClientKey is given.
        /// </summary>
        [Parameter]
        [ValidateNotNull]
        [OtlpCertificateArgument(FileRequired = true)]
        public object? ClientCertificate { get; set; }

        /// <summary>The client private key for mutual TLS (OTEL_EXPORTER_OTLP_CLIENT_KEY), PEM and unencrypted: a path, or a certificate object with a KeyPath.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [OtlpCertificateArgument(OtlpCertificateArgumentKind.KeyPath, FileRequired = true)]
        public string? ClientKey { get; set; }

        /// <summary>Writes OTEL_EXPORTER_OTLP_INSECURE=true (gRPC without scheme: no TLS). -Insecure:$false writes false.</summary>
        [Parameter]
        public SwitchParameter Insecure { get; set; }

        /// <summary>Writes the per-signal variables (Traces, Metrics or Logs; any case); without it, the generic ones.</summary>
        [Parameter]
        public OtlpSignal? Signal { get; set; }

        /// <summary>Where to write: Process (default), User, Machine (Windows), DotEnv, AzureDevOps, GitHubActions, Kubernetes.</summary>
        [Parameter]
        public OtlpEnvironmentTarget Target { get; set; } = OtlpEnvironmentTarget.Process;

        /// <summary>The dotenv file (-Target DotEnv), or the Kubernetes manifest or env list file (-Target Kubernetes), to update.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <summary>SDKs to tailor the variables and warnings for: dotnet, java, go, python, node, collector (prints the exporter YAML).</summary>
        [Parameter]
        public OtlpSdk[]? Sdk { get; set; }

        /// <summary>Returns the resulting configuration.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>
        /// The folder where the exporter finds the certificate files when it runs elsewhere (a container, another machine),
        /// e.g. /etc/otel/tls: the local files given are checked, and the variables name ExporterPath/&lt;file name&gt;.
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ExporterPath { get; set; }

        /// <summary>Replaces a file the command writes besides the variables (the -Sdk dotnet CA bundle, the .NET OTEL_DIAGNOSTICS.json) when it exists with other content.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>
        /// Also turns on each runtime's TLS and exporter debug logging (GRPC_GO_LOG_*, GODEBUG, GRPC_VERBOSITY/GRPC_TRACE,
        /// JAVA_TOOL_OPTIONS, NODE_DEBUG, OTEL_LOG_LEVEL, ...), scoped by -Sdk; with -Sdk dotnet the .NET self-diagnostics file,
        /// with -Sdk collector the collector's log level. Without TLS parameters, only these are written.
        /// </summary>
        [Parameter]
        public SwitchParameter DebugLogging { get; set; }

        /// <summary>With -DebugLogging -Sdk dotnet: the folder the .NET application runs in, where OTEL_DIAGNOSTICS.json is written (default: the current location).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? AppDirectory { get; set; }

        /// <summary>With -DebugLogging -Sdk collector: the collector configuration whose service.telemetry.logs.level is set to debug; without it, the YAML is output.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? CollectorConfigPath { get; set; }

        /// <summary>Writes SSLKEYLOGFILE with this file: TLS session secrets for decrypting a capture. Insecure; always warns; removed by Clear-OtlpTlsEnvironment -DebugLogging.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? TlsKeyLogFile { get; set; }

        /// <summary>Checks everything, then writes.</summary>
        protected override void EndProcessing()
        {
            TryRun(() =>
            {
                var (clientCertificate, clientKey) = ClientCertificateArgument.Files(ClientCertificate is PSObject wrapped ? wrapped.BaseObject : ClientCertificate, ClientKey);
                var request = new OtlpEnvironmentRequest
                {
                    Signal = Signal,
                    Endpoint = Endpoint,
                    Protocol = Protocol,
                    CaCertificate = Resolve(CaCertificate),
                    ClientCertificate = Resolve(clientCertificate),
                    ClientKey = Resolve(clientKey),
                    Insecure = MyInvocation.BoundParameters.ContainsKey(nameof(Insecure)) ? Insecure.IsPresent : null,
                    Sdks = Sdk?.ToList() ?? new List<OtlpSdk>(),
                    ExporterPath = ExporterPath,
                    Certificates = PipedCertificates,
                };
                var debugging = DebugLogging.IsPresent || TlsKeyLogFile is not null;
                var plan = debugging && OtlpDebugLogging.HasNoTlsSetting(request) ? null : OtlpEnvironmentPlanner.PlanSet(request);
                var file = OtlpEnvironmentTargets.Prepare(Target, Path is null ? null : PathResolution.ResolveOutputFile(this, Path));
                var debug = debugging
                    ? OtlpDebugLogging.PlanSet(new OtlpDebugLoggingRequest
                    {
                        Logging = DebugLogging.IsPresent,
                        Sdks = Sdk?.ToList() ?? new List<OtlpSdk>(),
                        Target = Target,
                        TargetFile = file,
                        AppDirectory = Resolve(AppDirectory ?? "."),
                        CollectorConfigPath = Resolve(CollectorConfigPath),
                        KeyLogFile = Resolve(TlsKeyLogFile),
                    })
                    : null;
                EnvironmentPlanWriter.WriteSet(this, Target, file, plan, debug, "Set", PassThru, Force);
            });
        }

        private string? Resolve(string? path) => path is null ? null : PathResolution.ResolveForOutput(this, path);
    }
}
