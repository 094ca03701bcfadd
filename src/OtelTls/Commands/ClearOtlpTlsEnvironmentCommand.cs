using System.Linq;
using System.Management.Automation;
using OtelTls.Engine.Configuration;

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
        /// <summary>Removes the per-signal variables (traces, metrics or logs); without it, the generic ones.</summary>
        [Parameter]
        [ValidateSet("traces", "metrics", "logs")]
        public string? Signal { get; set; }

        /// <summary>Where to remove them: Process (default), User, Machine (Windows), DotEnv, AzureDevOps, GitHubActions, Kubernetes.</summary>
        [Parameter]
        public OtlpEnvironmentTarget Target { get; set; } = OtlpEnvironmentTarget.Process;

        /// <summary>The dotenv file (-Target DotEnv), or the Kubernetes manifest or env list file (-Target Kubernetes).</summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <summary>Also removes what Set wrote for these SDKs (node: NODE_EXTRA_CA_CERTS).</summary>
        [Parameter]
        [ValidateSet("dotnet", "java", "go", "python", "node", "collector")]
        public string[]? Sdk { get; set; }

        /// <summary>Returns the resulting configuration.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>Removes the variables.</summary>
        protected override void EndProcessing()
        {
            TryRun(() =>
            {
                var plan = OtlpEnvironmentPlanner.PlanClear(Signal, Sdk);
                var file = OtlpEnvironmentTargets.Prepare(Target, Path is null ? null : PathResolution.ResolveOutputFile(this, Path), clearing: true);
                var names = string.Join(", ", plan.Changes.Select(c => c.Key));
                EnvironmentPlanWriter.Write(this, Target, file, plan, $"Remove {names}", PassThru);
            });
        }
    }
}
