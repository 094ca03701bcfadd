using System;
using System.Diagnostics;
using System.IO;
using System.Linq;

namespace OtelTls.Tests;

/// <summary>
/// The real PowerShell 7 the cross-process tests start: the repository's pinned tool (`dotnet pwsh`, the one the README
/// and CI use), else a pwsh on PATH or in ~/.dotnet/tools. Never absent in silence: a test that needs it and finds none
/// fails with the command that fixes it, so a machine without pwsh cannot turn those tests into passes.
/// </summary>
public static class RealPwsh
{
    private static readonly Lazy<Func<ProcessStartInfo>?> Locate = new(Find);

    /// <summary>A start description for pwsh with these arguments (working directory: the repository root).</summary>
    public static ProcessStartInfo Start(params string[] arguments)
    {
        var factory = Locate.Value ?? throw new InvalidOperationException(
            "No PowerShell 7 found for a cross-process test: run `dotnet tool restore` in the repository (the manifest pins pwsh 7.6.9).");
        var start = factory();
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        return start;
    }

    private static Func<ProcessStartInfo>? Find()
    {
        var root = RepoRoot();
        if (root is not null && Answers("dotnet", root, "pwsh", "-NoProfile", "-NonInteractive", "-Command", "exit 0"))
        {
            return () =>
            {
                var start = new ProcessStartInfo("dotnet") { WorkingDirectory = root };
                start.ArgumentList.Add("pwsh");
                return start;
            };
        }

        var home = Environment.GetEnvironmentVariable("HOME") ?? "/root";
        var file = new[] { Path.Combine(home, ".dotnet", "tools", "pwsh") }
            .Concat((Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Select(p => Path.Combine(p, "pwsh")))
            .FirstOrDefault(File.Exists);
        return file is null ? null : () => new ProcessStartInfo(file) { WorkingDirectory = root ?? Environment.CurrentDirectory };
    }

    private static bool Answers(string file, string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(120_000))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }

            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static string? RepoRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "OtelTls.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName;
    }
}
