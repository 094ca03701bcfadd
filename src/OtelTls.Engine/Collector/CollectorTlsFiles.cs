using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using OtelTls.Engine.Certificates;

namespace OtelTls.Engine.Collector
{
    /// <summary>
    /// The files a <c>tls:</c> block names, read as the collector reads them: present, PEM, CA files holding CAs that are
    /// in date, the certificate chain in order, its key matching, and the chain checked by the shared
    /// <see cref="CertificateChecker"/> against the CA the peers trust.
    /// </summary>
    internal sealed class CollectorTlsFiles
    {
        private readonly CollectorTlsCheck _check;
        private readonly CollectorLintOptions _options;
        private readonly ConfigNode _tls;
        private readonly CollectorTlsRole _role;
        private readonly List<OtlpCollectorFinding> _findings;
        private readonly string? _hostName;

        public CollectorTlsFiles(CollectorTlsCheck check, CollectorLintOptions options, ConfigNode tls, CollectorTlsRole role, List<OtlpCollectorFinding> findings, string? hostName)
        {
            _check = check;
            _options = options;
            _tls = tls;
            _role = role;
            _findings = findings;
            _hostName = hostName;
        }

        public void Run()
        {
            var caFiles = new List<IReadOnlyList<OtlpCertificate>>();
            foreach (var key in _role == CollectorTlsRole.Client ? new[] { "ca_file" } : _role == CollectorTlsRole.Server ? new[] { "ca_file", "client_ca_file" } : new[] { "ca_file", "client_ca_file" })
            {
                if (Certificates(key) is { } cas)
                {
                    caFiles.Add(cas);
                    if (!cas.Any(c => c.IsCertificateAuthority))
                    {
                        Add(CollectorFindings.NotCertificateAuthority(_tls[key]!.Path, cas[0].Path ?? string.Empty), key);
                    }
                    else
                    {
                        // An expired or soon-expiring CA breaks every handshake that relies on it.
                        var check = CertificateChecker.Check(new[] { cas[0] }, new CertificateCheckOptions
                        {
                            TrustedAuthorities = cas,
                            At = _options.At,
                            ExpiryWarningDays = _options.ExpiryWarningDays,
                        });
                        AddAll(check.Findings.Where(f => f.Stage == OtlpStage.Certificate), key);
                    }
                }
            }

            var chain = Certificates("cert_file");
            var keyPath = Local("key_file");
            Org.BouncyCastle.Crypto.AsymmetricKeyParameter? privateKey = null;
            if (keyPath is not null && Read("key_file", keyPath) is { } keyBytes)
            {
                try
                {
                    privateKey = PrivateKeyReader.Parse(keyBytes, keyPath);
                }
                catch (OtlpTlsException ex)
                {
                    Add(CollectorFindings.FileUnreadable(_tls["key_file"]!.Path, keyPath, ex.Message), "key_file");
                }
            }

            if (chain is null)
            {
                return;
            }

            CheckOrder(chain);
            var anchors = _options.TrustedCaFiles.SelectMany(f => CertificateReader.ReadFile(f)).ToList();
            if (anchors.Count == 0 && _role == CollectorTlsRole.Server)
            {
                // Without the exporters' CA, the receiver's own CA files are the best stand-in (one-CA PKIs, the guide's layout).
                anchors.AddRange(caFiles.SelectMany(c => c).Where(c => c.IsCertificateAuthority));
            }

            var result = CertificateChecker.Check(chain, new CertificateCheckOptions
            {
                TrustedAuthorities = anchors.Count == 0 ? null : anchors,
                HostName = _role == CollectorTlsRole.Server ? _hostName : null,
                Usage = _role == CollectorTlsRole.Server ? OtlpCertificateUsage.Server : _role == CollectorTlsRole.Client ? OtlpCertificateUsage.Client : null,
                At = _options.At,
                ExpiryWarningDays = _options.ExpiryWarningDays,
                PrivateKey = privateKey,
            });
            // Which CA the peers trust is not in this file: without an anchor, trust cannot be judged here.
            AddAll(result.Findings.Where(f => anchors.Count > 0 || f.Stage != OtlpStage.Trust), "cert_file");
        }

        private void CheckOrder(IReadOnlyList<OtlpCertificate> chain)
        {
            if (chain.Count > 1 && chain[0].IsCertificateAuthority)
            {
                Add(CollectorFindings.ChainOrder(_tls["cert_file"]!.Path, $"the first certificate '{chain[0].Subject}' is a CA, not the leaf"), "cert_file");
                return;
            }

            for (var i = 1; i < chain.Count; i++)
            {
                if (!string.Equals(chain[i - 1].Issuer, chain[i].Subject, StringComparison.Ordinal))
                {
                    Add(CollectorFindings.ChainOrder(_tls["cert_file"]!.Path,
                        $"certificate {i + 1} '{chain[i].Subject}' does not follow its subject certificate '{chain[i - 1].Subject}' (issued by '{chain[i - 1].Issuer}')"), "cert_file");
                    return;
                }
            }
        }

        private string? Local(string key) => _check.LocalFile(_tls, key);

        private byte[]? Read(string key, string local)
        {
            var node = _tls[key]!;
            if (!Path.IsPathRooted(node.Value!))
            {
                Add(CollectorFindings.RelativePath(node.Path, node.Value!), key);
            }

            byte[] bytes;
            try
            {
                bytes = FileAccess.ReadAllBytes(local, key == "key_file" ? "private key" : "certificate");
            }
            catch (OtlpTlsException ex) when (ex.ErrorId == OtlpErrorId.FileNotFound)
            {
                Add(CollectorFindings.FileNotFound(node.Path, node.Value!, local), key);
                return null;
            }
            catch (OtlpTlsException ex)
            {
                Add(CollectorFindings.FileUnreadable(node.Path, local, ex.Message), key);
                return null;
            }

            if (!PemBlock.LooksLikePem(bytes))
            {
                Add(CollectorFindings.FileUnreadable(node.Path, local, "it is not PEM (no -----BEGIN line)."), key);
                return null;
            }

            return bytes;
        }

        private IReadOnlyList<OtlpCertificate>? Certificates(string key)
        {
            var local = Local(key);
            if (local is null || Read(key, local) is null)
            {
                return null;
            }

            try
            {
                var certificates = CertificateReader.ReadFile(local);
                if (certificates.Count == 0)
                {
                    Add(CollectorFindings.FileUnreadable(_tls[key]!.Path, local, "it holds no certificate."), key);
                    return null;
                }

                return certificates;
            }
            catch (OtlpTlsException ex)
            {
                Add(CollectorFindings.FileUnreadable(_tls[key]!.Path, local, ex.Message), key);
                return null;
            }
        }

        private void Add(OtlpFinding finding, string key) => _findings.Add((_tls[key] ?? _tls).Locate(finding));

        private void AddAll(IEnumerable<OtlpFinding> findings, string key)
        {
            foreach (var finding in findings)
            {
                Add(finding, key);
            }
        }
    }
}
