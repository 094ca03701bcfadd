using System;
using System.Collections;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.RegularExpressions;

namespace OtelTls.Module.Tests;

/// <summary>Test-OtlpCertificate as a PowerShell user runs it, on certificates made by openssl.</summary>
public class TestOtlpCertificateTests
{
    private const string Host = "collector.example.com";

    /// <summary>root → intermediate → leaf, with the leaf's file holding leaf + intermediate.</summary>
    private sealed class Lab : IDisposable
    {
        private readonly TempDirectory _dir = new();

        public Lab()
        {
            Pki = new OpenSslPki(_dir);
            Root = Pki.Root("Root CA");
            Intermediate = Pki.Issue("Issuing CA", Root, OpenSslPki.CaExtensions);
            Leaf = Pki.Issue(Host, Intermediate, OpenSslPki.Server($"DNS:{Host},IP:127.0.0.1"));
            FullChain = Pki.Bundle("fullchain.crt", Leaf, Intermediate);
        }

        public OpenSslPki Pki { get; }

        public Pem Root { get; }

        public Pem Intermediate { get; }

        public Pem Leaf { get; }

        public string FullChain { get; }

        public string File(string name) => _dir.File(name);

        public void Dispose() => _dir.Dispose();
    }

    private static string[] FindingIds(object? check) =>
        ((IEnumerable)Reflect.Get(check, "Findings")!).Cast<object>().Select(f => (string)Reflect.Get(f, "Id")!).ToArray();

    [Fact]
    public void AHealthyChainFileWithItsCaHostUsageAndKeyHasNoFindings()
    {
        using var lab = new Lab();
        using var session = new PowerShellSession();

        var result = session.Run("Test-OtlpCertificate -Path $args[0] -CaCertificate $args[1] -HostName $args[2] -Usage Server -KeyPath $args[3]",
            lab.FullChain, lab.Root.Cert, Host, lab.Leaf.Key);

        result.AssertNoErrors();
        var check = Assert.Single(result.Output);
        Reflect.IsType("OtelTls.OtlpCertificateCheck", check);
        Assert.Equal("Healthy", Reflect.Get(check, "Status")!.ToString());
        Assert.Empty(FindingIds(check));
        Assert.Equal(3, ((Array)Reflect.Get(check, "Chain")!).Length);
        Assert.Equal(lab.FullChain, Reflect.Get(check, "Path"));
        Assert.Equal(Host, Reflect.Get(check, "HostName"));
    }

    [Fact]
    public void APipedFullChainFileIsJudgedAsOneChainLikeThePathParameter()
    {
        using var lab = new Lab();
        using var session = new PowerShellSession();

        var result = session.Run("Get-OtlpCertificate -Path $args[0] | Test-OtlpCertificate -CaCertificate $args[1] -KeyPath $args[2] -HostName $args[3]",
            lab.FullChain, lab.Root.Cert, lab.Leaf.Key, Host);

        result.AssertNoErrors();
        // One check: the leaf, whose path reaches the root through the intermediate that came later in the pipeline;
        // the intermediate is not judged as a leaf (it has no SAN for the host), and the key is matched against the leaf.
        var check = Assert.Single(result.Output);
        Assert.Equal($"CN={Host}", Reflect.Get(check, "Subject"));
        Assert.Empty(FindingIds(check));
        Assert.Equal(3, ((Array)Reflect.Get(check, "Chain")!).Length);

        // Piped alone, the leaf lacks its intermediate.
        var alone = session.Run("Get-OtlpCertificate -Path $args[0] | Test-OtlpCertificate -CaCertificate $args[1]", lab.Leaf.Cert, lab.Root.Cert);
        alone.AssertNoErrors();
        Assert.Equal(new[] { "IncompleteChain" }, FindingIds(Assert.Single(alone.Output)));

        // A CA bundle has no leaf: each of its certificates is checked.
        var bundle = lab.Pki.Bundle("bundle.crt", lab.Intermediate, lab.Root);
        var each = session.Run("Get-OtlpCertificate -Path $args[0] | Test-OtlpCertificate -CaCertificate $args[1]", bundle, lab.Root.Cert);
        each.AssertNoErrors();
        Assert.Equal(new[] { "CN=Issuing CA", "CN=Root CA" }, each.Output.Select(o => (string)Reflect.Get(o, "Subject")!));
    }

    [Fact]
    public void AChainAnEndpointPresentsIsJudgedAsOneChainNotEachCertificateAsALeaf()
    {
        using var server = new LabProcess("healthy");
        using var session = new PowerShellSession();
        var host = server.Endpoint[..server.Endpoint.LastIndexOf(':')];

        var result = session.Run("Get-OtlpCertificate -Endpoint $args[0] | Test-OtlpCertificate -CaCertificate $args[1] -HostName $args[2]",
            server.Endpoint, server.CaFile, host);

        result.AssertNoErrors();
        // The healthy lab server sends leaf + intermediate; before, the intermediate came back Failed NoSubjectAlternativeName.
        var check = Assert.Single(result.Output);
        Assert.Equal("Healthy", Reflect.Get(check, "Status")!.ToString());
        Assert.Empty(FindingIds(check));
        Assert.Equal("Server", Reflect.Get(check, "Usage")!.ToString());
        Assert.Equal(3, ((Array)Reflect.Get(check, "Chain")!).Length);
    }

    [Fact]
    public void HostNameImpliesTheServerRole()
    {
        using var lab = new Lab();
        using var session = new PowerShellSession();
        var client = lab.Pki.Issue("client-with-san", lab.Intermediate, OpenSslPki.Client + $"\nsubjectAltName=DNS:{Host}");
        var chain = lab.Pki.Bundle("client-chain.crt", client, lab.Intermediate);

        var implied = session.Run("Test-OtlpCertificate $args[0] -CaCertificate $args[1] -HostName $args[2]", chain, lab.Root.Cert, Host);
        implied.AssertNoErrors();
        Assert.Equal(new[] { "KeyUsageMismatch" }, FindingIds(Assert.Single(implied.Output)));
        Assert.Equal("Server", Reflect.Get(implied.Output[0], "Usage")!.ToString());

        var explicitClient = session.Run("Test-OtlpCertificate $args[0] -CaCertificate $args[1] -HostName $args[2] -Usage Client", chain, lab.Root.Cert, Host);
        explicitClient.AssertNoErrors();
        Assert.Empty(FindingIds(Assert.Single(explicitClient.Output)));
    }

    [Fact]
    public void Pkcs12WithPasswordAndLiteralPathWork()
    {
        using var lab = new Lab();
        var pfx = lab.File("server [1].pfx");
        OpenSsl.Run($"pkcs12 -export -in \"{lab.FullChain}\" -inkey \"{lab.Leaf.Key}\" -out \"{pfx}\" -passout pass:s3cret");
        using var password = new System.Security.SecureString();
        foreach (var c in "s3cret")
        {
            password.AppendChar(c);
        }

        using var session = new PowerShellSession();
        var result = session.Run("Test-OtlpCertificate -LiteralPath $args[0] -Password $args[1] -CaCertificate $args[2] -HostName 127.0.0.1 -KeyPath $args[0] -KeyPassword $args[1]",
            pfx, password, lab.Root.Cert);

        result.AssertNoErrors();
        var check = Assert.Single(result.Output);
        Assert.Empty(FindingIds(check));
        Assert.Equal(3, ((Array)Reflect.Get(check, "Chain")!).Length);

        var wrong = session.Run("Test-OtlpCertificate -LiteralPath $args[0] -CaCertificate $args[1]", pfx, lab.Root.Cert);
        Assert.Empty(wrong.Output);
        Assert.Equal(ErrorCategory.AuthenticationError, wrong.SingleError().CategoryInfo.Category);
    }

    [Fact]
    public void QuietWritesABoolPerCertificate()
    {
        using var lab = new Lab();
        var expired = lab.Pki.Issue("old", lab.Root, OpenSslPki.Server("DNS:old"),
            notBefore: DateTimeOffset.UtcNow.AddDays(-100), notAfter: DateTimeOffset.UtcNow.AddDays(-1));
        using var session = new PowerShellSession();

        var result = session.Run("Test-OtlpCertificate -Path $args[0], $args[1] -CaCertificate $args[2] -Quiet", lab.FullChain, expired.Cert, lab.Root.Cert);

        result.AssertNoErrors();
        Assert.Equal(new object?[] { true, false }, result.Output);
    }

    [Fact]
    public void CaCertificateTakesObjectsAndAWrongCaIsAFindingNotAnError()
    {
        using var lab = new Lab();
        var stranger = lab.Pki.Root("Stranger CA");
        using var session = new PowerShellSession();

        var good = session.Run("$ca = Get-OtlpCertificate -Path $args[1]; Test-OtlpCertificate -Path $args[0] -CaCertificate $ca", lab.FullChain, lab.Root.Cert);
        good.AssertNoErrors();
        Assert.Empty(FindingIds(Assert.Single(good.Output)));

        var wrong = session.Run("Test-OtlpCertificate -Path $args[0] -CaCertificate (Get-OtlpCertificate -Path $args[1])", lab.Leaf.Cert, stranger.Cert);
        wrong.AssertNoErrors();
        var check = Assert.Single(wrong.Output);
        Assert.Equal(new[] { "IncompleteChain" }, FindingIds(check));
        Assert.Equal("Failed", Reflect.Get(check, "Status")!.ToString());
    }

    [Fact]
    public void HostNameUsageAtAndExpiryWindowReachTheChecker()
    {
        using var lab = new Lab();
        var soon = lab.Pki.Issue("soon", lab.Root, OpenSslPki.Client, days: 10);
        using var session = new PowerShellSession();

        var wrongHost = session.Run("Test-OtlpCertificate $args[0] -CaCertificate $args[1] -HostName otel-collector -Usage Client", lab.FullChain, lab.Root.Cert);
        wrongHost.AssertNoErrors();
        Assert.Equal(new[] { "ClientCertificateNotForClientAuth", "HostnameMismatch" }, FindingIds(Assert.Single(wrongHost.Output)).OrderBy(i => i));

        var warned = session.Run("Test-OtlpCertificate $args[0] -CaCertificate $args[1]", soon.Cert, lab.Root.Cert);
        Assert.Equal(new[] { "CertificateExpiringSoon" }, FindingIds(Assert.Single(warned.Output)));
        var narrow = session.Run("Test-OtlpCertificate $args[0] -CaCertificate $args[1] -ExpiryWarningDays 5", soon.Cert, lab.Root.Cert);
        Assert.Empty(FindingIds(Assert.Single(narrow.Output)));

        var later = session.Run("Test-OtlpCertificate $args[0] -CaCertificate $args[1] -At ([datetime]::UtcNow.AddDays(20))", soon.Cert, lab.Root.Cert);
        Assert.Equal(new[] { "CertificateExpired" }, FindingIds(Assert.Single(later.Output)));
    }

    [Fact]
    public void AKeyThatDoesNotMatchIsAFinding()
    {
        using var lab = new Lab();
        var other = lab.Pki.Issue("other", lab.Root, OpenSslPki.Client);
        using var session = new PowerShellSession();

        var server = session.Run("Test-OtlpCertificate $args[0] -CaCertificate $args[1] -KeyPath $args[2]", lab.FullChain, lab.Root.Cert, other.Key);
        server.AssertNoErrors();
        Assert.Equal(new[] { "CertificateKeyMismatch" }, FindingIds(Assert.Single(server.Output)));

        var client = session.Run("Test-OtlpCertificate $args[0] -CaCertificate $args[1] -KeyPath $args[2] -Usage Client", other.Cert, lab.Root.Cert, lab.Leaf.Key);
        client.AssertNoErrors();
        Assert.Equal(new[] { "ClientKeyMismatch" }, FindingIds(Assert.Single(client.Output)));
    }

    [Theory]
    [InlineData("missing", "FileNotFound", ErrorCategory.ObjectNotFound)]
    [InlineData("garbage", "CertificateFileInvalid", ErrorCategory.InvalidData)]
    [InlineData("keyAsCertificate", "PrivateKeyNotCertificate", ErrorCategory.InvalidData)]
    [InlineData("certificateAsKey", "CertificateNotPrivateKey", ErrorCategory.InvalidData)]
    [InlineData("missingKey", "FileNotFound", ErrorCategory.ObjectNotFound)]
    [InlineData("wildcardNoMatch", "PathNotFound", ErrorCategory.ObjectNotFound)]
    [InlineData("wildcardInMissingFolder", "PathNotFound", ErrorCategory.ObjectNotFound)]
    public void BadInputIsOneErrorRecordWithAStableIdAndNoOutput(string input, string errorId, ErrorCategory category)
    {
        using var lab = new Lab();
        var garbage = lab.File("garbage.crt");
        File.WriteAllBytes(garbage, new byte[] { 0x13, 0x37, 0x00, 0x42 });
        var (path, key) = input switch
        {
            "missing" => (lab.File("nope.crt"), (string?)null),
            "garbage" => (garbage, null),
            "keyAsCertificate" => (lab.Leaf.Key, null),
            "certificateAsKey" => (lab.FullChain, lab.Root.Cert),
            "missingKey" => (lab.FullChain, lab.File("nope.key")),
            "wildcardInMissingFolder" => (Path.Combine(lab.File("no-such-folder"), "*.crt"), null),
            _ => (lab.File("*.nothing"), null),
        };
        using var session = new PowerShellSession();

        var result = key is null
            ? session.Run("Test-OtlpCertificate -Path $args[0] -CaCertificate $args[1]", path, lab.Root.Cert)
            : session.Run("Test-OtlpCertificate -Path $args[0] -CaCertificate $args[1] -KeyPath $args[2]", path, lab.Root.Cert, key);

        Assert.Empty(result.Output);
        var error = result.SingleError();
        Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
        Assert.EndsWith("TestOtlpCertificateCommand", error.FullyQualifiedErrorId);
        Assert.Equal(category, error.CategoryInfo.Category);
    }

    [Fact]
    public void OneBadFileDoesNotStopTheOthers()
    {
        using var lab = new Lab();
        using var session = new PowerShellSession();

        var result = session.Run("$args[0], $args[1] | Test-OtlpCertificate -CaCertificate $args[2]", lab.File("nope.crt"), lab.FullChain, lab.Root.Cert);

        Assert.Equal("FileNotFound", result.SingleError().FullyQualifiedErrorId.Split(',')[0]);
        Assert.Empty(FindingIds(Assert.Single(result.Output)));
    }

    [Fact]
    public void AnUnreadableCaFileStopsTheCommand()
    {
        using var lab = new Lab();
        using var session = new PowerShellSession();

        var result = session.Run("Test-OtlpCertificate -Path $args[0] -CaCertificate $args[1]; 'after'", lab.FullChain, lab.File("no-ca.crt"));

        Assert.Equal("FileNotFound", result.SingleError().FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(new object?[] { "after" }, result.Output);
    }

    [Fact]
    public void ACheckRendersThroughItsTableView()
    {
        using var lab = new Lab();
        using var session = new PowerShellSession();

        var result = session.Run("Import-Module -Assembly $args[3]; " +
            "Test-OtlpCertificate -Path $args[0], $args[1] -CaCertificate $args[2] -HostName otel-collector | Out-String -Width 200",
            lab.FullChain, lab.Root.Cert, lab.Root.Cert, typeof(Microsoft.PowerShell.Commands.OutStringCommand).Assembly);

        result.AssertNoErrors();
        var lines = Assert.IsType<string>(Assert.Single(result.Output)).Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToList();
        // Status and findings first (they must show at 80 columns), then what was checked and which file.
        Assert.Matches(@"^Status\s+Findings\s+Subject\s+Path$", lines[0]);
        Assert.Matches($@"^Failed\s+HostnameMismatch\s+CN={Regex.Escape(Host)}\s+{Regex.Escape(Path.GetFileName(lab.FullChain))}$", lines[2]);
        // -HostName implies the server role, so the CA is judged for serverAuth too (first), then for the missing SAN.
        Assert.Matches($@"^Failed\s+KeyUsageMismatch, NoSub\S*\s+CN=Root CA\s+{Regex.Escape(Path.GetFileName(lab.Root.Cert))}$", lines[3]);
    }

    [Fact]
    public void CommandDeclaresItsOutputTypesAndIsExported()
    {
        using var session = new PowerShellSession();
        var result = session.Run("(Get-Command Test-OtlpCertificate).OutputType | ForEach-Object Name");
        result.AssertNoErrors();
        Assert.Equal(new[] { "OtelTls.OtlpCertificateCheck", "System.Boolean" }, result.Output.Cast<string>().OrderBy(n => n, StringComparer.Ordinal));
        var module = session.Run("(Get-Module OtelTls).ExportedCmdlets.Keys");
        Assert.Contains("Test-OtlpCertificate", module.Output.Cast<string>());
    }
}
