namespace OtelTls
{
    /// <summary>The TLS client stack (or tool) that wrote an error message.</summary>
    public enum OtlpRuntime : long
    {
        /// <summary>Not recognisable from the text alone.</summary>
        Unknown = 0,
        /// <summary>Go's crypto/tls and crypto/x509: the collector, grpc-go and the Go SDK.</summary>
        Go = 1,
        /// <summary>Java (JSSE, OkHttp, grpc-java).</summary>
        Java = 2,
        /// <summary>Python gRPC (gRPC C-core and its TSI layer).</summary>
        PythonGrpc = 3,
        /// <summary>Python's ssl module, as used by urllib, requests and urllib3.</summary>
        Python = 4,
        /// <summary>.NET (SslStream, HttpClient, Grpc.Net.Client, the OpenTelemetry .NET exporter).</summary>
        DotNet = 5,
        /// <summary>Node.js (tls, https, grpc-js).</summary>
        Node = 6,
        /// <summary>The openssl command line (s_client, verify).</summary>
        OpenSsl = 7,
        /// <summary>curl.</summary>
        Curl = 8,
        /// <summary>GnuTLS (gnutls-cli).</summary>
        GnuTls = 9,
    }
}
