namespace OtelTls
{
    // Based on long, like every public enum of the models (see OtlpSeverity.cs for why); a contract test keeps it so.
    /// <summary>Overall verdict of a check.</summary>
    public enum OtlpStatus : long
    {
        /// <summary>No finding above Info.</summary>
        Healthy = 0,
        /// <summary>At least one Warning, no Error.</summary>
        Warning = 1,
        /// <summary>At least one Error.</summary>
        Failed = 2,
    }
}
