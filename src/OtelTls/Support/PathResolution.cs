using System.Collections.Generic;
using System.Management.Automation;

namespace OtelTls.Support
{
    /// <summary>PowerShell path handling (providers, wildcards, the current location) for the cmdlets; the engine sees plain file paths.</summary>
    internal static class PathResolution
    {
        /// <summary>
        /// Resolves the files a path names. A literal path (or one without wildcards) is returned resolved but unchecked:
        /// a missing file is the engine's <c>FileNotFound</c> when it is read. A wildcard that matches nothing is reported
        /// here as a non-terminating <c>PathNotFound</c> error and yields no file.
        /// </summary>
        public static IReadOnlyList<string> ResolveExisting(PSCmdlet cmdlet, string path, bool literal)
        {
            var result = new List<string>();
            if (literal || !WildcardPattern.ContainsWildcardCharacters(path))
            {
                var resolved = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
                // Existence is the engine's check, so a missing file gets the same error id everywhere.
                result.Add(resolved);
                return result;
            }

            try
            {
                result.AddRange(cmdlet.SessionState.Path.GetResolvedProviderPathFromPSPath(path, out _));
            }
            catch (ItemNotFoundException ex)
            {
                // e.g. a wildcard below a folder that does not exist: reported once, here.
                cmdlet.WriteError(new ErrorRecord(ex, OtlpErrorId.PathNotFound, ErrorCategory.ObjectNotFound, path));
                return result;
            }

            if (result.Count == 0)
            {
                cmdlet.WriteError(new ErrorRecord(
                    new ItemNotFoundException($"No file matches '{path}'."), OtlpErrorId.PathNotFound, ErrorCategory.ObjectNotFound, path));
            }

            return result;
        }

        /// <summary>
        /// A file system folder for output files (which may not exist yet): the current file system location when
        /// <paramref name="path"/> is null. A path on another provider (Cert:, Env:) or an unknown drive stops the cmdlet
        /// with <c>OutputDirectoryInvalid</c>.
        /// </summary>
        public static string ResolveOutputDirectory(PSCmdlet cmdlet, string? path)
        {
            if (path is null)
            {
                return cmdlet.SessionState.Path.CurrentFileSystemLocation.ProviderPath;
            }

            try
            {
                var resolved = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out var provider, out _);
                if (provider.ImplementingType == typeof(Microsoft.PowerShell.Commands.FileSystemProvider))
                {
                    return resolved;
                }

                cmdlet.ThrowTerminatingError(new ErrorRecord(
                    new System.ArgumentException($"'{path}' is on the {provider.Name} provider; the output must go to a file system folder."),
                    "OutputDirectoryInvalid", ErrorCategory.InvalidArgument, path));
            }
            catch (System.Exception ex) when (ex is DriveNotFoundException or ProviderNotFoundException or ItemNotFoundException or System.NotSupportedException)
            {
                cmdlet.ThrowTerminatingError(new ErrorRecord(ex, OtlpErrorId.OutputDirectoryInvalid, ErrorCategory.InvalidArgument, path));
            }

            return path; // not reached: ThrowTerminatingError throws
        }

        /// <summary>A file system path for a file that may not exist yet (an output file), relative to the current location.</summary>
        public static string ResolveForOutput(PSCmdlet cmdlet, string path) =>
            cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);

        /// <summary>
        /// The file an output <c>-Path</c> names: on the file system provider only (<c>Env:\X</c>, <c>Cert:\</c> are
        /// refused with <c>PathNotFileSystem</c>), and a wildcard must match exactly one existing file (else
        /// <c>PathWildcardNotSingle</c>): a file is never created with <c>*</c> in its name.
        /// </summary>
        /// <exception cref="OtlpTlsException">PathNotFileSystem, PathWildcardNotSingle.</exception>
        public static string ResolveOutputFile(PSCmdlet cmdlet, string path)
        {
            ProviderInfo provider;
            string resolved;
            try
            {
                resolved = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out provider, out _);
            }
            catch (System.Exception ex) when (ex is DriveNotFoundException or ProviderNotFoundException or System.NotSupportedException)
            {
                throw new OtlpTlsException(OtlpErrorId.PathNotFileSystem, OtlpErrorKind.InvalidArgument,
                    $"'{path}' is not a file system path ({ex.Message}); nothing was written.", path, "Give a file path such as ./otel.env.", ex);
            }

            if (provider.ImplementingType != typeof(Microsoft.PowerShell.Commands.FileSystemProvider))
            {
                throw new OtlpTlsException(OtlpErrorId.PathNotFileSystem, OtlpErrorKind.InvalidArgument,
                    $"'{path}' is on the {provider.Name} provider; the output must go to a file. Nothing was written.", path,
                    "Give a file path such as ./otel.env (to set environment variables, use -Target Process).");
            }

            if (!WildcardPattern.ContainsWildcardCharacters(path))
            {
                return resolved;
            }

            var matches = new List<string>();
            try
            {
                matches.AddRange(cmdlet.SessionState.Path.GetResolvedProviderPathFromPSPath(path, out _));
            }
            catch (ItemNotFoundException)
            {
            }

            if (matches.Count == 1)
            {
                return matches[0];
            }

            throw new OtlpTlsException(OtlpErrorId.PathWildcardNotSingle, OtlpErrorKind.InvalidArgument,
                $"'{path}' has wildcard characters and matches {(matches.Count == 0 ? "no file" : matches.Count + " files")}; an output path must name one file. Nothing was written.",
                path, "Name the file itself; for a name with [ or * in it, escape them with ` (backtick).");
        }
    }
}
