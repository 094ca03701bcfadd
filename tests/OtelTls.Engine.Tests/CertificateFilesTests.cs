using System;
using System.IO;
using System.Linq;
using OtelTls.Engine.Certificates;
using System.Runtime.Versioning;

namespace OtelTls.Engine.Tests;

public class CertificateFilesTests
{
    private static readonly IssuedCertificate Server = CertificateFactory.Issue(new CertificateSpec { DnsNames = { "localhost" } });

    [Fact]
    [UnsupportedOSPlatform("windows")] // Unix file modes; Windows has ACLs (tested apart)
    public void KeysAreOwnerOnlyAndCertificatesAreNot()
    {
        using var dir = new TempDirectory();
        CertificateFiles.WriteCertificateAndKey(Server, dir.File("s.crt"), dir.File("s.key"), force: false);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(dir.File("s.key")));
        Assert.True(File.GetUnixFileMode(dir.File("s.crt")).HasFlag(UnixFileMode.OtherRead));
        CertificateFiles.WritePkcs12(Server, dir.File("s.pfx"), "pw", force: false);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(dir.File("s.pfx")));
        Assert.Equal(new[] { "s.crt", "s.key", "s.pfx" }, Directory.GetFiles(dir.Path).Select(Path.GetFileName).OrderBy(n => n));
    }

    [Fact]
    public void AnExistingFileIsKeptWithoutForceAndNothingIsWritten()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("s.key"), "precious");
        var error = Assert.Throws<OtlpTlsException>(() => CertificateFiles.WriteCertificateAndKey(Server, dir.File("s.crt"), dir.File("s.key"), force: false));
        Assert.Equal("FileExists", error.ErrorId);
        Assert.Equal(OtlpErrorKind.ResourceExists, error.Kind);
        Assert.Equal("precious", File.ReadAllText(dir.File("s.key")));
        Assert.False(File.Exists(dir.File("s.crt")));
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact]
    [UnsupportedOSPlatform("windows")] // Unix file modes; Windows has ACLs (tested apart)
    public void ForceReplacesBothFilesAndKeepsTheKeyOwnerOnly()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("s.crt"), "old");
        File.WriteAllText(dir.File("s.key"), "old");
        File.SetUnixFileMode(dir.File("s.key"), (UnixFileMode)Convert.ToInt32("644", 8));
        CertificateFiles.WriteCertificateAndKey(Server, dir.File("s.crt"), dir.File("s.key"), force: true);
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", File.ReadAllText(dir.File("s.crt")));
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(dir.File("s.key")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(dir.File("s.key")));
    }

    [Fact]
    [UnsupportedOSPlatform("windows")] // Unix file modes; Windows has ACLs (tested apart)
    public void AFailedWriteLeavesNoTemporaryFiles()
    {
        using var dir = new TempDirectory();
        var readOnly = Path.Combine(dir.Path, "ro");
        Directory.CreateDirectory(readOnly);
        File.SetUnixFileMode(readOnly, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        try
        {
            if (Environment.UserName == "root")
            {
                // root writes anywhere; a path under a regular file fails for everyone.
                File.WriteAllText(dir.File("file"), "x");
                readOnly = Path.Combine(dir.File("file"), "sub");
            }

            var error = Assert.Throws<OtlpTlsException>(() =>
                CertificateFiles.WriteCertificateAndKey(Server, dir.File("s.crt"), Path.Combine(readOnly, "s.key"), force: false));
            Assert.Contains(error.ErrorId, new[] { "FileWriteFailed", "FileAccessDenied" });
            Assert.False(File.Exists(dir.File("s.crt")));
            Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp", SearchOption.AllDirectories));
        }
        finally
        {
            File.SetUnixFileMode(Path.Combine(dir.Path, "ro"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
