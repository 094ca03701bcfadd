using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using Google.Protobuf;
using OtelTls.Engine.Otlp.Proto.Collector.Logs;
using OtelTls.Engine.Otlp.Proto.Collector.Metrics;
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

        /// <summary>The test item for the span's signal: a span, a gauge data point, or a log record.</summary>
        public static OtlpPayload Payload(OtlpTestSpan span, DateTimeOffset start, DateTimeOffset end) => span.Signal switch
        {
            OtlpSignal.Metrics => OtlpPayload.Metrics(MetricsRequest(span, start, end)),
            OtlpSignal.Logs => OtlpPayload.Logs(LogsRequest(span, end)),
            _ => OtlpPayload.Traces(TraceRequest(span, start, end)),
        };

        /// <summary>An empty request of a signal: valid OTLP that writes nothing.</summary>
        public static OtlpPayload EmptyPayload(OtlpSignal signal) => signal switch
        {
            OtlpSignal.Metrics => OtlpPayload.Metrics(new ExportMetricsServiceRequest()),
            OtlpSignal.Logs => OtlpPayload.Logs(new ExportLogsServiceRequest()),
            _ => OtlpPayload.Traces(new ExportTraceServiceRequest()),
        };

        private static ProtoResource Resource(OtlpTestSpan span)
        {
            var resource = new ProtoResource();
            resource.Attributes.Add(Attribute("service.name", span.ServiceName));
            resource.Attributes.Add(Attribute("telemetry.sdk.name", "oteltls"));
            resource.Attributes.Add(Attribute("telemetry.sdk.language", "dotnet"));
            resource.Attributes.Add(Attribute("telemetry.sdk.version", Version));
            return resource;
        }

        private static InstrumentationScope Scope() => new() { Name = "OtelTls", Version = Version };

        /// <summary>One gauge (<c>oteltls.probe</c> = 1) with the span's attributes on its data point.</summary>
        private static ExportMetricsServiceRequest MetricsRequest(OtlpTestSpan span, DateTimeOffset start, DateTimeOffset end)
        {
            var point = new Proto.Metrics.NumberDataPoint { StartTimeUnixNano = UnixNanos(start), TimeUnixNano = UnixNanos(end), AsInt = 1 };
            AddAttributes(point.Attributes, span);
            var gauge = new Proto.Metrics.Gauge();
            gauge.DataPoints.Add(point);
            var scope = new Proto.Metrics.ScopeMetrics { Scope = Scope() };
            scope.Metrics.Add(new Proto.Metrics.Metric { Name = "oteltls.probe", Description = span.SpanName, Unit = "1", Gauge = gauge });
            var resource = new Proto.Metrics.ResourceMetrics { Resource = Resource(span) };
            resource.ScopeMetrics.Add(scope);
            var request = new ExportMetricsServiceRequest();
            request.ResourceMetrics.Add(resource);
            return request;
        }

        /// <summary>One INFO log record whose body is the span name, correlated with the span's trace and span ids.</summary>
        private static ExportLogsServiceRequest LogsRequest(OtlpTestSpan span, DateTimeOffset at)
        {
            var record = new Proto.Logs.LogRecord
            {
                TimeUnixNano = UnixNanos(at),
                ObservedTimeUnixNano = UnixNanos(at),
                SeverityNumber = Proto.Logs.SeverityNumber.Info,
                SeverityText = "INFO",
                Body = new AnyValue { StringValue = span.SpanName },
                TraceId = ByteString.CopyFrom(span.TraceId),
                SpanId = ByteString.CopyFrom(span.SpanId),
                Flags = 0x01,
            };
            AddAttributes(record.Attributes, span);
            var scope = new Proto.Logs.ScopeLogs { Scope = Scope() };
            scope.LogRecords.Add(record);
            var resource = new Proto.Logs.ResourceLogs { Resource = Resource(span) };
            resource.ScopeLogs.Add(scope);
            var request = new ExportLogsServiceRequest();
            request.ResourceLogs.Add(resource);
            return request;
        }

        private static void AddAttributes(Google.Protobuf.Collections.RepeatedField<KeyValue> target, OtlpTestSpan span)
        {
            target.Add(Attribute("oteltls.probe", true));
            foreach (var pair in span.Attributes)
            {
                target.Add(Attribute(pair.Key, pair.Value));
            }
        }

        /// <summary>One resource, one scope, one span: what an SDK sends for a single finished span.</summary>
        public static ExportTraceServiceRequest TraceRequest(OtlpTestSpan span, DateTimeOffset start, DateTimeOffset end)
        {
            var resource = Resource(span);

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
            AddAttributes(protoSpan.Attributes, span);
            var scope = new ScopeSpans { Scope = Scope() };
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
