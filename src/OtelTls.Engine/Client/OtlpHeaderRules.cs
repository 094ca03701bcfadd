using System;
using System.Linq;

namespace OtelTls.Engine.Client
{
    /// <summary>Which request headers an exporter can send: token names, not transport-owned, single-line values.</summary>
    internal static class OtlpHeaderRules
    {
        private static readonly string[] ReservedHeaders =
        {
            "host", "content-type", "content-length", "te", "connection", "transfer-encoding", "upgrade", "keep-alive",
            "grpc-timeout", "grpc-encoding", "grpc-accept-encoding", "grpc-status", "grpc-message",
        };

        /// <summary>Checks a name and value that no protocol could send; the value is never shown.</summary>
        public static void Validate(string? name, string? value)
        {
            string? why = null;
            if (string.IsNullOrEmpty(name))
            {
                why = "it is empty";
            }
            else if (!name!.All(IsTokenChar))
            {
                why = "a header name may hold only letters, digits and !#$%&'*+-.^_`|~ (no spaces, colons or other separators)";
            }
            else if (ReservedHeaders.Contains(name!.ToLowerInvariant()))
            {
                why = "the transport sets this header itself";
            }

            if (why is not null)
            {
                throw InvalidName(name ?? string.Empty, why);
            }

            if (value is null || value.Any(c => c == '\r' || c == '\n' || c == '\0'))
            {
                // The value itself is never shown: it is usually a secret.
                throw new OtlpTlsException(OtlpErrorId.InvalidHeaderValue, OtlpErrorKind.InvalidArgument,
                    $"The value of header '{name}' is missing or contains a line break or NUL character (value not shown).", name,
                    "Remove line breaks from the value (a token read from a file often ends with one: use .Trim()).");
            }
        }

        /// <summary>gRPC metadata ending in -bin carries binary values, which a text header cannot give.</summary>
        public static void ValidateForProtocol(string name, OtlpProtocol protocol)
        {
            if (protocol == OtlpProtocol.Grpc && name.EndsWith("-bin", StringComparison.OrdinalIgnoreCase))
            {
                throw InvalidName(name, "gRPC metadata ending in -bin carries binary values, which a text header cannot give");
            }
        }

        private static OtlpTlsException InvalidName(string name, string why) =>
            new(OtlpErrorId.InvalidHeaderName, OtlpErrorKind.InvalidArgument, $"'{name}' cannot be sent as a header: {why}.", name,
                "Use the header name the backend documents, e.g. Authorization or api-key: -Header @{ 'api-key' = $key }.");

        private static bool IsTokenChar(char c) =>
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".IndexOf(c) >= 0;
    }
}
