using System;
using Google.Protobuf;
using OtelTls.Engine.Otlp.Proto.Collector.Logs;
using OtelTls.Engine.Otlp.Proto.Collector.Metrics;
using OtelTls.Engine.Otlp.Proto.Collector.Trace;
#if NET8_0_OR_GREATER
using System.Threading;
using System.Threading.Tasks;
using Grpc.Core;
using Grpc.Net.Client;
#endif

namespace OtelTls.Engine.Otlp
{
    /// <summary>
    /// One export request of one signal, with what the transports need to send it and to read the answer's partial
    /// success: the HTTP path and the gRPC method follow from the signal.
    /// </summary>
    internal sealed class OtlpPayload
    {
        private OtlpPayload(string signal, string itemNoun, string grpcService, IMessage request, Func<byte[], (long Rejected, string? Message)> readHttpResponse)
        {
            Signal = signal;
            ItemNoun = itemNoun;
            GrpcMethod = "/" + grpcService + "/Export";
            Request = request;
            ReadHttpResponse = readHttpResponse;
        }

        /// <summary>traces, metrics or logs.</summary>
        public string Signal { get; }

        /// <summary>What partial success counts: span(s), data point(s), log record(s).</summary>
        public string ItemNoun { get; }

        /// <summary>e.g. <c>/opentelemetry.proto.collector.trace.v1.TraceService/Export</c>.</summary>
        public string GrpcMethod { get; }

        public IMessage Request { get; }

        /// <summary>Reads partial_success from an HTTP/protobuf answer body.</summary>
        public Func<byte[], (long Rejected, string? Message)> ReadHttpResponse { get; }

#if NET8_0_OR_GREATER
        /// <summary>Makes the unary gRPC call and reads partial_success.</summary>
        public Func<GrpcChannel, Metadata, CancellationToken, Task<(long Rejected, string? Message)>> CallGrpc { get; private set; } = null!;
#endif

        public static OtlpPayload Traces(ExportTraceServiceRequest request)
        {
            var payload = new OtlpPayload("traces", "span(s)", ExportTraceServiceRequest.Descriptor.File.Services[0].FullName, request,
                body => Read(ExportTraceServiceResponse.Parser.ParseFrom(body)));
#if NET8_0_OR_GREATER
            payload.CallGrpc = async (channel, metadata, token) =>
                Read(await new TraceService.TraceServiceClient(channel).ExportAsync(request, metadata, null, token).ResponseAsync.ConfigureAwait(false));
#endif
            return payload;

            static (long, string?) Read(ExportTraceServiceResponse response) =>
                Partial(response.PartialSuccess?.RejectedSpans, response.PartialSuccess?.ErrorMessage);
        }

        public static OtlpPayload Metrics(ExportMetricsServiceRequest request)
        {
            var payload = new OtlpPayload("metrics", "data point(s)", ExportMetricsServiceRequest.Descriptor.File.Services[0].FullName, request,
                body => Read(ExportMetricsServiceResponse.Parser.ParseFrom(body)));
#if NET8_0_OR_GREATER
            payload.CallGrpc = async (channel, metadata, token) =>
                Read(await new MetricsService.MetricsServiceClient(channel).ExportAsync(request, metadata, null, token).ResponseAsync.ConfigureAwait(false));
#endif
            return payload;

            static (long, string?) Read(ExportMetricsServiceResponse response) =>
                Partial(response.PartialSuccess?.RejectedDataPoints, response.PartialSuccess?.ErrorMessage);
        }

        public static OtlpPayload Logs(ExportLogsServiceRequest request)
        {
            var payload = new OtlpPayload("logs", "log record(s)", ExportLogsServiceRequest.Descriptor.File.Services[0].FullName, request,
                body => Read(ExportLogsServiceResponse.Parser.ParseFrom(body)));
#if NET8_0_OR_GREATER
            payload.CallGrpc = async (channel, metadata, token) =>
                Read(await new LogsService.LogsServiceClient(channel).ExportAsync(request, metadata, null, token).ResponseAsync.ConfigureAwait(false));
#endif
            return payload;

            static (long, string?) Read(ExportLogsServiceResponse response) =>
                Partial(response.PartialSuccess?.RejectedLogRecords, response.PartialSuccess?.ErrorMessage);
        }

        private static (long, string?) Partial(long? rejected, string? message) =>
            (rejected ?? 0, string.IsNullOrWhiteSpace(message) ? null : message);
    }
}
