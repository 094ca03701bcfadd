namespace OtelTls
{
    // Based on long, like every public enum of the models (see OtlpSeverity.cs for why); a contract test keeps it so.
    /// <summary>The OTLP signals an exporter sends; the specification writes them lower case (<c>/v1/traces</c>).</summary>
    public enum OtlpSignal : long
    {
        /// <summary>Spans (<c>traces</c>).</summary>
        Traces = 0,
        /// <summary>Metric data points (<c>metrics</c>).</summary>
        Metrics = 1,
        /// <summary>Log records (<c>logs</c>).</summary>
        Logs = 2,
    }
}
