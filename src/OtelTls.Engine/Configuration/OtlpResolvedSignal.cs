using OtelTls.Engine.Endpoints;

namespace OtelTls.Engine.Configuration
{
    /// <summary>How a signal's endpoint variable was taken.</summary>
    internal enum OtlpEndpointOutcome
    {
        /// <summary>The endpoint is parsed; the exporter dials it.</summary>
        Parsed,

        /// <summary>The scheme is not http/https, or an OTLP/HTTP endpoint has none: the text is not looked at further.</summary>
        SchemeRejected,

        /// <summary>The scheme is usable but the endpoint grammar refused the rest (host, port).</summary>
        ParseFailed,
    }

    /// <summary>
    /// One signal as <see cref="OtlpVariablePrecedence"/> resolved it: the configuration an exporter ends up with, plus the
    /// raw text it was made from and what could not be used, for <see cref="OtlpEnvironmentChecks"/> to judge.
    /// </summary>
    internal sealed class OtlpResolvedSignal
    {
        public OtlpResolvedSignal(OtlpSignalConfiguration configuration) => Configuration = configuration;

        /// <summary>The effective configuration (the public result).</summary>
        public OtlpSignalConfiguration Configuration { get; }

        /// <summary>The protocol variable's value when it names no OTLP protocol (the default protocol applies).</summary>
        public string? RejectedProtocol { get; set; }

        /// <summary>The variable <see cref="RejectedProtocol"/> came from.</summary>
        public string? RejectedProtocolVariable { get; set; }

        /// <summary>The insecure variable's text as written (its name is <see cref="OtlpSignalConfiguration.InsecureSource"/>).</summary>
        public string? InsecureText { get; set; }

        /// <summary>The endpoint variable that was picked; null for the default endpoint.</summary>
        public string? EndpointVariable { get; set; }

        /// <summary>The endpoint text used (trimmed), the default one when no variable is set.</summary>
        public string EndpointValue { get; set; } = string.Empty;

        /// <summary><see cref="EndpointValue"/> split into scheme, authority and path.</summary>
        public EndpointText EndpointParts { get; set; }

        /// <summary>Whether the endpoint could be used.</summary>
        public OtlpEndpointOutcome EndpointOutcome { get; set; }

        /// <summary>Why the endpoint could not be used (no final full stop); null when it is parsed.</summary>
        public string? EndpointProblem { get; set; }
    }
}
