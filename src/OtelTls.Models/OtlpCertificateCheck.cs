using System;
using System.Collections.Generic;
using System.Linq;

namespace OtelTls
{
    /// <summary>
    /// The result of checking a certificate offline (what <c>openssl verify</c> does, and more): trust, validity,
    /// hostname, usage and key match, each problem as a finding with its fix.
    /// </summary>
    public sealed class OtlpCertificateCheck
    {
        internal OtlpCertificateCheck() { }

        /// <summary>File the checked certificate came from, if any.</summary>
        public string? Path { get; internal set; }

        /// <summary>Subject of the checked certificate.</summary>
        public string Subject { get; internal set; } = string.Empty;

        /// <summary>Healthy, Warning or Failed, from the worst finding.</summary>
        public OtlpStatus Status => StatusVerdict.Of(Findings.Select(f => f.Severity));

        /// <summary>True when no finding is an Error.</summary>
        public bool IsValid => Status != OtlpStatus.Failed;

        /// <summary>The host name checked against the SANs, if one was given.</summary>
        public string? HostName { get; internal set; }

        /// <summary>The usage checked, if one was given.</summary>
        public OtlpCertificateUsage? Usage { get; internal set; }

        /// <summary>The moment validity was checked at.</summary>
        public DateTimeOffset Timestamp { get; internal set; }

        /// <summary>Everything found, worst first.</summary>
        public OtlpFinding[] Findings { get; internal set; } = Array.Empty<OtlpFinding>();

        /// <summary>The checked certificate.</summary>
        public OtlpCertificate? Certificate { get; internal set; }

        /// <summary>The path that was built, leaf first and ending at the trust anchor when one was reached.</summary>
        public OtlpCertificate[] Chain { get; internal set; } = Array.Empty<OtlpCertificate>();

        /// <summary>One line: subject, status and the worst finding.</summary>
        public override string ToString()
        {
            var first = Findings.FirstOrDefault();
            return first is null ? $"{Subject}: {Status}" : $"{Subject}: {Status} ({first.Id})";
        }

        internal static OtlpFinding[] Order(IEnumerable<OtlpFinding> findings) =>
            findings.OrderByDescending(f => f.Severity).ThenBy(f => f.Stage).ToArray();
    }
}
