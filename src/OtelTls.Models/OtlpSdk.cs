namespace OtelTls
{
    // Based on long, like every public enum of the models (see OtlpSeverity.cs for why); a contract test keeps it so.
    /// <summary>The OpenTelemetry runtimes whose exporter settings and quirks OtelTls knows.</summary>
    public enum OtlpSdk : long
    {
        /// <summary>OpenTelemetry .NET (<c>dotnet</c>).</summary>
        Dotnet = 0,
        /// <summary>OpenTelemetry Java, the SDK's autoconfigure and the Java agent (<c>java</c>).</summary>
        Java = 1,
        /// <summary>OpenTelemetry Go (<c>go</c>).</summary>
        Go = 2,
        /// <summary>OpenTelemetry Python (<c>python</c>).</summary>
        Python = 3,
        /// <summary>OpenTelemetry JS on Node.js (<c>node</c>).</summary>
        Node = 4,
        /// <summary>The OpenTelemetry Collector's otlp exporters (<c>collector</c>).</summary>
        Collector = 5,
    }
}
