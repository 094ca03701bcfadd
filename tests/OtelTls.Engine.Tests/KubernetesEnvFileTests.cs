using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using OtelTls.Engine.Configuration;
using YamlDotNet.RepresentationModel;
using System.Runtime.Versioning;

namespace OtelTls.Engine.Tests;

/// <summary>
/// -Target Kubernetes on real manifests: the result parses, the env entries are right in every container, and every
/// byte outside the changed entries (comments, other keys, other documents, quoting) is as it was.
/// </summary>
public class KubernetesEnvFileTests
{
    /// <summary>A ConfigMap, then a Deployment with two containers (one with env and valueFrom, one without), an init container, comments.</summary>
    internal const string Deployment =
        "# ConfigMap first: a multi-document file\n" +
        "apiVersion: v1\n" +
        "kind: ConfigMap\n" +
        "metadata:\n" +
        "  name: app-config\n" +
        "data:\n" +
        "  containers: \"not a list\"   # a key named containers that is not one\n" +
        "---\n" +
        "apiVersion: apps/v1\n" +
        "kind: Deployment\n" +
        "metadata:\n" +
        "  name: shop   # the shop\n" +
        "  labels: {app: shop, tier: \"web\"}\n" +
        "spec:\n" +
        "  replicas: 2\n" +
        "  template:\n" +
        "    metadata:\n" +
        "      annotations:\n" +
        "        note: |\n" +
        "          multi-line\n" +
        "          text\n" +
        "    spec:\n" +
        "      initContainers:\n" +
        "      - name: migrate\n" +
        "        image: shop/migrate:1.0\n" +
        "      containers:\n" +
        "      - name: app\n" +
        "        image: 'shop/app:2.1'\n" +
        "        env:\n" +
        "        # database\n" +
        "        - name: DB_HOST\n" +
        "          value: db.internal   # plain\n" +
        "        - name: OTEL_EXPORTER_OTLP_ENDPOINT\n" +
        "          value: \"http://old:4318\"\n" +
        "        - name: API_KEY\n" +
        "          valueFrom:\n" +
        "            secretKeyRef: {name: api, key: key}\n" +
        "        ports:\n" +
        "        - containerPort: 8080\n" +
        "      - name: sidecar   # no env yet\n" +
        "        image: envoy:1.30\n" +
        "        args: [\"--log\", \"info\"]\n" +
        "      volumes:\n" +
        "      - name: certs\n" +
        "        secret: {secretName: otel-tls}\n";

    private static readonly KeyValuePair<string, string?>[] SetTls =
    {
        new("OTEL_EXPORTER_OTLP_ENDPOINT", "https://collector:4318"),
        new("OTEL_EXPORTER_OTLP_CERTIFICATE", "/etc/otel/tls/ca.crt"),
    };

    private static string Update(string text, params KeyValuePair<string, string?>[] changes) =>
        Encoding.UTF8.GetString(KubernetesEnvFile.Update(Encoding.UTF8.GetBytes(text), changes, "deploy.yaml"));

    internal sealed record Container(string Name, Dictionary<string, string> Env, List<string> ValueFrom);

    internal static List<Container> Containers(YamlStream stream)
    {
        var result = new List<Container>();
        foreach (var document in stream.Documents)
        {
            var root = (YamlMappingNode)document.RootNode;
            if (((YamlScalarNode)root["kind"]).Value != "Deployment")
            {
                continue;
            }

            var spec = (YamlMappingNode)((YamlMappingNode)((YamlMappingNode)root["spec"])["template"])["spec"];
            foreach (YamlMappingNode container in ((YamlSequenceNode)spec["containers"]).Children)
            {
                var env = new Dictionary<string, string>();
                var valueFrom = new List<string>();
                if (container.Children.TryGetValue(new YamlScalarNode("env"), out var list) && list is YamlSequenceNode entries)
                {
                    foreach (YamlMappingNode entry in entries.Children)
                    {
                        var name = ((YamlScalarNode)entry["name"]).Value!;
                        if (entry.Children.TryGetValue(new YamlScalarNode("value"), out var value))
                        {
                            env.Add(name, ((YamlScalarNode)value).Value!);
                        }
                        else
                        {
                            valueFrom.Add(name);
                        }
                    }
                }

                result.Add(new Container(((YamlScalarNode)container["name"]).Value!, env, valueFrom));
            }
        }

        return result;
    }

    private static List<Container> Load(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        Assert.Equal(2, stream.Documents.Count);
        return Containers(stream);
    }

    [Fact]
    [Trait("Reliability", "WriterFault")]
    public void Kubernetes_deployment_stays_valid_yaml_with_everything_else_kept()
    {
        var after = Update(Deployment, SetTls);
        var containers = Load(after);
        Assert.Equal(new[] { "app", "sidecar" }, containers.Select(c => c.Name));
        var app = containers[0];
        Assert.Equal("db.internal", app.Env["DB_HOST"]);
        Assert.Equal("https://collector:4318", app.Env["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Equal("/etc/otel/tls/ca.crt", app.Env["OTEL_EXPORTER_OTLP_CERTIFICATE"]);
        Assert.Equal(new[] { "API_KEY" }, app.ValueFrom);
        Assert.Equal(new Dictionary<string, string> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "https://collector:4318", ["OTEL_EXPORTER_OTLP_CERTIFICATE"] = "/etc/otel/tls/ca.crt" },
            containers[1].Env);

        // Every original line is still there, in order, byte for byte, except the one value that changed.
        var kept = Deployment.Split('\n').Where(l => !l.Contains("http://old:4318", StringComparison.Ordinal)).ToList();
        var lines = after.Split('\n').ToList();
        var at = 0;
        foreach (var line in kept)
        {
            at = lines.IndexOf(line, at);
            Assert.True(at >= 0, $"line lost or changed: '{line}'");
            at++;
        }

        Assert.Contains("          value: \"https://collector:4318\"\n        - name: API_KEY", after);
        Assert.Contains("        args: [\"--log\", \"info\"]\n        env:\n          - name: OTEL_EXPORTER_OTLP_ENDPOINT\n", after);
    }

    [Fact]
    [Trait("Reliability", "WriterFault")]
    public void Kubernetes_set_then_clear_gives_back_the_original_bytes()
    {
        var original = Deployment.Replace("        - name: OTEL_EXPORTER_OTLP_ENDPOINT\n          value: \"http://old:4318\"\n", string.Empty);
        var set = Update(original, SetTls);
        Assert.NotEqual(original, set);
        var cleared = Update(set, OtlpEnvironmentPlanner.PlanClear(null).Changes.ToArray());
        // The sidecar keeps an empty env: key, everything else is the original.
        Assert.Equal(original.Replace("        args: [\"--log\", \"info\"]\n", "        args: [\"--log\", \"info\"]\n        env:\n"), cleared);
        Load(cleared);
    }

    [Fact]
    [Trait("Reliability", "WriterFault")]
    public void Kubernetes_crlf_and_byte_order_mark_are_kept()
    {
        var crlf = Deployment.Replace("\n", "\r\n");
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes(crlf)).ToArray();
        var after = KubernetesEnvFile.Update(bytes, SetTls, "deploy.yaml");
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, after.Take(3));
        var text = Encoding.UTF8.GetString(after, 3, after.Length - 3);
        Assert.DoesNotContain("\n", text.Replace("\r\n", string.Empty));
        Assert.Equal("https://collector:4318", Load(text)[1].Env["OTEL_EXPORTER_OTLP_ENDPOINT"]);
    }

    [Fact]
    [Trait("Reliability", "WriterFault")]
    public void Kubernetes_value_from_entry_of_the_same_name_gives_way_to_the_value()
    {
        var text = "containers:\n  - name: a\n    env:\n      - name: OTEL_EXPORTER_OTLP_ENDPOINT\n        valueFrom:\n          configMapKeyRef: {name: c, key: k}\n      - name: B\n        value: \"1\"\n";
        var after = Update(text, SetTls[0]);
        Assert.Equal("containers:\n  - name: a\n    env:\n      - name: B\n        value: \"1\"\n      - name: OTEL_EXPORTER_OTLP_ENDPOINT\n        value: \"https://collector:4318\"\n", after);
    }

    [Fact]
    [Trait("Reliability", "WriterFault")]
    public void Kubernetes_empty_env_and_env_list_files()
    {
        Assert.Equal("containers:\n- name: a\n  env:\n    - name: OTEL_EXPORTER_OTLP_ENDPOINT\n      value: \"https://collector:4318\" # none yet\n  image: x\n",
            Update("containers:\n- name: a\n  env: [] # none yet\n  image: x\n", SetTls[0]));
        Assert.Equal("env:\n  - name: OTEL_EXPORTER_OTLP_ENDPOINT\n    value: \"https://collector:4318\"\n", Update(string.Empty, SetTls[0]));
        Assert.Equal("# for the app\nenv:\n  - name: OTEL_EXPORTER_OTLP_ENDPOINT\n    value: \"https://collector:4318\"\n", Update("# for the app", SetTls[0]));
        Assert.Equal("# mine\nenv:\n- name: A\n  value: b\n- name: OTEL_EXPORTER_OTLP_ENDPOINT\n  value: \"https://collector:4318\"\n",
            Update("# mine\nenv:\n- name: A\n  value: b", SetTls[0]));
    }

    [Theory]
    [InlineData("containers:\n  - name: a\n    env: [{name: X, value: y}]\n", "KubernetesManifestUnsupported")]
    [InlineData("containers: [{name: a, image: b}]\n", "KubernetesManifestUnsupported")]
    [InlineData("kind: Service\nspec:\n  ports: [80]\n", "KubernetesNoContainers")]
    [InlineData("containers:\n  - name: a\n   bad: indent\n", "KubernetesManifestInvalid")]
    [Trait("Reliability", "BadInput")]
    public void Kubernetes_what_cannot_be_edited_safely_is_refused(string text, string errorId)
    {
        var error = Assert.Throws<OtlpTlsException>(() => Update(text, SetTls));
        Assert.Equal(errorId, error.ErrorId);
    }

    [Fact]
    [Trait("Reliability", "WriterFault")]
    [UnsupportedOSPlatform("windows")] // Unix file modes; Windows has ACLs (tested apart)
    public void Kubernetes_file_keeps_its_mode_and_is_not_rewritten_without_change()
    {
        using var dir = new TempDirectory();
        var file = dir.File("deploy.yaml");
        File.WriteAllText(file, Deployment);
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        var plan = WriterFaultTests.Plan(SetTls);
        OtlpEnvironmentTargets.Apply(OtlpEnvironmentTarget.Kubernetes, file, plan);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(file));
        var stamp = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(file, stamp);
        OtlpEnvironmentTargets.Apply(OtlpEnvironmentTarget.Kubernetes, file, plan);
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(file));
        var back = OtlpEnvironmentTargets.ReadBack(OtlpEnvironmentTarget.Kubernetes, file, plan);
        Assert.Equal(file, back.Source);
    }
}
