using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace OtelTls.Engine.Configuration
{
    /// <summary>
    /// The GitHub Actions environment file (<c>$GITHUB_ENV</c>): <c>NAME=value</c> lines and <c>NAME&lt;&lt;DELIMITER</c>
    /// blocks, read by the runner after the step. This module only appends single lines, with values that can hold no
    /// line break (<see cref="LineValues"/>), so no value can add a variable; the bytes already in the file are kept.
    /// </summary>
    public static class GitHubEnvFile
    {
        /// <summary>
        /// Parses the file as the runner does: a line with <c>=</c> before any <c>&lt;&lt;</c> is <c>NAME=value</c>; a line
        /// with <c>&lt;&lt;</c> first starts a block that ends at a line equal to the delimiter; lines end at CR, LF or CRLF.
        /// </summary>
        /// <exception cref="OtlpTlsException">GitHubEnvInvalid for a line the runner would reject.</exception>
        public static IReadOnlyDictionary<string, string> Parse(string text)
        {
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            var lines = text.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                var line = lines[i];
                if (line.Length == 0)
                {
                    continue;
                }

                var equals = line.IndexOf('=');
                var heredoc = line.IndexOf("<<", StringComparison.Ordinal);
                if (equals > 0 && (heredoc < 0 || equals < heredoc))
                {
                    result[line.Substring(0, equals)] = line.Substring(equals + 1);
                    continue;
                }

                if (heredoc > 0)
                {
                    var delimiter = line.Substring(heredoc + 2);
                    var value = new List<string>();
                    var end = i + 1;
                    while (end < lines.Length && lines[end] != delimiter)
                    {
                        value.Add(lines[end++]);
                    }

                    if (end == lines.Length || delimiter.Length == 0)
                    {
                        throw Invalid(i + 1, $"the block started with '{line}' never ends");
                    }

                    result[line.Substring(0, heredoc)] = string.Join("\n", value);
                    i = end;
                    continue;
                }

                throw Invalid(i + 1, "it is neither NAME=value nor NAME<<DELIMITER");
            }

            return result;
        }

        /// <summary>
        /// The file with the changes appended as <c>NAME=value</c> lines (a removal writes <c>NAME=</c>: the runner cannot
        /// unset, and OpenTelemetry reads an empty variable as unset). A change is left out when the variable already has
        /// that value for the next steps (in the file, or else in this step's environment); returns null when none is left.
        /// </summary>
        /// <exception cref="OtlpTlsException">ValueHasControlCharacter.</exception>
        public static byte[]? Append(byte[]? current, IEnumerable<KeyValuePair<string, string?>> changes, Func<string, string?>? environment = null)
        {
            environment ??= Environment.GetEnvironmentVariable;
            var bytes = current ?? Array.Empty<byte>();
            IReadOnlyDictionary<string, string> inFile;
            try
            {
                inFile = Parse(new UTF8Encoding(false).GetString(bytes));
            }
            catch (OtlpTlsException)
            {
                // A file the runner will reject anyway: compare with the environment only.
                inFile = new Dictionary<string, string>();
            }

            var builder = new StringBuilder();
            foreach (var change in changes)
            {
                var wanted = change.Value ?? string.Empty;
                LineValues.Check(change.Key, wanted, "the GitHub Actions environment file");
                var now = inFile.TryGetValue(change.Key, out var fileValue) ? fileValue : environment(change.Key) ?? string.Empty;
                if (now == wanted)
                {
                    continue;
                }

                builder.Append(change.Key).Append('=').Append(wanted).Append('\n');
            }

            if (builder.Length == 0)
            {
                return null;
            }

            // A last line without its newline would swallow the first appended one.
            var separator = bytes.Length > 0 && bytes[bytes.Length - 1] != (byte)'\n' ? "\n" : string.Empty;
            return bytes.Concat(new UTF8Encoding(false).GetBytes(separator + builder)).ToArray();
        }

        private static OtlpTlsException Invalid(int line, string why) =>
            new(OtlpErrorId.GitHubEnvInvalid, OtlpErrorKind.InvalidData, $"Line {line} of the GitHub environment file is invalid: {why}.", line,
                "Fix the step that wrote it.");
    }
}
