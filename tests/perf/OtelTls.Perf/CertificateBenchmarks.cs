using System;
using System.IO;
using BenchmarkDotNet.Attributes;
using OtelTls;
using OtelTls.Engine.Certificates;

namespace OtelTls.Perf;

/// <summary>
/// What <c>New-OtlpCertificate -Type CA | New-OtlpCertificate -Type Server … ; … -Type Client</c> costs in-process:
/// a P-256 CA, a server certificate (DNS and IP SANs) and a client certificate signed by it. With files, each
/// certificate is also written as .crt + owner-only .key (temporary file, flush to disk, rename), as the cmdlet does.
/// </summary>
[MemoryDiagnoser]
public class CertificateBenchmarks
{
    private string _directory = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "oteltls-perf-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_directory);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_directory, recursive: true);

    /// <summary>CA + server + client, EcdsaP256, in memory (PEM encoding included).</summary>
    [Benchmark(Baseline = true)]
    public int CaServerClientInMemory()
    {
        var (ca, server, client) = IssueThree();
        return ca.ChainPem.Length + ca.PrivateKeyPem.Length + server.ChainPem.Length + server.PrivateKeyPem.Length
            + client.ChainPem.Length + client.PrivateKeyPem.Length;
    }

    /// <summary>CA + server + client, EcdsaP256, each written as .crt and .key (overwriting the previous iteration's files).</summary>
    [Benchmark]
    public void CaServerClientToFiles() => WriteThree(IssueThree(), _directory);

    internal static (IssuedCertificate Ca, IssuedCertificate Server, IssuedCertificate Client) IssueThree()
    {
        var ca = CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.CA, CommonName = "OtelTls CA" });
        var server = CertificateFactory.Issue(new CertificateSpec
        {
            Type = OtlpCertificateType.Server, DnsNames = { "otel-collector", "localhost" }, IPAddresses = { "127.0.0.1" }, Signer = ca,
        });
        var client = CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.Client, CommonName = "otel-client", Signer = ca });
        return (ca, server, client);
    }

    /// <summary>ca, server and client as .crt + .key in <paramref name="directory"/>, overwriting what is there.</summary>
    internal static void WriteThree((IssuedCertificate Ca, IssuedCertificate Server, IssuedCertificate Client) three, string directory)
    {
        CertificateFiles.Write(three.Ca, CertificateOutput.For(directory, "ca", includePkcs12: false), null, force: true);
        CertificateFiles.Write(three.Server, CertificateOutput.For(directory, "server", includePkcs12: false), null, force: true);
        CertificateFiles.Write(three.Client, CertificateOutput.For(directory, "client", includePkcs12: false), null, force: true);
    }
}
