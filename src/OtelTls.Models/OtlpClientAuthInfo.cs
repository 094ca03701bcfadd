using System;

namespace OtelTls
{
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
}
