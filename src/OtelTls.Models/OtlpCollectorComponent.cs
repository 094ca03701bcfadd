using System;
using System.Linq;

namespace OtelTls
{
    /// <summary>
    /// One receiver protocol, exporter or extension of a collector configuration that has a TLS block or an endpoint, with
    /// its settings resolved to local paths and the findings about it. The property names bind to
    /// <c>Test-OtlpTlsEndpoint</c> by name (Endpoint, CaCertificate, ClientCertificate, ClientKey, ServerName).
    /// </summary>
    public sealed class OtlpCollectorComponent
    {
        /// <summary>receiver, exporter or extension.</summary>
        public string Kind { get; internal set; } = string.Empty;

        /// <summary>The component id as written (<c>otlp</c>, <c>otlphttp/backend</c>).</summary>
        public string Name { get; internal set; } = string.Empty;

        /// <summary>The component type (the id before the slash).</summary>
        public string Type { get; internal set; } = string.Empty;

        /// <summary>Dotted YAML path of the component (for receivers, of the protocol: <c>receivers.otlp.protocols.grpc</c>).</summary>
        public string YamlPath { get; internal set; } = string.Empty;

        /// <summary>File that defines the component (the last one, when several files are merged).</summary>
        public string? Path { get; internal set; }

        /// <summary>1-based line of the component's key.</summary>
        public int Line { get; internal set; }

        /// <summary>
        /// The endpoint to diagnose: an exporter's endpoint as configured; a receiver's listen address with the host replaced
        /// by the probe host when one was given.
        /// </summary>
        public string? Endpoint { get; internal set; }

        /// <summary>The endpoint exactly as the configuration says.</summary>
        public string? ConfiguredEndpoint { get; internal set; }

        /// <summary>Grpc or HttpProtobuf, from the component type or protocol key (null when unknown).</summary>
        public OtlpProtocol? Protocol { get; internal set; }

        /// <summary>True when the component has a <c>tls:</c> block, or is an exporter that dials TLS by default.</summary>
        public bool TlsEnabled { get; internal set; }

        /// <summary>An exporter's <c>tls.ca_file</c>, as a local path.</summary>
        public string? CaCertificate { get; internal set; }

        /// <summary>An exporter's <c>tls.cert_file</c> (its client certificate), as a local path.</summary>
        public string? ClientCertificate { get; internal set; }

        /// <summary>An exporter's <c>tls.key_file</c>, as a local path.</summary>
        public string? ClientKey { get; internal set; }

        /// <summary>An exporter's <c>tls.server_name_override</c>.</summary>
        public string? ServerName { get; internal set; }

        /// <summary>A receiver's <c>tls.cert_file</c>, as a local path.</summary>
        public string? ServerCertificate { get; internal set; }

        /// <summary>A receiver's <c>tls.key_file</c>, as a local path.</summary>
        public string? ServerKey { get; internal set; }

        /// <summary>A receiver's <c>tls.client_ca_file</c> (mutual TLS), as a local path.</summary>
        public string? ClientCaCertificate { get; internal set; }

        /// <summary>The findings about this component, most severe first.</summary>
        public OtlpCollectorFinding[] Findings { get; internal set; } = Array.Empty<OtlpCollectorFinding>();

        /// <summary>Failed with any Error, Warning with any Warning, else Healthy.</summary>
        public OtlpStatus Status => StatusVerdict.Of(Findings.Select(f => f.Severity));

        /// <summary><c>kind name: status</c>.</summary>
        public override string ToString() => $"{Kind} {Name} ({YamlPath}): {Status}";
    }
}
