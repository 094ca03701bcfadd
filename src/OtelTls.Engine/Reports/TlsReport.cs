using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

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
                var junit = JUnitReport.Build(items, failureThreshold, request.Timestamp, request.HostName);
                AtomicFile.Update(request.JUnitPath, "JUnit report", _ => junit);
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
                AtomicFile.Update(summaryPath, "Markdown summary", _ => markdownBytes);
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
        /// GitHub's step summary is one file the steps of a job add to: the report is appended to what is there (never
        /// replacing it), after a blank line so the previous Markdown cannot swallow the heading, under the file's lock.
        /// </summary>
        private static void AppendStepSummary(string path, byte[] markdown) =>
            AtomicFile.Update(path, "GitHub step summary", current =>
            {
                var existing = current ?? Array.Empty<byte>();
                var content = new byte[existing.Length + 1 + markdown.Length];
                Buffer.BlockCopy(existing, 0, content, 0, existing.Length);
                content[existing.Length] = (byte)'\n';
                Buffer.BlockCopy(markdown, 0, content, existing.Length + 1, markdown.Length);
                return content;
            });
    }
}
