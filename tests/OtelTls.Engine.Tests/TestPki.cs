using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;
using OtelTls.Engine.Certificates;

namespace OtelTls.Engine.Tests;

/// <summary>A root → intermediate → server/client PKI written to a temp folder, as a collector deployment has it.</summary>
public sealed class TestPki : IDisposable
{
    public TestPki()
    {
        Directory = new TempDirectory();
        Root = CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.CA, CommonName = "OTLP Test Root" });
        Intermediate = CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.CA, CommonName = "OTLP Test Intermediate", Signer = Root, PathLength = 0 });
        Server = CertificateFactory.Issue(new CertificateSpec
        {
            Type = OtlpCertificateType.Server, DnsNames = { "localhost", "otel-collector" }, IPAddresses = { "127.0.0.1" }, Signer = Intermediate,
        });
        Client = CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.Client, CommonName = "otlp-exporter", Signer = Intermediate });
        Other = CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.CA, CommonName = "Unrelated Root" });
        CertificateFiles.WriteCertificateAndKey(Root, RootFile, Directory.File("root.key"), force: false);
        CertificateFiles.WriteCertificateAndKey(Server, ServerFile, ServerKeyFile, force: false);
        CertificateFiles.WriteCertificateAndKey(Client, ClientFile, ClientKeyFile, force: false);
        CertificateFiles.WriteCertificateAndKey(Other, OtherFile, Directory.File("other.key"), force: false);
        File.WriteAllText(IntermediateFile, Intermediate.CertificatePem);
        // What a collector's client_ca_file holds to accept clients issued by the intermediate.
        File.WriteAllText(ClientCaFile, Intermediate.CertificatePem + Root.CertificatePem);
    }

    public TempDirectory Directory { get; }
    public IssuedCertificate Root { get; }
    public IssuedCertificate Intermediate { get; }
    public IssuedCertificate Server { get; }
    public IssuedCertificate Client { get; }
    public IssuedCertificate Other { get; }
    public string RootFile => Directory.File("root.crt");
    public string IntermediateFile => Directory.File("intermediate.crt");
    public string ServerFile => Directory.File("server.crt");
    public string ServerKeyFile => Directory.File("server.key");
    public string ClientFile => Directory.File("client.crt");
    public string ClientKeyFile => Directory.File("client.key");
    public string OtherFile => Directory.File("other.crt");
    public string ClientCaFile => Directory.File("client-ca.crt");

    public IReadOnlyList<OtlpCertificate> Trust(string file) => CertificateReader.ReadFile(file);

    /// <summary>nginx serving this PKI's server certificate (chain with its intermediate).</summary>
    public Task<NginxServer> StartNginxAsync(string locations, bool http2 = false, bool requireClientCertificate = false) =>
        NginxServer.StartAsync(ServerFile, ServerKeyFile, locations, http2, requireClientCertificate ? ClientCaFile : null);

    public void Dispose() => Directory.Dispose();
}
