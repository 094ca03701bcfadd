using System;
using System.Collections.Generic;

namespace OtelTls.Engine.Vocabulary
{
    /// <summary>
    /// The one table of OTLP signals: the specification's lower-case name (URL paths, <c>-Signal</c> text, messages) and the
    /// upper-case infix of the per-signal variables. Code compares <see cref="OtlpSignal"/>; these spellings are only written.
    /// </summary>
    public static class OtlpSignals
    {
        /// <summary>Every signal, in the specification's order.</summary>
        public static IReadOnlyList<OtlpSignal> All { get; } = new[] { OtlpSignal.Traces, OtlpSignal.Metrics, OtlpSignal.Logs };

        /// <summary>The specification's name: <c>traces</c>, <c>metrics</c>, <c>logs</c> (the HTTP path is <c>/v1/&lt;name&gt;</c>).</summary>
        /// <exception cref="OtlpTlsException">InvalidSignal for a value outside the enum.</exception>
        public static string Name(OtlpSignal signal) => signal switch
        {
            OtlpSignal.Traces => "traces",
            OtlpSignal.Metrics => "metrics",
            OtlpSignal.Logs => "logs",
            _ => throw Invalid(signal),
        };

        /// <summary>The infix of the per-signal variables: <c>TRACES</c> in <c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c>.</summary>
        public static string VariableInfix(OtlpSignal signal) => Name(signal).ToUpperInvariant();

        /// <summary>The HTTP path an SDK appends to a base endpoint: <c>/v1/traces</c>.</summary>
        public static string HttpPath(OtlpSignal signal) => "/v1/" + Name(signal);

        /// <summary>Checks that <paramref name="signal"/> is one of the three (an engine caller can pass any number).</summary>
        /// <exception cref="OtlpTlsException">InvalidSignal.</exception>
        public static OtlpSignal Check(OtlpSignal signal)
        {
            _ = Name(signal);
            return signal;
        }

        private static OtlpTlsException Invalid(OtlpSignal signal) =>
            new(OtlpErrorId.InvalidSignal, OtlpErrorKind.InvalidArgument, $"'{signal}' is not an OTLP signal.", signal,
                "Use traces, metrics or logs (or none for the generic variables).");
    }
}
