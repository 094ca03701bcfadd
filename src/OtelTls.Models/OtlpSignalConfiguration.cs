using System;

namespace OtelTls
{
    /// <summary>
    /// What an OTLP exporter for one signal will do with the environment: protocol, URL, whether it uses TLS, and which
    /// files it loads, each with the variable it came from.
    /// </summary>
    public sealed class OtlpSignalConfiguration
    {
        internal OtlpSignalConfiguration() { }

        /// <summary>Traces, Metrics or Logs.</summary>
        public OtlpSignal Signal { get; internal set; }

        /// <summary>The protocol configured, or the specification's default (HttpProtobuf); HttpJson is dialled like HTTP/protobuf.</summary>
        public OtlpProtocol Protocol { get; internal set; }

        /// <summary>The variable that set the protocol, or <c>default</c>.</summary>
        public string ProtocolSource { get; internal set; } = "default";

        /// <summary>The variable that set the endpoint, or <c>default</c>.</summary>
        public string EndpointSource { get; internal set; } = "default";

        /// <summary>
        /// The URL the exporter uses: for HTTP the generic endpoint plus <c>/v1/&lt;signal&gt;</c> or the per-signal endpoint
        /// as is; for gRPC the endpoint, with the scheme the security decision implies when it had none.
        /// </summary>
        public string Url { get; internal set; } = string.Empty;

        /// <summary>Host, port (made explicit the way the SDKs default it) and path; null when the endpoint could not be parsed.</summary>
        public OtlpEndpoint? Endpoint { get; internal set; }

        /// <summary>True when the exporter dials TLS.</summary>
        public bool UsesTls { get; internal set; }

        /// <summary>CA file the exporter trusts (<c>…_CERTIFICATE</c>), or null.</summary>
        public string? CertificatePath { get; internal set; }

        /// <summary>The variable that named <see cref="CertificatePath"/>.</summary>
        public string? CertificatePathSource { get; internal set; }

        /// <summary>Client certificate for mutual TLS (<c>…_CLIENT_CERTIFICATE</c>), or null.</summary>
        public string? ClientCertificatePath { get; internal set; }

        /// <summary>The variable that named <see cref="ClientCertificatePath"/>.</summary>
        public string? ClientCertificatePathSource { get; internal set; }

        /// <summary>Client private key for mutual TLS (<c>…_CLIENT_KEY</c>), or null.</summary>
        public string? ClientKeyPath { get; internal set; }

        /// <summary>The variable that named <see cref="ClientKeyPath"/>.</summary>
        public string? ClientKeyPathSource { get; internal set; }

        /// <summary>
        /// The effective <c>…_INSECURE</c>: true only for the case-insensitive text <c>true</c>, false for any other value,
        /// null when unset. It decides only for gRPC endpoints without a scheme.
        /// </summary>
        public bool? Insecure { get; internal set; }

        /// <summary>The variable that set <see cref="Insecure"/>, or null.</summary>
        public string? InsecureSource { get; internal set; }

        /// <summary>Names of the headers sent (<c>…_HEADERS</c>); never their values.</summary>
        public string[] HeaderNames { get; internal set; } = Array.Empty<string>();

        /// <summary>Signal, protocol and URL.</summary>
        public override string ToString() => $"{Signal}: {Protocol} {Url}";
    }
}
