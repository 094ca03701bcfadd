using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace OtelTls.Module.Tests;

/// <summary>A fresh runspace with the built module imported, the way a user's session has it.</summary>
public sealed class PowerShellSession : IDisposable
{
    private readonly Runspace _runspace;

    public PowerShellSession(bool importModule = true)
    {
        var state = InitialSessionState.CreateDefault2();
        _runspace = RunspaceFactory.CreateRunspace(state);
        _runspace.Open();
        if (importModule)
        {
            Run("Import-Module -Name $args[0] -ErrorAction Stop", ModulePaths.Manifest);
        }
    }

    /// <summary>Runs a script; terminating errors throw, non-terminating ones are collected.</summary>
    public PowerShellResult Run(string script, params object?[] arguments)
    {
        using var shell = PowerShell.Create();
        shell.Runspace = _runspace;
        shell.AddScript(script);
        foreach (var argument in arguments)
        {
            shell.AddArgument(argument);
        }

        var output = shell.Invoke();
        return new PowerShellResult(
            output.Select(o => o?.BaseObject).ToList(),
            shell.Streams.Error.ToList(),
            shell.Streams.Warning.Select(w => w.Message).ToList(),
            shell.Streams.Verbose.Select(v => v.Message).ToList(),
            shell.Streams.Information.ToList());
    }

    /// <summary>Starts a script and stops it (as Ctrl+C does) after <paramref name="stopAfter"/>; returns how long stopping took.</summary>
    public (TimeSpan Stopping, bool FinishedBeforeStop) RunAndStop(string script, TimeSpan stopAfter, params object?[] arguments)
    {
        using var shell = PowerShell.Create();
        shell.Runspace = _runspace;
        shell.AddScript(script);
        foreach (var argument in arguments)
        {
            shell.AddArgument(argument);
        }

        var running = shell.BeginInvoke();
        var finished = running.AsyncWaitHandle.WaitOne(stopAfter);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        shell.Stop();
        return (watch.Elapsed, finished);
    }

    public void Dispose() => _runspace.Dispose();
}

public sealed record PowerShellResult(IReadOnlyList<object?> Output, IReadOnlyList<ErrorRecord> Errors,
    IReadOnlyList<string> Warnings, IReadOnlyList<string> Verbose, IReadOnlyList<InformationRecord>? Information = null)
{
    /// <summary>What reached the host as Write-Host output (information records tagged PSHOST).</summary>
    public IReadOnlyList<string> HostLines =>
        (Information ?? Array.Empty<InformationRecord>()).Where(i => i.Tags.Contains("PSHOST")).Select(i => i.MessageData.ToString()!).ToList();

    public T Single<T>() => Assert.IsType<T>(Assert.Single(Output));

    public IEnumerable<T> OfType<T>() => Output.OfType<T>();

    public ErrorRecord SingleError() => Assert.Single(Errors);

    public void AssertNoErrors() =>
        Assert.True(Errors.Count == 0, "Unexpected errors: " + string.Join(" | ", Errors.Select(e => $"{e.FullyQualifiedErrorId}: {e}")));
}

public static class ModulePaths
{
    public static string RepoRoot => LabProcess.RepoRoot;

    public static string ModuleDirectory => Path.Combine(RepoRoot, "out", "OtelTls");

    public static string Manifest => Path.Combine(ModuleDirectory, "OtelTls.psd1");
}

/// <summary>
/// Reads properties of module output by name. The tests do not reference OtelTls.Models, so the only copy in the
/// process is the one the module loads, exactly as in a user's session.
/// </summary>
public static class Reflect
{
    public static object? Get(object? instance, string property)
    {
        Assert.NotNull(instance);
        var info = instance!.GetType().GetProperty(property) ?? throw new Xunit.Sdk.XunitException($"{instance.GetType()} has no property {property}.");
        return info.GetValue(instance);
    }

    public static T Get<T>(object? instance, string property) => (T)Get(instance, property)!;

    public static void IsType(string fullName, object? instance)
    {
        Assert.NotNull(instance);
        Assert.Equal(fullName, instance!.GetType().FullName);
    }
}
