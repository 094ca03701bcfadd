using System;
using System.IO;
using System.Text;

namespace OtelTls.Engine
{
    /// <summary>
    /// Every file the engine reads (CA, certificate, key, PKCS#12, dotenv, Kubernetes env) is read here, with the errors
    /// users need: which file, what is wrong, what to do. Only regular files are read: opening a FIFO blocks until a
    /// writer appears (forever, and Ctrl+C cannot interrupt a blocked open), and a device or socket never ends, so they
    /// are refused before they are opened.
    /// </summary>
    internal static class FileAccess
    {
        /// <summary>
        /// The largest file read (64 MiB): far above any real bundle (the Mozilla bundle is ~220 KB, 1,600 certificates
        /// ~2.5 MB) and small enough that a wrong path (a disk image, a log) fails at once instead of exhausting memory.
        /// </summary>
        public const long MaxBytes = 64L * 1024 * 1024;

        /// <summary>Reads a whole file; <paramref name="what"/> ("certificate", "private key") names it in errors.</summary>
        /// <exception cref="OtlpTlsException">
        /// PathIsDirectory, NotARegularFile, FileTooLarge, FileNotFound, FileAccessDenied or FileReadFailed.
        /// </exception>
        public static byte[] ReadAllBytes(string path, string what) => Mapped(path, what, () =>
        {
            using var stream = OpenChecked(path, what, 4096);
            var length = stream.Length;
            if (length > MaxBytes)
            {
                throw TooLarge(path, what, length);
            }

            // Read to the end rather than trusting Length: a file that grows while read is still bounded.
            using var buffer = new MemoryStream((int)length);
            var chunk = new byte[81920];
            int read;
            while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
            {
                if (buffer.Length + read > MaxBytes)
                {
                    throw TooLarge(path, what, buffer.Length + read);
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        });

        /// <summary>
        /// Opens a file to be streamed (a log of any size), with the checks and errors of <see cref="ReadAllBytes"/> but no
        /// size bound; the caller disposes the stream.
        /// </summary>
        public static Stream OpenRead(string path, string what) => Mapped(path, what, () => OpenChecked(path, what, 1 << 16));

        private static FileStream OpenChecked(string path, string what, int bufferSize)
        {
            if (Directory.Exists(path))
            {
                throw new OtlpTlsException(OtlpErrorId.PathIsDirectory, OtlpErrorKind.InvalidArgument,
                    $"'{path}' is a directory; a {what} file was expected.", path,
                    $"Name the {what} file itself, not the folder that holds it.");
            }

            var kind = UnixFileKind(path);
            if (kind is not null)
            {
                throw new OtlpTlsException(OtlpErrorId.NotARegularFile, OtlpErrorKind.InvalidArgument,
                    $"'{path}' is a {kind}, not a regular file; a {what} file was expected.", path,
                    $"Name a regular {what} file. To use a {what} produced by a process, write it to a file first (a {kind} is not read, because reading it can block forever).");
            }

            return new FileStream(path, FileMode.Open, System.IO.FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize, FileOptions.SequentialScan);
        }

        /// <summary>Runs a file operation and turns the platform's exceptions into the module's error ids.</summary>
        private static T Mapped<T>(string path, string what, Func<T> operation)
        {
            try
            {
                return operation();
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
            {
                throw new OtlpTlsException(OtlpErrorId.FileNotFound, OtlpErrorKind.ObjectNotFound,
                    $"The {what} file '{path}' does not exist.", path, "Check the path; relative paths are resolved against the current location.", ex);
            }
            catch (UnauthorizedAccessException ex)
            {
                throw new OtlpTlsException(OtlpErrorId.FileAccessDenied, OtlpErrorKind.PermissionDenied,
                    $"The {what} file '{path}' cannot be read: access is denied.", path,
                    "Run as a user that can read the file, or fix its permissions.", ex);
            }
            catch (IOException ex)
            {
                throw new OtlpTlsException(OtlpErrorId.FileReadFailed, OtlpErrorKind.ReadError,
                    $"The {what} file '{path}' could not be read: {ex.Message}", path, null, ex);
            }
        }

        /// <summary>Reads a whole text file as UTF-8 (a BOM is honoured), with the checks of <see cref="ReadAllBytes"/>.</summary>
        public static string ReadAllText(string path, string what)
        {
            var bytes = ReadAllBytes(path, what);
            var preamble = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
            return Encoding.UTF8.GetString(bytes, preamble, bytes.Length - preamble);
        }

        private static OtlpTlsException TooLarge(string path, string what, long length) =>
            new(OtlpErrorId.FileTooLarge, OtlpErrorKind.InvalidData,
                $"The {what} file '{path}' is {length:N0} bytes; files over {MaxBytes / (1024 * 1024)} MiB are not read.", path,
                $"Check that '{path}' is the {what} file you meant.");

        /// <summary>
        /// "FIFO", "character device", "block device" or "socket" for such a path (symbolic links followed); null for a
        /// regular file, a missing path, Windows, or when the type cannot be read.
        /// </summary>
        internal static string? UnixFileKind(string path)
        {
            // Named pipes and devices are not reachable through ordinary file paths on Windows, where this is false too.
            if (!UnixStat.TryGet(path, out var mode, out _, out _))
            {
                return null; // missing or unreadable: the open reports it with the usual error
            }

            return (mode & 0xF000) switch
            {
                0x1000 => "FIFO (named pipe)",
                0x2000 => "character device",
                0x6000 => "block device",
                0xC000 => "socket",
                _ => null,
            };
        }
    }
}
