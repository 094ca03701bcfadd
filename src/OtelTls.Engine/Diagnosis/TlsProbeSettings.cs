using System;
using System.Collections.Generic;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Tls;

namespace OtelTls.Engine.Diagnosis
{
    /// <summary>What one probe handshake offers the server.</summary>
    internal sealed class TlsProbeSettings
    {
        public ProtocolVersion[] Versions { get; set; } = ProtocolVersion.TLSv13.DownTo(ProtocolVersion.TLSv12);

        /// <summary>Null: BouncyCastle's defaults, close to what modern exporters offer.</summary>
        public int[]? CipherSuites { get; set; }

        public IList<ProtocolName>? ApplicationProtocols { get; set; }

        /// <summary>SNI host name; null for IP literals (clients send no SNI then).</summary>
        public string? ServerName { get; set; }

        /// <summary>DER certificates to present when asked, leaf first; null to present none.</summary>
        public IReadOnlyList<byte[]>? ClientCertificateChain { get; set; }

        public AsymmetricKeyParameter? ClientKey { get; set; }

        /// <summary>Stop as soon as the ServerHello shows the version: enough for a version sweep, and cheaper.</summary>
        public bool StopAfterServerHello { get; set; }

        /// <summary>
        /// After a TLS 1.3 handshake in which the server asked for a certificate, send one request and read: the server's
        /// verdict on the client certificate arrives only then.
        /// </summary>
        public bool ConfirmClientAuthentication { get; set; } = true;

        /// <summary>
        /// After a handshake that negotiated h2, send the HTTP/2 connection preface and wait (briefly) for the server's
        /// SETTINGS frame: an HTTP/2 server sends it at once, so its absence names a TLS port that is not HTTP/2.
        /// </summary>
        public bool CheckHttp2Settings { get; set; }

        /// <summary>
        /// Called once the handshake is complete (before any post-handshake read) with whether the server asked for a client
        /// certificate, so work that depends on it (the platform check) can start without waiting for the probe's verdict window.
        /// </summary>
        public Action<bool>? HandshakeCompleted { get; set; }

        /// <summary>
        /// Called once when the server has stayed silent after the HTTP/2 preface until the probe sends its HTTP/1.1 request
        /// (<see cref="TlsProbe.Http1RequestAfter"/>): an HTTP/2 server sends SETTINGS at once, so an export is now unlikely,
        /// and work that was to ride on the export's connection (the platform check) can start while the probe waits on.
        /// </summary>
        public Action? SilentAfterPreface { get; set; }

        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
    }
}
