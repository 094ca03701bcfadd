using System;
using System.Linq;
using System.Management.Automation;

namespace OtelTls.Module.Tests;

/// <summary>Bad names and endpoints reach the user as errors with a stable id and the right category, not .NET exceptions.</summary>
public sealed class InputValidationTests
{
    [Theory]
    [Trait("Reliability", "BadInput")]
    [InlineData("Test-OtlpTlsEndpoint -Endpoint 127.0.0.1:9 -ServerName \"collector`r`nX-Injected: 1\"")]
    [InlineData("Test-OtlpTlsEndpoint -Endpoint 127.0.0.1:9 -ServerName ('a' * 300)")]
    [InlineData("Send-OtlpTestSpan -Endpoint 127.0.0.1:9 -ServerName \"collector`r`n\"")]
    [InlineData("Get-OtlpCertificate -Endpoint 127.0.0.1:9 -ServerName ('a' * 300)")]
    public void A_bad_ServerName_is_InvalidServerName_with_category_InvalidArgument(string command)
    {
        using var session = new PowerShellSession();
        var error = Error(session, command);
        Assert.StartsWith("InvalidServerName", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
    }

    [Fact]
    [Trait("Reliability", "BadInput")]
    public void A_CommonName_over_64_characters_is_InvalidCommonName_and_writes_nothing()
    {
        using var session = new PowerShellSession();
        using var dir = new OtelTls.Tests.TempDirectory();
        var error = Error(session, $"New-OtlpCertificate -Type CA -CommonName ('c' * 65) -OutputDirectory '{dir.Path}'");
        Assert.StartsWith("InvalidCommonName", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Empty(System.IO.Directory.GetFiles(dir.Path));
    }

    [Fact]
    [Trait("Reliability", "BadInput")]
    public void A_bare_port_endpoint_is_EndpointHostMissing_naming_localhost()
    {
        using var session = new PowerShellSession();
        var error = Error(session, "Test-OtlpTlsEndpoint -Endpoint 4317");
        Assert.StartsWith("EndpointHostMissing", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains("localhost:4317", error.ErrorDetails?.RecommendedAction ?? error.Exception.Message + error);
    }

    [Fact]
    [Trait("Reliability", "BadInput")]
    public void A_FIFO_as_CaCertificate_is_NotARegularFile_at_once()
    {
        using var session = new PowerShellSession();
        using var dir = new OtelTls.Tests.TempDirectory();
        var fifo = dir.File("ca.pem");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", fifo))
        {
            Assert.True(mkfifo.WaitForExit(10_000));
        }

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var error = Error(session, $"Test-OtlpCertificate -Path '{fifo}'");
        Assert.StartsWith("NotARegularFile", error.FullyQualifiedErrorId);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10));
    }

    private static ErrorRecord Error(PowerShellSession session, string command)
    {
        // Terminating or not, the first error is what the user sees.
        try
        {
            var result = session.Run(command + " -ErrorAction Continue");
            return Assert.Single(result.Errors.Take(1));
        }
        catch (RuntimeException exception)
        {
            return exception.ErrorRecord;
        }
    }
}
