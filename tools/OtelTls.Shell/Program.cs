using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using OtelTls.Tests;

namespace OtelTls.Shell;

/// <summary>
/// <c>dotnet run --project tools/OtelTls.Shell -- [--lab scenario] 'script'</c>: runs the script in a PowerShell 7.6
/// runspace with OtelTls imported from out/OtelTls, and prints what it returns as a console would. With --lab, a TLS lab
/// scenario runs in a child process for the script's duration and <c>$Lab</c> holds its Endpoint, CaFile,
/// ClientCertificateFile and ClientKeyFile.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var labIndex = Array.IndexOf(args, "--lab");
        var scenario = labIndex >= 0 && labIndex + 1 < args.Length ? args[labIndex + 1] : null;
        var script = string.Join(" ", args.Where((_, i) => labIndex < 0 || (i != labIndex && i != labIndex + 1)));
        if (script.Trim().Length == 0)
        {
            Console.Error.WriteLine("usage: OtelTls.Shell [--lab <scenario>] '<PowerShell script>'");
            Console.Error.WriteLine("  e.g. --lab missing-intermediate 'Test-OtlpTlsEndpoint $Lab.Endpoint -CaCertificate $Lab.CaFile | Format-List'");
            return 2;
        }

        using var lab = scenario is null ? null : new LabProcess(scenario);
        var state = InitialSessionState.CreateDefault2();
        using var runspace = RunspaceFactory.CreateRunspace(state);
        runspace.Open();
        runspace.SessionStateProxy.SetVariable("Lab", lab);
        using var shell = PowerShell.Create();
        shell.Runspace = runspace;
        // Format-*, Out-String, Select-Object (Utility) and Get-ChildItem, Get-Content (Management), as pwsh has them.
        shell.AddScript("Import-Module -Assembly $args[0]; Import-Module -Assembly $args[1]; Import-Module -Name $args[2] -ErrorAction Stop")
            .AddArgument(typeof(Microsoft.PowerShell.Commands.OutStringCommand).Assembly)
            .AddArgument(typeof(Microsoft.PowerShell.Commands.GetChildItemCommand).Assembly)
            .AddArgument(Path.Combine(LabProcess.RepoRoot, "out", "OtelTls", "OtelTls.psd1"));
        try
        {
            shell.Invoke();
        }
        catch (RuntimeException exception)
        {
            Console.Error.WriteLine($"The module could not be imported (build it first: dotnet build OtelTls.sln -c Release): {exception.Message}");
            return 1;
        }

        shell.Commands.Clear();
        if (lab is not null)
        {
            Console.WriteLine($"# lab scenario '{scenario}' at {lab.Endpoint} (CA {lab.CaFile})");
        }

        shell.AddScript("& {\n" + script + "\n} | Out-String -Width 160 -Stream");
        var output = new PSDataCollection<PSObject>();
        output.DataAdded += (_, e) => Console.WriteLine(output[e.Index]);
        shell.Streams.Verbose.DataAdded += (_, e) => Console.WriteLine("VERBOSE: " + shell.Streams.Verbose[e.Index].Message);
        shell.Streams.Warning.DataAdded += (_, e) => Console.WriteLine("WARNING: " + shell.Streams.Warning[e.Index].Message);
        shell.Streams.Error.DataAdded += (_, e) => Console.Error.WriteLine(shell.Streams.Error[e.Index] + " (" + shell.Streams.Error[e.Index].FullyQualifiedErrorId + ")");
        try
        {
            shell.Invoke(null, output);
        }
        catch (RuntimeException exception)
        {
            Console.Error.WriteLine(exception.ErrorRecord + " (" + exception.ErrorRecord.FullyQualifiedErrorId + ")");
            return 1;
        }

        return shell.HadErrors ? 1 : 0;
    }
}
