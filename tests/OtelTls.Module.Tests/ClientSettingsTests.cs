using System;
using System.IO;
using System.Linq;
using System.Management.Automation;

namespace OtelTls.Module.Tests;

/// <summary>
/// The exporter settings the client cmdlets share (trust, client certificate and key, headers, relative paths), as a
/// user meets them: one checked set, the same answer from every cmdlet.
/// </summary>
public sealed class ClientSettingsTests
{
    [Theory]
    [InlineData("")]
    [InlineData("-SkipExport")]
    public void ABadHeaderIsAnErrorBeforeAnyDiagnosisWithOrWithoutSkipExport(string skipExport)
    {
        using var lab = new LabProcess("healthy");
        using var session = new PowerShellSession();
        var result = session.Run($"Test-OtlpTlsEndpoint $args[0] -CaCertificate $args[1] -Header @{{ 'Bad Name' = 'v' }} {skipExport} -Verbose", lab.Endpoint, lab.CaFile);
        var error = result.SingleError();
        Assert.Equal("InvalidHeaderName,OtelTls.Commands.TestOtlpTlsEndpointCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains("'Bad Name'", error.Exception.Message);
        Assert.Empty(result.Output); // no diagnosis ran, so none can say Healthy
        // Refused before anything connects: not after a whole diagnosis whose result is then dropped.
        Assert.DoesNotContain(result.Verbose, v => v.Contains("DNS: ", StringComparison.Ordinal) || v.Contains("TCP: ", StringComparison.Ordinal));
    }

    [Fact]
    public void AHeaderTheEndpointsProtocolCannotCarryIsAnErrorForThatEndpointOnly()
    {
        using var lab = new LabProcess("healthy");
        using var session = new PowerShellSession();
        var result = session.Run("$args[0], $args[1] | Test-OtlpTlsEndpoint -CaCertificate $args[2] -Header @{ 'trace-bin' = 'v' } -SkipExport",
            lab.Endpoint, $"https://{lab.Endpoint}/v1/traces", lab.CaFile);
        var error = result.SingleError(); // gRPC metadata ending in -bin is binary; HTTP takes it as text
        Assert.Equal("InvalidHeaderName,OtelTls.Commands.TestOtlpTlsEndpointCommand", error.FullyQualifiedErrorId);
        Assert.Equal("Healthy", Reflect.Get(Assert.Single(result.Output), "Status")!.ToString());
    }

    [Theory]
    [InlineData("Test-OtlpTlsEndpoint", "-ClientKey ./client.key")]
    [InlineData("Send-OtlpTestSpan", "-ClientKey ./client.key")]
    [InlineData("Test-OtlpTlsEndpoint", "-ClientCertificate ./client.crt")]
    [InlineData("Send-OtlpTestSpan", "-ClientCertificate ./client.crt")]
    [InlineData("Test-OtlpTlsEndpoint", "-ClientCertificate ./exists.crt")]
    [InlineData("Send-OtlpTestSpan", "-ClientCertificate ./exists.crt")]
    public void AnIncompleteClientPairIsOneErrorIdInEveryCmdlet(string cmdlet, string arguments)
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("exists.crt"), "-----BEGIN CERTIFICATE-----\nMA==\n-----END CERTIFICATE-----\n");
        using var session = new PowerShellSession();
        session.Run("$null = $ExecutionContext.SessionState.Path.SetLocation($args[0])", dir.Path).AssertNoErrors();
        var result = session.Run($"{cmdlet} 127.0.0.1:9 -TimeoutSec 2 {arguments}");
        var error = result.SingleError();
        Assert.StartsWith("ClientCertificatePairIncomplete,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains("-ClientCertificate and -ClientKey", error.ErrorDetails.RecommendedAction);
        Assert.Empty(result.Output);
    }

    [Fact]
    public void TheClientCertificateAndKeyAreReadOnceForEveryEndpointAndStage()
    {
        // The files are removed after the command has started (the upstream ForEach-Object runs after every
        // BeginProcessing): three full diagnoses (probe, platform check, export) still present the certificate.
        using var lab = new LabProcess("mtls-required-with-client-cert");
        using var dir = new TempDirectory();
        var certificate = dir.File("client.crt");
        var key = dir.File("client.key");
        File.Copy(lab.ClientCertificateFile, certificate);
        File.Copy(lab.ClientKeyFile, key);
        using var session = new PowerShellSession();
        var result = session.Run(
            "$endpoint = $args[0]; $files = $args[3], $args[4]; " +
            "1..3 | ForEach-Object { if ($_ -eq 1) { $files | ForEach-Object { [System.IO.File]::Delete($_) } }; $endpoint } | " +
            "Test-OtlpTlsEndpoint -CaCertificate $args[1] -ClientCertificate $args[3] -ClientKey $args[4] -ThrottleLimit 3",
            lab.Endpoint, lab.CaFile, null, certificate, key);

        result.AssertNoErrors();
        Assert.False(File.Exists(certificate));
        Assert.Equal(3, result.Output.Count);
        foreach (var diagnosis in result.Output)
        {
            Assert.Equal("Healthy", Reflect.Get(diagnosis, "Status")!.ToString());
            Assert.True(Reflect.Get<bool>(Reflect.Get(diagnosis, "Platform"), "Succeeded"), Reflect.Get<string>(Reflect.Get(diagnosis, "Platform"), "Message"));
            Assert.True(Reflect.Get<bool?>(Reflect.Get(diagnosis, "Otlp"), "Succeeded"), Reflect.Get<string>(Reflect.Get(diagnosis, "Otlp"), "Message"));
            Assert.True(Reflect.Get<bool>(Reflect.Get(diagnosis, "ClientAuth"), "CertificateSent"));
        }
    }

    [Theory]
    [InlineData("Test-OtlpTlsEndpoint", "endpoints")]
    [InlineData("Test-OtlpTlsEndpoint", "environment")]
    [InlineData("Send-OtlpTestSpan", "endpoints")]
    public void TheClientFilesAreOpenedOncePerCommandWhateverTheEndpointsSignalsAndStages(string cmdlet, string source)
    {
        if (!FileOpenCounter.Supported)
        {
            return; // the kernel's open count (inotify) is what proves it; other systems run the deletion test above
        }

        using var lab = new LabProcess("mtls-required-with-client-cert");
        using var dir = new TempDirectory();
        var ca = dir.File("ca.crt");
        var certificate = dir.File("client.crt");
        var key = dir.File("client.key");
        File.Copy(lab.CaFile, ca);
        File.Copy(lab.ClientCertificateFile, certificate);
        File.Copy(lab.ClientKeyFile, key);
        // Three signals that differ only in their headers are three diagnoses with the same files.
        var dotenv = dir.File("otel.env");
        File.WriteAllText(dotenv,
            $"OTEL_EXPORTER_OTLP_ENDPOINT=https://{lab.Endpoint}\nOTEL_EXPORTER_OTLP_PROTOCOL=grpc\nOTEL_EXPORTER_OTLP_CERTIFICATE={ca}\n" +
            $"OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE={certificate}\nOTEL_EXPORTER_OTLP_CLIENT_KEY={key}\n" +
            "OTEL_EXPORTER_OTLP_METRICS_HEADERS=x-tenant=metrics\nOTEL_EXPORTER_OTLP_LOGS_HEADERS=x-tenant=logs\n");
        var command = source == "environment"
            ? $"{cmdlet} -FromEnvironment -EnvironmentPath $args[3]"
            : $"$args[0], $args[0], $args[0] | {cmdlet} -CaCertificate $args[4] -ClientCertificate $args[1] -ClientKey $args[2]" +
              (cmdlet == "Send-OtlpTestSpan" ? " -Protocol grpc" : string.Empty);

        using var session = new PowerShellSession();
        using var counter = new FileOpenCounter(ca, certificate, key);
        var result = session.Run(command, lab.Endpoint, certificate, key, dotenv, ca);

        result.AssertNoErrors();
        Assert.Equal(3, result.Output.Count);
        foreach (var output in result.Output)
        {
            var succeeded = cmdlet == "Send-OtlpTestSpan" ? Reflect.Get<bool>(output, "Succeeded")
                : Reflect.Get<bool>(Reflect.Get(output, "ClientAuth"), "CertificateSent") && Reflect.Get<bool>(Reflect.Get(output, "Platform"), "Succeeded")
                  && Reflect.Get<bool?>(Reflect.Get(output, "Otlp")!, "Succeeded") == true;
            Assert.True(succeeded, output?.ToString());
        }

        var opens = counter.Opens();
        Assert.Equal(1, opens[certificate]);
        Assert.Equal(1, opens[key]);
        Assert.Equal(1, opens[ca]);
    }

    [Theory]
    [InlineData("encrypted-pem")]
    [InlineData("pkcs12")]
    public void APasswordProtectedClientCredentialWorksInTheProbeThePlatformCheckAndTheExport(string form)
    {
        using var lab = new LabProcess("mtls-required-with-client-cert");
        using var dir = new TempDirectory();
        var pkcs12 = form == "pkcs12";
        var file = dir.File(pkcs12 ? "client.p12" : "client-encrypted.key");
        var arguments = pkcs12
            ? $"pkcs12 -export -in \"{lab.ClientCertificateFile}\" -inkey \"{lab.ClientKeyFile}\" -out \"{file}\" -passout pass:k3y-pass"
            : $"pkcs8 -topk8 -in \"{lab.ClientKeyFile}\" -out \"{file}\" -passout pass:k3y-pass -v2 aes-256-cbc";
        using (var openssl = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("openssl", arguments) { RedirectStandardError = true })!)
        {
            if (!openssl.WaitForExit(10_000))
            {
                openssl.Kill();
            }

            Assert.Equal(0, openssl.ExitCode);
        }

        using var session = new PowerShellSession();
        var client = pkcs12 ? "-ClientCertificate $args[2]" : "-ClientCertificate $args[3] -ClientKey $args[2]";
        var result = session.Run(
            "$password = [System.Security.SecureString]::new(); foreach ($c in 'k3y-pass'.ToCharArray()) { $password.AppendChar($c) }; " +
            $"Test-OtlpTlsEndpoint $args[0] -CaCertificate $args[1] {client} -ClientKeyPassword $password",
            lab.Endpoint, lab.CaFile, file, lab.ClientCertificateFile);
        result.AssertNoErrors();
        var diagnosis = Assert.Single(result.Output);
        Assert.Equal("Healthy", Reflect.Get(diagnosis, "Status")!.ToString());
        Assert.True(Reflect.Get<bool>(Reflect.Get(diagnosis, "ClientAuth"), "CertificateSent"));
        var platform = Reflect.Get(diagnosis, "Platform");
        Assert.True(Reflect.Get<bool>(platform, "Succeeded"), Reflect.Get<string>(platform, "Message"));
        Assert.DoesNotContain("ran without it", Reflect.Get<string>(platform, "Message")); // it presented the credential
        Assert.True(Reflect.Get<bool?>(Reflect.Get(diagnosis, "Otlp"), "Succeeded"), Reflect.Get<string>(Reflect.Get(diagnosis, "Otlp"), "Message"));
    }

    [Fact]
    public void ALeafOnlyRefusalNamesTheIntermediateAndTheFixInTheDiagnosisAndTheExport()
    {
        using var lab = new LabProcess("mtls-client-intermediate");
        using var session = new PowerShellSession();
        var diagnosis = session.Run("Test-OtlpTlsEndpoint $args[0] -CaCertificate $args[1] -ClientCertificate $args[2] -ClientKey $args[3]",
            lab.Endpoint, lab.CaFile, lab.ClientCertificateFile, lab.ClientKeyFile);
        diagnosis.AssertNoErrors();
        var result = Assert.Single(diagnosis.Output);
        var finding = ((Array)Reflect.Get(result, "Findings")!).Cast<object>().First();
        Assert.Equal("PlatformDisagreement", Reflect.Get<string>(finding, "Id"));
        Assert.Contains("leaf only", Reflect.Get<string>(finding, "Message"));
        Assert.Contains("client_ca_file", Reflect.Get<string>(finding, "Remediation"));
        Assert.Contains("OtelTls Lab Intermediate CA", Reflect.Get<string>(finding, "Remediation"));
        Assert.DoesNotContain("crypto policy", Reflect.Get<string>(finding, "Remediation"));
        Assert.True(Reflect.Get<bool>(Reflect.Get(result, "ClientAuth"), "Accepted")); // the probe sent the chain

        // Send-OtlpTestSpan sends what the .NET exporter sends, the leaf alone, and says so: every time, not only after
        // a first call that sent the chain.
        for (var i = 0; i < 2; i++)
        {
            var export = session.Run("Send-OtlpTestSpan $args[0] -Protocol grpc -CaCertificate $args[1] -ClientCertificate $args[2] -ClientKey $args[3]",
                lab.Endpoint, lab.CaFile, lab.ClientCertificateFile, lab.ClientKeyFile);
            var error = export.SingleError();
            Assert.Equal("OtlpExportFailed,OtelTls.Commands.SendOtlpTestSpanCommand", error.FullyQualifiedErrorId);
            Assert.Contains("without the intermediate", error.Exception.Message);
            Assert.Contains("client_ca_file", error.ErrorDetails.RecommendedAction);
        }
    }

    [Theory]
    [InlineData("grpc")]
    [InlineData("http/protobuf")]
    public void SendOtlpTestSpanWithAClientChainWorksEveryTimeInOneSession(string protocol)
    {
        // client.crt is the leaf and the intermediate that issued it; the server trusts the intermediate, so the leaf alone,
        // which is what .NET exporters present, is accepted. The certificate made for the first call must serve the later ones.
        using var lab = new LabProcess("mtls-client-intermediate-trusted");
        using var session = new PowerShellSession();
        for (var i = 0; i < 3; i++)
        {
            var result = session.Run("Send-OtlpTestSpan $args[0] -Protocol $args[4] -CaCertificate $args[1] -ClientCertificate $args[2] -ClientKey $args[3] -Verbose",
                lab.Endpoint, lab.CaFile, lab.ClientCertificateFile, lab.ClientKeyFile, protocol);
            result.AssertNoErrors();
            Assert.True(Reflect.Get<bool>(Assert.Single(result.Output), "Succeeded"), $"call {i + 1}: {Reflect.Get<string>(result.Output[0], "Message")}");
            Assert.Contains(result.Verbose, v => v.Contains("(the leaf only, as the .NET exporter sends it)", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void FromEnvironmentDiagnosesASignalThatDiffersOnlyInItsHeaders()
    {
        using var lab = new LabProcess("healthy");
        using var dir = new TempDirectory();
        var dotenv = dir.File("otel.env");
        File.WriteAllText(dotenv,
            $"OTEL_EXPORTER_OTLP_ENDPOINT=https://{lab.Endpoint}\nOTEL_EXPORTER_OTLP_PROTOCOL=grpc\nOTEL_EXPORTER_OTLP_CERTIFICATE={lab.CaFile}\n" +
            "OTEL_EXPORTER_OTLP_METRICS_HEADERS=x-tenant=metrics-team\n");
        using var session = new PowerShellSession();
        var result = session.Run("Test-OtlpTlsEndpoint -FromEnvironment -EnvironmentPath $args[0] -Verbose", dotenv);
        result.AssertNoErrors();
        Assert.Equal(2, result.Output.Count); // traces and logs share one configuration; metrics sends another header
        Assert.Contains(result.Verbose, v => v.StartsWith("metrics:", StringComparison.Ordinal));
    }
}

/// <summary>Relative paths in the process environment: one folder, the session's current location.</summary>
[Collection(ProcessEnvironmentCollection.Name)]
public sealed class ProcessEnvironmentPathTests
{
    [Fact]
    public void ARelativeCaFileInTheProcessEnvironmentIsReadFromTheCurrentLocationAndNotReportedMissing()
    {
        using var lab = new LabProcess("healthy");
        using var dir = new TempDirectory();
        File.Copy(lab.CaFile, dir.File("ca.crt"));
        using var snapshot = new EnvironmentSnapshot();
        Environment.SetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT", $"https://{lab.Endpoint}");
        Environment.SetEnvironmentVariable("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc");
        Environment.SetEnvironmentVariable("OTEL_EXPORTER_OTLP_CERTIFICATE", "ca.crt");
        Assert.False(File.Exists(Path.Combine(Environment.CurrentDirectory, "ca.crt")), "the process directory must not hold a ca.crt");

        using var session = new PowerShellSession();
        var result = session.Run("$null = $ExecutionContext.SessionState.Path.SetLocation($args[0]); Test-OtlpTlsEndpoint -FromEnvironment -Signal traces -SkipExport", dir.Path);

        result.AssertNoErrors();
        Assert.DoesNotContain(result.Warnings, w => w.StartsWith("ConfiguredFileNotFound", StringComparison.Ordinal));
        var diagnosis = Assert.Single(result.Output);
        Assert.Equal("Healthy", Reflect.Get(diagnosis, "Status")!.ToString());
        Assert.Contains(dir.File("ca.crt"), Reflect.Get<string>(diagnosis, "OpenSslCommand"));
    }

    [Fact]
    public void ARelativeCaFileFoundOnlyInTheProcessDirectoryIsReportedMissingAndNotLoadedFromThere()
    {
        // One folder for checking and loading: a file the check calls missing is not then loaded from somewhere else.
        using var lab = new LabProcess("healthy");
        using var dir = new TempDirectory();
        var name = $"oteltls-ca-{Guid.NewGuid():N}.crt";
        var inProcessDirectory = Path.Combine(Environment.CurrentDirectory, name);
        File.Copy(lab.CaFile, inProcessDirectory);
        try
        {
            using var snapshot = new EnvironmentSnapshot();
            Environment.SetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT", $"https://{lab.Endpoint}");
            Environment.SetEnvironmentVariable("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc");
            Environment.SetEnvironmentVariable("OTEL_EXPORTER_OTLP_CERTIFICATE", name);

            using var session = new PowerShellSession();
            var result = session.Run("$null = $ExecutionContext.SessionState.Path.SetLocation($args[0]); Test-OtlpTlsEndpoint -FromEnvironment -Signal traces -SkipExport", dir.Path);

            Assert.Contains(result.Warnings, w => w.StartsWith("ConfiguredFileNotFound", StringComparison.Ordinal) && w.Contains(name, StringComparison.Ordinal));
            var error = result.SingleError();
            Assert.StartsWith("FileNotFound,", error.FullyQualifiedErrorId);
            Assert.Contains(dir.File(name), error.Exception.Message);
            Assert.Empty(result.Output);
        }
        finally
        {
            File.Delete(inProcessDirectory);
        }
    }
}
