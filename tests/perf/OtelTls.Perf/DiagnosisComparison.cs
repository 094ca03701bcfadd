using OtelTls.Engine.Client;
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OtelTls.Engine.Certificates;
using OtelTls.Engine.Diagnosis;
using OtelTls.Lab;
using OtelTls.Tests;

namespace OtelTls.Perf;

/// <summary>
/// The issue-4 targets, side by side in one process run against lab servers on loopback:
/// one full diagnosis (every stage, version sweep, platform check, empty export) vs one <c>openssl s_client</c> handshake
/// run; a fleet of endpoints diagnosed with the default throttle vs the same number of sequential s_client runs.
/// </summary>
internal static class DiagnosisComparison
{
    public static async Task<int> RunAsync(int iterations, int fleetSize)
    {
        await using var lab = await LabScenario.StartAsync("healthy");
        var options = new DiagnosisOptions { Client = new OtlpClientSettings(CertificateReader.ReadFile(lab.CaFile), timeout: TimeSpan.FromSeconds(10)) };

        var first = await EndpointDiagnoser.DiagnoseAsync(lab.Endpoint, options, CancellationToken.None);
        if (first.Status != OtlpStatus.Healthy || first.Otlp?.Ran != true)
        {
            Console.Error.WriteLine($"The lab endpoint is not healthy: {first.Summary}");
            return 1;
        }

        var stages = await Timing.MeasureAsync("OtelTls full diagnosis (all stages)", iterations, 20, () => EndpointDiagnoser.DiagnoseAsync(lab.Endpoint, options, CancellationToken.None));
        var handshakeOnly = new DiagnosisOptions { Client = options.Client, HandshakeOnly = true };
        var probe = await Timing.MeasureAsync("OtelTls probe handshake only", iterations, 20, () => EndpointDiagnoser.DiagnoseAsync(lab.Endpoint, handshakeOnly, CancellationToken.None));
        var openssl = await Timing.MeasureAsync("openssl s_client, one handshake (process run)", iterations, 2, () => Task.Run(() => SClient(lab.Endpoint, lab.CaFile)));

        Console.WriteLine($"One healthy lab endpoint (TLS 1.3, ALPN h2, gRPC export), {iterations} sequential runs each, wall clock");
        Console.WriteLine(Timing.Machine);
        Console.WriteLine();
        Console.WriteLine("| method | median ms | mean ms | min ms | median / openssl | min / openssl |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var row in new[] { stages, probe, openssl })
        {
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "| {0} | {1:F2} | {2:F2} | {3:F2} | {4:F2}x | {5:F2}x |",
                row.Name, row.Median, row.Mean, row.Min, row.Median / openssl.Median, row.Min / openssl.Min));
        }

        await using var fleet = await LabFleet.StartAsync(fleetSize);
        var fleetOptions = new DiagnosisOptions { Client = new OtlpClientSettings(CertificateReader.ReadFile(fleet.CaFile), timeout: TimeSpan.FromSeconds(10)) };
        await DiagnoseFleetAsync(fleet.Endpoints.Take(32).ToList(), fleetOptions, 16); // warm-up: JIT, thread pool, lab
        var watch = Stopwatch.StartNew();
        var results = await DiagnoseFleetAsync(fleet.Endpoints, fleetOptions, 16);
        var fleetSeconds = watch.Elapsed.TotalSeconds;
        var unhealthy = results.Count(r => r.Status != OtlpStatus.Healthy);

        watch.Restart();
        foreach (var endpoint in fleet.Endpoints)
        {
            SClient(endpoint, fleet.CaFile);
        }

        var opensslSeconds = watch.Elapsed.TotalSeconds;
        Console.WriteLine();
        Console.WriteLine($"Fleet: {fleetSize} lab endpoints (one Kestrel host, {fleetSize} ports, same process)");
        Console.WriteLine();
        Console.WriteLine("| method | total s | endpoints/s | vs openssl |");
        Console.WriteLine("|---|---:|---:|---:|");
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "| OtelTls full diagnosis, throttle 16 ({0} not healthy) | {1:F2} | {2:F0} | {3:F1}x faster |",
            unhealthy, fleetSeconds, fleetSize / fleetSeconds, opensslSeconds / fleetSeconds));
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "| openssl s_client, sequential | {0:F2} | {1:F0} | 1.0x |", opensslSeconds, fleetSize / opensslSeconds));
        return unhealthy == 0 ? 0 : 1;
    }

    private static async Task<OtlpTlsDiagnosis[]> DiagnoseFleetAsync(IReadOnlyList<string> endpoints, DiagnosisOptions options, int throttle)
    {
        // The same bound Test-OtlpTlsEndpoint applies with its default -ThrottleLimit.
        using var gate = new SemaphoreSlim(throttle);
        return await Task.WhenAll(endpoints.Select(async endpoint =>
        {
            await gate.WaitAsync();
            try
            {
                return await EndpointDiagnoser.DiagnoseAsync(endpoint, options, CancellationToken.None);
            }
            finally
            {
                gate.Release();
            }
        }));
    }

    // One verified handshake, as a person checks an endpoint by hand.
    private static void SClient(string endpoint, string caFile)
    {
        var arguments = $"s_client -connect {endpoint} -CAfile {caFile} -verify_return_error -alpn h2";
        // Empty stdin, like </dev/null: handshake, then EOF on stdin ends s_client.
        if (!OpenSsl.Run(arguments, stdinEmpty: true).Contains("Verify return code: 0", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"openssl {arguments} did not verify the lab server.");
        }
    }
}
