using System;
using System.IO;

namespace OtelTls.Engine
{
    /// <summary>File reads with the errors users need: which file, what is wrong, what to do.</summary>
    internal static class FileAccess
    {
        /// <summary>Reads a whole file; <paramref name="what"/> ("certificate", "private key") names it in errors.</summary>
        public static byte[] ReadAllBytes(string path, string what)
        {
            if (Directory.Exists(path))
            {
                throw new OtlpTlsException(OtlpErrorId.PathIsDirectory, OtlpErrorKind.InvalidArgument,
                    $"'{path}' is a directory; a {what} file was expected.", path,
                    $"Name the {what} file itself, not the folder that holds it.");
            }

            try
            {
                return File.ReadAllBytes(path);
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
    }
}
