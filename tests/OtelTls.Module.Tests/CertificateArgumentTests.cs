using System;
using System.Collections;
using System.IO;
using System.Linq;
using System.Management.Automation;

namespace OtelTls.Module.Tests;

/// <summary>
/// One way to pass a certificate: every certificate parameter takes a path, an OtlpCertificate or an X509Certificate2
/// (OtlpCertificateArgumentAttribute), and the client parameters bind per row from Import-Csv columns. Against lab servers.
/// </summary>
public class CertificateArgumentTests
{
    private static PowerShellSession Session()
    {
        var session = new PowerShellSession();
        session.Run("Import-Module -Assembly $args[0]", typeof(Microsoft.PowerShell.Commands.OutStringCommand).Assembly).AssertNoErrors();
        return session;
    }

    private static string[] FindingIds(object? result) =>
        ((IEnumerable)Reflect.Get(result, "Findings")!).Cast<object>().Select(f => (string)Reflect.Get(f, "Id")!).ToArray();

    [Fact]
    public void Import_Csv_rows_each_use_their_own_CaCertificate_column()
    {
        using var healthy = new LabProcess("healthy");
        using var expired = new LabProcess("expired");
        using var folder = new TempDirectory();
        var csv = folder.File("collectors.csv");
        // An empty ServerName cell is no value; a filled one is used for that row only.
        File.WriteAllText(csv, $"Endpoint,CaCertificate,ServerName\n{healthy.Endpoint},{healthy.CaFile},localhost\n{expired.Endpoint},{expired.CaFile},\n");
        using var session = Session();

        var result = session.Run("Import-Csv $args[0] | Test-OtlpTlsEndpoint -SkipExport -ThrottleLimit 1", csv);

        result.AssertNoErrors();
        var byEndpoint = result.Output.ToDictionary(d => Reflect.Get<string>(d, "Endpoint"));
        // Before, the column was ignored and both rows were UnknownAuthority (the system store).
        Assert.Empty(FindingIds(byEndpoint[healthy.Endpoint]));
        Assert.Equal("localhost", Reflect.Get(Reflect.Get(byEndpoint[healthy.Endpoint], "Tls"), "ServerName"));
        Assert.Equal("CertificateExpired", FindingIds(byEndpoint[expired.Endpoint]).First());
        Assert.DoesNotContain("UnknownAuthority", FindingIds(byEndpoint[expired.Endpoint]));
    }

    [Fact]
    public void Import_Csv_rows_carry_client_certificate_and_key_columns_to_Send_OtlpTestSpan()
    {
        using var mtls = new LabProcess("mtls-required");
        using var folder = new TempDirectory();
        var csv = folder.File("senders.csv");
        File.WriteAllText(csv, "Endpoint,CaCertificate,ClientCertificate,ClientKey\n" +
                               $"https://{mtls.Endpoint}/v1/traces,{mtls.CaFile},{mtls.ClientCertificateFile},{mtls.ClientKeyFile}\n");
        using var session = Session();

        var result = session.Run("Import-Csv $args[0] | Send-OtlpTestSpan -TimeoutSec 30", csv);

        result.AssertNoErrors();
        Assert.True(Reflect.Get<bool>(Assert.Single(result.Output), "Succeeded"));
    }

    [Fact]
    public void Set_OtlpTlsEnvironment_takes_the_objects_New_OtlpCertificate_returns()
    {
        using var folder = new TempDirectory();
        var envFile = folder.File("otel.env");
        using var session = Session();

        var result = session.Run("""
            $ca = New-OtlpCertificate -Type CA -Name ca -OutputDirectory $args[0]
            $client = $ca | New-OtlpCertificate -Type Client -Name client -OutputDirectory $args[0]
            Set-OtlpTlsEnvironment -Target DotEnv -Path $args[1] -Endpoint https://localhost:4317 -Protocol grpc -CaCertificate $ca -ClientCertificate $client
            """, folder.Path, envFile);

        result.AssertNoErrors();
        var text = File.ReadAllText(envFile);
        Assert.Contains($"OTEL_EXPORTER_OTLP_CERTIFICATE={folder.File("ca.crt")}", text);
        Assert.Contains($"OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE={folder.File("client.crt")}", text);
        Assert.Contains($"OTEL_EXPORTER_OTLP_CLIENT_KEY={folder.File("client.key")}", text);
    }

    [Fact]
    public void An_X509Certificate2_with_its_key_is_a_client_certificate_and_its_key_files_are_gone_afterwards()
    {
        using var mtls = new LabProcess("mtls-required");
        using var session = Session();
        var before = Directory.GetDirectories(Path.GetTempPath(), "oteltls-key-*");

        var result = session.Run("""
            $client = [System.Security.Cryptography.X509Certificates.X509Certificate2]::CreateFromPemFile($args[1], $args[2])
            $ca = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($args[3])
            Test-OtlpTlsEndpoint $args[0] -CaCertificate $ca -ClientCertificate $client -SkipExport -Quiet
            (Send-OtlpTestSpan "https://$($args[0])/v1/traces" -CaCertificate $ca -ClientCertificate $client -ClientKey $client -TimeoutSec 30).Succeeded
            """, mtls.Endpoint, mtls.ClientCertificateFile, mtls.ClientKeyFile, mtls.CaFile);

        result.AssertNoErrors();
        Assert.Equal(new object?[] { true, true }, result.Output);
        Assert.Equal(before.OrderBy(d => d), Directory.GetDirectories(Path.GetTempPath(), "oteltls-key-*").OrderBy(d => d));
    }

    [Fact]
    public void An_X509Certificate2_CA_with_its_key_signs_and_an_X509Certificate2_CA_is_trusted()
    {
        using var folder = new TempDirectory();
        using var session = Session();

        var result = session.Run("""
            $ca = New-OtlpCertificate -Type CA -Name ca -CommonName 'Platform CA' -OutputDirectory $args[0]
            $platformCa = [System.Security.Cryptography.X509Certificates.X509Certificate2]::CreateFromPemFile($ca.Path, $ca.KeyPath)
            $server = New-OtlpCertificate -Type Server -Name server -DnsName otel -Signer $platformCa -OutputDirectory $args[0]
            Test-OtlpCertificate $server.Path -CaCertificate ([System.Security.Cryptography.X509Certificates.X509Certificate2]::new($ca.Path)) -HostName otel -KeyPath $server
            """, folder.Path);

        result.AssertNoErrors();
        var check = Assert.Single(result.Output);
        Assert.Empty(FindingIds(check));
        Assert.Equal(new[] { "CN=otel", "CN=Platform CA" }, ((Array)Reflect.Get(check, "Chain")!).Cast<object>().Select(c => Reflect.Get<string>(c, "Subject")));
    }

    [Fact]
    [Trait("Reliability", "BadInput")]
    public void Set_OtlpTlsEnvironment_refuses_an_X509Certificate2_because_exporters_read_files()
    {
        using var folder = new TempDirectory();
        using var session = Session();

        var result = session.Run("""
            $ca = New-OtlpCertificate -Type CA -Name ca -OutputDirectory $args[0]
            $platform = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($ca.Path)
            try { Set-OtlpTlsEnvironment -Target DotEnv -Path $args[1] -Endpoint https://localhost:4318 -CaCertificate $platform } catch { $_ }
            """, folder.Path, folder.File("otel.env"));

        var error = Assert.IsType<ErrorRecord>(Assert.Single(result.Output));
        Assert.Equal("ParameterArgumentTransformationError,OtelTls.Commands.SetOtlpTlsEnvironmentCommand", error.FullyQualifiedErrorId);
        Assert.Contains("exporters read certificates from files", error.Exception.Message);
        Assert.False(File.Exists(folder.File("otel.env")));
    }
}
