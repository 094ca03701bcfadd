using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace OtelTls.Engine.Configuration
{
    /// <summary>
    /// Sets and removes variables in the <c>env:</c> lists of a Kubernetes manifest (Deployment, Pod, StatefulSet, Job,
    /// CronJob, a List, several documents) or of a bare <c>env:</c> list file. The YAML is parsed with YamlDotNet; its
    /// marks locate the exact spans of the entries to change, and only those spans are spliced: comments, other keys, other
    /// entries, quoting, indentation and line endings stay byte for byte. The result is parsed again and compared with
    /// what was intended before it is returned. It edits what a manifest already holds; the objects that deliver the
    /// collector's certificates are built new by <see cref="OtelTls.Engine.Collector.KubernetesManifest"/>.
    /// </summary>
    public static class KubernetesEnvFile
    {
        /// <summary>A new <c>env:</c> list holding the variables (printed when no file is given).</summary>
        /// <exception cref="OtlpTlsException">ValueHasControlCharacter.</exception>
        public static string NewEnvList(IEnumerable<KeyValuePair<string, string?>> changes)
        {
            var builder = new StringBuilder("env:\n");
            foreach (var change in Net(changes).Where(c => c.Value is not null))
            {
                builder.Append(Entry("  ", 2, change.Key, change.Value!, "\n"));
            }

            return builder.ToString();
        }

        /// <summary>
        /// Applies the changes (null removes) to every container's <c>env:</c> in <paramref name="existing"/> (every
        /// container of every document; or the top-level <c>env:</c> of an env list file; or a new list for an empty file).
        /// </summary>
        /// <exception cref="OtlpTlsException">KubernetesManifestInvalid, KubernetesManifestUnsupported, KubernetesNoContainers, ValueHasControlCharacter.</exception>
        public static byte[] Update(byte[]? existing, IEnumerable<KeyValuePair<string, string?>> changes, string? source = null)
        {
            var net = Net(changes);
            var (text, preamble) = Decode(existing, source);
            if (!HasContent(text))
            {
                // An empty (or comments-only) file becomes an env list; the comments stay on top.
                var separator = text.Length > 0 && !text.EndsWith("\n", StringComparison.Ordinal) ? "\n" : string.Empty;
                return preamble.Concat(new UTF8Encoding(false).GetBytes(text + separator + NewEnvList(net))).ToArray();
            }

            var documents = ParseDocuments(text, source);
            var holders = FindHolders(documents, source);
            var newline = text.Contains("\r\n") ? "\r\n" : "\n";
            var edits = new List<(int Start, int End, string Text)>();
            foreach (var holder in holders)
            {
                edits.AddRange(EditHolder(text, holder, net, newline, source));
            }

            var builder = new StringBuilder(text);
            foreach (var edit in edits.OrderByDescending(e => e.Start))
            {
                builder.Remove(edit.Start, edit.End - edit.Start).Insert(edit.Start, edit.Text);
            }

            var result = builder.ToString();
            Verify(text, result, net, source);
            return preamble.Concat(new UTF8Encoding(false).GetBytes(result)).ToArray();
        }

        /// <summary>Name to value of the literal <c>value:</c> entries of the first container (or env list) in the YAML.</summary>
        /// <exception cref="OtlpTlsException">KubernetesManifestInvalid, KubernetesNoContainers.</exception>
        public static IReadOnlyDictionary<string, string> Parse(string text, string? source = null)
        {
            var holders = FindHolders(ParseDocuments(text.TrimStart('\uFEFF'), source), source);
            return Env(holders[0]).Where(e => e.Value.Value is not null).GroupBy(e => e.Key)
                .ToDictionary(g => g.Key, g => g.Last().Value.Value!, StringComparer.Ordinal);
        }

        private static List<KeyValuePair<string, string?>> Net(IEnumerable<KeyValuePair<string, string?>> changes)
        {
            var result = new List<KeyValuePair<string, string?>>();
            foreach (var change in changes)
            {
                if (change.Value is not null)
                {
                    LineValues.Check(change.Key, change.Value, "a Kubernetes env list");
                }

                result.RemoveAll(c => c.Key == change.Key);
                result.Add(change);
            }

            return result;
        }

        private static (string Text, byte[] Preamble) Decode(byte[]? bytes, string? source)
        {
            if (bytes is null)
            {
                return (string.Empty, Array.Empty<byte>());
            }

            var preamble = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? bytes.Take(3).ToArray() : Array.Empty<byte>();
            try
            {
                return (new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, preamble.Length, bytes.Length - preamble.Length), preamble);
            }
            catch (DecoderFallbackException ex)
            {
                throw Invalid(source, "it is not UTF-8 (YAML files are UTF-8)", ex);
            }
        }

        private static bool HasContent(string text) => text.Split('\n').Any(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith("#", StringComparison.Ordinal));

        private static string Entry(string indent, int keyOffset, string name, string value, string newline) =>
            indent + "-" + new string(' ', keyOffset - 1) + "name: " + name + newline +
            indent + new string(' ', keyOffset) + "value: " + YamlScalar.Quote(value) + newline;

        // ---- edits -------------------------------------------------------------------------------------------------

        private static IEnumerable<(int Start, int End, string Text)> EditHolder(string text, MappingNode holder, List<KeyValuePair<string, string?>> changes,
            string newline, string? source)
        {
            var edits = new List<(int Start, int End, string Text)>();
            var envPair = holder.Pairs.FirstOrDefault(p => p.KeyText == "env");
            var add = new List<KeyValuePair<string, string>>();
            if (envPair.Value is SequenceNode { Flow: false } list)
            {
                var consumed = new HashSet<int>();
                foreach (var change in changes)
                {
                    var matches = list.Items.Select((item, index) => (item, index))
                        .Where(x => x.item is MappingNode m && NameOf(m) == change.Key).ToList();
                    var kept = false;
                    foreach (var (item, index) in matches)
                    {
                        var entry = (MappingNode)item;
                        var valuePair = entry.Pairs.FirstOrDefault(p => p.KeyText == "value");
                        var onlyNameAndValue = entry.Pairs.All(p => p.KeyText is "name" or "value");
                        if (change.Value is not null && !kept && valuePair.Value is ScalarNode scalar && onlyNameAndValue)
                        {
                            kept = true;
                            if (scalar.Value != change.Value)
                            {
                                edits.Add((scalar.Start, scalar.End, YamlScalar.Quote(change.Value)));
                            }

                            continue;
                        }

                        // Removed: the variable goes, or an entry of another shape (valueFrom) gives way to a literal value.
                        consumed.Add(index);
                        edits.Add(ItemLines(text, entry, source));
                    }

                    if (change.Value is not null && !kept)
                    {
                        add.Add(new KeyValuePair<string, string>(change.Key, change.Value));
                    }
                }

                if (add.Count > 0)
                {
                    var first = (MappingNode?)list.Items.FirstOrDefault(i => i is MappingNode { Flow: false });
                    var (indent, keyOffset) = first is null ? (new string(' ', list.Column - 1), 2) : ItemIndent(text, first, source);
                    var at = LineEndAfter(text, list.End);
                    var prefix = at == text.Length && at > 0 && text[at - 1] != '\n' ? newline : string.Empty;
                    edits.Add((at, at, prefix + string.Concat(add.Select(a => Entry(indent, keyOffset, a.Key, a.Value, newline)))));
                }

                return edits;
            }

            add.AddRange(changes.Where(c => c.Value is not null).Select(c => new KeyValuePair<string, string>(c.Key, c.Value!)));
            if (envPair.Value is not null && !IsEmpty(envPair.Value))
            {
                throw Unsupported(source, $"the env of the container at line {holder.Line} is {(envPair.Value is AliasNode ? "an alias" : "in flow style or not a list")}; only a block list (- name: … / value: …) is edited");
            }

            if (add.Count == 0)
            {
                return edits;
            }

            if (holder.Flow)
            {
                throw Unsupported(source, $"the container at line {holder.Line} is written in flow style ({{…}})");
            }

            var keyIndent = new string(' ', holder.Column - 1);
            var entries = string.Concat(add.Select(a => Entry(keyIndent + "  ", 2, a.Key, a.Value, newline)));
            if (envPair.Value is not null)
            {
                // env: (empty), env: ~ or env: []: the key stays, the empty value is replaced by the list.
                var keyStart = envPair.Key.Start;
                var end = envPair.Value.End > envPair.Key.End ? envPair.Value.End : text.IndexOf(':', envPair.Key.End) + 1;
                edits.Add((keyStart, end, "env:" + newline + entries.Substring(0, entries.Length - newline.Length)));
                return edits;
            }

            var insertAt = LineEndAfter(text, holder.End);
            var lead = insertAt == text.Length && insertAt > 0 && text[insertAt - 1] != '\n' ? newline : string.Empty;
            edits.Add((insertAt, insertAt, lead + keyIndent + "env:" + newline + entries));
            return edits;
        }

        private static bool IsEmpty(Node node) =>
            node is ScalarNode { Value: "" or "~" or "null" or "Null" or "NULL", Plain: true } || node is SequenceNode { Flow: true, Items.Count: 0 };

        /// <summary>The whole lines of a block list item, from the start of its dash's line to the end of its last line.</summary>
        private static (int Start, int End, string Text) ItemLines(string text, MappingNode item, string? source) =>
            (item.DashStart(text, source), LineEndAfter(text, item.End), string.Empty);

        private static (string Indent, int KeyOffset) ItemIndent(string text, MappingNode item, string? source)
        {
            var lineStart = item.DashStart(text, source);
            var dash = text.IndexOf('-', lineStart);
            return (text.Substring(lineStart, dash - lineStart), item.Start - dash);
        }

        /// <summary>The index after the line <paramref name="index"/> ends on (a position at a line start is that line start).</summary>
        private static int LineEndAfter(string text, int index)
        {
            if (index > 0 && text[index - 1] == '\n')
            {
                return index;
            }

            var newline = text.IndexOf('\n', index);
            return newline < 0 ? text.Length : newline + 1;
        }

        private static string? NameOf(MappingNode entry) => (entry.Pairs.FirstOrDefault(p => p.KeyText == "name").Value as ScalarNode)?.Value;

        // ---- reading -----------------------------------------------------------------------------------------------

        private static List<(string Key, (string? Value, bool Other) Value)> Env(MappingNode holder)
        {
            var result = new List<(string, (string?, bool))>();
            if (holder.Pairs.FirstOrDefault(p => p.KeyText == "env").Value is SequenceNode list)
            {
                foreach (var entry in list.Items.OfType<MappingNode>())
                {
                    var name = NameOf(entry);
                    if (name is not null)
                    {
                        var value = entry.Pairs.FirstOrDefault(p => p.KeyText == "value").Value as ScalarNode;
                        result.Add((name, (value?.Value, value is null)));
                    }
                }
            }

            return result;
        }

        private static List<MappingNode> FindHolders(List<Node?> documents, string? source)
        {
            var containers = new List<MappingNode>();
            foreach (var document in documents)
            {
                Collect(document, containers);
            }

            if (containers.Count > 0)
            {
                return containers;
            }

            var lists = documents.OfType<MappingNode>().Where(m => m.Pairs.Any(p => p.KeyText == "env")).ToList();
            if (lists.Count > 0)
            {
                return lists;
            }

            throw new OtlpTlsException(OtlpErrorId.KubernetesNoContainers, OtlpErrorKind.InvalidData,
                $"'{source}' has no containers (spec.containers, spec.template.spec.containers) and no top-level env: list; nothing was written.",
                source, "Give the manifest of the Deployment, StatefulSet, DaemonSet, Job, CronJob or Pod, or an env list file (env: with - name:/value: entries).");
        }

        private static void Collect(Node? node, List<MappingNode> containers)
        {
            switch (node)
            {
                case MappingNode mapping:
                    foreach (var (key, value) in mapping.Pairs.Select(p => (p.KeyText, p.Value)))
                    {
                        if (key == "containers" && value is SequenceNode list)
                        {
                            containers.AddRange(list.Items.OfType<MappingNode>());
                        }
                        else if (key != "initContainers" && key != "ephemeralContainers")
                        {
                            Collect(value, containers);
                        }
                    }

                    break;
                case SequenceNode sequence:
                    foreach (var item in sequence.Items)
                    {
                        Collect(item, containers);
                    }

                    break;
            }
        }

        private static void Verify(string before, string after, List<KeyValuePair<string, string?>> changes, string? source)
        {
            var old = FindHolders(ParseDocuments(before, source), source);
            List<MappingNode> now;
            try
            {
                now = FindHolders(ParseDocuments(after, source), source);
            }
            catch (OtlpTlsException ex)
            {
                throw new OtlpTlsException(OtlpErrorId.KubernetesEditFailed, OtlpErrorKind.InvalidOperation,
                    $"Editing '{source}' produced YAML that does not parse ({ex.Message}); nothing was written.", source,
                    "Report this with the manifest; meanwhile edit the env entries by hand.", ex);
            }

            var ok = old.Count == now.Count && ParseDocuments(before, source).Count == ParseDocuments(after, source).Count;
            for (var i = 0; ok && i < old.Count; i++)
            {
                var expected = Env(old[i]);
                foreach (var change in changes)
                {
                    var index = expected.FindIndex(e => e.Key == change.Key);
                    expected.RemoveAll(e => e.Key == change.Key);
                    if (change.Value is not null)
                    {
                        var entry = (change.Key, ((string?)change.Value, false));
                        if (index >= 0 && index <= expected.Count)
                        {
                            expected.Insert(index, entry);
                        }
                        else
                        {
                            expected.Add(entry);
                        }
                    }
                }

                var actual = Env(now[i]);
                ok = expected.OrderBy(e => e.Key, StringComparer.Ordinal).SequenceEqual(actual.OrderBy(e => e.Key, StringComparer.Ordinal));
            }

            if (!ok)
            {
                throw new OtlpTlsException(OtlpErrorId.KubernetesEditFailed, OtlpErrorKind.InvalidOperation,
                    $"Editing '{source}' did not give the intended env entries when parsed again; nothing was written.", source,
                    "Report this with the manifest; meanwhile edit the env entries by hand.");
            }
        }

        private static List<Node?> ParseDocuments(string text, string? source)
        {
            var documents = new List<Node?>();
            try
            {
                var parser = new Parser(new StringReader(text));
                parser.Consume<StreamStart>();
                while (parser.TryConsume<DocumentStart>(out _))
                {
                    documents.Add(ReadNode(parser));
                    parser.Consume<DocumentEnd>();
                }

                parser.Consume<StreamEnd>();
            }
            catch (YamlException ex)
            {
                throw Invalid(source, $"line {ex.Start.Line}: {ex.Message}", ex);
            }

            return documents;
        }

        private static Node ReadNode(IParser parser)
        {
            var current = parser.Current!;
            switch (current)
            {
                case Scalar scalar:
                    parser.MoveNext();
                    return new ScalarNode(scalar);
                case AnchorAlias alias:
                    parser.MoveNext();
                    return new AliasNode(alias);
                case SequenceStart start:
                    {
                        parser.MoveNext();
                        var items = new List<Node>();
                        while (parser.Current is not SequenceEnd)
                        {
                            items.Add(ReadNode(parser));
                        }

                        var end = parser.Current!;
                        parser.MoveNext();
                        return new SequenceNode(start, end, items);
                    }

                case MappingStart start:
                    {
                        parser.MoveNext();
                        var pairs = new List<(Node, Node)>();
                        while (parser.Current is not MappingEnd)
                        {
                            var key = ReadNode(parser);
                            pairs.Add((key, ReadNode(parser)));
                        }

                        var end = parser.Current!;
                        parser.MoveNext();
                        return new MappingNode(start, end, pairs);
                    }

                default:
                    throw new YamlException(current.Start, current.End, $"Unexpected {current.GetType().Name}.");
            }
        }

        private static OtlpTlsException Invalid(string? source, string why, Exception? inner = null) =>
            new(OtlpErrorId.KubernetesManifestInvalid, OtlpErrorKind.InvalidData, $"'{source}' is not valid YAML: {why}. Nothing was written.", source,
                "Fix the manifest (kubectl apply --dry-run=client -f <file> shows the error), then run the command again.", inner);

        private static OtlpTlsException Unsupported(string? source, string why) =>
            new(OtlpErrorId.KubernetesManifestUnsupported, OtlpErrorKind.InvalidData, $"'{source}' cannot be edited safely: {why}. Nothing was written.", source,
                "Write the env list in block style, or print the entries (-Target Kubernetes without -Path) and paste them.");

        // ---- nodes with their spans --------------------------------------------------------------------------------

        private abstract class Node
        {
            protected Node(ParsingEvent start)
            {
                Start = (int)start.Start.Index;
                Line = (int)start.Start.Line;
                Column = (int)start.Start.Column;
            }

            public int Start { get; }

            /// <summary>The index just after the node's last character.</summary>
            public int End { get; protected set; }

            public int Line { get; }

            public int Column { get; }

            public bool Flow { get; protected set; }

            /// <summary>The start of the line of the dash before this list item.</summary>
            public int DashStart(string text, string? source)
            {
                var i = Start - 1;
                while (i >= 0 && text[i] == ' ')
                {
                    i--;
                }

                if (i < 0 || text[i] != '-')
                {
                    throw Unsupported(source, $"the list item at line {Line} does not start with '- '");
                }

                var lineStart = text.LastIndexOf('\n', i) + 1;
                if (text.Substring(lineStart, i - lineStart).Trim().Length > 0)
                {
                    throw Unsupported(source, $"the list item at line {Line} shares its line with other content");
                }

                return lineStart;
            }
        }

        private sealed class ScalarNode : Node
        {
            public ScalarNode(Scalar scalar)
                : base(scalar)
            {
                Value = scalar.Value;
                Plain = scalar.Style == ScalarStyle.Plain;
                End = (int)scalar.End.Index;
            }

            public string Value { get; }

            public bool Plain { get; }
        }

        private sealed class AliasNode : Node
        {
            public AliasNode(AnchorAlias alias)
                : base(alias) => End = (int)alias.End.Index;
        }

        private sealed class SequenceNode : Node
        {
            public SequenceNode(SequenceStart start, ParsingEvent end, List<Node> items)
                : base(start)
            {
                Items = items;
                Flow = start.Style == SequenceStyle.Flow;
                End = Flow ? (int)end.Start.Index + 1 : items.Count == 0 ? Start : items.Max(i => i.End);
            }

            public List<Node> Items { get; }
        }

        private sealed class MappingNode : Node
        {
            public MappingNode(MappingStart start, ParsingEvent end, List<(Node Key, Node Value)> pairs)
                : base(start)
            {
                Pairs = pairs.Select(p => (Key: p.Key, KeyText: (p.Key as ScalarNode)?.Value, Value: p.Value)).ToList();
                Flow = start.Style == MappingStyle.Flow;
                End = Flow ? (int)end.Start.Index + 1 : pairs.Count == 0 ? Start : pairs.Max(p => Math.Max(p.Key.End, p.Value.End));
            }

            public List<(Node Key, string? KeyText, Node Value)> Pairs { get; }
        }
    }
}
