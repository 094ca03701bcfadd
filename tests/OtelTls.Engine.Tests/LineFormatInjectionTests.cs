using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using OtelTls.Engine.Configuration;
using YamlDotNet.RepresentationModel;

namespace OtelTls.Engine.Tests;

/// <summary>
/// Values written to line-based outputs, read back the way each consumer reads them (sh for dotenv, the GitHub runner's
/// rules for $GITHUB_ENV, the Azure agent's rules for ##vso, a YAML parser for Kubernetes): exactly the intended
/// variables result, and a value with a line break is refused before anything is written.
/// </summary>
public class LineFormatInjectionTests
{
    /// <summary>Characters that mean something to one format or another, and must arrive as themselves.</summary>
    private static readonly Dictionary<string, string> Tricky = new()
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "https://collector:4318/a%0Ab%AZP25;c]d::e",
        ["OTEL_EXPORTER_OTLP_CERTIFICATE"] = "/etc/otel/it's \"quoted\" $HOME `x` ##vso[task.complete]::error::x.crt",
        ["OTEL_EXPORTER_OTLP_CLIENT_KEY"] = "/k/EOF<<EOF=1;%;].key",
    };

    public static TheoryData<string> Breaks => new() { "\n", "\r", "\r\n", "\u2028", "\0", "\u0085" };

    private static KeyValuePair<string, string?>[] Changes(Dictionary<string, string> values) =>
        values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)).ToArray();

    private static KeyValuePair<string, string?>[] Injection(string lineBreak) => new[]
    {
        new KeyValuePair<string, string?>("OTEL_EXPORTER_OTLP_ENDPOINT", "https://collector:4318/x" + lineBreak + "LD_PRELOAD=/tmp/evil.so" + lineBreak + "##vso[task.setvariable variable=X]y"),
    };

    // ---- dotenv, read by sh ----------------------------------------------------------------------------------------

    [Fact]
    [Trait("Reliability", "BadInput")]
    public void DotEnv_special_characters_arrive_unchanged_in_sh()
    {
        using var dir = new TempDirectory();
        var file = dir.File("otel.env");
        File.WriteAllText(file, "KEEP=1\n");
        OtlpEnvironmentTargets.Apply(OtlpEnvironmentTarget.DotEnv, file, WriterFaultTests.Plan(Changes(Tricky)));
        var expected = new Dictionary<string, string>(Tricky) { ["KEEP"] = "1" };
        Assert.Equal(expected.OrderBy(e => e.Key), SourcedBySh(file).OrderBy(e => e.Key));
        Assert.Equal(expected.OrderBy(e => e.Key), DotEnvFile.Read(file).OrderBy(e => e.Key));
    }

    [Theory]
    [MemberData(nameof(Breaks))]
    [Trait("Reliability", "BadInput")]
    public void DotEnv_line_break_in_a_value_is_refused(string lineBreak)
    {
        using var dir = new TempDirectory();
        var file = dir.File("otel.env");
        File.WriteAllText(file, "KEEP=1\n");
        var error = Assert.Throws<OtlpTlsException>(() => OtlpEnvironmentTargets.Apply(OtlpEnvironmentTarget.DotEnv, file, WriterFaultTests.Plan(Injection(lineBreak))));
        Assert.Equal(LineValues.ControlCharacterErrorId, error.ErrorId);
        Assert.Equal(OtlpErrorKind.InvalidArgument, error.Kind);
        Assert.DoesNotContain("evil", error.Message);
        Assert.Equal("KEEP=1\n", File.ReadAllText(file));
    }

    private static Dictionary<string, string> SourcedBySh(string file)
    {
        var start = new ProcessStartInfo("/usr/bin/env") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-i", "sh", "-c", "set -a; . \"$0\"; exec /usr/bin/env -0", file })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(10_000));
        Assert.True(process.ExitCode == 0, process.StandardError.ReadToEnd());
        return output.Split('\0', StringSplitOptions.RemoveEmptyEntries).Select(e => e.Split('=', 2))
            .Where(p => p[0].StartsWith("OTEL_", StringComparison.Ordinal) || p[0] == "KEEP")
            .ToDictionary(p => p[0], p => p[1]);
    }

    // ---- $GITHUB_ENV, read with the runner's rules -----------------------------------------------------------------

    [Fact]
    [Trait("Reliability", "BadInput")]
    public void GitHubEnv_special_characters_arrive_unchanged()
    {
        using var dir = new TempDirectory();
        var file = dir.File("github_env");
        File.WriteAllText(file, "EXISTING<<ghadelimiter_1\nline one\nline two\nghadelimiter_1\nNO_NEWLINE=1");
        OtlpEnvironmentTargets.Apply(OtlpEnvironmentTarget.GitHubActions, file, WriterFaultTests.Plan(Changes(Tricky)));
        var expected = new Dictionary<string, string>(Tricky) { ["EXISTING"] = "line one\nline two", ["NO_NEWLINE"] = "1" };
        Assert.Equal(expected.OrderBy(e => e.Key), GitHubEnvFile.Parse(File.ReadAllText(file)).OrderBy(e => e.Key));
    }

    [Theory]
    [MemberData(nameof(Breaks))]
    [Trait("Reliability", "BadInput")]
    public void GitHubEnv_line_break_in_a_value_is_refused(string lineBreak)
    {
        using var dir = new TempDirectory();
        var file = dir.File("github_env");
        File.WriteAllText(file, "A=1\n");
        var error = Assert.Throws<OtlpTlsException>(() => OtlpEnvironmentTargets.Apply(OtlpEnvironmentTarget.GitHubActions, file, WriterFaultTests.Plan(Injection(lineBreak))));
        Assert.Equal(LineValues.ControlCharacterErrorId, error.ErrorId);
        Assert.Equal("A=1\n", File.ReadAllText(file));
    }

    [Fact]
    [Trait("Reliability", "WriterFault")]
    public void GitHubEnv_clear_with_nothing_set_writes_nothing()
    {
        using var dir = new TempDirectory();
        var file = dir.File("github_env");
        File.WriteAllText(file, "A=1\n");
        var written = GitHubEnvFile.Append(File.ReadAllBytes(file), OtlpEnvironmentPlanner.PlanClear(null).Changes, _ => null);
        Assert.Null(written);
        var again = GitHubEnvFile.Append(Encoding.UTF8.GetBytes("OTEL_EXPORTER_OTLP_ENDPOINT=https://c:4318\n"),
            new[] { new KeyValuePair<string, string?>("OTEL_EXPORTER_OTLP_ENDPOINT", "https://c:4318") }, _ => null);
        Assert.Null(again);
        var cleared = GitHubEnvFile.Append(Encoding.UTF8.GetBytes("A=1\n"), OtlpEnvironmentPlanner.PlanClear(null).Changes,
            name => name == "OTEL_EXPORTER_OTLP_PROTOCOL" ? "grpc" : null);
        Assert.Equal("A=1\nOTEL_EXPORTER_OTLP_PROTOCOL=\n", Encoding.UTF8.GetString(cleared!));
    }

    // ---- ##vso, read with the Azure Pipelines agent's rules --------------------------------------------------------

    [Fact]
    [Trait("Reliability", "BadInput")]
    public void AzureDevOps_special_characters_arrive_unchanged()
    {
        var lines = OtlpEnvironmentTargets.Apply(OtlpEnvironmentTarget.AzureDevOps, null, WriterFaultTests.Plan(Changes(Tricky)));
        Assert.Equal(Tricky.Count, lines.Count);
        var variables = new Dictionary<string, string>();
        foreach (var line in lines)
        {
            Assert.DoesNotContain('\n', line);
            var command = AgentCommand.Parse(line);
            Assert.Equal("task.setvariable", command.Name);
            Assert.Equal(new[] { "variable" }, command.Properties.Keys);
            variables.Add(command.Properties["variable"], command.Data);
        }

        Assert.Equal(Tricky.OrderBy(e => e.Key), variables.OrderBy(e => e.Key));
        Assert.Contains("%AZP250A", lines[0]);
    }

    [Theory]
    [MemberData(nameof(Breaks))]
    [Trait("Reliability", "BadInput")]
    public void AzureDevOps_line_break_in_a_value_is_refused(string lineBreak)
    {
        var error = Assert.Throws<OtlpTlsException>(() => OtlpEnvironmentTargets.Apply(OtlpEnvironmentTarget.AzureDevOps, null, WriterFaultTests.Plan(Injection(lineBreak))));
        Assert.Equal(LineValues.ControlCharacterErrorId, error.ErrorId);
    }

    [Fact]
    [Trait("Reliability", "Secret")]
    public void AzureDevOps_headers_are_marked_secret()
    {
        var line = OtlpEnvironmentTargets.AzureDevOpsCommand("OTEL_EXPORTER_OTLP_TRACES_HEADERS", "api-key=s3cr;t]");
        var command = AgentCommand.Parse(line);
        Assert.Equal("true", command.Properties["issecret"]);
        Assert.Equal("OTEL_EXPORTER_OTLP_TRACES_HEADERS", command.Properties["variable"]);
        Assert.Equal("api-key=s3cr;t]", command.Data);
        Assert.DoesNotContain("issecret", OtlpEnvironmentTargets.AzureDevOpsCommand("OTEL_EXPORTER_OTLP_ENDPOINT", "x"));
    }

    /// <summary>The agent's parser (Microsoft.VisualStudio.Services.Agent Command.TryParse) and the task library's unescaping.</summary>
    private sealed record AgentCommand(string Name, Dictionary<string, string> Properties, string Data)
    {
        public static AgentCommand Parse(string line)
        {
            const string prefix = "##vso[";
            var start = line.IndexOf(prefix, StringComparison.Ordinal);
            var close = line.IndexOf(']');
            Assert.True(start == 0 && close > start, $"not a logging command: {line}");
            var info = line.Substring(prefix.Length, close - prefix.Length);
            var space = info.IndexOf(' ');
            var name = space < 0 ? info : info[..space];
            var properties = new Dictionary<string, string>();
            if (space >= 0)
            {
                foreach (var pair in info[(space + 1)..].Split(';', StringSplitOptions.RemoveEmptyEntries))
                {
                    var parts = pair.Split('=', 2);
                    properties[parts[0]] = UnescapeProperty(parts[1]);
                }
            }

            return new AgentCommand(name, properties, UnescapeData(line[(close + 1)..]));
        }

        private static string UnescapeData(string value) => value.Replace("%0D", "\r").Replace("%0A", "\n").Replace("%AZP25", "%");

        private static string UnescapeProperty(string value) => UnescapeData(value.Replace("%3B", ";").Replace("%5D", "]"));
    }

    // ---- Kubernetes, read by a YAML parser -------------------------------------------------------------------------

    [Fact]
    [Trait("Reliability", "BadInput")]
    public void Kubernetes_special_characters_arrive_unchanged()
    {
        var printed = Assert.Single(OtlpEnvironmentTargets.Apply(OtlpEnvironmentTarget.Kubernetes, null, WriterFaultTests.Plan(Changes(Tricky))));
        Assert.Equal(Tricky.OrderBy(e => e.Key), EnvOf(printed).OrderBy(e => e.Key));

        using var dir = new TempDirectory();
        var file = dir.File("deploy.yaml");
        File.WriteAllText(file, KubernetesEnvFileTests.Deployment);
        OtlpEnvironmentTargets.Apply(OtlpEnvironmentTarget.Kubernetes, file, WriterFaultTests.Plan(Changes(Tricky)));
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(file)));
        var app = KubernetesEnvFileTests.Containers(stream).First(c => c.Name == "app");
        foreach (var (name, value) in Tricky)
        {
            Assert.Equal(value, app.Env[name]);
        }
    }

    [Theory]
    [MemberData(nameof(Breaks))]
    [Trait("Reliability", "BadInput")]
    public void Kubernetes_line_break_in_a_value_is_refused(string lineBreak)
    {
        using var dir = new TempDirectory();
        var file = dir.File("deploy.yaml");
        File.WriteAllText(file, KubernetesEnvFileTests.Deployment);
        var error = Assert.Throws<OtlpTlsException>(() => OtlpEnvironmentTargets.Apply(OtlpEnvironmentTarget.Kubernetes, file, WriterFaultTests.Plan(Injection(lineBreak))));
        Assert.Equal(LineValues.ControlCharacterErrorId, error.ErrorId);
        Assert.Equal(KubernetesEnvFileTests.Deployment, File.ReadAllText(file));
    }

    private static Dictionary<string, string> EnvOf(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var env = (YamlSequenceNode)((YamlMappingNode)stream.Documents[0].RootNode)["env"];
        return env.Children.Cast<YamlMappingNode>().ToDictionary(e => ((YamlScalarNode)e["name"]).Value!, e => ((YamlScalarNode)e["value"]).Value!);
    }
}
