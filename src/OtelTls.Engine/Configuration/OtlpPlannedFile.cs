namespace OtelTls.Engine.Configuration
{
    /// <summary>A file the plan writes besides the variables (e.g. a CA bundle reordered for .NET).</summary>
    public sealed class OtlpPlannedFile
    {
        internal OtlpPlannedFile(string path, string content, string reason)
        {
            Path = path;
            Content = content;
            Reason = reason;
        }

        /// <summary>Absolute path.</summary>
        public string Path { get; }

        /// <summary>Text content.</summary>
        public string Content { get; }

        /// <summary>Why it is written.</summary>
        public string Reason { get; }
    }
}
