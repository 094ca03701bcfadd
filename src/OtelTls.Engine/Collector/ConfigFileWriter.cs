using System;
using System.IO;
using System.Text;

namespace OtelTls.Engine.Collector
{
    /// <summary>
    /// Replaces a configuration file that belongs to someone else: the new text goes to a temporary file in the same folder,
    /// gets the original's permission bits and byte-order mark, is flushed, and is renamed over the original, so a reader
    /// sees the old file or the new one, never half of either. A symbolic link is followed: its target is replaced, the
    /// link stays.
    /// </summary>
    internal static class ConfigFileWriter
    {
        public static void Replace(string path, string text)
        {
            var target = ResolveLink(Path.GetFullPath(path));
            byte[] original;
            try
            {
                original = File.ReadAllBytes(target);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw Failed(path, ex);
            }

            var bom = ConfigTree.HasBom(original);
            var body = new UTF8Encoding(false).GetBytes(text);
            var content = bom ? new byte[] { 0xEF, 0xBB, 0xBF }.Concat(body) : body;
            var directory = Path.GetDirectoryName(target)!;
            var temp = Path.Combine(directory, "." + Path.GetFileName(target) + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".tmp");
            try
            {
                using (var stream = new FileStream(temp, FileMode.CreateNew, System.IO.FileAccess.Write, FileShare.None))
                {
                    stream.Write(content, 0, content.Length);
                    stream.Flush(true);
                }

#if NET8_0_OR_GREATER
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(temp, File.GetUnixFileMode(target));
                }

                File.Move(temp, target, overwrite: true);
#else
                File.Replace(temp, target, destinationBackupFileName: null);
#endif
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                try
                {
                    File.Delete(temp);
                }
                catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
                {
                }

                throw Failed(path, ex);
            }
        }

        private static string ResolveLink(string path)
        {
#if NET8_0_OR_GREATER
            var info = new FileInfo(path);
            if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } final)
            {
                return final.FullName;
            }
#endif
            return path;
        }

        private static OtlpTlsException Failed(string path, Exception ex) =>
            new(ex is UnauthorizedAccessException ? "FileAccessDenied" : "FileWriteFailed",
                ex is UnauthorizedAccessException ? OtlpErrorKind.PermissionDenied : OtlpErrorKind.WriteError,
                $"Could not write '{path}': {ex.Message} The file was not changed.", path, "Check that the file and its folder are writable.", ex);
    }

    internal static class ByteArrayExtensions
    {
        public static byte[] Concat(this byte[] first, byte[] second)
        {
            var result = new byte[first.Length + second.Length];
            Buffer.BlockCopy(first, 0, result, 0, first.Length);
            Buffer.BlockCopy(second, 0, result, first.Length, second.Length);
            return result;
        }
    }
}
