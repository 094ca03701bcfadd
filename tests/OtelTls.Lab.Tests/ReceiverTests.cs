using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;

namespace OtelTls.Lab.Tests;

/// <summary>The OTLP receivers really decode what they are sent, and answer like a collector when they cannot.</summary>
public sealed class ReceiverTests
{
    [Fact]
    public async Task MetricsAndLogsAreCountedOverHttpAndGrpc()
    {
        await using var s = await LabScenario.StartAsync("healthy");
        Assert.Equal("200", (await Curl.HttpAsync(s, OtlpRequests.Items(3), new string[0], tls: true, path: "/v1/metrics")).Status);
        Assert.Equal("200", (await Curl.HttpAsync(s, OtlpRequests.Items(4), new string[0], tls: true, path: "/v1/logs")).Status);
        var grpc = await Curl.HttpAsync(s, OtlpRequests.GrpcFrame(OtlpRequests.Items(2)), new[] { "--http2", "-H", "te: trailers" }, tls: true,
            path: "/opentelemetry.proto.collector.logs.v1.LogsService/Export", contentType: "application/grpc");
        Assert.Contains("grpc-status: 0", grpc.Headers);
        Assert.Equal(3, s.ReceivedMetricCount);
        Assert.Equal(6, s.ReceivedLogRecordCount);
        Assert.Equal(0, s.ReceivedSpanCount);
        Assert.Equal(3, s.ExportRequestCount);
    }

    [Fact]
    public async Task GzipBodiesAreDecoded()
    {
        await using var s = await LabScenario.StartAsync("healthy");
        var ids = new[] { OtlpRequests.NewTraceId(), OtlpRequests.NewTraceId() };
        var http = await Curl.HttpAsync(s, Gzip(OtlpRequests.Traces(ids)), new[] { "-H", "content-encoding: gzip" }, tls: true);
        Assert.Equal("200", http.Status);
        Assert.Equal(2, s.ReceivedSpanCount);
        Assert.Equal(ids.OrderBy(i => i), s.ReceivedTraceIds.OrderBy(i => i));
    }

    [Fact]
    public async Task MalformedAndMisdirectedRequestsGetCollectorAnswers()
    {
        await using var s = await LabScenario.StartAsync("healthy");
        // Not protobuf: field 1 with a varint wire type where a message must be.
        var bad = new byte[] { 0x08, 0x01 };
        Assert.Equal("400", (await Curl.HttpAsync(s, bad)).Status);
        var badGrpc = await Curl.GrpcAsync(s, bad);
        Assert.Equal("3", badGrpc.GrpcStatus);
        Assert.Equal("415", (await Curl.HttpAsync(s, OtlpRequests.Traces(new[] { OtlpRequests.NewTraceId() }), new string[0], tls: true, contentType: "application/json")).Status);
        Assert.Equal("404", (await Curl.HttpAsync(s, OtlpRequests.Traces(new[] { OtlpRequests.NewTraceId() }), new string[0], tls: true, path: "/v1/spans")).Status);
        var unknownMethod = await Curl.HttpAsync(s, OtlpRequests.GrpcFrame(OtlpRequests.Traces(new[] { OtlpRequests.NewTraceId() })),
            new[] { "--http2", "-H", "te: trailers" }, tls: true, path: "/opentelemetry.proto.collector.trace.v1.TraceService/Ingest", contentType: "application/grpc");
        Assert.Contains("grpc-status: 12", unknownMethod.Headers);
        Assert.Equal(0, s.ExportRequestCount);
    }

    [Fact]
    public async Task DotNetHttpClientExportsOverHttp2WithAClientCertificateThroughTheTerminator()
    {
        var logLines = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var s = await LabScenario.StartAsync("mtls-required-with-client-cert", new LabOptions { Log = logLines.Enqueue });
        using var root = X509CertificateLoader.LoadCertificateFromFile(s.CaFile);
        using var client = X509Certificate2.CreateFromPemFile(s.ClientCertificateFile, s.ClientKeyFile);
        using var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = new X509CertificateCollection { client },
                CertificateChainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, CustomTrustStore = { root }, RevocationMode = X509RevocationMode.NoCheck },
            },
            ConnectTimeout = TimeSpan.FromSeconds(5),
        };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10), DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        var id = OtlpRequests.NewTraceId();
        using var content = new ByteArrayContent(OtlpRequests.GrpcFrame(OtlpRequests.Traces(new[] { id })));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"https://127.0.0.1:{s.Port}{OtlpRequests.GrpcTracePath}") 
        {
            Content = content,
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.TE.ParseAdd("trailers");
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(new Version(2, 0) == response.Version, string.Join("\n", logLines) + "\n" + string.Join("\n", response.Headers) + "\n" + Convert.ToHexString(body));
        Assert.Equal("0", response.TrailingHeaders.GetValues("grpc-status").Single());
        Assert.Equal(5, body.Length); // an empty ExportTraceServiceResponse, length-prefixed
        Assert.Equal(new[] { id }, s.ReceivedTraceIds);
    }

    [Fact]
    public async Task DotNetHttpClientWithoutAClientCertificateIsRefused()
    {
        await using var s = await LabScenario.StartAsync("mtls-required");
        using var root = X509CertificateLoader.LoadCertificateFromFile(s.CaFile);
        using var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                CertificateChainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, CustomTrustStore = { root }, RevocationMode = X509RevocationMode.NoCheck },
            },
        };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10), DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var content = new ByteArrayContent(OtlpRequests.Traces(new[] { OtlpRequests.NewTraceId() }));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        await Assert.ThrowsAsync<HttpRequestException>(() => http.PostAsync($"https://127.0.0.1:{s.Port}/v1/traces", content));
        Assert.Equal(0, s.ExportRequestCount);
    }

    private static byte[] Gzip(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return buffer.ToArray();
    }
}
