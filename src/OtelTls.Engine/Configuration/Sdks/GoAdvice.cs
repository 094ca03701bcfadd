namespace OtelTls.Engine.Configuration.Sdks
{
    /// <summary>The Go SDK's otlptrace/otlpmetric/otlplog exporters.</summary>
    internal sealed class GoAdvice : SdkAdvice
    {
        public override OtlpSdk Sdk => OtlpSdk.Go;

        public override void Advise(SdkAdviceContext context)
        {
            if (context.Request.Insecure == true && context.Endpoint?.Scheme == "https")
            {
                context.Warn("Go: INSECURE is applied after the scheme and also to the HTTP exporter: with INSECURE=true the Go SDK sends plaintext even to this https:// endpoint.");
            }

            if (context.HasTlsFiles)
            {
                context.Warn("Go: an unreadable CA or client file is only logged and the exporter goes on with the system roots; check the exporter's log for 'read tls ca cert file'.");
            }
        }
    }
}
