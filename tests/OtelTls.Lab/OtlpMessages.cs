using System;
using System.Collections.Generic;
using System.IO;
using Google.Protobuf;

namespace OtelTls.Lab;

/// <summary>The three OTLP signals.</summary>
internal enum OtlpSignal
{
    Traces,
    Metrics,
    Logs,
}

/// <summary>What one export request carried.</summary>
internal sealed record ExportContents(OtlpSignal Signal, int ItemCount, IReadOnlyList<string> TraceIds);

/// <summary>
/// The few OTLP messages the receivers need, decoded and encoded by field number (opentelemetry-proto,
/// collector/*/v1 and trace/metrics/logs/v1) so no generated types clash with the engine's:
/// Export*ServiceRequest { resource_* = 1 } → Resource* { scope_* = 2 } → Scope* { spans | metrics | log_records = 2 };
/// Span { trace_id = 1, span_id = 2, name = 5 }; Export*ServiceResponse { partial_success = 1 } →
/// Export*PartialSuccess { rejected_spans | rejected_data_points | rejected_log_records = 1, error_message = 2 }.
/// </summary>
internal static class OtlpMessages
{
    private const int ResourceField = 1;
    private const int ScopeField = 2;
    private const int ItemField = 2;
    private const int TraceIdField = 1;

    /// <summary>Decodes an export request; malformed protobuf throws <see cref="InvalidProtocolBufferException"/> or <see cref="InvalidDataException"/>.</summary>
    public static ExportContents DecodeRequest(OtlpSignal signal, byte[] message)
    {
        var count = 0;
        var traceIds = new List<string>();
        foreach (var resource in Children(message, ResourceField))
        {
            foreach (var scope in Children(resource, ScopeField))
            {
                foreach (var item in Children(scope, ItemField))
                {
                    count++;
                    if (signal == OtlpSignal.Traces)
                    {
                        foreach (var traceId in Children(item, TraceIdField))
                        {
                            traceIds.Add(Convert.ToHexString(traceId).ToLowerInvariant());
                        }
                    }
                }
            }
        }

        return new ExportContents(signal, count, traceIds);
    }

    /// <summary>An export response: empty when everything was accepted, else a partial_success.</summary>
    public static byte[] EncodeResponse(long rejected, string? errorMessage)
    {
        if (rejected == 0 && string.IsNullOrEmpty(errorMessage))
        {
            return Array.Empty<byte>();
        }

        var partial = Encode(output =>
        {
            if (rejected != 0)
            {
                output.WriteTag(1, WireFormat.WireType.Varint);
                output.WriteInt64(rejected);
            }

            if (!string.IsNullOrEmpty(errorMessage))
            {
                output.WriteTag(2, WireFormat.WireType.LengthDelimited);
                output.WriteString(errorMessage);
            }
        });
        return Encode(output =>
        {
            output.WriteTag(1, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(ByteString.CopyFrom(partial));
        });
    }

    private static byte[] Encode(Action<CodedOutputStream> write)
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        write(output);
        output.Flush();
        return stream.ToArray();
    }

    // The length-delimited occurrences of one field; every other field is skipped (so newer fields never break us).
    private static IEnumerable<byte[]> Children(byte[] message, int fieldNumber)
    {
        var input = new CodedInputStream(message);
        var result = new List<byte[]>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == fieldNumber)
            {
                if (WireFormat.GetTagWireType(tag) != WireFormat.WireType.LengthDelimited)
                {
                    throw new InvalidDataException(
                        $"Field {fieldNumber} has wire type {WireFormat.GetTagWireType(tag)}, expected length-delimited.");
                }

                result.Add(input.ReadBytes().ToByteArray());
            }
            else
            {
                input.SkipLastField();
            }
        }

        return result;
    }
}
