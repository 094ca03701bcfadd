using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading.Tasks;

namespace OtelTls.Perf;

/// <summary>One row of a side-by-side comparison: wall-clock milliseconds of the measured runs.</summary>
internal sealed record Timing(string Name, double Median, double Mean, double Min)
{
    /// <summary>The machine line printed under each comparison's title.</summary>
    public static string Machine => $"{RuntimeInformation.OSDescription}; {Environment.ProcessorCount} cores; {RuntimeInformation.FrameworkDescription}";

    /// <summary>Runs <paramref name="work"/> <paramref name="warmups"/> times unmeasured, then <paramref name="iterations"/> times, each timed alone.</summary>
    public static async Task<Timing> MeasureAsync(string name, int iterations, int warmups, Func<Task> work)
    {
        for (var i = 0; i < warmups; i++)
        {
            await work();
        }

        var times = new List<double>();
        for (var i = 0; i < iterations; i++)
        {
            var watch = Stopwatch.StartNew();
            await work();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        return new Timing(name, times[times.Count / 2], times.Average(), times[0]);
    }

    /// <summary>
    /// Times several kinds of work side by side: each round runs every kind once, in turn, so a change in the machine's
    /// background load (other builds on a shared box) hits all of them alike and the ratios stay meaningful.
    /// </summary>
    public static async Task<IReadOnlyList<Timing>> MeasureInterleavedAsync(int iterations, int warmups, params (string Name, Func<Task> Work)[] kinds)
    {
        for (var i = 0; i < warmups; i++)
        {
            foreach (var kind in kinds)
            {
                await kind.Work();
            }
        }

        var times = kinds.Select(_ => new List<double>()).ToArray();
        for (var i = 0; i < iterations; i++)
        {
            for (var k = 0; k < kinds.Length; k++)
            {
                var watch = Stopwatch.StartNew();
                await kinds[k].Work();
                times[k].Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        return kinds.Select((kind, k) =>
        {
            var sorted = times[k].OrderBy(t => t).ToList();
            return new Timing(kind.Name, sorted[sorted.Count / 2], sorted.Average(), sorted[0]);
        }).ToList();
    }

    /// <summary>The same for synchronous work (runs on the calling thread).</summary>
    public static Timing Measure(string name, int iterations, int warmups, Action work) =>
        MeasureAsync(name, iterations, warmups, () =>
        {
            work();
            return Task.CompletedTask;
        }).GetAwaiter().GetResult();
}
