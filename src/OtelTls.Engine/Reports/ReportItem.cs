using System;
using System.Collections.Generic;
using System.Linq;

namespace OtelTls.Engine.Reports
{
    /// <summary>
    /// One line of a report: an endpoint's diagnosis or a certificate check, reduced to what every report format shows
    /// (a name, where it came from, its findings, how long it took). The formats never see the full objects, so nothing
    /// else on them (headers, key material) can reach a report.
    /// </summary>
    public sealed class ReportItem
    {
        /// <summary>Creates an item.</summary>
        public ReportItem(ReportItemKind kind, string name, IEnumerable<OtlpFinding> findings, string? summary = null,
            string? sourcePath = null, TimeSpan duration = default)
        {
            Kind = kind;
            Name = name ?? string.Empty;
            Findings = (findings ?? Array.Empty<OtlpFinding>()).Where(f => f is not null).ToArray();
            Summary = summary;
            SourcePath = sourcePath;
            Duration = duration;
        }

        /// <summary>Endpoint or certificate.</summary>
        public ReportItemKind Kind { get; }

        /// <summary>The endpoint as given, or the certificate's subject.</summary>
        public string Name { get; }

        /// <summary>The diagnosis's one-line summary, if any.</summary>
        public string? Summary { get; }

        /// <summary>The certificate file (annotations point at it), or null.</summary>
        public string? SourcePath { get; }

        /// <summary>Every finding, worst first.</summary>
        public IReadOnlyList<OtlpFinding> Findings { get; }

        /// <summary>How long the check took (zero for offline certificate checks).</summary>
        public TimeSpan Duration { get; }

        /// <summary>Healthy, Warning or Failed, from the worst finding (the rule of the diagnosis and the check).</summary>
        public OtlpStatus Status => StatusVerdict.Of(Findings.Select(f => f.Severity));

        /// <summary>The findings at or above <paramref name="threshold"/>.</summary>
        public IEnumerable<OtlpFinding> AtLeast(OtlpSeverity threshold) => Findings.Where(f => f.Severity >= threshold);

        /// <summary>The item for a diagnosis.</summary>
        public static ReportItem From(OtlpTlsDiagnosis diagnosis) =>
            new(ReportItemKind.Endpoint, diagnosis.Endpoint, diagnosis.Findings, diagnosis.Summary, null, diagnosis.Duration);

        /// <summary>The item for a certificate check: named by subject, and by file when it came from one.</summary>
        public static ReportItem From(OtlpCertificateCheck check) =>
            new(ReportItemKind.Certificate, check.Path is null ? check.Subject : $"{check.Subject} ({check.Path})", check.Findings,
                null, check.Path);
    }

    /// <summary>What a report item is.</summary>
    public enum ReportItemKind
    {
        /// <summary>A Test-OtlpTlsEndpoint diagnosis.</summary>
        Endpoint,

        /// <summary>A Test-OtlpCertificate check.</summary>
        Certificate,
    }
}
