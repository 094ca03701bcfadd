namespace OtelTls.Engine.Configuration.Sdks
{
    /// <summary>The Python SDK's OTLP exporters (gRPC and HTTP).</summary>
    internal sealed class PythonAdvice : SdkAdvice
    {
        public override OtlpSdk Sdk => OtlpSdk.Python;

        public override void Advise(SdkAdviceContext context)
        {
            var request = context.Request;
            if (context.ClientWithoutCa && context.Grpc)
            {
                context.Warn("Python: the gRPC exporter reads CLIENT_CERTIFICATE/CLIENT_KEY only when OTEL_EXPORTER_OTLP_CERTIFICATE is set; give -CaCertificate.");
            }

            if (context.Grpc && context.Endpoint?.Scheme == "http" && request.Insecure is null)
            {
                // Python's gRPC exporter lets an explicit INSECURE override http://; writing true keeps it plaintext for sure.
                context.Set(OtlpVariables.Name(OtlpVariables.Insecure, context.Signal), "true");
                context.Warn("Python: INSECURE overrides an http:// scheme in the gRPC exporter (INSECURE=false would dial TLS); wrote INSECURE=true to match the http:// endpoint.");
            }

            if (!context.Grpc && request.CaCertificate is null)
            {
                context.Warn("Python: the HTTP exporter uses requests, whose trust store is certifi, not the OS store: a private CA needs OTEL_EXPORTER_OTLP_CERTIFICATE (or REQUESTS_CA_BUNDLE).");
            }
        }
    }
}
