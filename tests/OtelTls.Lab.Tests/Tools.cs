using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Google.Protobuf;

namespace OtelTls.Lab.Tests;

/// <summary>What an external process printed, and whether it had to be killed at its time bound.</summary>
public sealed record ToolResult(int? ExitCode, string Output, bool TimedOut)
{
    public override string ToString() => $"exit {ExitCode?.ToString() ?? "-"}{(TimedOut ? " (timed out)" : "")}:\n{Output}";
}

/// <summary>The machine's openssl and curl, run with a hard time bound.</summary>
public static class Tool
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    public static async Task<ToolResult> RunAsync(string file, IEnumerable<string> arguments, byte[]? stdin = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            if (stdin is not null)
            {
                await process.StandardInput.BaseStream.WriteAsync(stdin);
                await process.StandardInput.BaseStream.FlushAsync();
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The tool may exit before reading its input (e.g. a failed handshake).
        }

        var timedOut = false;
        var exited = process.WaitForExitAsync();
        if (await Task.WhenAny(exited, Task.Delay(timeout ?? DefaultTimeout)) != exited)
        {
            timedOut = true;
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        var text = await output + await error;
        return new ToolResult(timedOut ? null : process.ExitCode, text, timedOut);
    }

    /// <summary><c>openssl s_client -connect 127.0.0.1:port</c> plus the given arguments; empty stdin unless given.</summary>
    public static Task<ToolResult> SClientAsync(LabScenario scenario, IEnumerable<string> arguments, byte[]? stdin = null, TimeSpan? timeout = null) =>
        RunAsync("openssl", new[] { "s_client", "-connect", scenario.Endpoint }.Concat(arguments), stdin, timeout);

    /// <summary>curl, printing "HTTP_CODE HTTP_VERSION" last; body to <paramref name="bodyFile"/>, headers (and trailers) to <paramref name="headerFile"/>.</summary>
    public static Task<ToolResult> CurlAsync(IEnumerable<string> arguments, string bodyFile, string headerFile) =>
        RunAsync("curl", new[] { "-sS", "--max-time", "8", "-o", bodyFile, "-D", headerFile, "-w", "\n%{http_code} %{http_version}\n" }.Concat(arguments));

    /// <summary>The PEM blocks of the certificates s_client printed.</summary>
    public static IReadOnlyList<string> PemBlocks(string output)
    {
        var blocks = new List<string>();
        var index = 0;
        while ((index = output.IndexOf("-----BEGIN CERTIFICATE-----", index, StringComparison.Ordinal)) >= 0)
        {
            var end = output.IndexOf("-----END CERTIFICATE-----", index, StringComparison.Ordinal) + "-----END CERTIFICATE-----".Length;
            blocks.Add(output[index..end] + "\n");
            index = end;
        }

        return blocks;
    }
}

/// <summary>OTLP export requests built in the test, by field number, independently of the lab's decoder.</summary>
public static class OtlpRequests
{
    public const string GrpcTracePath = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";

    /// <summary>ExportTraceServiceRequest with one resource, one scope and the given spans (trace id hex per span).</summary>
    public static byte[] Traces(IReadOnlyList<string> traceIds)
    {
        var scopeSpans = Message(o =>
        {
            o.WriteTag(1, WireFormat.WireType.LengthDelimited); // scope
            o.WriteBytes(ByteString.CopyFrom(Message(s =>
            {
                s.WriteTag(1, WireFormat.WireType.LengthDelimited);
                s.WriteString("oteltls-lab-tests");
            })));
            for (var i = 0; i < traceIds.Count; i++)
            {
                var index = i;
                o.WriteTag(2, WireFormat.WireType.LengthDelimited); // spans
                o.WriteBytes(ByteString.CopyFrom(Message(span =>
                {
                    span.WriteTag(1, WireFormat.WireType.LengthDelimited);
                    span.WriteBytes(ByteString.CopyFrom(Convert.FromHexString(traceIds[index])));
                    span.WriteTag(2, WireFormat.WireType.LengthDelimited);
                    span.WriteBytes(ByteString.CopyFrom(BitConverter.GetBytes((long)index + 1)));
                    span.WriteTag(5, WireFormat.WireType.LengthDelimited);
                    span.WriteString("span-" + index);
                    span.WriteTag(7, WireFormat.WireType.Fixed64); // start_time_unix_nano
                    span.WriteFixed64(1_700_000_000_000_000_000UL);
                })));
            }
        });
        var resourceSpans = Message(o =>
        {
            o.WriteTag(1, WireFormat.WireType.LengthDelimited); // resource
            o.WriteBytes(ByteString.Empty);
            o.WriteTag(2, WireFormat.WireType.LengthDelimited);
            o.WriteBytes(ByteString.CopyFrom(scopeSpans));
        });
        return Message(o =>
        {
            o.WriteTag(1, WireFormat.WireType.LengthDelimited);
            o.WriteBytes(ByteString.CopyFrom(resourceSpans));
        });
    }

    /// <summary>Export{Metrics,Logs}ServiceRequest: resource_* = 1 → scope_* = 2 → metrics / log_records = 2, each item empty but a name/body.</summary>
    public static byte[] Items(int count)
    {
        var scope = Message(o =>
        {
            for (var i = 0; i < count; i++)
            {
                o.WriteTag(2, WireFormat.WireType.LengthDelimited);
                o.WriteBytes(ByteString.CopyFrom(Message(item =>
                {
                    item.WriteTag(1, WireFormat.WireType.Fixed64); // Metric.name would be 1/string; LogRecord.time_unix_nano is 1/fixed64: either way skipped
                    item.WriteFixed64(42);
                })));
            }
        });
        var resource = Message(o =>
        {
            o.WriteTag(2, WireFormat.WireType.LengthDelimited);
            o.WriteBytes(ByteString.CopyFrom(scope));
        });
        return Message(o =>
        {
            o.WriteTag(1, WireFormat.WireType.LengthDelimited);
            o.WriteBytes(ByteString.CopyFrom(resource));
        });
    }

    public static byte[] GrpcFrame(byte[] message)
    {
        var frame = new byte[5 + message.Length];
        frame[1] = (byte)(message.Length >> 24);
        frame[2] = (byte)(message.Length >> 16);
        frame[3] = (byte)(message.Length >> 8);
        frame[4] = (byte)message.Length;
        message.CopyTo(frame, 5);
        return frame;
    }

    /// <summary>partial_success.rejected_* and error_message of an export response (null when absent).</summary>
    public static (long Rejected, string? Message)? PartialSuccess(byte[] response)
    {
        var input = new CodedInputStream(response);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) != 1)
            {
                input.SkipLastField();
                continue;
            }

            var inner = new CodedInputStream(input.ReadBytes().ToByteArray());
            long rejected = 0;
            string? message = null;
            while ((tag = inner.ReadTag()) != 0)
            {
                switch (WireFormat.GetTagFieldNumber(tag))
                {
                    case 1: rejected = inner.ReadInt64(); break;
                    case 2: message = inner.ReadString(); break;
                    default: inner.SkipLastField(); break;
                }
            }

            return (rejected, message);
        }

        return null;
    }

    public static string NewTraceId() => Convert.ToHexString(Guid.NewGuid().ToByteArray()).ToLowerInvariant();

    private static byte[] Message(Action<CodedOutputStream> write)
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        write(output);
        output.Flush();
        return stream.ToArray();
    }
}
