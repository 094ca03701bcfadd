using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace OtelTls.Engine.Configuration
{
    /// <summary>
    /// dotenv files (<c>KEY=value</c> lines) as shells, docker and compose read them: parsed, and updated in place so every
    /// other line (comments, unrelated variables, order) stays as it was.
    /// </summary>
    public static class DotEnvFile
    {
        private static readonly Regex Assignment = new(@"^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)[ \t]*=[ \t]*", RegexOptions.CultureInvariant);
        private static readonly Regex Bare = new(@"^[A-Za-z0-9_./:@%+,=\-]*$", RegexOptions.CultureInvariant);

        /// <summary>Reads and parses a dotenv file (UTF-8 with or without a byte order mark, or UTF-16 with one).</summary>
        /// <exception cref="OtlpTlsException">FileNotFound and the other read errors.</exception>
        public static IReadOnlyDictionary<string, string> Read(string path) => Parse(Decode(FileAccess.ReadAllBytes(path, "dotenv")));

        /// <summary>A dotenv file's bytes as text: a byte order mark picks UTF-8 or UTF-16 and is dropped; no mark means UTF-8.</summary>
        public static string Decode(byte[] bytes)
        {
            var (encoding, preamble) = DetectEncoding(bytes);
            return encoding.GetString(bytes, preamble, bytes.Length - preamble);
        }

        /// <summary>Parses dotenv text: later assignments win, comments and blank lines are skipped.</summary>
        public static IReadOnlyDictionary<string, string> Parse(string text)
        {
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var line in (text ?? string.Empty).TrimStart('\uFEFF').Replace("\r\n", "\n").Split('\n'))
            {
                if (TryParseLine(line, out var name, out var value, out _, out _))
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
        public static string Update(string? existing, IEnumerable<KeyValuePair<string, string?>> changes) =>
            new UTF8Encoding(false).GetString(Update(existing is null ? null : new UTF8Encoding(false).GetBytes(existing), changes));

        /// <summary>
        /// Applies <paramref name="changes"/> to the bytes of a dotenv file, changing only the lines of those variables:
        /// every other byte (comments, unrelated lines, a byte order mark, bytes that are not UTF-8, each line's own
        /// ending) is copied as it is. A replaced line keeps its indentation, its <c>export </c> prefix and a trailing
        /// comment; a line that already holds the value is not touched; new lines use the file's first line ending.
        /// </summary>
        /// <exception cref="OtlpTlsException">ValueHasControlCharacter.</exception>
        public static byte[] Update(byte[]? existing, IEnumerable<KeyValuePair<string, string?>> changes)
        {
            var pending = new Dictionary<string, string?>(StringComparer.Ordinal);
            var order = new List<string>();
            foreach (var change in changes)
            {
                if (change.Value is not null)
                {
                    LineValues.Check(change.Key, change.Value, "a dotenv file");
                }

                if (!pending.ContainsKey(change.Key))
                {
                    order.Add(change.Key);
                }

                pending[change.Key] = change.Value;
            }

            var bytes = existing ?? Array.Empty<byte>();
            var (encoding, preamble) = DetectEncoding(bytes);
            var text = encoding.GetString(bytes, preamble, bytes.Length - preamble);
            // UTF-8 (and 8-bit) files are edited byte by byte, so bytes that do not decode survive; UTF-16 ones as text.
            var byteWise = encoding is UTF8Encoding;
            var lines = byteWise ? SplitBytes(bytes, preamble) : SplitText(text, encoding);
            var newline = lines.Select(l => l.Ending).FirstOrDefault(e => e.Length > 0) ?? "\n";
            var output = new List<byte>(bytes.Length + 256);
            output.AddRange(bytes.Take(preamble));
            var written = new HashSet<string>(StringComparer.Ordinal);
            var lastEnded = true;
            foreach (var line in lines)
            {
                if (TryParseLine(line.Text, out var name, out var value, out var valueStart, out var valueEnd) && pending.TryGetValue(name, out var wanted))
                {
                    if (wanted is null || !written.Add(name))
                    {
                        continue;
                    }

                    if (value == wanted)
                    {
                        output.AddRange(line.Raw);
                    }
                    else
                    {
                        var suffix = line.Text.Substring(valueEnd);
                        var rebuilt = line.Text.Substring(0, valueStart) + FormatValue(wanted) + suffix;
                        output.AddRange(encoding.GetBytes(rebuilt));
                        output.AddRange(encoding.GetBytes(line.Ending));
                    }

                    lastEnded = line.Ending.Length > 0;
                    continue;
                }

                output.AddRange(line.Raw);
                lastEnded = line.Ending.Length > 0 || line.Raw.Length == 0;
            }

            foreach (var name in order.Where(n => pending[n] is not null && written.Add(n)))
            {
                if (!lastEnded)
                {
                    output.AddRange(encoding.GetBytes(newline));
                    lastEnded = true;
                }

                output.AddRange(encoding.GetBytes(FormatLine(name, pending[name]!) + newline));
            }

            return output.ToArray();
        }

        /// <summary>
        /// Applies the changes to the dotenv file at <paramref name="path"/> through <see cref="AtomicFile"/>: locked,
        /// atomic, mode, owner and symbolic link kept. Returns false, writing nothing, when nothing changes.
        /// </summary>
        public static bool UpdateFile(string path, IEnumerable<KeyValuePair<string, string?>> changes)
        {
            var list = changes.ToList();
            return AtomicFile.Update(path, "dotenv", current => Update(current, list));
        }

        /// <summary>
        /// One <c>NAME=value</c> line: bare when the value has only safe characters, else single-quoted (literal for sh and
        /// compose), else double-quoted with escapes.
        /// </summary>
        /// <exception cref="OtlpTlsException">ValueHasControlCharacter.</exception>
        public static string FormatLine(string name, string value)
        {
            LineValues.Check(name, value, "a dotenv file");
            return name + "=" + FormatValue(value);
        }

        private static string FormatValue(string value)
        {
            if (Bare.IsMatch(value))
            {
                return value;
            }

            if (value.IndexOf('\'') < 0)
            {
                return "'" + value + "'";
            }

            var escaped = value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("$", "\\$").Replace("`", "\\`");
            return "\"" + escaped + "\"";
        }

        private static (Encoding Encoding, int Preamble) DetectEncoding(byte[] bytes)
        {
            if (bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF)
            {
                return (new UTF8Encoding(false), 3);
            }

            if (bytes.Length >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE)
            {
                return (new UnicodeEncoding(false, false), 2);
            }

            if (bytes.Length >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF)
            {
                return (new UnicodeEncoding(true, false), 2);
            }

            return (new UTF8Encoding(false), 0);
        }

        private sealed class Line
        {
            public Line(string text, string ending, byte[] raw)
            {
                Text = text;
                Ending = ending;
                Raw = raw;
            }

            /// <summary>The line without its ending, decoded (only to find the variable it sets).</summary>
            public string Text { get; }

            /// <summary>"\r\n", "\n", or "" for a last line without one.</summary>
            public string Ending { get; }

            /// <summary>The line's bytes with its ending, exactly as in the file.</summary>
            public byte[] Raw { get; }
        }

        private static List<Line> SplitBytes(byte[] bytes, int start)
        {
            var lines = new List<Line>();
            var utf8 = new UTF8Encoding(false);
            var lineStart = start;
            for (var i = start; i <= bytes.Length; i++)
            {
                if (i < bytes.Length && bytes[i] != (byte)'\n')
                {
                    continue;
                }

                var end = i;
                var ending = i < bytes.Length ? "\n" : string.Empty;
                if (ending.Length > 0 && end > lineStart && bytes[end - 1] == (byte)'\r')
                {
                    end--;
                    ending = "\r\n";
                }

                var rawLength = (i < bytes.Length ? i + 1 : i) - lineStart;
                if (rawLength > 0)
                {
                    var raw = new byte[rawLength];
                    Array.Copy(bytes, lineStart, raw, 0, rawLength);
                    lines.Add(new Line(utf8.GetString(bytes, lineStart, end - lineStart), ending, raw));
                }

                lineStart = i + 1;
            }

            return lines;
        }

        private static List<Line> SplitText(string text, Encoding encoding)
        {
            var lines = new List<Line>();
            var lineStart = 0;
            while (lineStart < text.Length)
            {
                var newline = text.IndexOf('\n', lineStart);
                var end = newline < 0 ? text.Length : newline;
                var contentEnd = end > lineStart && text[end - 1] == '\r' && newline >= 0 ? end - 1 : end;
                var ending = newline < 0 ? string.Empty : contentEnd < end ? "\r\n" : "\n";
                var content = text.Substring(lineStart, contentEnd - lineStart);
                lines.Add(new Line(content, ending, encoding.GetBytes(content + ending)));
                lineStart = newline < 0 ? text.Length : newline + 1;
            }

            return lines;
        }

        private static bool TryParseLine(string line, out string name, out string value, out int valueStart, out int valueEnd)
        {
            name = string.Empty;
            value = string.Empty;
            valueStart = valueEnd = 0;
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
            valueStart = match.Length;
            var raw = line.Substring(valueStart);
            if (raw.StartsWith("'", StringComparison.Ordinal))
            {
                var end = raw.IndexOf('\'', 1);
                value = end < 0 ? raw.Substring(1) : raw.Substring(1, end - 1);
                valueEnd = end < 0 ? line.Length : valueStart + end + 1;
            }
            else if (raw.StartsWith("\"", StringComparison.Ordinal))
            {
                var builder = new StringBuilder();
                valueEnd = line.Length;
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
                        valueEnd = valueStart + i + 1;
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
                var unquoted = comment < 0 ? raw : raw.Substring(0, comment);
                value = unquoted.Trim();
                valueEnd = valueStart + unquoted.TrimEnd().Length;
            }

            return true;
        }
    }
}
