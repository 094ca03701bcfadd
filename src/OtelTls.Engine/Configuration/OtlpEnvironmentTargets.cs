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

        /// <summary>
        /// Writes the plan's extra files, then its variables. Returns the lines to print: the Azure DevOps logging commands
        /// (for the host, see <see cref="OtlpEnvironmentTarget.AzureDevOps"/>) or the Kubernetes YAML when there is no file.
        /// Every file goes through <see cref="AtomicFile"/>: locked, atomic, mode, owner and links kept, untouched when
        /// nothing changes.
        /// </summary>
        /// <param name="target">Where to write.</param>
        /// <param name="file">The file of file targets (from <see cref="Prepare"/>).</param>
        /// <param name="plan">What to write.</param>
        /// <param name="force">Replace an extra file (the .NET CA bundle) that exists with other content.</param>
        /// <exception cref="OtlpTlsException">ValueHasControlCharacter, FileExists, FileReadOnly, FileLocked, and the write errors.</exception>
        public static IReadOnlyList<string> Apply(OtlpEnvironmentTarget target, string? file, OtlpEnvironmentPlan plan, bool force = false)
        {
            if (target != OtlpEnvironmentTarget.Process)
            {
                // Checked before any file is touched: a refused value leaves every target as it was.
                foreach (var change in plan.Changes.Where(c => c.Value is not null))
                {
                    LineValues.Check(change.Key, change.Value!, Describe(target, file));
                }
            }

            foreach (var extra in plan.Files)
            {
                var content = new UTF8Encoding(false).GetBytes(extra.Content);
                AtomicFile.Update(extra.Path, "CA bundle", current =>
                {
                    if (current is not null && !force && !SameBytes(current, content))
                    {
                        throw new OtlpTlsException(OtlpErrorId.FileExists, OtlpErrorKind.ResourceExists,
                            $"'{extra.Path}' already exists with other content ({extra.Reason}); it was kept and nothing was written.",
                            extra.Path, "Add -Force to replace it, or move it away first.");
                    }

                    return content;
                });
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
                    DotEnvFile.UpdateFile(file!, plan.Changes);
                    return Array.Empty<string>();
                case OtlpEnvironmentTarget.AzureDevOps:
                    return plan.Changes.Select(c => AzureDevOpsCommand(c.Key, c.Value)).ToList();
                case OtlpEnvironmentTarget.GitHubActions:
                    AtomicFile.Update(file!, "GitHub Actions environment", current => GitHubEnvFile.Append(current, plan.Changes));
                    return Array.Empty<string>();
                case OtlpEnvironmentTarget.Kubernetes:
                    if (file is null)
                    {
                        return new[] { KubernetesEnvFile.NewEnvList(plan.Changes).TrimEnd('\n') };
                    }

                    AtomicFile.Update(file, "Kubernetes manifest", current => KubernetesEnvFile.Update(current, plan.Changes, file));
                    return Array.Empty<string>();
                default:
                    throw new ArgumentOutOfRangeException(nameof(target));
            }
        }

        /// <summary>
        /// One <c>##vso[task.setvariable]</c> command. The value is escaped as the Azure Pipelines task library does
        /// (<c>%</c> → <c>%AZP25</c>, CR → <c>%0D</c>, LF → <c>%0A</c>), so nothing in it can end the command or start
        /// another; a headers variable is marked <c>issecret=true</c> so the agent masks it in every log.
        /// </summary>
        /// <exception cref="OtlpTlsException">ValueHasControlCharacter.</exception>
        public static string AzureDevOpsCommand(string name, string? value)
        {
            if (value is not null)
            {
                LineValues.Check(name, value, "an Azure DevOps logging command");
            }

            var secret = OtlpVariables.IsHeaders(name) ? ";issecret=true" : string.Empty;
            return $"##vso[task.setvariable variable={EscapeProperty(name)}{secret}]{EscapeData(value ?? string.Empty)}";
        }

        /// <summary>Logging-command data escaping (azure-pipelines-task-lib <c>escapedata</c>).</summary>
        public static string EscapeData(string value) =>
            value.Replace("%", "%AZP25").Replace("\r", "%0D").Replace("\n", "%0A");

        /// <summary>Logging-command property escaping (azure-pipelines-task-lib <c>escape</c>).</summary>
        public static string EscapeProperty(string value) =>
            EscapeData(value).Replace("]", "%5D").Replace(";", "%3B");

        private static bool SameBytes(byte[] a, byte[] b) => a.Length == b.Length && a.SequenceEqual(b);

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
                    return OtlpEnvironmentReader.Read(KubernetesEnvFile.Parse(Encoding.UTF8.GetString(FileAccess.ReadAllBytes(file, "Kubernetes manifest")), file), file, at);
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
            OtlpEnvironmentTarget.Kubernetes when file is not null => $"Kubernetes manifest '{file}'",
            OtlpEnvironmentTarget.Kubernetes => "Kubernetes env list (printed)",
            OtlpEnvironmentTarget.AzureDevOps => "Azure DevOps pipeline variables (printed)",
            _ => $"{target} environment",
        };
    }
}
