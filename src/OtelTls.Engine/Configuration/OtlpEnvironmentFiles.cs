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
        private readonly Dictionary<string, ConfiguredFile<IReadOnlyList<BcCertificate>>> _certificates = new(StringComparer.Ordinal);
        private readonly Dictionary<string, ConfiguredFile<AsymmetricKeyParameter>> _keys = new(StringComparer.Ordinal);

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
                    _findings.Add(result.Signal, ConfigurationFindings.ClientKeyMismatch(result.ClientKeyPathSource, result.ClientKeyPath,
                        result.ClientCertificatePathSource, result.ClientCertificatePath, CertificateDescriber.FormatName(clientCertificate[0].SubjectDN)));
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
                _findings.Add(signal, ConfigurationFindings.RelativeFilePath(variable, path, ResolvePath(path)));
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
            var certificates = ReadConfigured(_certificates, path, reportAs, signal,
                role == FileRole.Ca ? "CA certificate" : "client certificate", (bytes, source) => CertificateReader.Parse(bytes, source), ConfigurationFindings.CertificateFileNotPem);
            if (certificates is not null && reportAs is not null)
            {
                CheckCertificates(signal, reportAs, path, certificates, role);
            }

            return certificates;
        }

        private AsymmetricKeyParameter? LoadKey(string path, string? reportAs = null, OtlpSignal? signal = null) =>
            ReadConfigured(_keys, path, reportAs, signal, "private key", (bytes, source) => PrivateKeyReader.Parse(bytes, source), ConfigurationFindings.KeyFileNotPem);

        // Reads and parses a named file once per environment, keeping how it went. Each variable that names the file
        // (reportAs set on its first look) is told what is wrong with it: not PEM, missing or unusable.
        private T? ReadConfigured<T>(Dictionary<string, ConfiguredFile<T>> cache, string path, string? reportAs, OtlpSignal? signal,
            string kind, Func<byte[], string, T> parse, Func<string, string, OtlpFinding> notPem)
            where T : class
        {
            if (!cache.TryGetValue(path, out var file))
            {
                try
                {
                    var bytes = CommandFiles.Read(_files, ResolvePath(path), kind);
                    file = new ConfiguredFile<T>(parse(bytes, path), PemBlock.LooksLikePem(bytes), null);
                }
                catch (OtlpTlsException ex)
                {
                    file = new ConfiguredFile<T>(null, false, ex);
                }

                cache[path] = file;
            }

            if (reportAs is not null)
            {
                if (file.Error is not null)
                {
                    ReportUnreadable(signal, reportAs, path, file.Error);
                }
                else if (!file.IsPem)
                {
                    _findings.Add(signal, notPem(reportAs, path));
                }
            }

            return file.Value;
        }

        private void ReportUnreadable(OtlpSignal? signal, string variable, string path, OtlpTlsException ex)
        {
            if (ex.ErrorId == OtlpErrorId.FileNotFound)
            {
                _findings.Add(signal, ConfigurationFindings.ConfiguredFileNotFound(variable, path));
                return;
            }

            var encrypted = ex.ErrorId is OtlpErrorId.PrivateKeyPasswordRequired or OtlpErrorId.PrivateKeyPasswordInvalid || ex.Message.IndexOf("encrypted", StringComparison.OrdinalIgnoreCase) >= 0;
            _findings.Add(signal, ConfigurationFindings.ConfiguredFileUnusable(variable, path, ex.Message, encrypted, ex.RecommendedAction));
        }

        private void CheckCertificates(OtlpSignal? signal, string variable, string path, IReadOnlyList<BcCertificate> certificates, FileRole role)
        {
            if (role == FileRole.Ca && !certificates.Any(c => c.GetBasicConstraints() >= 0))
            {
                var selfSigned = certificates.All(CertificateDescriber.IsSelfSigned);
                _findings.Add(signal, ConfigurationFindings.CaFileNotCertificateAuthority(variable, path, CertificateDescriber.FormatName(certificates[0].SubjectDN), selfSigned));
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
                    _findings.Add(signal, ConfigurationFindings.InConfiguredFile(variable, path, finding));
                }
            }
        }

        /// <summary>What reading one named file gave: its content, whether it was PEM, or why it could not be used.</summary>
        private sealed class ConfiguredFile<T>
            where T : class
        {
            public ConfiguredFile(T? value, bool isPem, OtlpTlsException? error)
            {
                Value = value;
                IsPem = isPem;
                Error = error;
            }

            public T? Value { get; }

            public bool IsPem { get; }

            public OtlpTlsException? Error { get; }
        }
    }
}
