using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Security;
using System.Runtime.Versioning;

namespace OtelTls.Module.Tests;

/// <summary>New-OtlpCertificate as a PowerShell user drives it, with the machine's openssl as the independent judge.</summary>
public class NewOtlpCertificateTests
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private static SecureString Secure(string text) => new NetworkCredential(string.Empty, text).SecurePassword;

    private static string[] FilesIn(TempDirectory dir) =>
        Directory.GetFiles(dir.Path).Select(f => System.IO.Path.GetFileName(f)!).OrderBy(n => n, StringComparer.Ordinal).ToArray();

    private static void AssertError(PowerShellResult result, string errorId, ErrorCategory category)
    {
        var error = result.SingleError();
        Assert.Equal(errorId + ",OtelTls.Commands.NewOtlpCertificateCommand", error.FullyQualifiedErrorId);
        Assert.Equal(category, error.CategoryInfo.Category);
        Assert.Empty(result.Output);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")] // Unix file modes; Windows has ACLs (tested apart)
    public void CaPipedIntoServerWritesFilesOpenSslVerifies()
    {
        using var dir = new TempDirectory();
        using var session = new PowerShellSession();
        var result = session.Run(
            "New-OtlpCertificate -Type CA -OutputDirectory $args[0] | New-OtlpCertificate -Type Server -DnsName otel-collector, localhost -IPAddress 127.0.0.1 -OutputDirectory $args[0]",
            dir.Path);
        result.AssertNoErrors();

        var server = Assert.Single(result.Output);
        Reflect.IsType("OtelTls.OtlpCertificate", server);
        Assert.Equal("CN=otel-collector", Reflect.Get(server, "Subject"));
        Assert.Equal("CN=OtelTls CA", Reflect.Get(server, "Issuer"));
        Assert.Equal(new[] { "otel-collector", "localhost" }, Reflect.Get<string[]>(server, "DnsNames"));
        Assert.Equal(new[] { "127.0.0.1" }, Reflect.Get<string[]>(server, "IPAddresses"));
        Assert.Equal(new[] { "ServerAuth" }, Reflect.Get<string[]>(server, "EnhancedKeyUsages"));
        Assert.Equal(dir.File("server.crt"), Reflect.Get(server, "Path"));
        Assert.Equal(dir.File("server.key"), Reflect.Get(server, "KeyPath"));
        Assert.Equal(new[] { "ca.crt", "ca.key", "server.crt", "server.key" }, FilesIn(dir));

        Assert.Contains("server.crt: OK",
            OpenSsl.Run("verify -CAfile ca.crt -purpose sslserver -verify_hostname otel-collector -verify_ip 127.0.0.1 server.crt", dir.Path));
        Assert.Contains("CA:TRUE", OpenSsl.Run("x509 -in ca.crt -noout -text", dir.Path));
        foreach (var name in new[] { "ca", "server" })
        {
            Assert.Equal(OwnerOnly, File.GetUnixFileMode(dir.File(name + ".key")));
            Assert.True(File.GetUnixFileMode(dir.File(name + ".crt")).HasFlag(UnixFileMode.OtherRead), "Certificates are public.");
            Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(dir.File(name + ".key")));
            Assert.Equal(OpenSsl.Run($"x509 -in {name}.crt -noout -pubkey", dir.Path).Trim(), OpenSsl.Run($"pkey -in {name}.key -pubout", dir.Path).Trim());
        }
    }

    [Fact]
    public void AServerIssuedByAnIntermediateCarriesTheIntermediate()
    {
        using var dir = new TempDirectory();
        using var session = new PowerShellSession();
        var result = session.Run(
            "New-OtlpCertificate -Type CA -Name root -CommonName 'Test Root' -OutputDirectory $args[0] | " +
            "New-OtlpCertificate -Type CA -Name intermediate -CommonName 'Test Intermediate' -PathLength 0 -OutputDirectory $args[0] | " +
            "New-OtlpCertificate -Type Server -Name server -DnsName otel-collector -OutputDirectory $args[0]",
            dir.Path);
        result.AssertNoErrors();
        Assert.Equal("CN=Test Intermediate", Reflect.Get(Assert.Single(result.Output), "Issuer"));

        var chain = session.Run("Get-OtlpCertificate -LiteralPath $args[0]", dir.File("server.crt"));
        chain.AssertNoErrors();
        Assert.Equal(new object?[] { "CN=otel-collector", "CN=Test Intermediate" }, chain.Output.Select(c => Reflect.Get(c, "Subject")).ToArray());
        var intermediate = session.Run("Get-OtlpCertificate -LiteralPath $args[0]", dir.File("intermediate.crt"));
        Assert.Equal(0, Reflect.Get(Assert.Single(intermediate.Output), "PathLength"));

        // Only the root is trusted: the intermediate must come from the server's own file, as a server would send it.
        Assert.Contains("server.crt: OK",
            OpenSsl.Run("verify -CAfile root.crt -untrusted server.crt -purpose sslserver -verify_hostname otel-collector server.crt", dir.Path));
        Assert.Throws<InvalidOperationException>(() => OpenSsl.Run("verify -CAfile root.crt server.crt", dir.Path));
        Assert.Contains("CA:TRUE, pathlen:0", OpenSsl.Run("x509 -in intermediate.crt -noout -text", dir.Path));
    }

    [Fact]
    public void ClientCertificatesAreForClientAuthOnly()
    {
        using var dir = new TempDirectory();
        using var session = new PowerShellSession();
        var result = session.Run("New-OtlpCertificate CA -OutputDirectory $args[0] | New-OtlpCertificate Client -CommonName exporter -OutputDirectory $args[0]", dir.Path);
        result.AssertNoErrors();
        var client = Assert.Single(result.Output);
        Assert.Equal(new[] { "ClientAuth" }, Reflect.Get<string[]>(client, "EnhancedKeyUsages"));
        Assert.False(Reflect.Get<bool>(client, "IsCertificateAuthority"));
        Assert.Equal(dir.File("exporter.crt"), Reflect.Get(client, "Path"));

        Assert.Contains("OK", OpenSsl.Run("verify -CAfile ca.crt -purpose sslclient exporter.crt", dir.Path));
        Assert.Throws<InvalidOperationException>(() => OpenSsl.Run("verify -CAfile ca.crt -purpose sslserver exporter.crt", dir.Path));
        Assert.Contains("TLS Web Client Authentication", OpenSsl.Run("x509 -in exporter.crt -noout -text", dir.Path));
    }

    [Fact]
    public void WhatIfWritesNothing()
    {
        using var dir = new TempDirectory();
        using var session = new PowerShellSession();
        var notYet = dir.File("not-yet");
        var result = session.Run("New-OtlpCertificate -Type CA -OutputDirectory $args[0] -WhatIf", notYet);
        result.AssertNoErrors();
        Assert.Empty(result.Output);
        Assert.False(Directory.Exists(notYet));

        session.Run("New-OtlpCertificate -Type CA -OutputDirectory $args[0]", dir.Path).AssertNoErrors();
        var before = FilesIn(dir).Select(f => File.ReadAllText(dir.File(f))).ToArray();
        var piped = session.Run(
            "Get-OtlpCertificate -LiteralPath $args[0] | New-OtlpCertificate -Type Server -DnsName x -SignerKeyPath $args[1] -Pkcs12Password $args[2] -OutputDirectory $args[3] -WhatIf; " +
            "New-OtlpCertificate -Type CA -OutputDirectory $args[3] -Force -WhatIf",
            dir.File("ca.crt"), dir.File("ca.key"), Secure("pw"), dir.Path);
        piped.AssertNoErrors();
        Assert.Empty(piped.Output);
        Assert.Equal(new[] { "ca.crt", "ca.key" }, FilesIn(dir));
        Assert.Equal(before, FilesIn(dir).Select(f => File.ReadAllText(dir.File(f))).ToArray());
    }

    [Fact]
    public void AnExistingFileIsKeptWithoutForce()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("server.key"), "precious");
        using var session = new PowerShellSession();
        var result = session.Run("New-OtlpCertificate -Type Server -DnsName localhost -OutputDirectory $args[0]", dir.Path);
        AssertError(result, "FileExists", ErrorCategory.ResourceExists);
        Assert.Equal(dir.File("server.key"), result.SingleError().TargetObject);
        Assert.Contains("-Force", result.SingleError().ErrorDetails.RecommendedAction);
        Assert.Equal("precious", File.ReadAllText(dir.File("server.key")));
        Assert.Equal(new[] { "server.key" }, FilesIn(dir));
    }

    [Fact]
    [UnsupportedOSPlatform("windows")] // Unix file modes; Windows has ACLs (tested apart)
    public void ForceReplacesTheFilesAndTheKeyStaysOwnerOnly()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("server.crt"), "old");
        File.WriteAllText(dir.File("server.key"), "old");
        File.SetUnixFileMode(dir.File("server.key"), (UnixFileMode)Convert.ToInt32("644", 8));
        using var session = new PowerShellSession();
        var result = session.Run("New-OtlpCertificate -Type Server -DnsName localhost -OutputDirectory $args[0] -Force", dir.Path);
        result.AssertNoErrors();
        Assert.Single(result.Output);
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", File.ReadAllText(dir.File("server.crt")));
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(dir.File("server.key")));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(dir.File("server.key")));
        Assert.Equal(new[] { "server.crt", "server.key" }, FilesIn(dir));
    }

    [Theory]
    [InlineData("-DnsName 'bad_name!'", "InvalidDnsName", "bad_name!")]
    [InlineData("-DnsName '*.*.example.com'", "InvalidDnsName", "*.*.example.com")]
    [InlineData("-DnsName 10.0.0.1", "InvalidDnsName", "10.0.0.1")]
    [InlineData("-DnsName ok -IPAddress 300.1.1.1", "InvalidIPAddress", "300.1.1.1")]
    [InlineData("-IPAddress localhost", "InvalidIPAddress", "localhost")]
    [InlineData("-CommonName otel-collector", "ServerNameRequired", null)]
    [InlineData("-DnsName ok -PathLength 1", "InvalidPathLength", 1)]
    [InlineData("-DnsName ok -Name 'sub/dir'", "InvalidCertificateName", "sub/dir")]
    public void InvalidInputIsAnArgumentErrorAndWritesNothing(string arguments, string errorId, object? target)
    {
        using var dir = new TempDirectory();
        using var session = new PowerShellSession();
        var result = session.Run($"New-OtlpCertificate -Type Server {arguments} -OutputDirectory $args[0]", dir.Path);
        AssertError(result, errorId, ErrorCategory.InvalidArgument);
        Assert.Equal(target, result.SingleError().TargetObject);
        Assert.Empty(FilesIn(dir));
    }

    [Fact]
    public void ANonCaSignerIsRefused()
    {
        using var dir = new TempDirectory();
        using var session = new PowerShellSession();
        var result = session.Run(
            "New-OtlpCertificate -Type Server -DnsName leaf -OutputDirectory $args[0] | New-OtlpCertificate -Type Client -OutputDirectory $args[0]", dir.Path);
        AssertError(result, "SignerNotCertificateAuthority", ErrorCategory.InvalidArgument);
        Assert.Equal(new[] { "server.crt", "server.key" }, FilesIn(dir));
    }

    [Fact]
    public void AnIntermediateWithPathLengthZeroCannotSignACa()
    {
        using var dir = new TempDirectory();
        using var session = new PowerShellSession();
        var result = session.Run(
            "New-OtlpCertificate -Type CA -Name root -OutputDirectory $args[0] | New-OtlpCertificate -Type CA -Name issuing -PathLength 0 -OutputDirectory $args[0] | " +
            "New-OtlpCertificate -Type CA -Name third -OutputDirectory $args[0]", dir.Path);
        AssertError(result, "SignerPathLengthExceeded", ErrorCategory.InvalidArgument);
        Assert.DoesNotContain("third.crt", FilesIn(dir));
    }

    [Fact]
    public void ASignerWithoutItsKeyIsRefusedUntilTheKeyIsGiven()
    {
        using var dir = new TempDirectory();
        using var session = new PowerShellSession();
        session.Run("New-OtlpCertificate -Type CA -OutputDirectory $args[0]", dir.Path).AssertNoErrors();

        var missing = session.Run("Get-OtlpCertificate -LiteralPath $args[0] | New-OtlpCertificate -Type Server -DnsName x -OutputDirectory $args[1]",
            dir.File("ca.crt"), dir.Path);
        AssertError(missing, "SignerKeyMissing", ErrorCategory.InvalidOperation);
        Assert.Contains("-SignerKeyPath", missing.SingleError().ErrorDetails.RecommendedAction);

        var (_, otherKey) = OpenSsl.SelfSigned(dir, "other");
        var mismatch = session.Run("Get-OtlpCertificate -LiteralPath $args[0] | New-OtlpCertificate -Type Server -DnsName x -SignerKeyPath $args[1] -OutputDirectory $args[2]",
            dir.File("ca.crt"), otherKey, dir.Path);
        AssertError(mismatch, "PrivateKeyMismatch", ErrorCategory.InvalidData);
        Assert.DoesNotContain("server.crt", FilesIn(dir));

        var signed = session.Run("Get-OtlpCertificate -LiteralPath $args[0] | New-OtlpCertificate -Type Server -DnsName x -SignerKeyPath $args[1] -OutputDirectory $args[2]",
            dir.File("ca.crt"), dir.File("ca.key"), dir.Path);
        signed.AssertNoErrors();
        Assert.Contains("server.crt: OK", OpenSsl.Run("verify -CAfile ca.crt server.crt", dir.Path));
    }

    [Fact]
    public void TheNewCertificatePipesByPropertyNameIntoGetOtlpCertificate()
    {
        using var dir = new TempDirectory();
        using var session = new PowerShellSession();
        var result = session.Run("New-OtlpCertificate -Type CA -Name root -OutputDirectory $args[0] | Get-OtlpCertificate", dir.Path);
        result.AssertNoErrors();
        var read = Assert.Single(result.Output);
        Assert.Equal(dir.File("root.crt"), Reflect.Get(read, "Path"));
        Assert.True(Reflect.Get<bool>(read, "IsSelfSigned"));
    }

    [Fact]
    public void ForceNeverReplacesTheSignersOwnFiles()
    {
        using var dir = new TempDirectory();
        using var session = new PowerShellSession();
        var result = session.Run("New-OtlpCertificate -Type CA -OutputDirectory $args[0] | New-OtlpCertificate -Type CA -CommonName x -Name ca -OutputDirectory $args[0] -Force", dir.Path);
        AssertError(result, "SignerWouldBeOverwritten", ErrorCategory.InvalidArgument);
        Assert.Equal(dir.File("ca.crt"), result.SingleError().TargetObject);
        Assert.Equal("CN=OtelTls CA", Reflect.Get(Assert.Single(session.Run("Get-OtlpCertificate -LiteralPath $args[0]", dir.File("ca.crt")).Output), "Subject"));
    }

    [Fact]
    public void RelativePathsFollowThePowerShellLocationAndOtherProvidersAreRefused()
    {
        using var dir = new TempDirectory();
        using var session = new PowerShellSession();
        session.Run("New-OtlpCertificate -Type CA -OutputDirectory $args[0]", dir.Path).AssertNoErrors();
        var result = session.Run(
            "$ExecutionContext.SessionState.Path.SetLocation($args[0]) | Out-Null; " +
            "Get-OtlpCertificate -LiteralPath ca.crt | New-OtlpCertificate -Type Client -SignerKeyPath ./ca.key -OutputDirectory out",
            dir.Path);
        result.AssertNoErrors();
        Assert.Equal(System.IO.Path.Combine(dir.Path, "out", "client.crt"), Reflect.Get(Assert.Single(result.Output), "Path"));

        var env = session.Run("New-OtlpCertificate -Type CA -OutputDirectory Env:\\");
        Assert.Equal("OutputDirectoryInvalid,OtelTls.Commands.NewOtlpCertificateCommand", env.SingleError().FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, env.SingleError().CategoryInfo.Category);
        var drive = session.Run("New-OtlpCertificate -Type CA -OutputDirectory NoSuchDrive:\\x");
        Assert.Equal("OutputDirectoryInvalid,OtelTls.Commands.NewOtlpCertificateCommand", drive.SingleError().FullyQualifiedErrorId);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")] // Unix file modes; Windows has ACLs (tested apart)
    public void Pkcs12IsOwnerOnlyAndReadableByOpenSslAndGetOtlpCertificate()
    {
        using var dir = new TempDirectory();
        using var session = new PowerShellSession();
        var result = session.Run(
            "New-OtlpCertificate -Type CA -Name root -OutputDirectory $args[0] | New-OtlpCertificate -Type CA -Name issuing -OutputDirectory $args[0] | " +
            "New-OtlpCertificate -Type Client -CommonName exporter -Pkcs12Password $args[1] -OutputDirectory $args[0]",
            dir.Path, Secure("s3cret"));
        result.AssertNoErrors();
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(dir.File("exporter.p12")));

        // 3DES-protected, so OpenSSL 3 reads it without its legacy provider.
        var certificates = OpenSsl.Run("pkcs12 -in exporter.p12 -passin pass:s3cret -nokeys", dir.Path);
        Assert.Contains("subject=CN = exporter", certificates);
        Assert.Contains("subject=CN = OtelTls CA", certificates);
        var key = OpenSsl.Run("pkcs12 -in exporter.p12 -passin pass:s3cret -nocerts -nodes", dir.Path);
        Assert.Contains("BEGIN PRIVATE KEY", key);
        Assert.Throws<InvalidOperationException>(() => OpenSsl.Run("pkcs12 -in exporter.p12 -passin pass:wrong -nokeys", dir.Path));

        var read = session.Run("Get-OtlpCertificate -LiteralPath $args[0] -Password $args[1]", dir.File("exporter.p12"), Secure("s3cret"));
        read.AssertNoErrors();
        Assert.Equal("CN=exporter", Reflect.Get(read.Output[0], "Subject"));
        Assert.Equal(Reflect.Get(Assert.Single(result.Output), "Thumbprint"), Reflect.Get(read.Output[0], "Thumbprint"));

        var wrong = session.Run("Get-OtlpCertificate -LiteralPath $args[0] -Password $args[1]", dir.File("exporter.p12"), Secure("wrong"));
        Assert.Equal("Pkcs12PasswordInvalid,OtelTls.Commands.GetOtlpCertificateCommand", wrong.SingleError().FullyQualifiedErrorId);
    }

    [Fact]
    public void VerboseSaysWhatIsWrittenWhereAndNeverShowsTheKey()
    {
        using var dir = new TempDirectory();
        using var session = new PowerShellSession();
        var result = session.Run("New-OtlpCertificate -Type CA -OutputDirectory $args[0] -Pkcs12Password $args[1] -Verbose", dir.Path, Secure("pw"));
        result.AssertNoErrors();
        Assert.Contains(result.Verbose, v => v.Contains(dir.File("ca.crt")));
        Assert.Contains(result.Verbose, v => v.Contains(dir.File("ca.key")) && v.Contains("owner-only"));
        Assert.Contains(result.Verbose, v => v.Contains(dir.File("ca.p12")));
        var keyBody = File.ReadAllLines(dir.File("ca.key"))[1];
        Assert.DoesNotContain(result.Verbose, v => v.Contains("PRIVATE KEY") || v.Contains(keyBody) || v.Contains("pw'"));
    }

    [Fact]
    public void NamesComeFromTheCommonNameTheTypeOrNameAndTheCurrentLocation()
    {
        using var dir = new TempDirectory();
        using var session = new PowerShellSession();
        var result = session.Run(
            "$ExecutionContext.SessionState.Path.SetLocation($args[0]) | Out-Null; " +
            "New-OtlpCertificate -Type CA -CommonName 'My Root CA'; New-OtlpCertificate -Type Client; New-OtlpCertificate -Type Server -Name edge.crt -IPAddress ::1",
            dir.Path);
        result.AssertNoErrors();
        Assert.Equal(new[] { "My-Root-CA.crt", "My-Root-CA.key", "client.crt", "client.key", "edge.crt", "edge.key" }, FilesIn(dir));
        Assert.Equal(new object?[] { "CN=My Root CA", "CN=otel-client", "CN=otel-collector" }, result.Output.Select(o => Reflect.Get(o, "Subject")).ToArray());
        Assert.Equal(new[] { "::1" }, Reflect.Get<string[]>(result.Output[2], "IPAddresses"));
    }

    [Theory]
    [InlineData("Rsa2048", "RSA", 2048)]
    [InlineData("EcdsaP384", "ECDSA P-384", 384)]
    public void KeyAlgorithmIsHonoured(string algorithm, string expectedAlgorithm, int expectedSize)
    {
        using var dir = new TempDirectory();
        using var session = new PowerShellSession();
        var result = session.Run($"New-OtlpCertificate -Type CA -KeyAlgorithm {algorithm} -ValidityDays 30 -OutputDirectory $args[0]", dir.Path);
        result.AssertNoErrors();
        var ca = Assert.Single(result.Output);
        Assert.Equal(expectedAlgorithm, Reflect.Get(ca, "KeyAlgorithm"));
        Assert.Equal(expectedSize, Reflect.Get(ca, "KeySize"));
        Assert.InRange(Reflect.Get<int>(ca, "DaysUntilExpiry"), 29, 30);
    }

    [Fact]
    public void TypeAndKeyAlgorithmTabComplete()
    {
        using var session = new PowerShellSession();
        string[] Complete(string line) => session.Run(
                "[System.Management.Automation.CommandCompletion]::CompleteInput($args[0], $args[0].Length, $null).CompletionMatches | ForEach-Object CompletionText", line)
            .Output.Cast<string>().ToArray();

        Assert.Equal(new[] { "CA", "Client", "Server" }, Complete("New-OtlpCertificate -Type ").OrderBy(t => t, StringComparer.Ordinal));
        Assert.Contains("EcdsaP256", Complete("New-OtlpCertificate -Type CA -KeyAlgorithm "));
        Assert.Contains("Rsa4096", Complete("New-OtlpCertificate -Type CA -KeyAlgorithm Rsa"));
    }
}
