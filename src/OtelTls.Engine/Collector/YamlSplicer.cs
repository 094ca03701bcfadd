using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;

namespace OtelTls.Engine.Collector
{
    /// <summary>One value to set at a path of mapping keys: a string, a bool or a list of strings.</summary>
    internal sealed class YamlEdit
    {
        public YamlEdit(IReadOnlyList<string> path, object value)
        {
            Path = path;
            Value = value;
        }

        public IReadOnlyList<string> Path { get; }

        public object Value { get; }

        public string DottedPath => string.Join(".", Path);
    }

    /// <summary>
    /// Sets values in an existing YAML text without re-emitting it: the parser's marks locate the node to change (or the
    /// mapping to extend) and only that span is replaced, so every other byte — comments, key order, quoting, blank lines —
    /// stays as it was. The result is parsed again and compared with the original, minus the edited keys, before it is
    /// returned.
    /// </summary>
    internal static class YamlSplicer
    {
        private static readonly ISerializer ScalarSerializer = new SerializerBuilder().WithQuotingNecessaryStrings().Build();

        /// <summary>Applies the edits in order and verifies the result.</summary>
        public static string Apply(string text, IReadOnlyList<YamlEdit> edits, string? file)
        {
            var original = text;
            foreach (var edit in edits)
            {
                text = ApplyOne(text, edit, file);
            }

            Verify(original, text, edits, file);
            return text;
        }

        /// <summary>A scalar as YAML writes it: quoted when it would otherwise read as a number, bool, null or syntax.</summary>
        public static string FormatScalar(object value)
        {
            if (value is bool b)
            {
                return b ? "true" : "false";
            }

            var line = ScalarSerializer.Serialize(new Dictionary<string, string> { ["k"] = (string)value }).TrimEnd('\r', '\n');
            return line.Substring(3);
        }

        private static string ApplyOne(string text, YamlEdit edit, string? file)
        {
            var newline = text.Contains("\r\n") ? "\r\n" : "\n";
            var root = Load(text, file);
            if (root is null)
            {
                var prefix = text.Length == 0 || text.EndsWith("\n", StringComparison.Ordinal) ? text : text + newline;
                return prefix + Entry(edit.Path, 0, edit.Value, newline);
            }

            if (root is not YamlMappingNode rootMapping)
            {
                throw ConfigTree.NotCollectorConfig(file, "its top level is not a mapping");
            }

            var mapping = rootMapping;
            for (var depth = 0; depth < edit.Path.Count; depth++)
            {
                var key = edit.Path[depth];
                var found = mapping.Children.FirstOrDefault(c => c.Key is YamlScalarNode k && k.Value == key);
                var isLast = depth == edit.Path.Count - 1;
                if (found.Key is null)
                {
                    // Missing: insert the rest of the path after the mapping's last entry, at its keys' indentation.
                    if (mapping.Style == MappingStyle.Flow)
                    {
                        throw FlowStyle(file, edit, mapping);
                    }

                    var indent = (int)mapping.Children.First().Key.Start.Column - 1;
                    var at = LineEndAfter(text, LastContentIndex(mapping));
                    return Insert(text, at, Entry(edit.Path.Skip(depth).ToList(), indent, edit.Value, newline), newline);
                }

                var keyNode = (YamlScalarNode)found.Key;
                var value = found.Value;
                if (isLast)
                {
                    if (value is YamlScalarNode scalar && edit.Value is not string[] && !IsEmptyNull(scalar, text))
                    {
                        if (scalar.Style is ScalarStyle.Literal or ScalarStyle.Folded)
                        {
                            return ReplaceEntry(text, keyNode, value, edit, newline);
                        }

                        var start = (int)scalar.Start.Index;
                        var end = (int)scalar.End.Index;
                        return text.Substring(0, start) + FormatScalar(edit.Value) + text.Substring(end);
                    }

                    if (value is YamlMappingNode { Style: MappingStyle.Flow } || value is YamlSequenceNode { Style: SequenceStyle.Flow })
                    {
                        // A flow collection on the key's own line: the whole entry is replaced as a unit.
                        return ReplaceEntry(text, keyNode, value, edit, newline);
                    }

                    return ReplaceEntry(text, keyNode, value, edit, newline);
                }

                if (value is YamlScalarNode nullScalar && IsEmptyNull(nullScalar, text))
                {
                    // 'grpc:' with nothing under it: the rest of the path goes below the key, one level deeper. A written
                    // null ('grpc: ~') is removed first, or the key would hold both a scalar and a mapping.
                    var indent = (int)keyNode.Start.Column - 1 + 2;
                    if (nullScalar.End.Index > nullScalar.Start.Index)
                    {
                        text = text.Remove((int)nullScalar.Start.Index, (int)(nullScalar.End.Index - nullScalar.Start.Index));
                    }

                    var at = LineEndAfter(text, (int)keyNode.End.Index);
                    return Insert(text, at, Entry(edit.Path.Skip(depth + 1).ToList(), indent, edit.Value, newline), newline);
                }

                if (value is not YamlMappingNode child)
                {
                    throw new OtlpTlsException(OtlpErrorId.CollectorConfigMergeConflict, OtlpErrorKind.InvalidData,
                        $"'{file}': {string.Join(".", edit.Path.Take(depth + 1))} (line {keyNode.Start.Line}) is not a mapping, so {edit.DottedPath} cannot be set. Nothing was written.",
                        file, "Fix that key by hand (it should hold settings indented below it), then run the command again.");
                }

                if (child.Style == MappingStyle.Flow)
                {
                    throw FlowStyle(file, edit, child);
                }

                mapping = child;
            }

            return text;
        }

        private static OtlpTlsException FlowStyle(string? file, YamlEdit edit, YamlNode node) =>
            new(OtlpErrorId.CollectorConfigFlowStyle, OtlpErrorKind.InvalidData,
                $"'{file}': the mapping at line {node.Start.Line} that would hold {edit.DottedPath} is written in flow style ({{ … }}); it is not rewritten, so its comments and layout survive. Nothing was written.",
                file, "Rewrite that mapping in block style (one key per line), or output the YAML without -Path and merge it by hand.");

        private static bool IsEmptyNull(YamlScalarNode scalar, string text) =>
            scalar.Style is ScalarStyle.Plain or ScalarStyle.Any && (scalar.Value is null || scalar.Value.Length == 0)
            || scalar.Style is ScalarStyle.Plain && scalar.Value is "~" or "null";

        /// <summary>Replaces a whole <c>key: value</c> entry (its lines) with the new entry at the same indentation.</summary>
        private static string ReplaceEntry(string text, YamlScalarNode keyNode, YamlNode value, YamlEdit edit, string newline)
        {
            var indent = (int)keyNode.Start.Column - 1;
            var start = (int)keyNode.Start.Index - indent;
            var end = LineEndAfter(text, Math.Max((int)keyNode.End.Index, LastContentIndex(value)));
            var entry = Entry(new[] { edit.Path[edit.Path.Count - 1] }, indent, edit.Value, newline);
            return text.Substring(0, start) + entry + text.Substring(end);
        }

        private static string Insert(string text, int at, string entry, string newline)
        {
            if (at == text.Length && text.Length > 0 && !text.EndsWith("\n", StringComparison.Ordinal))
            {
                return text + newline + entry;
            }

            return text.Substring(0, at) + entry + text.Substring(at);
        }

        /// <summary>Nested block entries for the remaining keys, each line ending in <paramref name="newline"/>.</summary>
        private static string Entry(IReadOnlyList<string> keys, int indent, object value, string newline)
        {
            var builder = new StringBuilder();
            for (var i = 0; i < keys.Count; i++)
            {
                var pad = new string(' ', indent + 2 * i);
                builder.Append(pad).Append(FormatScalar(keys[i])).Append(':');
                if (i < keys.Count - 1)
                {
                    builder.Append(newline);
                    continue;
                }

                if (value is string[] items)
                {
                    if (items.Length == 0)
                    {
                        builder.Append(" []").Append(newline);
                    }
                    else
                    {
                        builder.Append(newline);
                        foreach (var item in items)
                        {
                            builder.Append(pad).Append("  - ").Append(FormatScalar(item)).Append(newline);
                        }
                    }
                }
                else
                {
                    builder.Append(' ').Append(FormatScalar(value)).Append(newline);
                }
            }

            return builder.ToString();
        }

        /// <summary>The index just past the last character of the node's content (not of comments or blank lines after it).</summary>
        private static int LastContentIndex(YamlNode node) => node switch
        {
            YamlMappingNode { Style: MappingStyle.Flow } m => (int)m.End.Index,
            YamlSequenceNode { Style: SequenceStyle.Flow } s => (int)s.End.Index,
            YamlMappingNode m when m.Children.Count > 0 => Math.Max((int)m.Children.Last().Key.End.Index, LastContentIndex(m.Children.Last().Value)),
            YamlSequenceNode s when s.Children.Count > 0 => LastContentIndex(s.Children.Last()),
            _ => (int)node.End.Index,
        };

        /// <summary>The start of the line after the one that holds index - 1 (a block scalar's end already is a line start).</summary>
        private static int LineEndAfter(string text, int index)
        {
            if (index > 0 && index <= text.Length && text[index - 1] == '\n')
            {
                return index;
            }

            var newline = text.IndexOf('\n', Math.Min(index, text.Length));
            return newline < 0 ? text.Length : newline + 1;
        }

        private static YamlNode? Load(string text, string? file)
        {
            var stream = new YamlStream();
            try
            {
                stream.Load(new StringReader(text));
            }
            catch (Exception ex) when (ex is YamlException or ArgumentException)
            {
                throw new OtlpTlsException(OtlpErrorId.CollectorConfigNotYaml, OtlpErrorKind.InvalidData,
                    $"'{file}' is not valid YAML: {ex.Message} Nothing was written.", file, "Fix the YAML syntax first (Test-OtlpCollectorConfig shows the line).", ex);
            }

            if (stream.Documents.Count > 1)
            {
                throw ConfigTree.NotCollectorConfig(file, "it holds several YAML documents");
            }

            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
            {
                return null;
            }

            return stream.Documents[0].RootNode;
        }

        /// <summary>
        /// Parses the result and checks that each edited key holds its new value and that everything else equals the
        /// original: a splice that went wrong never reaches the disk.
        /// </summary>
        private static void Verify(string original, string result, IReadOnlyList<YamlEdit> edits, string? file)
        {
            var none = new List<MissingVariable>();
            ConfigNode before, after;
            try
            {
                before = ConfigTree.Parse(original, file, _ => null, none);
                after = ConfigTree.Parse(result, file, _ => null, none);
            }
            catch (OtlpTlsException ex) when (ex.ErrorId == OtlpErrorId.CollectorConfigNotYaml)
            {
                throw Failed(file, "the result does not parse: " + ex.Message, ex);
            }

            foreach (var edit in edits)
            {
                var node = Find(after, edit.Path);
                var ok = node is not null && (edit.Value switch
                {
                    string[] items => node.Kind == ConfigNodeKind.Sequence && node.Items.Select(i => i.Value).SequenceEqual(items),
                    bool b => node.Value == (b ? "true" : "false"),
                    _ => node.Value == (string)edit.Value,
                });
                if (!ok)
                {
                    throw Failed(file, $"{edit.DottedPath} does not hold the new value after the edit", null);
                }
            }

            var edited = new HashSet<string>(edits.Select(e => e.DottedPath), StringComparer.Ordinal);
            if (!SameOutside(before, after, edited))
            {
                throw Failed(file, "a key other than the edited TLS settings changed", null);
            }
        }

        private static OtlpTlsException Failed(string? file, string why, Exception? inner) =>
            new(OtlpErrorId.CollectorConfigMergeFailed, OtlpErrorKind.InvalidData,
                $"Merging into '{file}' was stopped: {why}. Nothing was written.", file,
                "Output the YAML without -Path and merge it by hand; please report the file layout that caused this.", inner);

        private static ConfigNode? Find(ConfigNode node, IReadOnlyList<string> path)
        {
            foreach (var key in path)
            {
                if (node.Kind != ConfigNodeKind.Mapping || node[key] is not { } next)
                {
                    return null;
                }

                node = next;
            }

            return node;
        }

        /// <summary>Deep equality of two trees, ignoring the edited paths and mappings that exist only to hold them.</summary>
        private static bool SameOutside(ConfigNode a, ConfigNode b, HashSet<string> edited)
        {
            if (edited.Contains(b.Path))
            {
                return true;
            }

            if (a.IsNull && b.Kind == ConfigNodeKind.Mapping)
            {
                // 'grpc:' that became a mapping holding only edited keys.
                return b.Entries.All(e => OnlyEdited(e.Value, edited));
            }

            if (a.Kind != b.Kind)
            {
                return false;
            }

            switch (a.Kind)
            {
                case ConfigNodeKind.Scalar:
                    return a.Value == b.Value;
                case ConfigNodeKind.Sequence:
                    return a.Items.Count == b.Items.Count && a.Items.Zip(b.Items, (x, y) => SameOutside(x, y, edited)).All(s => s);
                default:
                    if (!a.Entries.Select(e => e.Key).SequenceEqual(b.Entries.Select(e => e.Key).Where(k => a[k] is not null)))
                    {
                        return false;
                    }

                    foreach (var entry in b.Entries)
                    {
                        var old = a[entry.Key];
                        if (old is null ? !OnlyEdited(entry.Value, edited) : !SameOutside(old, entry.Value, edited))
                        {
                            return false;
                        }
                    }

                    return true;
            }
        }

        private static bool OnlyEdited(ConfigNode node, HashSet<string> edited) =>
            edited.Contains(node.Path) || node.Kind == ConfigNodeKind.Mapping && node.Entries.Count > 0 && node.Entries.All(e => OnlyEdited(e.Value, edited));
    }
}
