using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OtelTls.Engine.Certificates;
using OtelTls.Engine.Diagnosis;
using OtelTls.Lab;

namespace OtelTls.Perf;

/// <summary>
/// Fleet scale: <c>count</c> endpoints (the ports of one lab fleet, cycled) diagnosed through one bounded pipeline with
/// throttle 16, results consumed as they complete and dropped, as <c>Test-OtlpTlsEndpoint</c> streams them. Reports the
/// rate, the peak working set, and threads and open file descriptors (sockets) before, at the peak and after.
/// </summary>
internal static class FleetScale
{
    public static async Task<int> RunAsync(int count, int ports, string scenario, string stages)
    {
        await using var fleet = await LabFleet.StartAsync(ports, scenario);
        var options = DiagnosisComparison.FullOptions(fleet.CaFile);
        // Fewer stages, to tell what each costs: the export (skip-export), then the version sweep and platform check too.
        options.SkipExport = stages is "skip-export" or "handshake-only";
        options.HandshakeOnly = stages == "handshake-only";
        await DiagnosisComparison.DiagnoseFleetAsync(fleet.Endpoints.Take(32).ToList(), options, 16); // warm-up
        GC.Collect();
        var before = Snapshot();
        var peakThreads = before.Threads;
        var peakHandles = before.Handles;
        var next = -1;
        var unhealthy = 0;
        var reasons = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var jitBefore = (Methods: System.Runtime.JitInfo.GetCompiledMethodCount(), Time: System.Runtime.JitInfo.GetCompilationTime());
        var jitHalf = jitBefore;
        var allocatedBefore = GC.GetTotalAllocatedBytes();
        var pauseBefore = GC.GetTotalPauseDuration();
        var collectionsBefore = GC.CollectionCount(0);
        var watch = Stopwatch.StartNew();
        // The second half apart: by then the JIT's tiering (instrumented code, then optimised rejits) has mostly settled.
        var halfCpu = TimeSpan.Zero;
        var halfSeconds = 0.0;
        var workers = Enumerable.Range(0, 16).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var result = await EndpointDiagnoser.DiagnoseAsync(fleet.Endpoints[i % fleet.Endpoints.Count], options, CancellationToken.None);
                if (result.Status != OtlpStatus.Healthy)
                {
                    Interlocked.Increment(ref unhealthy);
                    foreach (var finding in result.Findings.Where(f => f.Severity == OtlpSeverity.Error))
                    {
                        reasons.AddOrUpdate(finding.Id, 1, (_, n) => n + 1);
                    }
                }

                if (i == count / 2)
                {
                    halfCpu = Process.GetCurrentProcess().TotalProcessorTime;
                    halfSeconds = watch.Elapsed.TotalSeconds;
                    jitHalf = (System.Runtime.JitInfo.GetCompiledMethodCount(), System.Runtime.JitInfo.GetCompilationTime());
                }

                if (i % 500 == 0)
                {
                    var now = Snapshot();
                    InterlockedMax(ref peakThreads, now.Threads);
                    InterlockedMax(ref peakHandles, now.Handles);
                }
            }
        }).ToArray();
        await Task.WhenAll(workers);
        var seconds = watch.Elapsed.TotalSeconds;
        // CPU time is what the load of other processes cannot inflate: divided among the cores, it gives the rate this
        // machine reaches when the run has it to itself (the lab servers' CPU, in the same process, included).
        var cpuAfter = Process.GetCurrentProcess().TotalProcessorTime;
        var cpuMs = (cpuAfter - cpuBefore).TotalMilliseconds;
        var allocated = GC.GetTotalAllocatedBytes() - allocatedBefore;
        var pause = GC.GetTotalPauseDuration() - pauseBefore;
        var collections = GC.CollectionCount(0) - collectionsBefore;
        var jitAfter = (Methods: System.Runtime.JitInfo.GetCompiledMethodCount(), Time: System.Runtime.JitInfo.GetCompilationTime());
        await Task.Delay(500);
        GC.Collect();
        var after = Snapshot();
        using var process = Process.GetCurrentProcess();
        Console.WriteLine($"Fleet scale: {count} endpoints ({ports} lab ports of '{scenario}' cycled, same process), stages: {stages}, throttle 16, results streamed and dropped");
        Console.WriteLine(Timing.Machine + "; " + DiagnosisComparison.Load());
        Console.WriteLine();
        Console.WriteLine("| endpoints | total s | endpoints/s | not healthy | peak working set MB | threads before / peak / after | open fds before / peak / after |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---|---|");
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "| {0} | {1:F1} | {2:F0} | {3} | {4:F0} | {5} / {6} / {7} | {8} / {9} / {10} |",
            count, seconds, count / seconds, unhealthy, process.PeakWorkingSet64 / 1048576.0,
            before.Threads, peakThreads, after.Threads, before.Handles, peakHandles, after.Handles));
        Console.WriteLine();
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
            "CPU (client and lab servers, this process): {0:F2} ms per endpoint; {1} cores give at most {2:F0} endpoints/s when the run has them to itself.",
            cpuMs / count, Environment.ProcessorCount, Environment.ProcessorCount * 1000.0 * count / cpuMs));
        var secondHalf = count - (count / 2);
        var secondHalfCpuMs = (cpuAfter - halfCpu).TotalMilliseconds;
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
            "Second half alone: {0:F0} endpoints/s, {1:F2} ms CPU per endpoint ({2:F0} endpoints/s on {3} cores at that cost).",
            secondHalf / (seconds - halfSeconds), secondHalfCpuMs / secondHalf, Environment.ProcessorCount * 1000.0 * secondHalf / secondHalfCpuMs, Environment.ProcessorCount));
        // The JIT's own count and clock: tiered compilation (instrumented code, then optimised rejits) keeps compiling
        // long after the warm-up, and that CPU is part of the figures above.
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
            "JIT during the run: {0} methods, {1:F0} ms ({2:F0} methods, {3:F0} ms in the second half).",
            jitAfter.Methods - jitBefore.Methods, (jitAfter.Time - jitBefore.Time).TotalMilliseconds,
            jitAfter.Methods - jitHalf.Methods, (jitAfter.Time - jitHalf.Time).TotalMilliseconds));
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
            "GC: {0:F0} KB allocated per endpoint, {1} gen0 collections, {2:F0} ms paused.", allocated / 1024.0 / count, collections, pause.TotalMilliseconds));
        if (unhealthy > 0)
        {
            Console.WriteLine();
            Console.WriteLine("Not healthy (under load, bounds passed): " + string.Join(", ", reasons.Select(r => $"{r.Key} {r.Value}")));
        }

        return unhealthy == 0 ? 0 : 1;
    }

    private static (int Threads, int Handles) Snapshot()
    {
        using var process = Process.GetCurrentProcess();
        var handles = Directory.Exists("/proc/self/fd") ? Directory.GetFiles("/proc/self/fd").Length : process.HandleCount;
        return (process.Threads.Count, handles);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
