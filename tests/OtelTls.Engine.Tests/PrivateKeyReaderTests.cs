using System.IO;
using OtelTls.Engine.Certificates;

namespace OtelTls.Engine.Tests;

public class PrivateKeyReaderTests
{
    [Theory]
    [InlineData("genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out k.pem", null)]                    // PKCS#8
    [InlineData("genrsa -traditional -out k.pem 2048", null)]                                                     // PKCS#1
    [InlineData("ecparam -name prime256v1 -genkey -noout -out k.pem", null)]                                       // SEC1
    [InlineData("genpkey -algorithm ED25519 -out k.pem", null)]
    [InlineData("genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -aes256 -pass pass:pw -out k.pem", "pw")]  // encrypted PKCS#8
    [InlineData("genrsa -traditional -aes256 -passout pass:pw -out k.pem 2048", "pw")]                            // legacy encrypted PEM
    public void ReadsEveryKeyFormOpenSslWritesAndMatchesItsCertificate(string generate, string? password)
    {
        using var dir = new TempDirectory();
        OpenSsl.Run(generate, dir.Path);
        var passIn = password is null ? "" : $"-passin pass:{password}";
        OpenSsl.Run($"req -x509 -new -key k.pem {passIn} -out c.pem -days 1 -subj /CN=k", dir.Path);
        var other = dir.File("other.pem");
        OpenSsl.Run($"genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out \"{other}\"");

        var key = PrivateKeyReader.Read(dir.File("k.pem"), password);
        var certificate = CertificateReader.ReadBouncyCastleFile(dir.File("c.pem"))[0];
        Assert.True(PrivateKeyReader.Matches(certificate, key));
        Assert.False(PrivateKeyReader.Matches(certificate, PrivateKeyReader.Read(other)));

        var der = dir.File("k.der");
        OpenSsl.Run($"pkey -in k.pem {passIn} -outform DER -out k.der", dir.Path);
        Assert.True(PrivateKeyReader.Matches(certificate, PrivateKeyReader.Read(der)));
    }

    [Theory]
    [InlineData("nopassword", "PrivateKeyPasswordRequired", OtlpErrorKind.AuthenticationError)]
    [InlineData("wrongpassword", "PrivateKeyPasswordInvalid", OtlpErrorKind.AuthenticationError)]
    [InlineData("legacywrongpassword", "PrivateKeyPasswordInvalid", OtlpErrorKind.AuthenticationError)]
    [InlineData("certificate", "CertificateNotPrivateKey", OtlpErrorKind.InvalidData)]
    [InlineData("garbage", "PrivateKeyFileInvalid", OtlpErrorKind.InvalidData)]
    [InlineData("truncated", "PemInvalid", OtlpErrorKind.InvalidData)]
    [InlineData("missing", "FileNotFound", OtlpErrorKind.ObjectNotFound)]
    public void BadKeysGetAStableErrorIdAndNeverShowKeyMaterial(string input, string errorId, OtlpErrorKind kind)
    {
        using var dir = new TempDirectory();
        var path = dir.File("k.pem");
        string? password = null;
        switch (input)
        {
            case "nopassword":
                OpenSsl.Run("genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -aes256 -pass pass:pw -out k.pem", dir.Path);
                break;
            case "wrongpassword":
                OpenSsl.Run("genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -aes256 -pass pass:pw -out k.pem", dir.Path);
                password = "nope";
                break;
            case "legacywrongpassword":
                OpenSsl.Run("genrsa -traditional -aes256 -passout pass:pw -out k.pem 2048", dir.Path);
                password = "nope";
                break;
            case "certificate":
                path = OpenSsl.SelfSigned(dir, "c").Cert;
                break;
            case "garbage":
                File.WriteAllText(path, "this is not a key");
                break;
            case "truncated":
                OpenSsl.Run("genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out k.pem", dir.Path);
                File.WriteAllText(path, File.ReadAllText(path)[..60]);
                break;
            default:
                path = dir.File("absent.key");
                break;
        }

        var keyText = File.Exists(path) ? File.ReadAllText(path) : "";
        var error = Assert.Throws<OtlpTlsException>(() => PrivateKeyReader.Read(path, password));
        Assert.Equal(errorId, error.ErrorId);
        Assert.Equal(kind, error.Kind);
        Assert.Equal(path, error.Target);
        foreach (var line in keyText.Split('\n'))
        {
            if (line.Length > 20 && !line.StartsWith("-----"))
            {
                Assert.DoesNotContain(line, error.Message);
            }
        }
    }
}
