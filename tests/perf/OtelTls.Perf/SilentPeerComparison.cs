using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OtelTls.Engine.Certificates;
using OtelTls.Engine.Client;
using OtelTls.Engine.Diagnosis;
using OtelTls.Tests;

namespace OtelTls.Perf;

/// <summary>
/// Peers that cannot answer an export, with real <c>openssl s_server</c> processes: TLS servers that select h2 but are not
/// HTTP/2 servers (<c>-www -alpn h2</c> answers an HTTP/1 GET line; plain <c>-alpn h2</c> answers nothing), and a healthy
/// mTLS peer that sends nothing after the handshake. Prints how
/// long a full diagnosis takes and what it concluded.
/// </summary>
internal static class SilentPeerComparison
{
    public static async Task<int> RunAsync(int iterations, bool verbose)
    {
        using var dir = new TempDirectory();
        var root = CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.CA, CommonName = "Silent Peer Root" });
        var server = CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.Server, DnsNames = { "localhost" }, IPAddresses = { "127.0.0.1" }, Signer = root });
        var client = CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.Client, CommonName = "exporter", Signer = root });
        CertificateFiles.WriteCertificateAndKey(root, dir.File("ca.crt"), dir.File("ca.key"), force: false);
        CertificateFiles.WriteCertificateAndKey(server, dir.File("server.crt"), dir.File("server.key"), force: false);
        CertificateFiles.WriteCertificateAndKey(client, dir.File("client.crt"), dir.File("client.key"), force: false);

        Console.WriteLine($"Peers that cannot answer an export (openssl s_server, loopback), full diagnosis, {iterations} runs each, wall clock");
        Console.WriteLine(Timing.Machine + "; " + DiagnosisComparison.Load());
        Console.WriteLine();
        Console.WriteLine("| peer | median ms | min ms | max ms | errors found |");
        Console.WriteLine("|---|---:|---:|---:|---|");
        var cases = new (string Name, string Arguments, bool Client, bool SkipExport)[]
        {
            ("s_server -www -alpn h2 (TLS, not HTTP/2: ignores the preface, answers a GET line)", "-www -alpn h2", false, false),
            ("s_server -alpn h2 (TLS, not HTTP/2: answers nothing at all)", "-alpn h2", false, false),
            ("s_server -alpn h2 -Verify 1 -tls1_3, client certificate sent (mTLS, silent after the handshake)", "-alpn h2 -Verify 1 -verify_return_error -CAfile ca.crt -tls1_3", true, false),
            ("the same, -SkipExport", "-alpn h2 -Verify 1 -verify_return_error -CAfile ca.crt -tls1_3", true, true),
        };
        foreach (var (name, arguments, withClient, skipExport) in cases)
        {
            using var peer = OpenSslServer.Start(dir, arguments);
            var options = new DiagnosisOptions
            {
                Client = new OtlpClientSettings(CertificateReader.ReadFile(dir.File("ca.crt")),
                    withClient ? dir.File("client.crt") : null, withClient ? dir.File("client.key") : null, timeout: TimeSpan.FromSeconds(10)),
                SkipExport = skipExport,
                Narrate = verbose ? line => Console.Error.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {line}") : null,
            };

            var times = new double[iterations];
            string errors = string.Empty;
            for (var i = 0; i < iterations; i++)
            {
                var watch = Stopwatch.StartNew();
                var result = await EndpointDiagnoser.DiagnoseAsync($"127.0.0.1:{peer.Port}", options, CancellationToken.None);
                times[i] = watch.Elapsed.TotalMilliseconds;
                errors = string.Join(", ", result.Findings.Where(f => f.Severity == OtlpSeverity.Error).Select(f => f.Id).DefaultIfEmpty("none"));
            }

            var sorted = times.OrderBy(t => t).ToArray();
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "| {0} | {1:F0} | {2:F0} | {3:F0} | {4} |", name, sorted[sorted.Length / 2], sorted[0], sorted[^1], errors));
        }

        return 0;
    }
}
