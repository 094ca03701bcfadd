using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace OtelTls.Engine.Certificates
{
    /// <summary>
    /// The files one new certificate goes to: <c>&lt;Name&gt;.crt</c> (the certificate and its intermediates),
    /// <c>&lt;Name&gt;.key</c> (PKCS#8) and, when asked for, <c>&lt;Name&gt;.p12</c>. Planned before anything is generated,
    /// so every target can be checked (and confirmed) first.
    /// </summary>
    public sealed class CertificateOutput
    {
        /// <summary>Refused in a base name on every system, beyond what this system's <see cref="Path.GetInvalidFileNameChars"/> lists.</summary>
        private static readonly char[] PortableInvalidNameChars = { '/', '\\', ':', '*', '?', '"', '<', '>', '|' };

        private CertificateOutput(string certificatePath, string keyPath, string? pkcs12Path)
        {
            CertificatePath = certificatePath;
            KeyPath = keyPath;
            Pkcs12Path = pkcs12Path;
        }

        /// <summary>The PEM certificate file (leaf first, then intermediates).</summary>
        public string CertificatePath { get; }

        /// <summary>The PKCS#8 PEM private key file (owner-only).</summary>
        public string KeyPath { get; }

        /// <summary>The PKCS#12 file, or null when none is written.</summary>
        public string? Pkcs12Path { get; }

        /// <summary>Every file that will be written, in writing order.</summary>
        public IReadOnlyList<string> Paths =>
            Pkcs12Path is null ? new[] { CertificatePath, KeyPath } : new[] { CertificatePath, KeyPath, Pkcs12Path };

        /// <summary>
        /// Plans the files for <paramref name="name"/> in <paramref name="directory"/> (an absolute file system path).
        /// A trailing <c>.crt</c> or <c>.pem</c> on the name is dropped, so <c>-Name server.crt</c> still gives server.crt/server.key.
        /// </summary>
        public static CertificateOutput For(string directory, string name, bool includePkcs12)
        {
            var baseName = (name ?? string.Empty).Trim();
            foreach (var extension in new[] { ".crt", ".pem" })
            {
                if (baseName.EndsWith(extension, StringComparison.OrdinalIgnoreCase) && baseName.Length > extension.Length)
                {
                    baseName = baseName.Substring(0, baseName.Length - extension.Length);
                }
            }

            var invalid = Path.GetInvalidFileNameChars().Concat(PortableInvalidNameChars);
            if (baseName.Length == 0 || baseName == "." || baseName == ".." || baseName.IndexOfAny(invalid.ToArray()) >= 0)
            {
                throw new OtlpTlsException(OtlpErrorId.InvalidCertificateName, OtlpErrorKind.InvalidArgument,
                    $"'{name}' cannot be used as a file name for the certificate.", name,
                    "Give -Name a plain file name without a folder or extension (e.g. otel-collector); the folder goes to -OutputDirectory.");
            }

            var full = Path.GetFullPath(directory);
            return new CertificateOutput(
                Path.Combine(full, baseName + ".crt"),
                Path.Combine(full, baseName + ".key"),
                includePkcs12 ? Path.Combine(full, baseName + ".p12") : null);
        }

        /// <summary>
        /// The file name used when none is given: the common name made file-safe (<c>My Root CA</c> → <c>My-Root-CA</c>),
        /// else the type in lower case (<c>ca</c>, <c>server</c>, <c>client</c>).
        /// </summary>
        public static string DefaultName(OtlpCertificateType type, string? commonName)
        {
            var builder = new StringBuilder();
            foreach (var c in commonName ?? string.Empty)
            {
                var safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
                if (safe)
                {
                    builder.Append(c);
                }
                else if (builder.Length > 0 && builder[builder.Length - 1] != '-')
                {
                    builder.Append('-');
                }
            }

            var name = builder.ToString().Trim('-', '.');
            return name.Length > 0 ? name : type.ToString().ToLowerInvariant();
        }

        /// <summary>
        /// Throws <c>SignerWouldBeOverwritten</c> when a target is one of the signer's own files: even with <c>-Force</c>,
        /// <c>New-OtlpCertificate -Type CA | New-OtlpCertificate -Type CA -Force</c> must not replace the root it signs with.
        /// </summary>
        public void EnsureNotOverwriting(params string?[] signerFiles)
        {
            var comparison = System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Windows)
                ? StringComparison.OrdinalIgnoreCase
                : StringComparison.Ordinal;
            foreach (var signerFile in signerFiles.Where(f => !string.IsNullOrEmpty(f)))
            {
                var full = Path.GetFullPath(signerFile!);
                if (Paths.Any(p => string.Equals(p, full, comparison)))
                {
                    throw new OtlpTlsException(OtlpErrorId.SignerWouldBeOverwritten, OtlpErrorKind.InvalidArgument,
                        $"'{full}' holds the signer, and the new certificate would replace it; nothing was written.", full,
                        "Give the new certificate its own -Name (e.g. -Name intermediate) or -OutputDirectory.");
                }
            }
        }

        /// <summary>Throws <c>FileExists</c> (or <c>PathIsDirectory</c>) for the first target that may not be written.</summary>
        public void EnsureWritable(bool force) => CertificateFiles.EnsureWritable(Paths, force);
    }
}
