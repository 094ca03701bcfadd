using System;
using System.Collections.Generic;

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
    }
}
