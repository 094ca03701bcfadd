using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Org.BouncyCastle.Tls;

namespace OtelTls.Engine.Diagnosis
{
    /// <summary>
    /// IANA names for what BouncyCastle reports as numbers: cipher suites and alerts (versions: Vocabulary/TlsVersions), so findings
    /// say <c>TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256</c> rather than 49195.
    /// </summary>
    public static class TlsNames
    {
        // BouncyCastle has no suite-name lookup; its CipherSuite constants carry the IANA names, read once.
        private static readonly Lazy<Dictionary<int, string>> CipherSuiteNames = new(() =>
            typeof(CipherSuite).GetFields(BindingFlags.Public | BindingFlags.Static)
                .Where(f => f.IsLiteral && f.FieldType == typeof(int) && f.Name.StartsWith("TLS_", StringComparison.Ordinal))
                .GroupBy(f => (int)f.GetRawConstantValue()!)
                .ToDictionary(g => g.Key, g => g.First().Name));

        private static readonly Lazy<int[]> AllCipherSuites = new(() => CipherSuiteNames.Value.Keys.OrderBy(k => k).ToArray());

        /// <summary>The IANA name of a cipher suite, or its hexadecimal code when unknown.</summary>
        /// <param name="cipherSuite">The suite's code point.</param>
        public static string CipherSuiteName(int cipherSuite) =>
            CipherSuiteNames.Value.TryGetValue(cipherSuite, out var name) ? name : $"0x{cipherSuite:X4}";

        /// <summary>Every cipher suite code BouncyCastle knows by name.</summary>
        internal static int[] KnownCipherSuites => AllCipherSuites.Value;

        /// <summary>The alert's RFC name and code, e.g. <c>certificate_required(116)</c>.</summary>
        /// <param name="alertDescription">The alert description code.</param>
        public static string AlertName(short alertDescription) => AlertDescription.GetText(alertDescription);
    }
}
