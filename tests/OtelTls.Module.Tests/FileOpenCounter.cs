using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;

namespace OtelTls.Module.Tests;

/// <summary>
/// Counts how often files are opened, as the kernel reports it (Linux inotify, IN_OPEN): whatever code path reads a file,
/// in this process or another, the count sees it. Linux only (<see cref="Supported"/>).
/// </summary>
internal sealed class FileOpenCounter : IDisposable
{
    private const int InNonBlock = 0x800;
    private const int InCloseOnExec = 0x80000;
    private const uint InOpen = 0x20;
    private const int EventHeader = 16; // int wd, uint mask, uint cookie, uint len

    private readonly int _descriptor;
    private readonly Dictionary<int, string> _watches = new();
    private readonly Dictionary<string, int> _opens = new(StringComparer.Ordinal);

    public FileOpenCounter(params string[] paths)
    {
        _descriptor = inotify_init1(InNonBlock | InCloseOnExec);
        if (_descriptor < 0)
        {
            throw new InvalidOperationException($"inotify_init1 failed (errno {Marshal.GetLastWin32Error()}).");
        }

        foreach (var path in paths)
        {
            var watch = inotify_add_watch(_descriptor, path, InOpen);
            if (watch < 0)
            {
                Dispose();
                throw new InvalidOperationException($"inotify_add_watch '{path}' failed (errno {Marshal.GetLastWin32Error()}).");
            }

            _watches[watch] = path;
            _opens[path] = 0;
        }
    }

    public static bool Supported => OperatingSystem.IsLinux();

    /// <summary>Opens of each watched file so far.</summary>
    public IReadOnlyDictionary<string, int> Opens()
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var length = (long)read(_descriptor, buffer, buffer.Length);
            if (length <= 0)
            {
                return _opens; // EAGAIN: every queued event has been read
            }

            for (var offset = 0; offset + EventHeader <= length;)
            {
                var watch = BitConverter.ToInt32(buffer, offset);
                var mask = BitConverter.ToUInt32(buffer, offset + 4);
                var nameLength = (int)BitConverter.ToUInt32(buffer, offset + 12);
                if ((mask & InOpen) != 0 && _watches.TryGetValue(watch, out var path))
                {
                    _opens[path]++;
                }

                offset += EventHeader + nameLength;
            }
        }
    }

    public void Dispose() => close(_descriptor);

    [DllImport("libc", SetLastError = true)]
    private static extern int inotify_init1(int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int inotify_add_watch(int descriptor, string path, uint mask);

    [DllImport("libc", SetLastError = true)]
    private static extern nint read(int descriptor, byte[] buffer, nint count);

    [DllImport("libc")]
    private static extern int close(int descriptor);
}
