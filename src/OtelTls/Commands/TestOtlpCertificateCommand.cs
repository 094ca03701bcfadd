using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security;
using OtelTls.Engine.Certificates;
using OtelTls.Support;

namespace OtelTls.Commands
{
    /// <summary>
    /// <para type="synopsis">Checks certificates offline, like openssl verify and more: trust, validity, host name, usage, algorithms and key match.</para>
    /// <para type="description">Returns one OtlpCertificateCheck per checked certificate; a failed check is data (findings), not an error.</para>
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "OtlpCertificate", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(OtlpCertificateCheck), typeof(bool))]
    public sealed class TestOtlpCertificateCommand : OtlpFileCmdlet
    {
        private const string CertificateSet = "Certificate";

        // Piped certificates are checked per file (or per endpoint): the intermediates of a leaf come after it.
        private readonly List<(OtlpCertificate Certificate, string? KeyPath)> _group = new();
        private string? _groupKey;
        private IReadOnlyList<OtlpCertificate>? _trusted;

        /// <summary>Certificate files; wildcards are expanded. The first certificate of a file is checked, the rest are its intermediates.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true)]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = null!;

        /// <summary>
        /// Certificate objects (from Get-OtlpCertificate or New-OtlpCertificate). What one endpoint presented, or one file
        /// that starts with a leaf, is checked as one chain (its first certificate, the rest as intermediates); the
        /// certificates of a CA bundle are each checked.
        /// </summary>
        [Parameter(Mandatory = true, ParameterSetName = CertificateSet, ValueFromPipeline = true)]
        [ValidateNotNullOrEmpty]
        [OtlpCertificateArgument]
        public OtlpCertificate[] Certificate { get; set; } = null!;

        /// <summary>The trusted CAs: file paths (every certificate in them is trusted), OtlpCertificate or X509Certificate2 objects. Without it, the system trust store.</summary>
        [Parameter]
        [Alias("CaFile", "CAPath")]
        [OtlpCertificateArgument]
        public object[]? CaCertificate { get; set; }

        /// <summary>The host name or IP address clients connect to; checked against the subject alternative names.</summary>
        [Parameter]
        [Alias("ServerName", "DnsName")]
        [ValidateNotNullOrEmpty]
        public string? HostName { get; set; }

        /// <summary>Server (needs serverAuth) or Client (needs clientAuth). Without it, -HostName implies Server; with neither, usage is not checked.</summary>
        [Parameter]
        public OtlpCertificateUsage? Usage { get; set; }

        /// <summary>The private key that should belong to the certificate; a key that does not is a finding.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [OtlpCertificateArgument(OtlpCertificateArgumentKind.KeyPath)]
        public string? KeyPath { get; set; }

        /// <summary>Password of an encrypted key in -KeyPath.</summary>
        [Parameter]
        public SecureString? KeyPassword { get; set; }

        /// <summary>Password of a PKCS#12 (.pfx/.p12) certificate file.</summary>
        [Parameter]
        public SecureString? Password { get; set; }

        /// <summary>The moment to check validity at (default: now).</summary>
        [Parameter]
        public DateTime? At { get; set; }

        /// <summary>Warn when a certificate expires within this many days (default 30; 0 turns the warning off).</summary>
        [Parameter]
        [ValidateRange(0, 36500)]
        public int ExpiryWarningDays { get; set; } = 30;

        /// <summary>Write only a bool per certificate: true when no finding is an error.</summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        /// <summary>Loads the trusted CAs once: without them no check can be right, so a bad CA file stops the command.</summary>
        protected override void BeginProcessing() => _trusted = ResolveCaCertificates(CaCertificate, Password);

        /// <summary>Checks each file, or collects piped certificates by file so their intermediates are known.</summary>
        protected override void ProcessRecord()
        {
            if (ParameterSetName == CertificateSet)
            {
                foreach (var certificate in Certificate)
                {
                    Collect(certificate);
                }

                return;
            }

            ReadCertificateFiles(Path, Password, chain => CheckAndWrite(chain[0], chain, KeyPath));
        }

        /// <summary>Checks the last group of piped certificates.</summary>
        protected override void EndProcessing() => Flush();

        private void Collect(OtlpCertificate certificate)
        {
            var key = certificate.Path is not null ? "file:" + certificate.Path
                : certificate.Endpoint is not null ? "endpoint:" + certificate.Endpoint
                : null;
            // Index 0 starts a new file or chain, even when the same file is piped twice.
            if (key is null || key != _groupKey || certificate.Index == 0)
            {
                Flush();
            }

            _groupKey = key;
            _group.Add((certificate, KeyPath));
        }

        private void Flush()
        {
            var group = _group.ToList();
            _group.Clear();
            _groupKey = null;
            if (group.Count == 0)
            {
                return;
            }

            var chains = PipedChains.Split(group.Select(g => g.Certificate).ToList());
            if (chains.Count == 1)
            {
                // What one endpoint presented, or a file that starts with a leaf: one chain, one check of its first certificate.
                var chain = chains[0];
                // The key belongs to the first certificate of a file or chain, never to the intermediates after it.
                var chainKey = chain[0].Index == 0 ? group.First(g => ReferenceEquals(g.Certificate, chain[0])).KeyPath : null;
                TryRun(() => CheckAndWrite(chain[0], chain, chainKey));
                return;
            }

            // A CA bundle: each certificate is checked with the rest of its group as the untrusted pool; the engine decodes
            // and indexes the group once, so a bundle of n certificates costs O(n), not O(n²).
            var options = new CertificateCheckOptions?[group.Count];
            for (var i = 0; i < group.Count; i++)
            {
                var (certificate, keyPath) = group[i];
                var key = certificate.Index == 0 ? keyPath : null;
                TryRun(() => options[i] = CreateOptions(certificate, key));
            }

            WriteVerbose($"Checking {group.Count} piped certificate(s), each with the others of its group as possible intermediates.");
            TryRun(() =>
            {
                foreach (var check in CertificateChecker.CheckEach(group.Select(g => g.Certificate).ToList(), options))
                {
                    Write(check);
                }
            });
        }

        private void CheckAndWrite(OtlpCertificate leaf, IReadOnlyList<OtlpCertificate> chain, string? keyPath)
        {
            WriteVerbose($"Checking '{leaf.Subject}' with {chain.Count - 1} more certificate(s) from {leaf.Path ?? leaf.Endpoint ?? "the pipeline"}.");
            Write(CertificateChecker.Check(chain, CreateOptions(leaf, keyPath)));
        }

        private CertificateCheckOptions CreateOptions(OtlpCertificate leaf, string? keyPath)
        {
            var options = new CertificateCheckOptions
            {
                TrustedAuthorities = _trusted,
                HostName = HostName,
                Usage = PipedChains.ImpliedUsage(Usage, HostName),
                At = At is DateTime at ? new DateTimeOffset(at) : null,
                ExpiryWarningDays = ExpiryWarningDays,
                PresentedByServer = leaf.Path is null && leaf.Endpoint is not null,
            };
            if (!string.IsNullOrEmpty(keyPath))
            {
                var resolvedKey = PathResolution.ResolveForOutput(this, keyPath!);
                WriteVerbose($"Reading the private key '{resolvedKey}'.");
                options.LoadPrivateKey(resolvedKey, SecureStrings.ToPlainText(KeyPassword));
            }

            return options;
        }

        private void Write(OtlpCertificateCheck check)
        {
            WriteVerbose($"'{check.Subject}': {check.Status}, chain {string.Join(" <- ", check.Chain.Select(c => c.Subject))}, " +
                         $"{check.Findings.Length} finding(s).");
            if (Quiet)
            {
                WriteObject(check.IsValid);
            }
            else
            {
                WriteObject(check);
            }
        }
    }
}
