using System;
using System.Linq;
using System.Management.Automation;
using OtelTls.Engine.Configuration;

namespace OtelTls.Support
{
    /// <summary>The end Set- and Clear-OtlpTlsEnvironment share: ask ShouldProcess, write the plan, print what the target prints, read back.</summary>
    internal static class EnvironmentPlanWriter
    {
        /// <summary>
        /// Set's end (and Clear -DebugLogging's): warnings, the collector YAML to add by hand, the variables (one ShouldProcess for the target), then each
        /// debug file (one ShouldProcess per file). <paramref name="plan"/> null: debug settings only.
        /// </summary>
        public static void WriteSet(Cmdlet cmdlet, OtlpEnvironmentTarget target, string? file, OtlpEnvironmentPlan? plan, OtlpDebugLoggingPlan? debug,
            string verb, bool passThru, bool force)
        {
            var combined = debug is null ? plan! : OtlpDebugLogging.Combine(plan, debug);
            foreach (var warning in combined.Warnings)
            {
                cmdlet.WriteWarning(warning);
            }

            foreach (var yaml in new[] { combined.CollectorYaml, debug?.CollectorYaml })
            {
                if (yaml is not null)
                {
                    cmdlet.WriteObject(yaml);
                }
            }

            if (combined.Changes.Count > 0)
            {
                var names = string.Join(", ", combined.Changes.Select(c => c.Key));
                var files = combined.Files.Count == 0 ? string.Empty : "; write " + string.Join(", ", combined.Files.Select(f => f.Path));
                Write(cmdlet, target, file, combined, $"{verb} {names}{files}", passThru, force);
            }

            WriteFiles(cmdlet, debug, force);
        }

        /// <summary>The debug plan's files, each after its own ShouldProcess.</summary>
        public static void WriteFiles(Cmdlet cmdlet, OtlpDebugLoggingPlan? debug, bool force)
        {
            foreach (var change in debug?.Files ?? Array.Empty<OtlpDebugFileChange>())
            {
                if (cmdlet.ShouldProcess(change.Path, change.Action) && !change.Apply(force))
                {
                    cmdlet.WriteVerbose($"'{change.Path}' already was as wanted; it was not written.");
                }
            }
        }

        /// <summary>
        /// Asks ShouldProcess with <paramref name="action"/>, then writes <paramref name="plan"/> to the target. Each variable
        /// given a value is logged verbosely (header values masked). Azure DevOps logging commands go to the host, as
        /// Write-Host does, so they reach the agent even when the output is discarded (<c>$null = …</c>); the printed
        /// Kubernetes list and (with <paramref name="passThru"/>) the resulting configuration are written as output.
        /// </summary>
        public static void Write(Cmdlet cmdlet, OtlpEnvironmentTarget target, string? file, OtlpEnvironmentPlan plan, string action, bool passThru,
            bool force = false)
        {
            if (!cmdlet.ShouldProcess(OtlpEnvironmentTargets.Describe(target, file), action))
            {
                return;
            }

            foreach (var change in plan.Changes.Where(c => c.Value is not null))
            {
                cmdlet.WriteVerbose($"{change.Key}={(OtlpVariables.IsHeaders(change.Key) ? "***" : change.Value)}");
            }

            foreach (var line in OtlpEnvironmentTargets.Apply(target, file, plan, force))
            {
                if (target == OtlpEnvironmentTarget.AzureDevOps)
                {
                    // The agent reads logging commands from the process's standard output: the host, not the pipeline.
                    HostText.WriteLine(cmdlet, line);
                }
                else
                {
                    cmdlet.WriteObject(line);
                }
            }

            if (passThru)
            {
                cmdlet.WriteObject(OtlpEnvironmentTargets.ReadBack(target, file, plan));
            }
        }
    }
}
