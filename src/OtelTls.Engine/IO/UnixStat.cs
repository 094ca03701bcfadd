using System;
using System.Runtime.InteropServices;
using System.Text;

namespace OtelTls.Engine
{
    /// <summary>
    /// <c>stat()</c> on Unix, which .NET exposes only in part (no owner, no file type before .NET 7): read through the
    /// runtime's own native shim, shipped with every .NET runtime on Unix (pwsh included). Its result has a
    /// platform-independent layout, where libc's <c>struct stat</c> differs per architecture: Flags, Mode (the file type in
    /// <c>S_IFMT</c>), Uid, Gid as 32-bit fields at the start, in every .NET since Core 2.0.
    /// </summary>
    internal static class UnixStat
    {
        /// <summary>The mode, owner and group of <paramref name="path"/> (symbolic links followed); false on Windows, for a
        /// missing or unreadable path, or where the shim is not there (Windows PowerShell).</summary>
        public static bool TryGet(string path, out int mode, out uint owner, out uint group)
        {
            mode = 0;
            owner = group = 0;
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                return false;
            }

            // The runtime's FileStatus is about 130 bytes; the buffer leaves room for fields later versions add.
            var status = new byte[512];
            try
            {
                if (NativeStat(Encoding.UTF8.GetBytes(path + "\0"), status) != 0)
                {
                    return false;
                }
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
            {
                return false;
            }

            mode = BitConverter.ToInt32(status, 4);
            owner = BitConverter.ToUInt32(status, 8);
            group = BitConverter.ToUInt32(status, 12);
            return true;
        }

        [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", SetLastError = true)]
        private static extern int NativeStat(byte[] path, byte[] status);
    }
}
