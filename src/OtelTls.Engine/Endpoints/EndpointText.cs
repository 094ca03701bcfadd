using System;
using System.Globalization;

namespace OtelTls.Engine.Endpoints
{
    /// <summary>
    /// The parts of a URL-ish endpoint text as written (scheme, authority, whether a port is written, path), without
    /// interpreting defaults: what the configuration reader needs to say what an SDK does with a value.
    /// </summary>
    internal readonly struct EndpointText
    {
        public EndpointText(string? scheme, string authority, bool hasPort, string path)
        {
            Scheme = scheme;
            Authority = authority;
            HasPort = hasPort;
            Path = path;
        }

        public string? Scheme { get; }

        public string Authority { get; }

        public bool HasPort { get; }

        public string Path { get; }

        public static EndpointText Split(string text)
        {
            string? scheme = null;
            var rest = text;
            var separator = text.IndexOf("://", StringComparison.Ordinal);
            if (separator >= 0)
            {
                scheme = text.Substring(0, separator).ToLowerInvariant();
                rest = text.Substring(separator + 3);
            }

            var slash = rest.IndexOf('/');
            var authority = slash < 0 ? rest : rest.Substring(0, slash);
            var path = slash < 0 ? string.Empty : rest.Substring(slash);
            var close = authority.LastIndexOf(']');
            var colon = authority.LastIndexOf(':');
            var hasPort = colon > close && (authority.StartsWith("[", StringComparison.Ordinal) || authority.IndexOf(':') == colon);
            return new EndpointText(scheme, authority, hasPort, path);
        }

        /// <summary>The same text with <paramref name="port"/> written after the authority (for a remediation).</summary>
        public static string WithPort(string text, int port)
        {
            var parts = Split(text);
            var prefix = parts.Scheme is null ? string.Empty : parts.Scheme + "://";
            return prefix + parts.Authority + ":" + port.ToString(CultureInfo.InvariantCulture) + parts.Path;
        }
    }
}
