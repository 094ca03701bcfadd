namespace OtelTls
{
    /// <summary>
    /// One thing a check found: what (<see cref="Id"/>), how bad, why, and the concrete fix. Ids are stable once
    /// released (see <see cref="OtlpFindingId"/>); scripts match on them.
    /// </summary>
    public sealed class OtlpFinding
    {
        /// <summary>Creates a finding.</summary>
        public OtlpFinding(string id, OtlpSeverity severity, OtlpStage stage, string message, string cause,
            string remediation, string? evidence = null)
        {
            Id = id;
            Severity = severity;
            Stage = stage;
            Message = message;
            Cause = cause;
            Remediation = remediation;
            Evidence = evidence;
        }

        /// <summary>Stable PascalCase id, e.g. <c>HostnameMismatch</c>.</summary>
        public string Id { get; }

        /// <summary>Info, Warning or Error.</summary>
        public OtlpSeverity Severity { get; }

        /// <summary>The diagnosis stage that produced it.</summary>
        public OtlpStage Stage { get; }

        /// <summary>What is wrong, in one sentence that names the thing.</summary>
        public string Message { get; }

        /// <summary>Why it happens.</summary>
        public string Cause { get; }

        /// <summary>The concrete fix: the collector setting, the environment variable, the openssl command, and which side to change.</summary>
        public string Remediation { get; }

        /// <summary>What was observed that led to the finding (names, dates, alert text), if anything.</summary>
        public string? Evidence { get; }

        /// <summary>The finding as one line: severity, id and message.</summary>
        public override string ToString() => $"{Severity} {Id}: {Message}";
    }
}
