using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using OtelTls.Engine.Explain;

namespace OtelTls.Perf;

/// <summary>
/// Resolve-OtlpTlsError over a large log against reading the same file line by line and doing nothing: the goal is to be
/// limited by reading, not by matching. Writes a log of ordinary service lines with a TLS error every 997 lines, then per
/// round times the read alone, the engine (TlsErrorExplainer.ExplainFile) and the cmdlet with -Path in the repository's
/// pinned pwsh (module import not counted), and prints each as lines/s and as a ratio to the read of the same round.
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

    /// <summary>Seconds the cmdlet takes over the file in a fresh pwsh (after Import-Module), first and second run, or null when pwsh cannot run.</summary>
    private static (double First, double Second)? CmdletSeconds(string file, long errors)
    {
        var root = AppContext.BaseDirectory;
        while (root is not null && !File.Exists(Path.Combine(root, "OtelTls.sln")))
        {
            root = Path.GetDirectoryName(root);
        }

        var module = root is null ? null : Path.Combine(root, "out", "OtelTls", "OtelTls.psd1");
        if (module is null || !File.Exists(module))
        {
            return null;
        }

        // Twice in one session: the first run pays the JIT and the compilation of the recogniser's regular expressions.
        var script = $"Import-Module '{module}'; foreach ($i in 1, 2) {{ $w = [Diagnostics.Stopwatch]::StartNew(); " +
                     $"$n = @(Resolve-OtlpTlsError -Path '{file}').Count; $w.Stop(); \"$n $($w.Elapsed.TotalSeconds)\" }}";
        var start = new ProcessStartInfo("dotnet", new[] { "pwsh", "-NoProfile", "-NonInteractive", "-Command", script })
        {
            WorkingDirectory = root!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            return null;
        }

        var runs = output.Result.Trim().Split('\n').Select(l => l.Trim().Split(' ')).ToList();
        if (process.ExitCode != 0 || runs.Count != 2 || runs.Any(r => r.Length != 2 || long.Parse(r[0], CultureInfo.InvariantCulture) != errors))
        {
            Console.Error.WriteLine($"cmdlet run failed: {output.Result.Trim()} {error.Result.Trim()}");
            return null;
        }

        return (double.Parse(runs[0][1], CultureInfo.InvariantCulture), double.Parse(runs[1][1], CultureInfo.InvariantCulture));
    }

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

                // The floor: the file's bytes from the page cache and nothing else, in this process (256 KiB reads) and
                // as `cat file > /dev/null`.
                var raw = Stopwatch.StartNew();
                using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan))
                {
                    var block = new byte[1 << 18];
                    while (stream.Read(block, 0, block.Length) > 0)
                    {
                    }
                }

                raw.Stop();
                var cat = Stopwatch.StartNew();
                using (var process = Process.Start(new ProcessStartInfo("sh", new[] { "-c", "cat \"$0\" > /dev/null", file }) { UseShellExecute = false })!)
                {
                    process.WaitForExit();
                }

                cat.Stop();
                var explain = Stopwatch.StartNew();
                var found = TlsErrorExplainer.ExplainFile(file).Count();
                explain.Stop();
                if (found != errors)
                {
                    Console.Error.WriteLine($"expected {errors} explanations, got {found}");
                    return 1;
                }

                var cmdlet = CmdletSeconds(file, errors);
                Console.WriteLine(
                    $"round {round}: cat > /dev/null {size / cat.Elapsed.TotalSeconds:F0} MiB/s ({cat.Elapsed.TotalMilliseconds:F0} ms), " +
                    $"block read {size / raw.Elapsed.TotalSeconds:F0} MiB/s ({raw.Elapsed.TotalMilliseconds:F0} ms); " +
                    $"engine {explain.Elapsed.TotalSeconds / cat.Elapsed.TotalSeconds:F2}x cat" +
                    (cmdlet is { } k ? $", cmdlet {k.Second / cat.Elapsed.TotalSeconds:F2}x cat ({k.Second * 1000:F0} ms)" : "") + Environment.NewLine +
                    $"  read only {counted / read.Elapsed.TotalSeconds:N0} lines/s ({size / read.Elapsed.TotalSeconds:F0} MiB/s); " +
                    $"engine {counted / explain.Elapsed.TotalSeconds:N0} lines/s ({size / explain.Elapsed.TotalSeconds:F0} MiB/s), " +
                    $"{explain.Elapsed.TotalSeconds / read.Elapsed.TotalSeconds:F2}x the read; " +
                    (cmdlet is { } c
                        ? $"Resolve-OtlpTlsError -Path {counted / c.Second:N0} lines/s, {c.Second / read.Elapsed.TotalSeconds:F2}x the read " +
                          $"(first run in the session {c.First / read.Elapsed.TotalSeconds:F2}x)"
                        : "cmdlet not timed (no dotnet pwsh)"));
            }

            return 0;
        }
        finally
        {
            File.Delete(file);
        }
    }
}
