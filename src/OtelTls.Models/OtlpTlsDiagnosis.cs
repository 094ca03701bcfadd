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
        public OtlpStatus Status => Findings.Length == 0 ? OtlpStatus.Healthy
            : Findings.Max(f => f.Severity) switch
            {
                OtlpSeverity.Error => OtlpStatus.Failed,
                OtlpSeverity.Warning => OtlpStatus.Warning,
                _ => OtlpStatus.Healthy,
            };

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

    /// <summary>DNS and TCP results.</summary>
    public sealed class OtlpNetworkInfo
    {
        internal OtlpNetworkInfo() { }

        /// <summary>The host that was resolved.</summary>
        public string Host { get; internal set; } = string.Empty;

        /// <summary>The port.</summary>
        public int Port { get; internal set; }

        /// <summary>Every address DNS returned.</summary>
        public string[] Addresses { get; internal set; } = Array.Empty<string>();

        /// <summary>The address the TCP connection was made to, if any.</summary>
        public string? ConnectedAddress { get; internal set; }

        /// <summary>Time DNS took.</summary>
        public TimeSpan DnsDuration { get; internal set; }

        /// <summary>Time the TCP connect took.</summary>
        public TimeSpan ConnectDuration { get; internal set; }

        /// <inheritdoc />
        public override string ToString() => ConnectedAddress is null ? $"{Host}:{Port}: not connected" : $"{ConnectedAddress}:{Port} (DNS {DnsDuration.TotalMilliseconds:F1} ms, connect {ConnectDuration.TotalMilliseconds:F1} ms)";
    }

    /// <summary>The TLS handshake as the diagnostic probe saw it.</summary>
    public sealed class OtlpTlsInfo
    {
        internal OtlpTlsInfo() { }

        /// <summary>True when the server spoke TLS; false when it answered in plaintext; null when nothing could tell.</summary>
        public bool? IsTls { get; internal set; }

        /// <summary>What a plaintext server answered with (<c>HTTP/1.x</c>, <c>HTTP/2 (h2c)</c>, <c>unknown</c>).</summary>
        public string? PlaintextKind { get; internal set; }

        /// <summary>True when the handshake completed (and, for TLS 1.3 with a client certificate request, the server did not reject it right after).</summary>
        public bool HandshakeSucceeded { get; internal set; }

        /// <summary>Negotiated version, e.g. <c>TLS 1.3</c>.</summary>
        public string? Version { get; internal set; }

        /// <summary>Negotiated cipher suite, IANA name.</summary>
        public string? CipherSuite { get; internal set; }

        /// <summary>ALPN protocol the server selected (<c>h2</c>, <c>http/1.1</c>), or null for none.</summary>
        public string? Alpn { get; internal set; }

        /// <summary>The SNI name sent.</summary>
        public string? ServerName { get; internal set; }

        /// <summary>Handshake time.</summary>
        public TimeSpan HandshakeDuration { get; internal set; }

        /// <summary>The fatal alert the server sent, e.g. <c>certificate_required(116)</c>.</summary>
        public string? AlertReceived { get; internal set; }

        /// <summary>The fatal alert the probe raised, with its reason.</summary>
        public string? AlertRaised { get; internal set; }

        /// <summary>Each TLS version tried on its own.</summary>
        public OtlpTlsVersionSupport[] VersionSupport { get; internal set; } = Array.Empty<OtlpTlsVersionSupport>();

        /// <summary>Version, cipher and ALPN in one line.</summary>
        public override string ToString() => HandshakeSucceeded ? $"{Version}, {CipherSuite}, ALPN {Alpn ?? "none"}" : "handshake failed";
    }

    /// <summary>Whether the server accepts one TLS version.</summary>
    public sealed class OtlpTlsVersionSupport
    {
        internal OtlpTlsVersionSupport() { }

        /// <summary><c>TLS 1.0</c> … <c>TLS 1.3</c>.</summary>
        public string Version { get; internal set; } = string.Empty;

        /// <summary>True when a handshake with only this version succeeded; null when the attempt could not tell.</summary>
        public bool? Supported { get; internal set; }

        /// <summary>The cipher chosen, or why the attempt failed.</summary>
        public string? Detail { get; internal set; }

        /// <summary>Version and verdict.</summary>
        public override string ToString() => $"{Version}: {(Supported is null ? "unknown" : Supported.Value ? "yes" : "no")}";
    }

    /// <summary>Client certificate (mutual TLS) request and outcome.</summary>
    public sealed class OtlpClientAuthInfo
    {
        internal OtlpClientAuthInfo() { }

        /// <summary>True when the server sent a CertificateRequest.</summary>
        public bool CertificateRequested { get; internal set; }

        /// <summary>The CA names the server said it accepts (empty: any, or not said).</summary>
        public string[] AcceptableAuthorities { get; internal set; } = Array.Empty<string>();

        /// <summary>True when the probe sent a client certificate.</summary>
        public bool CertificateSent { get; internal set; }

        /// <summary>Subject of the client certificate supplied, if any.</summary>
        public string? ClientCertificateSubject { get; internal set; }

        /// <summary>True when the server accepted the connection with what was sent; null when the handshake failed earlier.</summary>
        public bool? Accepted { get; internal set; }

        /// <inheritdoc />
        public override string ToString() => !CertificateRequested ? "no client certificate requested" : $"requested ({(AcceptableAuthorities.Length == 0 ? "any CA" : string.Join("; ", AcceptableAuthorities))}); {(CertificateSent ? "sent" : "none sent")}{(Accepted is null ? string.Empty : Accepted.Value ? ", accepted" : ", refused")}";
    }

    /// <summary>The .NET platform TLS stack's verdict on the same endpoint.</summary>
    public sealed class OtlpPlatformCheck
    {
        internal OtlpPlatformCheck() { }

        /// <summary>The stack used, e.g. <c>.NET SslStream</c>.</summary>
        public string Stack { get; internal set; } = string.Empty;

        /// <summary>True when the handshake and certificate validation succeeded.</summary>
        public bool Succeeded { get; internal set; }

        /// <summary>Negotiated version as the platform reports it.</summary>
        public string? Version { get; internal set; }

        /// <summary>Negotiated ALPN protocol.</summary>
        public string? Alpn { get; internal set; }

        /// <summary>The platform's validation errors (<c>RemoteCertificateNameMismatch</c>, chain status), if any.</summary>
        public string? Errors { get; internal set; }

        /// <summary>True when the platform and the diagnostic probe reached the same verdict.</summary>
        public bool AgreesWithProbe { get; internal set; }

        /// <summary>What happened, in one sentence.</summary>
        public string Message { get; internal set; } = string.Empty;

        /// <inheritdoc />
        public override string ToString() => $"{(Succeeded ? "succeeded" : "failed")}{(AgreesWithProbe ? string.Empty : " (disagrees with the probe)")}: {Message}";
    }

    /// <summary>Outcome of the OTLP stage.</summary>
    public sealed class OtlpExportCheck
    {
        internal OtlpExportCheck() { }

        /// <summary>True when an export request was sent.</summary>
        public bool Ran { get; internal set; }

        /// <summary>True when the receiver accepted it; null when it did not run.</summary>
        public bool? Succeeded { get; internal set; }

        /// <summary>Status code (gRPC or HTTP) of the response, if any.</summary>
        public int? StatusCode { get; internal set; }

        /// <summary>What happened, or why it did not run.</summary>
        public string Message { get; internal set; } = string.Empty;

        /// <summary>The transport the export request used.</summary>
        public OtlpProtocol? Protocol { get; internal set; }

        /// <summary>The URL the request went to (for gRPC, the channel address; the method path is fixed by OTLP).</summary>
        public string? Url { get; internal set; }

        /// <summary>Time from sending the request to the answer (or the failure), connection and handshake included.</summary>
        public TimeSpan Duration { get; internal set; }

        /// <summary>Items the receiver said it rejected (OTLP partial success); 0 when all were accepted.</summary>
        public long RejectedCount { get; internal set; }

        /// <inheritdoc />
        public override string ToString() => Ran ? $"{(Succeeded == true ? "accepted" : "refused")} ({StatusCode}): {Message}" : Message;
    }
}
