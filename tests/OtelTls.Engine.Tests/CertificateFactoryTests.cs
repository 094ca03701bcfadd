using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using OtelTls.Engine.Certificates;

namespace OtelTls.Engine.Tests;

public class CertificateFactoryTests
{
    private static (IssuedCertificate Root, IssuedCertificate Intermediate, IssuedCertificate Server, IssuedCertificate Client) IssueChain(
        OtlpKeyAlgorithm algorithm = OtlpKeyAlgorithm.EcdsaP256)
    {
        var root = CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.CA, CommonName = "Test Root", KeyAlgorithm = algorithm });
        var intermediate = CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.CA, CommonName = "Test Intermediate", Signer = root, PathLength = 0, KeyAlgorithm = algorithm });
        var server = CertificateFactory.Issue(new CertificateSpec
        {
            Type = OtlpCertificateType.Server, DnsNames = { "localhost", "otel-collector" }, IPAddresses = { "127.0.0.1", "::1" }, Signer = intermediate, KeyAlgorithm = algorithm,
        });
        var client = CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.Client, CommonName = "exporter", Signer = intermediate, KeyAlgorithm = algorithm });
        return (root, intermediate, server, client);
    }

    [Theory]
    [InlineData(OtlpKeyAlgorithm.EcdsaP256, "prime256v1")]
    [InlineData(OtlpKeyAlgorithm.EcdsaP384, "secp384r1")]
    [InlineData(OtlpKeyAlgorithm.Rsa2048, "2048 bit")]
    public void OpenSslVerifiesTheChainAndReadsTheExtensionsAndKeys(OtlpKeyAlgorithm algorithm, string keyText)
    {
        using var dir = new TempDirectory();
        var (root, intermediate, server, client) = IssueChain(algorithm);
        CertificateFiles.WriteCertificateAndKey(root, dir.File("ca.crt"), dir.File("ca.key"), force: false);
        CertificateFiles.WriteCertificateAndKey(intermediate, dir.File("intermediate.crt"), dir.File("intermediate.key"), force: false);
        CertificateFiles.WriteCertificateAndKey(server, dir.File("server.crt"), dir.File("server.key"), force: false);
        CertificateFiles.WriteCertificateAndKey(client, dir.File("client.crt"), dir.File("client.key"), force: false);
        File.WriteAllText(dir.File("server-leaf.crt"), server.CertificatePem);

        Assert.Contains("server-leaf.crt: OK", OpenSsl.Run($"verify -CAfile ca.crt -untrusted intermediate.crt server-leaf.crt", dir.Path));
        Assert.Contains("OK", OpenSsl.Run($"verify -CAfile ca.crt -untrusted intermediate.crt -purpose sslclient client.crt", dir.Path));
        Assert.Contains("OK", OpenSsl.Run($"verify -CAfile ca.crt -untrusted intermediate.crt -purpose sslserver -verify_hostname otel-collector server-leaf.crt", dir.Path));

        var text = OpenSsl.Run("x509 -in server.crt -noout -text", dir.Path);
        Assert.Contains("DNS:localhost, DNS:otel-collector, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1", text);
        Assert.Contains("TLS Web Server Authentication", text);
        Assert.Contains("CA:FALSE", text);
        Assert.Contains(keyText, text);
        var caText = OpenSsl.Run("x509 -in intermediate.crt -noout -text", dir.Path);
        Assert.Contains("CA:TRUE, pathlen:0", caText);
        Assert.Contains("Certificate Sign, CRL Sign", caText);
        Assert.Contains("TLS Web Client Authentication", OpenSsl.Run("x509 -in client.crt -noout -text", dir.Path));

        // openssl reads our PKCS#8 keys, and they belong to the certificates.
        foreach (var name in new[] { "ca", "server", "client" })
        {
            var keyPublic = OpenSsl.Run($"pkey -in {name}.key -pubout", dir.Path);
            var certPublic = OpenSsl.Run($"x509 -in {name}.crt -noout -pubkey", dir.Path);
            Assert.Equal(certPublic.Trim(), keyPublic.Trim());
        }
    }

    [Fact]
    public void OpenSslServesWithOurCertificatesAndTheClientVerifiesTheHostname()
    {
        using var dir = new TempDirectory();
        var (root, intermediate, server, _) = IssueChain();
        CertificateFiles.WriteCertificateAndKey(root, dir.File("ca.crt"), dir.File("ca.key"), force: false);
        CertificateFiles.WriteCertificateAndKey(server, dir.File("server.crt"), dir.File("server.key"), force: false);
        // s_server sends only the first certificate of -cert; the intermediate goes in -cert_chain.
        File.WriteAllText(dir.File("intermediate.crt"), intermediate.CertificatePem);

        var port = LoopbackPorts.Free();
        using var serverProcess = Process.Start(new ProcessStartInfo("openssl",
            $"s_server -accept 127.0.0.1:{port} -cert server.crt -cert_chain intermediate.crt -key server.key -naccept 1")
        {
            WorkingDirectory = dir.Path, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
        })!;
        try
        {
            WaitForAccept(serverProcess);
            var output = OpenSsl.Run($"s_client -connect 127.0.0.1:{port} -servername otel-collector -verify_hostname otel-collector -CAfile ca.crt -verify_return_error -brief", dir.Path, stdinEmpty: true);
            Assert.Contains("Verification: OK", output);
            Assert.Contains("Verified peername: otel-collector", output);
        }
        finally
        {
            if (!serverProcess.HasExited)
            {
                serverProcess.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public void Pkcs12ExportIsReadableByOpenSslAndByUs()
    {
        using var dir = new TempDirectory();
        var (_, _, server, _) = IssueChain();
        var pfx = dir.File("server.pfx");
        CertificateFiles.WritePkcs12(server, pfx, "p@ss", force: false);

        var info = OpenSsl.Run($"pkcs12 -in server.pfx -passin pass:p@ss -nokeys", dir.Path);
        Assert.Contains("subject=CN = localhost", info);
        Assert.Contains("subject=CN = Test Intermediate", info);
        Assert.Equal(new[] { "CN=localhost", "CN=Test Intermediate" }, CertificateReader.ReadFile(pfx, "p@ss").Select(c => c.Subject));
        Assert.True(PrivateKeyReader.Matches(server.Certificate, PrivateKeyReader.Read(pfx, "p@ss")));
    }

    [Fact]
    public void DefaultsAreWhatCollectorsExpect()
    {
        var server = CertificateFactory.Issue(new CertificateSpec { DnsNames = { "otel-collector" } });
        var model = server.ToModel();
        Assert.Equal("CN=otel-collector", model.Subject);
        Assert.True(model.IsSelfSigned);
        Assert.False(model.IsCertificateAuthority);
        Assert.Equal(new[] { "ServerAuth" }, model.EnhancedKeyUsages);
        Assert.Equal(new[] { "DigitalSignature" }, model.KeyUsages);
        Assert.Equal("ECDSA P-256", model.KeyAlgorithm);
        Assert.Equal("ecdsa-with-SHA256", model.SignatureAlgorithm);
        Assert.InRange(model.DaysUntilExpiry, 364, 365);
        Assert.Empty(server.Intermediates);
    }

    [Fact]
    public void BrokenCertificatesForTheLabCanBeMade()
    {
        var expired = CertificateFactory.Issue(new CertificateSpec
        {
            DnsNames = { "localhost" }, NotBefore = DateTimeOffset.UtcNow.AddDays(-30), NotAfter = DateTimeOffset.UtcNow.AddDays(-1),
        }).ToModel();
        Assert.True(expired.IsExpired);

        var cnOnly = CertificateFactory.Issue(new CertificateSpec { CommonName = "localhost", OmitSubjectAlternativeNames = true }).ToModel();
        Assert.Empty(cnOnly.DnsNames);
        Assert.Equal("localhost", cnOnly.CommonName);

        var clientOnlyServer = CertificateFactory.Issue(new CertificateSpec { DnsNames = { "localhost" }, ExtendedKeyUsages = new[] { "ClientAuth" } }).ToModel();
        Assert.Equal(new[] { "ClientAuth" }, clientOnlyServer.EnhancedKeyUsages);
        var noEku = CertificateFactory.Issue(new CertificateSpec { DnsNames = { "localhost" }, ExtendedKeyUsages = Array.Empty<string>() }).ToModel();
        Assert.Empty(noEku.EnhancedKeyUsages);
    }

    [Theory]
    [InlineData("bad name", "InvalidDnsName")]
    [InlineData("exa_mple.com", "InvalidDnsName")]
    [InlineData("a.*.example.com", "InvalidDnsName")]
    [InlineData("10.0.0.1", "InvalidDnsName")]
    [InlineData("*.", "InvalidDnsName")]
    [InlineData("a.example.com..", "InvalidDnsName")]
    [InlineData("-a.example.com", "InvalidDnsName")]
    public void InvalidDnsNamesAreRejected(string name, string errorId)
    {
        var error = Assert.Throws<OtlpTlsException>(() => CertificateFactory.Issue(new CertificateSpec { DnsNames = { name } }));
        Assert.Equal(errorId, error.ErrorId);
        Assert.Equal(OtlpErrorKind.InvalidArgument, error.Kind);
    }

    [Theory]
    [InlineData("*.otel.example.com", "*.otel.example.com")]
    [InlineData(" otel-collector.observability.svc. ", "otel-collector.observability.svc")]
    public void WildcardAndRootedDnsNamesAreAccepted(string name, string san) =>
        Assert.Equal(new[] { san }, CertificateFactory.Issue(new CertificateSpec { DnsNames = { name } }).ToModel().DnsNames);

    [Theory]
    [InlineData("300.1.1.1")]
    [InlineData("localhost")]
    public void InvalidIPAddressesAreRejected(string address) =>
        Assert.Equal("InvalidIPAddress", Assert.Throws<OtlpTlsException>(() => CertificateFactory.Issue(new CertificateSpec { IPAddresses = { address } })).ErrorId);

    [Fact]
    public void ANonCaSignerIsRejected()
    {
        var leaf = CertificateFactory.Issue(new CertificateSpec { DnsNames = { "localhost" } });
        var error = Assert.Throws<OtlpTlsException>(() => CertificateFactory.Issue(new CertificateSpec { DnsNames = { "x" }, Signer = leaf }));
        Assert.Equal("SignerNotCertificateAuthority", error.ErrorId);
    }

    [Fact]
    public void AServerWithoutNamesIsRejected() =>
        Assert.Equal("ServerNameRequired", Assert.Throws<OtlpTlsException>(() => CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.Server })).ErrorId);

    [Fact]
    public void SignerLoadsFromFilesAndChecksItsKey()
    {
        using var dir = new TempDirectory();
        var (root, intermediate, _, _) = IssueChain();
        CertificateFiles.WriteCertificateAndKey(intermediate, dir.File("int.crt"), dir.File("int.key"), force: false);
        CertificateFiles.WriteCertificateAndKey(root, dir.File("root.crt"), dir.File("root.key"), force: false);

        var loaded = IssuedCertificate.Load(dir.File("int.crt"), dir.File("int.key"));
        var leaf = CertificateFactory.Issue(new CertificateSpec { DnsNames = { "localhost" }, Signer = loaded });
        Assert.Equal("CN=Test Intermediate", leaf.ToModel().Issuer);
        Assert.Single(leaf.Intermediates);

        Assert.Equal("PrivateKeyMismatch", Assert.Throws<OtlpTlsException>(() => IssuedCertificate.Load(dir.File("int.crt"), dir.File("root.key"))).ErrorId);
        Assert.Equal("SignerKeyMissing", Assert.Throws<OtlpTlsException>(() => IssuedCertificate.Load(dir.File("int.crt"), null)).ErrorId);
    }

    // s_server prints ACCEPT once it listens; probing the port would use up its single accept.
    private static void WaitForAccept(Process server)
    {
        var ready = server.StandardOutput.ReadLineAsync();
        while (ready.Wait(TimeSpan.FromSeconds(10)) && ready.Result is string line && !line.Contains("ACCEPT"))
        {
            ready = server.StandardOutput.ReadLineAsync();
        }

        Assert.True(ready.IsCompleted && ready.Result?.Contains("ACCEPT") == true, "openssl s_server did not start listening.");
    }
}
