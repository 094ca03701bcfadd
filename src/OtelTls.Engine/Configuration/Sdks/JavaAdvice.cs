using OtelTls.Engine.Endpoints;

namespace OtelTls.Engine.Configuration.Sdks
{
    /// <summary>The Java SDK's autoconfigure module and the Java agent.</summary>
    internal sealed class JavaAdvice : SdkAdvice
    {
        public override OtlpSdk Sdk => OtlpSdk.Java;

        public override void Advise(SdkAdviceContext context)
        {
            var request = context.Request;
            var endpoint = context.Endpoint;
            if (context.ClientWithoutCa)
            {
                context.Warn("Java: the gRPC exporter sends the client certificate only when OTEL_EXPORTER_OTLP_CERTIFICATE is set too; give -CaCertificate.");
            }

            if (request.Insecure is not null)
            {
                context.Warn("Java: OTEL_EXPORTER_OTLP_INSECURE is not read; the endpoint's scheme decides.");
            }

            if (endpoint is not null && endpoint.Scheme is null)
            {
                context.Warn("Java: the endpoint must start with http:// or https:// ('OTLP endpoint scheme must be http or https').");
            }

            if (context.Grpc && endpoint is not null && EndpointText.Split(endpoint.Original).Path.Trim('/').Length > 0)
            {
                context.Warn("Java: a gRPC endpoint must not have a path ('OTLP endpoint must not have a path').");
            }

            if (request.Protocol is null)
            {
                context.Warn("Java: autoconfigure defaults to grpc, the Java agent 2.x to http/protobuf; give -Protocol.");
            }

            if (context.HasTlsFiles)
            {
                context.Warn("Java ignores SSL_CERT_FILE and the OS store; the CA must come from OTEL_EXPORTER_OTLP_CERTIFICATE (or -Djavax.net.ssl.trustStore).");
            }
        }
    }
}
