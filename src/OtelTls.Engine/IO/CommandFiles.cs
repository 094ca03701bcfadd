using System;
using System.Collections.Generic;
using System.IO;

namespace OtelTls.Engine
{
    /// <summary>
    /// The files one command reads (CA, client certificate, client key), each read from disk once, whatever the number of
    /// endpoints, signals and stages that use it: the environment reader's checks, the trust and the client credential of
    /// every signal share the bytes. A command makes one, passes it to what it builds, and disposes it when it ends,
    /// which clears the bytes it holds (they include private keys).
    /// </summary>
    public sealed class CommandFiles : IDisposable
    {
        private readonly Dictionary<string, byte[]> _read = new(StringComparer.Ordinal);
        private bool _disposed;

        /// <summary>
        /// The bytes of <paramref name="path"/>, read through <see cref="FileAccess.ReadAllBytes"/> the first time and from
        /// memory after that. <paramref name="files"/> null reads from disk every time (a caller outside a command).
        /// Callers must not change the array.
        /// </summary>
        internal static byte[] Read(CommandFiles? files, string path, string what) =>
            files is null ? FileAccess.ReadAllBytes(path, what) : files.Read(path, what);

        private byte[] Read(string path, string what)
        {
            var key = Path.GetFullPath(path);
            lock (_read)
            {
                if (_disposed)
                {
                    throw new ObjectDisposedException(nameof(CommandFiles));
                }

                if (!_read.TryGetValue(key, out var bytes))
                {
                    // A failure is not kept: the exception says what is wrong, and a later read may find the file fixed.
                    bytes = FileAccess.ReadAllBytes(path, what);
                    _read[key] = bytes;
                }

                return bytes;
            }
        }

        /// <summary>Clears and forgets every file read.</summary>
        public void Dispose()
        {
            lock (_read)
            {
                _disposed = true;
                foreach (var bytes in _read.Values)
                {
                    Array.Clear(bytes, 0, bytes.Length);
                }

                _read.Clear();
            }
        }
    }
}
