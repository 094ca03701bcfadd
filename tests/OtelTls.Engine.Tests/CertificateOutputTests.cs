using System;
using System.IO;
using System.Linq;
using OtelTls.Engine.Certificates;

namespace OtelTls.Engine.Tests;

/// <summary>The engine side of New-OtlpCertificate: file planning, signer objects, up-front validation, one-unit writes.</summary>
public class CertificateOutputTests
{
    [Theory]
    [InlineData(OtlpCertificateType.CA, null, "ca")]
    [InlineData(OtlpCertificateType.Server, null, "server")]
    [InlineData(OtlpCertificateType.Client, null, "client")]
    [InlineData(OtlpCertificateType.CA, "My Root CA", "My-Root-CA")]
    [InlineData(OtlpCertificateType.Server, "*.example.com", "example.com")]
    [InlineData(OtlpCertificateType.Client, "ünïcode ✓", "n-code")]
    [InlineData(OtlpCertificateType.Client, "///", "client")]
    public void DefaultNamesAreFileSafe(OtlpCertificateType type, string? commonName, string expected) =>
        Assert.Equal(expected, CertificateOutput.DefaultName(type, commonName));

    [Fact]
    public void PathsArePlannedInTheDirectoryAndAnExtensionOnTheNameIsDropped()
    {
        var output = CertificateOutput.For("/tmp/x/../tls", "collector.crt", includePkcs12: true);
        Assert.Equal(new[] { "/tmp/tls/collector.crt", "/tmp/tls/collector.key", "/tmp/tls/collector.p12" }, output.Paths);
        Assert.Null(CertificateOutput.For("/tmp", "a", includePkcs12: false).Pkcs12Path);
    }

    [Theory]
    [InlineData("sub/dir")]
    [InlineData("..")]
    [InlineData(" ")]
    [InlineData("a:b")]
    public void NamesWithAFolderOrReservedCharactersAreRefused(string name)
    {
        var error = Assert.Throws<OtlpTlsException>(() => CertificateOutput.For("/tmp", name, includePkcs12: false));
        Assert.Equal("InvalidCertificateName", error.ErrorId);
        Assert.Equal(OtlpErrorKind.InvalidArgument, error.Kind);
    }

    [Fact]
    public void ASignerObjectBringsItsKeyAndTheIntermediatesThatFollowItInItsFile()
    {
        using var dir = new TempDirectory();
        var root = CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.CA, CommonName = "Root" });
        var first = CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.CA, CommonName = "First", Signer = root, PathLength = 1 });
        var second = CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.CA, CommonName = "Second", Signer = first, PathLength = 0 });
        var output = CertificateOutput.For(dir.Path, "second", includePkcs12: false);
        CertificateFiles.Write(second, output, null, force: false);

        var model = CertificateReader.ReadFile(output.CertificatePath)[0];
        var signer = IssuedCertificate.FromCertificate(model, output.KeyPath);
        Assert.Equal(1, signer.IntermediateCount);
        var leaf = CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.Server, DnsNames = { "x" }, Signer = signer });
        Assert.Equal(2, leaf.IntermediateCount);

        File.WriteAllText(dir.File("root.crt"), root.CertificatePem);
        File.WriteAllText(dir.File("leaf.crt"), leaf.ChainPem);
        Assert.Contains("leaf.crt: OK", OpenSsl.Run("verify -CAfile root.crt -untrusted leaf.crt leaf.crt", dir.Path));

        var missing = Assert.Throws<OtlpTlsException>(() => IssuedCertificate.FromCertificate(model));
        Assert.Equal("SignerKeyMissing", missing.ErrorId);
    }

    [Fact]
    public void ValidateFailsBeforeAnyKeyIsMade()
    {
        var root = CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.CA });
        var leafOnly = CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.CA, Signer = root, PathLength = 0 });
        var server = CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.Server, DnsNames = { "s" } });

        Assert.Equal("InvalidPathLength", Assert.Throws<OtlpTlsException>(() =>
            CertificateFactory.Validate(new CertificateSpec { Type = OtlpCertificateType.Client, PathLength = 0 })).ErrorId);
        Assert.Equal("SignerPathLengthExceeded", Assert.Throws<OtlpTlsException>(() =>
            CertificateFactory.Validate(new CertificateSpec { Type = OtlpCertificateType.CA, Signer = leafOnly })).ErrorId);
        Assert.Equal("SignerNotCertificateAuthority", Assert.Throws<OtlpTlsException>(() =>
            CertificateFactory.Validate(new CertificateSpec { Type = OtlpCertificateType.Client, Signer = server })).ErrorId);
        CertificateFactory.Validate(new CertificateSpec { Type = OtlpCertificateType.Server, DnsNames = { "ok" }, Signer = leafOnly });
    }

    [Fact]
    public void AnExistingPkcs12StopsTheWholeWrite()
    {
        using var dir = new TempDirectory();
        var ca = CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.CA });
        File.WriteAllText(dir.File("ca.p12"), "old");
        var error = Assert.Throws<OtlpTlsException>(() =>
            CertificateFiles.Write(ca, CertificateOutput.For(dir.Path, "ca", includePkcs12: true), "pw", force: false));
        Assert.Equal("FileExists", error.ErrorId);
        Assert.Equal(new[] { "ca.p12" }, Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }
}
