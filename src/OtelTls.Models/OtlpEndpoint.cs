namespace OtelTls
{
    /// <summary>An endpoint as the user wrote it and as OtelTls understood it.</summary>
    public sealed class OtlpEndpoint
    {
        internal OtlpEndpoint() { }

        /// <summary>The text the user gave.</summary>
        public string Original { get; internal set; } = string.Empty;

        /// <summary><c>https</c>, <c>http</c>, or null when the text had no scheme.</summary>
        public string? Scheme { get; internal set; }

        /// <summary>Host name or IP address (IPv6 without brackets).</summary>
        public string Host { get; internal set; } = string.Empty;

        /// <summary>TCP port (explicit, or the protocol's default).</summary>
        public int Port { get; internal set; }

        /// <summary>True when the port was not in the text and the protocol's default was used.</summary>
        public bool IsDefaultPort { get; internal set; }

        /// <summary>Path of an HTTP endpoint (e.g. <c>/v1/traces</c>); empty for gRPC.</summary>
        public string Path { get; internal set; } = string.Empty;

        /// <summary>
        /// The URL's query (with its <c>?</c>), sent with an HTTP export as SDKs send it, but no public property: it may
        /// hold a key (<c>?api_key=…</c>), so it never appears in output.
        /// </summary>
        internal string Query { get; set; } = string.Empty;

        /// <summary>The OTLP transport.</summary>
        public OtlpProtocol Protocol { get; internal set; }

        /// <summary>True for <c>https://</c>, false for <c>http://</c> (the user asked for plaintext), null without a scheme.</summary>
        public bool? TlsRequested { get; internal set; }

        /// <summary>True when the host is an IP literal (certificates must then carry an IP SAN).</summary>
        public bool IsIPAddress { get; internal set; }

        /// <summary><c>host:port</c>, with brackets for IPv6.</summary>
        public string Authority => (Host.IndexOf(':') >= 0 ? "[" + Host + "]" : Host) + ":" + Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        /// <summary>
        /// The URL an exporter with this endpoint talks to: https unless plaintext was asked for, and for HTTP/protobuf
        /// the request path.
        /// </summary>
        public string Url => (TlsRequested == false ? "http://" : "https://") + Authority + (Protocol == OtlpProtocol.HttpProtobuf ? Path : string.Empty);

        /// <inheritdoc />
        public override string ToString() => Authority;
    }
}
