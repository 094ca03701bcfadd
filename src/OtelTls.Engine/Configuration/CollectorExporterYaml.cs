using System;
using System.Text;

namespace OtelTls.Engine.Configuration
{
    /// <summary>
    /// The collector's <c>otlp</c>/<c>otlphttp</c> exporter block for a <c>Set-OtlpTlsEnvironment -Sdk collector</c> request:
    /// the collector reads YAML, not the exporter variables, so the same settings are printed as its <c>tls:</c> section.
    /// </summary>
    internal static class CollectorExporterYaml
    {
        /// <summary>The exporter block.</summary>
        /// <param name="request">The request (its file paths are local).</param>
        /// <param name="endpoint">The parsed endpoint, when one was given.</param>
        /// <param name="grpc">The exporter speaks gRPC (<c>otlp</c>) rather than HTTP (<c>otlphttp</c>).</param>
        /// <param name="caPath">The CA file the variables name (null: none).</param>
        /// <param name="remote">Local path to the path the collector reads.</param>
        public static string Build(OtlpEnvironmentRequest request, OtlpEndpoint? endpoint, bool grpc, string? caPath, Func<string, string> remote)
        {
            var builder = new StringBuilder();
            builder.Append("exporters:\n");
            builder.Append(grpc ? "  otlp:\n" : "  otlphttp:\n");
            if (endpoint is not null)
            {
                builder.Append("    endpoint: ").Append(YamlScalar.Quote(grpc ? endpoint.Authority : endpoint.Original.Trim())).Append('\n');
            }

            builder.Append("    tls:\n");
            // In the collector an http:// scheme does not turn TLS off for gRPC: only insecure: true does.
            var plaintext = request.Insecure == true || endpoint?.Scheme == "http";
            if (plaintext)
            {
                builder.Append("      insecure: true\n");
            }

            if (caPath is not null)
            {
                builder.Append("      ca_file: ").Append(YamlScalar.Quote(remote(request.CaCertificate!))).Append('\n');
            }

            if (request.ClientCertificate is not null)
            {
                builder.Append("      cert_file: ").Append(YamlScalar.Quote(remote(request.ClientCertificate))).Append('\n');
                builder.Append("      key_file: ").Append(YamlScalar.Quote(remote(request.ClientKey!))).Append('\n');
            }

            if (!plaintext && caPath is null && request.ClientCertificate is null)
            {
                builder.Append("      insecure: false\n");
            }

            return builder.ToString();
        }

    }
}
