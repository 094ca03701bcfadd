using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using OtelTls.Engine.Configuration;
using OtelTls.Support;

namespace OtelTls.Commands
{
    /// <summary>
    /// Base for Set-OtlpTlsEnvironment and Clear-OtlpTlsEnvironment: the parameters that say where the variables go and
    /// which of them (-Signal, -Target, -Sdk, -PassThru, -DebugLogging, -AppDirectory, -CollectorConfigPath), declared
    /// once, and the target file and debug-logging request both build from them. Each cmdlet declares its own -Path,
    /// whose position differs.
    /// </summary>
    public abstract class OtlpEnvironmentTargetCmdlet : OtlpCmdlet
    {
        /// <summary>The per-signal variables (Traces, Metrics or Logs; any case); without it, the generic ones.</summary>
        [Parameter]
        public OtlpSignal? Signal { get; set; }

        /// <summary>Where the variables are: Process (default), User, Machine (Windows), DotEnv, AzureDevOps, GitHubActions, Kubernetes.</summary>
        [Parameter]
        public OtlpEnvironmentTarget Target { get; set; } = OtlpEnvironmentTarget.Process;

        /// <summary>SDKs the variables are for (node: NODE_EXTRA_CA_CERTS; collector: the exporter YAML).</summary>
        [Parameter]
        public OtlpSdk[]? Sdk { get; set; }

        /// <summary>Returns the resulting configuration.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>Each runtime's TLS and exporter debug logging (scoped by -Sdk) instead of, or with, the TLS variables.</summary>
        [Parameter]
        public SwitchParameter DebugLogging { get; set; }

        /// <summary>With -DebugLogging -Sdk dotnet: the folder of the .NET application's OTEL_DIAGNOSTICS.json (default: the current location).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? AppDirectory { get; set; }

        /// <summary>With -DebugLogging -Sdk collector: the collector configuration whose service.telemetry.logs.level changes.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? CollectorConfigPath { get; set; }

        /// <summary>-Sdk as a list (empty when not given).</summary>
        protected List<OtlpSdk> Sdks => Sdk?.ToList() ?? new List<OtlpSdk>();

        /// <summary>The file of a file target (-Path resolved), checked for <see cref="Target"/>; null for the others.</summary>
        protected string? PrepareTarget(string? path, bool clearing = false) =>
            OtlpEnvironmentTargets.Prepare(Target, path is null ? null : PathResolution.ResolveOutputFile(this, path), clearing);

        /// <summary>The debug-logging request for <paramref name="targetFile"/>, from -Sdk, -Target, -AppDirectory and -CollectorConfigPath.</summary>
        protected OtlpDebugLoggingRequest DebugLoggingRequest(string? targetFile) => new()
        {
            Sdks = Sdks,
            Target = Target,
            TargetFile = targetFile,
            AppDirectory = ResolveOutputPath(AppDirectory ?? "."),
            CollectorConfigPath = ResolveOutputPath(CollectorConfigPath),
        };
    }
}
