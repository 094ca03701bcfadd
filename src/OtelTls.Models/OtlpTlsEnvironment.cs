using System;
using System.Linq;
using System.Collections.Generic;

namespace OtelTls
{
    /// <summary>
    /// The OTLP exporter configuration held by a set of environment variables (the process, a dotenv file, a CI
    /// target), resolved per signal the way the OpenTelemetry specification says, with every problem as a finding.
    /// </summary>
    public sealed class OtlpTlsEnvironment
    {
        internal OtlpTlsEnvironment() { }

        /// <summary>Where the variables came from: <c>Process</c>, <c>User</c>, <c>Machine</c>, a dotenv file path, or a CI target name.</summary>
        public string Source { get; internal set; } = string.Empty;

        /// <summary>
        /// Every <c>OTEL_EXPORTER_OTLP_*</c> variable that is set (plus <c>NODE_EXTRA_CA_CERTS</c>), name to value;
        /// header values are masked, so this is safe to log.
        /// </summary>
        public IDictionary<string, string> Variables { get; internal set; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

        /// <summary>The effective configuration for traces, metrics and logs, in that order.</summary>
        public OtlpSignalConfiguration[] Signals { get; internal set; } = Array.Empty<OtlpSignalConfiguration>();

        /// <summary>Everything found, worst first.</summary>
        public OtlpFinding[] Findings { get; internal set; } = Array.Empty<OtlpFinding>();

        /// <summary>The moment certificate validity was checked at.</summary>
        public DateTimeOffset Timestamp { get; internal set; }

        /// <summary>
        /// The folder relative file paths in the variables are resolved against: the dotenv file's folder, or for the
        /// process the PowerShell session's current location (where the programs it starts run).
        /// </summary>
        public string BaseDirectory { get; internal set; } = string.Empty;

        /// <summary>Healthy, Warning or Failed, from the worst finding.</summary>
        public OtlpStatus Status => StatusVerdict.Of(Findings.Select(f => f.Severity));

        /// <summary>The configuration of one signal (PowerShell converts <c>'traces'</c> to the enum), or null.</summary>
        public OtlpSignalConfiguration? GetSignal(OtlpSignal signal) => Signals.FirstOrDefault(s => s.Signal == signal);

        /// <summary>Source, status and how many variables and findings.</summary>
        public override string ToString() => $"{Source}: {Status} ({Variables.Count} variables, {Findings.Length} findings)";
    }
}
