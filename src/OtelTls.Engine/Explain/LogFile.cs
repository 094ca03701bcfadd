using System;
using System.IO;
using System.Text;

namespace OtelTls.Engine.Explain
{
    /// <summary>Opens a log file for streaming, with the same error ids as every other file the module reads.</summary>
    internal static class LogFile
    {
        private const int BufferSize = 1 << 16;

        public static StreamReader Open(string path)
        {
            if (Directory.Exists(path))
            {
                throw new OtlpTlsException(OtlpErrorId.PathIsDirectory, OtlpErrorKind.InvalidArgument,
                    $"'{path}' is a directory; a log file was expected.", path, "Name the log file itself, not the folder that holds it.");
            }

            try
            {
                var stream = new FileStream(path, FileMode.Open, System.IO.FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, BufferSize, FileOptions.SequentialScan);
                // Logs are UTF-8 in practice; invalid bytes become U+FFFD rather than stopping the read.
                return new StreamReader(stream, new UTF8Encoding(false, false), detectEncodingFromByteOrderMarks: true, BufferSize);
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
            {
                throw new OtlpTlsException(OtlpErrorId.FileNotFound, OtlpErrorKind.ObjectNotFound,
                    $"The log file '{path}' does not exist.", path, "Check the path; relative paths are resolved against the current location.", ex);
            }
            catch (UnauthorizedAccessException ex)
            {
                throw new OtlpTlsException(OtlpErrorId.FileAccessDenied, OtlpErrorKind.PermissionDenied,
                    $"The log file '{path}' cannot be read: access is denied.", path, "Run as a user that can read the file, or fix its permissions.", ex);
            }
            catch (IOException ex)
            {
                throw new OtlpTlsException(OtlpErrorId.FileReadFailed, OtlpErrorKind.ReadError,
                    $"The log file '{path}' could not be read: {ex.Message}", path, null, ex);
            }
        }
    }
}
