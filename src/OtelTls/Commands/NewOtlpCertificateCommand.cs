using System;
using System.Linq;
using System.Management.Automation;
using System.Security;
using OtelTls.Engine.Certificates;
using OtelTls.Support;

namespace OtelTls.Commands
{
    /// <summary>
    /// <para type="synopsis">Creates a CA, server or client certificate with its private key, ready for an OTLP collector or exporter.</para>
    /// <para type="description">Writes &lt;Name&gt;.crt (the certificate, followed by its intermediates) and &lt;Name&gt;.key
    /// (PKCS#8, owner-only) and returns the new certificate, which pipes into the next New-OtlpCertificate as its signer.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.New, "OtlpCertificate", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(OtlpCertificate))]
    public sealed class NewOtlpCertificateCommand : OtlpCmdlet
    {
        /// <summary>What to issue: a CA (root, or intermediate when signed by another CA), a server or a client certificate.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        public OtlpCertificateType Type { get; set; }

        /// <summary>Base name of the files (&lt;Name&gt;.crt, &lt;Name&gt;.key, &lt;Name&gt;.p12); default: the common name, else the type.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Name { get; set; }

        /// <summary>Folder for the files; default: the current location. Created when missing.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? OutputDirectory { get; set; }

        /// <summary>Subject common name; default: the first DNS name, else a name from the type.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? CommonName { get; set; }

        /// <summary>DNS names for the subject alternative name extension (a server needs at least one DNS name or IP address).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? DnsName { get; set; }

        /// <summary>IP addresses for the subject alternative name extension.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? IPAddress { get; set; }

        /// <summary>The CA that signs the new certificate (from the pipeline too); without it the certificate is self-signed.</summary>
        [Parameter(ValueFromPipeline = true)]
        [OtlpCertificateArgument]
        public OtlpCertificate? Signer { get; set; }

        /// <summary>The signer's private key file, when the signer object does not carry a KeyPath (e.g. from Get-OtlpCertificate).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [OtlpCertificateArgument(OtlpCertificateArgumentKind.KeyPath)]
        public string? SignerKeyPath { get; set; }

        /// <summary>Password of an encrypted signer key (or of a PKCS#12 signer file).</summary>
        [Parameter]
        public SecureString? SignerKeyPassword { get; set; }

        /// <summary>Key algorithm of the new key.</summary>
        [Parameter]
        public OtlpKeyAlgorithm KeyAlgorithm { get; set; } = OtlpKeyAlgorithm.EcdsaP256;

        /// <summary>Days the certificate is valid; default 3650 for a CA, 365 otherwise.</summary>
        [Parameter]
        [ValidateRange(1, 36500)]
        public int ValidityDays { get; set; }

        /// <summary>basicConstraints pathLenConstraint of a CA (0: it may sign leaf certificates only).</summary>
        [Parameter]
        [ValidateRange(0, 32)]
        public int PathLength { get; set; }

        /// <summary>Also write &lt;Name&gt;.p12 (key and chain), protected by this password.</summary>
        [Parameter]
        public SecureString? Pkcs12Password { get; set; }

        /// <summary>Replace existing files.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Issues one certificate per signer (or one self-signed certificate when no signer is given).</summary>
        protected override void ProcessRecord()
        {
            var directory = PathResolution.ResolveOutputDirectory(this, OutputDirectory);
            var signerKeyPath = SignerKeyPath is null ? null : PathResolution.ResolveForOutput(this, SignerKeyPath);

            TryRun(() =>
            {
                var spec = new CertificateSpec
                {
                    Type = Type,
                    CommonName = CommonName,
                    DnsNames = (DnsName ?? Array.Empty<string>()).ToList(),
                    IPAddresses = (IPAddress ?? Array.Empty<string>()).ToList(),
                    KeyAlgorithm = KeyAlgorithm,
                    ValidityDays = MyInvocation.BoundParameters.ContainsKey(nameof(ValidityDays)) ? ValidityDays : null,
                    PathLength = MyInvocation.BoundParameters.ContainsKey(nameof(PathLength)) ? PathLength : null,
                };

                // Everything that can fail without writing fails here: the signer and its key, names, addresses, targets.
                if (Signer is not null)
                {
                    var signerKey = signerKeyPath ?? Signer.KeyPath;
                    WriteVerbose(signerKey is null
                        ? $"The signer '{Signer.Subject}' carries no KeyPath."
                        : $"Reading the signer '{Signer.Subject}' and its key from '{signerKey}'.");
                    spec.Signer = IssuedCertificate.FromCertificate(Signer, signerKeyPath, SecureStrings.ToPlainText(SignerKeyPassword));
                }

                CertificateFactory.Validate(spec);
                // An expired signer is refused by no file system, only by every client later: say so, then issue as asked.
                foreach (var warning in CertificateFactory.SignerWarnings(spec, System.DateTimeOffset.UtcNow))
                {
                    WriteWarning(warning);
                }

                var output = CertificateOutput.For(directory, Name ?? CertificateOutput.DefaultName(Type, CommonName), Pkcs12Password is not null);
                if (Signer is not null)
                {
                    output.EnsureNotOverwriting(Signer.Path, signerKeyPath ?? Signer.KeyPath);
                }

                output.EnsureWritable(Force);

                var issuer = Signer is null ? "self-signed" : $"signed by '{Signer.Subject}'";
                if (!ShouldProcess(string.Join(", ", output.Paths), $"Create {Type} certificate ({KeyAlgorithm}, {issuer})"))
                {
                    return;
                }

                var issued = CertificateFactory.Issue(spec);
                var certificate = issued.ToModel(output.CertificatePath, output.KeyPath);
                var intermediates = issued.IntermediateCount;
                WriteVerbose($"Writing the certificate '{certificate.Subject}'{(intermediates > 0 ? $" and {intermediates} intermediate(s)" : string.Empty)} to '{output.CertificatePath}'.");
                WriteVerbose($"Writing the private key (PKCS#8, owner-only) to '{output.KeyPath}'.");
                if (output.Pkcs12Path is not null)
                {
                    WriteVerbose($"Writing the PKCS#12 file (key and chain, password-protected) to '{output.Pkcs12Path}'.");
                }

                CertificateFiles.Write(issued, output, SecureStrings.ToPlainText(Pkcs12Password), Force);
                WriteObject(certificate);
            });
        }
    }
}
