using System;
using System.Collections.Generic;

namespace OtelTls.Engine.Otlp
{
    /// <summary>
    /// How to reach an OTLP receiver: the endpoint, and the same TLS settings an exporter has (CA, client certificate
    /// and key, server name override), plus headers and a time bound.
    /// </summary>
    public sealed class OtlpConnectionOptions
    {
        /// <summary>The endpoint, from <see cref="Diagnosis.EndpointParser.Parse"/>; its protocol picks gRPC or HTTP/protobuf.</summary>
        public OtlpEndpoint Endpoint { get; set; } = null!;

        /// <summary>
        /// Certificates to trust for the server's chain. When set they replace the system roots, as the collector's
        /// <c>ca_file</c> and the SDKs' <c>OTEL_EXPORTER_OTLP_CERTIFICATE</c> do; an intermediate in the list is a trust
        /// anchor of its own. Null: the system trust store.
        /// </summary>
        public IReadOnlyList<OtlpCertificate>? TrustedAuthorities { get; set; }

        /// <summary>Client certificate file for mutual TLS (PEM, optionally followed by its intermediates; or PKCS#12).</summary>
        public string? ClientCertificateFile { get; set; }

        /// <summary>The client certificate's private key file; may be omitted when the certificate file is PKCS#12.</summary>
        public string? ClientKeyFile { get; set; }

        /// <summary>Password of an encrypted key or PKCS#12 file.</summary>
        public string? ClientKeyPassword { get; set; }

        /// <summary>
        /// Like the collector's <c>server_name_override</c>: the name sent as SNI and verified in the server certificate
        /// (and used as HTTP authority), while the TCP connection still goes to the endpoint's host.
        /// </summary>
        public string? ServerName { get; set; }

        /// <summary>Bound on the whole export: connect, handshake, request and answer.</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

        /// <summary>Request headers (gRPC metadata), e.g. <c>Authorization</c>. Values are never logged or printed.</summary>
        public IReadOnlyDictionary<string, string> Headers { get; set; } = new Dictionary<string, string>();
    }
}
