using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Security;
using OtelTls.Engine.Certificates;
using OtelTls.Support;

namespace OtelTls.Commands
{
    /// <summary>
    /// What the cmdlets that read files named by -Path (wildcards expanded) or -LiteralPath (taken as written) share:
    /// -LiteralPath itself and the walk over the files. Each cmdlet declares its own -Path, whose position and pipeline
    /// binding differ.
    /// </summary>
    public abstract class OtlpFileCmdlet : OtlpCmdlet
    {
        /// <summary>The parameter set of -Path.</summary>
        protected const string PathSet = "Path";

        /// <summary>The parameter set of -LiteralPath.</summary>
        protected const string LiteralPathSet = "LiteralPath";

        /// <summary>Files, taken exactly as written (no wildcards).</summary>
        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; } = null!;

        /// <summary>
        /// Hands every file that <paramref name="path"/> (the cmdlet's -Path) or -LiteralPath names to
        /// <paramref name="use"/>, in order. A pattern that names no file, or an engine failure in <paramref name="use"/>,
        /// is a non-terminating error for that file; the next one is read.
        /// </summary>
        protected void ForEachFile(IEnumerable<string> path, Action<string> use)
        {
            var literal = ParameterSetName == LiteralPathSet;
            foreach (var pattern in literal ? LiteralPath : path)
            {
                foreach (var file in PathResolution.ResolveExisting(this, pattern, literal))
                {
                    TryRun(() => use(file));
                }
            }
        }

        /// <summary>Reads the certificates of every file named (see <see cref="ForEachFile"/>) and hands each file's, in file order, to <paramref name="use"/>.</summary>
        protected void ReadCertificateFiles(IEnumerable<string> path, SecureString? password, Action<IReadOnlyList<OtlpCertificate>> use) =>
            ForEachFile(path, file =>
            {
                WriteVerbose($"Reading certificates from '{file}'.");
                use(CertificateReader.ReadFile(file, SecureStrings.ToPlainText(password)));
            });
    }
}
