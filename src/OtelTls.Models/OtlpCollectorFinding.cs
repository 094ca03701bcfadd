using System;

namespace OtelTls
{
    /// <summary>
    /// One finding of <c>Test-OtlpCollectorConfig</c>: a catalogue finding (<see cref="OtlpFindingId"/>) plus where in the
    /// collector configuration it is (file, YAML path, line).
    /// </summary>
    public sealed class OtlpCollectorFinding
    {
        /// <summary>Creates a located finding.</summary>
        public OtlpCollectorFinding(OtlpFinding finding, string? file, string yamlPath, int line, int column)
        {
            Finding = finding ?? throw new ArgumentNullException(nameof(finding));
            Path = file;
            YamlPath = yamlPath;
            Line = line;
            Column = column;
        }

        /// <summary>The catalogue finding (id, severity, cause, remediation).</summary>
        public OtlpFinding Finding { get; }

        /// <summary>Stable finding id.</summary>
        public string Id => Finding.Id;

        /// <summary>Info, Warning or Error.</summary>
        public OtlpSeverity Severity => Finding.Severity;

        /// <summary>What is wrong.</summary>
        public string Message => Finding.Message;

        /// <summary>Why it matters.</summary>
        public string Cause => Finding.Cause;

        /// <summary>The concrete change to the configuration.</summary>
        public string Remediation => Finding.Remediation;

        /// <summary>The configuration file that holds the value (the last one that set it when several are merged).</summary>
        public string? Path { get; }

        /// <summary>Dotted path of the key, e.g. <c>receivers.otlp.protocols.grpc.tls.cert_file</c>.</summary>
        public string YamlPath { get; }

        /// <summary>1-based line of the key in <see cref="Path"/> (0 when not known).</summary>
        public int Line { get; }

        /// <summary>1-based column of the key.</summary>
        public int Column { get; }

        /// <summary><c>file:line: Severity Id: message</c>.</summary>
        public override string ToString() => $"{Path}:{Line}: {Severity} {Id}: {Message} ({YamlPath})";
    }
}
