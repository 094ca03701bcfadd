using System;
using System.IO;
using System.Threading;

namespace OtelTls.Engine
{
    /// <summary>
    /// Serialises the writers of one file, across threads and processes, with an exclusive lock on
    /// <c>.&lt;name&gt;.lock</c> beside it that exists only while a writer holds it. The operating system drops the lock
    /// when its holder exits, so a killed writer never blocks the next one.
    /// </summary>
    /// <remarks>
    /// On Unix the lock is <c>flock</c> (what .NET takes for <see cref="FileShare.None"/>). Deleting a lock file while a
    /// waiter has it open would let that waiter lock a file no longer at the path while a newcomer locks a new one; so a
    /// writer that gets the lock stamps the file it holds with a random modification time through its handle and checks,
    /// through the path, that the path still names that file; if not, it starts over. The holder deletes the path before
    /// it lets go. On Windows the lock is the sharing mode itself, and the file is deleted on close.
    /// </remarks>
    internal sealed class FileLock : IDisposable
    {
        private readonly FileStream _stream;
        private readonly string _path;

        private FileLock(FileStream stream, string path)
        {
            _stream = stream;
            _path = path;
        }

        /// <summary>The lock file of <paramref name="target"/>.</summary>
        public static string LockPath(string target) =>
            Path.Combine(Path.GetDirectoryName(target)!, "." + Path.GetFileName(target) + ".lock");

        /// <summary>Waits (up to <see cref="AtomicFile.LockTimeout"/>) until no other writer holds the file.</summary>
        /// <exception cref="OtlpTlsException">FileLocked, or FileWriteFailed / FileAccessDenied when the lock file cannot be created.</exception>
        public static FileLock Acquire(string target, string what)
        {
            var path = LockPath(target);
            var deadline = DateTime.UtcNow + AtomicFile.LockTimeout;
            var random = new Random(Guid.NewGuid().GetHashCode());
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw AtomicFile.WriteFailed(target, ex);
            }

            while (true)
            {
                FileStream? stream = null;
                try
                {
                    stream = Open(path);
                    if (StillAtPath(stream, path, random))
                    {
                        return new FileLock(stream, path);
                    }

                    stream.Dispose();
                }
                catch (UnauthorizedAccessException ex)
                {
                    stream?.Dispose();
                    throw AtomicFile.WriteFailed(path, ex);
                }
                catch (IOException ex) when (ex is not PathTooLongException)
                {
                    stream?.Dispose();
                    if (DateTime.UtcNow > deadline)
                    {
                        throw new OtlpTlsException(OtlpErrorId.FileLocked, OtlpErrorKind.OperationTimeout,
                            $"Another writer has held the {what} file '{target}' for more than {AtomicFile.LockTimeout.TotalSeconds:0} s (lock '{path}'); nothing was written.",
                            target, "Wait for the other Set-/Clear-OtlpTlsEnvironment or New-OtlpCertificate to finish, then run it again.", ex);
                    }
                }

                Thread.Sleep(random.Next(1, 15));
            }
        }

        private static FileStream Open(string path)
        {
#if NET8_0_OR_GREATER
            var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = System.IO.FileAccess.ReadWrite, Share = FileShare.None };
            if (OperatingSystem.IsWindows())
            {
                options.Options = FileOptions.DeleteOnClose;
            }
            else
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            return new FileStream(path, options);
#else
            return new FileStream(path, FileMode.OpenOrCreate, System.IO.FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
#endif
        }

        private static bool StillAtPath(FileStream stream, string path, Random random)
        {
#if NET8_0_OR_GREATER
            if (OperatingSystem.IsWindows())
            {
                return true;
            }

            // Whole seconds, so file systems with coarse timestamps keep the stamp exactly.
            var stamp = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(random.Next(1, int.MaxValue / 2));
            File.SetLastWriteTimeUtc(stream.SafeFileHandle, stamp);
            return File.Exists(path) && File.GetLastWriteTimeUtc(path) == stamp;
#else
            return true;
#endif
        }

        /// <summary>Removes the lock file, then releases the lock.</summary>
        public void Dispose()
        {
#if NET8_0_OR_GREATER
            if (!OperatingSystem.IsWindows())
            {
                AtomicFile.TryDelete(_path);
            }
#endif
            _stream.Dispose();
        }
    }
}
