using System.IO;
using System.Linq;
using OtelTls.Tests;
using Xunit;

namespace OtelTls.Module.Tests;

/// <summary>
/// The lab's openssl-made hostile PKIs through every certificate cmdlet in a real runspace: each verdict is a finding,
/// never an error record or a terminating exception, and -Quiet is False wherever openssl and SslStream refuse.
/// </summary>
public class HostilePkiCmdletTests
{
    [Theory]
    [Trait("Reliability", "HostilePki")]
    [InlineData("hostile-san-ip-5-bytes", "CertificateMalformed")]
    [InlineData("hostile-malformed-eku", "CertificateMalformed")]
    [InlineData("hostile-malformed-basic-constraints", "CertificateMalformed")]
    [InlineData("hostile-root-pathlen0", "PathLengthExceeded")]
    [InlineData("hostile-nc-excluded-dns", "NameConstraintViolation")]
    [InlineData("hostile-critical-extension", "UnhandledCriticalExtension")]
    public void Every_certificate_cmdlet_reports_a_hostile_chain_as_a_finding(string scenario, string finding)
    {
        using var lab = new LabProcess(scenario);
        using var session = new PowerShellSession();
        var serverFile = Path.Combine(Path.GetDirectoryName(lab.CaFile)!, "server.crt");
        var result = session.Run(
            "$fromFile = @(Get-OtlpCertificate -Path $args[2]); " +
            "$fromEndpoint = @(Get-OtlpCertificate -Endpoint $args[0]); " +
            "$offline = Test-OtlpCertificate -Path $args[2] -CaCertificate $args[1] -HostName 127.0.0.1 -Usage Server; " +
            "$piped = @($fromEndpoint | Test-OtlpCertificate -CaCertificate $args[1] -HostName 127.0.0.1 -Usage Server)[0]; " +
            "$online = Test-OtlpTlsEndpoint $args[0] -CaCertificate $args[1]; " +
            "$quiet = Test-OtlpTlsEndpoint $args[0] -CaCertificate $args[1] -Quiet; " +
            "$fromFile.Count; $fromEndpoint.Count; $offline.Status.ToString(); ($offline.Findings.Id -join ','); $piped.Status.ToString(); ($piped.Findings.Id -join ','); " +
            "$online.Status.ToString(); ($online.Findings.Id -join ','); $quiet; (Test-OtlpCertificate -Path $args[2] -CaCertificate $args[1] -HostName 127.0.0.1 -Quiet)",
            lab.Endpoint, lab.CaFile, serverFile);

        result.AssertNoErrors();
        var output = result.Output.Select(o => o?.ToString()).ToList();
        Assert.True((int)result.Output[0]! >= 2, string.Join(" | ", output));
        Assert.Equal(result.Output[0], result.Output[1]);
        Assert.Equal("Failed", output[2]);
        Assert.Contains(finding, output[3]);
        Assert.Equal("Failed", output[4]);
        Assert.Contains(finding, output[5]);
        Assert.Equal("Failed", output[6]);
        Assert.Contains(finding, output[7]);
        Assert.Equal(false, result.Output[8]);
        Assert.Equal(false, result.Output[9]);
    }
}
