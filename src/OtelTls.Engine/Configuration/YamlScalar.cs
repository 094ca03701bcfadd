namespace OtelTls.Engine.Configuration
{
    /// <summary>YAML scalars as the configuration writers emit them.</summary>
    internal static class YamlScalar
    {
        /// <summary>A double-quoted scalar: backslashes and quotes escaped, so any path or value reads back as written.</summary>
        public static string Quote(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
    }
}
