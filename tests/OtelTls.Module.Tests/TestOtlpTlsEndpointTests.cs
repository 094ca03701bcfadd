using System;
using System.Linq;
using System.Management.Automation;

namespace OtelTls.Module.Tests;

/// <summary>Test-OtlpTlsEndpoint and Get-OtlpCertificate -Endpoint as a PowerShell user runs them, against lab servers.</summary>
public class TestOtlpTlsEndpointTests
{
    [Fact]
    public void ManyEndpointsFromThePipelineGiveOneDiagnosisEachWithTheirFindings()
    {
        using var healthy = new LabProcess("healthy");
        using var mtls = new LabProcess("mtls-required");
        using var plaintext = new LabProcess("plaintext-http");
        using var session = new PowerShellSession();
        var result = session.Run("$args[0], $args[1], $args[2] | Test-OtlpTlsEndpoint -CaCertificate $args[3], $args[4] -TimeoutSec 5 -ThrottleLimit 2",
            healthy.Endpoint, mtls.Endpoint, plaintext.Endpoint, healthy.CaFile, mtls.CaFile);

        result.AssertNoErrors();
        Assert.Equal(3, result.Output.Count);
        var byEndpoint = result.Output.ToDictionary(d => Reflect.Get<string>(d, "Endpoint"));
        Assert.Equal("Healthy", Reflect.Get(byEndpoint[healthy.Endpoint], "Status")!.ToString());
        Assert.True(Reflect.Get<bool>(Reflect.Get(byEndpoint[healthy.Endpoint], "Otlp"), "Ran"));
        Assert.Equal("ClientCertificateRequired", FirstFinding(byEndpoint[mtls.Endpoint]));
        Assert.Equal("TlsNotEnabled", FirstFinding(byEndpoint[plaintext.Endpoint]));
        Reflect.IsType("OtelTls.OtlpTlsDiagnosis", result.Output[0]);
    }

    [Fact]
    public void ClientCertificateFromFilesSatisfiesMutualTls()
    {
        using var mtls = new LabProcess("mtls-required");
        using var session = new PowerShellSession();
        var result = session.Run("Test-OtlpTlsEndpoint $args[0] -CaCertificate $args[1] -ClientCertificate $args[2] -ClientKey $args[3] -Quiet",
            mtls.Endpoint, mtls.CaFile, mtls.ClientCertificateFile, mtls.ClientKeyFile);
        result.AssertNoErrors();
        Assert.True(result.Single<bool>());
    }

    [Fact]
    public void QuietAnswersABooleanAndBindsEndpointByPropertyName()
    {
        using var lab = new LabProcess("expired");
        using var session = new PowerShellSession();
        var result = session.Run("[pscustomobject]@{ Endpoint = $args[0] } | Test-OtlpTlsEndpoint -CaCertificate $args[1] -Quiet", lab.Endpoint, lab.CaFile);
        result.AssertNoErrors();
        Assert.False(result.Single<bool>());
    }

    [Fact]
    public void VerboseNarratesEachStepAndTheTableViewRenders()
    {
        using var lab = new LabProcess("healthy");
        using var session = new PowerShellSession();
        var result = session.Run("Import-Module -Assembly $args[2]; Test-OtlpTlsEndpoint $args[0] -CaCertificate $args[1] -Verbose | Out-String -Width 200",
            lab.Endpoint, lab.CaFile, typeof(Microsoft.PowerShell.Commands.OutStringCommand).Assembly);
        result.AssertNoErrors();
        Assert.Contains(result.Verbose, v => v.Contains("TCP: connected"));
        Assert.Contains(result.Verbose, v => v.Contains("Probe handshake: TLS 1.3"));
        Assert.Contains(result.Verbose, v => v.Contains("Version sweep"));
        Assert.Contains(result.Verbose, v => v.Contains("OTLP: empty"));
        var table = Assert.IsType<string>(Assert.Single(result.Output));
        Assert.Contains("Endpoint", table);
        Assert.Contains("Healthy", table);
        Assert.Contains(lab.Endpoint, table);
    }

    [Fact]
    public void AMalformedEndpointIsAnErrorForThatItemOnly()
    {
        using var lab = new LabProcess("healthy");
        using var session = new PowerShellSession();
        var result = session.Run("'grpc://nope:4317', $args[0] | Test-OtlpTlsEndpoint -CaCertificate $args[1] -SkipExport", lab.Endpoint, lab.CaFile);
        var error = result.SingleError();
        Assert.Equal("InvalidEndpoint,OtelTls.Commands.TestOtlpTlsEndpointCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Single(result.Output);
    }

    [Theory]
    [InlineData("-CaCertificate ./no-such-ca.crt", "FileNotFound", ErrorCategory.ObjectNotFound)]
    [InlineData("-ClientCertificate ./client.crt", "ClientCertificatePairIncomplete", ErrorCategory.InvalidArgument)]
    [InlineData("-ClientCertificate ./client.crt -ClientKey ./client.key", "FileNotFound", ErrorCategory.ObjectNotFound)]
    [InlineData("-TlsVersion Tls14", "CannotConvertArgumentNoMessage", ErrorCategory.InvalidArgument)]
    [InlineData("-Protocol grpcc", "CannotConvertArgumentNoMessage", ErrorCategory.InvalidArgument)]
    [InlineData("-CaCertificate ./garbage.crt", "PemInvalid", ErrorCategory.InvalidData)]
    [InlineData("-ClientCertificate ./garbage.crt -ClientKey ./garbage.crt", "PemInvalid", ErrorCategory.InvalidData)]
    public void UnusableInputStopsTheCommandWithAStableError(string arguments, string errorId, ErrorCategory category)
    {
        using var dir = new TempDirectory();
        System.IO.File.WriteAllText(dir.File("garbage.crt"), "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n");
        using var session = new PowerShellSession();
        var result = session.Run($"Test-OtlpTlsEndpoint 127.0.0.1:9 {arguments.Replace("./garbage.crt", dir.File("garbage.crt"))}");
        var error = result.SingleError();
        Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
        Assert.Equal(category, error.CategoryInfo.Category);
        Assert.Empty(result.Output);
    }

    [Fact]
    public void GetOtlpCertificateFromAnEndpointGivesTheChainAsSentAndPipesToTheChecker()
    {
        using var lab = new LabProcess("missing-intermediate");
        using var session = new PowerShellSession();
        var chain = session.Run("Get-OtlpCertificate -Endpoint $args[0]", lab.Endpoint);
        chain.AssertNoErrors();
        var leaf = Assert.Single(chain.Output);
        Assert.Equal(lab.Endpoint, Reflect.Get<string>(leaf, "Endpoint"));

        var check = session.Run("Get-OtlpCertificate -Endpoint $args[0] | Test-OtlpCertificate -CaCertificate $args[1]", lab.Endpoint, lab.CaFile);
        check.AssertNoErrors();
        var findings = (Array)Reflect.Get(Assert.Single(check.Output), "Findings")!;
        Assert.Contains(findings.Cast<object>(), f => Reflect.Get<string>(f, "Id") == "IncompleteChain");

        var refused = session.Run("Get-OtlpCertificate -Endpoint 127.0.0.1:9 -TimeoutSec 2");
        Assert.Equal("CertificateNotPresented,OtelTls.Commands.GetOtlpCertificateCommand", refused.SingleError().FullyQualifiedErrorId);
    }

    [Fact]
    public void FromEnvironmentDiagnosesWhatTheVariablesConfigureOncePerDistinctEndpoint()
    {
        using var lab = new LabProcess("healthy");
        using var dir = new TempDirectory();
        var dotenv = dir.File("otel.env");
        System.IO.File.WriteAllText(dotenv,
            $"OTEL_EXPORTER_OTLP_ENDPOINT=https://{lab.Endpoint}\nOTEL_EXPORTER_OTLP_PROTOCOL=grpc\nOTEL_EXPORTER_OTLP_CERTIFICATE={lab.CaFile}\n");
        using var session = new PowerShellSession();
        var result = session.Run("Test-OtlpTlsEndpoint -FromEnvironment -EnvironmentPath $args[0]", dotenv);
        result.AssertNoErrors();
        var diagnosis = Assert.Single(result.Output); // traces, metrics and logs share one configuration
        Assert.Equal("Healthy", Reflect.Get(diagnosis, "Status")!.ToString());

        System.IO.File.WriteAllText(dotenv, $"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=https://{lab.Endpoint}\nOTEL_EXPORTER_OTLP_TRACES_PROTOCOL=grpc\n");
        var untrusted = session.Run("Test-OtlpTlsEndpoint -FromEnvironment -EnvironmentPath $args[0] -Signal traces -SkipExport", dotenv);
        Assert.Equal("UnknownAuthority", FirstFinding(Assert.Single(untrusted.Output)));
    }

    [Fact]
    public void CtrlCStopsAFleetOfSilentServersPromptly()
    {
        using var silent = new LabProcess("silent");
        using var session = new PowerShellSession();
        var (stopping, finishedEarly) = session.RunAndStop("$e = $args[0]; 1..8 | ForEach-Object { $e } | Test-OtlpTlsEndpoint -TimeoutSec 60 -ThrottleLimit 4",
            TimeSpan.FromMilliseconds(1500), silent.Endpoint);
        Assert.False(finishedEarly, "the diagnoses of silent servers should still be waiting when Ctrl+C comes");
        Assert.True(stopping < TimeSpan.FromSeconds(3), $"stopping took {stopping.TotalSeconds:F1} s");
    }

    private static string FirstFinding(object? diagnosis) =>
        Reflect.Get<string>(((Array)Reflect.Get(diagnosis, "Findings")!).Cast<object>().First(), "Id");
}
