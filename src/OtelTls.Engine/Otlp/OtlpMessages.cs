using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using Google.Protobuf;
using OtelTls.Engine.Otlp.Proto.Collector.Trace;
using OtelTls.Engine.Otlp.Proto.Common;
using OtelTls.Engine.Otlp.Proto.Trace;
using ProtoResource = OtelTls.Engine.Otlp.Proto.Resource.Resource;

namespace OtelTls.Engine.Otlp
{
    /// <summary>Builds OTLP request messages and reads the parts of answers we need.</summary>
    internal static class OtlpMessages
    {
        private static readonly string Version = typeof(OtlpMessages).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

        /// <summary>One resource, one scope, one span: what an SDK sends for a single finished span.</summary>
        public static ExportTraceServiceRequest TraceRequest(OtlpTestSpan span, DateTimeOffset start, DateTimeOffset end)
        {
            var resource = new ProtoResource();
            resource.Attributes.Add(Attribute("service.name", span.ServiceName));
            resource.Attributes.Add(Attribute("telemetry.sdk.name", "oteltls"));
            resource.Attributes.Add(Attribute("telemetry.sdk.language", "dotnet"));
            resource.Attributes.Add(Attribute("telemetry.sdk.version", Version));

            var protoSpan = new Span
            {
                TraceId = ByteString.CopyFrom(span.TraceId),
                SpanId = ByteString.CopyFrom(span.SpanId),
                Name = span.SpanName,
                Kind = Span.Types.SpanKind.Client,
                // W3C sampled flag, so a sampling backend keeps the probe span.
                Flags = 0x01,
                StartTimeUnixNano = UnixNanos(start),
                EndTimeUnixNano = UnixNanos(end),
                Status = new Proto.Trace.Status { Code = Proto.Trace.Status.Types.StatusCode.Ok },
            };
            protoSpan.Attributes.Add(Attribute("oteltls.probe", true));
            foreach (var pair in span.Attributes)
            {
                protoSpan.Attributes.Add(Attribute(pair.Key, pair.Value));
            }

            var scope = new ScopeSpans { Scope = new InstrumentationScope { Name = "OtelTls", Version = Version } };
            scope.Spans.Add(protoSpan);
            var resourceSpans = new ResourceSpans { Resource = resource };
            resourceSpans.ScopeSpans.Add(scope);
            var request = new ExportTraceServiceRequest();
            request.ResourceSpans.Add(resourceSpans);
            return request;
        }

        /// <summary>
        /// Reads <c>google.rpc.Status.message</c> (field 2) from an OTLP/HTTP error body, which the specification says
        /// receivers send; null when the body is something else.
        /// </summary>
        public static string? ReadStatusMessage(byte[] body)
        {
            if (body.Length == 0)
            {
                return null;
            }

            try
            {
                var input = new CodedInputStream(body);
                string? message = null;
                uint tag;
                while ((tag = input.ReadTag()) != 0)
                {
                    if (tag == 18)
                    {
                        message = input.ReadString();
                    }
                    else
                    {
                        input.SkipLastField();
                    }
                }

                return string.IsNullOrWhiteSpace(message) ? null : message;
            }
            catch (InvalidProtocolBufferException)
            {
                return null;
            }
        }

        private static KeyValue Attribute(string key, object? value) => new() { Key = key, Value = ToAnyValue(value) };

        private static AnyValue ToAnyValue(object? value)
        {
            switch (value)
            {
                case null:
                    return new AnyValue { StringValue = string.Empty };
                case string text:
                    return new AnyValue { StringValue = text };
                case bool flag:
                    return new AnyValue { BoolValue = flag };
                case byte[] bytes:
                    return new AnyValue { BytesValue = ByteString.CopyFrom(bytes) };
                case sbyte or byte or short or ushort or int or uint or long:
                    return new AnyValue { IntValue = Convert.ToInt64(value, CultureInfo.InvariantCulture) };
                case ulong or float or double or decimal:
                    return new AnyValue { DoubleValue = Convert.ToDouble(value, CultureInfo.InvariantCulture) };
                case IEnumerable items:
                    var array = new ArrayValue();
                    foreach (var item in items)
                    {
                        array.Values.Add(ToAnyValue(item));
                    }

                    return new AnyValue { ArrayValue = array };
                default:
                    return new AnyValue { StringValue = Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty };
            }
        }

        private static ulong UnixNanos(DateTimeOffset time) => (ulong)(time.UtcTicks - DateTimeOffset.FromUnixTimeSeconds(0).UtcTicks) * 100UL;
    }
}
