using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OtelTls.Engine.Collector
{
    /// <summary>The kind of a configuration node.</summary>
    internal enum ConfigNodeKind
    {
        Scalar,
        Mapping,
        Sequence,
    }

    /// <summary>
    /// A collector configuration value after <c>${env:…}</c> substitution and merging, with the file and line it came
    /// from. YamlDotNet types stay inside this file: the rest of the collector code sees only this tree.
    /// </summary>
    internal sealed class ConfigNode
    {
        /// <summary>The finding, located at this node (file, YAML path, line, column).</summary>
        public OtlpCollectorFinding Locate(OtlpFinding finding) => new(finding, File, Path, Line, Column);

        public ConfigNodeKind Kind { get; set; }

        /// <summary>A scalar's value after substitution (null for a YAML null).</summary>
        public string? Value { get; set; }

        /// <summary>True for a scalar written with quotes or as a block: it is a string even when it looks like a number.</summary>
        public bool Quoted { get; set; }

        public List<KeyValuePair<string, ConfigNode>> Entries { get; } = new();

        public List<ConfigNode> Items { get; } = new();

        public string Path { get; set; } = string.Empty;

        public string? File { get; set; }

        /// <summary>Line of the key (mapping values) or of the node itself (sequence items, the root).</summary>
        public int Line { get; set; }

        public int Column { get; set; }

        public bool IsNull => Kind == ConfigNodeKind.Scalar && Value is null;

        public ConfigNode? this[string key]
        {
            get
            {
                foreach (var entry in Entries)
                {
                    if (string.Equals(entry.Key, key, StringComparison.Ordinal))
                    {
                        return entry.Value;
                    }
                }

                return null;
            }
        }

        /// <summary>The scalar value of <paramref name="key"/>, or null when absent, null or not a scalar.</summary>
        public string? Scalar(string key)
        {
            var node = this[key];
            return node is { Kind: ConfigNodeKind.Scalar } ? node.Value : null;
        }

        /// <summary>True when <paramref name="key"/> holds YAML true (the spellings the collector's YAML decoder accepts).</summary>
        public bool IsTrue(string key) => Scalar(key) is { } v && (v == "true" || v == "True" || v == "TRUE");
    }

    /// <summary>A <c>${…}</c> substitution that could not be made.</summary>
    internal sealed class MissingVariable
    {
        public MissingVariable(string name, ConfigNode node)
        {
            Name = name;
            Node = node;
        }

        public string Name { get; }

        public ConfigNode Node { get; }
    }

    /// <summary>Reads collector configuration files into <see cref="ConfigNode"/> trees and merges them as <c>--config</c> does.</summary>
    internal static class ConfigTree
    {
        // ${env:NAME}, ${NAME} (the collector's default scheme is env), with an optional :-default; $$ is a literal $.
        private static readonly Regex Substitution = new(@"\$\$|\$\{(?:env:)?([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}", RegexOptions.CultureInvariant);

        /// <summary>Parses one configuration text. Throws <c>CollectorConfigNotYaml</c> with the line when it does not parse.</summary>
        public static ConfigNode Parse(string text, string? file, Func<string, string?> environment, List<MissingVariable> missing)
        {
            var stream = new YamlStream();
            try
            {
                stream.Load(new StringReader(text));
            }
            catch (YamlException ex)
            {
                throw new OtlpTlsException(OtlpErrorId.CollectorConfigNotYaml, OtlpErrorKind.InvalidData,
                    $"'{file ?? "the configuration"}' is not valid YAML (line {ex.Start.Line}, column {ex.Start.Column}): {Inner(ex).Message}",
                    file, "Fix the YAML syntax at that line (indentation with spaces, a ':' after each key, quotes closed).", ex);
            }
            catch (ArgumentException ex)
            {
                // A duplicate key reaches the representation model as an ArgumentException.
                throw new OtlpTlsException(OtlpErrorId.CollectorConfigNotYaml, OtlpErrorKind.InvalidData,
                    $"'{file ?? "the configuration"}' is not a valid collector configuration: {ex.Message}", file,
                    "Remove the duplicate key: the collector refuses a mapping that names a key twice.", ex);
            }

            if (stream.Documents.Count == 0)
            {
                return new ConfigNode { Kind = ConfigNodeKind.Mapping, File = file, Line = 1, Column = 1 };
            }

            if (stream.Documents.Count > 1)
            {
                throw NotCollectorConfig(file, $"it holds {stream.Documents.Count} YAML documents; a collector configuration is one");
            }

            var root = stream.Documents[0].RootNode;
            if (root is YamlScalarNode { Value: null or "" or "~" or "null" })
            {
                return new ConfigNode { Kind = ConfigNodeKind.Mapping, File = file, Line = 1, Column = 1 };
            }

            if (root is not YamlMappingNode)
            {
                throw NotCollectorConfig(file, "its top level is not a mapping of receivers, exporters, service …");
            }

            return Convert(root, string.Empty, file, (int)root.Start.Line, (int)root.Start.Column, environment, missing);
        }

        /// <summary>Merges <paramref name="overlay"/> into <paramref name="baseNode"/>: mappings key by key, anything else replaced.</summary>
        public static ConfigNode Merge(ConfigNode baseNode, ConfigNode overlay)
        {
            if (baseNode.Kind != ConfigNodeKind.Mapping || overlay.Kind != ConfigNodeKind.Mapping)
            {
                return overlay;
            }

            var merged = new ConfigNode
            {
                Kind = ConfigNodeKind.Mapping,
                Path = overlay.Path,
                File = overlay.File,
                Line = overlay.Line,
                Column = overlay.Column,
            };
            foreach (var entry in baseNode.Entries)
            {
                var other = overlay[entry.Key];
                merged.Entries.Add(new KeyValuePair<string, ConfigNode>(entry.Key, other is null ? entry.Value : Merge(entry.Value, other)));
            }

            foreach (var entry in overlay.Entries.Where(e => baseNode[e.Key] is null))
            {
                merged.Entries.Add(entry);
            }

            return merged;
        }

        public static OtlpTlsException NotCollectorConfig(string? file, string why) =>
            new(OtlpErrorId.CollectorConfigInvalid, OtlpErrorKind.InvalidData,
                $"'{file ?? "the input"}' is not a collector configuration: {why}.", file,
                "Give the collector's config.yaml (the file passed with --config), with top-level receivers:, exporters: and service:.");

        /// <summary>Joins a YAML path and a key.</summary>
        public static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;

        private static Exception Inner(Exception ex) => ex.InnerException is YamlException inner ? inner : ex;

        private static ConfigNode Convert(YamlNode node, string path, string? file, int line, int column, Func<string, string?> environment, List<MissingVariable> missing)
        {
            switch (node)
            {
                case YamlMappingNode mapping:
                {
                    var result = new ConfigNode { Kind = ConfigNodeKind.Mapping, Path = path, File = file, Line = line, Column = column };
                    foreach (var child in mapping.Children)
                    {
                        var key = child.Key is YamlScalarNode k ? k.Value ?? string.Empty : child.Key.ToString();
                        var childPath = Join(path, key);
                        result.Entries.Add(new KeyValuePair<string, ConfigNode>(key,
                            Convert(child.Value, childPath, file, (int)child.Key.Start.Line, (int)child.Key.Start.Column, environment, missing)));
                    }

                    return result;
                }

                case YamlSequenceNode sequence:
                {
                    var result = new ConfigNode { Kind = ConfigNodeKind.Sequence, Path = path, File = file, Line = line, Column = column };
                    var i = 0;
                    foreach (var item in sequence.Children)
                    {
                        result.Items.Add(Convert(item, path + "[" + i + "]", file, (int)item.Start.Line, (int)item.Start.Column, environment, missing));
                        i++;
                    }

                    return result;
                }

                default:
                {
                    var scalar = (YamlScalarNode)node;
                    var plain = scalar.Style is ScalarStyle.Plain or ScalarStyle.Any;
                    var isNull = plain && (scalar.Value is null || scalar.Value.Length == 0 || scalar.Value is "~" or "null" or "Null" or "NULL");
                    var result = new ConfigNode
                    {
                        Kind = ConfigNodeKind.Scalar,
                        Path = path,
                        File = file,
                        Line = line,
                        Column = column,
                        Quoted = !plain,
                    };
                    result.Value = isNull ? null : Substitute(scalar.Value ?? string.Empty, result, environment, missing);
                    return result;
                }
            }
        }

        private static string Substitute(string value, ConfigNode node, Func<string, string?> environment, List<MissingVariable> missing)
        {
            if (value.IndexOf('$') < 0)
            {
                return value;
            }

            return Substitution.Replace(value, m =>
            {
                if (m.Value == "$$")
                {
                    return "$";
                }

                var name = m.Groups[1].Value;
                var found = environment(name);
                if (found is not null)
                {
                    return found;
                }

                if (m.Groups[2].Success)
                {
                    return m.Groups[2].Value;
                }

                missing.Add(new MissingVariable(name, node));
                return string.Empty;
            });
        }

        /// <summary>Reads a configuration file as text (UTF-8, BOM honoured), with the module's file errors.</summary>
        public static string ReadText(string path)
        {
            var bytes = FileAccess.ReadAllBytes(path, "collector configuration");
            return new UTF8Encoding(false).GetString(bytes, HasBom(bytes) ? 3 : 0, bytes.Length - (HasBom(bytes) ? 3 : 0));
        }

        public static bool HasBom(byte[] bytes) => bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF;
    }
}
