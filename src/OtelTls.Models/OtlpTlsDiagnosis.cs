using System;
using System.Linq;

namespace OtelTls
{
    /// <summary>
    /// Everything <c>Test-OtlpTlsEndpoint</c> learned about one endpoint: the verdict, each finding with its fix, and
    /// what was measured at every stage (network, TLS, chain, trust, client auth, the .NET stack's view, OTLP).
    /// </summary>
    public sealed class OtlpTlsDiagnosis
    {
        internal OtlpTlsDiagnosis() { }

        /// <summary>The endpoint as given (binds by property name to the next cmdlet).</summary>
        public string Endpoint { get; internal set; } = string.Empty;

        /// <summary>How the endpoint was understood: host, port, protocol, scheme.</summary>
        public OtlpEndpoint? Target { get; internal set; }

        /// <summary>Healthy, Warning or Failed, from the worst finding.</summary>
        public OtlpStatus Status => StatusVerdict.Of(Findings.Select(f => f.Severity));

        /// <summary>One sentence: what is wrong first, or what was negotiated when all is well.</summary>
        public string Summary { get; internal set; } = string.Empty;

        /// <summary>Every finding, worst first.</summary>
        public OtlpFinding[] Findings { get; internal set; } = Array.Empty<OtlpFinding>();

        /// <summary>DNS and TCP.</summary>
        public OtlpNetworkInfo? Network { get; internal set; }

        /// <summary>The TLS handshake as the diagnostic probe saw it.</summary>
        public OtlpTlsInfo? Tls { get; internal set; }

        /// <summary>The certificates exactly as the server sent them, leaf first.</summary>
        public OtlpCertificate[] Chain { get; internal set; } = Array.Empty<OtlpCertificate>();

        /// <summary>Trust, validity and hostname checks of the presented chain.</summary>
        public OtlpCertificateCheck? Trust { get; internal set; }

        /// <summary>Client certificate (mutual TLS) request and outcome.</summary>
        public OtlpClientAuthInfo? ClientAuth { get; internal set; }

        /// <summary>The same connection through .NET's SslStream, the stack the .NET exporter uses.</summary>
        public OtlpPlatformCheck? Platform { get; internal set; }

        /// <summary>The OTLP export check.</summary>
        public OtlpExportCheck? Otlp { get; internal set; }

        /// <summary>Wall time of the whole diagnosis.</summary>
        public TimeSpan Duration { get; internal set; }

        /// <summary>The openssl command that reproduces the handshake by hand.</summary>
        public string OpenSslCommand { get; internal set; } = string.Empty;

        /// <summary>When the diagnosis ran.</summary>
        public DateTimeOffset Timestamp { get; internal set; }

        /// <summary>True when the status is not Failed.</summary>
        public bool IsHealthy => Status != OtlpStatus.Failed;

        /// <summary>The endpoint and the one-line summary.</summary>
        public override string ToString() => $"{Endpoint}: {Status}: {Summary}";
    }
}
