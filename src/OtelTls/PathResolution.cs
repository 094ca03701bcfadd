using System.Collections.Generic;
using System.Management.Automation;

namespace OtelTls.Commands
{
    /// <summary>PowerShell path handling (providers, wildcards, the current location) for the cmdlets; the engine sees plain file paths.</summary>
    internal static class PathResolution
    {
        /// <summary>
        /// Resolves existing files. A literal path that does not exist, or a wildcard that matches nothing, is reported
        /// as a non-terminating error and skipped.
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
                cmdlet.WriteError(new ErrorRecord(ex, "PathNotFound", ErrorCategory.ObjectNotFound, path));
            }

            if (result.Count == 0)
            {
                cmdlet.WriteError(new ErrorRecord(
                    new ItemNotFoundException($"No file matches '{path}'."), "PathNotFound", ErrorCategory.ObjectNotFound, path));
            }

            return result;
        }

        /// <summary>A file system path for a file that may not exist yet (an output file), relative to the current location.</summary>
        public static string ResolveForOutput(PSCmdlet cmdlet, string path) =>
            cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
    }
}
