#if NET8_0_OR_GREATER
using System;
using System.Runtime.InteropServices;

namespace OtelTls.Engine
{
    /// <summary>
    /// A file's owner and group on Unix, which .NET does not expose: read with the runtime's own <c>stat</c> shim (whose
    /// result starts with flags, mode, uid, gid in every .NET since Core 2.0) and changed with libc <c>chown</c>.
    /// </summary>
    internal static class UnixOwnership
    {
        /// <summary>The owner and group of <paramref name="path"/> (following links); false when they cannot be read.</summary>
        public static bool TryGet(string path, out uint owner, out uint group)
        {
            owner = group = 0;
            if (OperatingSystem.IsWindows())
            {
                return false;
            }

            // The runtime's FileStatus is about 130 bytes; the buffer leaves room for fields later versions add.
            var buffer = new byte[512];
            try
            {
                if (Stat(path, buffer) != 0)
                {
                    return false;
                }
            }
            catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
            {
                return false;
            }

            owner = BitConverter.ToUInt32(buffer, 8);
            group = BitConverter.ToUInt32(buffer, 12);
            return true;
        }

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

        [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", SetLastError = true)]
        private static extern int Stat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[] output);

        [DllImport("libc", EntryPoint = "chown", SetLastError = true)]
        private static extern int Chown([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint owner, uint group);
    }
}
#endif
