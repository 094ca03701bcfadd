using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using OtelTls.Engine.Reports;
using OtelTls.Support;

namespace OtelTls.Commands
{
    /// <summary>
    /// <para type="synopsis">Turns diagnoses and certificate checks into a JUnit XML report, a Markdown summary and CI annotations, and fails the step on findings.</para>
    /// <para type="description">Pipe Test-OtlpTlsEndpoint and Test-OtlpCertificate results in. In Azure Pipelines (TF_BUILD) findings become
    /// ##vso[task.logissue] lines and the summary is attached with ##vso[task.uploadsummary]; in GitHub Actions (GITHUB_ACTIONS) they become
    /// ::error::/::warning:: annotations and the summary is appended to $GITHUB_STEP_SUMMARY. -FailOn ends the command with a terminating error
    /// (exit code 1 from pwsh -Command) when a finding is that bad.</para>
    /// </summary>
    [Cmdlet(VerbsData.Export, "OtlpTlsReport")]
    [OutputType(typeof(OtlpTlsDiagnosis), typeof(OtlpCertificateCheck))]
    public sealed class ExportOtlpTlsReportCommand : OtlpCmdlet
    {
        private readonly List<object> _received = new();
        private readonly TlsReportRequest _request = new();

        /// <summary>OtlpTlsDiagnosis objects (Test-OtlpTlsEndpoint) and OtlpCertificateCheck objects (Test-OtlpCertificate).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [AllowEmptyCollection]
        public PSObject[] InputObject { get; set; } = null!;

        /// <summary>The JUnit XML file to write (for PublishTestResults or a GitHub test-report action); replaced atomically.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? JUnitPath { get; set; }

        /// <summary>The Markdown summary file to write; replaced atomically.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? MarkdownPath { get; set; }

        /// <summary>The heading of the Markdown summary.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Title { get; set; } = "OtelTls TLS report";

        /// <summary>Error: fail when any finding is an error. Warning: fail on warnings too. The failure is a terminating error (ReportFailed) after every file and annotation is written.</summary>
        [Parameter]
        [ValidateSet("Error", "Warning")]
        public string? FailOn { get; set; }

        /// <summary>Which CI logging commands to write: Auto (from TF_BUILD / GITHUB_ACTIONS, the default), AzureDevOps, GitHubActions or None.</summary>
        [Parameter]
        [ValidateSet("Auto", "AzureDevOps", "GitHubActions", "None")]
        public string Annotate { get; set; } = "Auto";

        /// <summary>Writes the input objects on after the report, so a gate can sit in the middle of a pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>Collects the results; the report needs all of them.</summary>
        protected override void ProcessRecord()
        {
            foreach (var wrapped in InputObject ?? Array.Empty<PSObject>())
            {
                switch (wrapped?.BaseObject)
                {
                    case OtlpTlsDiagnosis diagnosis:
                        _request.Items.Add(ReportItem.From(diagnosis));
                        _received.Add(diagnosis);
                        break;
                    case OtlpCertificateCheck check:
                        _request.Items.Add(ReportItem.From(check));
                        _received.Add(check);
                        break;
                    default:
                        WriteEngineError(new OtlpTlsException(OtlpErrorId.ReportInputInvalid, OtlpErrorKind.InvalidArgument,
                            $"Export-OtlpTlsReport takes OtlpTlsDiagnosis and OtlpCertificateCheck objects, not '{wrapped?.BaseObject?.GetType().Name ?? "null"}'.",
                            wrapped?.BaseObject, "Pipe Test-OtlpTlsEndpoint or Test-OtlpCertificate without -Quiet."));
                        break;
                }
            }
        }

        /// <summary>Writes the files and the logging commands, passes the input on, then applies -FailOn.</summary>
        protected override void EndProcessing()
        {
            _request.JUnitPath = JUnitPath is null ? null : PathResolution.ResolveForOutput(this, JUnitPath);
            _request.MarkdownPath = MarkdownPath is null ? null : PathResolution.ResolveForOutput(this, MarkdownPath);
            _request.Title = Title;
            _request.FailOn = FailOn is null ? null : (OtlpSeverity)Enum.Parse(typeof(OtlpSeverity), FailOn, ignoreCase: true);
            _request.Host = Annotate == "Auto" ? PipelineCommands.Detect(Environment.GetEnvironmentVariable)
                : (PipelineHost)Enum.Parse(typeof(PipelineHost), Annotate, ignoreCase: true);
            _request.GitHubStepSummary = Environment.GetEnvironmentVariable("GITHUB_STEP_SUMMARY");
            _request.TemporaryDirectory = Environment.GetEnvironmentVariable("AGENT_TEMPDIRECTORY");
            _request.SourceRoot = _request.Host == PipelineHost.GitHubActions ? Environment.GetEnvironmentVariable("GITHUB_WORKSPACE")
                : _request.Host == PipelineHost.AzureDevOps ? Environment.GetEnvironmentVariable("BUILD_SOURCESDIRECTORY") : null;

            TlsReportResult result;
            try
            {
                result = TlsReport.Write(_request);
            }
            catch (OtlpTlsException exception)
            {
                ThrowEngineError(exception);
                return;
            }

            foreach (var file in result.Files)
            {
                WriteVerbose($"Wrote '{file}'.");
            }

            // Logging commands go to the host (the information stream, as Write-Host does): the agent reads the console,
            // and a caller who discards the output ($null = …, | Out-Null) must not lose the annotations.
            foreach (var line in result.Commands)
            {
                HostText.WriteLine(this, line);
            }

            if (PassThru)
            {
                WriteObject(_received, enumerateCollection: true);
            }

            if (result.Failing.Count > 0)
            {
                var worst = result.Failing[0];
                ThrowEngineError(new OtlpTlsException(OtlpErrorId.ReportFailed, OtlpErrorKind.InvalidResult,
                    $"{result.Failing.Count} of {_request.Items.Count} checked item(s) have findings at or above {FailOn}; the first: {worst.Name}: " +
                    $"{worst.AtLeast(_request.FailOn!.Value).First().Id}.",
                    worst.Name, "Fix the findings the report lists (each says what to change), or lower -FailOn."));
            }
        }
    }
}
