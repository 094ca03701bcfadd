using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using OtelTls.Engine.Certificates;
using YamlDotNet.Serialization;
using OtelTls.Engine.Vocabulary;

namespace OtelTls.Engine.Collector
{
    /// <summary>What <see cref="KubernetesManifest.Build"/> produces the objects from.</summary>
    public sealed class KubernetesManifestRequest
    {
        /// <summary>Certificates from New-OtlpCertificate: the CA and the collector's server certificate (with its KeyPath).</summary>
        public IReadOnlyList<OtlpCertificate> Certificates { get; set; } = Array.Empty<OtlpCertificate>();

        /// <summary>The collector's namespace.</summary>
        public string Namespace { get; set; } = "observability";

        /// <summary>The collector's Service (and Deployment) name: the DNS names of the cert-manager Certificate derive from it.</summary>
        public string ServiceName { get; set; } = "otel-collector";

        /// <summary>The collector's container name in its Deployment.</summary>
        public string CollectorContainer { get; set; } = "collector";

        /// <summary>The namespace of the applications (the CA ConfigMap goes there).</summary>
        public string ApplicationNamespace { get; set; } = "default";

        /// <summary>The application Deployment the patch is for.</summary>
        public string ApplicationDeployment { get; set; } = "my-application";

        /// <summary>The application's container name.</summary>
        public string ApplicationContainer { get; set; } = "app";

        /// <summary>Where the collector sees the Secret's files (<c>tls.crt</c>, <c>tls.key</c>, <c>ca.crt</c>).</summary>
        public string CollectorMountPath { get; set; } = "/etc/otelcol/tls";

        /// <summary>Where applications see the CA (<c>ca.crt</c>).</summary>
        public string ApplicationMountPath { get; set; } = "/etc/otel/ca";

        /// <summary>Issue the certificates in the cluster with cert-manager instead of shipping the local PKI as a Secret.</summary>
        public bool CertManager { get; set; }

        /// <summary>cert-manager Certificate duration (Go duration).</summary>
        public string Duration { get; set; } = "2160h";

        /// <summary>cert-manager renewBefore.</summary>
        public string RenewBefore { get; set; } = "360h";
    }

    /// <summary>
    /// The Kubernetes objects that deliver the collector's certificates: a <c>kubernetes.io/tls</c> Secret (or the
    /// cert-manager chain that issues it), the CA ConfigMap for applications, and strategic-merge patches for the
    /// collector and application Deployments (volumes, mounts, <c>OTEL_EXPORTER_OTLP_CERTIFICATE</c>). Emitted by a YAML
    /// serializer, one document per object.
    /// </summary>
    public static class KubernetesManifest
    {
        private const string SecretName = "-tls";

        private static readonly ISerializer Serializer = new SerializerBuilder().WithQuotingNecessaryStrings().Build();

        /// <summary>The serving certificate's key usages (only serialized, never changed).</summary>
        private static readonly string[] ServerCertificateUsages = { "server auth", "digital signature", "key encipherment" };

        /// <summary>The manifest as multi-document YAML.</summary>
        public static string Build(KubernetesManifestRequest request)
        {
            var documents = new List<Dictionary<string, object>>();
            var secretName = request.ServiceName + SecretName;
            var caFile = (string?)null;
            if (request.CertManager)
            {
                documents.AddRange(CertManager(request, secretName));
            }
            else
            {
                var (server, ca) = Pki(request);
                caFile = ca;
                documents.Add(Object("v1", "Secret", secretName, request.Namespace, new Dictionary<string, object>
                {
                    ["type"] = "kubernetes.io/tls",
                    ["data"] = new Dictionary<string, object>
                    {
                        ["tls.crt"] = Base64(server.Path!),
                        ["tls.key"] = Base64(server.KeyPath!),
                        ["ca.crt"] = Base64(ca),
                    },
                }));
            }

            if (caFile is not null)
            {
                documents.Add(Object("v1", "ConfigMap", "otel-ca-bundle", request.ApplicationNamespace, new Dictionary<string, object>
                {
                    ["data"] = new Dictionary<string, object> { ["ca.crt"] = ReadText(caFile) },
                }));
            }

            documents.Add(CollectorPatch(request, secretName));
            documents.Add(ApplicationPatch(request));
            var builder = new StringBuilder();
            foreach (var document in documents)
            {
                builder.Append("---\n").Append(Serializer.Serialize(document));
            }

            return builder.ToString();
        }

        /// <summary>Writes the manifest owner-only (it holds a private key) and atomically.</summary>
        public static void Write(string path, string manifest, bool force) =>
            CertificateFiles.WriteAll(force, (path, new UTF8Encoding(false).GetBytes(manifest), true));

        private static (OtlpCertificate Server, string Ca) Pki(KubernetesManifestRequest request)
        {
            var roles = PipedCertificateRoles.Classify(request.Certificates, new[] { OtlpCertificateUsage.Server }, "the collector reads");
            var server = roles.Server;
            var ca = roles.Root;
            if (server?.Path is null || server.KeyPath is null || ca?.Path is null)
            {
                throw new OtlpTlsException(OtlpErrorId.KubernetesPkiIncomplete, OtlpErrorKind.InvalidArgument,
                    server is null ? "No server certificate was given for the collector's Secret."
                    : server.KeyPath is null ? $"The server certificate '{server.Path}' carries no key file."
                    : "No CA certificate was given for ca.crt and the applications' ConfigMap.", null,
                    "Pipe the CA and the server certificate from New-OtlpCertificate (-Type CA, then -Type Server with the Service's DNS names), or use -CertManager.");
            }

            var names = server.DnsNames;
            var expected = ServiceNames(request);
            if (!expected.Any(n => names.Contains(n, StringComparer.OrdinalIgnoreCase)))
            {
                throw new OtlpTlsException(OtlpErrorId.KubernetesServiceNameMissing, OtlpErrorKind.InvalidArgument,
                    $"The server certificate '{server.Subject}' names none of the Service's DNS names ({string.Join(", ", expected)}); applications would fail the hostname check.",
                    server.Path, "Issue it with New-OtlpCertificate -Type Server -DnsName " + string.Join(",", expected) + ", or give -ServiceName/-Namespace that match it.");
            }

            return (server, ca.Path);
        }

        /// <summary>The names applications use for the Service, short to fully qualified.</summary>
        public static string[] ServiceNames(KubernetesManifestRequest request) => new[]
        {
            request.ServiceName,
            $"{request.ServiceName}.{request.Namespace}",
            $"{request.ServiceName}.{request.Namespace}.svc",
            $"{request.ServiceName}.{request.Namespace}.svc.cluster.local",
        };

        private static IEnumerable<Dictionary<string, object>> CertManager(KubernetesManifestRequest request, string secretName)
        {
            yield return Object("cert-manager.io/v1", "ClusterIssuer", "selfsigned-issuer", null, new Dictionary<string, object>
            {
                ["spec"] = new Dictionary<string, object> { ["selfSigned"] = new Dictionary<string, object>() },
            });
            yield return Object("cert-manager.io/v1", "Certificate", "otel-ca", request.Namespace, new Dictionary<string, object>
            {
                ["spec"] = new Dictionary<string, object>
                {
                    ["isCA"] = true,
                    ["commonName"] = "otel-ca",
                    ["secretName"] = "otel-ca-secret",
                    ["privateKey"] = new Dictionary<string, object> { ["algorithm"] = "ECDSA", ["size"] = 256 },
                    ["issuerRef"] = new Dictionary<string, object> { ["name"] = "selfsigned-issuer", ["kind"] = "ClusterIssuer", ["group"] = "cert-manager.io" },
                },
            });
            yield return Object("cert-manager.io/v1", "Issuer", "otel-issuer", request.Namespace, new Dictionary<string, object>
            {
                ["spec"] = new Dictionary<string, object> { ["ca"] = new Dictionary<string, object> { ["secretName"] = "otel-ca-secret" } },
            });
            yield return Object("cert-manager.io/v1", "Certificate", request.ServiceName + "-cert", request.Namespace, new Dictionary<string, object>
            {
                ["spec"] = new Dictionary<string, object>
                {
                    ["secretName"] = secretName,
                    ["duration"] = request.Duration,
                    ["renewBefore"] = request.RenewBefore,
                    ["commonName"] = request.ServiceName,
                    ["dnsNames"] = ServiceNames(request),
                    ["usages"] = ServerCertificateUsages,
                    ["privateKey"] = new Dictionary<string, object> { ["algorithm"] = "ECDSA", ["size"] = 256, ["rotationPolicy"] = "Always" },
                    ["issuerRef"] = new Dictionary<string, object> { ["name"] = "otel-issuer", ["kind"] = "Issuer", ["group"] = "cert-manager.io" },
                },
            });
        }

        private static Dictionary<string, object> CollectorPatch(KubernetesManifestRequest request, string secretName) =>
            Object("apps/v1", "Deployment", request.ServiceName, request.Namespace, new Dictionary<string, object>
            {
                ["spec"] = PodSpec(new Dictionary<string, object>
                {
                    ["volumes"] = new object[]
                    {
                        new Dictionary<string, object>
                        {
                            ["name"] = "otel-collector-tls",
                            // No defaultMode: the collector image runs as a non-root user that a stricter mode would lock out
                            // unless the pod also sets fsGroup.
                            ["secret"] = new Dictionary<string, object> { ["secretName"] = secretName },
                        },
                    },
                    ["containers"] = new object[]
                    {
                        new Dictionary<string, object>
                        {
                            ["name"] = request.CollectorContainer,
                            ["volumeMounts"] = new object[]
                            {
                                new Dictionary<string, object> { ["name"] = "otel-collector-tls", ["mountPath"] = request.CollectorMountPath, ["readOnly"] = true },
                            },
                        },
                    },
                }),
            });

        private static Dictionary<string, object> ApplicationPatch(KubernetesManifestRequest request)
        {
            var mount = request.ApplicationMountPath.TrimEnd('/');
            return Object("apps/v1", "Deployment", request.ApplicationDeployment, request.ApplicationNamespace, new Dictionary<string, object>
            {
                ["spec"] = PodSpec(new Dictionary<string, object>
                {
                    ["volumes"] = new object[]
                    {
                        new Dictionary<string, object> { ["name"] = "otel-ca", ["configMap"] = new Dictionary<string, object> { ["name"] = "otel-ca-bundle" } },
                    },
                    ["containers"] = new object[]
                    {
                        new Dictionary<string, object>
                        {
                            ["name"] = request.ApplicationContainer,
                            ["env"] = new object[]
                            {
                                new Dictionary<string, object> { ["name"] = "OTEL_EXPORTER_OTLP_ENDPOINT", ["value"] = $"https://{ServiceNames(request)[3]}:{OtlpProtocols.GrpcPort}" },
                                new Dictionary<string, object> { ["name"] = "OTEL_EXPORTER_OTLP_PROTOCOL", ["value"] = OtlpProtocols.Name(OtlpProtocol.Grpc) },
                                new Dictionary<string, object> { ["name"] = "OTEL_EXPORTER_OTLP_CERTIFICATE", ["value"] = mount + "/ca.crt" },
                            },
                            ["volumeMounts"] = new object[]
                            {
                                new Dictionary<string, object> { ["name"] = "otel-ca", ["mountPath"] = mount, ["readOnly"] = true },
                            },
                        },
                    },
                }),
            });
        }

        private static Dictionary<string, object> PodSpec(Dictionary<string, object> spec) => new()
        {
            ["template"] = new Dictionary<string, object> { ["spec"] = spec },
        };

        private static Dictionary<string, object> Object(string apiVersion, string kind, string name, string? ns, Dictionary<string, object> body)
        {
            var metadata = new Dictionary<string, object> { ["name"] = name };
            if (ns is not null)
            {
                metadata["namespace"] = ns;
            }

            var result = new Dictionary<string, object> { ["apiVersion"] = apiVersion, ["kind"] = kind, ["metadata"] = metadata };
            foreach (var entry in body)
            {
                result[entry.Key] = entry.Value;
            }

            return result;
        }

        private static string Base64(string path) => Convert.ToBase64String(FileAccess.ReadAllBytes(path, "certificate"));

        private static string ReadText(string path) => Encoding.UTF8.GetString(FileAccess.ReadAllBytes(path, "certificate"));
    }
}
