using System;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using OtelTls.Engine.Certificates;
using OtelTls.Engine.Vocabulary;

namespace OtelTls.Engine.Endpoints
{
    /// <summary>
    /// Turns whatever a user pastes as an OTLP endpoint (<c>collector:4317</c>, <c>https://collector:4318/v1/traces</c>,
    /// <c>[::1]:4317</c>, <c>dns:///collector:4317</c>, a bare host) into an <see cref="OtlpEndpoint"/> with the
    /// specification's defaults filled in. The one endpoint grammar of the engine: the diagnosis, the OTLP client and the
    /// exporter configuration (reader and planner) all parse here.
    /// </summary>
    public static class EndpointParser
    {
        /// <summary>Where a URL's query or fragment starts.</summary>
        private static readonly char[] QueryOrFragment = { '?', '#' };

        /// <summary>
        /// Parses <paramref name="text"/>. <paramref name="protocol"/> wins when given; otherwise a <c>/v1/…</c> path or
        /// port 4318 means HTTP/protobuf and everything else gRPC, the way users mean them.
        /// </summary>
        /// <param name="text">The endpoint as pasted.</param>
        /// <param name="protocol">The exporter protocol, when known.</param>
        /// <param name="signal">The signal whose HTTP path (<c>/v1/traces</c>) is appended when the endpoint has none.</param>
        /// <exception cref="OtlpTlsException">InvalidEndpoint, with an example of the accepted forms.</exception>
        public static OtlpEndpoint Parse(string text, OtlpProtocol? protocol = null, OtlpSignal signal = OtlpSignal.Traces)
        {
            var original = text ?? string.Empty;
            var rest = original.Trim();
            if (rest.Length == 0)
            {
                throw Invalid(original, "the endpoint is empty");
            }

            string? scheme = null;
            if (rest.StartsWith("dns:", StringComparison.OrdinalIgnoreCase))
            {
                // gRPC name-resolver syntax: dns:[//authority/]host[:port]. The DNS server authority is irrelevant here.
                rest = rest.Substring(4);
                if (rest.StartsWith("//", StringComparison.Ordinal))
                {
                    var slash = rest.IndexOf('/', 2);
                    rest = slash < 0 ? string.Empty : rest.Substring(slash + 1);
                }
            }
            else
            {
                var separator = rest.IndexOf("://", StringComparison.Ordinal);
                if (separator >= 0)
                {
                    scheme = rest.Substring(0, separator).ToLowerInvariant();
                    if (scheme != "http" && scheme != "https")
                    {
                        throw Invalid(original, $"the scheme '{scheme}' is not one an OTLP exporter understands (use https://, http:// or none)");
                    }

                    rest = rest.Substring(separator + 3);
                }
            }

            var queryStart = rest.IndexOfAny(QueryOrFragment);
            var queryText = string.Empty;
            if (queryStart >= 0 && !Redaction.HasUserInfo(rest))
            {
                // The query is sent with an HTTP export (SDKs keep it) but may hold a key: never parsed or echoed.
                var fragment = rest.IndexOf('#', queryStart);
                queryText = rest[queryStart] == '?' ? (fragment < 0 ? rest.Substring(queryStart) : rest.Substring(queryStart, fragment - queryStart)) : string.Empty;
                rest = rest.Substring(0, queryStart);
            }

            var pathStart = rest.IndexOf('/');
            var authority = pathStart < 0 ? rest : rest.Substring(0, pathStart);
            var path = pathStart < 0 ? string.Empty : rest.Substring(pathStart);
            var query = path.IndexOfAny(QueryOrFragment);
            if (query >= 0)
            {
                path = path.Substring(0, query);
            }

            if (rest.IndexOf('@') >= 0 && Redaction.HasUserInfo(original))
            {
                // A password may hold '/', so the userinfo is found by Redaction, not by the first '/'.
                throw Invalid(original, "credentials in the endpoint are not supported (send them as a header)");
            }

            var (host, port) = SplitAuthority(authority, original);
            if (host.Length > 0 && host.All(char.IsDigit) && port is null && scheme is null)
            {
                // IPAddress.TryParse reads "4317" as the IPv4 address 0.0.16.221; a user who types a bare number means a port.
                throw new OtlpTlsException(OtlpErrorId.EndpointHostMissing, OtlpErrorKind.InvalidArgument,
                    $"'{Redaction.Url(original)}' is not an OTLP endpoint: '{host}' is a port with no host.", Redaction.Url(original),
                    $"Name the host: localhost:{host} for a collector on this machine, or collector:{host}.");
            }

            var isIp = IPAddress.TryParse(host, out var address);
            if (isIp && address!.AddressFamily == AddressFamily.InterNetwork && host.Split('.').Length != 4)
            {
                // inet_aton shorthand (127.1, 2130706433) is not what exporters' URL parsers accept.
                throw Invalid(original, $"'{host}' is not a dotted IPv4 address (write all four parts, e.g. {address})");
            }

            if (isIp)
            {
                host = address!.ToString();
            }
            else if (!HostNameMatcher.IsValidDnsName(host.TrimEnd('.'), allowUnderscore: true))
            {
                throw Invalid(original, $"'{host}' is not a valid host name or IP address");
            }

            // The endpoint records how OtelTls connects: http/json is dialled like http/protobuf.
            var effectiveProtocol = protocol is { } given ? OtlpProtocols.Transport(given)
                : path.StartsWith("/v1/", StringComparison.OrdinalIgnoreCase) || port == OtlpProtocols.HttpPort ? OtlpProtocol.HttpProtobuf : OtlpProtocol.Grpc;
            var isDefaultPort = port is null;
            if (port is null)
            {
                // A full URL with a path is an HTTP URL: the port is the scheme's. Otherwise the user left out the OTLP port.
                port = scheme is not null && path.Length > 1
                    ? (scheme == "https" ? 443 : 80)
                    : OtlpProtocols.DefaultPort(effectiveProtocol);
            }

            if (effectiveProtocol == OtlpProtocol.HttpProtobuf && (path.Length == 0 || path == "/"))
            {
                path = OtlpSignals.HttpPath(signal);
            }

            return new OtlpEndpoint
            {
                Original = Redaction.Url(original), // never keeps a secret: it is shown in every result
                Scheme = scheme,
                Host = host,
                Port = port.Value,
                IsDefaultPort = isDefaultPort,
                Path = path,
                Protocol = effectiveProtocol,
                TlsRequested = scheme switch { "https" => true, "http" => false, _ => null },
                IsIPAddress = isIp,
                Query = queryText,
            };
        }

        /// <summary>
        /// The endpoint an SDK exporter dials for an OTEL_EXPORTER_OTLP_*ENDPOINT value: <paramref name="url"/> is what the
        /// exporter derived from <paramref name="value"/> (scheme decided, HTTP signal path appended or kept), a missing
        /// port is the scheme's default (80/443, not the OTLP ports), and the result keeps the value as written.
        /// </summary>
        /// <param name="value">The variable's value as written.</param>
        /// <param name="url">The URL the exporter uses (with a scheme).</param>
        /// <param name="protocol">The exporter protocol.</param>
        /// <param name="signal">The signal.</param>
        /// <param name="usesTls">Whether the exporter dials TLS (for gRPC without a scheme, OTEL_EXPORTER_OTLP_INSECURE decides).</param>
        /// <exception cref="OtlpTlsException">InvalidEndpoint.</exception>
        internal static OtlpEndpoint ForExporter(string value, string url, OtlpProtocol protocol, OtlpSignal signal, bool usesTls)
        {
            var written = EndpointText.Split(value);
            var target = EndpointText.Split(url);
            var grpc = protocol == OtlpProtocol.Grpc;
            var schemeDefault = written.HasPort ? null : (usesTls ? "443" : "80");
            // gRPC dials the authority only; HTTP posts to the URL's own path (a per-signal URL is used as is).
            var path = grpc ? string.Empty : target.Path;
            // The query is sent with an HTTP export (SDKs keep it) but may hold a key: kept apart, never shown.
            var queryAt = path.IndexOfAny(QueryOrFragment);
            var query = queryAt < 0 || path[queryAt] != '?' ? string.Empty : path.Substring(queryAt).Split('#')[0];
            path = queryAt < 0 ? path : path.Substring(0, queryAt);
            var parsed = Parse((usesTls ? "https" : "http") + "://" + written.Authority + (schemeDefault is null ? string.Empty : ":" + schemeDefault) + path, protocol, signal);
            return new OtlpEndpoint
            {
                Original = Redaction.Url(value), // shown in every result: never keeps a secret
                Scheme = written.Scheme,
                Host = parsed.Host,
                Port = parsed.Port,
                IsDefaultPort = schemeDefault is not null,
                Path = grpc ? parsed.Path : path,
                Protocol = parsed.Protocol,
                TlsRequested = usesTls,
                IsIPAddress = parsed.IsIPAddress,
                Query = query,
            };
        }

        private static (string Host, int? Port) SplitAuthority(string authority, string original)
        {
            if (authority.Length == 0)
            {
                throw Invalid(original, "there is no host");
            }

            if (authority[0] == '[')
            {
                var close = authority.IndexOf(']');
                if (close < 0)
                {
                    throw Invalid(original, "the IPv6 address has no closing ']'");
                }

                var literal = authority.Substring(1, close - 1);
                if (!IPAddress.TryParse(literal, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
                {
                    throw Invalid(original, $"'{literal}' is not an IPv6 address");
                }

                var after = authority.Substring(close + 1);
                if (after.Length == 0)
                {
                    return (literal, null);
                }

                return after[0] == ':' ? (literal, ParsePort(after.Substring(1), original)) : throw Invalid(original, "unexpected text after the IPv6 address");
            }

            var colons = authority.Split(':').Length - 1;
            if (colons > 1)
            {
                // A bare IPv6 address such as ::1: no port can be told apart, so none is taken.
                return IPAddress.TryParse(authority, out _) ? (authority, null) : throw Invalid(original, "an IPv6 address with a port needs brackets, e.g. [::1]:4317");
            }

            if (colons == 1)
            {
                var colon = authority.IndexOf(':');
                return (authority.Substring(0, colon), ParsePort(authority.Substring(colon + 1), original));
            }

            return (authority, null);
        }

        private static int ParsePort(string text, string original)
        {
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port < 1 || port > 65535)
            {
                throw Invalid(original, $"'{text}' is not a port (1-65535)");
            }

            return port;
        }

        /// <summary>
        /// Checks a <c>-ServerName</c> (the SNI and the name verified): a DNS name or an IP address, nothing else, so a
        /// control character or an over-long name is a clear error, not an exception from the TLS stack.
        /// </summary>
        /// <param name="serverName">The name, or null (no override).</param>
        /// <exception cref="OtlpTlsException">InvalidServerName.</exception>
        public static void ValidateServerName(string? serverName)
        {
            if (serverName is null)
            {
                return;
            }

            string? why = null;
            if (serverName.Length == 0)
            {
                why = "it is empty";
            }
            else if (serverName.Any(char.IsControl))
            {
                why = "it contains a control character (a line break?)";
            }
            else if (serverName.Length > 253)
            {
                why = $"it is {serverName.Length} characters long; a DNS name has at most 253";
            }
            else if (!IPAddress.TryParse(serverName, out _) && !HostNameMatcher.IsValidDnsName(serverName.TrimEnd('.'), allowUnderscore: true))
            {
                why = "it is not a DNS name (labels of letters, digits and '-', at most 63 characters each) or an IP address";
            }

            if (why is not null)
            {
                var shown = serverName.Length > 80 ? serverName.Substring(0, 80) + "…" : serverName;
                shown = new string(shown.Select(c => char.IsControl(c) ? '?' : c).ToArray());
                throw new OtlpTlsException(OtlpErrorId.InvalidServerName, OtlpErrorKind.InvalidArgument,
                    $"The server name '{shown}' cannot be used: {why}.", shown,
                    "Give the DNS name the server's certificate is issued for (e.g. collector.example.com), or omit -ServerName to use the endpoint's host.");
            }
        }

        private static OtlpTlsException Invalid(string original, string why) =>
            new(OtlpErrorId.InvalidEndpoint, OtlpErrorKind.InvalidArgument, $"'{Redaction.Url(original)}' is not an OTLP endpoint: {why}.", Redaction.Url(original),
                "Use host:port (collector:4317), a URL (https://collector:4318/v1/traces), [::1]:4317 or dns:///collector:4317.");
    }
}
