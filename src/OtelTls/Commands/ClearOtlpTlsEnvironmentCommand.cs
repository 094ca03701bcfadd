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
    public sealed class ClearOtlpTlsEnvironmentCommand : OtlpEnvironmentTargetCmdlet
    {
        /// <summary>The dotenv file (-Target DotEnv), or the Kubernetes manifest or env list file (-Target Kubernetes).</summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <summary>Removes the variables.</summary>
        protected override void EndProcessing()
        {
            TryRun(() =>
            {
                if (DebugLogging)
                {
                    var target = PrepareTarget(Path, clearing: true);
                    var debug = OtlpDebugLogging.PlanClear(DebugLoggingRequest(target));
                    EnvironmentPlanWriter.WriteSet(this, Target, target, null, debug, "Remove", PassThru, force: false);
                    return;
                }

                var plan = OtlpEnvironmentPlanner.PlanClear(Signal, Sdk);
                var file = PrepareTarget(Path, clearing: true);
                var names = string.Join(", ", plan.Changes.Select(c => c.Key));
                EnvironmentPlanWriter.Write(this, Target, file, plan, $"Remove {names}", PassThru);
            });
        }
    }
}
