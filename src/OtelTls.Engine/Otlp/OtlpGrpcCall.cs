#if NET8_0_OR_GREATER
using System;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Grpc.Core;
using Grpc.Net.Client;
using OtelTls.Engine.Otlp.Proto.Collector.Logs;
using OtelTls.Engine.Otlp.Proto.Collector.Metrics;
using OtelTls.Engine.Otlp.Proto.Collector.Trace;

namespace OtelTls.Engine.Otlp
{
    /// <summary>
    /// The only place that names gRPC types outside the gRPC transport itself. Kept apart so the gRPC assemblies
    /// (Grpc.Net.Client, Grpc.Core.Api) load when an export really goes over gRPC, not for an HTTP/protobuf export, a
    /// probe or a diagnosis with -SkipExport: each assembly loaded is cold-start time in a fresh pwsh.
    /// </summary>
    internal static class OtlpGrpcCall
    {
        /// <summary>Makes the payload's unary Export call and reads partial_success.</summary>
        public static async Task<(long Rejected, string? Message)> ExportAsync(OtlpPayload payload, GrpcChannel channel, Metadata metadata,
            CancellationToken token) => payload.Request switch
            {
                ExportTraceServiceRequest traces => OtlpPayload.Read(await new TraceService.TraceServiceClient(channel)
                    .ExportAsync(traces, metadata, null, token).ResponseAsync.ConfigureAwait(false)),
                ExportMetricsServiceRequest metrics => OtlpPayload.Read(await new MetricsService.MetricsServiceClient(channel)
                    .ExportAsync(metrics, metadata, null, token).ResponseAsync.ConfigureAwait(false)),
                ExportLogsServiceRequest logs => OtlpPayload.Read(await new LogsService.LogsServiceClient(channel)
                    .ExportAsync(logs, metadata, null, token).ResponseAsync.ConfigureAwait(false)),
                _ => throw new ArgumentException($"No gRPC service for {payload.Request.GetType().Name}.", nameof(payload)),
            };

        /// <summary>
        /// The next exception in a failure's chain: <see cref="Exception.InnerException"/>, or for a
        /// <c>Grpc.Core.RpcException</c> its <c>Status.DebugException</c> (where Grpc.Net.Client keeps the transport
        /// failure). The type is compared by name first, so walking an HTTP/protobuf failure never loads Grpc.Core.Api.
        /// </summary>
        public static Exception? Next(Exception e) =>
            e.InnerException ?? (e.GetType().FullName == "Grpc.Core.RpcException" ? DebugException(e) : null);

        // Not inlined: the cast to RpcException must stay out of Next's code, whose type fixups are resolved on entry.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static Exception? DebugException(Exception e) => ((RpcException)e).Status.DebugException;
    }
}
#endif
