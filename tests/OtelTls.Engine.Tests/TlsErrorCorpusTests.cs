using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using OtelTls.Engine.Explain;
using OtelTls.Lab;

namespace OtelTls.Engine.Tests;

/// <summary>
/// The recogniser against real messages: every lab scenario is reached by every TLS client of this machine (openssl,
/// curl, gnutls-cli, Python, Node, .NET HttpClient and Grpc.Net.Client), and what each client printed must be explained
/// as the scenario's expected finding. The table of which runtime can see which scenario is part of the test, so a new
/// scenario that nobody has classified fails here.
/// </summary>
public class TlsErrorCorpusTests
{
    public static IEnumerable<object[]> Scenarios => LabScenario.All.Select(s => new object[] { s.Name });

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task EveryRuntimesRealMessageIsExplainedAsTheScenariosFinding(string name)
    {
        var observing = Environment.GetEnvironmentVariable("OTELTLS_CORPUS_DUMP") is { Length: > 0 };
        Assert.True(observing || CorpusReach.Table.ContainsKey(name), $"Lab scenario '{name}' is not classified in CorpusReach.Table: say which runtimes' real errors show it.");
        await using var lab = await LabScenario.StartAsync(name);
        var report = new StringBuilder();
        var failures = new List<string>();
        foreach (var runtime in RuntimeClients.All)
        {
            Assert.True(RuntimeClients.IsInstalled(runtime), $"{runtime}'s client is not installed (.ci/run installs it).");
            var (failed, output) = await RuntimeClients.RunAsync(runtime, lab);
            var explanations = TlsErrorExplainer.ExplainAll(output.Split('\n').Select(l => l.TrimEnd('\r'))).ToList();
            var expected = CorpusReach.Table.TryGetValue(name, out var reach) && reach.Contains(runtime) ? lab.Info.ExpectedFindingId : null;
            report.AppendLine($"--- {runtime} failed={failed} → {string.Join(", ", explanations.Select(e => $"{e.FindingId}[{string.Join("/", e.AlternativeFindingIds)}] ({e.Runtime})"))}").AppendLine(output);
            if (expected is null)
            {
                continue;
            }

            if (!failed)
            {
                failures.Add($"{runtime} did not fail against {name}");
            }
            else if (!explanations.Any(e => e.FindingId == expected || e.AlternativeFindingIds.Contains(expected)))
            {
                failures.Add($"{runtime}'s message was not explained as {expected}");
            }
            else if (runtime != OtlpRuntime.DotNet && !explanations.Any(e => e.Runtime == runtime))
            {
                failures.Add($"{runtime}'s message was attributed to {string.Join(", ", explanations.Select(e => e.Runtime))}");
            }
        }

        if (Environment.GetEnvironmentVariable("OTELTLS_CORPUS_DUMP") is { Length: > 0 } dump)
        {
            File.AppendAllText(dump, $"===== {name} (expected {lab.Info.ExpectedFindingId})\n{report}\n");
        }

        Assert.True(failures.Count == 0, string.Join("; ", failures) + Environment.NewLine + report);
    }
}
