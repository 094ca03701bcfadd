using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using OtelTls.Engine.Configuration;

namespace OtelTls.Engine.Tests;

/// <summary>
/// -DebugLogging: the table of names, list items merged into and taken out of what a target already holds, every target
/// written and cleared with the bytes around our lines kept, the .NET diagnostics file and the collector's log level.
/// </summary>
public class OtlpDebugLoggingTests
{
    private static readonly OtlpSdk[] AllSdks = { OtlpSdk.Dotnet, OtlpSdk.Java, OtlpSdk.Go, OtlpSdk.Python, OtlpSdk.Node, OtlpSdk.Collector };

    private static OtlpDebugLoggingRequest Request(IDictionary<string, string> current, params OtlpSdk[] sdks) => new()
    {
        Sdks = sdks.ToList(),
        CurrentValues = name => current.TryGetValue(name, out var value) ? value : null,
    };

    private static Dictionary<string, string?> Changes(OtlpDebugLoggingPlan plan) => plan.Changes.ToDictionary(c => c.Key, c => c.Value);

    [Fact]
    public void EachRuntimeGetsItsDocumentedNamesAndNothingElse()
    {
        var expected = new Dictionary<string, string[]>
        {
            ["go"] = new[] { "GRPC_GO_LOG_SEVERITY_LEVEL=info", "GRPC_GO_LOG_VERBOSITY_LEVEL=99", "GODEBUG=http2debug=1" },
            ["python"] = new[] { "GRPC_VERBOSITY=debug", "OTEL_PYTHON_LOG_CORRELATION=true", "OTEL_PYTHON_LOG_LEVEL=debug", "GRPC_TRACE=tsi,handshaker" },
            ["java"] = new[] { "OTEL_JAVAAGENT_DEBUG=true", "JAVA_TOOL_OPTIONS=-Djavax.net.debug=ssl:handshake" },
            ["node"] = new[] { "OTEL_LOG_LEVEL=debug", "NODE_DEBUG=tls" },
            ["dotnet"] = Array.Empty<string>(),
            ["collector"] = Array.Empty<string>(),
        };
        using var dir = new TempDirectory();
        foreach (var (sdk, variables) in expected)
        {
            var request = Request(new Dictionary<string, string>(), Enum.Parse<OtlpSdk>(sdk, ignoreCase: true));
            request.AppDirectory = dir.Path;
            var plan = OtlpDebugLogging.PlanSet(request);
            Assert.Equal(variables.OrderBy(v => v), plan.Changes.Select(c => $"{c.Key}={c.Value}").OrderBy(v => v));
        }

        Assert.All(OtlpDebugSettings.All.Concat(new[] { OtlpDebugSettings.KeyLog }), s => Assert.StartsWith("https://", s.Source));
    }

    [Fact]
    public void WithoutSdkEveryRuntimesVariablesButNoFile()
    {
        var plan = OtlpDebugLogging.PlanSet(Request(new Dictionary<string, string>()));
        var names = plan.Changes.Select(c => c.Key).ToHashSet();
        Assert.Equal(OtlpDebugSettings.All.Where(s => s.Kind is OtlpDebugSettingKind.Variable or OtlpDebugSettingKind.ListItem).Select(s => s.Name).ToHashSet(), names);
        Assert.Empty(plan.Files);
        Assert.Null(plan.CollectorYaml);
        Assert.Contains(plan.Warnings, w => w.Contains("-Sdk dotnet"));
    }

    [Theory]
    [InlineData("-javaagent:/otel/agent.jar", "-javaagent:/otel/agent.jar -Djavax.net.debug=ssl:handshake")]
    [InlineData("-javaagent:/otel/agent.jar  -Dfoo=\"a  b\" ", "-javaagent:/otel/agent.jar  -Dfoo=\"a  b\" -Djavax.net.debug=ssl:handshake")]
    [InlineData("", "-Djavax.net.debug=ssl:handshake")]
    public void JavaToolOptionsGetsTheFlagAppendedAndClearTakesOnlyItOut(string before, string after)
    {
        var current = new Dictionary<string, string> { ["JAVA_TOOL_OPTIONS"] = before };
        var set = Changes(OtlpDebugLogging.PlanSet(Request(current, OtlpSdk.Java)));
        Assert.Equal(after, set["JAVA_TOOL_OPTIONS"]);

        current["JAVA_TOOL_OPTIONS"] = after;
        current["OTEL_JAVAAGENT_DEBUG"] = "true";
        var cleared = Changes(OtlpDebugLogging.PlanClear(Request(current, OtlpSdk.Java)));
        Assert.Equal(before.Trim().Length == 0 ? null : before.TrimEnd(), cleared["JAVA_TOOL_OPTIONS"]);
        Assert.Null(cleared["OTEL_JAVAAGENT_DEBUG"]);
    }

    [Fact]
    public void AnOwnJavaDebugSettingIsKeptBySetAndByClear()
    {
        var current = new Dictionary<string, string> { ["JAVA_TOOL_OPTIONS"] = "-Djavax.net.debug=all" };
        var set = OtlpDebugLogging.PlanSet(Request(current, OtlpSdk.Java));
        Assert.DoesNotContain(set.Changes, c => c.Key == "JAVA_TOOL_OPTIONS");
        Assert.Contains(set.Warnings, w => w.Contains("-Djavax.net.debug=all") && w.Contains("kept"));
        Assert.DoesNotContain(OtlpDebugLogging.PlanClear(Request(current, OtlpSdk.Java)).Changes, c => c.Key == "JAVA_TOOL_OPTIONS");
    }

    [Fact]
    public void ListItemsJoinExistingListsOnce()
    {
        var current = new Dictionary<string, string> { ["NODE_DEBUG"] = "http,net", ["GRPC_TRACE"] = "api,tsi", ["GODEBUG"] = "x509sha1=1" };
        var set = Changes(OtlpDebugLogging.PlanSet(Request(current, OtlpSdk.Node, OtlpSdk.Python, OtlpSdk.Go)));
        Assert.Equal("http,net,tls", set["NODE_DEBUG"]);
        Assert.Equal("api,tsi,handshaker", set["GRPC_TRACE"]);
        Assert.Equal("x509sha1=1,http2debug=1", set["GODEBUG"]);

        foreach (var (name, value) in set.Where(c => c.Value is not null))
        {
            current[name] = value!;
        }

        var cleared = Changes(OtlpDebugLogging.PlanClear(Request(current, OtlpSdk.Node, OtlpSdk.Python, OtlpSdk.Go)));
        Assert.Equal("http,net", cleared["NODE_DEBUG"]);
        // tsi was in the list before Set: a list keeps no history, so Clear takes out every item Set would add.
        Assert.Equal("api", cleared["GRPC_TRACE"]);
        Assert.Equal("x509sha1=1", cleared["GODEBUG"]);
    }

    [Fact]
    public void AVariableWithAnotherValueIsReplacedWithAWarningAndKeptByClear()
    {
        var current = new Dictionary<string, string> { ["OTEL_LOG_LEVEL"] = "info" };
        var set = OtlpDebugLogging.PlanSet(Request(current, OtlpSdk.Node));
        Assert.Contains(set.Warnings, w => w.Contains("OTEL_LOG_LEVEL was 'info'"));
        Assert.Equal("debug", Changes(set)["OTEL_LOG_LEVEL"]);

        var clear = OtlpDebugLogging.PlanClear(Request(current, OtlpSdk.Node));
        Assert.DoesNotContain(clear.Changes, c => c.Key == "OTEL_LOG_LEVEL");
        Assert.Contains(clear.Warnings, w => w.Contains("OTEL_LOG_LEVEL was kept"));
    }

    [Fact]
    public void KeyLogIsOnlyWrittenByItsOwnSwitchWithAWarningAndAlwaysCleared()
    {
        using var dir = new TempDirectory();
        Assert.DoesNotContain(OtlpDebugLogging.PlanSet(Request(new Dictionary<string, string>())).Changes, c => c.Key == "SSLKEYLOGFILE");
        var request = Request(new Dictionary<string, string>());
        request.Logging = false;
        request.KeyLogFile = dir.File("keys.log");
        var set = OtlpDebugLogging.PlanSet(request);
        Assert.Equal(new[] { $"SSLKEYLOGFILE={dir.File("keys.log")}" }, set.Changes.Select(c => $"{c.Key}={c.Value}"));
        Assert.Contains(set.Warnings, w => w.Contains("session secrets"));

        var clear = OtlpDebugLogging.PlanClear(Request(new Dictionary<string, string> { ["SSLKEYLOGFILE"] = "/elsewhere/keys" }, OtlpSdk.Java));
        Assert.Contains(clear.Changes, c => c.Key == "SSLKEYLOGFILE" && c.Value is null);
    }

    [Fact]
    public void DotEnvRoundTripKeepsEveryOtherByte()
    {
        using var dir = new TempDirectory();
        var file = dir.File("app.env");
        var original = "# service settings\r\nexport OTEL_SERVICE_NAME=shop   # the shop\r\n\r\nOTEL_EXPORTER_OTLP_ENDPOINT='https://collector:4318'\r\nLAST=1\r\n";
        File.WriteAllBytes(file, Encoding.UTF8.GetBytes(original));
        RoundTrip(OtlpEnvironmentTarget.DotEnv, file, () => DotEnvFile.Read(file));
        Assert.Equal(original, File.ReadAllText(file));
    }

    [Fact]
    public void DotEnvJavaToolOptionsKeepsTheAgentThroughSetAndClear()
    {
        using var dir = new TempDirectory();
        var file = dir.File("app.env");
        File.WriteAllText(file, "JAVA_TOOL_OPTIONS=-javaagent:/otel/agent.jar\nOTHER=1\n");
        Apply(OtlpEnvironmentTarget.DotEnv, file, OtlpDebugLogging.PlanSet(TargetRequest(OtlpEnvironmentTarget.DotEnv, file, OtlpSdk.Java)));
        Assert.Equal("-javaagent:/otel/agent.jar -Djavax.net.debug=ssl:handshake", DotEnvFile.Read(file)["JAVA_TOOL_OPTIONS"]);
        Apply(OtlpEnvironmentTarget.DotEnv, file, OtlpDebugLogging.PlanClear(TargetRequest(OtlpEnvironmentTarget.DotEnv, file, OtlpSdk.Java)));
        Assert.Equal("JAVA_TOOL_OPTIONS=-javaagent:/otel/agent.jar\nOTHER=1\n", File.ReadAllText(file));
    }

    [Fact]
    public void KubernetesManifestRoundTripKeepsEveryOtherByte()
    {
        using var dir = new TempDirectory();
        var file = dir.File("deploy.yaml");
        const string Manifest =
            "apiVersion: apps/v1\n" +
            "kind: Deployment   # checkout\n" +
            "spec:\n" +
            "  template:\n" +
            "    spec:\n" +
            "      containers:\n" +
            "      - name: app\n" +
            "        image: shop:1.2   # pinned\n" +
            "        env:\n" +
            "        - name: OTEL_SERVICE_NAME\n" +
            "          value: \"shop\"\n" +
            "        - {name: POD_IP, valueFrom: {fieldRef: {fieldPath: status.podIP}}}\n";
        File.WriteAllText(file, Manifest);
        RoundTrip(OtlpEnvironmentTarget.Kubernetes, file, () => KubernetesEnvFile.Parse(File.ReadAllText(file), file));
        Assert.Equal(Manifest, File.ReadAllText(file));
    }

    [Fact]
    public void KubernetesWithoutFilePrintsTheListAndAdvisesTheDotnetFile()
    {
        var plan = OtlpDebugLogging.PlanSet(TargetRequest(OtlpEnvironmentTarget.Kubernetes, null, OtlpSdk.Node, OtlpSdk.Dotnet));
        var printed = OtlpEnvironmentTargets.Apply(OtlpEnvironmentTarget.Kubernetes, null, OtlpDebugLogging.Combine(null, plan));
        var list = KubernetesEnvFile.Parse(Assert.Single(printed));
        Assert.Equal("tls", list["NODE_DEBUG"]);
        Assert.Equal("debug", list["OTEL_LOG_LEVEL"]);
        Assert.Empty(plan.Files);
        Assert.Contains(plan.Warnings, w => w.Contains("ConfigMap") && w.Contains("\"LogLevel\": \"Verbose\""));
    }

    [Fact]
    public void GitHubActionsSetAppendsAndClearEmptiesOnlyWhatSetWrote()
    {
        using var dir = new TempDirectory();
        var file = dir.File("github_env");
        File.WriteAllText(file, "EARLIER=1\n");
        Apply(OtlpEnvironmentTarget.GitHubActions, file, OtlpDebugLogging.PlanSet(TargetRequest(OtlpEnvironmentTarget.GitHubActions, file, OtlpSdk.Node)));
        Assert.Equal("EARLIER=1\nOTEL_LOG_LEVEL=debug\nNODE_DEBUG=tls\n", File.ReadAllText(file));
        Apply(OtlpEnvironmentTarget.GitHubActions, file, OtlpDebugLogging.PlanClear(TargetRequest(OtlpEnvironmentTarget.GitHubActions, file, OtlpSdk.Node)));
        Assert.Equal("EARLIER=1\nOTEL_LOG_LEVEL=debug\nNODE_DEBUG=tls\nOTEL_LOG_LEVEL=\nNODE_DEBUG=\n", File.ReadAllText(file));
    }

    [Fact]
    public void AzureDevOpsGetsOneLoggingCommandPerVariable()
    {
        var plan = OtlpDebugLogging.PlanSet(Request(new Dictionary<string, string>(), OtlpSdk.Java));
        var lines = OtlpEnvironmentTargets.Apply(OtlpEnvironmentTarget.AzureDevOps, null, OtlpDebugLogging.Combine(null, plan));
        Assert.Equal(new[]
        {
            "##vso[task.setvariable variable=OTEL_JAVAAGENT_DEBUG]true",
            "##vso[task.setvariable variable=JAVA_TOOL_OPTIONS]-Djavax.net.debug=ssl:handshake",
        }, lines);
    }

    [Fact]
    public void ProcessRoundTripRestoresTheAgentOption()
    {
        // A name no other test touches: the process environment is shared by the tests that run in parallel.
        const string Name = "NODE_DEBUG";
        var before = Environment.GetEnvironmentVariable(Name);
        try
        {
            Environment.SetEnvironmentVariable(Name, "http");
            Apply(OtlpEnvironmentTarget.Process, null, OtlpDebugLogging.PlanSet(TargetRequest(OtlpEnvironmentTarget.Process, null, OtlpSdk.Node)));
            Assert.Equal("http,tls", Environment.GetEnvironmentVariable(Name));
            Assert.Equal("debug", Environment.GetEnvironmentVariable("OTEL_LOG_LEVEL"));
            Apply(OtlpEnvironmentTarget.Process, null, OtlpDebugLogging.PlanClear(TargetRequest(OtlpEnvironmentTarget.Process, null, OtlpSdk.Node)));
            Assert.Equal("http", Environment.GetEnvironmentVariable(Name));
            Assert.Null(Environment.GetEnvironmentVariable("OTEL_LOG_LEVEL"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(Name, before);
            Environment.SetEnvironmentVariable("OTEL_LOG_LEVEL", null);
        }
    }

    [Fact]
    public void DotnetDiagnosticsFileIsWrittenOnceRefusedOverAForeignOneAndRemovedOnlyWhenOurs()
    {
        using var dir = new TempDirectory();
        var path = dir.File(OtlpDebugSettings.DotnetDiagnosticsFile);
        var request = Request(new Dictionary<string, string>(), OtlpSdk.Dotnet);
        request.AppDirectory = dir.Path;
        var change = Assert.Single(OtlpDebugLogging.PlanSet(request).Files);
        Assert.Equal(path, change.Path);
        Assert.True(change.Apply(force: false));
        Assert.Contains("\"LogLevel\": \"Verbose\"", File.ReadAllText(path));
        Assert.False(Assert.Single(OtlpDebugLogging.PlanSet(request).Files).Apply(force: false));

        File.WriteAllText(path, "{ \"LogDirectory\": \"/var/log\", \"FileSize\": 1024, \"LogLevel\": \"Error\" }");
        var refused = Assert.Throws<OtlpTlsException>(() => OtlpDebugLogging.PlanSet(request).Files[0].Apply(force: false));
        Assert.Equal(OtlpErrorId.FileExists, refused.ErrorId);
        var clear = OtlpDebugLogging.PlanClear(request);
        Assert.Empty(clear.Files);
        Assert.Contains(clear.Warnings, w => w.Contains("was kept"));
        Assert.True(File.Exists(path));

        Assert.True(OtlpDebugLogging.PlanSet(request).Files[0].Apply(force: true));
        Assert.True(Assert.Single(OtlpDebugLogging.PlanClear(request).Files).Apply(force: false));
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void CollectorLevelInsertedBySetIsRemovedByteForByte()
    {
        using var dir = new TempDirectory();
        var path = dir.File("config.yaml");
        var original = "receivers:\n  otlp: # ours\n    protocols:\n      grpc:\nexporters:\n  debug:\nservice:\n  pipelines:\n    traces: {receivers: [otlp], exporters: [debug]}\n";
        File.WriteAllText(path, original);
        var request = Request(new Dictionary<string, string>(), OtlpSdk.Collector);
        request.CollectorConfigPath = path;
        Assert.True(Assert.Single(OtlpDebugLogging.PlanSet(request).Files).Apply(false));
        Assert.Equal(original + "  telemetry:\n    logs:\n      level: debug\n", File.ReadAllText(path));
        Assert.True(Assert.Single(OtlpDebugLogging.PlanClear(request).Files).Apply(false));
        Assert.Equal(original, File.ReadAllText(path));
    }

    [Fact]
    public void CollectorLevelAmongOtherSettingsGoesBackToInfo()
    {
        using var dir = new TempDirectory();
        var path = dir.File("config.yaml");
        File.WriteAllText(path, "service:\n  telemetry:\n    logs:\n      level: warn   # quiet\n      encoding: json\n  pipelines: {}\n");
        var request = Request(new Dictionary<string, string>(), OtlpSdk.Collector);
        request.CollectorConfigPath = path;
        var set = OtlpDebugLogging.PlanSet(request);
        Assert.Contains(set.Warnings, w => w.Contains("was 'warn'"));
        set.Files[0].Apply(false);
        Assert.Equal("service:\n  telemetry:\n    logs:\n      level: debug   # quiet\n      encoding: json\n  pipelines: {}\n", File.ReadAllText(path));
        OtlpDebugLogging.PlanClear(request).Files[0].Apply(false);
        Assert.Equal("service:\n  telemetry:\n    logs:\n      level: info   # quiet\n      encoding: json\n  pipelines: {}\n", File.ReadAllText(path));
        // Not debug any more: Clear leaves it alone.
        Assert.False(OtlpDebugLogging.PlanClear(request).Files[0].Apply(false));
    }

    [Fact]
    public void CollectorWithoutConfigFileGetsTheYamlToAdd()
    {
        var plan = OtlpDebugLogging.PlanSet(Request(new Dictionary<string, string>(), OtlpSdk.Collector));
        Assert.Equal("service:\n  telemetry:\n    logs:\n      level: debug\n", plan.CollectorYaml);
        Assert.Empty(plan.Changes);
    }

    [Fact]
    public void TheHelpPageTableIsTheEngineTable()
    {
        const string Start = "<!-- debug-settings:start -->";
        const string End = "<!-- debug-settings:end -->";
        var page = Path.Combine(RepoRoot(), "docs", "en-US", "Set-OtlpTlsEnvironment.md");
        var text = File.ReadAllText(page).Replace("\r\n", "\n");
        var from = text.IndexOf(Start, StringComparison.Ordinal) + Start.Length;
        var to = text.IndexOf(End, StringComparison.Ordinal);
        Assert.True(from > Start.Length - 1 && to > from, "the page has no debug-settings section");
        if (Environment.GetEnvironmentVariable("OTELTLS_WRITE_HELP") == "1")
        {
            File.WriteAllText(page, text.Substring(0, from) + "\n" + OtlpDebugSettings.HelpTable() + text.Substring(to));
            return;
        }

        Assert.Equal(OtlpDebugSettings.HelpTable(), text.Substring(from, to - from).TrimStart('\n'));
    }

    private static OtlpDebugLoggingRequest TargetRequest(OtlpEnvironmentTarget target, string? file, params OtlpSdk[] sdks) =>
        new() { Sdks = sdks.ToList(), Target = target, TargetFile = file };

    private static void Apply(OtlpEnvironmentTarget target, string? file, OtlpDebugLoggingPlan plan) =>
        OtlpEnvironmentTargets.Apply(target, file, OtlpDebugLogging.Combine(null, plan));

    /// <summary>Set for every runtime's variables, check them in the target, Clear, check they are gone.</summary>
    private static void RoundTrip(OtlpEnvironmentTarget target, string file, Func<IReadOnlyDictionary<string, string>> read)
    {
        Apply(target, file, OtlpDebugLogging.PlanSet(TargetRequest(target, file, AllSdks.Where(s => s is not OtlpSdk.Dotnet and not OtlpSdk.Collector).ToArray())));
        var written = read();
        Assert.Equal("-Djavax.net.debug=ssl:handshake", written["JAVA_TOOL_OPTIONS"]);
        Assert.Equal("tsi,handshaker", written["GRPC_TRACE"]);
        Assert.Equal("99", written["GRPC_GO_LOG_VERBOSITY_LEVEL"]);
        Apply(target, file, OtlpDebugLogging.PlanClear(TargetRequest(target, file)));
        Assert.DoesNotContain(read().Keys, k => OtlpDebugSettings.All.Any(s => s.Name == k));
    }

    private static string RepoRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "OtelTls.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new InvalidOperationException("OtelTls.sln not found above the test assembly.");
    }
}
