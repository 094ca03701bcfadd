using System;

namespace OtelTls
{
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
}
