using System;
using System.Collections.Generic;
using System.Linq;

namespace OtelTls.Engine.Configuration
{
    /// <summary>
    /// Parses OTEL_EXPORTER_OTLP_HEADERS the way the specification defines it: comma-separated <c>key=value</c> pairs,
    /// names and values percent-decoded (W3C Baggage format), so a diagnosis sends what an SDK would.
    /// </summary>
    public static class OtlpHeaderList
    {
        /// <summary>The headers in <paramref name="value"/>; malformed pairs are skipped, as SDKs skip them.</summary>
        /// <param name="value">The variable's value.</param>
        public static IReadOnlyDictionary<string, string> Parse(string? value)
        {
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var pair in (value ?? string.Empty).Split(','))
            {
                var equals = pair.IndexOf('=');
                if (equals <= 0)
                {
                    continue;
                }

                var name = Uri.UnescapeDataString(pair.Substring(0, equals).Trim());
                if (name.Length > 0)
                {
                    headers[name] = Uri.UnescapeDataString(pair.Substring(equals + 1).Trim());
                }
            }

            return headers;
        }

        /// <summary>
        /// The headers an exporter for <paramref name="signal"/> sends: the signal's own variable replaces the generic one,
        /// as for every other option; <paramref name="explicitHeaders"/> (a command's -Header) add to them or override them.
        /// </summary>
        /// <param name="variables">The environment's variables.</param>
        /// <param name="signal">The signal.</param>
        /// <param name="explicitHeaders">Headers given to the command.</param>
        public static IReadOnlyDictionary<string, string> ForSignal(IReadOnlyDictionary<string, string> variables, OtlpSignal signal,
            IReadOnlyDictionary<string, string> explicitHeaders)
        {
            var generic = Parse(Variable(variables, OtlpVariables.Name(OtlpVariables.Headers)));
            var specific = Parse(Variable(variables, OtlpVariables.Name(OtlpVariables.Headers, signal)));
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var header in (specific.Count > 0 ? specific : generic).Concat(explicitHeaders))
            {
                headers[header.Key] = header.Value;
            }

            return headers;
        }

        private static string? Variable(IReadOnlyDictionary<string, string> variables, string name) =>
            variables.TryGetValue(name, out var value) ? value : null;
    }
}
