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
    public sealed class SetOtlpTlsEnvironmentCommand : OtlpEnvironmentTargetCmdlet
    {
        private readonly List<OtlpCertificate> _piped = new();

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

        /// <summary>The dotenv file (-Target DotEnv), or the Kubernetes manifest or env list file (-Target Kubernetes), to update.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

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

        /// <summary>Writes SSLKEYLOGFILE with this file: TLS session secrets for decrypting a capture. Insecure; always warns; removed by Clear-OtlpTlsEnvironment -DebugLogging.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? TlsKeyLogFile { get; set; }

        /// <summary>Certificates from New-OtlpCertificate or Get-OtlpCertificate; a file's certificates after its first are its chain.</summary>
        [Parameter(ValueFromPipeline = true)]
        public OtlpCertificate[]? InputObject { get; set; }

        /// <summary>Collects piped certificates; the work happens once all have arrived.</summary>
        protected override void ProcessRecord() => OtlpPipedCertificatesCmdlet.Collect(_piped, InputObject);

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
                    CaCertificate = ResolveOutputPath(CaCertificate),
                    ClientCertificate = ResolveOutputPath(clientCertificate),
                    ClientKey = ResolveOutputPath(clientKey),
                    Insecure = MyInvocation.BoundParameters.ContainsKey(nameof(Insecure)) ? Insecure.IsPresent : null,
                    Sdks = Sdks,
                    ExporterPath = ExporterPath,
                    Certificates = _piped,
                };
                var debugging = DebugLogging.IsPresent || TlsKeyLogFile is not null;
                var plan = debugging && OtlpDebugLogging.HasNoTlsSetting(request) ? null : OtlpEnvironmentPlanner.PlanSet(request);
                var file = PrepareTarget(Path);
                OtlpDebugLoggingPlan? debug = null;
                if (debugging)
                {
                    var debugRequest = DebugLoggingRequest(file);
                    debugRequest.Logging = DebugLogging.IsPresent;
                    debugRequest.KeyLogFile = ResolveOutputPath(TlsKeyLogFile);
                    debug = OtlpDebugLogging.PlanSet(debugRequest);
                }

                EnvironmentPlanWriter.WriteSet(this, Target, file, plan, debug, "Set", PassThru, Force);
            });
        }
    }
}
