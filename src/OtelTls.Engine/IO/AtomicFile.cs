using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace OtelTls.Engine
{
    /// <summary>
    /// The one way the engine changes a file that may belong to someone else (dotenv, GitHub environment file, Kubernetes
    /// manifest, certificates and keys). Under a lock held for the whole read-change-write, the new bytes go to an
    /// owner-only temporary file in the target's own folder, are flushed to disk, get the target's mode and owner, and are
    /// renamed over the target; a symbolic link is written through to the file it names. The temporary file is removed on
    /// every failure, and temporaries a killed writer left behind are removed by the next writer of the same file.
    /// </summary>
    internal static class AtomicFile
    {
        /// <summary>How long a writer waits for another writer of the same file before giving up with <c>FileLocked</c>.</summary>
        internal static TimeSpan LockTimeout
        {
            get => LockTimeoutOverride.Value ?? TimeSpan.FromSeconds(30);
            set => LockTimeoutOverride.Value = value;
        }

        private static readonly System.Threading.AsyncLocal<TimeSpan?> LockTimeoutOverride = new();

        /// <summary>
        /// Test seam: called with the target before each file of a group is renamed into place; an exception thrown here
        /// stands for a rename that fails (a full disk, a target made immutable in between).
        /// </summary>
        internal static Action<string>? BeforeRename
        {
            get => BeforeRenameHook.Value;
            set => BeforeRenameHook.Value = value;
        }

        // Per logical call flow, so a test's fault does not reach writes that other tests run in parallel.
        private static readonly System.Threading.AsyncLocal<Action<string>?> BeforeRenameHook = new();

        /// <summary>
        /// Reads <paramref name="path"/> (null when it does not exist) under the file's lock, passes the bytes to
        /// <paramref name="update"/> and writes what it returns. Returns false, writing nothing, when it returns null or
        /// the same bytes.
        /// </summary>
        /// <param name="path">The file; a symbolic link is followed to the file it names.</param>
        /// <param name="what">Names the file in errors ("dotenv", "Kubernetes manifest").</param>
        /// <param name="update">Current bytes (null: no file) to new bytes (null: leave the file as it is).</param>
        /// <param name="secret">A new file is created owner-only (an existing one keeps its mode).</param>
        /// <exception cref="OtlpTlsException">FileReadOnly, FileLocked, FileOwnerNotKept, FileWriteFailed, FileAccessDenied, PathIsDirectory.</exception>
        public static bool Update(string path, string what, Func<byte[]?, byte[]?> update, bool secret = false)
        {
            var target = ResolveTarget(path);
            using (FileLock.Acquire(target, what))
            {
                RemoveStaleTemporaries(target);
                var current = File.Exists(target) ? FileAccess.ReadAllBytes(target, what) : null;
                var next = update(current);
                if (next is null || (current is not null && SameBytes(current, next)))
                {
                    return false;
                }

                EnsureReplaceable(target, what);
                var temp = Stage(target, next, secret);
                RemovingTempOnFailure(temp, target, () =>
                {
                    BeforeRename?.Invoke(target);
                    Rename(temp, target);
                });

                return true;
            }
        }

        /// <summary>
        /// Replaces several files as one unit (a certificate and its key): under the locks of all of them, every new file is
        /// staged first, then the existing files are renamed aside, the new ones renamed in, and only when all are in place
        /// the old ones deleted. A failure at any step puts the old files back and removes every new one: both or neither.
        /// </summary>
        /// <exception cref="OtlpTlsException">FileExists (without <paramref name="force"/>), and the errors of <see cref="Update"/>.</exception>
        public static void ReplaceGroup(IReadOnlyList<(string Path, byte[] Content, bool Secret)> files, bool force, string what)
        {
            var targets = files.Select(f => (Target: ResolveTarget(f.Path), f.Content, f.Secret)).ToList();
            var locks = new List<FileLock>();
            var staged = new List<(string Temp, string Target)>();
            var aside = new List<(string Backup, string Target)>();
            var placed = new List<string>();
            try
            {
                // One order for every writer, so two groups sharing files cannot deadlock.
                foreach (var target in targets.Select(t => t.Target).Distinct(StringComparer.Ordinal).OrderBy(t => t, StringComparer.Ordinal))
                {
                    locks.Add(FileLock.Acquire(target, what));
                    RemoveStaleTemporaries(target);
                }

                foreach (var (target, _, _) in targets)
                {
                    if (!force && File.Exists(target))
                    {
                        throw new OtlpTlsException(OtlpErrorId.FileExists, OtlpErrorKind.ResourceExists,
                            $"The file '{target}' already exists; nothing was written.", target,
                            "Use -Force to replace it, or choose another -Name or -OutputDirectory.");
                    }

                    if (File.Exists(target))
                    {
                        EnsureReplaceable(target, what);
                    }
                }

                foreach (var (target, content, secret) in targets)
                {
                    staged.Add((Stage(target, content, secret), target));
                }

                try
                {
                    foreach (var (_, target) in staged.Where(s => File.Exists(s.Target)))
                    {
                        var backup = BackupName(target);
                        File.Move(target, backup);
                        aside.Add((backup, target));
                    }

                    foreach (var (temp, target) in staged)
                    {
                        BeforeRename?.Invoke(target);
                        File.Move(temp, target);
                        placed.Add(target);
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or OtlpTlsException)
                {
                    foreach (var target in placed)
                    {
                        TryDelete(target);
                    }

                    foreach (var (backup, target) in aside)
                    {
                        try
                        {
                            File.Move(backup, target);
                        }
                        catch (Exception restore) when (restore is IOException or UnauthorizedAccessException)
                        {
                            throw new OtlpTlsException(OtlpErrorId.FileRestoreFailed, OtlpErrorKind.WriteError,
                                $"Writing '{target}' failed ({ex.Message}) and the old file could not be put back: it is kept as '{backup}'.",
                                target, $"Rename '{backup}' to '{Path.GetFileName(target)}' to restore it.", restore);
                        }
                    }

                    throw ex is OtlpTlsException known ? known : WriteFailed(placed.Count < staged.Count ? staged[placed.Count].Target : staged[0].Target, ex);
                }

                foreach (var (backup, _) in aside)
                {
                    TryDelete(backup);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw WriteFailed(staged.Count < targets.Count ? targets[staged.Count].Target : targets[0].Target, ex);
            }
            finally
            {
                foreach (var (temp, _) in staged)
                {
                    if (File.Exists(temp))
                    {
                        TryDelete(temp);
                    }
                }

                foreach (var held in locks)
                {
                    held.Dispose();
                }
            }
        }

        /// <summary>
        /// The file a write to <paramref name="path"/> changes: the path itself, or for a symbolic link (also a chain of
        /// them) the file it finally names, so the link stays a link.
        /// </summary>
        /// <exception cref="OtlpTlsException">PathIsDirectory.</exception>
        public static string ResolveTarget(string path)
        {
            var full = Path.GetFullPath(path);
#if NET8_0_OR_GREATER
            var info = new FileInfo(full);
            if (info.LinkTarget is not null)
            {
                full = File.ResolveLinkTarget(full, returnFinalTarget: true)?.FullName ?? full;
            }
#endif
            if (Directory.Exists(full))
            {
                throw new OtlpTlsException(OtlpErrorId.PathIsDirectory, OtlpErrorKind.InvalidArgument,
                    $"'{path}' is a directory; a file name was expected.", path, "Name a file in that folder.");
            }

            return full;
        }

        /// <summary>The name a file is kept under while a group replacing it is put in place.</summary>
        internal static string BackupName(string target) =>
            Path.Combine(Path.GetDirectoryName(target)!, "." + Path.GetFileName(target) + ".old");

        /// <summary>
        /// A read-only file is someone's decision not to have it changed: it is refused, not silently replaced (a rename
        /// would replace it, since renaming needs only the folder's permission).
        /// </summary>
        private static void EnsureReplaceable(string target, string what)
        {
            if (!File.Exists(target))
            {
                return;
            }

            bool readOnly;
#if NET8_0_OR_GREATER
            // On Unix the owner's write bit is the file's read-only flag (root could write anyway, and .NET's IsReadOnly
            // judges by the current user, not by what the file says).
            readOnly = OperatingSystem.IsWindows()
                ? new FileInfo(target).IsReadOnly
                : (File.GetUnixFileMode(target) & UnixFileMode.UserWrite) == 0;
#else
            readOnly = new FileInfo(target).IsReadOnly;
#endif
            if (readOnly)
            {
                throw new OtlpTlsException(OtlpErrorId.FileReadOnly, OtlpErrorKind.PermissionDenied,
                    $"The {what} file '{target}' is read-only; it was left as it is and nothing was written.", target,
                    "Make it writable (chmod u+w, or clear the read-only attribute) if it should be changed, or write another file.");
            }
        }

        /// <summary>Writes the bytes to an owner-only temporary file beside the target, on disk, with the target's mode and owner.</summary>
        private static string Stage(string target, byte[] content, bool secret)
        {
            var directory = Path.GetDirectoryName(target)!;
            try
            {
                Directory.CreateDirectory(directory);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw WriteFailed(target, ex);
            }

            var temp = Path.Combine(directory, "." + Path.GetFileName(target) + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".tmp");
            RemovingTempOnFailure(temp, target, () =>
            {
                WriteOwnerOnly(temp, content, secret);
                CopyOwnership(target, temp, secret);
            });
            return temp;
        }

        /// <summary>
        /// Runs a step on <paramref name="temp"/>: if it fails the temporary file goes, and an I/O failure becomes
        /// <c>FileWriteFailed</c> (or <c>FileAccessDenied</c>) naming <paramref name="target"/>, the file the user asked for.
        /// </summary>
        private static void RemovingTempOnFailure(string temp, string target, Action step)
        {
            try
            {
                step();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                TryDelete(temp);
                throw WriteFailed(target, ex);
            }
            catch
            {
                TryDelete(temp);
                throw;
            }
        }

        /// <summary>
        /// Creates the temporary file: owner-only from creation on Unix (whatever it holds, until its final mode is set);
        /// on Windows a key gets an owner-only ACL, other files the folder's.
        /// </summary>
        private static void WriteOwnerOnly(string path, byte[] content, bool secret)
        {
#if NET8_0_OR_GREATER
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = System.IO.FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                // Owner-only from creation: a key is never readable by others, not even while it is being written.
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(path, options))
            {
                stream.Write(content, 0, content.Length);
                stream.Flush(flushToDisk: true);
            }

            if (secret && OperatingSystem.IsWindows())
            {
                RestrictToOwnerOnWindows(path);
            }
#else
            // The netstandard2.0 engine serves Windows PowerShell 5.1: files in the user's profile inherit owner-only ACLs;
            // an explicit ACL needs System.IO.FileSystem.AccessControl, not shipped yet (see docs/ARCHITECTURE.md).
            using var stream = new FileStream(path, FileMode.CreateNew, System.IO.FileAccess.Write, FileShare.None);
            stream.Write(content, 0, content.Length);
            stream.Flush(flushToDisk: true);
#endif
        }

        /// <summary>
        /// Gives the staged file the target's mode and owner (a new file: owner-only for secrets, else readable by all).
        /// When the owner cannot be kept (not root, target owned by another user) the write is refused rather than
        /// silently taking the file over.
        /// </summary>
        private static void CopyOwnership(string target, string temp, bool secret)
        {
#if NET8_0_OR_GREATER
            if (OperatingSystem.IsWindows())
            {
                return; // File.Replace keeps the target's ACL and owner when the file is replaced.
            }

            if (!File.Exists(target))
            {
                File.SetUnixFileMode(temp, secret
                    ? UnixFileMode.UserRead | UnixFileMode.UserWrite
                    : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
                return;
            }

            if (UnixOwnership.TryGet(target, out var owner, out var group) && UnixOwnership.TryGet(temp, out var mine, out var myGroup)
                && (owner != mine || group != myGroup) && !UnixOwnership.TryChange(temp, owner, group))
            {
                throw new OtlpTlsException(OtlpErrorId.FileOwnerNotKept, OtlpErrorKind.PermissionDenied,
                    $"'{target}' belongs to user {owner} (group {group}); replacing it as user {mine} would make it yours, so nothing was written.",
                    target, "Run as the file's owner (or root), or give the path of a file you own.");
            }

            // After chown (which clears set-user-ID bits): the target's mode. A key that others could read was a hole, not a
            // choice, and becomes owner-only; a group-readable key (a collector reading it through its group) stays so.
            var mode = File.GetUnixFileMode(target);
            if (secret && (mode & (UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0)
            {
                mode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            File.SetUnixFileMode(temp, mode);
#endif
        }

        private static void Rename(string temp, string target)
        {
#if NET8_0_OR_GREATER
            if (OperatingSystem.IsWindows() && File.Exists(target))
            {
                File.Replace(temp, target, destinationBackupFileName: null);
                return;
            }

            File.Move(temp, target, overwrite: true);
#else
            if (File.Exists(target))
            {
                File.Replace(temp, target, destinationBackupFileName: null);
            }
            else
            {
                File.Move(temp, target);
            }
#endif
        }

        /// <summary>
        /// Under the lock no other writer of this file is running, so a temporary of it still present was left by a writer
        /// that was killed: it may hold a key, and is removed.
        /// </summary>
        private static void RemoveStaleTemporaries(string target)
        {
            var directory = Path.GetDirectoryName(target)!;
            if (!Directory.Exists(directory))
            {
                return;
            }

            var pattern = new Regex("^" + Regex.Escape("." + Path.GetFileName(target)) + @"\.[0-9a-f]{8}\.tmp$", RegexOptions.CultureInvariant);
            foreach (var file in Directory.EnumerateFiles(directory, "." + Path.GetFileName(target) + ".*.tmp"))
            {
                if (pattern.IsMatch(Path.GetFileName(file)))
                {
                    TryDelete(file);
                }
            }
        }

#if NET8_0_OR_GREATER
        [System.Runtime.Versioning.SupportedOSPlatform("windows")]
        private static void RestrictToOwnerOnWindows(string path)
        {
            var security = new System.Security.AccessControl.FileSecurity();
            security.SetAccessRuleProtection(isProtected: true, preserveInheritance: false);
            var owner = System.Security.Principal.WindowsIdentity.GetCurrent().User!;
            security.AddAccessRule(new System.Security.AccessControl.FileSystemAccessRule(owner,
                System.Security.AccessControl.FileSystemRights.FullControl, System.Security.AccessControl.AccessControlType.Allow));
            new FileInfo(path).SetAccessControl(security);
        }
#endif

        internal static OtlpTlsException WriteFailed(string path, Exception ex) =>
            new(ex is UnauthorizedAccessException ? "FileAccessDenied" : "FileWriteFailed",
                ex is UnauthorizedAccessException ? OtlpErrorKind.PermissionDenied : OtlpErrorKind.WriteError,
                $"Could not write '{path}': {ex.Message} Nothing was changed.", path, "Check that the folder exists and is writable.", ex);

        private static bool SameBytes(byte[] a, byte[] b)
        {
            if (a.Length != b.Length)
            {
                return false;
            }

            for (var i = 0; i < a.Length; i++)
            {
                if (a[i] != b[i])
                {
                    return false;
                }
            }

            return true;
        }

        internal static void TryDelete(string path)
        {
            try
            {
                File.Delete(path);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
