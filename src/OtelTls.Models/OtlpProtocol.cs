namespace OtelTls
{
    // Based on long, like every public enum of the models (see OtlpSeverity.cs for why); a contract test keeps it so.
    /// <summary>OTLP protocol, as <c>OTEL_EXPORTER_OTLP_PROTOCOL</c> names them (<c>grpc</c>, <c>http/protobuf</c>, <c>http/json</c>).</summary>
    public enum OtlpProtocol : long
    {
        /// <summary><c>grpc</c>: HTTP/2 with ALPN h2, default port 4317.</summary>
        Grpc = 0,
        /// <summary><c>http/protobuf</c>: POST to <c>/v1/{signal}</c>, default port 4318.</summary>
        HttpProtobuf = 1,
        /// <summary><c>http/json</c>: like http/protobuf with JSON bodies; OtelTls connects to it as HTTP/protobuf (TLS is the same).</summary>
        HttpJson = 2,
    }
}
