using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;

namespace OtelTls.Engine.Configuration
{
    /// <summary>
    /// Writes a plan to a target: the process or persistent environment, a dotenv file, CI logging commands, the GitHub
    /// Actions environment file, or a Kubernetes <c>env:</c> list. The cmdlets ask ShouldProcess before calling it.
    /// </summary>
    public static class OtlpEnvironmentTargets
    {
        /// <summary>The variable GitHub Actions names its environment file with.</summary>
        public const string GitHubEnvVariable = "GITHUB_ENV";

        /// <summary>
        /// Checks that the target can be written on this machine with the given path, before anything is asked or written.
        /// Returns the file the target writes (dotenv, GitHub env, Kubernetes file), or null.
        /// </summary>
        /// <exception cref="OtlpTlsException">TargetNotSupported, PathRequired, GitHubEnvNotSet; when clearing a file, FileNotFound and the other read errors.</exception>
        public static string? Prepare(OtlpEnvironmentTarget target, string? path, bool clearing = false)
        {
            switch (target)
            {
                case OtlpEnvironmentTarget.User:
                case OtlpEnvironmentTarget.Machine:
                    if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
                    {
                        throw new OtlpTlsException(OtlpErrorId.TargetNotSupported, OtlpErrorKind.NotImplemented,
                            $"-Target {target} needs Windows: on this system there is no persistent {target.ToString().ToLowerInvariant()} environment to write. Nothing was written.",
                            target.ToString(), "Use -Target DotEnv -Path <file> and source it from your shell profile or service unit, or -Target Process for this session.");
                    }

                    return null;
                case OtlpEnvironmentTarget.DotEnv:
                    if (path is null)
                    {
                        throw new OtlpTlsException(OtlpErrorId.PathRequired, OtlpErrorKind.InvalidArgument,
                            "-Target DotEnv needs -Path, the dotenv file to update. Nothing was written.", target.ToString(), "Add -Path ./otel.env.");
                    }

                    return RequireExistingWhenClearing(path, clearing);
                case OtlpEnvironmentTarget.GitHubActions:
                    var file = Environment.GetEnvironmentVariable(GitHubEnvVariable);
                    if (string.IsNullOrEmpty(file))
                    {
                        throw new OtlpTlsException(OtlpErrorId.GitHubEnvNotSet, OtlpErrorKind.ObjectNotFound,
                            $"-Target GitHubActions appends to the file named by ${GitHubEnvVariable}, which is not set: this is not a GitHub Actions step. Nothing was written.",
                            GitHubEnvVariable, "Run it inside a GitHub Actions job, or use -Target DotEnv.");
                    }

                    return file;
                case OtlpEnvironmentTarget.Kubernetes:
                    return path is not null ? RequireExistingWhenClearing(path, clearing) : (clearing
                        ? throw new OtlpTlsException(OtlpErrorId.PathRequired, OtlpErrorKind.InvalidArgument,
                            "Clearing -Target Kubernetes needs -Path, the env list file to remove the variables from; a printed list cannot be cleared. Nothing was written.",
                            target.ToString(), "Add -Path with the file Set-OtlpTlsEnvironment -Target Kubernetes wrote, or delete the entries from your manifest.")
                        : null);
                default:
                    return null;
            }
        }

        /// <summary>Clearing a file that does not exist is a mistake in the path, not a no-op: reading it raises FileNotFound.</summary>
        private static string RequireExistingWhenClearing(string file, bool clearing)
        {
            if (clearing)
            {
                DotEnvFile.Read(file);
            }

            return file;
        }

        /// <summary>Writes the plan's extra files, then its variables. Returns the lines to print (Azure DevOps commands, Kubernetes YAML without a file).</summary>
        public static IReadOnlyList<string> Apply(OtlpEnvironmentTarget target, string? file, OtlpEnvironmentPlan plan)
        {
            foreach (var extra in plan.Files)
            {
                DotEnvFile.Write(extra.Path, extra.Content);
            }

            switch (target)
            {
                case OtlpEnvironmentTarget.Process:
                    foreach (var change in plan.Changes)
                    {
                        Environment.SetEnvironmentVariable(change.Key, change.Value);
                    }

                    return Array.Empty<string>();
                case OtlpEnvironmentTarget.User:
                case OtlpEnvironmentTarget.Machine:
                    var scope = target == OtlpEnvironmentTarget.User ? EnvironmentVariableTarget.User : EnvironmentVariableTarget.Machine;
                    foreach (var change in plan.Changes)
                    {
                        Environment.SetEnvironmentVariable(change.Key, change.Value, scope);
                        // The current session sees the change too, as it would after a new logon.
                        Environment.SetEnvironmentVariable(change.Key, change.Value);
                    }

                    return Array.Empty<string>();
                case OtlpEnvironmentTarget.DotEnv:
                    var existing = File.Exists(file) ? Encoding.UTF8.GetString(FileAccess.ReadAllBytes(file!, "dotenv")) : null;
                    DotEnvFile.Write(file!, DotEnvFile.Update(existing, plan.Changes));
                    return Array.Empty<string>();
                case OtlpEnvironmentTarget.AzureDevOps:
                    return plan.Changes.Select(c => $"##vso[task.setvariable variable={c.Key}]{c.Value ?? string.Empty}").ToList();
                case OtlpEnvironmentTarget.GitHubActions:
                    // GitHub reads NAME=value lines; it cannot unset, and an empty value is 'unset' for OpenTelemetry.
                    var lines = string.Concat(plan.Changes.Select(c => c.Key + "=" + (c.Value ?? string.Empty) + "\n"));
                    try
                    {
                        File.AppendAllText(file!, lines, new UTF8Encoding(false));
                    }
                    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                    {
                        throw new OtlpTlsException(OtlpErrorId.FileWriteFailed, OtlpErrorKind.WriteError, $"Could not append to '{file}': {ex.Message}", file, null, ex);
                    }

                    return Array.Empty<string>();
                case OtlpEnvironmentTarget.Kubernetes:
                    if (file is null)
                    {
                        return new[] { KubernetesEnv.Update(null, plan.Changes).TrimEnd('\n') };
                    }

                    var current = File.Exists(file) ? Encoding.UTF8.GetString(FileAccess.ReadAllBytes(file, "Kubernetes env")) : null;
                    DotEnvFile.Write(file, KubernetesEnv.Update(current, plan.Changes));
                    return Array.Empty<string>();
                default:
                    throw new ArgumentOutOfRangeException(nameof(target));
            }
        }

        /// <summary>The variables a target holds after <see cref="Apply"/>, read back for <c>-PassThru</c>.</summary>
        public static OtlpTlsEnvironment ReadBack(OtlpEnvironmentTarget target, string? file, OtlpEnvironmentPlan plan, DateTimeOffset? at = null)
        {
            switch (target)
            {
                case OtlpEnvironmentTarget.Process:
                case OtlpEnvironmentTarget.User:
                case OtlpEnvironmentTarget.Machine:
                    return OtlpEnvironmentReader.Read(OtlpEnvironmentReader.ProcessVariables(), target.ToString(), at);
                case OtlpEnvironmentTarget.DotEnv:
                    return OtlpEnvironmentReader.Read(DotEnvFile.Read(file!), file!, at);
                case OtlpEnvironmentTarget.Kubernetes when file is not null:
                    return OtlpEnvironmentReader.Read(KubernetesEnv.Parse(Encoding.UTF8.GetString(FileAccess.ReadAllBytes(file, "Kubernetes env"))), file, at);
                default:
                    var written = new Dictionary<string, string>(StringComparer.Ordinal);
                    foreach (var change in plan.Changes)
                    {
                        if (change.Value is null)
                        {
                            written.Remove(change.Key);
                        }
                        else
                        {
                            written[change.Key] = change.Value;
                        }
                    }

                    return OtlpEnvironmentReader.Read(written, target.ToString(), at);
            }
        }

        /// <summary>What ShouldProcess names as the target.</summary>
        public static string Describe(OtlpEnvironmentTarget target, string? file) => target switch
        {
            OtlpEnvironmentTarget.DotEnv => $"dotenv file '{file}'",
            OtlpEnvironmentTarget.GitHubActions => $"GitHub Actions environment file '{file}'",
            OtlpEnvironmentTarget.Kubernetes when file is not null => $"Kubernetes env file '{file}'",
            OtlpEnvironmentTarget.Kubernetes => "Kubernetes env list (printed)",
            OtlpEnvironmentTarget.AzureDevOps => "Azure DevOps pipeline variables (printed)",
            _ => $"{target} environment",
        };
    }

    /// <summary>
    /// A Kubernetes container <c>env:</c> list in the shape this module writes (<c>- name: X</c> / <c>value: "…"</c>),
    /// updated in place: entries of other variables are kept as they are.
    /// </summary>
    public static class KubernetesEnv
    {
        /// <summary>Applies changes (null removes) to an existing list, or starts one.</summary>
        public static string Update(string? existing, IEnumerable<KeyValuePair<string, string?>> changes)
        {
            var (header, entries) = Split(existing);
            var pending = changes.ToList();
            foreach (var change in pending)
            {
                var index = entries.FindIndex(e => e.Name == change.Key);
                var block = change.Value is null ? null : new List<string> { "  - name: " + change.Key, "    value: " + OtlpEnvironmentPlanner.Quote(change.Value) };
                if (index >= 0)
                {
                    if (block is null)
                    {
                        entries.RemoveAt(index);
                    }
                    else
                    {
                        entries[index] = (change.Key, block);
                    }
                }
                else if (block is not null)
                {
                    entries.Add((change.Key, block));
                }
            }

            var lines = new List<string>(header);
            if (lines.Count == 0)
            {
                lines.Add("env:");
            }

            lines.AddRange(entries.SelectMany(e => e.Lines));
            return string.Join("\n", lines) + "\n";
        }

        /// <summary>Name to value of the entries with a literal <c>value:</c>.</summary>
        public static IReadOnlyDictionary<string, string> Parse(string text)
        {
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (name, lines) in Split(text).Entries)
            {
                var valueLine = lines.Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("value:", StringComparison.Ordinal));
                if (valueLine is not null)
                {
                    result[name] = Unquote(valueLine.Substring("value:".Length).Trim());
                }
            }

            return result;
        }

        private static string Unquote(string value)
        {
            if (value.Length >= 2 && value[0] == '"' && value[value.Length - 1] == '"')
            {
                return value.Substring(1, value.Length - 2).Replace("\\\"", "\"").Replace("\\\\", "\\");
            }

            return value.Length >= 2 && value[0] == '\'' && value[value.Length - 1] == '\'' ? value.Substring(1, value.Length - 2).Replace("''", "'") : value;
        }

        private static (List<string> Header, List<(string Name, List<string> Lines)> Entries) Split(string? text)
        {
            var header = new List<string>();
            var entries = new List<(string Name, List<string> Lines)>();
            foreach (var line in (text ?? string.Empty).Replace("\r\n", "\n").Split('\n'))
            {
                var trimmed = line.Trim();
                if (trimmed.StartsWith("- name:", StringComparison.Ordinal))
                {
                    entries.Add((Unquote(trimmed.Substring("- name:".Length).Trim()), new List<string> { line }));
                }
                else if (entries.Count > 0 && line.Length > 0 && char.IsWhiteSpace(line[0]) && !trimmed.StartsWith("-", StringComparison.Ordinal))
                {
                    entries[entries.Count - 1].Lines.Add(line);
                }
                else if (line.Length > 0)
                {
                    header.Add(line);
                }
            }

            return (header, entries);
        }
    }
}
