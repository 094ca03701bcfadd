using System.Management.Automation;
using System.Security;
using OtelTls.Engine.Certificates;

namespace OtelTls.Commands
{
    /// <summary>
    /// <para type="synopsis">Reads certificates from PEM, DER or PKCS#12 files.</para>
    /// <para type="description">Returns one OtlpCertificate per certificate: bundles yield every certificate in file order.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "OtlpCertificate", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(OtlpCertificate))]
    public sealed class GetOtlpCertificateCommand : OtlpCmdlet
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";

        /// <summary>Certificate files; wildcards are expanded.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = null!;

        /// <summary>Certificate files, taken exactly as written (no wildcards).</summary>
        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; } = null!;

        /// <summary>Password of a PKCS#12 (.pfx/.p12) file.</summary>
        [Parameter]
        public SecureString? Password { get; set; }

        /// <summary>Reads each file and writes its certificates.</summary>
        protected override void ProcessRecord()
        {
            var literal = ParameterSetName == LiteralPathSet;
            foreach (var pattern in literal ? LiteralPath : Path)
            {
                foreach (var file in PathResolution.ResolveExisting(this, pattern, literal))
                {
                    TryRun(() =>
                    {
                        WriteVerbose($"Reading certificates from '{file}'.");
                        foreach (var certificate in CertificateReader.ReadFile(file, SecureStrings.ToPlainText(Password)))
                        {
                            WriteObject(certificate);
                        }
                    });
                }
            }
        }
    }
}
