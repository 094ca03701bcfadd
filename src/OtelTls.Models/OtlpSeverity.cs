namespace OtelTls
{
    // Every public enum of the models is based on long: PowerShell's ConvertTo-Json writes Int64-based enums as their names
    // (JavaScript cannot hold every Int64), and names are what a JSON consumer of the results should see. A contract
    // test keeps new enums the same.
    /// <summary>How serious a finding is.</summary>
    public enum OtlpSeverity : long
    {
        /// <summary>Worth knowing; nothing to fix.</summary>
        Info = 0,
        /// <summary>Works today, but is fragile or about to break.</summary>
        Warning = 1,
        /// <summary>Breaks the connection or the export.</summary>
        Error = 2,
    }
}
