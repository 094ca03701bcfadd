using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace OtelTls.Engine
{
    /// <summary>
    /// The one place secrets are masked before text leaves OtelTls (objects, verbose text, errors, findings, export
    /// results): credentials in endpoint URLs and header values. Everything shown to a user or a log goes through here, so
    /// a fix to what counts as a secret applies to every output at once.
    /// </summary>
    public static class Redaction
    {
        /// <summary>What a masked secret is replaced with.</summary>
        public const string Mask = "***";

        /// <summary>
        /// An endpoint URL with the userinfo (<c>user:password@</c>, also when the password holds <c>/</c>, <c>@</c> or
        /// <c>:</c>), every query value (<c>?api_key=…</c>) and the fragment masked; everything else as given.
        /// </summary>
        /// <param name="text">A URL or endpoint text; null gives null.</param>
        public static string Url(string text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return text;
            }

            var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
            var start = schemeEnd >= 0 && text.Substring(0, schemeEnd).All(c => char.IsLetterOrDigit(c) || c is '+' or '-' or '.') ? schemeEnd + 3 : 0;
            var queryStart = IndexOfAny(text, start, '?', '#');
            var beforeQuery = queryStart < 0 ? text.Length : queryStart;
            var result = new StringBuilder(text.Length);
            result.Append(text, 0, start);

            var at = UserInfoEnd(text, start, beforeQuery);
            if (at >= 0)
            {
                result.Append(Mask).Append('@');
                start = at + 1;
            }

            result.Append(text, start, beforeQuery - start);
            if (queryStart >= 0)
            {
                var fragment = text.IndexOf('#', queryStart);
                var queryEnd = fragment < 0 ? text.Length : fragment;
                if (text[queryStart] == '?')
                {
                    result.Append('?');
                    var query = text.Substring(queryStart + 1, queryEnd - queryStart - 1);
                    result.Append(string.Join("&", query.Split('&').Select(MaskQueryPair)));
                }

                if (fragment >= 0)
                {
                    result.Append('#').Append(Mask);
                }
            }

            return result.ToString();
        }

        /// <summary>True when <paramref name="text"/> holds userinfo (<c>user:password@host</c>) that <see cref="Url"/> masks.</summary>
        /// <param name="text">A URL or endpoint text.</param>
        public static bool HasUserInfo(string text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return false;
            }

            var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
            var start = schemeEnd >= 0 ? schemeEnd + 3 : 0;
            var queryStart = IndexOfAny(text, start, '?', '#');
            return UserInfoEnd(text, start, queryStart < 0 ? text.Length : queryStart) >= 0;
        }

        /// <summary>
        /// An <c>OTEL_EXPORTER_OTLP_HEADERS</c>-style list (<c>name=value,name=value</c>) with every value masked and the
        /// names kept. A value that itself holds a comma (<c>Authorization=Basic a,b</c>) or base64 padding stays masked
        /// whole: a piece after a comma counts as a new header only when it looks like one (a token name, then <c>=</c>
        /// and a value not starting with <c>=</c>).
        /// </summary>
        /// <param name="value">The headers value; null gives null.</param>
        public static string Headers(string value)
        {
            if (string.IsNullOrEmpty(value))
            {
                return value;
            }

            var shown = new List<string>();
            foreach (var piece in value.Split(','))
            {
                var equals = piece.IndexOf('=');
                var name = equals > 0 ? piece.Substring(0, equals).Trim() : string.Empty;
                var rest = equals > 0 ? piece.Substring(equals + 1) : string.Empty;
                if (name.Length > 0 && name.All(IsTokenChar) && rest.Trim().Length > 0 && rest[0] != '=')
                {
                    shown.Add(name + "=" + Mask);
                }
                else if (shown.Count == 0 && piece.Trim().Length > 0)
                {
                    shown.Add(Mask); // no header name to keep
                }

                // Anything else continues the previous (already masked) value.
            }

            return string.Join(",", shown);
        }

        /// <summary>A single header value, masked whole (the name is the caller's to show).</summary>
        /// <param name="value">The value.</param>
        public static string HeaderValue(string? value) => string.IsNullOrEmpty(value) ? string.Empty : Mask;

        /// <summary>
        /// <paramref name="text"/> with every occurrence of each secret replaced by <see cref="Mask"/>: for messages that
        /// quote something a secret was part of (an exception message from a library that echoes a URL).
        /// </summary>
        /// <param name="text">The text.</param>
        /// <param name="secrets">The secrets; null or short (under 6 characters) ones are ignored, as masking them would mangle the text.</param>
        public static string Scrub(string text, IEnumerable<string?> secrets)
        {
            if (string.IsNullOrEmpty(text))
            {
                return text;
            }

            foreach (var secret in secrets.Where(s => s is { Length: >= 6 }).OrderByDescending(s => s!.Length))
            {
                text = text.Replace(secret!, Mask);
            }

            return text;
        }

        /// <summary>The secrets in an endpoint text (userinfo, query values, fragment), for <see cref="Scrub"/>.</summary>
        /// <param name="text">An endpoint URL.</param>
        public static IEnumerable<string> SecretsIn(string? text)
        {
            if (string.IsNullOrEmpty(text))
            {
                yield break;
            }

            var schemeEnd = text!.IndexOf("://", StringComparison.Ordinal);
            var start = schemeEnd >= 0 ? schemeEnd + 3 : 0;
            var queryStart = IndexOfAny(text, start, '?', '#');
            var at = UserInfoEnd(text, start, queryStart < 0 ? text.Length : queryStart);
            if (at >= 0)
            {
                var userInfo = text.Substring(start, at - start);
                yield return userInfo;
                var colon = userInfo.IndexOf(':');
                if (colon >= 0)
                {
                    yield return userInfo.Substring(colon + 1);
                }
            }

            if (queryStart >= 0)
            {
                foreach (var pair in text.Substring(queryStart + 1).Split('&', '#'))
                {
                    var equals = pair.IndexOf('=');
                    yield return equals < 0 ? pair : pair.Substring(equals + 1);
                }
            }
        }

        private static string MaskQueryPair(string pair)
        {
            if (pair.Length == 0)
            {
                return pair;
            }

            var equals = pair.IndexOf('=');
            return equals < 0 ? Mask : pair.Substring(0, equals + 1) + Mask;
        }

        // The '@' that ends the userinfo: the last one before the query. A password may hold '/', ':' or '@' unencoded (users
        // paste them so), so the authority cannot be cut at the first '/': the part before the '@' counts as userinfo when it
        // has no '/' (user@host) or holds a ':' (user:pa/ss@host); "host/path@x" is a path.
        private static int UserInfoEnd(string text, int start, int end)
        {
            if (end <= start)
            {
                return -1;
            }

            var at = text.LastIndexOf('@', end - 1, end - start);
            if (at < start)
            {
                return -1;
            }

            var before = text.Substring(start, at - start);
            return before.IndexOf('/') < 0 || before.IndexOf(':') >= 0 ? at : -1;
        }

        private static int IndexOfAny(string text, int start, params char[] characters) =>
            start >= text.Length ? -1 : text.IndexOfAny(characters, start);

        private static bool IsTokenChar(char c) =>
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".IndexOf(c) >= 0;
    }
}
