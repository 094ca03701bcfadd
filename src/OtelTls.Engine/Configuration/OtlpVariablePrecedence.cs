using System.Collections.Generic;
using System.Globalization;
using OtelTls.Engine.Endpoints;
using OtelTls.Engine.Vocabulary;

namespace OtelTls.Engine.Configuration
{
    /// <summary>
    /// The specification's precedence for each exporter option — the per-signal variable when set, else the generic one,
    /// else the default — and what it makes of a signal's protocol, insecure flag, endpoint URL, files and headers. It
    /// resolves and never judges: text it cannot use is kept on <see cref="OtlpResolvedSignal"/> for the checks.
    /// </summary>
    internal sealed class OtlpVariablePrecedence
    {
        private readonly IReadOnlyDictionary<string, string> _variables;

        /// <param name="variables">Name to value; names are matched exactly, the way the SDKs read them.</param>
        public OtlpVariablePrecedence(IReadOnlyDictionary<string, string> variables) => _variables = variables;

        /// <summary>The names of every variable given, set or blank.</summary>
        public IEnumerable<string> Names => _variables.Keys;

        /// <summary>A variable's value; null when it is unset, empty or blank (SDKs treat those alike).</summary>
        public string? Get(string name) =>
            _variables.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;

        /// <summary>The per-signal variable when set, else the generic one: the specification's first rule.</summary>
        public (string? Value, string? Name) Pick(string option, OtlpSignal signal)
        {
            var specific = OtlpVariables.Name(option, signal);
            var value = Get(specific);
            if (value is not null)
            {
                return (value, specific);
            }

            var generic = OtlpVariables.Name(option);
            value = Get(generic);
            return value is not null ? (value, generic) : (null, null);
        }

        /// <summary>What an exporter for <paramref name="signal"/> does with these variables.</summary>
        public OtlpResolvedSignal Resolve(OtlpSignal signal)
        {
            var resolved = new OtlpResolvedSignal(new OtlpSignalConfiguration { Signal = signal });
            var result = resolved.Configuration;
            ResolveProtocol(resolved);
            var (insecureText, insecureName) = Pick(OtlpVariables.Insecure, signal);
            if (insecureText is not null)
            {
                resolved.InsecureText = insecureText;
                result.Insecure = OtlpEnvironmentReader.ParseBoolean(insecureText);
                result.InsecureSource = insecureName;
            }

            ResolveEndpoint(resolved);
            var (certificate, certificateName) = Pick(OtlpVariables.Certificate, signal);
            var (clientCertificate, clientCertificateName) = Pick(OtlpVariables.ClientCertificate, signal);
            var (clientKey, clientKeyName) = Pick(OtlpVariables.ClientKey, signal);
            result.CertificatePath = certificate;
            result.CertificatePathSource = certificateName;
            result.ClientCertificatePath = clientCertificate;
            result.ClientCertificatePathSource = clientCertificateName;
            result.ClientKeyPath = clientKey;
            result.ClientKeyPathSource = clientKeyName;
            result.HeaderNames = OtlpEnvironmentReader.HeaderNames(Pick(OtlpVariables.Headers, signal).Value);
            return resolved;
        }

        private void ResolveProtocol(OtlpResolvedSignal resolved)
        {
            var result = resolved.Configuration;
            var (value, name) = Pick(OtlpVariables.Protocol, result.Signal);
            result.Protocol = OtlpProtocols.Default;
            if (value is null)
            {
                return;
            }

            if (!OtlpProtocols.TryParseName(value, out var protocol))
            {
                resolved.RejectedProtocol = value;
                resolved.RejectedProtocolVariable = name;
                return;
            }

            result.Protocol = protocol;
            result.ProtocolSource = name!;
        }

        private void ResolveEndpoint(OtlpResolvedSignal resolved)
        {
            var result = resolved.Configuration;
            var grpc = result.Protocol == OtlpProtocol.Grpc;
            var specificName = OtlpVariables.Name(OtlpVariables.Endpoint, result.Signal);
            var (picked, name) = Pick(OtlpVariables.Endpoint, result.Signal);
            var value = picked?.Trim();
            result.EndpointSource = name ?? "default";
            // Defaults per the current specification: plaintext localhost on the protocol's port.
            value ??= "http://localhost:" + OtlpProtocols.DefaultPort(result.Protocol).ToString(CultureInfo.InvariantCulture);
            var parts = EndpointText.Split(value);
            resolved.EndpointVariable = name;
            resolved.EndpointValue = value;
            resolved.EndpointParts = parts;
            if (parts.Scheme is not null && parts.Scheme != "http" && parts.Scheme != "https")
            {
                Unusable(resolved, OtlpEndpointOutcome.SchemeRejected, $"the scheme '{parts.Scheme}' is neither http nor https");
                return;
            }

            if (grpc)
            {
                // gRPC: https ⇒ TLS, http ⇒ plaintext, both over INSECURE; no scheme ⇒ INSECURE decides (default TLS).
                result.UsesTls = parts.Scheme is null ? result.Insecure != true : parts.Scheme == "https";
                result.Url = parts.Scheme is null ? (result.UsesTls ? "https://" : "http://") + value : value;
            }
            else
            {
                if (parts.Scheme is null)
                {
                    Unusable(resolved, OtlpEndpointOutcome.SchemeRejected, "an OTLP/HTTP endpoint must be a URL starting with http:// or https://");
                    return;
                }

                result.UsesTls = parts.Scheme == "https";
                // The generic variable is a base URL: append v1/<signal> after exactly one slash. A per-signal URL is
                // used as is; only a missing path becomes '/'.
                result.Url = name != specificName
                    ? value.TrimEnd('/') + OtlpSignals.HttpPath(result.Signal)
                    : parts.Path.Length == 0 ? value + "/" : value;
            }

            try
            {
                // ForExporter keeps the query apart on the endpoint (sent with the export, never shown).
                result.Endpoint = EndpointParser.ForExporter(value, result.Url, result.Protocol, result.Signal, result.UsesTls);
                result.Url = Redaction.Url(result.Url);
                resolved.EndpointOutcome = OtlpEndpointOutcome.Parsed;
            }
            catch (OtlpTlsException ex)
            {
                Unusable(resolved, OtlpEndpointOutcome.ParseFailed, ex.Message.TrimEnd('.'));
            }
        }

        private static void Unusable(OtlpResolvedSignal resolved, OtlpEndpointOutcome outcome, string why)
        {
            resolved.EndpointOutcome = outcome;
            resolved.EndpointProblem = why;
            resolved.Configuration.Url = Redaction.Url(resolved.EndpointValue);
        }
    }
}
