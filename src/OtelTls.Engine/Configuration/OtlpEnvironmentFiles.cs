using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using OtelTls.Engine.Certificates;
using OtelTls.Engine.Diagnosis;
using Org.BouncyCastle.Crypto;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace OtelTls.Engine.Configuration
{
    /// <summary>
    /// The files the exporter variables name: where each is (relative paths against the one base folder), whether it can
    /// be read as the SDKs read it (PEM), and what it holds (a CA, a client certificate for client authentication, the key
    /// that belongs to it). Each file is read once per environment, through the command's file reads when given.
    /// </summary>
    internal sealed class OtlpEnvironmentFiles
    {
        // What a file check restates from the shared certificate checker: validity and the client certificate's usage.
        private static readonly HashSet<string> CheckedIds = new(StringComparer.Ordinal)
        {
            OtlpFindingId.CertificateExpired, OtlpFindingId.CertificateNotYetValid, OtlpFindingId.CertificateExpiringSoon,
            OtlpFindingId.KeyUsageMismatch, OtlpFindingId.ClientCertificateNotForClientAuth,
        };

        private readonly string _baseDirectory;
        private readonly CommandFiles? _files;
        private readonly DateTimeOffset _at;
        private readonly OtlpEnvironmentFindings _findings;
        private readonly HashSet<string> _checkedFiles = new(StringComparer.Ordinal);
        private readonly HashSet<string> _checkedPairs = new(StringComparer.Ordinal);
        private readonly Dictionary<string, IReadOnlyList<BcCertificate>?> _certificates = new(StringComparer.Ordinal);
        private readonly Dictionary<string, AsymmetricKeyParameter?> _keys = new(StringComparer.Ordinal);

        /// <param name="baseDirectory">Folder relative paths are resolved against.</param>
        /// <param name="files">The command's file reads (null: read here).</param>
        /// <param name="at">The moment certificate validity is checked at.</param>
        /// <param name="findings">Where findings go.</param>
        public OtlpEnvironmentFiles(string baseDirectory, CommandFiles? files, DateTimeOffset at, OtlpEnvironmentFindings findings)
        {
            _baseDirectory = baseDirectory;
            _files = files;
            _at = at;
            _findings = findings;
        }

        private enum FileRole
        {
            Ca,
            ClientCertificate,
            ClientKey,
        }

        /// <summary>A path as the exporter opens it: rooted paths as they are, others against <paramref name="baseDirectory"/>.</summary>
        public static string FullPath(string baseDirectory, string path) =>
            Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(baseDirectory, path));

        /// <summary>Checks a signal's CA, client certificate and client key files, and that the key belongs to the certificate.</summary>
        public void Check(OtlpSignalConfiguration result)
        {
            CheckFile(result.Signal, result.CertificatePathSource, result.CertificatePath, FileRole.Ca);
            var clientCertificate = CheckFile(result.Signal, result.ClientCertificatePathSource, result.ClientCertificatePath, FileRole.ClientCertificate);
            CheckFile(result.Signal, result.ClientKeyPathSource, result.ClientKeyPath, FileRole.ClientKey);
            if (clientCertificate is { Count: > 0 } && result.ClientKeyPath is not null)
            {
                var key = LoadKey(result.ClientKeyPath);
                var pair = result.ClientCertificatePath + "\n" + result.ClientKeyPath;
                if (key is not null && _checkedPairs.Add(pair) && !PrivateKeyReader.Matches(clientCertificate[0], key))
                {
                    _findings.Add(result.Signal, OtlpFindingId.ClientKeyMismatch, OtlpSeverity.Error,
                        $"The client key '{result.ClientKeyPath}' ({result.ClientKeyPathSource}) does not belong to the client certificate '{result.ClientCertificatePath}' ({result.ClientCertificatePathSource}).",
                        "The TLS stack cannot sign the handshake with a key that does not match the certificate; exporters fail to load the pair or the server rejects the handshake.",
                        $"Point {result.ClientKeyPathSource} at the key issued with '{CertificateDescriber.FormatName(clientCertificate[0].SubjectDN)}'; compare 'openssl x509 -noout -pubkey -in <crt>' with 'openssl pkey -pubout -in <key>'.");
                }
            }
        }

        private string ResolvePath(string path) => FullPath(_baseDirectory, path);

        private IReadOnlyList<BcCertificate>? CheckFile(OtlpSignal signal, string? variable, string? path, FileRole role)
        {
            if (variable is null || path is null)
            {
                return null;
            }

            // A file named by the same variable is reported once, whichever signals share it.
            var first = _checkedFiles.Add(variable + "\n" + path);
            if (first && !Path.IsPathRooted(path))
            {
                _findings.Add(signal, OtlpFindingId.RelativeFilePath, OtlpSeverity.Warning,
                    $"{variable}='{path}' is a relative path.",
                    "Each SDK resolves it against its own working directory, which differs between a shell, a service and a container.",
                    $"Use an absolute path: {variable}={ResolvePath(path)}.");
            }

            if (role == FileRole.ClientKey)
            {
                LoadKey(path, first ? variable : null, signal);
                return null;
            }

            return LoadCertificates(path, first ? variable : null, signal, role);
        }

        private IReadOnlyList<BcCertificate>? LoadCertificates(string path, string? reportAs, OtlpSignal? signal, FileRole role)
        {
            if (!_certificates.TryGetValue(path, out var certificates))
            {
                try
                {
                    var bytes = CommandFiles.Read(_files, ResolvePath(path), role == FileRole.Ca ? "CA certificate" : "client certificate");
                    certificates = CertificateReader.Parse(bytes, path);
                    if (reportAs is not null && !PemBlock.LooksLikePem(bytes))
                    {
                        _findings.Add(signal, OtlpFindingId.ConfiguredFileUnreadable, OtlpSeverity.Error,
                            $"{reportAs}='{path}' is not PEM.",
                            "The specification and the SDKs read PEM files only; DER or PKCS#12 files fail to load.",
                            $"Convert it: openssl x509 -in '{path}' -out '{path}.pem' (or 'openssl pkcs12 -in … -nokeys' for a .pfx) and point {reportAs} at the PEM file.");
                    }
                }
                catch (OtlpTlsException ex)
                {
                    certificates = null;
                    if (reportAs is not null)
                    {
                        ReportUnreadable(signal, reportAs, path, ex);
                    }
                }

                _certificates[path] = certificates;
            }

            if (certificates is not null && reportAs is not null)
            {
                CheckCertificates(signal, reportAs, path, certificates, role);
            }

            return certificates;
        }

        private AsymmetricKeyParameter? LoadKey(string path, string? reportAs = null, OtlpSignal? signal = null)
        {
            if (_keys.TryGetValue(path, out var key) && reportAs is null)
            {
                return key;
            }

            try
            {
                var bytes = CommandFiles.Read(_files, ResolvePath(path), "private key");
                key = PrivateKeyReader.Parse(bytes, path);
                if (reportAs is not null && !PemBlock.LooksLikePem(bytes))
                {
                    _findings.Add(signal, OtlpFindingId.ConfiguredFileUnreadable, OtlpSeverity.Error,
                        $"{reportAs}='{path}' is not PEM.",
                        "The specification and the SDKs read PEM keys only.",
                        $"Convert it: openssl pkey -in '{path}' -out '{path}.pem' and point {reportAs} at the PEM file.");
                }
            }
            catch (OtlpTlsException ex)
            {
                key = null;
                if (reportAs is not null)
                {
                    ReportUnreadable(signal, reportAs, path, ex);
                }
            }

            _keys[path] = key;
            return key;
        }

        private void ReportUnreadable(OtlpSignal? signal, string variable, string path, OtlpTlsException ex)
        {
            if (ex.ErrorId == OtlpErrorId.FileNotFound)
            {
                _findings.Add(signal, OtlpFindingId.ConfiguredFileNotFound, OtlpSeverity.Error,
                    $"{variable}='{path}' does not exist.",
                    "Go and Python exporters log the error and continue with the system trust store (so TLS fails later with 'unknown authority'); Java and .NET fail at start-up.",
                    $"Point {variable} at an existing PEM file (absolute path), or remove the variable.");
                return;
            }

            var encrypted = ex.ErrorId is OtlpErrorId.PrivateKeyPasswordRequired or OtlpErrorId.PrivateKeyPasswordInvalid || ex.Message.IndexOf("encrypted", StringComparison.OrdinalIgnoreCase) >= 0;
            _findings.Add(signal, OtlpFindingId.ConfiguredFileUnreadable, OtlpSeverity.Error,
                $"{variable}='{path}' cannot be used: {ex.Message}",
                encrypted
                    ? "Exporters cannot read encrypted private keys: there is no variable for a password."
                    : "The exporter cannot load the file, so it either fails at start-up or continues without it.",
                encrypted
                    ? $"Write an unencrypted copy readable only by the exporter's user: openssl pkey -in '{path}' -out client.key; chmod 600 client.key; then point {variable} at it."
                    : ex.RecommendedAction ?? $"Point {variable} at a readable PEM file.");
        }

        private void CheckCertificates(OtlpSignal? signal, string variable, string path, IReadOnlyList<BcCertificate> certificates, FileRole role)
        {
            if (role == FileRole.Ca && !certificates.Any(c => c.GetBasicConstraints() >= 0))
            {
                var selfSigned = certificates.All(CertificateDescriber.IsSelfSigned);
                _findings.Add(signal, OtlpFindingId.CaFileNotCertificateAuthority, selfSigned ? OtlpSeverity.Warning : OtlpSeverity.Error,
                    $"{variable}='{path}' holds no CA certificate (first: '{CertificateDescriber.FormatName(certificates[0].SubjectDN)}').",
                    selfSigned
                        ? "A self-signed server certificate used as its own trust anchor works only while the collector keeps exactly that certificate, and some stacks refuse non-CA anchors."
                        : "This looks like a server or client certificate: it cannot vouch for the collector's certificate, so verification fails with 'unknown authority'.",
                    $"Point {variable} at the CA certificate that issued the collector's certificate (e.g. ca.crt from New-OtlpCertificate -Type CA).");
            }

            // Validity (and, for a client certificate, its usage) is the shared certificate checker's job; restated here
            // with the variable that names the file.
            var models = certificates.Select((c, i) => CertificateDescriber.Create(c, path, i)).ToList();
            var chains = role == FileRole.Ca
                ? models.Select(m => (IReadOnlyList<OtlpCertificate>)new[] { m }).ToList()
                : new List<IReadOnlyList<OtlpCertificate>> { models };
            foreach (var chain in chains)
            {
                var check = CertificateChecker.Check(chain, new CertificateCheckOptions
                {
                    TrustedAuthorities = role == FileRole.Ca ? chain : models,
                    At = _at,
                    Usage = role == FileRole.ClientCertificate ? OtlpCertificateUsage.Client : null,
                });
                foreach (var finding in check.Findings.Where(f => CheckedIds.Contains(f.Id)))
                {
                    _findings.Add(signal, finding.Id, finding.Severity, $"{variable}='{path}': {finding.Message}", finding.Cause,
                        $"{finding.Remediation} Point {variable} at the new file and restart the exporter: SDKs read it only at start-up.", finding.Evidence);
                }
            }
        }
    }
}
