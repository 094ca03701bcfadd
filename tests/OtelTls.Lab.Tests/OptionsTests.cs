using System;
using System.Threading.Tasks;
using OtelTls.Tests;

namespace OtelTls.Lab.Tests;

/// <summary>LabOptions: serve a certificate made elsewhere (here by openssl) and trust a client CA made elsewhere.</summary>
public sealed class OptionsTests : IDisposable
{
    private readonly TempDirectory directory = new();
    private readonly OpenSslPki pki;

    public OptionsTests() => pki = new OpenSslPki(directory);

    public void Dispose() => directory.Dispose();

    [Fact]
    public async Task ServesTheGivenServerCertificateAndTrustsTheGivenClientCa()
    {
        var ca = pki.Root("Options Test CA");
        var server = pki.Issue("options-server", ca, "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth");
        var client = pki.Issue("options-client", ca, "extendedKeyUsage=clientAuth");

        await using var s = await LabScenario.StartAsync("mtls-required", new LabOptions
        {
            ServerCertificateFile = server.Cert, ServerKeyFile = server.Key, ClientCaFile = ca.Cert,
        });
        var accepted = await Tool.SClientAsync(s, new[] { "-CAfile", ca.Cert, "-verify_ip", "127.0.0.1", "-cert", client.Cert, "-key", client.Key, "-alpn", "h2" });
        Assert.Contains("Verify return code: 0 (ok)", accepted.Output);
        Assert.Contains("CN = options-server", accepted.Output);
        Assert.Contains("Acceptable client certificate CA names\nCN = Options Test CA", accepted.Output);
        Assert.Contains("ALPN protocol: h2", accepted.Output);

        // The lab's own client certificate is now from a CA the server does not trust.
        var refused = await Tool.SClientAsync(s, new[] { "-CAfile", ca.Cert, "-cert", s.ClientCertificateFile, "-key", s.ClientKeyFile, "-ign_eof" },
            "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray());
        Assert.Contains("alert unknown ca", refused.Output);
    }

    [Fact]
    public async Task KestrelScenarioServesTheGivenCertificate()
    {
        var ca = pki.Root("Options Kestrel CA");
        var server = pki.Issue("kestrel-server", ca, "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth");
        await using var s = await LabScenario.StartAsync("healthy", new LabOptions { ServerCertificateFile = server.Cert, ServerKeyFile = server.Key });
        var r = await Tool.SClientAsync(s, new[] { "-CAfile", ca.Cert, "-verify_ip", "127.0.0.1", "-alpn", "h2" });
        Assert.Contains("Verify return code: 0 (ok)", r.Output);
        Assert.Contains("CN = kestrel-server", r.Output);
    }
}
