using System;

namespace OtelTls
{
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
}
