using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using OtelTls.Lab;
using OtelTls.Module.Tests;

namespace OtelTls.SdkRoundTrip.Tests;

/// <summary>
/// The issue's proof for -DebugLogging: real exporters configured only by what Set-OtlpTlsEnvironment wrote (a dotenv
/// file, and OTEL_DIAGNOSTICS.json beside the .NET app) fail against the lab's private-ca scenario (no CA file given, so
/// the collector's root is unknown) and show the TLS detail in their debug output; without the debug settings the same
/// run shows none of it.
/// </summary>
public sealed class DebugLoggingRoundTripTests
{
    [Fact]
    public async Task DotnetExporterWritesTheTlsFailureToItsSelfDiagnosticsLog()
    {
        using var dir = new TempDirectory();
        using var session = new PowerShellSession();
        await using var lab = await LabScenario.StartAsync("private-ca");
        var app = Directory.CreateDirectory(dir.File("app")).FullName;
        var envFile = dir.File("otel.env");
        var set = session.Run(
            "Set-OtlpTlsEnvironment -Target DotEnv -Path $args[0] -Endpoint $args[1] -Protocol http/protobuf -DebugLogging -Sdk dotnet -AppDirectory $args[2]",
            envFile, $"https://127.0.0.1:{lab.Port}", app);
        set.AssertNoErrors();
        Assert.True(File.Exists(Path.Combine(app, "OTEL_DIAGNOSTICS.json")));

        var run = DotnetExporterRoundTripTests.RunSdkClient("OtelTls.SdkClient.Latest", DotnetExporterRoundTripTests.ReadDotEnv(envFile), "debug-logging", app);
        Assert.Matches("^[0-9a-f]{32}$", run.TraceId);
        var log = string.Concat(Directory.GetFiles(app, "*.log").Select(f => File.ReadAllText(f).Replace("\0", string.Empty)));
        Assert.True(log.Contains("UntrustedRoot", StringComparison.Ordinal) || log.Contains("PartialChain", StringComparison.Ordinal),
            $"The self-diagnostics log does not name the chain error. Log: {log.Trim()} Run: {run}");
        Assert.Contains("SSL connection could not be established", log);

        // The same exporter and receiver without the diagnostics file: no log at all.
        var plain = Directory.CreateDirectory(dir.File("plain")).FullName;
        DotnetExporterRoundTripTests.RunSdkClient("OtelTls.SdkClient.Latest", DotnetExporterRoundTripTests.ReadDotEnv(envFile), "no-debug-logging", plain);
        Assert.Empty(Directory.GetFiles(plain, "*.log"));
    }

    [Fact]
    public async Task NodeShowsItsTlsDebugLinesAndTheVerifyError()
    {
        Assert.True(OnPath("node"), "node is not installed (CI installs nodejs)");
        using var dir = new TempDirectory();
        using var session = new PowerShellSession();
        await using var lab = await LabScenario.StartAsync("private-ca");
        var envFile = dir.File("otel.env");
        session.Run(
            "Set-OtlpTlsEnvironment -Target DotEnv -Path $args[0] -Endpoint $args[1] -Protocol http/protobuf -DebugLogging -Sdk node",
            envFile, $"https://127.0.0.1:{lab.Port}").AssertNoErrors();
        var variables = DotnetExporterRoundTripTests.ReadDotEnv(envFile);
        Assert.Equal("tls", variables["NODE_DEBUG"]);

        // An OTLP/HTTP export the way the JS exporter sends it: POST to <endpoint>/v1/traces, endpoint from the environment.
        var script = dir.File("export.js");
        await File.WriteAllTextAsync(script,
            "const https=require('https');\n" +
            "const url=new URL('v1/traces',process.env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\\/?$/,'/'));\n" +
            "const req=https.request(url,{method:'POST',timeout:6000,headers:{'content-type':'application/x-protobuf'}},res=>{res.resume();res.on('end',()=>process.exit(0));});\n" +
            "req.on('error',e=>{console.error('export failed: '+e.message);process.exit(1);});req.on('timeout',()=>{console.error('timeout');req.destroy();});req.end(new Uint8Array(0));\n");

        var debug = RunNode(script, variables);
        Assert.Equal(1, debug.ExitCode);
        Assert.Contains("export failed: unable to get local issuer certificate", debug.Error);
        Assert.Matches(new Regex(@"^TLS \d+: client", RegexOptions.Multiline), debug.Error);
        Assert.Matches(new Regex(@"^TLS \d+: client onhandshakedone", RegexOptions.Multiline), debug.Error);

        var withoutDebug = variables.Where(v => v.Key is not "NODE_DEBUG" and not "OTEL_LOG_LEVEL").ToDictionary(v => v.Key, v => v.Value);
        var plain = RunNode(script, withoutDebug);
        Assert.Contains("export failed: unable to get local issuer certificate", plain.Error);
        Assert.DoesNotMatch(new Regex(@"^TLS \d+:", RegexOptions.Multiline), plain.Error);
    }

    private static (int ExitCode, string Error) RunNode(string script, IReadOnlyDictionary<string, string> variables)
    {
        var (exitCode, output, error) = DotnetExporterRoundTripTests.RunChild("node", $"\"{script}\"", variables);
        return (exitCode, error + output);
    }

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator).Any(d => File.Exists(Path.Combine(d, tool)));
}
