using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OtelTls.Engine.Certificates;
using OtelTls.Engine.Client;
using OtelTls.Engine.Diagnosis;
using OtelTls.Lab;
using OtelTls.Tests;

namespace OtelTls.Perf;

/// <summary>
/// Endpoint diagnosis against openssl, side by side in one process run, on lab servers with ECDSA and RSA chains:
/// one full diagnosis (every stage, version sweep, platform check, empty export), the handshake
/// <c>Get-OtlpCertificate -Endpoint</c> performs, and one <c>openssl s_client</c> handshake run, interleaved round by
/// round; then a fleet of endpoints per chain, diagnosed with the default throttle, vs sequential s_client runs.
/// </summary>
internal static class DiagnosisComparison
{
    /// <summary>The chains compared: the lab's ECDSA default and the RSA scenarios (issue 12).</summary>
    private static readonly (string Scenario, string Chain)[] Chains =
    {
        ("healthy", "ECDSA root → ECDSA intermediate → ECDSA leaf"),
        ("rsa2048-intermediate", "ECDSA root → RSA-2048 intermediate → ECDSA leaf"),
        ("rsa4096-intermediate", "ECDSA root → RSA-4096 intermediate → ECDSA leaf"),
        ("rsa-chain", "RSA-4096 root → RSA-2048 intermediate → RSA-2048 leaf"),
    };

    public static async Task<int> RunAsync(int iterations, int fleetSize)
    {
        Console.WriteLine($"Endpoint diagnosis vs openssl s_client on the same lab servers (TLS 1.3, ALPN h2), {iterations} interleaved rounds, wall clock");
        Console.WriteLine(Timing.Machine + "; " + Load());
        Console.WriteLine();
        Console.WriteLine("| chain | full diagnosis median ms | Get-OtlpCertificate -Endpoint median ms | openssl s_client median ms | diagnosis / s_client | Get-OtlpCertificate / s_client | diagnosis min / s_client min |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        var failures = 0;
        var medians = new Dictionary<string, double>();
        foreach (var (scenario, chain) in Chains)
        {
            await using var lab = await LabScenario.StartAsync(scenario);
            var options = FullOptions(lab.CaFile);
            var first = await EndpointDiagnoser.DiagnoseAsync(lab.Endpoint, options, CancellationToken.None);
            if (first.Status != OtlpStatus.Healthy || first.Otlp?.Ran != true)
            {
                Console.Error.WriteLine($"{scenario}: the lab endpoint is not healthy: {first.Summary}");
                failures++;
                continue;
            }

            // Exactly what Get-OtlpCertificate -Endpoint asks of the engine.
            var certificateOnly = new DiagnosisOptions { Client = new OtlpClientSettings(timeout: TimeSpan.FromSeconds(10)), HandshakeOnly = true, SkipExport = true };
            var rows = await Timing.MeasureInterleavedAsync(iterations, 5,
                ("full", () => EndpointDiagnoser.DiagnoseAsync(lab.Endpoint, options, CancellationToken.None)),
                ("certificate", () => EndpointDiagnoser.DiagnoseAsync(lab.Endpoint, certificateOnly, CancellationToken.None)),
                ("openssl", () => Task.Run(() => SClient(lab.Endpoint, lab.CaFile))));
            var (full, certificate, openssl) = (rows[0], rows[1], rows[2]);
            medians[scenario] = full.Median;
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "| {0} | {1:F2} | {2:F2} | {3:F2} | {4:F2}x | {5:F2}x | {6:F2}x |",
                chain, full.Median, certificate.Median, openssl.Median, full.Median / openssl.Median, certificate.Median / openssl.Median, full.Min / openssl.Min));
        }

        if (medians.TryGetValue("rsa2048-intermediate", out var rsa2048) && medians.TryGetValue("rsa4096-intermediate", out var rsa4096))
        {
            Console.WriteLine();
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "RSA-4096 intermediate / RSA-2048 intermediate, full diagnosis median: {0:F2}x", rsa4096 / rsa2048));
        }

        if (fleetSize > 0)
        {
            Console.WriteLine();
            Console.WriteLine($"Fleets of {fleetSize} lab endpoints (one Kestrel host, {fleetSize} ports, same process as the diagnoses), throttle 16");
            Console.WriteLine();
            Console.WriteLine("| chain | OtelTls total s | OtelTls endpoints/s | openssl s_client sequential endpoints/s | not healthy |");
            Console.WriteLine("|---|---:|---:|---:|---:|");
            foreach (var (scenario, chain) in Chains.Take(3))
            {
                failures += await FleetAsync(scenario, chain, fleetSize);
            }
        }

        return failures == 0 ? 0 : 1;
    }

    internal static DiagnosisOptions FullOptions(string caFile) => new()
    {
        Client = new OtlpClientSettings(CertificateReader.ReadFile(caFile), timeout: TimeSpan.FromSeconds(10)),
    };

    internal static string Load() =>
        "load average " + (System.IO.File.Exists("/proc/loadavg") ? string.Join(" ", System.IO.File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a");

    private static async Task<int> FleetAsync(string scenario, string chain, int fleetSize)
    {
        await using var fleet = await LabFleet.StartAsync(fleetSize, scenario);
        var options = FullOptions(fleet.CaFile);
        await DiagnoseFleetAsync(fleet.Endpoints.Take(32).ToList(), options, 16); // warm-up: JIT, thread pool, lab
        var watch = Stopwatch.StartNew();
        var results = await DiagnoseFleetAsync(fleet.Endpoints, options, 16);
        var seconds = watch.Elapsed.TotalSeconds;
        var unhealthy = results.Count(r => r.Status != OtlpStatus.Healthy);

        // openssl on a sample (a tenth, at least 20): the sequential rate does not depend on the fleet's size.
        var sample = fleet.Endpoints.Take(Math.Max(20, fleetSize / 10)).ToList();
        watch.Restart();
        foreach (var endpoint in sample)
        {
            SClient(endpoint, fleet.CaFile);
        }

        var opensslRate = sample.Count / watch.Elapsed.TotalSeconds;
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "| {0} | {1:F2} | {2:F0} | {3:F0} | {4} |",
            chain, seconds, fleetSize / seconds, opensslRate, unhealthy));
        return unhealthy == 0 ? 0 : 1;
    }

    internal static async Task<OtlpTlsDiagnosis[]> DiagnoseFleetAsync(IReadOnlyList<string> endpoints, DiagnosisOptions options, int throttle)
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
    internal static void SClient(string endpoint, string caFile)
    {
        var arguments = $"s_client -connect {endpoint} -CAfile {caFile} -verify_return_error -alpn h2";
        // Empty stdin, like </dev/null: handshake, then EOF on stdin ends s_client.
        if (!OpenSsl.Run(arguments, stdinEmpty: true).Contains("Verify return code: 0", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"openssl {arguments} did not verify the lab server.");
        }
    }
}
