using System;
using System.Linq;
using BenchmarkDotNet.Running;

namespace OtelTls.Perf;

/// <summary>
/// <c>dotnet run -c Release --project tests/perf/OtelTls.Perf -- --filter * --job short</c> runs the BenchmarkDotNet suites;
/// <c>-- --compare-openssl [iterations]</c> times the same three certificates made by openssl process runs, side by side.
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

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
