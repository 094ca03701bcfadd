using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using OtelTls.Engine.Certificates;

namespace OtelTls.Engine.Reports
{
    /// <summary>What Export-OtlpTlsReport asks for.</summary>
    public sealed class TlsReportRequest
    {
        /// <summary>The diagnoses and certificate checks, in input order.</summary>
        public IList<ReportItem> Items { get; } = new List<ReportItem>();

        /// <summary>The JUnit XML file to write, or null.</summary>
        public string? JUnitPath { get; set; }

        /// <summary>The Markdown summary file to write, or null (then a CI summary goes to a temporary file for Azure).</summary>
        public string? MarkdownPath { get; set; }

        /// <summary>The heading of the Markdown summary.</summary>
        public string Title { get; set; } = "OtelTls TLS report";

        /// <summary>The gate: findings at or above it fail the step; null never fails it.</summary>
        public OtlpSeverity? FailOn { get; set; }

        /// <summary>The CI system to write logging commands for.</summary>
        public PipelineHost Host { get; set; }

        /// <summary>GitHub's <c>GITHUB_STEP_SUMMARY</c> file, which the summary is appended to.</summary>
        public string? GitHubStepSummary { get; set; }

        /// <summary>The checked-out repository (GITHUB_WORKSPACE, BUILD_SOURCESDIRECTORY): annotated files are named relative to it.</summary>
        public string? SourceRoot { get; set; }

        /// <summary>The folder for the Azure summary when no -MarkdownPath was given (the agent's temp folder).</summary>
        public string? TemporaryDirectory { get; set; }

        /// <summary>The machine name in the JUnit suites.</summary>
        public string HostName { get; set; } = Environment.MachineName;

        /// <summary>The report's time stamp.</summary>
        public DateTimeOffset Timestamp { get; set; } = DateTimeOffset.UtcNow;
    }

    /// <summary>What a report wrote and decided.</summary>
    public sealed class TlsReportResult
    {
        internal TlsReportResult(IReadOnlyList<string> commands, IReadOnlyList<string> files, IReadOnlyList<ReportItem> failing)
        {
            Commands = commands;
            Files = files;
            Failing = failing;
        }

        /// <summary>The logging commands to write to the host, one line each.</summary>
        public IReadOnlyList<string> Commands { get; }

        /// <summary>The files written.</summary>
        public IReadOnlyList<string> Files { get; }

        /// <summary>The items with a finding at or above -FailOn (empty without -FailOn).</summary>
        public IReadOnlyList<ReportItem> Failing { get; }
    }

    /// <summary>Builds every report format from the same items and writes the files: the cmdlet only collects and prints.</summary>
    public static class TlsReport
    {
        /// <summary>Writes the JUnit file and the Markdown summary (atomically), appends the summary to GitHub's step summary, and returns the logging commands.</summary>
        public static TlsReportResult Write(TlsReportRequest request)
        {
            var items = request.Items.ToList();
            // Annotations and JUnit failures follow the gate; without one, errors fail the test case and warnings annotate.
            var failureThreshold = request.FailOn ?? OtlpSeverity.Error;
            var annotationThreshold = request.FailOn == OtlpSeverity.Error ? OtlpSeverity.Error : OtlpSeverity.Warning;
            var files = new List<string>();

            if (request.JUnitPath is not null)
            {
                CertificateFiles.WriteAll(true, (request.JUnitPath, JUnitReport.Build(items, failureThreshold, request.Timestamp, request.HostName), false));
                files.Add(request.JUnitPath);
            }

            var summaryPath = request.MarkdownPath;
            var markdown = MarkdownReport.Build(items, request.Title);
            var markdownBytes = new UTF8Encoding(false).GetBytes(markdown);
            if (summaryPath is null && request.Host == PipelineHost.AzureDevOps)
            {
                // task.uploadsummary names a file the agent reads later: the agent's temp folder, which it clears only between jobs.
                summaryPath = Path.Combine(request.TemporaryDirectory ?? Path.GetTempPath(), $"OtelTls-report-{Guid.NewGuid():N}.md");
            }

            if (summaryPath is not null)
            {
                CertificateFiles.WriteAll(true, (summaryPath, markdownBytes, false));
                files.Add(summaryPath);
            }

            if (request.Host == PipelineHost.GitHubActions && !string.IsNullOrEmpty(request.GitHubStepSummary))
            {
                AppendStepSummary(request.GitHubStepSummary!, markdownBytes);
            }

            var commands = PipelineCommands.For(request.Host, items, annotationThreshold, request.Host == PipelineHost.AzureDevOps ? summaryPath : null,
                request.SourceRoot);
            var failing = request.FailOn is OtlpSeverity gate ? items.Where(i => i.AtLeast(gate).Any()).ToList() : new List<ReportItem>();
            return new TlsReportResult(commands, files, failing);
        }

        /// <summary>
        /// GitHub's step summary is one file every step of the job appends to: it is appended in one write (never
        /// replaced), after a blank line so the previous step's Markdown cannot swallow the heading.
        /// </summary>
        private static void AppendStepSummary(string path, byte[] markdown)
        {
            try
            {
                using var stream = new FileStream(path, FileMode.Append, System.IO.FileAccess.Write, FileShare.Read);
                var content = new byte[markdown.Length + 1];
                content[0] = (byte)'\n';
                Buffer.BlockCopy(markdown, 0, content, 1, markdown.Length);
                stream.Write(content, 0, content.Length);
                stream.Flush(flushToDisk: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new OtlpTlsException(ex is UnauthorizedAccessException ? "FileAccessDenied" : "FileWriteFailed",
                    ex is UnauthorizedAccessException ? OtlpErrorKind.PermissionDenied : OtlpErrorKind.WriteError,
                    $"Could not append the summary to GITHUB_STEP_SUMMARY ('{path}'): {ex.Message}", path,
                    "Run the step on a GitHub-hosted or self-hosted runner that provides GITHUB_STEP_SUMMARY, or pass -MarkdownPath.", ex);
            }
        }
    }
}
