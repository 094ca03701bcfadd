using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

// One first use of the platform stack the diagnosis's platform check and export rely on, in a process that has done
// nothing else: "bare" returns at once; "handshake" makes one SslStream handshake (ALPN h2, the CA as the only trust
// anchor); "export" sends one empty OTLP/gRPC unary call over HttpClient and HTTP/2, as the .NET OTLP exporter does.
var mode = args.Length > 0 ? args[0] : "bare";
if (mode == "bare")
{
    return 0;
}

if (args.Length < 3)
{
    Console.Error.WriteLine("usage: PlatformFloor bare | handshake HOST:PORT CAFILE | export HOST:PORT CAFILE");
    return 2;
}

var port = int.Parse(args[1].Substring(args[1].LastIndexOf(':') + 1), System.Globalization.CultureInfo.InvariantCulture);
var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
policy.CustomTrustStore.Add(X509Certificate2.CreateFromPem(File.ReadAllText(args[2])));
var tls = new SslClientAuthenticationOptions
{
    TargetHost = "localhost",
    CertificateChainPolicy = policy,
    ApplicationProtocols = new() { SslApplicationProtocol.Http2 },
};

if (mode == "handshake")
{
    using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
    socket.Connect(IPAddress.Loopback, port);
    using var stream = new SslStream(new NetworkStream(socket, ownsSocket: true));
    stream.AuthenticateAsClient(tls);
    return stream.NegotiatedApplicationProtocol == SslApplicationProtocol.Http2 ? 0 : 1;
}

using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, SslOptions = tls });
using var request = new HttpRequestMessage(HttpMethod.Post, $"https://localhost:{port}/opentelemetry.proto.collector.trace.v1.TraceService/Export")
{
    Version = HttpVersion.Version20,
    VersionPolicy = HttpVersionPolicy.RequestVersionExact,
    Content = new ByteArrayContent(new byte[5]), // a gRPC frame: not compressed, length 0 (an empty request)
};
request.Content.Headers.ContentType = new("application/grpc");
request.Headers.TryAddWithoutValidation("te", "trailers");
using var response = client.SendAsync(request).GetAwaiter().GetResult();
response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
return response.IsSuccessStatusCode ? 0 : 1;
