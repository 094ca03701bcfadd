using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;

namespace OtelTls.Tests;

/// <summary>
/// One lab scenario in a child process (`OtelTls.Lab --scenario name`), read from the lines it prints; killed on dispose.
/// A child process keeps the lab's engine and BouncyCastle out of this process, where the module must load its own.
/// </summary>
public sealed class LabProcess : IDisposable
{
    private readonly Process _process;
    private readonly Dictionary<string, string> _lines = new(StringComparer.Ordinal);

    public LabProcess(string scenario)
    {
        Name = scenario;
        var lab = Path.Combine(RepoRoot, "tests", "OtelTls.Lab", "bin", Configuration, "net10.0", "OtelTls.Lab.dll");
        _process = Process.Start(new ProcessStartInfo("dotnet", $"\"{lab}\" --scenario {scenario}")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        })!;
        // Generous: hostile scenarios run openssl a dozen times, and CI runs test assemblies side by side on 2 cores.
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            var read = _process.StandardOutput.ReadLineAsync();
            if (!read.Wait(deadline - DateTime.UtcNow) || read.Result is null)
            {
                break;
            }

            if (read.Result.StartsWith("Running", StringComparison.Ordinal))
            {
                return;
            }

            foreach (var label in Labels)
            {
                if (read.Result.StartsWith(label + " ", StringComparison.Ordinal))
                {
                    _lines[label] = read.Result.Substring(label.Length).Trim();
                }
            }
        }

        // Read what it said before killing it: the process object cannot be read after Dispose.
        var stderr = _process.HasExited ? _process.StandardError.ReadToEnd() : "(no 'Running' line within the start deadline)";
        Dispose();
        throw new InvalidOperationException($"The lab scenario '{scenario}' did not start: {stderr}");
    }

    private static readonly string[] Labels = { "Endpoint", "CA file", "Client cert", "Client key" };

    /// <summary>The checkout this program was built in (the folder holding OtelTls.sln).</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    private static string FindRepoRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "OtelTls.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("OtelTls.sln not found above " + AppContext.BaseDirectory);
    }

    private static string Configuration => AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}") ? "Debug" : "Release";

    public string Endpoint => _lines["Endpoint"];

    /// <summary>The lab's process id.</summary>
    public int ProcessId => _process.Id;

    public string CaFile => _lines["CA file"];

    public string ClientCertificateFile => _lines["Client cert"];

    public string ClientKeyFile => _lines["Client key"];

    /// <summary>The scenario's name.</summary>
    public string Name { get; private set; } = string.Empty;

    /// <summary>
    /// Stops the lab as a user would (SIGTERM), so it deletes its folder of keys itself; a lab that does not stop within
    /// 5 s is killed and its folder deleted here.
    /// </summary>
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                if (OperatingSystem.IsWindows() || kill(_process.Id, SIGTERM) != 0 || !_process.WaitForExit(5000))
                {
                    _process.Kill(entireProcessTree: true);
                }
            }

            _process.WaitForExit(5000);
        }
        finally
        {
            _process.Dispose();
            if (_lines.TryGetValue("CA file", out var caFile) && Path.GetDirectoryName(caFile) is { } folder
                && Path.GetFileName(folder).StartsWith("oteltls-lab-", StringComparison.Ordinal) && Directory.Exists(folder))
            {
                try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            }
        }
    }

    private const int SIGTERM = 15;

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
