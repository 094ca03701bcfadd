using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using OtelTls.Engine.Explain;

namespace OtelTls.Perf;

/// <summary>
/// Resolve-OtlpTlsError over a large log against reading the same file line by line and doing nothing: the goal is to be
/// limited by reading, not by matching. Writes a log of ordinary service lines with a TLS error every 997 lines.
/// </summary>
internal static class LogExplainComparison
{
    private static readonly string[] Ordinary =
    {
        "2026-11-29T10:00:00Z info service/service.go:256 Everything is ready. Begin running and processing data.",
        "127.0.0.1 - - [29/Nov/2026:10:00:00 +0000] \"GET /healthz HTTP/1.1\" 200 2 \"-\" \"kube-probe/1.29\"",
        "[INFO] TLS handshake completed with 10.0.0.17 in 3 ms (TLSv1.3, TLS_AES_128_GCM_SHA256)",
        "{\"level\":\"info\",\"msg\":\"exported 512 spans\",\"exporter\":\"otlp\",\"endpoint\":\"collector:4317\"}",
        "WARN retrying request 41 after 200 ms: upstream returned 503 Service Unavailable",
        "2026-11-29 10:00:00 INFO  [main] c.e.Application - processed batch 7 with protocol version 2",
        "DEBUG loaded certificate CN=otel-collector, expires 2027-11-29 (serial 3f)",
    };

    private const string Error =
        "2026-11-29T10:00:01Z error exporterhelper/queue_sender.go:92 Exporting failed. {\"error\": \"rpc error: code = Unavailable desc = connection error: desc = \\\"transport: authentication handshake failed: tls: failed to verify certificate: x509: certificate signed by unknown authority\\\"\"}";

    public static int Run(int megabytes)
    {
        var file = Path.Combine(Path.GetTempPath(), $"oteltls-perf-log-{Guid.NewGuid():N}.log");
        try
        {
            long lines = 0, errors = 0;
            using (var writer = new StreamWriter(file, false, new UTF8Encoding(false), 1 << 16))
            {
                while (writer.BaseStream.Length < megabytes * 1024L * 1024L)
                {
                    lines++;
                    if (lines % 997 == 0)
                    {
                        writer.WriteLine(Error);
                        errors++;
                    }
                    else
                    {
                        writer.WriteLine(Ordinary[lines % Ordinary.Length]);
                    }
                }
            }

            var size = new FileInfo(file).Length / (1024.0 * 1024.0);
            Console.WriteLine($"log: {size:F0} MiB, {lines:N0} lines, {errors:N0} TLS errors");
            for (var round = 1; round <= 3; round++)
            {
                var read = Stopwatch.StartNew();
                long counted = 0;
                using (var reader = new StreamReader(file, new UTF8Encoding(false), true, 1 << 16))
                {
                    while (reader.ReadLine() is not null)
                    {
                        counted++;
                    }
                }

                read.Stop();
                var explain = Stopwatch.StartNew();
                var found = TlsErrorExplainer.ExplainFile(file).Count();
                explain.Stop();
                if (found != errors)
                {
                    Console.Error.WriteLine($"expected {errors} explanations, got {found}");
                    return 1;
                }

                Console.WriteLine(
                    $"round {round}: read only {counted / read.Elapsed.TotalSeconds:N0} lines/s ({size / read.Elapsed.TotalSeconds:F0} MiB/s); " +
                    $"Resolve-OtlpTlsError {counted / explain.Elapsed.TotalSeconds:N0} lines/s ({size / explain.Elapsed.TotalSeconds:F0} MiB/s); " +
                    $"ratio {explain.Elapsed.TotalSeconds / read.Elapsed.TotalSeconds:F2}x the read");
            }

            return 0;
        }
        finally
        {
            File.Delete(file);
        }
    }
}
