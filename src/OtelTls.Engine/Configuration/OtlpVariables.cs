using System;
using System.Collections.Generic;
using OtelTls.Engine.Vocabulary;

namespace OtelTls.Engine.Configuration
{
    /// <summary>
    /// The exporter options the OpenTelemetry specification defines as environment variables, and their names: every
    /// option has a generic name (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>) and one per signal (<c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c>).
    /// </summary>
    public static class OtlpVariables
    {
        /// <summary>The common prefix.</summary>
        public const string Prefix = "OTEL_EXPORTER_OTLP_";

        /// <summary>Node.js reads extra trust anchors from this file at start-up (JS SDKs before 0.212 ignore the OTLP CA variable).</summary>
        public const string NodeExtraCaCerts = "NODE_EXTRA_CA_CERTS";

        /// <summary>Endpoint option.</summary>
        public const string Endpoint = "ENDPOINT";
        /// <summary>Protocol option.</summary>
        public const string Protocol = "PROTOCOL";
        /// <summary>CA file option.</summary>
        public const string Certificate = "CERTIFICATE";
        /// <summary>Client certificate file option.</summary>
        public const string ClientCertificate = "CLIENT_CERTIFICATE";
        /// <summary>Client key file option.</summary>
        public const string ClientKey = "CLIENT_KEY";
        /// <summary>Insecure (gRPC without scheme) option.</summary>
        public const string Insecure = "INSECURE";
        /// <summary>Headers option (names are shown, values never).</summary>
        public const string Headers = "HEADERS";

        /// <summary>The options <c>Set-OtlpTlsEnvironment</c> writes and <c>Clear-OtlpTlsEnvironment</c> removes.</summary>
        public static IReadOnlyList<string> TlsOptions { get; } = new[] { Endpoint, Protocol, Certificate, ClientCertificate, ClientKey, Insecure };

        /// <summary>The variable name of <paramref name="option"/> for <paramref name="signal"/> (null: the generic one).</summary>
        /// <exception cref="OtlpTlsException">InvalidSignal for a value outside the enum.</exception>
        public static string Name(string option, OtlpSignal? signal = null) =>
            signal is { } given ? Prefix + OtlpSignals.VariableInfix(given) + "_" + option : Prefix + option;

        /// <summary>True for names this module reports: every <c>OTEL_EXPORTER_OTLP_*</c> variable and <c>NODE_EXTRA_CA_CERTS</c>.</summary>
        public static bool IsReported(string name) =>
            name.StartsWith(Prefix, StringComparison.Ordinal) || name == NodeExtraCaCerts;

        /// <summary>True for a headers variable, whose values are masked.</summary>
        public static bool IsHeaders(string name) => name.StartsWith(Prefix, StringComparison.Ordinal) && name.EndsWith("_" + Headers, StringComparison.Ordinal);
    }
}
