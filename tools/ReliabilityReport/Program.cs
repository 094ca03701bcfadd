using System;
using System.IO;

namespace OtelTls.Tools;

/// <summary><c>ReliabilityReport RESULTS-DIR OUTPUT.md [COMMIT]</c>: RESULTS-DIR holds one folder of .trx files per area.</summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length < 2 || !Directory.Exists(args[0]))
        {
            Console.Error.WriteLine("usage: ReliabilityReport RESULTS-DIR OUTPUT.md [COMMIT]  (RESULTS-DIR/<Area>/*.trx)");
            return 2;
        }

        var table = ReliabilityTable.FromResults(args[0]);
        File.WriteAllText(args[1], table.ToMarkdown(DateTimeOffset.UtcNow, args.Length > 2 ? args[2] : null));
        Console.WriteLine($"{args[1]}: {table.Tried} tried, {table.Handled} handled, {table.Failed} failed.");
        return table.Tried == 0 ? 1 : 0;
    }
}
