using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace OtelTls.Engine.Certificates
{
    /// <summary>
    /// Writes certificates and keys: every target checked before anything is written, each file written to a temporary
    /// name in its own folder and renamed into place (no half-written file is ever visible), keys owner-only from the
    /// moment they exist.
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

        /// <summary>Writes several files as one unit: all targets are checked first; on failure, nothing new is left behind.</summary>
        internal static void WriteAll(bool force, params (string Path, byte[] Content, bool Secret)[] files)
        {
            EnsureWritable(files.Select(f => f.Path), force);
            var staged = new List<(string Temp, string Target)>();
            try
            {
                foreach (var file in files)
                {
                    var directory = Path.GetDirectoryName(Path.GetFullPath(file.Path))!;
                    Directory.CreateDirectory(directory);
                    var temp = Path.Combine(directory, "." + Path.GetFileName(file.Path) + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".tmp");
                    WriteNew(temp, file.Content, file.Secret);
                    staged.Add((temp, file.Path));
                }

                foreach (var (temp, target) in staged)
                {
                    Replace(temp, target);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                foreach (var (temp, _) in staged)
                {
                    TryDelete(temp);
                }

                var path = staged.Count < files.Length ? files[staged.Count].Path : files[0].Path;
                throw new OtlpTlsException(ex is UnauthorizedAccessException ? OtlpErrorId.FileAccessDenied : OtlpErrorId.FileWriteFailed,
                    ex is UnauthorizedAccessException ? OtlpErrorKind.PermissionDenied : OtlpErrorKind.WriteError,
                    $"Could not write '{path}': {ex.Message}", path, "Check that the folder exists and is writable.", ex);
            }
        }

        private static void WriteNew(string path, byte[] content, bool secret)
        {
#if NET8_0_OR_GREATER
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = System.IO.FileAccess.Write, Share = FileShare.None };
            if (secret && !OperatingSystem.IsWindows())
            {
                // Owner-only from creation: there is no moment when another user could open the key.
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(path, options))
            {
                stream.Write(content, 0, content.Length);
                stream.Flush(flushToDisk: true);
            }

            if (secret && OperatingSystem.IsWindows())
            {
                RestrictToOwnerOnWindows(path);
            }
#else
            // The netstandard2.0 engine serves Windows PowerShell 5.1: files in the user's profile inherit owner-only ACLs;
            // an explicit ACL needs System.IO.FileSystem.AccessControl, not shipped yet (see docs/ARCHITECTURE.md).
            using var stream = new FileStream(path, FileMode.CreateNew, System.IO.FileAccess.Write, FileShare.None);
            stream.Write(content, 0, content.Length);
            stream.Flush(flushToDisk: true);
#endif
        }

#if NET8_0_OR_GREATER
        [System.Runtime.Versioning.SupportedOSPlatform("windows")]
        private static void RestrictToOwnerOnWindows(string path)
        {
            var security = new System.Security.AccessControl.FileSecurity();
            security.SetAccessRuleProtection(isProtected: true, preserveInheritance: false);
            var owner = System.Security.Principal.WindowsIdentity.GetCurrent().User!;
            security.AddAccessRule(new System.Security.AccessControl.FileSystemAccessRule(owner,
                System.Security.AccessControl.FileSystemRights.FullControl, System.Security.AccessControl.AccessControlType.Allow));
            new FileInfo(path).SetAccessControl(security);
        }
#endif

        private static void Replace(string temp, string target)
        {
#if NET8_0_OR_GREATER
            File.Move(temp, target, overwrite: true);
#else
            if (File.Exists(target))
            {
                File.Replace(temp, target, destinationBackupFileName: null);
            }
            else
            {
                File.Move(temp, target);
            }
#endif
        }

        private static void TryDelete(string path)
        {
            try
            {
                File.Delete(path);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
