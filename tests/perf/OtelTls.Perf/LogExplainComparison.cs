using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using OtelTls.Engine.Explain;

namespace OtelTls.Perf;

/// <summary>
/// Resolve-OtlpTlsError over a large log against reading the same file: the goal is to be limited by reading, not by
/// matching. Writes a log of ordinary service lines with a TLS error every 997 lines, then per round times the reads
/// (cat > /dev/null, 256 KiB block reads in this process, StreamReader.ReadLine), the engine (TlsErrorExplainer.ExplainFile)
/// and the cmdlet with -Path in the repository's pinned pwsh (module import not counted), from the page cache; then, as
/// root, cold: the page cache dropped before a cat, a block read, the engine and the cmdlet, and then the same cold reads
/// with the disk held to a few read rates (cgroup v1 blkio). Each is printed as MiB/s, lines/s and a multiple of the reads
/// of the same round.
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

    /// <summary>
    /// Seconds the cmdlet takes over the file in a fresh pwsh (after Import-Module), first and second run, or null when pwsh
    /// cannot run. With <paramref name="coldSecond"/> the page cache is dropped before the second run (root only).
    /// </summary>
    private static (double First, double Second)? CmdletSeconds(string file, long errors, bool coldSecond = false)
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
        var drop = coldSecond ? "if ($i -eq 2) { sync; [IO.File]::WriteAllText('/proc/sys/vm/drop_caches', '3') }; " : "";
        var script = $"Import-Module '{module}'; foreach ($i in 1, 2) {{ {drop}$w = [Diagnostics.Stopwatch]::StartNew(); " +
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

    /// <summary>Writes the benchmark's log: ordinary service lines with a TLS error every 997th, until it reaches the size.</summary>
    internal static (long Lines, long Errors) WriteLog(string file, int megabytes)
    {
        long lines = 0, errors = 0, written = 0;
        using var writer = new StreamWriter(file, false, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
        while (written < megabytes * 1024L * 1024L)
        {
            // The lines are ASCII: a character is a byte (counted here, as asking the stream its length costs an fstat).
            lines++;
            var line = lines % 997 == 0 ? Error : Ordinary[lines % Ordinary.Length];
            errors += lines % 997 == 0 ? 1 : 0;
            writer.WriteLine(line);
            written += line.Length + 1;
        }

        return (lines, errors);
    }

    /// <summary>Whether this process may drop the page cache (root, on Linux): only then is a cold read measured.</summary>
    private static bool CanDropCaches => OperatingSystem.IsLinux() && Environment.UserName == "root" && File.Exists("/proc/sys/vm/drop_caches");

    /// <summary>
    /// Writes dirty pages out and drops the page cache, so that the next read of the log comes from the disk; then runs sh
    /// and cat once on nothing, so that a cold cat times the log, not the loading of the tools.
    /// </summary>
    private static void DropCaches()
    {
        using (var sync = Process.Start(new ProcessStartInfo("sync") { UseShellExecute = false })!)
        {
            sync.WaitForExit();
        }

        File.WriteAllText("/proc/sys/vm/drop_caches", "3");
        using var tools = Process.Start(new ProcessStartInfo("sh", new[] { "-c", "cat /dev/null" }) { UseShellExecute = false })!;
        tools.WaitForExit();
    }

    private static double CatSeconds(string file)
    {
        var cat = Stopwatch.StartNew();
        using (var process = Process.Start(new ProcessStartInfo("sh", new[] { "-c", "cat \"$0\" > /dev/null", file }) { UseShellExecute = false })!)
        {
            process.WaitForExit();
        }

        return cat.Elapsed.TotalSeconds;
    }

    /// <summary>256 KiB reads of the file into one buffer and nothing else, in this process (the engine's block size).</summary>
    private static double BlockReadSeconds(string file)
    {
        var raw = Stopwatch.StartNew();
        ReadBlocks(file);
        return raw.Elapsed.TotalSeconds;
    }

    /// <summary>Reads the file in the engine's block size into one buffer and nothing else; the bytes read.</summary>
    internal static long ReadBlocks(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var block = new byte[TlsErrorExplainer.BlockSize];
        long total = 0;
        int read;
        while ((read = stream.Read(block, 0, block.Length)) > 0)
        {
            total += read;
        }

        return total;
    }

    /// <summary>One row: time, MiB/s, lines/s, and the time as a multiple of each reference read.</summary>
    private static string Row(string name, double seconds, double mib, long lines, params (string Name, double Seconds)[] references) =>
        $"  {name,-44} {seconds * 1000,8:F0} ms {mib / seconds,8:F0} MiB/s {lines / seconds,13:N0} lines/s" +
        string.Concat(references.Select(r => $"  {seconds / r.Seconds,6:F2}x {r.Name}"));

    /// <summary>
    /// The read rates (MB/s) the disk is held to in <see cref="Throttled"/> (0: the disk as it is): a cloud volume, a SATA
    /// SSD. (From 1,000 MB/s up the throttle did not hold every 100 MiB read here: some went through at the disk's own
    /// 4-5 GB/s, or at a rate of their own.)
    /// </summary>
    private static readonly int[] DiskRates = { 0, 250, 500 };

    /// <summary>
    /// The same cold reads, best of three (a single cold run varies by a third here), with the disk as it is and held to a
    /// rate (the cgroup v1 blkio throttle on the log's device; root on Linux): where the disk is slower than the scan, the
    /// engine should take what the read takes.
    /// </summary>
    private static int Throttled(string file, double mib, long lines, long errors)
    {
        const string Blkio = "/sys/fs/cgroup/blkio";
        if (!File.Exists(Path.Combine(Blkio, "blkio.throttle.read_bps_device")))
        {
            Console.WriteLine("Throttled disk not measured: no cgroup v1 blkio controller at " + Blkio + ".");
            return 0;
        }

        var device = Output("stat", "-c", "%Hd:%Ld", file).Trim();
        var group = Path.Combine(Blkio, $"oteltls-perf-{Environment.ProcessId}");
        Directory.CreateDirectory(group);
        try
        {
            // The whole process moves (its read-ahead thread too), and the cat it starts is born in the group.
            File.WriteAllText(Path.Combine(group, "cgroup.procs"), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
            foreach (var rate in DiskRates)
            {
                // 0: the disk as it is (the line is removed).
                File.WriteAllText(Path.Combine(group, "blkio.throttle.read_bps_device"), $"{device} {rate * 1_000_000L}");
                // Three runs, each after the page cache is dropped (or not); the engine's runs check what they found.
                double[] Runs(Func<double> run, bool drop = true) => Enumerable.Range(0, 3).Select(_ =>
                {
                    if (drop)
                    {
                        DropCaches();
                    }

                    return run();
                }).ToArray();
                var wrong = 0;
                double Engine()
                {
                    var watch = Stopwatch.StartNew();
                    wrong += TlsErrorExplainer.ExplainFile(file).Count() == errors ? 0 : 1;
                    return watch.Elapsed.TotalSeconds;
                }

                var cat = Runs(() => CatSeconds(file));
                var block = Runs(() => BlockReadSeconds(file));
                var engine = Runs(Engine);

                // Controls at the disk's own rate: the cache dropped, then the file read back into it before the engine
                // runs (on this VM the first runs after a drop can be slower even so), and warm.
                var refilled = rate != 0 ? null : Runs(() =>
                {
                    CatSeconds(file);
                    return Engine();
                });
                var warm = rate != 0 ? null : Runs(Engine, drop: false);
                if (wrong > 0)
                {
                    Console.Error.WriteLine($"expected {errors} explanations; {wrong} engine run(s) found another number");
                    return 1;
                }

                string Row3(string name, double[] seconds) =>
                    Row(name, seconds.Min(), mib, lines, ("cat", cat.Min()), ("block read", block.Min())) +
                    $"  (runs {string.Join(" / ", seconds.Select(t => (t * 1000).ToString("F0", CultureInfo.InvariantCulture)))} ms)";
                Console.WriteLine($"cold, the disk ({device}) {(rate == 0 ? "as it is" : $"held to {rate:N0} MB/s")} (best of 3, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}):");
                Console.WriteLine(Row3("cat file > /dev/null", cat));
                Console.WriteLine(Row3("256 KiB block reads, nothing else", block));
                Console.WriteLine(Row3("engine (TlsErrorExplainer.ExplainFile)", engine));
                if (refilled is not null && warm is not null)
                {
                    Console.WriteLine(Row3("engine, the file read back after the drop", refilled));
                    Console.WriteLine(Row3("engine, warm, no drop before it", warm));
                }
            }

            return 0;
        }
        finally
        {
            // Back to the root group, and the throttle goes with its group.
            File.WriteAllText(Path.Combine(Blkio, "cgroup.procs"), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
            Directory.Delete(group);
        }
    }

    private static string Output(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { UseShellExecute = false, RedirectStandardOutput = true })!;
        var text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return text;
    }

    public static int Run(int megabytes, bool throttledOnly = false)
    {
        var file = Path.Combine(Path.GetTempPath(), $"oteltls-perf-log-{Guid.NewGuid():N}.log");
        try
        {
            var (lines, errors) = WriteLog(file, megabytes);
            var mib = new FileInfo(file).Length / (1024.0 * 1024.0);
            Console.WriteLine($"log: {mib:F0} MiB, {lines:N0} lines, {errors:N0} TLS errors; {Timing.Machine}");
            if (throttledOnly)
            {
                // Compiled and tiered up, as after the rounds: the runtime promotes hot code in the background once calls
                // pause (six runs back to back left the engine at 38 ms against 17 after the rounds).
                for (var i = 0; i < 12; i++)
                {
                    TlsErrorExplainer.ExplainFile(file).Count();
                    Thread.Sleep(200);
                }

                if (!CanDropCaches)
                {
                    Console.Error.WriteLine("--throttled-only needs root on Linux: it drops the page cache and sets a blkio throttle.");
                    return 1;
                }

                return Throttled(file, mib, lines, errors);
            }

            // The first run in a process compiles the recogniser's regular expressions and JIT-compiles the scan: timed
            // once here, apart from the rounds (the cmdlet's first run in its session is printed beside its second).
            var first = Stopwatch.StartNew();
            TlsErrorExplainer.ExplainFile(file).Count();
            Console.WriteLine($"engine's first run in this process: {first.Elapsed.TotalMilliseconds:F0} ms");
            Console.WriteLine("From the page cache (the file was just written or read): reading it, and scanning it.");
            for (var round = 1; round <= 5; round++)
            {
                var cat = CatSeconds(file);
                var block = BlockReadSeconds(file);
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
                if (found != errors || counted != lines)
                {
                    Console.Error.WriteLine($"expected {errors} explanations of {lines} lines, got {found} of {counted}");
                    return 1;
                }

                var cmdlet = CmdletSeconds(file, errors);
                var references = new[] { ("cat", cat), ("block read", block) };
                Console.WriteLine($"round {round} (load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}):");
                Console.WriteLine(Row("cat file > /dev/null", cat, mib, lines, references));
                Console.WriteLine(Row("256 KiB block reads, nothing else", block, mib, lines, references));
                Console.WriteLine(Row("StreamReader.ReadLine, nothing else", read.Elapsed.TotalSeconds, mib, lines, references));
                Console.WriteLine(Row("engine (TlsErrorExplainer.ExplainFile)", explain.Elapsed.TotalSeconds, mib, lines, references));
                Console.WriteLine(cmdlet is { } c
                    ? Row("Resolve-OtlpTlsError -Path (2nd run)", c.Second, mib, lines, references) + $"  (1st run in the session {c.First * 1000:F0} ms)"
                    : "  Resolve-OtlpTlsError not timed (no out/OtelTls module or no dotnet pwsh)");
            }

            if (!CanDropCaches)
            {
                Console.WriteLine("Cold read not measured: dropping the page cache (/proc/sys/vm/drop_caches) needs root on Linux.");
                return 0;
            }

            // The file from the disk: the page cache is dropped before each (this evicts every process's cached files).
            Console.WriteLine("Cold (sync; echo 3 > /proc/sys/vm/drop_caches before each): the file from the disk.");
            DropCaches();
            var coldCat = CatSeconds(file);
            DropCaches();
            var coldBlock = BlockReadSeconds(file);
            DropCaches();
            var cold = Stopwatch.StartNew();
            var coldFound = TlsErrorExplainer.ExplainFile(file).Count();
            cold.Stop();
            if (coldFound != errors)
            {
                Console.Error.WriteLine($"expected {errors} explanations, got {coldFound}");
                return 1;
            }

            var coldCmdlet = CmdletSeconds(file, errors, coldSecond: true);
            var coldReferences = new[] { ("cold cat", coldCat), ("cold block read", coldBlock) };
            Console.WriteLine($"cold (load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}):");
            Console.WriteLine(Row("cat file > /dev/null", coldCat, mib, lines, coldReferences));
            Console.WriteLine(Row("256 KiB block reads, nothing else", coldBlock, mib, lines, coldReferences));
            Console.WriteLine(Row("engine (TlsErrorExplainer.ExplainFile)", cold.Elapsed.TotalSeconds, mib, lines, coldReferences));
            Console.WriteLine(coldCmdlet is { } k
                ? Row("Resolve-OtlpTlsError -Path (2nd run)", k.Second, mib, lines, coldReferences)
                : "  Resolve-OtlpTlsError not timed (no out/OtelTls module or no dotnet pwsh)");
            return Throttled(file, mib, lines, errors);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
