using System.Collections.Generic;

namespace OtelTls.Engine.Configuration
{
    /// <summary>The variables to change (null value: remove), extra files, warnings and, for the collector, a YAML block.</summary>
    public sealed class OtlpEnvironmentPlan
    {
        internal OtlpEnvironmentPlan(IReadOnlyList<KeyValuePair<string, string?>> changes, IReadOnlyList<string> warnings,
            IReadOnlyList<OtlpPlannedFile> files, string? collectorYaml)
        {
            Changes = changes;
            Warnings = warnings;
            Files = files;
            CollectorYaml = collectorYaml;
        }

        /// <summary>Name to new value, in writing order; a null value removes the variable.</summary>
        public IReadOnlyList<KeyValuePair<string, string?>> Changes { get; }

        /// <summary>Things the user must know (insecure settings, SDK divergences), full sentences.</summary>
        public IReadOnlyList<string> Warnings { get; }

        /// <summary>Files written next to the user's files.</summary>
        public IReadOnlyList<OtlpPlannedFile> Files { get; }

        /// <summary>The collector exporter YAML, when <c>collector</c> was among the SDKs.</summary>
        public string? CollectorYaml { get; }
    }
}
