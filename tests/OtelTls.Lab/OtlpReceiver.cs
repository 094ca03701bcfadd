using System;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;

namespace OtelTls.Lab;

/// <summary>
/// OTLP receivers for gRPC (<c>/opentelemetry.proto.collector.{signal}.v1.{Service}/Export</c>, length-prefixed messages,
/// grpc-status trailers) and HTTP/protobuf (<c>POST /v1/{signal}</c>) on one Kestrel port, without generated code.
/// Counts what it decodes.
/// </summary>
internal sealed class OtlpReceiver
{
    private const int MaxBodyBytes = 16 * 1024 * 1024;

    private static readonly Dictionary<string, OtlpSignal> GrpcPaths = new(StringComparer.Ordinal)
    {
        ["/opentelemetry.proto.collector.trace.v1.TraceService/Export"] = OtlpSignal.Traces,
        ["/opentelemetry.proto.collector.metrics.v1.MetricsService/Export"] = OtlpSignal.Metrics,
        ["/opentelemetry.proto.collector.logs.v1.LogsService/Export"] = OtlpSignal.Logs,
    };

    private static readonly Dictionary<string, OtlpSignal> HttpPaths = new(StringComparer.Ordinal)
    {
        ["/v1/traces"] = OtlpSignal.Traces,
        ["/v1/metrics"] = OtlpSignal.Metrics,
        ["/v1/logs"] = OtlpSignal.Logs,
    };

    private readonly OtlpBehavior behavior;
    private readonly string? headerName;
    private readonly string? headerValue;
    private readonly Action<string>? log;
    private readonly ConcurrentDictionary<string, byte> traceIds = new(StringComparer.Ordinal);
    private int spanCount;
    private int metricCount;
    private int logRecordCount;
    private int exportRequestCount;
    private int rejectedCount;

    public OtlpReceiver(OtlpBehavior behavior, string? headerName, string? headerValue, Action<string>? log)
    {
        this.behavior = behavior;
        this.headerName = headerName;
        this.headerValue = headerValue;
        this.log = log;
    }

    public int SpanCount => Volatile.Read(ref spanCount);

    public int MetricCount => Volatile.Read(ref metricCount);

    public int LogRecordCount => Volatile.Read(ref logRecordCount);

    public int ExportRequestCount => Volatile.Read(ref exportRequestCount);

    public int RejectedCount => Volatile.Read(ref rejectedCount);

    public IReadOnlyCollection<string> TraceIds => traceIds.Keys.ToList();

    public Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        if (GrpcPaths.TryGetValue(path, out var grpcSignal))
        {
            return HandleGrpcAsync(context, grpcSignal);
        }

        if (HttpPaths.TryGetValue(path, out var httpSignal))
        {
            return HandleHttpAsync(context, httpSignal);
        }

        if (IsGrpc(context.Request))
        {
            return GrpcStatusAsync(context, 12, $"Method {path} is not implemented by the OtelTls lab receiver.");
        }

        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }

    private static bool IsGrpc(HttpRequest request) =>
        request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true;

    private async Task HandleGrpcAsync(HttpContext context, OtlpSignal signal)
    {
        var request = context.Request;
        if (behavior == OtlpBehavior.Unimplemented)
        {
            await GrpcStatusAsync(context, 12, $"Method {request.Path} is not implemented (no OTLP service on this server).");
            return;
        }

        if (!Authorized(request))
        {
            await GrpcStatusAsync(context, 16, $"Missing or wrong '{headerName}' metadata.");
            return;
        }

        byte[] message;
        try
        {
            var body = await ReadBodyAsync(request, context.RequestAborted);
            message = UnframeGrpc(body, request.Headers["grpc-encoding"].ToString());
        }
        catch (InvalidDataException e)
        {
            await GrpcStatusAsync(context, 13, e.Message);
            return;
        }

        ExportContents contents;
        try
        {
            contents = OtlpMessages.DecodeRequest(signal, message);
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidDataException)
        {
            await GrpcStatusAsync(context, 3, "The request is not a valid OTLP export request: " + e.Message);
            return;
        }

        var response = Record(contents, "grpc");
        var frame = new byte[5 + response.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)response.Length);
        response.CopyTo(frame, 5);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/grpc";
        await context.Response.Body.WriteAsync(frame, context.RequestAborted);
        SetGrpcStatus(context, 0, null);
    }

    private async Task HandleHttpAsync(HttpContext context, OtlpSignal signal)
    {
        var request = context.Request;
        if (behavior is OtlpBehavior.Unimplemented or OtlpBehavior.HttpNotFound)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (!HttpMethods.IsPost(request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        if (!Authorized(request))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        if (request.ContentType?.StartsWith("application/x-protobuf", StringComparison.OrdinalIgnoreCase) != true)
        {
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }

        ExportContents contents;
        try
        {
            var body = await ReadBodyAsync(request, context.RequestAborted);
            if (string.Equals(request.Headers.ContentEncoding.ToString(), "gzip", StringComparison.OrdinalIgnoreCase))
            {
                body = Gunzip(body);
            }

            contents = OtlpMessages.DecodeRequest(signal, body);
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidDataException)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var response = Record(contents, "http/protobuf");
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/x-protobuf";
        context.Response.ContentLength = response.Length;
        await context.Response.Body.WriteAsync(response, context.RequestAborted);
    }

    private byte[] Record(ExportContents contents, string protocol)
    {
        Interlocked.Increment(ref exportRequestCount);
        switch (contents.Signal)
        {
            case OtlpSignal.Traces:
                Interlocked.Add(ref spanCount, contents.ItemCount);
                foreach (var id in contents.TraceIds)
                {
                    traceIds.TryAdd(id, 0);
                }

                break;
            case OtlpSignal.Metrics:
                Interlocked.Add(ref metricCount, contents.ItemCount);
                break;
            default:
                Interlocked.Add(ref logRecordCount, contents.ItemCount);
                break;
        }

        log?.Invoke($"{protocol} export: {contents.ItemCount} {contents.Signal.ToString().ToLowerInvariant()} item(s)"
            + (contents.TraceIds.Count > 0 ? ", trace " + string.Join(",", contents.TraceIds.Distinct()) : string.Empty));
        if (behavior != OtlpBehavior.PartialSuccess)
        {
            return OtlpMessages.EncodeResponse(0, null);
        }

        Interlocked.Add(ref rejectedCount, contents.ItemCount);
        return OtlpMessages.EncodeResponse(contents.ItemCount,
            $"The OtelTls lab partial-success receiver rejects every item ({contents.ItemCount} rejected).");
    }

    private bool Authorized(HttpRequest request) =>
        behavior != OtlpBehavior.Unauthenticated
        || (headerName is not null && string.Equals(request.Headers[headerName].ToString(), headerValue, StringComparison.Ordinal));

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                throw new InvalidDataException($"The request body exceeds {MaxBodyBytes} bytes.");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    // gRPC framing: 1 byte compressed flag, 4 bytes big-endian length, the message. Unary: exactly one message.
    private static byte[] UnframeGrpc(byte[] body, string encoding)
    {
        if (body.Length < 5)
        {
            throw new InvalidDataException($"The gRPC request body has {body.Length} bytes; a length-prefixed message needs at least 5.");
        }

        var compressed = body[0];
        var length = BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(1));
        if (length != body.Length - 5)
        {
            throw new InvalidDataException($"The gRPC length prefix says {length} bytes but {body.Length - 5} followed.");
        }

        var message = body.AsSpan(5).ToArray();
        if (compressed == 0)
        {
            return message;
        }

        if (!string.Equals(encoding, "gzip", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException($"The message is compressed with '{encoding}'; the lab understands gzip only.");
        }

        return Gunzip(message);
    }

    private static byte[] Gunzip(byte[] data)
    {
        using var input = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    private static Task GrpcStatusAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/grpc";
        SetGrpcStatus(context, status, message);
        return Task.CompletedTask;
    }

    // Trailers on HTTP/2; headers ("trailers-only") where trailers are not available.
    private static void SetGrpcStatus(HttpContext context, int status, string? message)
    {
        var response = context.Response;
        var text = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var encoded = message is null ? null : Uri.EscapeDataString(message);
        if (response.SupportsTrailers())
        {
            response.AppendTrailer("grpc-status", text);
            if (encoded is not null)
            {
                response.AppendTrailer("grpc-message", encoded);
            }
        }
        else if (!response.HasStarted)
        {
            response.Headers["grpc-status"] = text;
            if (encoded is not null)
            {
                response.Headers["grpc-message"] = encoded;
            }
        }
    }
}
