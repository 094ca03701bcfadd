using System.Linq;
using System.Management.Automation;

namespace OtelTls.Module.Tests;

public class ModuleImportTests
{
    [Fact]
    public void ModuleImportsAndExportsItsCmdlets()
    {
        using var session = new PowerShellSession();
        var result = session.Run("Get-Command -Module OtelTls | ForEach-Object Name");
        result.AssertNoErrors();
        Assert.Contains("Get-OtlpCertificate", result.Output.Cast<string>());
    }
}
