using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;

namespace OtelTls.Lab.Tests;

/// <summary>curl as an independent OTLP client (HTTP/protobuf and gRPC framing over HTTP/2).</summary>
public static class Curl
{
    public sealed record HttpResult(string Status, string Version, string Headers, byte[] Body, ToolResult Raw);

    public sealed record GrpcResult(string? GrpcStatus, byte[] Message, HttpResult Http);

    public static async Task<HttpResult> HttpAsync(LabScenario s, byte[] request, params string[] extra) =>
        await HttpAsync(s, request, extra, tls: true);

    public static async Task<HttpResult> HttpAsync(LabScenario s, byte[] request, string extra, bool tls) =>
        await HttpAsync(s, request, new[] { extra }, tls);

    public static async Task<HttpResult> HttpAsync(LabScenario s, byte[] request, string[] extra, bool tls, string path = "/v1/traces", string contentType = "application/x-protobuf")
    {
        var work = Path.Combine(s.Directory, "curl-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(work);
        var requestFile = Path.Combine(work, "request.bin");
        File.WriteAllBytes(requestFile, request);
        var bodyFile = Path.Combine(work, "body.bin");
        var headerFile = Path.Combine(work, "headers.txt");
        var url = (tls ? "https://localhost:" : "http://127.0.0.1:") + s.Port + path;
        var args = new[] { "-X", "POST", "-H", "content-type: " + contentType, "--data-binary", "@" + requestFile }
            .Concat(tls ? new[] { "--cacert", s.CaFile, "--resolve", $"localhost:{s.Port}:127.0.0.1" } : Array.Empty<string>())
            .Concat(extra)
            .Concat(new[] { url });
        var raw = await Tool.CurlAsync(args, bodyFile, headerFile);
        Assert.False(raw.TimedOut, raw.ToString());
        // stdout (the -w line) comes first in Output, curl's own error (stderr) after it.
        var last = raw.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Last(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\d{3} ")).Split(' ');
        return new HttpResult(last[0], last.Length > 1 ? last[1] : "", File.Exists(headerFile) ? File.ReadAllText(headerFile) : "",
            File.Exists(bodyFile) ? File.ReadAllBytes(bodyFile) : Array.Empty<byte>(), raw);
    }

    public static async Task<GrpcResult> GrpcAsync(LabScenario s, byte[] message, params string[] extra)
    {
        var http = await HttpAsync(s, OtlpRequests.GrpcFrame(message), new[] { "--http2", "-H", "te: trailers" }.Concat(extra).ToArray(), tls: true,
            path: OtlpRequests.GrpcTracePath, contentType: "application/grpc");
        Assert.True(http.Status == "200", $"gRPC over HTTP/2 should answer 200: {http.Raw}\n{http.Headers}");
        string? status = null;
        foreach (var line in http.Headers.Split('\n'))
        {
            if (line.StartsWith("grpc-status:", StringComparison.OrdinalIgnoreCase))
            {
                status = line["grpc-status:".Length..].Trim();
            }
        }

        var payload = Array.Empty<byte>();
        if (http.Body.Length >= 5)
        {
            var length = (http.Body[1] << 24) | (http.Body[2] << 16) | (http.Body[3] << 8) | http.Body[4];
            payload = http.Body.AsSpan(5, length).ToArray();
        }

        return new GrpcResult(status, payload, http);
    }
}
