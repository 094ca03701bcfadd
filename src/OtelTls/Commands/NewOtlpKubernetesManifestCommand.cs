using System.Management.Automation;
using OtelTls.Engine.Collector;
using OtelTls.Support;

namespace OtelTls.Commands
{
    /// <summary>
    /// <para type="synopsis">Generates the Kubernetes objects that deliver the collector's certificates: a kubernetes.io/tls Secret or the cert-manager chain, the CA ConfigMap, and Deployment patches.</para>
    /// <para type="description">From a CA and server certificate (New-OtlpCertificate): a Secret with tls.crt (chain), tls.key and ca.crt, a ConfigMap with
    /// the CA for applications, and strategic-merge patches that mount the Secret into the collector and the CA into an application with
    /// OTEL_EXPORTER_OTLP_CERTIFICATE. With -CertManager: self-signed ClusterIssuer, CA Certificate, CA Issuer and the collector Certificate instead
    /// of the Secret. Multi-document YAML; a file written with -Path is owner-only because it holds a private key.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.New, "OtlpKubernetesManifest", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(string))]
    public sealed class NewOtlpKubernetesManifestCommand : OtlpPipedCertificatesCmdlet
    {
        /// <summary>The collector's namespace (default observability).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Namespace { get; set; } = "observability";

        /// <summary>The collector's Service and Deployment name (default otel-collector); the certificate must name the Service.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string ServiceName { get; set; } = "otel-collector";

        /// <summary>The collector's container name (default collector).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string CollectorContainer { get; set; } = "collector";

        /// <summary>Where the collector mounts the Secret (default /etc/otelcol/tls).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string CollectorMountPath { get; set; } = "/etc/otelcol/tls";

        /// <summary>The applications' namespace, where the CA ConfigMap goes (default default).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string ApplicationNamespace { get; set; } = "default";

        /// <summary>The application Deployment to patch (default my-application).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string ApplicationDeployment { get; set; } = "my-application";

        /// <summary>The application's container name (default app).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string ApplicationContainer { get; set; } = "app";

        /// <summary>Where applications mount the CA (default /etc/otel/ca; OTEL_EXPORTER_OTLP_CERTIFICATE points at ca.crt in it).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string ApplicationMountPath { get; set; } = "/etc/otel/ca";

        /// <summary>Issue the certificates in the cluster with cert-manager instead of shipping the local PKI.</summary>
        [Parameter]
        public SwitchParameter CertManager { get; set; }

        /// <summary>cert-manager Certificate duration (default 2160h, 90 days).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Duration { get; set; } = "2160h";

        /// <summary>cert-manager renewBefore (default 360h, 15 days).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string RenewBefore { get; set; } = "360h";

        /// <summary>Write the manifest to this file (owner-only) instead of the pipeline.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <summary>Replace an existing -Path file.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Builds, then writes or outputs.</summary>
        protected override void EndProcessing()
        {
            TryRun(() =>
            {
                var manifest = KubernetesManifest.Build(new KubernetesManifestRequest
                {
                    Certificates = PipedCertificates,
                    Namespace = Namespace,
                    ServiceName = ServiceName,
                    CollectorContainer = CollectorContainer,
                    CollectorMountPath = CollectorMountPath,
                    ApplicationNamespace = ApplicationNamespace,
                    ApplicationDeployment = ApplicationDeployment,
                    ApplicationContainer = ApplicationContainer,
                    ApplicationMountPath = ApplicationMountPath,
                    CertManager = CertManager,
                    Duration = Duration,
                    RenewBefore = RenewBefore,
                });
                if (Path is null)
                {
                    WriteObject(manifest);
                    return;
                }

                var target = PathResolution.ResolveForOutput(this, Path);
                if (ShouldProcess(target, "Write Kubernetes manifest (owner-only: it holds the collector's private key)"))
                {
                    KubernetesManifest.Write(target, manifest, Force);
                }
            });
        }
    }
}
