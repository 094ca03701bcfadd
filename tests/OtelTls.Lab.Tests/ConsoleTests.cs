using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace OtelTls.Lab.Tests;

/// <summary>The lab's console, run as a person runs it (the built OtelTls.Lab.dll next to the tests).</summary>
public sealed class ConsoleTests
{
    private static readonly string LabDll = Path.Combine(AppContext.BaseDirectory, "OtelTls.Lab.dll");

    [Fact]
    public async Task ListPrintsOneLinePerScenarioWithItsExpectedFinding()
    {
        var result = await Tool.RunAsync("dotnet", new[] { LabDll, "--list" });
        Assert.Equal(0, result.ExitCode);
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(LabScenario.All.Count, lines.Length);
        foreach (var (info, line) in LabScenario.All.Zip(lines))
        {
            var columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(info.Name, columns[0]);
            Assert.Equal(info.ExpectedFindingId ?? "(healthy)", columns[1]);
        }
    }

    [Fact]
    public async Task UnknownScenarioFailsWithTheKnownNames()
    {
        var result = await Tool.RunAsync("dotnet", new[] { LabDll, "--scenario", "nope" });
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("mtls-required", result.Output);
    }

    [Fact]
    [Trait("Reliability", "Secret")]
    public Task ScenarioStopsOnSigterm() => RunScenarioAndSignalAsync("TERM");

    [Fact]
    [Trait("Reliability", "Secret")]
    public Task A_lab_whose_terminal_closes_SIGHUP_removes_its_key_folder() => RunScenarioAndSignalAsync("HUP");

    [Fact]
    [Trait("Reliability", "Secret")]
    public Task A_lab_stopped_with_SIGQUIT_removes_its_key_folder() => RunScenarioAndSignalAsync("QUIT");

    [Fact]
    [Trait("Reliability", "Secret")]
    public Task ScenarioRunsInTheForegroundPrintsItsFilesAndStopsOnCtrlC() => RunScenarioAndSignalAsync("INT");

    private static async Task RunScenarioAndSignalAsync(string signal)
    {
        int port;
        using (var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        }

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { LabDll, "--scenario", "mtls-required", "--port", port.ToString() })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        try
        {
            var printed = new Dictionary<string, string>();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            string? line;
            while ((line = await process.StandardOutput.ReadLineAsync(timeout.Token)) is not null && !line.StartsWith("Running", StringComparison.Ordinal))
            {
                if (line.Length > 12)
                {
                    printed[line[..12].Trim()] = line[12..];
                }
            }

            Assert.Equal($"127.0.0.1:{port}", printed["Endpoint"]);
            Assert.True(File.Exists(printed["CA file"]));
            Assert.True(File.Exists(printed["Client cert"]));
            Assert.True(File.Exists(printed["Client key"]));
            Assert.Contains("ClientCertificateRequired", printed["Expect"]);
            Assert.Contains($"Test-OtlpTlsEndpoint 127.0.0.1:{port}", printed["Diagnose"]);
            Assert.Contains("openssl s_client", printed["By hand"]);

            // It is live: the machine's openssl sees the certificate request naming the lab root.
            var openssl = await Tool.RunAsync("openssl", new[] { "s_client", "-connect", $"127.0.0.1:{port}", "-CAfile", printed["CA file"] });
            Assert.Contains("Acceptable client certificate CA names", openssl.Output);

            // Ctrl+C (SIGINT) or SIGTERM stops it cleanly and removes its files.
            var kill = await Tool.RunAsync("kill", new[] { "-" + signal, process.Id.ToString() });
            Assert.Equal(0, kill.ExitCode);
            var rest = await process.StandardOutput.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            Assert.Equal(0, process.ExitCode);
            Assert.Contains("Stopping.", rest);
            Assert.False(Directory.Exists(Path.GetDirectoryName(printed["CA file"])));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
