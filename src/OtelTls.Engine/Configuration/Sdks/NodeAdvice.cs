namespace OtelTls.Engine.Configuration.Sdks
{
    /// <summary>OpenTelemetry JS (Node.js) exporters.</summary>
    internal sealed class NodeAdvice : SdkAdvice
    {
        public override OtlpSdk Sdk => OtlpSdk.Node;

        public override void Advise(SdkAdviceContext context)
        {
            var request = context.Request;
            if (request.CaCertificate is not null)
            {
                context.Set(OtlpVariables.NodeExtraCaCerts, context.Remote(request.CaCertificate));
                context.Warn("Node: OpenTelemetry JS before 0.212 ignores OTEL_EXPORTER_OTLP_CERTIFICATE; NODE_EXTRA_CA_CERTS was set too (read once at process start).");
            }

            if (request.ClientCertificate is not null)
            {
                context.Warn("Node: OpenTelemetry JS before 0.212 cannot take a client certificate from the environment; mTLS needs 0.212 or later.");
            }

            if (request.Insecure is not null && context.Endpoint?.Scheme is not null)
            {
                context.Warn("Node: INSECURE is read by the gRPC exporter only, and only for endpoints without a scheme.");
            }
        }
    }
}
