using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace OtelTls.Engine.Certificates
{
    /// <summary>
    /// Certificates that come as .NET objects (X509Certificate2 from Cert:\ or Get-PfxCertificate) instead of files. The
    /// certificate itself is used in memory; a private key that comes with it is written, with the certificate, to a folder
    /// only the current user can open, because exporters, SslStream and the engine's client all read the client pair from
    /// files. Those folders are removed when the command that asked for them ends (<see cref="ReleaseSince"/>), or at the
    /// latest when the process exits.
    /// </summary>
    public static class PlatformCertificates
    {
        private static readonly object Gate = new();
        private static readonly List<(long Sequence, int Thread, string Directory)> Folders = new();
        private static long _sequence;

        static PlatformCertificates() => AppDomain.CurrentDomain.ProcessExit += (_, _) => ReleaseAll();

        /// <summary>
        /// The point a command starts from: <see cref="ReleaseSince"/> with it removes the folders made on this thread after
        /// it, which are the ones for this command's arguments (PowerShell binds and runs a pipeline on one thread).
        /// </summary>
        public static long Mark() => Interlocked.Read(ref _sequence);

        /// <summary>
        /// The <see cref="OtlpCertificate"/> for a certificate's DER encoding. With <paramref name="pkcs12"/> (the certificate
        /// and its key as PKCS#12, protected by <paramref name="password"/>), the certificate and its key are written to a
        /// private temporary folder, and the result carries their paths (<c>Path</c>, <c>KeyPath</c>).
        /// </summary>
        public static OtlpCertificate Import(byte[] der, byte[]? pkcs12, string? password, string source)
        {
            BcCertificate certificate;
            try
            {
                certificate = new BcCertificate(der);
            }
            catch (Exception ex) when (ex is ArgumentException or IOException or InvalidCastException or Org.BouncyCastle.Security.Certificates.CertificateException)
            {
                throw new OtlpTlsException(OtlpErrorId.CertificateInvalid, OtlpErrorKind.InvalidData,
                    $"The certificate '{source}' cannot be read: {ex.Message}", source, "Export it to a PEM file and pass the file.", ex);
            }

            if (pkcs12 is null)
            {
                return CertificateDescriber.Create(certificate, null, 0);
            }

            var store = Pkcs12Files.Load(pkcs12, source, password);
            var alias = store.Aliases.FirstOrDefault(store.IsKeyEntry)
                ?? throw new OtlpTlsException(OtlpErrorId.PrivateKeyNotExportable, OtlpErrorKind.InvalidData,
                    $"The private key of '{source}' could not be exported.", source,
                    "Export the certificate with its key to a .pfx (Export-PfxCertificate) or PEM files and pass the files.");
            var key = store.GetKey(alias).Key;
            var issued = new IssuedCertificate(certificate, key,
                (store.GetCertificateChain(alias) ?? Array.Empty<X509CertificateEntry>()).Skip(1).Select(e => e.Certificate)
                    .Where(c => !CertificateDescriber.IsSelfSigned(c)).ToList());

            var folder = CreatePrivateFolder();
            var certificatePath = Path.Combine(folder, "certificate.crt");
            var keyPath = Path.Combine(folder, "certificate.key");
            var encoding = new UTF8Encoding(false);
            CertificateFiles.WriteAll(false, (certificatePath, encoding.GetBytes(issued.ChainPem), false), (keyPath, encoding.GetBytes(issued.PrivateKeyPem), true));
            return CertificateDescriber.Create(certificate, certificatePath, 0, keyPath);
        }

        /// <summary>Removes the folders this thread made after <paramref name="mark"/>.</summary>
        public static void ReleaseSince(long mark)
        {
            List<string> release;
            lock (Gate)
            {
                var thread = Environment.CurrentManagedThreadId;
                release = Folders.Where(f => f.Sequence > mark && f.Thread == thread).Select(f => f.Directory).ToList();
                Folders.RemoveAll(f => f.Sequence > mark && f.Thread == thread);
            }

            release.ForEach(Delete);
        }

        /// <summary>True while the file is inside a folder this class made and has not removed yet.</summary>
        public static bool IsTemporary(string? path)
        {
            if (path is null)
            {
                return false;
            }

            lock (Gate)
            {
                return Folders.Any(f => string.Equals(Path.GetDirectoryName(path), f.Directory, StringComparison.Ordinal));
            }
        }

        /// <summary>
        /// The file a certificate object names for configuration (exporter variables, collector YAML, a Secret): its
        /// <see cref="OtlpCertificate.Path"/>, unless it has none (it came from an endpoint) or the file is one of the
        /// temporary copies made here, which go when the command ends.
        /// </summary>
        public static string? FileOf(OtlpCertificate certificate) =>
            certificate.Path is { } path && !IsTemporary(path) ? path : null;

        private static string CreatePrivateFolder()
        {
            var folder = Path.Combine(Path.GetTempPath(), "oteltls-key-" + Guid.NewGuid().ToString("N").Substring(0, 16));
#if NET8_0_OR_GREATER
            if (!OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
            else
            {
                Directory.CreateDirectory(folder);
            }
#else
            // Windows PowerShell: %TEMP% is in the user's profile, which only the user (and administrators) can open.
            Directory.CreateDirectory(folder);
#endif
            lock (Gate)
            {
                Folders.Add((Interlocked.Increment(ref _sequence), Environment.CurrentManagedThreadId, folder));
            }

            return folder;
        }

        private static void ReleaseAll()
        {
            List<string> release;
            lock (Gate)
            {
                release = Folders.Select(f => f.Directory).ToList();
                Folders.Clear();
            }

            release.ForEach(Delete);
        }

        private static void Delete(string folder)
        {
            try
            {
                Directory.Delete(folder, recursive: true);
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
