using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace OtelTls.Commands
{
    /// <summary>
    /// Base for the cmdlets that write configuration from certificates piped to them (Set-OtlpTlsEnvironment,
    /// New-OtlpCollectorConfig, New-OtlpKubernetesManifest): -InputObject collects the certificates, and the command works
    /// in EndProcessing, once all have arrived, with <see cref="PipedCertificates"/>. What each certificate is for is the
    /// engine's one decision (<c>PipedCertificateRoles</c>).
    /// </summary>
    public abstract class OtlpPipedCertificatesCmdlet : OtlpCmdlet
    {
        private readonly List<OtlpCertificate> _piped = new();

        /// <summary>Certificates from New-OtlpCertificate or Get-OtlpCertificate; a file's certificates after its first are its chain.</summary>
        [Parameter(ValueFromPipeline = true)]
        public OtlpCertificate[]? InputObject { get; set; }

        /// <summary>Every certificate piped so far, in pipeline order.</summary>
        protected IReadOnlyList<OtlpCertificate> PipedCertificates => _piped;

        /// <summary>Collects piped certificates; the work happens once all have arrived.</summary>
        protected override void ProcessRecord()
        {
            if (InputObject is not null)
            {
                _piped.AddRange(InputObject.Where(c => c is not null));
            }
        }
    }
}
