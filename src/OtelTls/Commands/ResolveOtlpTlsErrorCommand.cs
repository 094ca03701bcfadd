using System.Management.Automation;
using OtelTls.Engine.Explain;
using OtelTls.Support;

namespace OtelTls.Commands
{
    /// <summary>
    /// <para type="synopsis">Explains TLS and OTLP connection errors pasted from a log: the finding, the runtime, the facts, the fix.</para>
    /// <para type="description">Reads messages (-Message, lines from the pipeline such as Get-Content app.log or kubectl logs, or log files with -Path) and returns one OtlpTlsErrorExplanation for each TLS or OTLP connection error among them. Lines that are not such errors produce nothing.</para>
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Resolve, "OtlpTlsError", DefaultParameterSetName = MessageSet)]
    [OutputType(typeof(OtlpTlsErrorExplanation))]
    public sealed class ResolveOtlpTlsErrorCommand : OtlpFileCmdlet
    {
        private const string MessageSet = "Message";

        private TlsErrorExplainer? _pipeline;

        /// <summary>Error messages or log lines; each string may hold several lines.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = MessageSet, ValueFromPipeline = true)]
        [Alias("Line", "InputObject")]
        [AllowEmptyString]
        [AllowNull]
        public string?[] Message { get; set; } = null!;

        /// <summary>Log files to read; wildcards are expanded. Each file is streamed, so a log of any size is read once.</summary>
        [Parameter(Mandatory = true, ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = null!;

        /// <summary>Explains the lines given, or the files named, as they arrive.</summary>
        protected override void ProcessRecord()
        {
            if (ParameterSetName == MessageSet)
            {
                _pipeline ??= new TlsErrorExplainer();
                foreach (var message in Message)
                {
                    foreach (var line in (message ?? string.Empty).Split('\n'))
                    {
                        foreach (var explanation in _pipeline.Add(line.TrimEnd('\r')))
                        {
                            WriteObject(explanation);
                        }
                    }
                }

                return;
            }

            ForEachFile(Path, file =>
            {
                WriteVerbose($"Reading '{file}'.");
                foreach (var explanation in TlsErrorExplainer.ExplainFile(file))
                {
                    CancellationToken.ThrowIfCancellationRequested();
                    WriteObject(explanation);
                }
            });
        }

        /// <summary>Writes the error still being assembled when the input ends.</summary>
        protected override void EndProcessing()
        {
            if (_pipeline is null)
            {
                return;
            }

            foreach (var explanation in _pipeline.Complete())
            {
                WriteObject(explanation);
            }

            WriteVerbose($"Read {_pipeline.LineCount} line(s).");
        }
    }
}
