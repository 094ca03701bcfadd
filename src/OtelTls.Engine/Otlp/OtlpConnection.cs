using System;
using System.Collections.Generic;
using OtelTls.Engine.Client;

namespace OtelTls.Engine.Otlp
{
    /// <summary>One export's target: the endpoint, and the client settings it is reached with.</summary>
    internal sealed class OtlpConnection
    {
        public OtlpConnection(OtlpEndpoint endpoint, OtlpClientSettings settings)
        {
            Endpoint = endpoint ?? throw new OtlpTlsException(OtlpErrorId.EndpointRequired, OtlpErrorKind.InvalidArgument, "No OTLP endpoint was given.", null,
                "Give an endpoint such as collector:4317 or https://collector:4318/v1/traces.");
            Settings = settings ?? throw new ArgumentNullException(nameof(settings));
            settings.ValidateFor(endpoint.Protocol);
            settings.Credential?.ThrowIfKeyMismatch();
        }

        public OtlpEndpoint Endpoint { get; }

        public OtlpClientSettings Settings { get; }

        public TimeSpan Timeout => Settings.Timeout;

        public IReadOnlyDictionary<string, string> Headers => Settings.Headers;

        public string? ServerName => Settings.ServerName;
    }
}
