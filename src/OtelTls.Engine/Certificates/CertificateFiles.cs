using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace OtelTls.Engine.Certificates
{
    /// <summary>
    /// Writes certificates and keys: every target checked before anything is written, the certificate and its key (and
    /// PKCS#12 file) replaced as one unit under a lock, each staged owner-only in its own folder and renamed into place
    /// (no half-written file and no mismatched pair is ever left), keys owner-only from the moment they exist.
    /// </summary>
    public static class CertificateFiles
    {
        /// <summary>Writes the certificate (with its intermediates) and its PKCS#8 key.</summary>
        public static void WriteCertificateAndKey(IssuedCertificate issued, string certificatePath, string keyPath, bool force) =>
            WriteAll(force,
                (certificatePath, Encoding.ASCII.GetBytes(issued.ChainPem), false),
                (keyPath, Encoding.ASCII.GetBytes(issued.PrivateKeyPem), true));

        /// <summary>
        /// Writes every file of <paramref name="output"/> as one unit: the certificate with its intermediates, the key, and
        /// the PKCS#12 file when one is planned (protected by <paramref name="pkcs12Password"/>; null means an empty password).
        /// </summary>
        public static void Write(IssuedCertificate issued, CertificateOutput output, string? pkcs12Password, bool force)
        {
            var files = new List<(string Path, byte[] Content, bool Secret)>
            {
                (output.CertificatePath, Encoding.ASCII.GetBytes(issued.ChainPem), false),
                (output.KeyPath, Encoding.ASCII.GetBytes(issued.PrivateKeyPem), true),
            };
            if (output.Pkcs12Path is not null)
            {
                files.Add((output.Pkcs12Path, issued.ToPkcs12(pkcs12Password), true));
            }

            WriteAll(force, files.ToArray());
        }

        /// <summary>Writes a PKCS#12 file holding the key and chain.</summary>
        public static void WritePkcs12(IssuedCertificate issued, string path, string? password, bool force) =>
            WriteAll(force, (path, issued.ToPkcs12(password), true));

        /// <summary>Throws <c>FileExists</c> when any target exists and <paramref name="force"/> is off.</summary>
        public static void EnsureWritable(IEnumerable<string> paths, bool force)
        {
            foreach (var path in paths)
            {
                if (Directory.Exists(path))
                {
                    throw new OtlpTlsException(OtlpErrorId.PathIsDirectory, OtlpErrorKind.InvalidArgument,
                        $"'{path}' is a directory; a file name was expected.", path, "Name a file, or use -OutputDirectory for the folder.");
                }

                if (!force && File.Exists(path))
                {
                    throw new OtlpTlsException(OtlpErrorId.FileExists, OtlpErrorKind.ResourceExists,
                        $"The file '{path}' already exists; nothing was written.", path,
                        "Use -Force to replace it, or choose another -Name or -OutputDirectory.");
                }
            }
        }

        /// <summary>
        /// Writes several files as one unit (see <see cref="AtomicFile.ReplaceGroup"/>): all targets are checked first, the
        /// files are locked against concurrent writers, and on failure the old files are back and nothing new is left.
        /// </summary>
        internal static void WriteAll(bool force, params (string Path, byte[] Content, bool Secret)[] files)
        {
            EnsureWritable(files.Select(f => f.Path), force);
            AtomicFile.ReplaceGroup(files, force, "certificate");
        }
    }
}
