using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace OtelTls.Commands
{
    /// <summary>
    /// Base for the cmdlets that write collector configuration from certificates piped to them (New-OtlpCollectorConfig,
    /// New-OtlpKubernetesManifest): -InputObject collects the certificates, and the command works in EndProcessing, once
    /// all have arrived, with <see cref="PipedCertificates"/>. What each certificate is for is the engine's one decision
    /// (<c>PipedCertificateRoles</c>). Set-OtlpTlsEnvironment, whose base holds the environment-target parameters,
    /// declares -InputObject itself and collects through <see cref="Collect"/>.
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
        protected override void ProcessRecord() => Collect(_piped, InputObject);

        /// <summary>Adds one pipeline input's certificates to <paramref name="piped"/>, in order, nulls left out.</summary>
        internal static void Collect(List<OtlpCertificate> piped, OtlpCertificate[]? items)
        {
            if (items is not null)
            {
                piped.AddRange(items.Where(c => c is not null));
            }
        }
    }
}
