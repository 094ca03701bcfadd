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

        /// <summary>
        /// Host and port as the collector reads an endpoint setting (<c>host:port</c>, <c>[v6]:port</c> or a URL): the
        /// scheme's port (443, 80) when none is written; a port that is not a number counts as none.
        /// </summary>
        public (string Host, string? Port) HostAndPort()
        {
            string host;
            string? port = null;
            if (Authority.StartsWith("[", StringComparison.Ordinal))
            {
                var close = Authority.IndexOf(']');
                host = close > 0 ? Authority.Substring(1, close - 1) : Authority;
                if (close > 0 && close + 1 < Authority.Length && Authority[close + 1] == ':')
                {
                    port = Authority.Substring(close + 2);
                }
            }
            else
            {
                var colon = Authority.LastIndexOf(':');
                if (colon >= 0 && Authority.IndexOf(':') == colon)
                {
                    host = Authority.Substring(0, colon);
                    port = Authority.Substring(colon + 1);
                }
                else
                {
                    host = Authority;
                }
            }

            if (port is not null && !int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                port = null;
            }

            if (port is null && Scheme is "https" or "http")
            {
                port = Scheme == "https" ? "443" : "80";
            }

            return (host, port);
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
