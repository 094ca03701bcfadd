using System;
using System.Runtime.InteropServices;
using System.Security;

namespace OtelTls.Support
{
    /// <summary>SecureString to the plain text the crypto library needs, for as short a time as possible.</summary>
    internal static class SecureStrings
    {
        public static string? ToPlainText(SecureString? secure)
        {
            if (secure is null)
            {
                return null;
            }

            var pointer = IntPtr.Zero;
            try
            {
                pointer = Marshal.SecureStringToGlobalAllocUnicode(secure);
                return Marshal.PtrToStringUni(pointer);
            }
            finally
            {
                if (pointer != IntPtr.Zero)
                {
                    Marshal.ZeroFreeGlobalAllocUnicode(pointer);
                }
            }
        }
    }
}
