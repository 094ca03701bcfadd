using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using OtelTls.Engine.Certificates;

namespace OtelTls.Engine.Configuration
{
    /// <summary>
    /// dotenv files (<c>KEY=value</c> lines) as shells, docker and compose read them: parsed, and updated in place so every
    /// other line (comments, unrelated variables, order) stays as it was.
    /// </summary>
    public static class DotEnvFile
    {
        private static readonly Regex Assignment = new(@"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$", RegexOptions.CultureInvariant);
        private static readonly Regex Bare = new(@"^[A-Za-z0-9_./:@%+,=\-]*$", RegexOptions.CultureInvariant);

        /// <summary>Reads and parses a dotenv file.</summary>
        /// <exception cref="OtlpTlsException">FileNotFound and the other read errors.</exception>
        public static IReadOnlyDictionary<string, string> Read(string path) =>
            Parse(Encoding.UTF8.GetString(FileAccess.ReadAllBytes(path, "dotenv")));

        /// <summary>Parses dotenv text: later assignments win, comments and blank lines are skipped.</summary>
        public static IReadOnlyDictionary<string, string> Parse(string text)
        {
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var line in SplitLines(text ?? string.Empty))
            {
                if (TryParseLine(line, out var name, out var value))
                {
                    result[name] = value;
                }
            }

            return result;
        }

        /// <summary>
        /// Applies <paramref name="changes"/> (a null value removes the variable) to dotenv text: an existing line is
        /// replaced where it stands, later duplicates of it are dropped, new variables are appended.
        /// </summary>
        public static string Update(string? existing, IEnumerable<KeyValuePair<string, string?>> changes)
        {
            var pending = new Dictionary<string, string?>(StringComparer.Ordinal);
            var order = new List<string>();
            foreach (var change in changes)
            {
                if (!pending.ContainsKey(change.Key))
                {
                    order.Add(change.Key);
                }

                pending[change.Key] = change.Value;
            }

            var text = existing ?? string.Empty;
            var newline = text.Contains("\r\n") ? "\r\n" : "\n";
            var lines = SplitLines(text).ToList();
            if (lines.Count > 0 && lines[lines.Count - 1].Length == 0)
            {
                lines.RemoveAt(lines.Count - 1);
            }

            var written = new HashSet<string>(StringComparer.Ordinal);
            var output = new List<string>();
            foreach (var line in lines)
            {
                if (TryParseLine(line, out var name, out _) && pending.TryGetValue(name, out var value))
                {
                    if (value is not null && written.Add(name))
                    {
                        output.Add(FormatLine(name, value));
                    }

                    continue;
                }

                output.Add(line);
            }

            foreach (var name in order)
            {
                var value = pending[name];
                if (value is not null && written.Add(name))
                {
                    output.Add(FormatLine(name, value));
                }
            }

            return output.Count == 0 ? string.Empty : string.Join(newline, output) + newline;
        }

        /// <summary>Writes <paramref name="content"/> to <paramref name="path"/> atomically (temporary file, then rename).</summary>
        public static void Write(string path, string content) =>
            CertificateFiles.WriteAll(true, (path, new UTF8Encoding(false).GetBytes(content), false));

        /// <summary>
        /// One <c>NAME=value</c> line: bare when the value has only safe characters, else single-quoted (literal for sh and
        /// compose), else double-quoted with escapes.
        /// </summary>
        public static string FormatLine(string name, string value)
        {
            if (Bare.IsMatch(value))
            {
                return name + "=" + value;
            }

            if (value.IndexOf('\'') < 0 && value.IndexOf('\n') < 0)
            {
                return name + "='" + value + "'";
            }

            var escaped = value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("$", "\\$").Replace("`", "\\`").Replace("\n", "\\n");
            return name + "=\"" + escaped + "\"";
        }

        private static IEnumerable<string> SplitLines(string text) => text.Replace("\r\n", "\n").Split('\n');

        private static bool TryParseLine(string line, out string name, out string value)
        {
            name = string.Empty;
            value = string.Empty;
            var trimmed = line.TrimStart();
            if (trimmed.Length == 0 || trimmed[0] == '#')
            {
                return false;
            }

            var match = Assignment.Match(line);
            if (!match.Success)
            {
                return false;
            }

            name = match.Groups[1].Value;
            var raw = match.Groups[2].Value.TrimStart();
            if (raw.StartsWith("'", StringComparison.Ordinal))
            {
                var end = raw.IndexOf('\'', 1);
                value = end < 0 ? raw.Substring(1) : raw.Substring(1, end - 1);
            }
            else if (raw.StartsWith("\"", StringComparison.Ordinal))
            {
                var builder = new StringBuilder();
                for (var i = 1; i < raw.Length; i++)
                {
                    var c = raw[i];
                    if (c == '\\' && i + 1 < raw.Length)
                    {
                        var next = raw[++i];
                        builder.Append(next == 'n' ? '\n' : next);
                    }
                    else if (c == '"')
                    {
                        break;
                    }
                    else
                    {
                        builder.Append(c);
                    }
                }

                value = builder.ToString();
            }
            else
            {
                var comment = raw.IndexOf(" #", StringComparison.Ordinal);
                value = (comment < 0 ? raw : raw.Substring(0, comment)).Trim();
            }

            return true;
        }
    }
}
