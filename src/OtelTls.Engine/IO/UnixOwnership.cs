#if NET8_0_OR_GREATER
using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace OtelTls.Engine
{
    /// <summary>
    /// A file's owner and group on Unix, which .NET does not expose: read with <see cref="UnixStat"/> and changed with libc
    /// <c>chown</c>.
    /// </summary>
    internal static class UnixOwnership
    {
        /// <summary>The owner and group of <paramref name="path"/> (following links); false when they cannot be read.</summary>
        public static bool TryGet(string path, out uint owner, out uint group) => UnixStat.TryGet(path, out _, out owner, out group);

        /// <summary>Gives <paramref name="path"/> the owner and group (only root, or the owner to one of its groups, may).</summary>
        public static bool TryChange(string path, uint owner, uint group)
        {
            try
            {
                return Chown(path, owner, group) == 0;
            }
            catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
            {
                return false;
            }
        }

        // CA2101 wants a CharSet, which only picks the default string marshaling; the path is marshaled explicitly as UTF-8
        // (LPUTF8Str), the bytes chown expects on Linux and macOS, so a CharSet would change nothing.
        [SuppressMessage("Globalization", "CA2101:Specify marshaling for P/Invoke string arguments",
            Justification = "The string parameter is marshaled explicitly as UTF-8 with MarshalAs(LPUTF8Str).")]
        [DllImport("libc", EntryPoint = "chown", SetLastError = true)]
        private static extern int Chown([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint owner, uint group);
    }
}
#endif
