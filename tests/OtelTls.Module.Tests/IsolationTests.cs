using System;
using System.IO;
using System.Linq;
using System.Runtime.Loader;

namespace OtelTls.Module.Tests;

/// <summary>
/// The engine's packages must not collide with other modules' copies (Az, Graph, Posh-ACME ship BouncyCastle too).
/// The test host itself references BouncyCastle.Cryptography 2.4.0, so an older copy sits in the default context
/// before the module is imported.
/// </summary>
public class IsolationTests
{
    [Fact]
    public void CmdletsWorkWithAnOlderBouncyCastleAlreadyLoaded()
    {
        // Load the old copy into the default context first, as another module would have.
        var older = typeof(Org.BouncyCastle.Security.SecureRandom).Assembly;
        Assert.Equal(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(older));
        Assert.StartsWith("2.4.", FileVersion(older.Location));

        using var dir = new TempDirectory();
        var (cert, _) = OpenSsl.SelfSigned(dir, "iso");
        using var session = new PowerShellSession();
        var result = session.Run("Get-OtlpCertificate -LiteralPath $args[0]", cert);
        result.AssertNoErrors();
        var certificate = Assert.Single(result.Output);
        Reflect.IsType("OtelTls.OtlpCertificate", certificate);
        Assert.Equal("CN=localhost", Reflect.Get(certificate, "Subject"));

        var bouncyCastles = AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => a.GetName().Name == "BouncyCastle.Cryptography")
            .ToList();
        Assert.True(bouncyCastles.Count >= 2, "Both BouncyCastle copies should be loaded side by side.");
        var ours = bouncyCastles.Single(a => a.Location.Contains(Path.Combine("out", "OtelTls")));
        Assert.Equal("OtelTls", AssemblyLoadContext.GetLoadContext(ours)!.Name);
        Assert.StartsWith("2.7.", FileVersion(ours.Location));
    }

    [Fact]
    public void NothingFromDepsLoadsIntoTheDefaultContext()
    {
        using var dir = new TempDirectory();
        var (cert, _) = OpenSsl.SelfSigned(dir, "deps");
        using var session = new PowerShellSession();
        session.Run("Get-OtlpCertificate -LiteralPath $args[0]", cert).AssertNoErrors();

        var depsDirectory = Path.Combine(ModulePaths.ModuleDirectory, "bin", "net8.0", "deps");
        foreach (var assembly in AssemblyLoadContext.Default.Assemblies.Where(a => !a.IsDynamic && a.Location.Length > 0))
        {
            Assert.False(assembly.Location.StartsWith(depsDirectory, StringComparison.Ordinal),
                $"{assembly.Location} is in the default load context.");
        }

        var models = AppDomain.CurrentDomain.GetAssemblies().Where(a => a.GetName().Name == "OtelTls.Models").ToList();
        Assert.Single(models);
        Assert.Equal(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(models[0]));
    }

    [Fact]
    public void ModelTypesResolveFromScript()
    {
        using var session = new PowerShellSession();
        var result = session.Run("[OtelTls.OtlpFindingId]::HostnameMismatch; [OtelTls.OtlpSeverity]::Error -as [int]");
        result.AssertNoErrors();
        Assert.Equal(new object?[] { "HostnameMismatch", 2 }, result.Output);
    }

    private static string FileVersion(string path) => System.Diagnostics.FileVersionInfo.GetVersionInfo(path).FileVersion ?? "";
}
