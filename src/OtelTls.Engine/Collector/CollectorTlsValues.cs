using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace OtelTls.Engine.Collector
{
    /// <summary>The values the collector's Go TLS settings accept, shared by the linter and the generator.</summary>
    internal static class CollectorTlsValues
    {
        /// <summary>Go's tls.CipherSuites(): the only names configtls accepts.</summary>
        public static readonly HashSet<string> CipherSuites = new(StringComparer.Ordinal)
        {
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
            "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
        };

        /// <summary>Go's curve names that configtls accepts in curve_preferences.</summary>
        public static readonly HashSet<string> Curves = new(StringComparer.Ordinal) { "P256", "P384", "P521", "X25519", "X25519MLKEM768" };

        private static readonly Regex GoDuration = new(@"^[-+]?(0|((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+)$", RegexOptions.CultureInvariant);

        /// <summary>True for a Go duration (<c>24h</c>, <c>1h30m</c>, <c>0</c>).</summary>
        public static bool IsGoDuration(string value) => GoDuration.IsMatch(value);
    }
}
