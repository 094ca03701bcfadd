using System;
using System.IO;
using System.Linq;
using OtelTls.Engine.Certificates;
using OtelTls.Engine.Collector;
using YamlDotNet.RepresentationModel;

namespace OtelTls.Engine.Tests.Collector;

/// <summary>
/// The generated tls: settings: what they name, that they parse, that the check finds nothing in them, and that merging
/// into an existing configuration changes only the tls: keys.
/// </summary>
public sealed class CollectorGenerateTests : IDisposable
{
    private readonly TestPki _pki = new();

    public void Dispose() => _pki.Dispose();

    private CollectorTlsRequest Request(Action<CollectorTlsRequest>? configure = null)
    {
        var request = new CollectorTlsRequest
        {
            Certificates = new[]
            {
                PipedCertificate.From(_pki.RootFile, null), PipedCertificate.From(_pki.ServerFile, _pki.ServerKeyFile), PipedCertificate.From(_pki.ClientFile, _pki.ClientKeyFile),
            },
            CollectorPath = "/etc/otelcol/tls",
        };
        configure?.Invoke(request);
        return request;
    }

    private static YamlMappingNode Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static string At(YamlMappingNode root, string dotted)
    {
        YamlNode node = root;
        foreach (var key in dotted.Split('.'))
        {
            node = ((YamlMappingNode)node).Children[new YamlScalarNode(key)];
        }

        return node is YamlScalarNode s ? s.Value! : string.Join(",", ((YamlSequenceNode)node).Children.Select(c => ((YamlScalarNode)c).Value));
    }

    [Fact]
    public void Receiver_and_exporter_settings_name_the_files_at_the_collector_path()
    {
        var plan = CollectorTlsGenerator.Plan(Request(r =>
        {
            r.CipherSuites = new[] { "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256" };
            r.ReloadInterval = "24h";
            r.MaxVersion = OtlpTlsVersion.Tls13;
        }));
        var root = Parse(plan.Yaml);
        foreach (var protocol in new[] { "grpc", "http" })
        {
            var tls = $"receivers.otlp.protocols.{protocol}.tls";
            Assert.Equal("/etc/otelcol/tls/server.crt", At(root, tls + ".cert_file"));
            Assert.Equal("/etc/otelcol/tls/server.key", At(root, tls + ".key_file"));
            // The client certificate was issued by the intermediate, which is not among the piped CAs: the root is the fallback.
            Assert.Equal("/etc/otelcol/tls/root.crt", At(root, tls + ".client_ca_file"));
            Assert.Equal("1.2", At(root, tls + ".min_version"));
            Assert.Equal("1.3", At(root, tls + ".max_version"));
            Assert.Equal("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", At(root, tls + ".cipher_suites"));
            Assert.Equal("24h", At(root, tls + ".reload_interval"));
        }

        Assert.Equal("false", At(root, "exporters.otlp.tls.insecure"));
        Assert.Equal("/etc/otelcol/tls/root.crt", At(root, "exporters.otlp.tls.ca_file"));
        Assert.Equal("/etc/otelcol/tls/client.crt", At(root, "exporters.otlp.tls.cert_file"));
        Assert.Equal("/etc/otelcol/tls/client.key", At(root, "exporters.otlp.tls.key_file"));
        // Versions are strings: an unquoted 1.2 would reach the collector as a number.
        Assert.Contains("min_version: \"1.2\"", plan.Yaml);
    }

    [Fact]
    public void Generated_configuration_passes_the_check_with_the_collector_path_mapped()
    {
        var plan = CollectorTlsGenerator.Plan(Request(r => r.ListenHost = "0.0.0.0"));
        var file = _pki.Directory.File("generated.yaml");
        File.WriteAllText(file, plan.Yaml);
        var result = CollectorConfigLinter.Check(new CollectorLintOptions
        {
            Paths = new[] { file }, UseProcessEnvironment = false, CollectorPath = "/etc/otelcol/tls", LocalPath = _pki.Directory.Path,
            TrustedCaFiles = new[] { _pki.RootFile },
        });
        Assert.Empty(result.SelfAndFindings());
        Assert.Equal(3, result.Count);
    }

    [Fact]
    public void Exporter_endpoint_host_outside_the_server_names_gets_server_name_override()
    {
        var plan = CollectorTlsGenerator.Plan(Request(r =>
        {
            r.Sides = new[] { "Exporter" };
            r.ExporterEndpoint = "10.1.2.3:4317";
        }));
        var root = Parse(plan.Yaml);
        Assert.Equal("localhost", At(root, "exporters.otlp.tls.server_name_override"));
        Assert.Equal("10.1.2.3:4317", At(root, "exporters.otlp.endpoint"));
        Assert.False(root.Children.ContainsKey(new YamlScalarNode("receivers")));
    }

    [Theory]
    [Trait("Reliability", "BadInput")]
    [InlineData("MinVersion", "4", "CollectorTlsVersionArgumentInvalid")]
    [InlineData("Cipher", "ECDHE-RSA-AES128-GCM-SHA256", "CollectorTlsCipherSuiteArgumentUnknown")]
    [InlineData("Reload", "1d", "CollectorTlsReloadIntervalArgumentInvalid")]
    public void Invalid_tls_options_are_refused_before_anything_is_produced(string option, string value, string errorId)
    {
        var ex = Assert.Throws<OtlpTlsException>(() => CollectorTlsGenerator.Plan(Request(r =>
        {
            switch (option)
            {
                case "MinVersion": r.MinVersion = (OtlpTlsVersion)long.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break; // past Tls13
                case "Cipher": r.CipherSuites = new[] { value }; break;
                default: r.ReloadInterval = value; break;
            }
        })));
        Assert.Equal(errorId, ex.ErrorId);
    }

    private const string Existing = """
        # Production collector. Do not reformat: reviewed line by line.
        extensions:
          health_check: {}   # liveness

        receivers:
          otlp:
            protocols:
              grpc:
                endpoint: 0.0.0.0:4317
                tls:
                  cert_file: /old/server.crt   # rotated yearly
                  # the key lives next to it
                  key_file: '/old/server.key'
                  reload_interval: 1h
              http:
                endpoint: "0.0.0.0:4318"

          # host metrics come from node exporters
          prometheus:
            config:
              scrape_configs:
                - job_name: node
                  static_configs: [{ targets: ["node:9100"] }]

        processors:
          batch:
            timeout: 5s

        exporters:
          otlp:
            endpoint: backend.example.com:4317
            tls:
              insecure: true
          debug:
            verbosity: detailed

        service:
          extensions: [health_check]
          pipelines:
            traces:
              receivers: [otlp]
              processors: [batch]
              exporters: [otlp, debug]
        """;

    [Fact]
    public void Merge_changes_only_the_tls_keys_and_keeps_every_other_byte()
    {
        var file = _pki.Directory.File("config.yaml");
        File.WriteAllText(file, Existing.Replace("\n", "\r\n"));
        var plan = CollectorTlsGenerator.Plan(Request());
        var merged = plan.WriteInto(file);
        Assert.Equal(merged, File.ReadAllText(file));

        var before = Existing.Replace("\n", "\r\n").Split("\r\n");
        var after = merged.Split("\r\n");
        // Every original line is still there, in order, except the values that were replaced in place.
        var changed = before.Where(l => !after.Contains(l)).ToArray();
        Assert.Equal(new[]
        {
            "          cert_file: /old/server.crt   # rotated yearly",
            "          key_file: '/old/server.key'",
            "      insecure: true",
        }, changed);
        Assert.Contains("          cert_file: /etc/otelcol/tls/server.crt   # rotated yearly", after);
        Assert.Contains("          key_file: /etc/otelcol/tls/server.key", after);
        Assert.Contains("          reload_interval: 1h", after);
        Assert.Contains("      insecure: false", after);
        // Lines that are not TLS settings: identical and in the same order.
        var untouched = before.Where(l => after.Contains(l)).ToArray();
        Assert.True(IsSubsequence(untouched, after), "The untouched lines are not all kept in their order.");
        var added = after.Where(l => !before.Contains(l)).Select(l => l.Trim().Split(':')[0]).Distinct().OrderBy(k => k).ToArray();
        Assert.Equal(new[] { "ca_file", "cert_file", "client_ca_file", "insecure", "key_file", "min_version" }, added);

        var root = Parse(merged);
        Assert.Equal("/etc/otelcol/tls/server.crt", At(root, "receivers.otlp.protocols.http.tls.cert_file"));
        Assert.Equal("0.0.0.0:4318", At(root, "receivers.otlp.protocols.http.endpoint"));
    }

    private static bool IsSubsequence(string[] needle, string[] haystack)
    {
        var i = 0;
        foreach (var line in haystack)
        {
            if (i < needle.Length && needle[i] == line)
            {
                i++;
            }
        }

        return i == needle.Length;
    }

    [Fact]
    [Trait("Reliability", "WriterFault")]
    public void Merge_keeps_the_file_mode_and_the_byte_order_mark()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var file = _pki.Directory.File("config.yaml");
        File.WriteAllBytes(file, new byte[] { 0xEF, 0xBB, 0xBF }.Concat(System.Text.Encoding.UTF8.GetBytes(Existing)).ToArray());
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        CollectorTlsGenerator.Plan(Request()).WriteInto(file);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(file));
        var bytes = File.ReadAllBytes(file);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes.Take(3).ToArray());
        Assert.DoesNotContain(Directory.GetFiles(_pki.Directory.Path), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    [Trait("Reliability", "WriterFault")]
    public void Merge_into_a_symbolic_link_replaces_the_target_and_keeps_the_link()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var target = _pki.Directory.File("real.yaml");
        File.WriteAllText(target, Existing);
        var link = _pki.Directory.File("link.yaml");
        File.CreateSymbolicLink(link, target);
        CollectorTlsGenerator.Plan(Request()).WriteInto(link);
        Assert.NotNull(new FileInfo(link).LinkTarget);
        Assert.Contains("/etc/otelcol/tls/server.crt", File.ReadAllText(target));
    }

    [Theory]
    [Trait("Reliability", "BadInput")]
    [InlineData("receivers: { otlp: { protocols: { grpc: { endpoint: 0.0.0.0:4317 } } } }\n", "CollectorConfigFlowStyle")]
    [InlineData("receivers:\n  otlp:\n    protocols: grpc\n", "CollectorConfigMergeConflict")]
    [InlineData("receivers: [\n", "CollectorConfigNotYaml")]
    [InlineData("kind: Deployment\napiVersion: apps/v1\n", "CollectorConfigInvalid")]
    public void Merge_into_what_cannot_be_edited_safely_writes_nothing(string content, string errorId)
    {
        var file = _pki.Directory.File("config.yaml");
        File.WriteAllText(file, content);
        var ex = Assert.Throws<OtlpTlsException>(() => CollectorTlsGenerator.Plan(Request()).WriteInto(file));
        Assert.Equal(errorId, ex.ErrorId);
        Assert.Equal(content, File.ReadAllText(file));
    }

    [Fact]
    public void Merge_under_an_empty_protocol_key_nests_the_tls_block_below_it()
    {
        var file = _pki.Directory.File("config.yaml");
        File.WriteAllText(file, "receivers:\n  otlp:\n    protocols:\n      grpc:\n      http:\nexporters:\n  debug: {}\n");
        var merged = CollectorTlsGenerator.Plan(Request(r => r.Sides = new[] { "Receiver" })).WriteInto(file);
        Assert.StartsWith("receivers:\n  otlp:\n    protocols:\n      grpc:\n        tls:\n          cert_file: /etc/otelcol/tls/server.crt\n", merged);
        Assert.EndsWith("exporters:\n  debug: {}\n", merged);
        Assert.Equal("/etc/otelcol/tls/server.key", At(Parse(merged), "receivers.otlp.protocols.http.tls.key_file"));
    }

    [Theory]
    [InlineData("~")]
    [InlineData("null")]
    public void Merge_under_a_protocol_key_written_as_null_replaces_the_null(string written)
    {
        var file = _pki.Directory.File("config.yaml");
        File.WriteAllText(file, $"receivers:\n  otlp:\n    protocols:\n      grpc: {written}  # default endpoint\n");
        var merged = CollectorTlsGenerator.Plan(Request(r => { r.Sides = new[] { "Receiver" }; r.Protocols = new[] { OtlpProtocol.Grpc }; })).WriteInto(file);
        Assert.StartsWith("receivers:\n  otlp:\n    protocols:\n      grpc:   # default endpoint\n        tls:\n", merged);
        Assert.Equal("/etc/otelcol/tls/server.crt", At(Parse(merged), "receivers.otlp.protocols.grpc.tls.cert_file"));
    }
}
