using System;
using System.Linq;
using System.Management.Automation;
using System.Security;
using OtelTls.Engine;
using OtelTls.Engine.Client;
using OtelTls.Engine.Diagnosis;

namespace OtelTls.Commands
{
    /// <summary>
    /// <para type="synopsis">Reads certificates from PEM, DER or PKCS#12 files.</para>
    /// <para type="description">Returns one OtlpCertificate per certificate: bundles yield every certificate in file order.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "OtlpCertificate", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(OtlpCertificate))]
    public sealed class GetOtlpCertificateCommand : OtlpFileCmdlet
    {
        private const string EndpointSet = "Endpoint";

        /// <summary>Certificate files; wildcards are expanded.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = null!;

        /// <summary>OTLP endpoints whose certificate chain to fetch exactly as the server presents it (like openssl s_client -showcerts).</summary>
        [Parameter(Mandatory = true, ParameterSetName = EndpointSet, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[] Endpoint { get; set; } = null!;

        /// <summary>With -Endpoint: the name to send as SNI (servers with several certificates choose by it).</summary>
        [Parameter(ParameterSetName = EndpointSet)]
        [ValidateNotNullOrEmpty]
        public string? ServerName { get; set; }

        /// <summary>With -Endpoint: the bound on connecting and the handshake, in seconds.</summary>
        [Parameter(ParameterSetName = EndpointSet)]
        [ValidateRange(1, 600)]
        public int TimeoutSec { get; set; } = 10;

        /// <summary>Password of a PKCS#12 (.pfx/.p12) file.</summary>
        [Parameter(ParameterSetName = PathSet)]
        [Parameter(ParameterSetName = LiteralPathSet)]
        public SecureString? Password { get; set; }

        /// <summary>Reads each file and writes its certificates.</summary>
        protected override void ProcessRecord()
        {
            if (ParameterSetName == EndpointSet)
            {
                foreach (var endpoint in Endpoint)
                {
                    TryRun(() => WriteChain(endpoint));
                }

                return;
            }

            ReadCertificateFiles(Path, Password, certificates =>
            {
                foreach (var certificate in certificates)
                {
                    WriteObject(certificate);
                }
            });
        }

        private void WriteChain(string endpoint)
        {
            var shown = Redaction.Url(endpoint); // the endpoint's credentials never reach verbose text or errors
            using var client = new OtlpClientSettings(serverName: ServerName, timeout: TimeSpan.FromSeconds(TimeoutSec));
            var options = new DiagnosisOptions { Client = client, HandshakeOnly = true, SkipExport = true };
            WriteVerbose($"Connecting to {shown} for its certificate chain.");
            var diagnosis = EndpointDiagnoser.DiagnoseAsync(endpoint, options, CancellationToken).GetAwaiter().GetResult();
            if (diagnosis.Chain.Length == 0)
            {
                var reason = diagnosis.Findings.FirstOrDefault(f => f.Severity == OtlpSeverity.Error);
                throw new OtlpTlsException(OtlpErrorId.CertificateNotPresented, OtlpErrorKind.ConnectionError,
                    $"{shown} presented no certificate: {reason?.Message ?? "the handshake did not get that far"}", shown,
                    reason?.Remediation ?? "Run Test-OtlpTlsEndpoint for the full diagnosis.");
            }

            foreach (var certificate in diagnosis.Chain)
            {
                WriteObject(certificate);
            }
        }
    }
}
