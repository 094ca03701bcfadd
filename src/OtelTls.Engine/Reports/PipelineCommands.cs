using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace OtelTls.Engine.Reports
{
    /// <summary>The CI system a report's logging commands are written for.</summary>
    public enum PipelineHost
    {
        /// <summary>No CI system: no logging commands.</summary>
        None,

        /// <summary>Azure Pipelines (<c>TF_BUILD</c> set): <c>##vso[…]</c> commands.</summary>
        AzureDevOps,

        /// <summary>GitHub Actions (<c>GITHUB_ACTIONS</c> set): <c>::error::</c> workflow commands and the step summary.</summary>
        GitHubActions,
    }

    /// <summary>
    /// Logging commands for the findings of a report. Every value is escaped the way the CI system's own toolkit escapes it
    /// (azure-pipelines-task-lib, @actions/core), so no text from a finding or an endpoint can end a command, start a new
    /// line, or add a property: each command is exactly one line.
    /// </summary>
    public static class PipelineCommands
    {
        /// <summary>
        /// The CI system the variables describe: <c>TF_BUILD</c> (Azure Pipelines) and <c>GITHUB_ACTIONS</c> (GitHub
        /// Actions) are what those runners set for every step.
        /// </summary>
        public static PipelineHost Detect(Func<string, string?> variable)
        {
            if (IsSet(variable("TF_BUILD")))
            {
                return PipelineHost.AzureDevOps;
            }

            return string.Equals(variable("GITHUB_ACTIONS"), "true", StringComparison.OrdinalIgnoreCase) ? PipelineHost.GitHubActions : PipelineHost.None;
        }

        /// <summary>
        /// One command per finding at or above <paramref name="threshold"/> (Warning: warnings and errors; Error: errors
        /// only); for Azure Pipelines, then the upload of <paramref name="summaryPath"/> when one was written.
        /// </summary>
        /// <param name="host">The CI system.</param>
        /// <param name="items">The report's items.</param>
        /// <param name="threshold">The least severity annotated.</param>
        /// <param name="summaryPath">The Markdown file Azure attaches, or null.</param>
        /// <param name="sourceRoot">
        /// The checked-out repository (GITHUB_WORKSPACE, BUILD_SOURCESDIRECTORY): certificate files under it are named
        /// relative to it, which is how both systems attach an annotation to a file of the repository.
        /// </param>
        public static IReadOnlyList<string> For(PipelineHost host, IEnumerable<ReportItem> items, OtlpSeverity threshold, string? summaryPath,
            string? sourceRoot = null)
        {
            var lines = new List<string>();
            if (host == PipelineHost.None)
            {
                return lines;
            }

            foreach (var item in items)
            {
                foreach (var finding in item.AtLeast(threshold))
                {
                    var file = RelativeTo(sourceRoot, item.SourcePath);
                    lines.Add(host == PipelineHost.AzureDevOps ? AzureIssue(item, finding, file) : GitHubAnnotation(item, finding, file));
                }
            }

            if (host == PipelineHost.AzureDevOps && summaryPath is not null)
            {
                lines.Add($"##vso[task.uploadsummary]{AzureData(summaryPath)}");
            }

            return lines;
        }

        /// <summary><c>##vso[task.logissue type=error;sourcepath=…;code=Id]endpoint: message</c>.</summary>
        public static string AzureIssue(ReportItem item, OtlpFinding finding, string? file)
        {
            var properties = new StringBuilder("type=").Append(finding.Severity == OtlpSeverity.Error ? "error" : "warning");
            if (file is not null)
            {
                properties.Append(";sourcepath=").Append(AzureProperty(file));
            }

            properties.Append(";code=").Append(AzureProperty(finding.Id));
            return $"##vso[task.logissue {properties}]{AzureData(Text(item, finding))}";
        }

        /// <summary><c>::error title=Id (endpoint),file=…::message</c>.</summary>
        public static string GitHubAnnotation(ReportItem item, OtlpFinding finding, string? file)
        {
            var command = finding.Severity == OtlpSeverity.Error ? "error" : "warning";
            var properties = new List<string> { "title=" + GitHubProperty($"{finding.Id}: {item.Name}") };
            if (file is not null)
            {
                properties.Add("file=" + GitHubProperty(file));
            }

            return $"::{command} {string.Join(",", properties)}::{GitHubData(Text(item, finding))}";
        }

        /// <summary>The message of an annotation: what and where, then the fix, so the annotation alone says what to do.</summary>
        private static string Text(ReportItem item, OtlpFinding finding) =>
            $"{item.Name}: {finding.Id}: {finding.Message} Fix: {finding.Remediation}";

        /// <summary>azure-pipelines-task-lib's escapedata: % first (the agent decodes %AZP25 back to %), then CR and LF.</summary>
        public static string AzureData(string value) =>
            value.Replace("%", "%AZP25").Replace("\r", "%0D").Replace("\n", "%0A");

        /// <summary>azure-pipelines-task-lib's escape for property values: as data, plus ']' and ';'.</summary>
        public static string AzureProperty(string value) =>
            AzureData(value).Replace("]", "%5D").Replace(";", "%3B");

        /// <summary>@actions/core's escapeData: %, CR, LF.</summary>
        public static string GitHubData(string value) =>
            value.Replace("%", "%25").Replace("\r", "%0D").Replace("\n", "%0A");

        /// <summary>@actions/core's escapeProperty: as data, plus ':' and ','.</summary>
        public static string GitHubProperty(string value) =>
            GitHubData(value).Replace(":", "%3A").Replace(",", "%2C");

        /// <summary>The file relative to the repository when it lies inside it (with '/' separators), else as it is.</summary>
        internal static string? RelativeTo(string? root, string? file)
        {
            if (file is null || string.IsNullOrEmpty(root))
            {
                return file;
            }

            var fullRoot = Path.GetFullPath(root!).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar) + Path.DirectorySeparatorChar;
            var fullFile = Path.GetFullPath(file);
            var comparison = Path.DirectorySeparatorChar == '\\' ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
            return fullFile.StartsWith(fullRoot, comparison) ? fullFile.Substring(fullRoot.Length).Replace('\\', '/') : file;
        }

        private static bool IsSet(string? value) => !string.IsNullOrEmpty(value) && !string.Equals(value, "false", StringComparison.OrdinalIgnoreCase);
    }
}
