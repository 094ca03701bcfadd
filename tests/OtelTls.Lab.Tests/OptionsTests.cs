using System;
using System.IO;
using System.Threading.Tasks;

namespace OtelTls.Lab.Tests;

/// <summary>LabOptions: serve a certificate made elsewhere (here by openssl) and trust a client CA made elsewhere.</summary>
public sealed class OptionsTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "oteltls-lab-options-" + Guid.NewGuid().ToString("N")[..8]);

    public OptionsTests() => Directory.CreateDirectory(directory);

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public async Task ServesTheGivenServerCertificateAndTrustsTheGivenClientCa()
    {
        var ca = await MakeCaAsync("Options Test CA");
        var server = await IssueAsync(ca, "options-server", "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth");
        var client = await IssueAsync(ca, "options-client", "extendedKeyUsage=clientAuth");

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
        var ca = await MakeCaAsync("Options Kestrel CA");
        var server = await IssueAsync(ca, "kestrel-server", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth");
        await using var s = await LabScenario.StartAsync("healthy", new LabOptions { ServerCertificateFile = server.Cert, ServerKeyFile = server.Key });
        var r = await Tool.SClientAsync(s, new[] { "-CAfile", ca.Cert, "-verify_ip", "127.0.0.1", "-alpn", "h2" });
        Assert.Contains("Verify return code: 0 (ok)", r.Output);
        Assert.Contains("CN = kestrel-server", r.Output);
    }

    private async Task<(string Cert, string Key)> MakeCaAsync(string name)
    {
        var cert = Path.Combine(directory, "ca.crt");
        var key = Path.Combine(directory, "ca.key");
        var r = await Tool.RunAsync("openssl", new[]
        {
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", cert, "-days", "30",
            "-subj", "/CN=" + name, "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        });
        Assert.True(r.ExitCode == 0, r.ToString());
        return (cert, key);
    }

    private async Task<(string Cert, string Key)> IssueAsync((string Cert, string Key) ca, string name, string extensions)
    {
        var key = Path.Combine(directory, name + ".key");
        var csr = Path.Combine(directory, name + ".csr");
        var cert = Path.Combine(directory, name + ".crt");
        var ext = Path.Combine(directory, name + ".ext");
        File.WriteAllText(ext, extensions + "\n");
        var request = await Tool.RunAsync("openssl", new[]
        {
            "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", csr, "-subj", "/CN=" + name,
        });
        Assert.True(request.ExitCode == 0, request.ToString());
        var sign = await Tool.RunAsync("openssl", new[]
        {
            "x509", "-req", "-in", csr, "-CA", ca.Cert, "-CAkey", ca.Key, "-CAcreateserial", "-out", cert, "-days", "30", "-extfile", ext,
        });
        Assert.True(sign.ExitCode == 0, sign.ToString());
        return (cert, key);
    }
}
