using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using OtelTls.Engine.Certificates;
using OtelTls.Engine.Configuration;

namespace OtelTls.Engine.Tests;

public class OtlpEnvironmentPlannerTests
{
    private static Dictionary<string, string?> Changes(OtlpEnvironmentPlan plan) => plan.Changes.ToDictionary(c => c.Key, c => c.Value);

    private static OtlpTlsException Throws(OtlpEnvironmentRequest request, string errorId, OtlpErrorKind kind)
    {
        var ex = Assert.Throws<OtlpTlsException>(() => OtlpEnvironmentPlanner.PlanSet(request));
        Assert.Equal(errorId, ex.ErrorId);
        Assert.Equal(kind, ex.Kind);
        Assert.Contains("Nothing was written", ex.Message);
        return ex;
    }

    [Fact]
    public void GenericAndPerSignalNames()
    {
        using var pki = new EnvironmentPki();
        var plan = OtlpEnvironmentPlanner.PlanSet(new OtlpEnvironmentRequest
        {
            Endpoint = "https://collector:4318", Protocol = OtlpProtocol.HttpProtobuf, CaCertificate = pki.CaCertificate,
            ClientCertificate = pki.ClientCertificate, ClientKey = pki.ClientKey,
        });
        Assert.Equal(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "https://collector:4318",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_EXPORTER_OTLP_CERTIFICATE"] = pki.CaCertificate,
            ["OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE"] = pki.ClientCertificate,
            ["OTEL_EXPORTER_OTLP_CLIENT_KEY"] = pki.ClientKey,
        }, Changes(plan));
        Assert.Empty(plan.Warnings);

        var traces = OtlpEnvironmentPlanner.PlanSet(new OtlpEnvironmentRequest { Signal = OtlpSignal.Traces, Endpoint = "https://t:4318/v1/traces", Protocol = OtlpProtocol.HttpProtobuf, Insecure = true });
        Assert.Equal(new[] { "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_TRACES_INSECURE" }, traces.Changes.Select(c => c.Key));
        Assert.Contains(traces.Warnings, w => w.Contains("disables TLS"));
        Assert.Contains(traces.Warnings, w => w.Contains("no effect with an https://"));
    }

    [Fact]
    public void BadInputIsRejectedBeforeAnythingIsPlanned()
    {
        using var pki = new EnvironmentPki();
        Throws(new OtlpEnvironmentRequest { CaCertificate = "ca.crt" }, "RelativePath", OtlpErrorKind.InvalidArgument);
        Assert.Equal("FileNotFound", Assert.Throws<OtlpTlsException>(() => OtlpEnvironmentPlanner.PlanSet(new OtlpEnvironmentRequest { CaCertificate = pki.Dir.File("nope.crt") })).ErrorId);
        Throws(new OtlpEnvironmentRequest { CaCertificate = pki.ServerCertificate }, "NotCertificateAuthority", OtlpErrorKind.InvalidData);
        Throws(new OtlpEnvironmentRequest { ClientCertificate = pki.ClientCertificate, ClientKey = pki.ServerKey }, "PrivateKeyMismatch", OtlpErrorKind.InvalidData);
        Throws(new OtlpEnvironmentRequest { ClientCertificate = pki.ClientCertificate }, "ClientCertificatePairIncomplete", OtlpErrorKind.InvalidArgument);
        Throws(new OtlpEnvironmentRequest { CaCertificate = pki.CaCertificate, At = DateTimeOffset.UtcNow.AddYears(30) }, "ExpiredCertificateRefused", OtlpErrorKind.InvalidData);
        Throws(new OtlpEnvironmentRequest { Endpoint = "collector:4318" }, "EndpointSchemeMissing", OtlpErrorKind.InvalidArgument);
        Assert.Equal("InvalidSignal", Assert.Throws<OtlpTlsException>(() => OtlpEnvironmentPlanner.PlanSet(new OtlpEnvironmentRequest { Signal = (OtlpSignal)7, Protocol = OtlpProtocol.Grpc })).ErrorId);
        Assert.Equal("InvalidSdk", Assert.Throws<OtlpTlsException>(() => OtlpEnvironmentPlanner.PlanSet(new OtlpEnvironmentRequest { Protocol = OtlpProtocol.Grpc, Sdks = { (OtlpSdk)42 } })).ErrorId);
        Assert.Equal("NothingToSet", Assert.Throws<OtlpTlsException>(() => OtlpEnvironmentPlanner.PlanSet(new OtlpEnvironmentRequest { Sdks = { OtlpSdk.Dotnet } })).ErrorId);

        var der = pki.Dir.File("ca.der");
        File.WriteAllBytes(der, pki.Root.Certificate.GetEncoded());
        Throws(new OtlpEnvironmentRequest { CaCertificate = der }, "NotPem", OtlpErrorKind.InvalidData);

        // The client key: relative paths and DER keys are refused like certificate files are.
        Throws(new OtlpEnvironmentRequest { ClientCertificate = pki.ClientCertificate, ClientKey = "client.key" }, "RelativePath", OtlpErrorKind.InvalidArgument);
        var derKey = pki.Dir.File("client.der");
        var keyPem = File.ReadAllLines(pki.ClientKey).Where(l => !l.StartsWith("-----", StringComparison.Ordinal));
        File.WriteAllBytes(derKey, Convert.FromBase64String(string.Concat(keyPem)));
        Throws(new OtlpEnvironmentRequest { ClientCertificate = pki.ClientCertificate, ClientKey = derKey }, "NotPem", OtlpErrorKind.InvalidData);
    }

    [Fact]
    public void DotnetGetsTheIssuingCaFirstInAReorderedBundle()
    {
        using var dir = new TempDirectory();
        var root = CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.CA, CommonName = "Bundle Root" });
        var issuing = CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.CA, CommonName = "Bundle Issuing", Signer = root });
        var bundle = dir.File("bundle.pem");
        File.WriteAllText(bundle, root.CertificatePem + issuing.CertificatePem);

        var plan = OtlpEnvironmentPlanner.PlanSet(new OtlpEnvironmentRequest { CaCertificate = bundle, Sdks = { OtlpSdk.Dotnet } });
        var file = Assert.Single(plan.Files);
        Assert.Equal(dir.File("bundle.dotnet.pem"), file.Path);
        Assert.Equal(file.Path, Changes(plan)["OTEL_EXPORTER_OTLP_CERTIFICATE"]);
        Assert.Equal(issuing.CertificatePem + root.CertificatePem, file.Content);
        Assert.Contains(plan.Warnings, w => w.Contains("CN=Bundle Issuing") && w.Contains(file.Path));

        // Without -Sdk dotnet the user's file is used as given.
        var plain = OtlpEnvironmentPlanner.PlanSet(new OtlpEnvironmentRequest { CaCertificate = bundle });
        Assert.Empty(plain.Files);
        Assert.Equal(bundle, Changes(plain)["OTEL_EXPORTER_OTLP_CERTIFICATE"]);
    }

    [Fact]
    public void DotnetWarnsAboutClientIntermediatesSignalsAndInsecure()
    {
        using var dir = new TempDirectory();
        var root = CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.CA, CommonName = "R" });
        var issuing = CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.CA, CommonName = "I", Signer = root });
        var client = CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.Client, CommonName = "c", Signer = issuing });
        CertificateFiles.WriteCertificateAndKey(client, dir.File("c.crt"), dir.File("c.key"), true);
        File.WriteAllText(dir.File("ca.crt"), root.CertificatePem);
        var plan = OtlpEnvironmentPlanner.PlanSet(new OtlpEnvironmentRequest
        {
            Signal = OtlpSignal.Traces, CaCertificate = dir.File("ca.crt"), ClientCertificate = dir.File("c.crt"), ClientKey = dir.File("c.key"), Insecure = false, Sdks = { OtlpSdk.Dotnet },
        });
        Assert.Contains(plan.Warnings, w => w.Contains("only the leaf"));
        Assert.Contains(plan.Warnings, w => w.Contains("only the generic"));
        Assert.Contains(plan.Warnings, w => w.Contains("does not read OTEL_EXPORTER_OTLP_INSECURE"));
        Assert.Contains(plan.Warnings, w => w.Contains("holds only the root"));
        Assert.Contains(plan.Warnings, w => w.Contains("before 1.19.0") && w.Contains("The key contents do not contain a PEM"));

        var clientOnly = OtlpEnvironmentPlanner.PlanSet(new OtlpEnvironmentRequest { ClientCertificate = dir.File("c.crt"), ClientKey = dir.File("c.key"), Sdks = { OtlpSdk.Dotnet } });
        Assert.Contains(clientOnly.Warnings, w => w.Contains("RevocationStatusUnknown"));
        Assert.DoesNotContain(clientOnly.Warnings, w => w.Contains("before 1.19.0"));
    }

    [Fact]
    public void SdkSpecificAdditions()
    {
        using var pki = new EnvironmentPki();
        var python = OtlpEnvironmentPlanner.PlanSet(new OtlpEnvironmentRequest { Endpoint = "http://collector:4317", Protocol = OtlpProtocol.Grpc, Sdks = { OtlpSdk.Python } });
        Assert.Equal("true", Changes(python)["OTEL_EXPORTER_OTLP_INSECURE"]);

        var node = OtlpEnvironmentPlanner.PlanSet(new OtlpEnvironmentRequest { CaCertificate = pki.CaCertificate, Sdks = { OtlpSdk.Node } });
        Assert.Equal(pki.CaCertificate, Changes(node)["NODE_EXTRA_CA_CERTS"]);

        var java = OtlpEnvironmentPlanner.PlanSet(new OtlpEnvironmentRequest { ClientCertificate = pki.ClientCertificate, ClientKey = pki.ClientKey, Sdks = { OtlpSdk.Java, OtlpSdk.Python }, Protocol = OtlpProtocol.Grpc });
        Assert.Contains(java.Warnings, w => w.StartsWith("Java:") && w.Contains("OTEL_EXPORTER_OTLP_CERTIFICATE"));
        Assert.Contains(java.Warnings, w => w.StartsWith("Python:") && w.Contains("OTEL_EXPORTER_OTLP_CERTIFICATE"));

        var go = OtlpEnvironmentPlanner.PlanSet(new OtlpEnvironmentRequest { Endpoint = "https://c:4317", Protocol = OtlpProtocol.Grpc, Insecure = true, Sdks = { OtlpSdk.Go } });
        Assert.Contains(go.Warnings, w => w.StartsWith("Go:") && w.Contains("plaintext"));
    }

    [Fact]
    public void CollectorGetsYamlInsteadOfVariables()
    {
        using var pki = new EnvironmentPki();
        var plan = OtlpEnvironmentPlanner.PlanSet(new OtlpEnvironmentRequest
        {
            Endpoint = "https://collector:4317", Protocol = OtlpProtocol.Grpc, CaCertificate = pki.CaCertificate,
            ClientCertificate = pki.ClientCertificate, ClientKey = pki.ClientKey, Sdks = { OtlpSdk.Collector },
        });
        Assert.Empty(plan.Changes);
        Assert.Equal(
            "exporters:\n  otlp:\n    endpoint: \"collector:4317\"\n    tls:\n" +
            $"      ca_file: \"{pki.CaCertificate}\"\n      cert_file: \"{pki.ClientCertificate}\"\n      key_file: \"{pki.ClientKey}\"\n",
            plan.CollectorYaml);

        var plaintext = OtlpEnvironmentPlanner.PlanSet(new OtlpEnvironmentRequest { Endpoint = "http://collector:4318", Protocol = OtlpProtocol.HttpProtobuf, Sdks = { OtlpSdk.Collector, OtlpSdk.Go } });
        Assert.Contains("  otlphttp:\n    endpoint: \"http://collector:4318\"\n    tls:\n      insecure: true\n", plaintext.CollectorYaml);
        Assert.NotEmpty(plaintext.Changes);
    }

    [Fact]
    public void ClearRemovesWhatSetWrites()
    {
        var generic = OtlpEnvironmentPlanner.PlanClear(null);
        Assert.All(generic.Changes, c => Assert.Null(c.Value));
        Assert.Equal(OtlpVariables.TlsOptions.Select(o => "OTEL_EXPORTER_OTLP_" + o), generic.Changes.Select(c => c.Key));
        var logs = OtlpEnvironmentPlanner.PlanClear(OtlpSignal.Logs, new[] { OtlpSdk.Node });
        Assert.Contains("OTEL_EXPORTER_OTLP_LOGS_CLIENT_KEY", logs.Changes.Select(c => c.Key));
        Assert.Contains("NODE_EXTRA_CA_CERTS", logs.Changes.Select(c => c.Key));
    }
}

public class DotEnvAndKubernetesTests
{
    [Fact]
    public void ParseHandlesQuotesExportCommentsAndLaterWins()
    {
        var values = DotEnvFile.Parse("# comment\nexport A=1\nB='x y # z'\nC=\"q \\\"w\\\" \\$HOME\"\nD=plain # trailing\n\nA=2\nnot a line\n");
        Assert.Equal("2", values["A"]);
        Assert.Equal("x y # z", values["B"]);
        Assert.Equal("q \"w\" $HOME", values["C"]);
        Assert.Equal("plain", values["D"]);
        Assert.Equal(4, values.Count);
    }

    [Theory]
    [InlineData("/etc/otel/ca.crt")]
    [InlineData("C:\\Program Files\\otel\\ca.crt")]
    [InlineData("it's $here")]
    [InlineData("https://collector:4318")]
    public void FormatRoundTrips(string value)
    {
        var line = DotEnvFile.FormatLine("V", value);
        Assert.Equal(value, DotEnvFile.Parse(line)["V"]);
    }

    [Fact]
    public void UpdateKeepsOtherLinesInPlace()
    {
        var before = "# otel\r\nFOO=bar\r\nOTEL_EXPORTER_OTLP_ENDPOINT=http://old:4318\r\nOTEL_EXPORTER_OTLP_INSECURE=true\r\nZED=1\r\nOTEL_EXPORTER_OTLP_ENDPOINT=dup\r\n";
        var after = DotEnvFile.Update(before, new[]
        {
            new KeyValuePair<string, string?>("OTEL_EXPORTER_OTLP_ENDPOINT", "https://new:4318"),
            new KeyValuePair<string, string?>("OTEL_EXPORTER_OTLP_INSECURE", null),
            new KeyValuePair<string, string?>("OTEL_EXPORTER_OTLP_CERTIFICATE", "/etc/ca dir/ca.crt"),
        });
        Assert.Equal("# otel\r\nFOO=bar\r\nOTEL_EXPORTER_OTLP_ENDPOINT=https://new:4318\r\nZED=1\r\nOTEL_EXPORTER_OTLP_CERTIFICATE='/etc/ca dir/ca.crt'\r\n", after);
    }

    [Fact]
    public void KubernetesEnvUpdatesByNameAndKeepsOthers()
    {
        var existing = "env:\n  - name: OTHER\n    valueFrom:\n      secretKeyRef: {name: s, key: k}\n  - name: OTEL_EXPORTER_OTLP_ENDPOINT\n    value: \"http://old\"\n";
        var updated = K8s(existing, new[]
        {
            new KeyValuePair<string, string?>("OTEL_EXPORTER_OTLP_ENDPOINT", "https://collector:4317"),
            new KeyValuePair<string, string?>("OTEL_EXPORTER_OTLP_CERTIFICATE", "/certs/ca \"x\".crt"),
        });
        Assert.Equal("env:\n  - name: OTHER\n    valueFrom:\n      secretKeyRef: {name: s, key: k}\n  - name: OTEL_EXPORTER_OTLP_ENDPOINT\n    value: \"https://collector:4317\"\n" +
            "  - name: OTEL_EXPORTER_OTLP_CERTIFICATE\n    value: \"/certs/ca \\\"x\\\".crt\"\n", updated);
        var parsed = KubernetesEnvFile.Parse(updated);
        Assert.Equal("/certs/ca \"x\".crt", parsed["OTEL_EXPORTER_OTLP_CERTIFICATE"]);
        Assert.False(parsed.ContainsKey("OTHER"));
        var cleared = K8s(updated, new[] { new KeyValuePair<string, string?>("OTEL_EXPORTER_OTLP_ENDPOINT", null), new KeyValuePair<string, string?>("OTEL_EXPORTER_OTLP_CERTIFICATE", null) });
        Assert.Equal("env:\n  - name: OTHER\n    valueFrom:\n      secretKeyRef: {name: s, key: k}\n", cleared);
    }

    private static string K8s(string text, KeyValuePair<string, string?>[] changes) =>
        System.Text.Encoding.UTF8.GetString(KubernetesEnvFile.Update(System.Text.Encoding.UTF8.GetBytes(text), changes, "env.yaml"));
}
