using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using OtelTls.Engine.Collector;

namespace OtelTls.Engine.Tests.Collector;

/// <summary>
/// One broken configuration per configtls rule and trap: each must produce the expected finding id at the expected YAML
/// path and line. The certificate files are made with openssl, not with the module's own factory.
/// </summary>
public sealed class CollectorLintTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly OpenSslPki _pki;
    private readonly Pem _root;
    private readonly Pem _intermediate;
    private readonly Pem _server;
    private readonly Pem _client;

    public CollectorLintTests()
    {
        _pki = new OpenSslPki(_dir);
        _root = _pki.Root("root");
        _intermediate = _pki.Issue("intermediate", _root, OpenSslPki.CaExtensions);
        _server = _pki.Issue("server", _intermediate, OpenSslPki.Server("DNS:otel-collector,DNS:localhost,IP:127.0.0.1"));
        _client = _pki.Issue("client", _root, OpenSslPki.Client);
        // The collector's cert_file: leaf, then intermediate.
        File.WriteAllText(_dir.File("server-chain.crt"), File.ReadAllText(_server.Cert) + File.ReadAllText(_intermediate.Cert));
    }

    public void Dispose() => _dir.Dispose();

    private string Write(string yaml, string name = "config.yaml")
    {
        var path = _dir.File(name);
        File.WriteAllText(path, yaml.Replace("$DIR", _dir.Path));
        return path;
    }

    private IReadOnlyList<OtlpCollectorComponent> Lint(string yaml, Action<CollectorLintOptions>? configure = null)
    {
        var options = new CollectorLintOptions { Paths = new[] { Write(yaml) }, UseProcessEnvironment = false, CollectorPath = "/certs", LocalPath = _dir.Path };
        configure?.Invoke(options);
        return CollectorConfigLinter.Check(options);
    }

    private static OtlpCollectorFinding Single(IReadOnlyList<OtlpCollectorComponent> components, string id)
    {
        var all = components.SelectMany(c => c.Findings).ToList();
        var matching = all.Where(f => f.Id == id).ToList();
        Assert.True(matching.Count == 1, $"Expected one {id}; got: {string.Join(" | ", all)}");
        return matching[0];
    }

    private static void AssertAt(IReadOnlyList<OtlpCollectorComponent> components, string id, string yamlPath, int line)
    {
        var finding = Single(components, id);
        Assert.Equal(yamlPath, finding.YamlPath);
        Assert.Equal(line, finding.Line);
    }

    private const string GoodReceiver = """
        receivers:
          otlp:
            protocols:
              grpc:
                endpoint: 0.0.0.0:4317
                tls:
                  cert_file: /certs/server-chain.crt
                  key_file: /certs/server.key
        """;

    [Fact]
    [Trait("Reliability", "BadInput")]
    public void Ca_file_and_ca_pem_together_is_reported_at_ca_pem()
    {
        var result = Lint("""
            exporters:
              otlp:
                endpoint: backend:4317
                tls:
                  ca_file: /certs/root.crt
                  ca_pem: "-----BEGIN CERTIFICATE-----"
            """);
        AssertAt(result, OtlpFindingId.CollectorTlsFileAndPem, "exporters.otlp.tls.ca_pem", 6);
    }

    [Fact]
    public void Certificate_without_key_is_reported_at_cert_file()
    {
        var result = Lint("""
            exporters:
              otlp:
                endpoint: backend:4317
                tls:
                  cert_file: /certs/client.crt
            """);
        AssertAt(result, OtlpFindingId.CollectorTlsCertificateWithoutKey, "exporters.otlp.tls.cert_file", 5);
    }

    [Fact]
    public void Receiver_tls_without_certificate_is_reported_at_tls()
    {
        var result = Lint("""
            receivers:
              otlp:
                protocols:
                  http:
                    endpoint: 0.0.0.0:4318
                    tls:
                      client_ca_file: /certs/root.crt
            """);
        AssertAt(result, OtlpFindingId.CollectorReceiverTlsWithoutCertificate, "receivers.otlp.protocols.http.tls", 6);
    }

    [Theory]
    [InlineData("\"1.4\"")]
    [InlineData("1.0")]
    [InlineData("TLSv1.2")]
    public void Unknown_tls_version_is_reported_at_min_version(string version)
    {
        var result = Lint(GoodReceiver + "\n          min_version: " + version + "\n");
        AssertAt(result, OtlpFindingId.CollectorTlsVersionInvalid, "receivers.otlp.protocols.grpc.tls.min_version", 9);
    }

    [Fact]
    public void Min_version_above_max_version_is_reported()
    {
        var result = Lint(GoodReceiver + "\n          min_version: \"1.3\"\n          max_version: \"1.2\"\n");
        AssertAt(result, OtlpFindingId.CollectorTlsMinAboveMax, "receivers.otlp.protocols.grpc.tls.min_version", 9);
    }

    [Fact]
    public void OpenSsl_cipher_name_is_reported_at_its_list_item()
    {
        var result = Lint(GoodReceiver + "\n          cipher_suites:\n            - TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256\n            - ECDHE-RSA-AES256-GCM-SHA384\n");
        AssertAt(result, OtlpFindingId.CollectorTlsCipherSuiteUnknown, "receivers.otlp.protocols.grpc.tls.cipher_suites[1]", 11);
    }

    [Fact]
    public void Cipher_suites_with_min_tls13_are_reported_as_ignored()
    {
        var result = Lint(GoodReceiver + "\n          min_version: \"1.3\"\n          cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]\n");
        AssertAt(result, OtlpFindingId.CollectorTlsCipherSuitesIgnored, "receivers.otlp.protocols.grpc.tls.cipher_suites", 10);
    }

    [Fact]
    public void Unknown_curve_is_reported()
    {
        var result = Lint(GoodReceiver + "\n          curve_preferences: [X25519, secp256r1]\n");
        AssertAt(result, OtlpFindingId.CollectorTlsCurveUnknown, "receivers.otlp.protocols.grpc.tls.curve_preferences[1]", 9);
    }

    [Theory]
    [InlineData("1d")]
    [InlineData("24")]
    public void Reload_interval_that_is_not_a_go_duration_is_reported(string interval)
    {
        var result = Lint(GoodReceiver + "\n          reload_interval: " + interval + "\n");
        AssertAt(result, OtlpFindingId.CollectorTlsReloadIntervalInvalid, "receivers.otlp.protocols.grpc.tls.reload_interval", 9);
    }

    [Fact]
    public void Misspelt_tls_key_is_reported()
    {
        var result = Lint(GoodReceiver + "\n          client_ca: /certs/root.crt\n");
        AssertAt(result, OtlpFindingId.CollectorTlsUnknownKey, "receivers.otlp.protocols.grpc.tls.client_ca", 9);
    }

    [Fact]
    [Trait("Reliability", "BadInput")]
    public void Missing_environment_variable_is_reported_where_it_is_used()
    {
        var yaml = GoodReceiver.Replace("/certs/server.key", "${env:OTEL_KEY_DIR}/server.key");
        AssertAt(Lint(yaml), OtlpFindingId.CollectorEnvVariableMissing, "receivers.otlp.protocols.grpc.tls.key_file", 8);

        var resolved = Lint(yaml, o => o.Environment = new Dictionary<string, string> { ["OTEL_KEY_DIR"] = "/certs" });
        Assert.Empty(resolved.SelfAndFindings());
    }

    [Fact]
    public void Later_files_override_earlier_ones_and_findings_name_the_later_file()
    {
        var first = Write(GoodReceiver, "base.yaml");
        var second = Write("""
            # override
            receivers:
              otlp:
                protocols:
                  grpc:
                    tls:
                      min_version: "1.1"
                      max_version: "1.5"
            """, "override.yaml");
        var result = CollectorConfigLinter.Check(new CollectorLintOptions { Paths = new[] { first, second }, UseProcessEnvironment = false, CollectorPath = "/certs", LocalPath = _dir.Path });
        var finding = Single(result, OtlpFindingId.CollectorTlsVersionInvalid);
        Assert.Equal(second, finding.Path);
        Assert.Equal(8, finding.Line);
        AssertAt(result, OtlpFindingId.CollectorTlsVersionInvalid, "receivers.otlp.protocols.grpc.tls.max_version", 8);
        // cert_file from the first file is still there (no 'without certificate' finding).
        Assert.DoesNotContain(result.SelectMany(c => c.Findings), f => f.Id == OtlpFindingId.CollectorReceiverTlsWithoutCertificate);
    }

    [Fact]
    public void Grpc_exporter_with_http_scheme_still_dials_tls()
    {
        var result = Lint("""
            exporters:
              otlp:
                endpoint: http://backend:4317
            """);
        AssertAt(result, OtlpFindingId.CollectorHttpSchemeStillTls, "exporters.otlp.endpoint", 3);
        Assert.True(result.Single().TlsEnabled);

        var insecure = Lint("exporters:\n  otlp:\n    endpoint: http://backend:4317\n    tls:\n      insecure: true\n");
        Assert.Empty(insecure.SelfAndFindings());
        Assert.False(insecure.Single().TlsEnabled);
        Assert.Equal("http://backend:4317", insecure.Single().Endpoint);
    }

    [Fact]
    public void Insecure_with_ca_file_still_dials_tls()
    {
        var result = Lint("""
            exporters:
              otlp:
                endpoint: backend:4317
                tls:
                  insecure: true
                  ca_file: /certs/root.crt
            """);
        AssertAt(result, OtlpFindingId.CollectorInsecureWithCa, "exporters.otlp.tls.insecure", 5);
        Assert.True(result.Single().TlsEnabled);
    }

    [Fact]
    public void Insecure_skip_verify_is_reported()
    {
        var result = Lint("exporters:\n  otlphttp:\n    endpoint: https://backend:4318\n    tls:\n      insecure_skip_verify: true\n");
        AssertAt(result, OtlpFindingId.CollectorInsecureSkipVerify, "exporters.otlphttp.tls.insecure_skip_verify", 5);
    }

    [Fact]
    public void Receiver_on_all_interfaces_without_tls_is_reported()
    {
        var result = Lint("receivers:\n  otlp:\n    protocols:\n      grpc:\n        endpoint: 0.0.0.0:4317\n      http:\n        endpoint: localhost:4318\n");
        AssertAt(result, OtlpFindingId.CollectorReceiverPlaintextOnAllInterfaces, "receivers.otlp.protocols.grpc.endpoint", 5);
    }

    [Theory]
    [InlineData("otlphttp", "https://backend:4317")]
    [InlineData("otlp", "backend:4318")]
    public void Exporter_port_of_the_other_protocol_is_reported(string type, string endpoint)
    {
        var result = Lint($"exporters:\n  {type}/x:\n    endpoint: {endpoint}\n");
        AssertAt(result, OtlpFindingId.ProtocolPortMismatch, $"exporters.{type}/x.endpoint", 3);
    }

    [Fact]
    public void Missing_certificate_file_is_reported_with_the_collector_and_local_path()
    {
        var result = Lint(GoodReceiver.Replace("server.key", "nope.key"));
        var finding = Single(result, OtlpFindingId.ConfiguredFileNotFound);
        Assert.Equal("receivers.otlp.protocols.grpc.tls.key_file", finding.YamlPath);
        Assert.Equal(8, finding.Line);
        Assert.Contains(_dir.File("nope.key"), finding.Message);
    }

    [Fact]
    public void Der_certificate_is_reported_as_not_pem()
    {
        OpenSsl.Run($"x509 -in \"{_server.Cert}\" -outform der -out \"{_dir.File("server.der")}\"");
        var result = Lint(GoodReceiver.Replace("server-chain.crt", "server.der"));
        AssertAt(result, OtlpFindingId.ConfiguredFileUnreadable, "receivers.otlp.protocols.grpc.tls.cert_file", 7);
    }

    [Fact]
    public void Key_of_another_certificate_is_reported()
    {
        var result = Lint(GoodReceiver.Replace("server.key", "client.key"));
        AssertAt(result, OtlpFindingId.CertificateKeyMismatch, "receivers.otlp.protocols.grpc.tls.cert_file", 7);
    }

    [Fact]
    public void Chain_with_the_ca_first_is_reported_as_out_of_order()
    {
        File.WriteAllText(_dir.File("reversed.crt"), File.ReadAllText(_intermediate.Cert) + File.ReadAllText(_server.Cert));
        var result = Lint(GoodReceiver.Replace("server-chain.crt", "reversed.crt"));
        var finding = result.SelectMany(c => c.Findings).First(f => f.Id == OtlpFindingId.CollectorCertificateChainOrder);
        Assert.Equal("receivers.otlp.protocols.grpc.tls.cert_file", finding.YamlPath);
        Assert.Equal(7, finding.Line);
    }

    [Fact]
    public void Leaf_without_its_intermediate_is_an_incomplete_chain_against_the_trusted_root()
    {
        var result = Lint(GoodReceiver.Replace("server-chain.crt", "server.crt"), o => o.TrustedCaFiles = new[] { _root.Cert });
        AssertAt(result, OtlpFindingId.IncompleteChain, "receivers.otlp.protocols.grpc.tls.cert_file", 7);

        var complete = Lint(GoodReceiver, o => o.TrustedCaFiles = new[] { _root.Cert });
        Assert.Empty(complete.SelfAndFindings());
    }

    [Fact]
    public void Expired_server_certificate_is_reported()
    {
        var expired = _pki.Issue("expired", _root, OpenSslPki.Server("DNS:localhost"), notBefore: DateTimeOffset.UtcNow.AddDays(-30), notAfter: DateTimeOffset.UtcNow.AddDays(-1));
        var result = Lint(GoodReceiver.Replace("server-chain.crt", "expired.crt").Replace("server.key", "expired.key"));
        AssertAt(result, OtlpFindingId.CertificateExpired, "receivers.otlp.protocols.grpc.tls.cert_file", 7);
        Assert.NotNull(expired);
    }

    [Fact]
    public void Client_certificate_served_by_a_receiver_lacks_server_auth()
    {
        var result = Lint(GoodReceiver.Replace("server-chain.crt", "client.crt").Replace("server.key", "client.key"));
        AssertAt(result, OtlpFindingId.KeyUsageMismatch, "receivers.otlp.protocols.grpc.tls.cert_file", 7);
    }

    [Fact]
    public void Receiver_host_not_among_the_certificate_names_is_reported()
    {
        var result = Lint(GoodReceiver.Replace("0.0.0.0:4317", "collector.example.com:4317"));
        AssertAt(result, OtlpFindingId.HostnameMismatch, "receivers.otlp.protocols.grpc.tls.cert_file", 7);
    }

    [Fact]
    public void Client_ca_file_holding_a_leaf_is_reported()
    {
        var result = Lint(GoodReceiver + "\n          client_ca_file: /certs/client.crt\n");
        AssertAt(result, OtlpFindingId.CaFileNotCertificateAuthority, "receivers.otlp.protocols.grpc.tls.client_ca_file", 9);
    }

    [Fact]
    public void Relative_certificate_path_is_reported()
    {
        var result = Lint(GoodReceiver.Replace("/certs/server.key", "server.key"));
        AssertAt(result, OtlpFindingId.RelativeFilePath, "receivers.otlp.protocols.grpc.tls.key_file", 8);
    }

    [Fact]
    [Trait("Reliability", "BadInput")]
    public void Unknown_top_level_key_and_invalid_component_ids_are_reported()
    {
        var result = Lint("recievers:\n  otlp: {}\nexporters:\n  9otlp:\n    endpoint: x:4317\n  debug: verbose\nservice: {}\n");
        AssertAt(result, OtlpFindingId.CollectorUnknownKey, "recievers", 1);
        var invalid = result.SelectMany(c => c.Findings).Where(f => f.Id == OtlpFindingId.CollectorComponentInvalid).ToList();
        Assert.Equal(new[] { ("exporters.9otlp", 4), ("exporters.debug", 6) }, invalid.Select(f => (f.YamlPath, f.Line)).OrderBy(x => x.Item2));
    }

    [Theory]
    [Trait("Reliability", "BadInput")]
    [InlineData("receivers:\n  otlp:\n    protocols: [grpc\n", "CollectorConfigNotYaml")]
    [InlineData("- a\n- b\n", "CollectorConfigInvalid")]
    [InlineData("apiVersion: v1\nkind: ConfigMap\n", "CollectorConfigInvalid")]
    [InlineData("a: 1\n---\nb: 2\n", "CollectorConfigInvalid")]
    [InlineData("receivers:\n  otlp: {}\n  otlp: {}\n", "CollectorConfigNotYaml")]
    public void Input_that_is_not_a_collector_configuration_is_a_clear_error(string yaml, string errorId)
    {
        var ex = Assert.Throws<OtlpTlsException>(() => Lint(yaml));
        Assert.Equal(errorId, ex.ErrorId);
    }

    [Fact]
    public void The_guides_basic_and_advanced_examples_have_no_findings()
    {
        foreach (var (name, source) in new[] { ("server.crt", "server-chain.crt"), ("server.key", "server.key"), ("ca.crt", "root.crt"),
                     ("client-ca.crt", "root.crt"), ("backend-ca.crt", "root.crt"), ("client.crt", "client.crt"), ("client.key", "client.key") })
        {
            File.Copy(_dir.File(source), Path.Combine(GuideDir(), name), overwrite: true);
        }

        foreach (var example in new[] { GuideExamples.Basic, GuideExamples.Advanced })
        {
            var path = Write(example, "guide.yaml");
            var result = CollectorConfigLinter.Check(new CollectorLintOptions
            {
                Paths = new[] { path }, UseProcessEnvironment = false, CollectorPath = "/certs", LocalPath = GuideDir(),
            });
            Assert.Empty(result.SelfAndFindings());
            Assert.Contains(result, c => c.Kind == "exporter" && c.Name == "otlp" && c.CaCertificate == Path.Combine(GuideDir(), "backend-ca.crt"));
        }
    }

    private string GuideDir()
    {
        var dir = _dir.File("guide");
        Directory.CreateDirectory(dir);
        return dir;
    }
}

internal static class LintResultExtensions
{
    /// <summary>All findings as text (empty when none), for assertions that print what was found.</summary>
    public static IEnumerable<string> SelfAndFindings(this IReadOnlyList<OtlpCollectorComponent> components) =>
        components.SelectMany(c => c.Findings).Select(f => f.ToString());
}

/// <summary>The guide's "Collector TLS Configuration" examples, verbatim.</summary>
internal static class GuideExamples
{
    public const string Basic = """
        # otel-collector-config.yaml
        receivers:
          otlp:
            protocols:
              grpc:
                endpoint: 0.0.0.0:4317
                tls:
                  cert_file: /certs/server.crt
                  key_file: /certs/server.key
              http:
                endpoint: 0.0.0.0:4318
                tls:
                  cert_file: /certs/server.crt
                  key_file: /certs/server.key

        exporters:
          otlp:
            endpoint: backend.example.com:4317
            tls:
              # Use system CA bundle
              insecure: false
              # Or specify custom CA
              ca_file: /certs/backend-ca.crt

        service:
          pipelines:
            traces:
              receivers: [otlp]
              exporters: [otlp]
        """;

    public const string Advanced = """
        # otel-collector-config.yaml
        receivers:
          otlp:
            protocols:
              grpc:
                endpoint: 0.0.0.0:4317
                tls:
                  cert_file: /certs/server.crt
                  key_file: /certs/server.key
                  ca_file: /certs/ca.crt
                  # Require client certificates (mTLS)
                  client_ca_file: /certs/client-ca.crt
                  # Minimum TLS version
                  min_version: "1.2"
                  # Maximum TLS version
                  max_version: "1.3"
                  # Cipher suites (TLS 1.2)
                  cipher_suites:
                    - TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
                    - TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384
                  # Reload certificates without restart
                  reload_interval: 24h

        exporters:
          otlp:
            endpoint: backend.example.com:4317
            tls:
              insecure: false
              ca_file: /certs/backend-ca.crt
              cert_file: /certs/client.crt
              key_file: /certs/client.key
              # Server name for verification
              server_name_override: backend.example.com
        """;
}
