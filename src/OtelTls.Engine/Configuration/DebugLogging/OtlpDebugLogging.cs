using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using OtelTls.Engine.Collector;
using YamlDotNet.RepresentationModel;
using OtelTls.Engine.Vocabulary;

namespace OtelTls.Engine.Configuration
{
    /// <summary>What <c>-DebugLogging</c> was asked to write or remove.</summary>
    public sealed class OtlpDebugLoggingRequest
    {
        /// <summary>Runtimes to cover (dotnet, java, go, python, node, collector); empty: every runtime's variables.</summary>
        public IList<OtlpSdk> Sdks { get; set; } = new List<OtlpSdk>();

        /// <summary>Where the variables go: their current values there decide how list items merge.</summary>
        public OtlpEnvironmentTarget Target { get; set; } = OtlpEnvironmentTarget.Process;

        /// <summary>The target's file (dotenv, GitHub environment file, Kubernetes manifest), from <see cref="OtlpEnvironmentTargets.Prepare"/>.</summary>
        public string? TargetFile { get; set; }

        /// <summary>Absolute folder the .NET application runs in (its working directory), for <c>OTEL_DIAGNOSTICS.json</c>.</summary>
        public string? AppDirectory { get; set; }

        /// <summary>Absolute path of a collector configuration whose log level is set; null: the YAML is returned as advice.</summary>
        public string? CollectorConfigPath { get; set; }

        /// <summary>False: only the key log (<see cref="KeyLogFile"/>) is written, no debug setting.</summary>
        public bool Logging { get; set; } = true;

        /// <summary>Absolute path for <c>SSLKEYLOGFILE</c>, or null (Set only; Clear always removes the variable).</summary>
        public string? KeyLogFile { get; set; }

        /// <summary>The variable values the target holds now (null: read them from the target).</summary>
        public Func<string, string?>? CurrentValues { get; set; }
    }

    /// <summary>A file <c>-DebugLogging</c> changes besides the variables.</summary>
    public sealed class OtlpDebugFileChange
    {
        internal OtlpDebugFileChange(string path, string action, Func<bool, bool> apply)
        {
            Path = path;
            Action = action;
            _apply = apply;
        }

        private readonly Func<bool, bool> _apply;

        /// <summary>The file.</summary>
        public string Path { get; }

        /// <summary>What happens to it, for ShouldProcess ("Write OTEL_DIAGNOSTICS.json (LogLevel Verbose)").</summary>
        public string Action { get; }

        /// <summary>Does it: atomically, under the file's lock. Returns false when the file already was as wanted.</summary>
        /// <param name="force">Replace a .NET diagnostics file that has other content.</param>
        /// <exception cref="OtlpTlsException">FileExists, FileNotFound, CollectorConfigInvalid and the write errors.</exception>
        public bool Apply(bool force) => _apply(force);
    }

    /// <summary>The variables, files and advice of one <c>-DebugLogging</c> request.</summary>
    public sealed class OtlpDebugLoggingPlan
    {
        internal OtlpDebugLoggingPlan(IReadOnlyList<KeyValuePair<string, string?>> changes, IReadOnlyList<OtlpDebugFileChange> files,
            IReadOnlyList<string> warnings, string? collectorYaml)
        {
            Changes = changes;
            Files = files;
            Warnings = warnings;
            CollectorYaml = collectorYaml;
        }

        /// <summary>Name to new value (null: remove), in writing order.</summary>
        public IReadOnlyList<KeyValuePair<string, string?>> Changes { get; }

        /// <summary>The .NET diagnostics file and the collector configuration, when they change.</summary>
        public IReadOnlyList<OtlpDebugFileChange> Files { get; }

        /// <summary>Things to know: replaced values, kept values, the key log, where logs appear.</summary>
        public IReadOnlyList<string> Warnings { get; }

        /// <summary>The collector YAML to add by hand, when the collector is covered and no configuration file was given.</summary>
        public string? CollectorYaml { get; }
    }

    /// <summary>
    /// Plans <c>Set-OtlpTlsEnvironment -DebugLogging</c> and its undo <c>Clear-OtlpTlsEnvironment -DebugLogging</c> from the
    /// table in <see cref="OtlpDebugSettings"/>. A plain variable is written whole and removed only while it still holds the
    /// value written; a list item is added to the list the target already has and only that item is taken out again, so a
    /// <c>JAVA_TOOL_OPTIONS</c> with <c>-javaagent:…</c> keeps it. Nothing is written here.
    /// </summary>
    public static class OtlpDebugLogging
    {
        /// <summary>What Set writes.</summary>
        /// <exception cref="OtlpTlsException">InvalidSdk, RelativePath, and the read errors of the target's file.</exception>
        public static OtlpDebugLoggingPlan PlanSet(OtlpDebugLoggingRequest request)
        {
            var sdks = OtlpSdks.Distinct(request.Sdks);
            var current = request.CurrentValues ?? CurrentValues(request.Target, request.TargetFile);
            var changes = new List<KeyValuePair<string, string?>>();
            var warnings = new List<string>();
            var files = new List<OtlpDebugFileChange>();
            string? yaml = null;
            var lists = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var setting in request.Logging ? OtlpDebugSettings.For(sdks) : Array.Empty<OtlpDebugSetting>())
            {
                switch (setting.Kind)
                {
                    case OtlpDebugSettingKind.Variable:
                        var now = current(setting.Name);
                        if (!string.IsNullOrEmpty(now) && now != setting.Value)
                        {
                            warnings.Add($"{setting.Name} was '{now}' and is set to '{setting.Value}'; Clear-OtlpTlsEnvironment -DebugLogging removes it rather than putting '{now}' back.");
                        }

                        changes.Add(new KeyValuePair<string, string?>(setting.Name, setting.Value));
                        break;
                    case OtlpDebugSettingKind.ListItem:
                        var list = lists.TryGetValue(setting.Name, out var pending) ? pending : current(setting.Name);
                        var items = Split(list, setting.Separator);
                        var same = items.FirstOrDefault(i => i == setting.Value || (setting.ItemKey != setting.Value && i.StartsWith(setting.ItemKey, StringComparison.Ordinal)));
                        if (same is not null)
                        {
                            if (same != setting.Value)
                            {
                                warnings.Add($"{setting.Name} already has '{same}'; it was kept instead of '{setting.Value}'.");
                            }

                            break;
                        }

                        lists[setting.Name] = AddItem(list, setting.Value, setting.Separator);
                        break;
                    case OtlpDebugSettingKind.File:
                        AddDotnetFile(request, files, warnings);
                        break;
                    case OtlpDebugSettingKind.CollectorYaml:
                        if (request.CollectorConfigPath is null)
                        {
                            yaml = OtlpDebugSettings.CollectorYaml();
                        }
                        else
                        {
                            var config = OtlpEnvironmentPlanner.RequireAbsolute(request.CollectorConfigPath, "collector configuration");
                            var level = CurrentLevel(ConfigTree.ReadText(config), config);
                            if (level is not null && level != setting.Value)
                            {
                                warnings.Add($"The collector's {setting.Name} was '{level}' and is set to '{setting.Value}'; Clear-OtlpTlsEnvironment -DebugLogging puts back '{OtlpDebugSettings.CollectorDefaultLevel}', the collector's default.");
                            }

                            files.Add(new OtlpDebugFileChange(config, $"Set {setting.Name}: {setting.Value}", _ => EditCollector(config, text =>
                                YamlSplicer.Apply(text, new[] { new YamlEdit(OtlpDebugSettings.CollectorLogLevelPath, setting.Value) }, config))));
                        }

                        break;
                }
            }

            foreach (var list in lists)
            {
                changes.Add(new KeyValuePair<string, string?>(list.Key, list.Value));
            }

            if (request.KeyLogFile is not null)
            {
                var file = OtlpEnvironmentPlanner.RequireAbsolute(request.KeyLogFile, "key log");
                changes.Add(new KeyValuePair<string, string?>(OtlpDebugSettings.KeyLogVariable, file));
                warnings.Add(OtlpDebugSettings.KeyLogWarning(file));
            }

            if (sdks.Count == 0 && request.Logging)
            {
                warnings.Add($"Debug variables were set for every runtime; the .NET self-diagnostics file ({OtlpDebugSettings.DotnetDiagnosticsFile}) and the collector's log level need -Sdk dotnet or -Sdk collector.");
            }

            return new OtlpDebugLoggingPlan(changes, files, warnings, yaml);
        }

        /// <summary>What Clear removes: the variables while they hold what Set wrote, its list items, the key log, and its files.</summary>
        /// <exception cref="OtlpTlsException">InvalidSdk, RelativePath, and the read errors of the target's file.</exception>
        public static OtlpDebugLoggingPlan PlanClear(OtlpDebugLoggingRequest request)
        {
            var sdks = OtlpSdks.Distinct(request.Sdks);
            var current = request.CurrentValues ?? CurrentValues(request.Target, request.TargetFile);
            var changes = new List<KeyValuePair<string, string?>>();
            var warnings = new List<string>();
            var files = new List<OtlpDebugFileChange>();
            var lists = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var setting in OtlpDebugSettings.For(sdks))
            {
                switch (setting.Kind)
                {
                    case OtlpDebugSettingKind.Variable:
                        var now = current(setting.Name);
                        if (now == setting.Value)
                        {
                            changes.Add(new KeyValuePair<string, string?>(setting.Name, null));
                        }
                        else if (!string.IsNullOrEmpty(now))
                        {
                            warnings.Add($"{setting.Name} was kept: it holds '{now}', not the '{setting.Value}' Set-OtlpTlsEnvironment -DebugLogging writes.");
                        }

                        break;
                    case OtlpDebugSettingKind.ListItem:
                        var before = lists.TryGetValue(setting.Name, out var pending) ? pending : current(setting.Name);
                        var after = RemoveItem(before, setting.Value, setting.Separator);
                        if (after != before)
                        {
                            lists[setting.Name] = after;
                        }

                        break;
                    case OtlpDebugSettingKind.File:
                        var path = Path.Combine(OtlpEnvironmentPlanner.RequireAbsolute(request.AppDirectory ?? Directory.GetCurrentDirectory(), "application directory"), setting.Name);
                        if (!File.Exists(path))
                        {
                            break;
                        }

                        if (IsOurs(FileAccess.ReadAllBytes(path, ".NET self-diagnostics configuration")))
                        {
                            files.Add(new OtlpDebugFileChange(path, $"Remove {setting.Name}", _ => DeleteIfOurs(path)));
                        }
                        else
                        {
                            warnings.Add($"'{path}' was kept: Set-OtlpTlsEnvironment -DebugLogging did not write it.");
                        }

                        break;
                    case OtlpDebugSettingKind.CollectorYaml:
                        if (request.CollectorConfigPath is not null)
                        {
                            var config = OtlpEnvironmentPlanner.RequireAbsolute(request.CollectorConfigPath, "collector configuration");
                            files.Add(new OtlpDebugFileChange(config, $"Remove {setting.Name}: {setting.Value}", _ => EditCollector(config, text => RemoveDebugLevel(text, config))));
                        }

                        break;
                }
            }

            foreach (var list in lists)
            {
                changes.Add(new KeyValuePair<string, string?>(list.Key, string.IsNullOrWhiteSpace(list.Value) ? null : list.Value));
            }

            if (!string.IsNullOrEmpty(current(OtlpDebugSettings.KeyLogVariable)))
            {
                // Whatever file it names: a key log left on is the one debug setting that weakens security.
                changes.Add(new KeyValuePair<string, string?>(OtlpDebugSettings.KeyLogVariable, null));
            }

            return new OtlpDebugLoggingPlan(changes, files, warnings, null);
        }

        /// <summary>
        /// The TLS plan with the debug variables after its own (a variable in both keeps the debug value) and both sets of
        /// warnings; <paramref name="tls"/> null gives a plan of the debug variables alone.
        /// </summary>
        public static OtlpEnvironmentPlan Combine(OtlpEnvironmentPlan? tls, OtlpDebugLoggingPlan debug)
        {
            var debugNames = new HashSet<string>(debug.Changes.Select(c => c.Key), StringComparer.Ordinal);
            var changes = (tls?.Changes ?? Array.Empty<KeyValuePair<string, string?>>()).Where(c => !debugNames.Contains(c.Key)).Concat(debug.Changes).ToList();
            var warnings = (tls?.Warnings ?? Array.Empty<string>()).Concat(debug.Warnings).ToList();
            return new OtlpEnvironmentPlan(changes, warnings, tls?.Files ?? Array.Empty<OtlpPlannedFile>(), tls?.CollectorYaml);
        }

        /// <summary>True when a Set request names no TLS setting (then only the debug settings are written).</summary>
        public static bool HasNoTlsSetting(OtlpEnvironmentRequest request) =>
            string.IsNullOrEmpty(request.Endpoint) && request.Protocol is null && request.CaCertificate is null
            && request.ClientCertificate is null && request.ClientKey is null && request.Insecure is null;

        /// <summary>The values the target holds now: its file's variables, or the environment its next steps inherit.</summary>
        /// <exception cref="OtlpTlsException">The read errors of the target's file.</exception>
        public static Func<string, string?> CurrentValues(OtlpEnvironmentTarget target, string? file)
        {
            IReadOnlyDictionary<string, string>? inFile = null;
            switch (target)
            {
                case OtlpEnvironmentTarget.User:
                    return name => Environment.GetEnvironmentVariable(name, EnvironmentVariableTarget.User);
                case OtlpEnvironmentTarget.Machine:
                    return name => Environment.GetEnvironmentVariable(name, EnvironmentVariableTarget.Machine);
                case OtlpEnvironmentTarget.DotEnv:
                    inFile = File.Exists(file) ? DotEnvFile.Read(file!) : new Dictionary<string, string>();
                    return name => inFile.TryGetValue(name, out var value) ? value : null;
                case OtlpEnvironmentTarget.Kubernetes:
                    if (file is null || !File.Exists(file))
                    {
                        // A printed list starts from nothing: the container's own variables are unknown here.
                        return _ => null;
                    }

                    inFile = KubernetesEnvFile.Parse(Encoding.UTF8.GetString(FileAccess.ReadAllBytes(file, "Kubernetes manifest")), file);
                    return name => inFile.TryGetValue(name, out var value) ? value : null;
                case OtlpEnvironmentTarget.GitHubActions:
                    // The next steps see the job's environment, overridden by what earlier steps appended to the file.
                    try
                    {
                        inFile = file is not null && File.Exists(file) ? GitHubEnvFile.Parse(FileAccess.ReadAllText(file, "GitHub Actions environment")) : null;
                    }
                    catch (OtlpTlsException)
                    {
                        inFile = null;
                    }

                    return name => inFile is not null && inFile.TryGetValue(name, out var value) ? value : Environment.GetEnvironmentVariable(name);
                default:
                    // Process, and Azure DevOps, whose pipeline variables reach each step as its environment.
                    return Environment.GetEnvironmentVariable;
            }
        }

        private static void AddDotnetFile(OtlpDebugLoggingRequest request, List<OtlpDebugFileChange> files, List<string> warnings)
        {
            var content = OtlpDebugSettings.DotnetDiagnosticsContent();
            if (request.Target == OtlpEnvironmentTarget.Kubernetes)
            {
                warnings.Add($".NET: self-diagnostics has no variable; mount a file {OtlpDebugSettings.DotnetDiagnosticsFile} in the container's working directory (a ConfigMap) with: {content.Replace("\n", " ")}");
                return;
            }

            var directory = OtlpEnvironmentPlanner.RequireAbsolute(request.AppDirectory ?? Directory.GetCurrentDirectory(), "application directory");
            var path = Path.Combine(directory, OtlpDebugSettings.DotnetDiagnosticsFile);
            var bytes = new UTF8Encoding(false).GetBytes(content);
            files.Add(new OtlpDebugFileChange(path, $"Write {OtlpDebugSettings.DotnetDiagnosticsFile} (self-diagnostics at Verbose)", force =>
                AtomicFile.Update(path, ".NET self-diagnostics configuration", current =>
                {
                    if (current is not null && !force && !IsOurs(current))
                    {
                        throw new OtlpTlsException(OtlpErrorId.FileExists, OtlpErrorKind.ResourceExists,
                            $"'{path}' already exists with other content; it was kept and nothing was written.", path,
                            "Add -Force to replace it, or change its LogLevel to Verbose by hand.");
                    }

                    return bytes;
                })));
            warnings.Add($".NET: the SDK reads {OtlpDebugSettings.DotnetDiagnosticsFile} from the application's working directory (here '{directory}') within 10 seconds, even while it runs, and writes <process>.<pid>.log there.");
        }

        private static bool IsOurs(byte[] content) =>
            new UTF8Encoding(false).GetString(content).Contains($"\"{OtlpDebugSettings.Marker}\": \"Set-OtlpTlsEnvironment -DebugLogging");

        /// <summary>Removes the file under its lock, checking again that it is ours (it may have changed since the plan).</summary>
        private static bool DeleteIfOurs(string path)
        {
            using (FileLock.Acquire(AtomicFile.ResolveTarget(path), ".NET self-diagnostics configuration"))
            {
                if (!File.Exists(path))
                {
                    return false;
                }

                if (!IsOurs(FileAccess.ReadAllBytes(path, ".NET self-diagnostics configuration")))
                {
                    return false;
                }

                try
                {
                    File.Delete(path);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    throw new OtlpTlsException(OtlpErrorId.FileWriteFailed, OtlpErrorKind.WriteError, $"'{path}' could not be removed: {ex.Message}", path,
                        "Check the folder's permissions, or remove the file by hand.", ex);
                }

                return true;
            }
        }

        /// <summary>Rewrites the collector configuration under its lock (byte-order mark kept); <paramref name="edit"/> returns null to leave it.</summary>
        private static bool EditCollector(string path, Func<string, string?> edit) =>
            AtomicFile.Update(path, "collector configuration", current =>
            {
                if (current is null)
                {
                    throw new OtlpTlsException(OtlpErrorId.FileNotFound, OtlpErrorKind.ObjectNotFound,
                        $"The collector configuration file '{path}' does not exist.", path, "Check -CollectorConfigPath, or leave it out to get the YAML to add.");
                }

                var bom = ConfigTree.HasBom(current);
                var edited = edit(new UTF8Encoding(false).GetString(current, bom ? 3 : 0, current.Length - (bom ? 3 : 0)));
                if (edited is null)
                {
                    return null;
                }

                var body = new UTF8Encoding(false).GetBytes(edited);
                return bom ? new byte[] { 0xEF, 0xBB, 0xBF }.Concat(body).ToArray() : body;
            });

        /// <summary>
        /// Undoes the debug level. The lines of the highest key under <c>service</c> that holds nothing but the level (the
        /// block Set inserted, when it inserted one) are removed, so the file is byte for byte what it was; a level that sits
        /// among other settings goes back to the collector's default, info. Null when the level is not debug.
        /// </summary>
        internal static string? RemoveDebugLevel(string text, string path)
        {
            var debug = OtlpDebugSettings.All.First(s => s.Kind == OtlpDebugSettingKind.CollectorYaml).Value;
            if (CurrentLevel(text, path) != debug)
            {
                return null;
            }

            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            var chain = new List<(YamlScalarNode Key, YamlNode Value)>();
            YamlNode node = stream.Documents[0].RootNode;
            foreach (var key in OtlpDebugSettings.CollectorLogLevelPath)
            {
                var entry = ((YamlMappingNode)node).Children.First(c => c.Key is YamlScalarNode k && k.Value == key);
                chain.Add(((YamlScalarNode)entry.Key, entry.Value));
                node = entry.Value;
            }

            // chain[0] is service, which holds the pipelines too; look for the highest of telemetry and logs whose value is
            // the level alone, in block style. A level beside other logs settings is set, not removed (its comment stays).
            var remove = chain.Count - 1;
            for (var i = chain.Count - 2; i >= 1; i--)
            {
                if (chain[i].Value is YamlMappingNode { Style: not YamlDotNet.Core.Events.MappingStyle.Flow } m && m.Children.Count == 1)
                {
                    remove = i;
                }
                else
                {
                    break;
                }
            }

            var keyNode = chain[remove].Key;
            var scalar = chain[chain.Count - 1].Value;
            var lineStart = text.LastIndexOf('\n', Math.Max(0, (int)keyNode.Start.Index - 1)) + 1;
            var onlyIndent = text.Substring(lineStart, (int)keyNode.Start.Index - lineStart).Trim().Length == 0;
            if (remove == chain.Count - 1 || !onlyIndent || ((YamlMappingNode)chain[remove - 1].Value).Style == YamlDotNet.Core.Events.MappingStyle.Flow)
            {
                return YamlSplicer.Apply(text, new[] { new YamlEdit(OtlpDebugSettings.CollectorLogLevelPath, OtlpDebugSettings.CollectorDefaultLevel) }, path);
            }

            var lineEnd = text.IndexOf('\n', (int)scalar.End.Index);
            var result = text.Substring(0, lineStart) + (lineEnd < 0 ? string.Empty : text.Substring(lineEnd + 1));
            if (CurrentLevel(result, path) is not null)
            {
                // Not the shape expected (e.g. an anchor): the safe undo.
                return YamlSplicer.Apply(text, new[] { new YamlEdit(OtlpDebugSettings.CollectorLogLevelPath, OtlpDebugSettings.CollectorDefaultLevel) }, path);
            }

            return result;
        }

        private static string? CurrentLevel(string text, string path)
        {
            var stream = new YamlStream();
            try
            {
                stream.Load(new StringReader(text));
            }
            catch (YamlDotNet.Core.YamlException ex)
            {
                throw new OtlpTlsException(OtlpErrorId.CollectorConfigInvalid, OtlpErrorKind.InvalidData,
                    $"'{path}' is not valid YAML ({ex.Start.Line}:{ex.Start.Column}: {ex.Message}); nothing was written.", path, "Fix the YAML first (Test-OtlpCollectorConfig).", ex);
            }

            YamlNode? node = stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
            foreach (var key in OtlpDebugSettings.CollectorLogLevelPath)
            {
                node = node is YamlMappingNode mapping && mapping.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;
            }

            return (node as YamlScalarNode)?.Value;
        }

        private static List<string> Split(string? list, char separator) =>
            (list ?? string.Empty).Split(separator).Select(i => i.Trim()).Where(i => i.Length > 0).ToList();

        /// <summary>The list with <paramref name="item"/> appended; every byte already there is kept.</summary>
        internal static string AddItem(string? list, string item, char separator) =>
            string.IsNullOrWhiteSpace(list) ? item : list!.TrimEnd() + separator + item;

        /// <summary>
        /// The list without its items equal to <paramref name="item"/> (and the separator that joined each), every other byte
        /// kept; the same string when the item is not there.
        /// </summary>
        internal static string? RemoveItem(string? list, string item, char separator)
        {
            if (list is null)
            {
                return null;
            }

            var pieces = list.Split(separator).ToList();
            var removed = false;
            for (var i = pieces.Count - 1; i >= 0; i--)
            {
                if (pieces[i].Trim() != item)
                {
                    continue;
                }

                pieces.RemoveAt(i);
                removed = true;
            }

            if (!removed)
            {
                return list;
            }

            var joined = string.Join(separator.ToString(), pieces);
            return separator == ' ' ? joined.Trim() : joined.Trim(separator).Trim();
        }
    }
}
