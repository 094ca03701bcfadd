using System;
using System.Linq;
using OtelTls.Engine.Endpoints;
using OtelTls.Engine.Vocabulary;

namespace OtelTls.Engine.Configuration
{
    /// <summary>
    /// The findings about the variables themselves: values an exporter cannot use or reads otherwise than meant, settings
    /// that contradict each other, and per-signal overrides. The files the variables name are <see cref="OtlpEnvironmentFiles"/>'.
    /// </summary>
    internal sealed class OtlpEnvironmentChecks
    {
        private readonly OtlpVariablePrecedence _variables;
        private readonly OtlpEnvironmentFindings _findings;

        public OtlpEnvironmentChecks(OtlpVariablePrecedence variables, OtlpEnvironmentFindings findings)
        {
            _variables = variables;
            _findings = findings;
        }

        /// <summary>One signal's values: protocol, insecure flag, endpoint, then how they combine.</summary>
        public void CheckSignal(OtlpResolvedSignal resolved)
        {
            var result = resolved.Configuration;
            if (resolved.RejectedProtocol is { } protocolText)
            {
                var name = resolved.RejectedProtocolVariable;
                Add(result.Signal, ConfigurationFindings.InvalidProtocolVariable(name, protocolText));
            }

            if (resolved.InsecureText is { } insecureText)
            {
                var insecureName = result.InsecureSource;
                var trimmed = insecureText.Trim();
                if (!trimmed.Equals("true", StringComparison.OrdinalIgnoreCase) && !trimmed.Equals("false", StringComparison.OrdinalIgnoreCase))
                {
                    Add(result.Signal, ConfigurationFindings.InvalidBooleanVariable(insecureName, insecureText));
                }
            }

            CheckEndpoint(resolved);
            CheckSecurity(result);
        }

        private void CheckEndpoint(OtlpResolvedSignal resolved)
        {
            var result = resolved.Configuration;
            var name = resolved.EndpointVariable;
            var value = resolved.EndpointValue;
            if (resolved.EndpointOutcome == OtlpEndpointOutcome.SchemeRejected)
            {
                InvalidEndpoint(result, name ?? "default", value, resolved.EndpointProblem!);
                return;
            }

            var grpc = result.Protocol == OtlpProtocol.Grpc;
            if (!grpc && name != OtlpVariables.Name(OtlpVariables.Endpoint, result.Signal))
            {
                var genericName = OtlpVariables.Name(OtlpVariables.Endpoint);
                var path = resolved.EndpointParts.Path.TrimEnd('/');
                foreach (var signal in OtlpSignals.All)
                {
                    if (path.EndsWith(OtlpSignals.HttpPath(signal), StringComparison.OrdinalIgnoreCase))
                    {
                        Add(result.Signal, ConfigurationFindings.SignalPathInGenericEndpoint(genericName, value, signal));
                        break;
                    }
                }
            }

            if (!resolved.EndpointParts.HasPort && name is not null)
            {
                Add(result.Signal, ConfigurationFindings.EndpointPortMissing(name, value, result.UsesTls, result.Protocol));
            }

            if (resolved.EndpointOutcome == OtlpEndpointOutcome.ParseFailed)
            {
                InvalidEndpoint(result, name ?? "default", value, resolved.EndpointProblem!);
                return;
            }

            var otherPort = grpc ? OtlpProtocols.HttpPort : OtlpProtocols.GrpcPort;
            if (result.Endpoint!.Port == otherPort)
            {
                var protocolName = OtlpProtocols.Name(result.Protocol);
                var protocolVariable = result.ProtocolSource == "default" ? $"the default protocol {protocolName}" : $"{result.ProtocolSource}={protocolName}";
                Add(result.Signal, ConfigurationFindings.ProtocolPortMismatch(protocolVariable, otherPort, name ?? "default", value, grpc));
            }
        }

        private void InvalidEndpoint(OtlpSignalConfiguration result, string name, string value, string why) =>
            Add(result.Signal, ConfigurationFindings.InvalidEndpointVariable(name, value, why, result.Protocol));

        private void CheckSecurity(OtlpSignalConfiguration result)
        {
            var scheme = result.Endpoint?.Scheme;
            if (result.Insecure == true && scheme == "https")
            {
                Add(result.Signal, ConfigurationFindings.InsecureIgnored(result.InsecureSource, result.EndpointSource, result.Endpoint!.Original));
            }

            if (result.Endpoint is not null && !result.UsesTls)
            {
                var files = new[] { result.CertificatePathSource, result.ClientCertificatePathSource, result.ClientKeyPathSource }.Where(n => n is not null).ToArray();
                if (files.Length > 0)
                {
                    Add(result.Signal, ConfigurationFindings.TlsFilesIgnored(result.EndpointSource, result.Endpoint.Original, files!, scheme == "http", result.InsecureSource));
                }
            }

            var hasClientCertificate = result.ClientCertificatePath is not null;
            var hasClientKey = result.ClientKeyPath is not null;
            if (hasClientCertificate != hasClientKey)
            {
                var present = hasClientCertificate ? result.ClientCertificatePathSource : result.ClientKeyPathSource;
                var missing = OtlpVariables.Name(hasClientCertificate ? OtlpVariables.ClientKey : OtlpVariables.ClientCertificate, present!.Contains("_TRACES_") || present.Contains("_METRICS_") || present.Contains("_LOGS_") ? result.Signal : (OtlpSignal?)null);
                Add(result.Signal, ConfigurationFindings.ClientCertificateIncomplete(present, missing, hasClientCertificate));
            }
            else if (hasClientCertificate && result.CertificatePath is null)
            {
                Add(result.Signal, ConfigurationFindings.ClientCertificateWithoutCa(result.ClientCertificatePathSource, result.ClientKeyPathSource));
            }
        }

        /// <summary>Per-signal variables that differ from the generic one (or stand alone, for the TLS files).</summary>
        public void CheckOverrides()
        {
            foreach (var option in new[] { OtlpVariables.Endpoint, OtlpVariables.Protocol, OtlpVariables.Certificate, OtlpVariables.ClientCertificate, OtlpVariables.ClientKey, OtlpVariables.Insecure })
            {
                var genericName = OtlpVariables.Name(option);
                var generic = _variables.Get(genericName);
                foreach (var signal in OtlpSignals.All)
                {
                    var name = OtlpVariables.Name(option, signal);
                    var value = _variables.Get(name);
                    var tlsFile = option is OtlpVariables.Certificate or OtlpVariables.ClientCertificate or OtlpVariables.ClientKey;
                    if (value is null || (generic is null && !tlsFile) || string.Equals(value.Trim(), generic?.Trim(), StringComparison.Ordinal))
                    {
                        continue;
                    }

                    Add(signal, ConfigurationFindings.SignalOverrideDiffers(name, value, genericName, generic, signal, option, tlsFile));
                }
            }
        }

        /// <summary>Exporter variables are set but no protocol is, so each SDK's own default decides.</summary>
        public void CheckProtocolSet()
        {
            if (_variables.Get(OtlpVariables.Name(OtlpVariables.Protocol)) is not null
                || OtlpSignals.All.All(s => _variables.Get(OtlpVariables.Name(OtlpVariables.Protocol, s)) is not null)
                || !_variables.Names.Any(k => k.StartsWith(OtlpVariables.Prefix, StringComparison.Ordinal) && _variables.Get(k) is not null))
            {
                return;
            }

            Add(null, ConfigurationFindings.ProtocolNotSet());
        }

        private void Add(OtlpSignal? signal, OtlpFinding finding) => _findings.Add(signal, finding);
    }
}
