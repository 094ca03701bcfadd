using System;
using System.IO;
using System.Linq;
using OtelTls.Engine.Certificates;

namespace OtelTls.Engine.Tests;

public class CertificateReaderTests
{
    [Fact]
    public void ReadsAnOpenSslCertificateWithItsNamesAndUsages()
    {
        using var dir = new TempDirectory();
        var cert = dir.File("server.crt");
        OpenSsl.Run($"req -x509 -newkey rsa:2048 -nodes -keyout \"{dir.File("server.key")}\" -out \"{cert}\" -days 10 " +
                    "-subj /O=Example/CN=collector -addext subjectAltName=DNS:collector,DNS:localhost,IP:127.0.0.1 " +
                    "-addext extendedKeyUsage=serverAuth -addext keyUsage=digitalSignature,keyEncipherment");

        var certificate = Assert.Single(CertificateReader.ReadFile(cert));

        Assert.Equal("CN=collector, O=Example", certificate.Subject);
        Assert.Equal("collector", certificate.CommonName);
        Assert.Equal(new[] { "collector", "localhost" }, certificate.DnsNames);
        Assert.Equal(new[] { "127.0.0.1" }, certificate.IPAddresses);
        Assert.Equal(new[] { "ServerAuth" }, certificate.EnhancedKeyUsages);
        Assert.Equal(new[] { "DigitalSignature", "KeyEncipherment" }, certificate.KeyUsages);
        Assert.Equal("RSA", certificate.KeyAlgorithm);
        Assert.Equal(2048, certificate.KeySize);
        Assert.Equal("sha256WithRSAEncryption", certificate.SignatureAlgorithm);
        Assert.True(certificate.IsSelfSigned);
        Assert.InRange(certificate.DaysUntilExpiry, 9, 10);
        Assert.Equal(cert, certificate.Path);

        var fingerprint = OpenSsl.Run($"x509 -in \"{cert}\" -noout -fingerprint -sha256").Split('=')[1].Trim().Replace(":", "");
        Assert.Equal(fingerprint, certificate.Thumbprint);
        var serial = OpenSsl.Run($"x509 -in \"{cert}\" -noout -serial").Split('=')[1].Trim().TrimStart('0');
        Assert.Equal(serial, certificate.SerialNumber.TrimStart('0'));
    }

    /// <summary>bundle.pem with two self-signed certificates, CN=a.example (its files in <paramref name="first"/>) then CN=b.example.</summary>
    private static string TwoCertificateBundle(TempDirectory dir, out (string Cert, string Key) first)
    {
        first = OpenSsl.SelfSigned(dir, "a", "a.example");
        var (b, _) = OpenSsl.SelfSigned(dir, "b", "b.example");
        var bundle = dir.File("bundle.pem");
        File.WriteAllText(bundle, File.ReadAllText(first.Cert) + "\n" + File.ReadAllText(b));
        return bundle;
    }

    [Fact]
    public void The_platform_certificate_is_made_on_first_use_from_the_same_bytes_and_only_once()
    {
        using var dir = new TempDirectory();
        var certificates = CertificateReader.ReadFile(TwoCertificateBundle(dir, out _));

        foreach (var certificate in certificates)
        {
            var platform = certificate.ToX509Certificate2();
            Assert.NotNull(platform);
            Assert.Equal(certificate.GetRawData(), platform!.RawData);
            Assert.Equal(certificate.Thumbprint, platform.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256));
            Assert.Same(platform, certificate.ToX509Certificate2());
        }

        Assert.NotEqual(certificates[0].ToX509Certificate2()!.Thumbprint, certificates[1].ToX509Certificate2()!.Thumbprint);
    }

    [Fact]
    public void ReadsEveryCertificateOfABundleAndDerAndPkcs12()
    {
        using var dir = new TempDirectory();
        var bundle = TwoCertificateBundle(dir, out var first);
        var (a, aKey) = first;
        Assert.Equal(new[] { "CN=a.example", "CN=b.example" }, CertificateReader.ReadFile(bundle).Select(c => c.Subject));

        var der = dir.File("a.der");
        OpenSsl.Run($"x509 -in \"{a}\" -outform DER -out \"{der}\"");
        Assert.Equal("CN=a.example", Assert.Single(CertificateReader.ReadFile(der)).Subject);

        var pfx = dir.File("a.pfx");
        OpenSsl.Run($"pkcs12 -export -in \"{a}\" -inkey \"{aKey}\" -out \"{pfx}\" -passout pass:s3cret");
        Assert.Equal("CN=a.example", Assert.Single(CertificateReader.ReadFile(pfx, "s3cret")).Subject);
    }

    [Theory]
    [InlineData("missing", "FileNotFound", OtlpErrorKind.ObjectNotFound)]
    [InlineData("directory", "PathIsDirectory", OtlpErrorKind.InvalidArgument)]
    [InlineData("garbage", "CertificateFileInvalid", OtlpErrorKind.InvalidData)]
    [InlineData("truncated", "PemInvalid", OtlpErrorKind.InvalidData)]
    [InlineData("key", "PrivateKeyNotCertificate", OtlpErrorKind.InvalidData)]
    [InlineData("empty", "CertificateFileInvalid", OtlpErrorKind.InvalidData)]
    [InlineData("wrongpassword", "Pkcs12PasswordInvalid", OtlpErrorKind.AuthenticationError)]
    public void BadInputGetsAStableErrorId(string input, string errorId, OtlpErrorKind kind)
    {
        using var dir = new TempDirectory();
        var (cert, key) = OpenSsl.SelfSigned(dir, "x");
        string path;
        string? password = null;
        switch (input)
        {
            case "missing": path = dir.File("nope.crt"); break;
            case "directory": path = dir.Path; break;
            case "garbage": path = dir.File("g.crt"); File.WriteAllBytes(path, new byte[] { 1, 2, 3, 4, 5, 6, 7 }); break;
            case "truncated":
                path = dir.File("t.crt");
                var text = File.ReadAllText(cert);
                File.WriteAllText(path, text.Substring(0, text.Length / 2));
                break;
            case "key": path = key; break;
            case "empty": path = dir.File("e.crt"); File.WriteAllText(path, ""); break;
            default:
                path = dir.File("p.pfx");
                OpenSsl.Run($"pkcs12 -export -in \"{cert}\" -inkey \"{key}\" -out \"{path}\" -passout pass:right");
                password = "wrong";
                break;
        }

        var error = Assert.Throws<OtlpTlsException>(() => CertificateReader.ReadFile(path, password));
        Assert.Equal(errorId, error.ErrorId);
        Assert.Equal(kind, error.Kind);
        Assert.Equal(path, error.Target);
        Assert.Contains(Path.GetFileName(path), error.Message);
    }

    [Fact]
    public void ASelfIssuedCertificateWithAnUnknownSignatureAlgorithmIsReadAsNotSelfSigned()
    {
        using var dir = new TempDirectory();
        var (cert, _) = OpenSsl.SelfSigned(dir, "odd");
        var der = dir.File("odd.der");
        OpenSsl.Run($"x509 -in \"{cert}\" -outform DER -out \"{der}\"");
        // ecdsa-with-SHA256 (1.2.840.10045.4.3.2) becomes 1.2.840.10045.4.3.127, which no library can verify.
        var bytes = File.ReadAllBytes(der);
        var oid = new byte[] { 0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x02 };
        var patched = 0;
        for (var i = 0; i + oid.Length <= bytes.Length; i++)
        {
            if (bytes.AsSpan(i, oid.Length).SequenceEqual(oid))
            {
                bytes[i + oid.Length - 1] = 0x7F;
                patched++;
            }
        }

        Assert.Equal(2, patched);
        File.WriteAllBytes(der, bytes);

        var certificate = Assert.Single(CertificateReader.ReadFile(der));
        Assert.Equal("CN=localhost", certificate.Subject);
        Assert.False(certificate.IsSelfSigned);
        Assert.Equal("1.2.840.10045.4.3.127", certificate.SignatureAlgorithm);
    }
}
