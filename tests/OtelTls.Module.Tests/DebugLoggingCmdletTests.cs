using System;
using System.IO;
using System.Linq;

namespace OtelTls.Module.Tests;

/// <summary>Set- and Clear-OtlpTlsEnvironment -DebugLogging as a PowerShell user drives them.</summary>
[Collection(ProcessEnvironmentCollection.Name)]
public sealed class DebugLoggingCmdletTests
{
    private const string Config =
        "receivers:\n  otlp:\n    protocols:\n      grpc:\nexporters:\n  debug:\nservice:\n  pipelines:\n    traces:\n      receivers: [otlp]\n      exporters: [debug]\n";

    [Fact]
    public void WhatIfWritesNoVariableNoFileAndLeavesTheCollectorConfig()
    {
        using var dir = new TempDirectory();
        using var session = new PowerShellSession();
        var env = dir.File("otel.env");
        File.WriteAllText(env, "KEEP=1\n");
        var config = dir.File("config.yaml");
        File.WriteAllText(config, Config);
        var result = session.Run(
            "Set-OtlpTlsEnvironment -DebugLogging -Sdk dotnet,java,node,collector -Target DotEnv -Path $args[0] -AppDirectory $args[1] -CollectorConfigPath $args[2] -TlsKeyLogFile $args[3] -WhatIf",
            env, dir.Path, config, dir.File("keys.log"));
        result.AssertNoErrors();
        Assert.Equal("KEEP=1\n", File.ReadAllText(env));
        Assert.Equal(Config, File.ReadAllText(config));
        Assert.False(File.Exists(dir.File("OTEL_DIAGNOSTICS.json")));
        Assert.Contains(result.Warnings, w => w.Contains("session secrets"));
    }

    [Fact]
    public void SetThenClearLeavesTheDotEnvTheAppFolderAndTheCollectorAsTheyWere()
    {
        using var dir = new TempDirectory();
        using var session = new PowerShellSession();
        var env = dir.File("otel.env");
        const string Before = "# app\nJAVA_TOOL_OPTIONS=-javaagent:/otel/agent.jar\nOTEL_EXPORTER_OTLP_ENDPOINT=https://collector:4318\n";
        File.WriteAllText(env, Before);
        var config = dir.File("config.yaml");
        File.WriteAllText(config, Config);
        session.Run("$null = $ExecutionContext.SessionState.Path.SetLocation($args[0])", dir.Path).AssertNoErrors();

        var set = session.Run(
            "Set-OtlpTlsEnvironment -DebugLogging -Sdk dotnet,java,collector -Target DotEnv -Path ./otel.env -CollectorConfigPath ./config.yaml",
            Array.Empty<object>());
        set.AssertNoErrors();
        var written = File.ReadAllText(env);
        Assert.Contains("JAVA_TOOL_OPTIONS='-javaagent:/otel/agent.jar -Djavax.net.debug=ssl:handshake'", written);
        Assert.Contains("OTEL_JAVAAGENT_DEBUG=true", written);
        Assert.Contains("\"LogLevel\": \"Verbose\"", File.ReadAllText(dir.File("OTEL_DIAGNOSTICS.json")));
        Assert.EndsWith("  telemetry:\n    logs:\n      level: debug\n", File.ReadAllText(config));

        var clear = session.Run(
            "Clear-OtlpTlsEnvironment -DebugLogging -Sdk dotnet,java,collector -Target DotEnv -Path ./otel.env -CollectorConfigPath ./config.yaml",
            Array.Empty<object>());
        clear.AssertNoErrors();
        Assert.Equal(Before, File.ReadAllText(env));
        Assert.Equal(Config, File.ReadAllText(config));
        Assert.False(File.Exists(dir.File("OTEL_DIAGNOSTICS.json")));
    }

    [Fact]
    public void DebugLoggingWithTlsSettingsWritesBothInOneGo()
    {
        using var dir = new TempDirectory();
        using var session = new PowerShellSession();
        var env = dir.File("otel.env");
        var result = session.Run(
            "Set-OtlpTlsEnvironment -Endpoint https://collector:4318 -Protocol http/protobuf -DebugLogging -Sdk node -Target DotEnv -Path $args[0]", env);
        result.AssertNoErrors();
        var lines = File.ReadAllLines(env);
        Assert.Equal(new[] { "OTEL_EXPORTER_OTLP_ENDPOINT=https://collector:4318", "OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf", "OTEL_LOG_LEVEL=debug", "NODE_DEBUG=tls" }, lines);
    }

    [Fact]
    public void CollectorWithoutConfigPathOutputsTheYaml()
    {
        using var session = new PowerShellSession();
        var result = session.Run("Set-OtlpTlsEnvironment -DebugLogging -Sdk collector", Array.Empty<object>());
        result.AssertNoErrors();
        Assert.Equal("service:\n  telemetry:\n    logs:\n      level: debug\n", Assert.Single(result.Output));
    }

    [Fact]
    public void AForeignDiagnosticsFileIsAnErrorWithItsIdAndNeedsForce()
    {
        using var dir = new TempDirectory();
        using var session = new PowerShellSession();
        File.WriteAllText(dir.File("OTEL_DIAGNOSTICS.json"), "{\"LogDirectory\": \"/var/log/app\", \"FileSize\": 1024, \"LogLevel\": \"Error\"}");
        var refused = session.Run("Set-OtlpTlsEnvironment -DebugLogging -Sdk dotnet -AppDirectory $args[0]", dir.Path);
        Assert.Equal("FileExists,OtelTls.Commands.SetOtlpTlsEnvironmentCommand", refused.SingleError().FullyQualifiedErrorId);
        session.Run("Set-OtlpTlsEnvironment -DebugLogging -Sdk dotnet -AppDirectory $args[0] -Force", dir.Path).AssertNoErrors();
        Assert.Contains("\"LogLevel\": \"Verbose\"", File.ReadAllText(dir.File("OTEL_DIAGNOSTICS.json")));
    }
}
