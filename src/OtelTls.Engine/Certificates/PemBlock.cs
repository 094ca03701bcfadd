using System;
using System.Collections.Generic;
using System.Text;

namespace OtelTls.Engine.Certificates
{
    /// <summary>One <c>-----BEGIN X-----</c> … <c>-----END X-----</c> block of a PEM file.</summary>
    internal sealed class PemBlock
    {
        private const string BeginMarker = "-----BEGIN ";
        private const string EndMarker = "-----END ";
        private const string Dashes = "-----";

        private PemBlock(string label, byte[] content, IReadOnlyDictionary<string, string> headers, int ordinal)
        {
            Label = label;
            Content = content;
            Headers = headers;
            Ordinal = ordinal;
        }

        /// <summary>The type after BEGIN, e.g. <c>CERTIFICATE</c> or <c>PRIVATE KEY</c>.</summary>
        public string Label { get; }

        /// <summary>The decoded base64 body.</summary>
        public byte[] Content { get; }

        /// <summary>RFC 1421 headers (legacy encrypted keys carry <c>Proc-Type</c> and <c>DEK-Info</c>).</summary>
        public IReadOnlyDictionary<string, string> Headers { get; }

        /// <summary>1-based position in the file, for error messages.</summary>
        public int Ordinal { get; }

        /// <summary>
        /// True when a BEGIN line occurs anywhere in <paramref name="bytes"/>: openssl reads PEM after any amount of text
        /// (a certificate pasted under a long README), so the whole file is searched, byte-wise, without decoding it.
        /// </summary>
        public static bool LooksLikePem(byte[] bytes)
        {
            var marker = Encoding.ASCII.GetBytes(BeginMarker);
            var last = bytes.Length - marker.Length;
            for (var i = 0; i <= last; i++)
            {
                if (bytes[i] != marker[0])
                {
                    continue;
                }

                var j = 1;
                while (j < marker.Length && bytes[i + j] == marker[j])
                {
                    j++;
                }

                if (j == marker.Length)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Every block in order; a block without its END line or with a broken body is an error.</summary>
        public static IReadOnlyList<PemBlock> ReadAll(string text, string source)
        {
            var blocks = new List<PemBlock>();
            var position = 0;
            while (true)
            {
                var begin = text.IndexOf(BeginMarker, position, StringComparison.Ordinal);
                if (begin < 0)
                {
                    break;
                }

                var labelStart = begin + BeginMarker.Length;
                var labelEnd = text.IndexOf(Dashes, labelStart, StringComparison.Ordinal);
                var lineEnd = text.IndexOf('\n', labelStart);
                if (labelEnd < 0 || (lineEnd >= 0 && labelEnd > lineEnd))
                {
                    throw Broken(source, blocks.Count + 1, "its BEGIN line is malformed");
                }

                var label = text.Substring(labelStart, labelEnd - labelStart);
                var endLine = EndMarker + label + Dashes;
                var bodyStart = labelEnd + Dashes.Length;
                var end = text.IndexOf(endLine, bodyStart, StringComparison.Ordinal);
                if (end < 0)
                {
                    throw Broken(source, blocks.Count + 1, $"'-----BEGIN {label}-----' has no matching END line (the file is truncated?)");
                }

                var (headers, body) = SplitHeaders(text.Substring(bodyStart, end - bodyStart));
                byte[] content;
                try
                {
                    content = Convert.FromBase64String(body);
                }
                catch (FormatException)
                {
                    throw Broken(source, blocks.Count + 1, $"the body of '{label}' is not valid base64");
                }

                if (content.Length == 0)
                {
                    throw Broken(source, blocks.Count + 1, $"the '{label}' block is empty");
                }

                blocks.Add(new PemBlock(label, content, headers, blocks.Count + 1));
                position = end + endLine.Length;
            }

            if (blocks.Count == 0)
            {
                throw Broken(source, 1, "no complete PEM block was found");
            }

            return blocks;
        }

        /// <summary>Encodes DER as PEM with 64-character lines, as openssl writes it.</summary>
        public static string Encode(string label, byte[] der)
        {
            var base64 = Convert.ToBase64String(der);
            var builder = new StringBuilder(base64.Length + 128);
            builder.Append(BeginMarker).Append(label).Append(Dashes).Append('\n');
            for (var i = 0; i < base64.Length; i += 64)
            {
                builder.Append(base64, i, Math.Min(64, base64.Length - i)).Append('\n');
            }

            builder.Append(EndMarker).Append(label).Append(Dashes).Append('\n');
            return builder.ToString();
        }

        private static (IReadOnlyDictionary<string, string> Headers, string Body) SplitHeaders(string raw)
        {
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var body = new StringBuilder(raw.Length);
            foreach (var rawLine in raw.Split('\n'))
            {
                var line = rawLine.Trim();
                if (line.Length == 0)
                {
                    continue;
                }

                var colon = line.IndexOf(':');
                if (colon > 0 && body.Length == 0)
                {
                    headers[line.Substring(0, colon).Trim()] = line.Substring(colon + 1).Trim();
                    continue;
                }

                body.Append(line);
            }

            return (headers, body.ToString());
        }

        private static OtlpTlsException Broken(string source, int ordinal, string detail) =>
            new(OtlpErrorId.PemInvalid, OtlpErrorKind.InvalidData,
                $"The PEM file '{source}' is damaged: block {ordinal}: {detail}.", source,
                "Re-export or re-copy the file; PEM blocks must be complete, from the BEGIN line to the END line.");
    }
}
