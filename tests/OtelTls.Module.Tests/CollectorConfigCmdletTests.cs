using System;
using System.IO;
using System.Linq;
using System.Management.Automation;

namespace OtelTls.Module.Tests;

/// <summary>The collector cmdlets in a real runspace: output types, -WhatIf, error records, file modes.</summary>
public sealed class CollectorConfigCmdletTests
{
    private static void MakePki(PowerShellSession session, TempDirectory dir) =>
        session.Run(
            "$global:ca = New-OtlpCertificate -Type CA -CommonName 'Cmdlet Root' -Name ca -OutputDirectory $args[0]; " +
            "$global:server = $global:ca | New-OtlpCertificate -Type Server -DnsName otel-collector, otel-collector.observability, localhost -Name server -OutputDirectory $args[0]; " +
            "$global:client = $global:ca | New-OtlpCertificate -Type Client -CommonName gateway -Name client -OutputDirectory $args[0]",
            dir.Path).AssertNoErrors();

    [Fact]
    public void Generated_config_checks_healthy_through_the_collector_path_mapping()
    {
        using var dir = new TempDirectory();
        using var session = new PowerShellSession();
        MakePki(session, dir);
        var config = dir.File("otelcol.yaml");
        session.Run("$p = $args[0]; $global:ca, $global:server, $global:client | New-OtlpCollectorConfig -CollectorPath /etc/otelcol/tls -ListenHost 0.0.0.0 | ForEach-Object { [IO.File]::WriteAllText($p, $_) }", config)
            .AssertNoErrors();
        var result = session.Run("Test-OtlpCollectorConfig -Path $args[0] -CollectorPath /etc/otelcol/tls -LocalPath $args[1] -NoProcessEnvironment", config, dir.Path);
        result.AssertNoErrors();
        var components = result.Output;
        Assert.All(components, c => Reflect.IsType("OtelTls.OtlpCollectorComponent", c));
        Assert.Equal(new[] { "receiver", "receiver", "exporter" }, components.Select(c => (string)Reflect.Get(c, "Kind")!));
        Assert.All(components, c => Assert.True(Reflect.Get(c, "Status")!.ToString() == "Healthy",
            string.Join("; ", ((Array)Reflect.Get(c, "Findings")!).Cast<object>().Select(f => f.ToString()))));
        Assert.Equal(dir.File("client.crt"), Reflect.Get(components[2], "ClientCertificate"));
        Assert.True(session.Run("Test-OtlpCollectorConfig $args[0] -CollectorPath /etc/otelcol/tls -LocalPath $args[1] -Quiet", config, dir.Path).Single<bool>());
    }

    [Fact]
    [Trait("Reliability", "WriterFault")]
    public void WhatIf_merges_and_verifies_but_writes_nothing()
    {
        using var dir = new TempDirectory();
        using var session = new PowerShellSession();
        MakePki(session, dir);
        var config = dir.File("otelcol.yaml");
        const string original = "# keep me\nreceivers:\n  otlp:\n    protocols:\n      grpc:\n        endpoint: 0.0.0.0:4317\n";
        File.WriteAllText(config, original);
        session.Run("$global:ca, $global:server | New-OtlpCollectorConfig -Path $args[0] -WhatIf", config).AssertNoErrors();
        Assert.Equal(original, File.ReadAllText(config));

        session.Run("$global:ca, $global:server | New-OtlpCollectorConfig -Path $args[0] -Protocol grpc", config).AssertNoErrors();
        var merged = File.ReadAllText(config);
        Assert.StartsWith(original, merged);
        Assert.Contains("        tls:\n          cert_file: " + dir.File("server.crt") + "\n", merged);
    }

    [Theory]
    [Trait("Reliability", "BadInput")]
    [InlineData("receivers:\n  otlp: [\n", "CollectorConfigNotYaml")]
    [InlineData("just a string\n", "CollectorConfigInvalid")]
    public void Input_that_is_not_a_collector_config_is_an_error_record_with_its_id(string content, string errorId)
    {
        using var dir = new TempDirectory();
        using var session = new PowerShellSession();
        var config = dir.File("bad.yaml");
        File.WriteAllText(config, content);
        var result = session.Run("Test-OtlpCollectorConfig $args[0]", config);
        Assert.Empty(result.Output);
        Assert.Equal(errorId + ",OtelTls.Commands.TestOtlpCollectorConfigCommand", result.SingleError().FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidData, result.SingleError().CategoryInfo.Category);

        MakePki(session, dir);
        var merge = session.Run("$global:ca, $global:server | New-OtlpCollectorConfig -Path $args[0]", config);
        Assert.Equal(errorId + ",OtelTls.Commands.NewOtlpCollectorConfigCommand", merge.SingleError().FullyQualifiedErrorId);
        Assert.Equal(content, File.ReadAllText(config));
    }

    [Fact]
    [Trait("Reliability", "Secret")]
    public void Kubernetes_manifest_file_is_owner_only_and_holds_the_key()
    {
        using var dir = new TempDirectory();
        using var session = new PowerShellSession();
        MakePki(session, dir);
        var path = dir.File("otel-tls.yaml");
        session.Run("$global:ca, $global:server | New-OtlpKubernetesManifest -Path $args[0]", path).AssertNoErrors();
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        Assert.Contains(Convert.ToBase64String(File.ReadAllBytes(dir.File("server.key"))), File.ReadAllText(path));
        var again = session.Run("$global:ca, $global:server | New-OtlpKubernetesManifest -Path $args[0]", path);
        Assert.Equal("FileExists,OtelTls.Commands.NewOtlpKubernetesManifestCommand", again.SingleError().FullyQualifiedErrorId);
    }
}
