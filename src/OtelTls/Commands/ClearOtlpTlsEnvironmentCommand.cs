using System.Linq;
using System.Management.Automation;
using OtelTls.Engine.Configuration;
using OtelTls.Support;

namespace OtelTls.Commands
{
    /// <summary>
    /// <para type="synopsis">Removes the OTLP exporter TLS variables that Set-OtlpTlsEnvironment writes.</para>
    /// <para type="description">Removes ENDPOINT, PROTOCOL, CERTIFICATE, CLIENT_CERTIFICATE, CLIENT_KEY and INSECURE (generic, or of one signal) from the same targets.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Clear, "OtlpTlsEnvironment", SupportsShouldProcess = true)]
    [OutputType(typeof(OtlpTlsEnvironment))]
    public sealed class ClearOtlpTlsEnvironmentCommand : OtlpCmdlet
    {
        /// <summary>Removes the per-signal variables (Traces, Metrics or Logs; any case); without it, the generic ones.</summary>
        [Parameter]
        public OtlpSignal? Signal { get; set; }

        /// <summary>Where to remove them: Process (default), User, Machine (Windows), DotEnv, AzureDevOps, GitHubActions, Kubernetes.</summary>
        [Parameter]
        public OtlpEnvironmentTarget Target { get; set; } = OtlpEnvironmentTarget.Process;

        /// <summary>The dotenv file (-Target DotEnv), or the Kubernetes manifest or env list file (-Target Kubernetes).</summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <summary>Also removes what Set wrote for these SDKs (node: NODE_EXTRA_CA_CERTS).</summary>
        [Parameter]
        public OtlpSdk[]? Sdk { get; set; }

        /// <summary>Returns the resulting configuration.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>
        /// Removes instead what Set-OtlpTlsEnvironment -DebugLogging wrote (scoped by -Sdk), and SSLKEYLOGFILE; the TLS
        /// variables stay. A variable is removed only while it holds the value Set writes; from a list only the item Set added.
        /// </summary>
        [Parameter]
        public SwitchParameter DebugLogging { get; set; }

        /// <summary>With -DebugLogging -Sdk dotnet: the folder whose OTEL_DIAGNOSTICS.json is removed, if Set wrote it (default: the current location).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? AppDirectory { get; set; }

        /// <summary>With -DebugLogging -Sdk collector: the collector configuration whose service.telemetry.logs.level goes back from debug to info.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? CollectorConfigPath { get; set; }

        /// <summary>Removes the variables.</summary>
        protected override void EndProcessing()
        {
            TryRun(() =>
            {
                if (DebugLogging)
                {
                    var target = OtlpEnvironmentTargets.Prepare(Target, Path is null ? null : PathResolution.ResolveOutputFile(this, Path), clearing: true);
                    var debug = OtlpDebugLogging.PlanClear(new OtlpDebugLoggingRequest
                    {
                        Sdks = Sdk?.ToList() ?? new System.Collections.Generic.List<OtlpSdk>(),
                        Target = Target,
                        TargetFile = target,
                        AppDirectory = PathResolution.ResolveForOutput(this, AppDirectory ?? "."),
                        CollectorConfigPath = CollectorConfigPath is null ? null : PathResolution.ResolveForOutput(this, CollectorConfigPath),
                    });
                    EnvironmentPlanWriter.WriteSet(this, Target, target, null, debug, "Remove", PassThru, force: false);
                    return;
                }

                var plan = OtlpEnvironmentPlanner.PlanClear(Signal, Sdk);
                var file = OtlpEnvironmentTargets.Prepare(Target, Path is null ? null : PathResolution.ResolveOutputFile(this, Path), clearing: true);
                var names = string.Join(", ", plan.Changes.Select(c => c.Key));
                EnvironmentPlanWriter.Write(this, Target, file, plan, $"Remove {names}", PassThru);
            });
        }
    }
}
