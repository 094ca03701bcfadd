using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using OtelTls.Engine.Certificates;
using OtelTls.Engine.Configuration;

namespace OtelTls.Engine.Tests;

/// <summary>
/// The one decision about what piped certificates are for (Set-OtlpTlsEnvironment, New-OtlpCollectorConfig,
/// New-OtlpKubernetesManifest): per file, by its first certificate.
/// </summary>
public sealed class PipedCertificateRolesTests : IDisposable
{
    private readonly TestPki _pki = new();

    public void Dispose() => _pki.Dispose();

    private static OtlpCertificate FromFile(IssuedCertificate issued, string path, string? keyPath = null) =>
        CertificateDescriber.Create(issued.Certificate, path, 0, keyPath);

    private string Write(string name, IssuedCertificate issued)
    {
        var path = _pki.Directory.File(name);
        File.WriteAllText(path, issued.CertificatePem);
        return path;
    }

    [Fact]
    public void EachFileTakesTheRoleOfItsFirstCertificate()
    {
        // server.crt holds the server certificate and its intermediate: one file, one role.
        var piped = CertificateReader.ReadFile(_pki.ServerFile)
            .Concat(CertificateReader.ReadFile(_pki.RootFile))
            .Concat(CertificateReader.ReadFile(_pki.IntermediateFile))
            .Append(FromFile(_pki.Client, _pki.ClientFile, _pki.ClientKeyFile))
            .ToList();
        Assert.Equal(2, piped.Count(c => c.Path == _pki.ServerFile));

        var roles = PipedCertificateRoles.Classify(piped, new[] { OtlpCertificateUsage.Server, OtlpCertificateUsage.Client }, "the collector reads");

        Assert.Equal(_pki.ServerFile, roles.Server?.Path);
        Assert.Equal(_pki.ClientFile, roles.Client?.Path);
        Assert.Equal(_pki.ClientKeyFile, roles.Client?.KeyPath);
        Assert.Equal(new[] { _pki.RootFile, _pki.IntermediateFile }, roles.Authorities.Select(a => a.Path));
        Assert.Equal(_pki.RootFile, roles.Root?.Path); // the self-signed one, though not first among the CAs a client trusts
        Assert.Equal(_pki.IntermediateFile, roles.IssuerOf(roles.Client!)?.Path);
        Assert.Empty(roles.Unassigned);
    }

    [Fact]
    public void ALeafTakesTheFirstWantedRoleItsUsageAllows()
    {
        var both = CertificateFactory.Issue(new CertificateSpec
        {
            Type = OtlpCertificateType.Server, DnsNames = { "both" }, Signer = _pki.Root, ExtendedKeyUsages = new List<string> { "ServerAuth", "ClientAuth" },
        });
        var any = CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.Client, Signer = _pki.Root, ExtendedKeyUsages = new List<string>() });
        var bothFile = FromFile(both, Write("both.crt", both));
        var anyFile = FromFile(any, Write("any.crt", any));
        Assert.Empty(anyFile.EnhancedKeyUsages);

        var collector = PipedCertificateRoles.Classify(new[] { bothFile, anyFile }, new[] { OtlpCertificateUsage.Server, OtlpCertificateUsage.Client }, "the collector reads");
        Assert.Same(bothFile, collector.Server);
        Assert.Same(anyFile, collector.Client); // no extended key usage: any purpose, as TLS stacks read it

        var exporter = PipedCertificateRoles.Classify(new[] { bothFile }, new[] { OtlpCertificateUsage.Client }, "exporters read");
        Assert.Same(bothFile, exporter.Client);

        var server = FromFile(_pki.Server, _pki.ServerFile);
        var refused = PipedCertificateRoles.Classify(new[] { server }, new[] { OtlpCertificateUsage.Client }, "exporters read");
        Assert.Null(refused.Client);
        Assert.Same(server, Assert.Single(refused.Unassigned));
    }

    [Fact]
    public void ACertificateWithoutAFileIsRefused()
    {
        var fromEndpoint = CertificateDescriber.Create(_pki.Root.Certificate, null, 0, endpoint: "collector:4317");
        var error = Assert.Throws<OtlpTlsException>(() => PipedCertificateRoles.Classify(new[] { fromEndpoint }, new[] { OtlpCertificateUsage.Client }, "exporters read"));
        Assert.Equal(OtlpErrorId.CertificateHasNoFile, error.ErrorId);
        Assert.Contains("exporters read certificates from files", error.Message);
    }

    [Fact]
    public void SetTakesOneCaFileAndOneClientCertificateFromThePipeline()
    {
        var ca = CertificateReader.ReadFile(_pki.RootFile);
        var client = FromFile(_pki.Client, _pki.ClientFile, _pki.ClientKeyFile);
        var plan = OtlpEnvironmentPlanner.PlanSet(new OtlpEnvironmentRequest { Certificates = ca.Append(client).ToList() });
        var changes = plan.Changes.ToDictionary(c => c.Key, c => c.Value);
        Assert.Equal(_pki.RootFile, changes["OTEL_EXPORTER_OTLP_CERTIFICATE"]);
        Assert.Equal(_pki.ClientFile, changes["OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE"]);
        Assert.Equal(_pki.ClientKeyFile, changes["OTEL_EXPORTER_OTLP_CLIENT_KEY"]);

        string Refused(OtlpEnvironmentRequest request) => Assert.Throws<OtlpTlsException>(() => OtlpEnvironmentPlanner.PlanSet(request)).ErrorId;
        Assert.Equal(OtlpErrorId.MultipleCaFiles, Refused(new OtlpEnvironmentRequest { CaCertificate = _pki.OtherFile, Certificates = ca }));
        Assert.Equal(OtlpErrorId.NotClientCertificate, Refused(new OtlpEnvironmentRequest { Certificates = new[] { FromFile(_pki.Server, _pki.ServerFile) } }));
        var second = CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.Client, Signer = _pki.Root });
        Assert.Equal(OtlpErrorId.MultipleClientCertificates,
            Refused(new OtlpEnvironmentRequest { Certificates = new[] { client, FromFile(second, Write("second.crt", second)) } }));
        Assert.Equal(OtlpErrorId.MultipleClientCertificates,
            Refused(new OtlpEnvironmentRequest { ClientCertificate = _pki.ServerFile, ClientKey = _pki.ServerKeyFile, Certificates = new[] { client } }));
    }
}
