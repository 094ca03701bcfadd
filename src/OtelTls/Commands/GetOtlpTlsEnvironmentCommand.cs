using System.Management.Automation;
using OtelTls.Engine.Configuration;
using OtelTls.Support;

namespace OtelTls.Commands
{
    /// <summary>
    /// <para type="synopsis">Shows the OTLP exporter configuration the environment (or a dotenv file) gives each signal, with findings.</para>
    /// <para type="description">Resolves OTEL_EXPORTER_OTLP_* variables with the specification's precedence and checks the files they name.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "OtlpTlsEnvironment")]
    [OutputType(typeof(OtlpTlsEnvironment))]
    public sealed class GetOtlpTlsEnvironmentCommand : OtlpCmdlet
    {
        /// <summary>A dotenv file to read instead of the current process environment.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LiteralPath")]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <summary>Checks certificate validity at this moment instead of now.</summary>
        [Parameter]
        public System.DateTimeOffset? At { get; set; }

        /// <summary>Reads the process or the file and writes the configuration.</summary>
        protected override void ProcessRecord()
        {
            TryRun(() =>
            {
                if (Path is null)
                {
                    // Programs started from this session run in its current location, so relative paths are checked there.
                    var location = SessionState.Path.CurrentFileSystemLocation.ProviderPath;
                    WriteObject(OtlpEnvironmentReader.Read(OtlpEnvironmentReader.ProcessVariables(), "Process", At, location));
                    return;
                }

                var file = PathResolution.ResolveForOutput(this, Path);
                WriteVerbose($"Reading variables from '{file}'.");
                var variables = DotEnvFile.Read(file);
                // Relative paths in a dotenv file are checked against the file's folder, where compose resolves them.
                WriteObject(OtlpEnvironmentReader.Read(variables, file, At, System.IO.Path.GetDirectoryName(file)));
            });
        }
    }
}
