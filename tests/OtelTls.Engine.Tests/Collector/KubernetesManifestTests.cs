using System;
using System.IO;
using System.Linq;
using OtelTls.Engine.Certificates;
using OtelTls.Engine.Collector;
using YamlDotNet.RepresentationModel;

namespace OtelTls.Engine.Tests.Collector;

/// <summary>The Kubernetes objects: YAML that parses, one object per document, and a Secret that decodes to the exact files.</summary>
public sealed class KubernetesManifestTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _ca;
    private readonly string _server;
    private readonly string _key;

    public KubernetesManifestTests()
    {
        var root = CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.CA, CommonName = "K8s Root" });
        var intermediate = CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.CA, CommonName = "K8s Issuing", Signer = root });
        var server = CertificateFactory.Issue(new CertificateSpec
        {
            Type = OtlpCertificateType.Server, Signer = intermediate,
            DnsNames = { "otel-collector", "otel-collector.observability", "otel-collector.observability.svc", "otel-collector.observability.svc.cluster.local" },
        });
        _ca = _dir.File("ca.crt");
        _server = _dir.File("server.crt");
        _key = _dir.File("server.key");
        CertificateFiles.WriteCertificateAndKey(root, _ca, _dir.File("ca.key"), force: false);
        CertificateFiles.WriteCertificateAndKey(server, _server, _key, force: false);
    }

    public void Dispose() => _dir.Dispose();

    private KubernetesManifestRequest Request() => new()
    {
        Certificates = new[] { PipedCertificate.From(_ca, null), PipedCertificate.From(_server, _key) },
    };

    private static YamlMappingNode[] Documents(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Select(d => (YamlMappingNode)d.RootNode).ToArray();
    }

    private static string Scalar(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            node = ((YamlMappingNode)node).Children[new YamlScalarNode(key)];
        }

        return ((YamlScalarNode)node).Value!;
    }

    private static void AssertObjects(YamlMappingNode[] documents)
    {
        foreach (var document in documents)
        {
            Assert.False(string.IsNullOrEmpty(Scalar(document, "apiVersion")));
            Assert.False(string.IsNullOrEmpty(Scalar(document, "kind")));
            Assert.False(string.IsNullOrEmpty(Scalar(document, "metadata", "name")));
        }
    }

    [Fact]
    [Trait("Reliability", "Secret")]
    public void Secret_decodes_to_the_exact_certificate_chain_key_and_ca_files()
    {
        var documents = Documents(KubernetesManifest.Build(Request()));
        AssertObjects(documents);
        var secret = documents.Single(d => Scalar(d, "kind") == "Secret");
        Assert.Equal("kubernetes.io/tls", Scalar(secret, "type"));
        Assert.Equal(File.ReadAllBytes(_server), Convert.FromBase64String(Scalar(secret, "data", "tls.crt")));
        Assert.Equal(File.ReadAllBytes(_key), Convert.FromBase64String(Scalar(secret, "data", "tls.key")));
        Assert.Equal(File.ReadAllBytes(_ca), Convert.FromBase64String(Scalar(secret, "data", "ca.crt")));
        // tls.crt is the chain: leaf and intermediate.
        Assert.Equal(2, CertificateReader.ReadFile(_server).Count);

        var configMap = documents.Single(d => Scalar(d, "kind") == "ConfigMap");
        Assert.Equal(File.ReadAllText(_ca), Scalar(configMap, "data", "ca.crt"));
        Assert.Equal("default", Scalar(configMap, "metadata", "namespace"));

        var app = documents.Single(d => Scalar(d, "kind") == "Deployment" && Scalar(d, "metadata", "name") == "my-application");
        var container = (YamlMappingNode)((YamlSequenceNode)((YamlMappingNode)((YamlMappingNode)((YamlMappingNode)app.Children[new YamlScalarNode("spec")]).Children[new YamlScalarNode("template")]).Children[new YamlScalarNode("spec")]).Children[new YamlScalarNode("containers")]).Children[0];
        var env = ((YamlSequenceNode)container.Children[new YamlScalarNode("env")]).Children.Cast<YamlMappingNode>().ToDictionary(e => Scalar(e, "name"), e => Scalar(e, "value"));
        Assert.Equal("/etc/otel/ca/ca.crt", env["OTEL_EXPORTER_OTLP_CERTIFICATE"]);
        Assert.Equal("https://otel-collector.observability.svc.cluster.local:4317", env["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Contains("mountPath: /etc/otel/ca", KubernetesManifest.Build(Request()));
    }

    [Fact]
    public void Cert_manager_chain_goes_from_a_self_signed_cluster_issuer_to_the_collector_certificate()
    {
        var request = Request();
        request.CertManager = true;
        var documents = Documents(KubernetesManifest.Build(request));
        AssertObjects(documents);
        Assert.Equal(new[] { "ClusterIssuer", "Certificate", "Issuer", "Certificate", "Deployment", "Deployment" }, documents.Select(d => Scalar(d, "kind")));
        var collector = documents[3];
        Assert.Equal("otel-collector-tls", Scalar(collector, "spec", "secretName"));
        Assert.Equal("2160h", Scalar(collector, "spec", "duration"));
        Assert.Equal("360h", Scalar(collector, "spec", "renewBefore"));
        Assert.Equal("otel-issuer", Scalar(collector, "spec", "issuerRef", "name"));
        var dnsNames = ((YamlSequenceNode)((YamlMappingNode)collector.Children[new YamlScalarNode("spec")]).Children[new YamlScalarNode("dnsNames")]).Children.Select(n => ((YamlScalarNode)n).Value);
        Assert.Equal(KubernetesManifest.ServiceNames(request), dnsNames);
        Assert.Equal("true", Scalar(documents[1], "spec", "isCA"));
        Assert.Equal("otel-ca-secret", Scalar(documents[2], "spec", "ca", "secretName"));
    }

    [Fact]
    [Trait("Reliability", "Secret")]
    public void Manifest_file_is_written_owner_only()
    {
        var path = _dir.File("manifest.yaml");
        KubernetesManifest.Write(path, KubernetesManifest.Build(Request()), force: false);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        Assert.Equal(new[] { "Secret", "ConfigMap", "Deployment", "Deployment" }, Documents(File.ReadAllText(path)).Select(d => Scalar(d, "kind")));
    }

    [Fact]
    [Trait("Reliability", "BadInput")]
    public void Server_certificate_without_the_service_names_is_refused()
    {
        var request = Request();
        request.ServiceName = "collector";
        var ex = Assert.Throws<OtlpTlsException>(() => KubernetesManifest.Build(request));
        Assert.Equal("KubernetesServiceNameMissing", ex.ErrorId);
    }
}
