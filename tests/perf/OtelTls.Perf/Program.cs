using System;
using System.Linq;
using BenchmarkDotNet.Running;

namespace OtelTls.Perf;

/// <summary>
/// <c>dotnet run -c Release --project tests/perf/OtelTls.Perf -- --filter * --job short</c> runs the BenchmarkDotNet suites;
/// <c>-- --compare-openssl [iterations]</c> times the same three certificates made by openssl process runs, side by side;
/// <c>-- --compare-diagnosis [iterations] [fleet]</c> times a full endpoint diagnosis and a fleet against openssl s_client,
/// on ECDSA and RSA chains; <c>-- --silent-peers [iterations] [--verbose]</c> times diagnoses of peers that cannot answer an
/// export (openssl s_server); <c>-- --fleet-scale [count] [scenario] [full|skip-export|handshake-only]</c> streams count endpoints through one throttled
/// pipeline and reports rate, peak working set, threads and sockets; <c>-- --explain-log [MiB] [--throttled-only]</c> times
/// Resolve-OtlpTlsError over a large log against reading the file alone (warm, cold, and from a throttled disk, or only the
/// last); <c>-- --profile-log [MiB] [runs] [--engine-only]</c> times the
/// parts of that scan one by one (or the whole engine alone, to sample it with dotnet-trace); <c>-- --gate-rate FILE...</c>
/// counts the failure-word search's candidates in other files (is a change of its fingerprints better beyond the corpus?).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var compare = Array.IndexOf(args, "--compare-openssl");
        if (compare >= 0)
        {
            var iterations = args.Length > compare + 1 && int.TryParse(args[compare + 1], out var n) ? n : 20;
            return OpenSslComparison.Run(iterations);
        }

        var diagnosis = Array.IndexOf(args, "--compare-diagnosis");
        if (diagnosis >= 0)
        {
            var iterations = args.Length > diagnosis + 1 && int.TryParse(args[diagnosis + 1], out var n) ? n : 30;
            var fleet = args.Length > diagnosis + 2 && int.TryParse(args[diagnosis + 2], out var f) ? f : 200;
            return DiagnosisComparison.RunAsync(iterations, fleet).GetAwaiter().GetResult();
        }

        var explainLog = Array.IndexOf(args, "--explain-log");
        if (explainLog >= 0)
        {
            var megabytes = args.Length > explainLog + 1 && int.TryParse(args[explainLog + 1], out var m) ? m : 100;
            return LogExplainComparison.Run(megabytes, args.Contains("--throttled-only"));
        }

        var profileLog = Array.IndexOf(args, "--profile-log");
        if (profileLog >= 0)
        {
            var megabytes = args.Length > profileLog + 1 && int.TryParse(args[profileLog + 1], out var m) ? m : 100;
            var runs = args.Length > profileLog + 2 && int.TryParse(args[profileLog + 2], out var r) ? r : 7;
            return LogScanProfile.Run(megabytes, runs, args.Contains("--engine-only"));
        }

        var gateRate = Array.IndexOf(args, "--gate-rate");
        if (gateRate >= 0)
        {
            return LogScanProfile.GateRate(args.Skip(gateRate + 1).ToArray());
        }

        var silent = Array.IndexOf(args, "--silent-peers");
        if (silent >= 0)
        {
            var iterations = args.Length > silent + 1 && int.TryParse(args[silent + 1], out var n) ? n : 5;
            return SilentPeerComparison.RunAsync(iterations, args.Contains("--verbose")).GetAwaiter().GetResult();
        }

        var scale = Array.IndexOf(args, "--fleet-scale");
        if (scale >= 0)
        {
            var count = args.Length > scale + 1 && int.TryParse(args[scale + 1], out var n) ? n : 10_000;
            var scenario = args.Length > scale + 2 ? args[scale + 2] : "rsa2048-intermediate";
            var stages = args.Length > scale + 3 ? args[scale + 3] : "full";
            return FleetScale.RunAsync(count, 200, scenario, stages).GetAwaiter().GetResult();
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
