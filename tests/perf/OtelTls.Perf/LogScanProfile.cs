using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using OtelTls.Engine.Explain;

namespace OtelTls.Perf;

/// <summary>
/// Where the time of TlsErrorExplainer.ExplainFile goes on the --explain-log corpus: each part of the scan timed alone
/// over the same bytes (held in memory and cut into the engine's 256 KiB blocks, so the read is its own line), best of
/// several runs, as wall time and as the process's CPU time (the machine is shared; CPU time is what the work costs).
/// </summary>
internal static class LogScanProfile
{
    public static int Run(int megabytes, int runs, bool engineOnly = false)
    {
        var file = Path.Combine(Path.GetTempPath(), $"oteltls-perf-profile-{Guid.NewGuid():N}.log");
        try
        {
            var (lines, errors) = LogExplainComparison.WriteLog(file, megabytes);
            var bytes = File.ReadAllBytes(file);
            var mib = bytes.Length / (1024.0 * 1024.0);
            var block = TlsErrorExplainer.BlockSize;
            var gate = TlsErrorExplainer.FailureWords;
            Console.WriteLine($"log: {mib:F0} MiB, {lines:N0} lines, {errors:N0} TLS errors; {Timing.Machine}");
            Console.WriteLine($"failure-word fingerprints by bucket ({gate.Search}):\n{gate.Describe()}");

            long admitted = 0, fingerprinted = 0;
            for (var at = 0; at < bytes.Length; at += block)
            {
                var (a, f) = gate.CountCandidates(bytes, at, Math.Min(bytes.Length, at + block));
                admitted += a;
                fingerprinted += f;
            }

            // Which kinds of line make the candidates (the corpus repeats a few lines).
            foreach (var line in File.ReadLines(file).Take(997).Distinct())
            {
                var text = Encoding.UTF8.GetBytes(line + "\n");
                var (a, f) = gate.CountCandidates(text, 0, text.Length);
                Console.WriteLine($"  {a,3} admitted, {f,3} compared: {(line.Length > 90 ? line.Substring(0, 90) + "..." : line)}");
                if (a > 0)
                {
                    // Where: each admitted position and its next bytes (* when it also compares words).
                    var at = Enumerable.Range(0, text.Length)
                        .Select(i => (i, gate.CountCandidates(text, i, text.Length), gate.CountCandidates(text, Math.Min(text.Length, i + 1), text.Length)))
                        .Where(x => x.Item2.Admitted > x.Item3.Admitted)
                        .Select(x => $"'{Encoding.UTF8.GetString(text, x.i, Math.Min(5, text.Length - x.i)).TrimEnd('\n')}'{(x.Item2.Compared > x.Item3.Compared ? "*" : "")}");
                    Console.WriteLine($"        at {string.Join(", ", at)}");
                }
            }

            // The lines the scan cuts: those with a failure word, and the three after each that may continue an error.
            var hits = new List<(int Start, int End)>();
            var passing = 0;
            for (var at = 0; at < bytes.Length;)
            {
                var hit = gate.IndexIn(bytes, at, Math.Min(bytes.Length, at + block));
                if (hit < 0)
                {
                    at = Math.Min(bytes.Length, at + block);
                    continue;
                }

                var start = Array.LastIndexOf(bytes, (byte)'\n', hit) + 1;
                var end = Array.IndexOf(bytes, (byte)'\n', hit);
                end = end < 0 ? bytes.Length : end;
                hits.Add((start, end));
                passing += TlsErrorExplainer.MayBeSignal(bytes, start, end - start) ? 1 : 0;
                at = end + 1;
            }

            var cutLines = CutLines(bytes, hits).Select(l => Encoding.UTF8.GetString(bytes, l.Start, l.Length)).ToList();

            Console.WriteLine(
                $"failure-word search ({gate.Search}): {admitted:N0} positions admitted by its tables ({admitted * 100.0 / bytes.Length:F2}% of bytes), " +
                $"{fingerprinted:N0} pass the fingerprint table and compare words ({fingerprinted / (double)lines:F2} per line); " +
                $"{hits.Count:N0} lines with a failure word, {passing:N0} pass both gates");

            var blank = new byte[bytes.Length];
            Array.Fill(blank, (byte)'#');
            var parts = new (string Name, Func<long> Work)[]
            {
                ("256 KiB block reads of the page cache", () => LogExplainComparison.ReadBlocks(file)),
                ($"failure-word search (KeywordGate.IndexIn, {gate.Search}) alone", () => SearchAll(gate, bytes, block)),
                ("the same search over as many bytes of '#' (no candidate)", () =>
                {
                    long found = 0;
                    for (var at = 0; at < blank.Length; at += block)
                    {
                        found += gate.IndexIn(blank, at, Math.Min(blank.Length, at + block)) >= 0 ? 1 : 0;
                    }

                    return found;
                }),
                ("the same search over one 1 MiB block in the CPU's cache, as often", () => SearchInCache(gate, bytes)),
                ("line ends: count over one 1 MiB block in the CPU's cache, as often", () => CountInCache(bytes)),
                ("line ends: count + last line end per block", () =>
                {
                    long count = 0;
                    for (var at = 0; at < bytes.Length; at += block)
                    {
                        var end = Math.Min(bytes.Length, at + block);
                        count += TlsErrorExplainer.CountLineEnds(bytes, at, end) + (TlsErrorExplainer.LastLineEnd(bytes, at, end) >= 0 ? 0 : 1);
                    }

                    return count;
                }),
                ("cut + gate + decode the hit lines and 3 after each", () =>
                {
                    long chars = 0;
                    foreach (var (start, length) in CutLines(bytes, hits))
                    {
                        chars += TlsErrorExplainer.MayBeSignal(bytes, start, length) ? Encoding.UTF8.GetString(bytes, start, length).Length : 0;
                    }

                    return chars;
                }),
                ("explain those lines (line gates, rules, facts, Build)", () => TlsErrorExplainer.ExplainAll(cutLines).Count()),
                ("engine: ExplainFile (read included)", () => TlsErrorExplainer.ExplainFile(file).Count()),
                ("engine, blocks read in turn (no read-ahead)", () => TlsErrorExplainer.ExplainFile(file, readAhead: false).Count()),
            };

            // The same search with each byte search this machine has (the engine uses the fastest, KeywordGate.Fastest).
            foreach (var search in Enum.GetValues<GateSearch>().Where(g => g != gate.Search && KeywordGate.IsSupported(g)))
            {
                var other = new KeywordGate(TlsErrorExplainer.FailureAnyCase, TlsErrorExplainer.FailureExactCase, search);
                var (a, c) = (0L, 0L);
                for (var at = 0; at < bytes.Length; at += block)
                {
                    var (x, y) = other.CountCandidates(bytes, at, Math.Min(bytes.Length, at + block));
                    (a, c) = (a + x, c + y);
                }

                parts = parts.Append(($"failure-word search with {search} ({a * 100.0 / bytes.Length:F2}% admitted)", () => SearchAll(other, bytes, block))).ToArray();
            }

            if (engineOnly)
            {
                // For a sampling profiler (dotnet-trace): the engine alone, again and again.
                parts = parts.Where(p => p.Name.StartsWith("engine", StringComparison.Ordinal)).ToArray();
            }

            // Warm up (tier-1 code), then the best of the runs, each part in turn so a load change hits all alike.
            foreach (var part in parts)
            {
                for (var i = 0; i < 3; i++)
                {
                    part.Work();
                }
            }

            var best = parts.Select(_ => (Wall: double.MaxValue, Cpu: double.MaxValue)).ToArray();
            var process = Process.GetCurrentProcess();
            for (var run = 0; run < runs; run++)
            {
                for (var k = 0; k < parts.Length; k++)
                {
                    process.Refresh();
                    var cpu0 = process.TotalProcessorTime;
                    var wall = Stopwatch.StartNew();
                    parts[k].Work();
                    wall.Stop();
                    process.Refresh();
                    var cpu = (process.TotalProcessorTime - cpu0).TotalMilliseconds;
                    best[k] = (Math.Min(best[k].Wall, wall.Elapsed.TotalMilliseconds), Math.Min(best[k].Cpu, cpu));
                }
            }

            var allocated = GC.GetAllocatedBytesForCurrentThread();
            var collections = Enumerable.Range(0, 3).Select(GC.CollectionCount).ToArray();
            var paused = GC.GetTotalPauseDuration();
            TlsErrorExplainer.ExplainFile(file).Count();
            Console.WriteLine(
                $"one engine run allocates {(GC.GetAllocatedBytesForCurrentThread() - allocated) / 1024.0:N0} KiB " +
                $"({(GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)errors:N0} bytes per error) and collects gen0/1/2 " +
                string.Join("/", Enumerable.Range(0, 3).Select(g => GC.CollectionCount(g) - collections[g])) + " times, " +
                $"pausing {(GC.GetTotalPauseDuration() - paused).TotalMilliseconds:F1} ms");
            Console.WriteLine($"best of {runs} (load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}):");
            for (var k = 0; k < parts.Length; k++)
            {
                Console.WriteLine($"  {parts[k].Name,-58} {best[k].Wall,8:F1} ms wall {mib / best[k].Wall * 1000,7:F0} MiB/s   {best[k].Cpu,8:F1} ms CPU");
            }

            return 0;
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>
    /// The search over bytes just read (in the CPU's cache), as a thread that reads a block and then searches it sees them:
    /// the file's first 1 MiB searched as many times as the file has MiB.
    /// </summary>
    private static long SearchInCache(KeywordGate gate, byte[] bytes)
    {
        const int size = 1 << 20;
        long found = 0;
        for (var k = 0; k < bytes.Length / size; k++)
        {
            found += SearchAll(gate, bytes, size, size);
        }

        return found;
    }

    /// <summary>Line ends counted over bytes in the CPU's cache (see <see cref="SearchInCache"/>).</summary>
    private static long CountInCache(byte[] bytes)
    {
        const int size = 1 << 20;
        long count = 0;
        for (var k = 0; k < bytes.Length / size; k++)
        {
            count += TlsErrorExplainer.CountLineEnds(bytes, 0, size);
        }

        return count;
    }

    /// <summary>
    /// The failure-word search's candidates in each file: positions its tables admit, those that compare words, and the
    /// lines that hold a failure word (the real hits), per line.
    /// </summary>
    public static int GateRate(string[] files)
    {
        var gate = TlsErrorExplainer.FailureWords;
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(file);
            var (admitted, compared) = gate.CountCandidates(bytes, 0, bytes.Length);
            var lines = TlsErrorExplainer.CountLineEnds(bytes, 0, bytes.Length);
            var hits = File.ReadLines(file).Count(l => gate.Matches(l));
            Console.WriteLine($"{file}: {bytes.Length:N0} bytes, {lines:N0} lines, {hits:N0} with a failure word; " +
                $"{admitted:N0} admitted ({admitted * 100.0 / bytes.Length:F3}% of bytes, {admitted / (double)lines:F2} per line), " +
                $"{compared:N0} compare words ({compared / (double)lines:F2} per line)");
        }

        return 0;
    }

    /// <summary>Every block searched for its first failure word, the search going on after each hit.</summary>
    private static long SearchAll(KeywordGate gate, byte[] bytes, int block, int length = -1)
    {
        length = length < 0 ? bytes.Length : length;
        long found = 0;
        for (var at = 0; at < length;)
        {
            var end = Math.Min(length, at + block);
            var hit = gate.IndexIn(bytes, at, end);
            found += hit >= 0 ? 1 : 0;
            at = hit >= 0 ? hit + 1 : end;
        }

        return found;
    }

    /// <summary>The lines the scan cuts: each hit line and the three after it (which may continue the error).</summary>
    private static IEnumerable<(int Start, int Length)> CutLines(byte[] bytes, List<(int Start, int End)> hits)
    {
        foreach (var (start, _) in hits)
        {
            var s = start;
            for (var k = 0; k < 4 && s < bytes.Length; k++)
            {
                var e = Array.IndexOf(bytes, (byte)'\n', s);
                e = e < 0 ? bytes.Length : e;
                yield return (s, e - s);
                s = e + 1;
            }
        }
    }
}
