using System;
using Google.Protobuf;
using OtelTls.Engine.Otlp.Proto.Collector.Logs;
using OtelTls.Engine.Otlp.Proto.Collector.Metrics;
using OtelTls.Engine.Otlp.Proto.Collector.Trace;

namespace OtelTls.Engine.Otlp
{
    /// <summary>
    /// One export request of one signal, with what the transports need to send it and to read the answer's partial
    /// success: the HTTP path and the gRPC method follow from the signal. No gRPC type appears here: the gRPC call itself is
    /// <c>OtlpGrpcCall</c>'s, so an HTTP/protobuf export or a diagnosis that stops before the export never loads
    /// the gRPC assemblies (cold start).
    /// </summary>
    internal sealed class OtlpPayload
    {
        private OtlpPayload(OtlpSignal signal, string itemNoun, string grpcService, IMessage request, Func<byte[], (long Rejected, string? Message)> readHttpResponse)
        {
            Signal = signal;
            ItemNoun = itemNoun;
            GrpcMethod = "/" + grpcService + "/Export";
            Request = request;
            ReadHttpResponse = readHttpResponse;
        }

        /// <summary>traces, metrics or logs.</summary>
        public OtlpSignal Signal { get; }

        /// <summary>What partial success counts: span(s), data point(s), log record(s).</summary>
        public string ItemNoun { get; }

        /// <summary>e.g. <c>/opentelemetry.proto.collector.trace.v1.TraceService/Export</c>.</summary>
        public string GrpcMethod { get; }

        public IMessage Request { get; }

        /// <summary>Reads partial_success from an HTTP/protobuf answer body.</summary>
        public Func<byte[], (long Rejected, string? Message)> ReadHttpResponse { get; }


        public static OtlpPayload Traces(ExportTraceServiceRequest request) =>
            new(OtlpSignal.Traces, "span(s)", ExportTraceServiceRequest.Descriptor.File.Services[0].FullName, request,
                body => Read(ExportTraceServiceResponse.Parser.ParseFrom(body)));

        public static OtlpPayload Metrics(ExportMetricsServiceRequest request) =>
            new(OtlpSignal.Metrics, "data point(s)", ExportMetricsServiceRequest.Descriptor.File.Services[0].FullName, request,
                body => Read(ExportMetricsServiceResponse.Parser.ParseFrom(body)));

        public static OtlpPayload Logs(ExportLogsServiceRequest request) =>
            new(OtlpSignal.Logs, "log record(s)", ExportLogsServiceRequest.Descriptor.File.Services[0].FullName, request,
                body => Read(ExportLogsServiceResponse.Parser.ParseFrom(body)));

        /// <summary>partial_success of a traces answer (HTTP body or gRPC reply).</summary>
        public static (long Rejected, string? Message) Read(ExportTraceServiceResponse response) =>
            Partial(response.PartialSuccess?.RejectedSpans, response.PartialSuccess?.ErrorMessage);

        /// <summary>partial_success of a metrics answer.</summary>
        public static (long Rejected, string? Message) Read(ExportMetricsServiceResponse response) =>
            Partial(response.PartialSuccess?.RejectedDataPoints, response.PartialSuccess?.ErrorMessage);

        /// <summary>partial_success of a logs answer.</summary>
        public static (long Rejected, string? Message) Read(ExportLogsServiceResponse response) =>
            Partial(response.PartialSuccess?.RejectedLogRecords, response.PartialSuccess?.ErrorMessage);

        private static (long, string?) Partial(long? rejected, string? message) =>
            (rejected ?? 0, string.IsNullOrWhiteSpace(message) ? null : message);
    }
}
