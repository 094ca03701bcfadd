using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using OtelTls.Lab;
using OtelTls.Module.Tests;

namespace OtelTls.SdkRoundTrip.Tests;

/// <summary>
/// What Set-OtlpTlsEnvironment writes is what a real exporter needs: the OpenTelemetry .NET OTLP exporter 1.15.3, configured
/// only by the dotenv file, sends a span over mutual TLS to the lab receiver, which checks the client certificate.
/// </summary>
public sealed class DotnetExporterRoundTripTests
{
    private static readonly TimeSpan ChildTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The SDK client on OpenTelemetry .NET 1.15.3 (the first release that reads the TLS variables).</summary>
    private const string Sdk1153 = "OtelTls.SdkClient";

    /// <summary>The same client on OpenTelemetry .NET 1.20.1.</summary>
    private const string SdkLatest = "OtelTls.SdkClient.Latest";

    private static async Task<LabScenario> StartMutualTlsLabAsync(TempDirectory dir) =>
        await LabScenario.StartAsync("mtls-required", new LabOptions
        {
            ServerCertificateFile = dir.File("server.crt"),
            ServerKeyFile = dir.File("server.key"),
            ClientCaFile = dir.File("ca.crt"),
        });

    [Theory]
    [InlineData("http/protobuf")]
    [InlineData("grpc")]
    public async Task SpanArrivesOverMutualTlsWithOnlyTheDotEnvConfiguration(string protocol)
    {
        using var dir = new TempDirectory();
        using var session = new PowerShellSession();
        MakePki(session, dir);
        await using var lab = await StartMutualTlsLabAsync(dir);

        var envFile = dir.File("otel.env");
        var set = session.Run(
            "$global:ca, $global:client | Set-OtlpTlsEnvironment -Target DotEnv -Path $args[0] -Endpoint $args[1] -Protocol $args[2] -Sdk dotnet",
            envFile, $"https://127.0.0.1:{lab.Port}", protocol);
        set.AssertNoErrors();
        Assert.Contains(set.Warnings, w => w.Contains("1.19.0"));
        var variables = ReadDotEnv(envFile);
        Assert.Equal(new[] { "OTEL_EXPORTER_OTLP_CERTIFICATE", "OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE", "OTEL_EXPORTER_OTLP_CLIENT_KEY", "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_PROTOCOL" },
            variables.Keys.OrderBy(k => k, StringComparer.Ordinal));

        var run = RunSdkClient(SdkLatest, variables, "roundtrip-" + protocol.Replace('/', '-'));
        Assert.True(run.ExitCode == 0, run.ToString());
        await WaitForAsync(() => lab.ReceivedTraceIds.Contains(run.TraceId));
        Assert.True(lab.ReceivedTraceIds.Contains(run.TraceId), $"Trace {run.TraceId} did not arrive. {run}");
    }

    /// <summary>
    /// Measured: OpenTelemetry .NET 1.15.3 (also 1.17.0 and 1.18.0; not 1.19.0 or 1.20.1) loads OTEL_EXPORTER_OTLP_CERTIFICATE with
    /// X509Certificate2.CreateFromPemFile(path), which wants a private key in the same file, and the exception escapes the
    /// provider build: the process dies at start-up. Set-OtlpTlsEnvironment -Sdk dotnet warns about exactly this.
    /// </summary>
    [Fact]
    public async Task DotnetExporter1153DiesAtStartUpOnACertificateOnlyCaFile()
    {
        using var dir = new TempDirectory();
        using var session = new PowerShellSession();
        MakePki(session, dir);
        await using var lab = await StartMutualTlsLabAsync(dir);
        var envFile = dir.File("otel.env");
        session.Run("$global:ca, $global:client | Set-OtlpTlsEnvironment -Target DotEnv -Path $args[0] -Endpoint $args[1] -Protocol http/protobuf",
            envFile, $"https://127.0.0.1:{lab.Port}").AssertNoErrors();

        var run = RunSdkClient(Sdk1153, ReadDotEnv(envFile), "roundtrip-1153");
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains($"Failed to load CA certificate from '{dir.File("ca.crt")}': The key contents do not contain a PEM, the content is malformed, or the key does not match the certificate.", run.StandardError);
        Assert.Equal(0, lab.ExportRequestCount);
    }

    /// <summary>
    /// Measured: with CLIENT_* but no CERTIFICATE the .NET exporter (1.15.3 and 1.20.1) checks the server certificate with
    /// revocation on, so a private CA without CRL or OCSP fails even when the CA is in the system store (SSL_CERT_FILE here).
    /// </summary>
    [Fact]
    public async Task DotnetExporterWithoutCaFileChecksRevocationAndFails()
    {
        using var dir = new TempDirectory();
        using var session = new PowerShellSession();
        MakePki(session, dir);
        await using var lab = await StartMutualTlsLabAsync(dir);
        var envFile = dir.File("client-only.env");
        session.Run("$global:client | Set-OtlpTlsEnvironment -Target DotEnv -Path $args[0] -Endpoint $args[1] -Protocol http/protobuf",
            envFile, $"https://127.0.0.1:{lab.Port}").AssertNoErrors();
        var variables = ReadDotEnv(envFile);
        variables["SSL_CERT_FILE"] = dir.File("ca.crt");

        var run = RunSdkClient(SdkLatest, variables, "roundtrip-client-only");
        Assert.Matches("^[0-9a-f]{32}$", run.TraceId);
        Assert.Contains("RevocationStatusUnknown", run.StandardError);
        Assert.DoesNotContain(run.TraceId, lab.ReceivedTraceIds);
    }

    [Fact]
    public async Task WithoutTheClientCertificateTheSameReceiverRejectsTheSpan()
    {
        using var dir = new TempDirectory();
        using var session = new PowerShellSession();
        MakePki(session, dir);
        await using var lab = await StartMutualTlsLabAsync(dir);

        var envFile = dir.File("ca-only.env");
        session.Run("$global:ca | Set-OtlpTlsEnvironment -Target DotEnv -Path $args[0] -Endpoint $args[1] -Protocol http/protobuf",
            envFile, $"https://127.0.0.1:{lab.Port}").AssertNoErrors();
        var run = RunSdkClient(SdkLatest, ReadDotEnv(envFile), "roundtrip-no-client-cert");
        Assert.Matches("^[0-9a-f]{32}$", run.TraceId);
        Assert.Contains("FailedToReachCollector", run.StandardError);
        Assert.DoesNotContain(run.TraceId, lab.ReceivedTraceIds);
    }

    /// <summary>
    /// SDK-FACTS §0, measured again here: when the collector's certificate comes from an intermediate, the .NET exporter uses only
    /// the first certificate of the CA file. A root-first bundle fails; the bundle -Sdk dotnet writes (issuing CA first) works.
    /// </summary>
    [Fact]
    public async Task DotnetNeedsTheIssuingCaFirstAndSdkDotnetWritesSuchABundle()
    {
        using var dir = new TempDirectory();
        using var session = new PowerShellSession();
        var pki = session.Run(
            "$root = New-OtlpCertificate -Type CA -CommonName 'RoundTrip Root' -Name root -OutputDirectory $args[0]; " +
            "$issuing = $root | New-OtlpCertificate -Type CA -CommonName 'RoundTrip Issuing' -Name issuing -OutputDirectory $args[0]; " +
            "$null = $issuing | New-OtlpCertificate -Type Server -DnsName localhost -IPAddress 127.0.0.1 -OutputDirectory $args[0]; " +
            "$global:client = $root | New-OtlpCertificate -Type Client -CommonName exporter -Name client -OutputDirectory $args[0]", dir.Path);
        pki.AssertNoErrors();
        File.WriteAllText(dir.File("bundle.pem"), File.ReadAllText(dir.File("root.crt")) + File.ReadAllText(dir.File("issuing.crt")));
        await using var lab = await LabScenario.StartAsync("mtls-required", new LabOptions
        {
            ServerCertificateFile = dir.File("server.crt"),
            ServerKeyFile = dir.File("server.key"),
            ClientCaFile = dir.File("root.crt"),
        });
        var endpoint = $"https://127.0.0.1:{lab.Port}";

        var plain = dir.File("plain.env");
        session.Run("$global:client | Set-OtlpTlsEnvironment -Target DotEnv -Path $args[0] -Endpoint $args[1] -Protocol http/protobuf -CaCertificate $args[2]",
            plain, endpoint, dir.File("bundle.pem")).AssertNoErrors();
        var failed = RunSdkClient(SdkLatest, ReadDotEnv(plain), "roundtrip-root-first");
        Assert.Contains("FailedToReachCollector", failed.StandardError);
        Assert.DoesNotContain(failed.TraceId, lab.ReceivedTraceIds);

        var tailored = dir.File("dotnet.env");
        var set = session.Run("$global:client | Set-OtlpTlsEnvironment -Target DotEnv -Path $args[0] -Endpoint $args[1] -Protocol http/protobuf -CaCertificate $args[2] -Sdk dotnet",
            tailored, endpoint, dir.File("bundle.pem"));
        set.AssertNoErrors();
        var variables = ReadDotEnv(tailored);
        Assert.Equal(dir.File("bundle.dotnet.pem"), variables["OTEL_EXPORTER_OTLP_CERTIFICATE"]);
        var run = RunSdkClient(SdkLatest, variables, "roundtrip-issuing-first");
        Assert.True(run.ExitCode == 0, run.ToString());
        await WaitForAsync(() => lab.ReceivedTraceIds.Contains(run.TraceId));
        Assert.True(lab.ReceivedTraceIds.Contains(run.TraceId), $"Trace {run.TraceId} did not arrive. {run}");
    }

    /// <summary>CA, server (127.0.0.1, localhost) and client from New-OtlpCertificate; $global:ca and $global:client keep the objects.</summary>
    internal static void MakePki(PowerShellSession session, TempDirectory dir)
    {
        var result = session.Run(
            "$global:ca = New-OtlpCertificate -Type CA -CommonName 'RoundTrip Root' -Name ca -OutputDirectory $args[0]; " +
            "$null = $global:ca | New-OtlpCertificate -Type Server -DnsName localhost -IPAddress 127.0.0.1 -OutputDirectory $args[0]; " +
            "$global:client = $global:ca | New-OtlpCertificate -Type Client -CommonName exporter -Name client -OutputDirectory $args[0]",
            dir.Path);
        result.AssertNoErrors();
    }

    /// <summary>KEY=value lines, read independently of the module's own parser.</summary>
    internal static Dictionary<string, string> ReadDotEnv(string path) =>
        File.ReadAllLines(path)
            .Where(l => l.Length > 0 && !l.StartsWith('#') && l.Contains('='))
            .ToDictionary(l => l[..l.IndexOf('=')], l => l[(l.IndexOf('=') + 1)..].Trim('\''));

    internal sealed record SdkRun(int ExitCode, string TraceId, string StandardOutput, string StandardError)
    {
        public override string ToString() => $"exit {ExitCode}; stdout: {StandardOutput.Trim()}; stderr: {StandardError.Trim()}";
    }

    /// <summary>Runs the SDK client with an environment that holds no OTEL_* variable except those given (in <paramref name="workingDirectory"/>, if given).</summary>
    internal static SdkRun RunSdkClient(string client, IReadOnlyDictionary<string, string> variables, string spanName, string? workingDirectory = null)
    {
        var (exitCode, stdout, stderr) = RunChild(DotnetHost(), $"\"{SdkClientPath(client)}\" {spanName}", variables, workingDirectory);
        var traceId = Regex.Match(stdout, "^[0-9a-f]{32}$", RegexOptions.Multiline).Value;
        return new SdkRun(exitCode, traceId, stdout, stderr);
    }

    /// <summary>
    /// Runs a program with only PATH, HOME and the .NET/OS basics of this process's environment plus <paramref name="variables"/>,
    /// bounded in time (killed with its tree when it overruns).
    /// </summary>
    internal static (int ExitCode, string Output, string Error) RunChild(string program, string arguments, IReadOnlyDictionary<string, string> variables,
        string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? string.Empty,
        };
        start.Environment.Clear();
        foreach (var name in new[] { "PATH", "HOME", "DOTNET_ROOT", "TMPDIR", "SYSTEMROOT", "USERPROFILE" })
        {
            var value = Environment.GetEnvironmentVariable(name);
            if (value is not null)
            {
                start.Environment[name] = value;
            }
        }

        foreach (var (name, value) in variables)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(ChildTimeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{program} {arguments}' did not finish within {ChildTimeout.TotalSeconds} s.");
        }

        process.WaitForExit();
        return (process.ExitCode, output.Result, error.Result);
    }

    internal static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
    }

    private static string DotnetHost()
    {
        var current = Environment.ProcessPath;
        if (current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet")
        {
            return current;
        }

        var root = Environment.GetEnvironmentVariable("DOTNET_ROOT");
        var candidate = root is null ? null : Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        return candidate is not null && File.Exists(candidate) ? candidate : "dotnet";
    }

    private static string SdkClientPath(string client)
    {
        // Same configuration as this test assembly: bin/<Configuration>/net10.0/.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar)).Parent!.Name;
        var path = Path.Combine(ModulePaths.RepoRoot, "tests", client, "bin", configuration, "net10.0", client + ".dll");
        Assert.True(File.Exists(path), $"The SDK client is not built at {path}.");
        return path;
    }
}
