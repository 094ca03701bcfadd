using System;
using System.Collections.Generic;

namespace OtelTls
{
    /// <summary>
    /// What one error line from a log means: the finding it stands for (from the same catalogue the diagnosis uses), the
    /// runtime that wrote it, the facts it carries, and the command that confirms it against the endpoint.
    /// </summary>
    public sealed class OtlpTlsErrorExplanation
    {
        /// <summary>Creates an explanation.</summary>
        public OtlpTlsErrorExplanation(long lineNumber, string line, OtlpRuntime runtime, OtlpFinding finding,
            IReadOnlyList<string> alternativeFindingIds, string? howToTellApart, string? host, int? port,
            IReadOnlyList<string> certificateNames, string? verifyError, string? alert, string? nextCommand, string? path = null)
        {
            Path = path;
            LineNumber = lineNumber;
            Line = line;
            Runtime = runtime;
            Finding = finding;
            AlternativeFindingIds = alternativeFindingIds;
            HowToTellApart = howToTellApart;
            Host = host;
            Port = port;
            CertificateNames = certificateNames;
            VerifyError = verifyError;
            Alert = alert;
            NextCommand = nextCommand;
        }

        /// <summary>The log file the line comes from; null for lines that came down the pipeline or from -Message.</summary>
        public string? Path { get; }

        /// <summary>1-based position of the line in its input (a file or the pipeline).</summary>
        public long LineNumber { get; }

        /// <summary>The line as read (secrets in URLs and headers redacted).</summary>
        public string Line { get; }

        /// <summary>The runtime that wrote the message, judged from its wording.</summary>
        public OtlpRuntime Runtime { get; }

        /// <summary>The most likely finding id: <see cref="OtlpFindingId"/>, or <c>UnrecognizedTlsError</c>.</summary>
        public string FindingId => Finding.Id;

        /// <summary>The finding: message (what the line says), cause and remediation from the catalogue.</summary>
        public OtlpFinding Finding { get; }

        /// <summary>Other causes that produce exactly the same message (for example a missing intermediate behind an "unknown authority").</summary>
        public IReadOnlyList<string> AlternativeFindingIds { get; }

        /// <summary>When there are alternatives: the check that tells them apart.</summary>
        public string? HowToTellApart { get; }

        /// <summary>The host the message names, if any.</summary>
        public string? Host { get; }

        /// <summary>The port the message names, if any.</summary>
        public int? Port { get; }

        /// <summary>The names the certificate is valid for, when the message lists them.</summary>
        public IReadOnlyList<string> CertificateNames { get; }

        /// <summary>The verification error the message carries (an OpenSSL verify code, a .NET chain status, a Node error code).</summary>
        public string? VerifyError { get; }

        /// <summary>The TLS alert the message names (for example <c>certificate_required (116)</c>).</summary>
        public string? Alert { get; }

        /// <summary>The command that confirms the cause against the endpoint (a Test-OtlpTlsEndpoint line).</summary>
        public string? NextCommand { get; }

        /// <summary>The explanation as one line: line number, runtime and finding.</summary>
        public override string ToString() => $"{LineNumber}: {Runtime} {Finding.Id}: {Finding.Message}";
    }
}
