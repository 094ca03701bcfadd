using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using OtelTls.Engine.Certificates;

namespace OtelTls.Perf;

/// <summary>
/// The same CA + server + client (P-256, SANs, EKUs, basicConstraints) made three ways, each timed per whole set:
/// openssl in three process runs (<c>req -x509</c>, then <c>req -x509 -CA</c> twice, OpenSSL 3), openssl the classic way in
/// five runs (<c>req -x509</c>; <c>req</c> + <c>x509 -req</c> per leaf), and OtelTls in-process (in memory, and with files).
/// Wall-clock medians, so process start-up is included for openssl, as a user pays it.
/// </summary>
internal static class OpenSslComparison
{
    private const string CaExtensions = "-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign";
    private const string ServerExtensions = "-addext subjectAltName=DNS:otel-collector,DNS:localhost,IP:127.0.0.1 -addext extendedKeyUsage=serverAuth -addext basicConstraints=critical,CA:FALSE";
    private const string ClientExtensions = "-addext extendedKeyUsage=clientAuth -addext basicConstraints=critical,CA:FALSE";
    private const string NewKey = "-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes";

    public static int Run(int iterations)
    {
        var directory = Path.Combine(Path.GetTempPath(), "oteltls-compare-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        try
        {
            var cases = new (string Name, Action Work)[]
            {
                ("openssl, 3 process runs (req -x509 -CA)", () => OpenSslThreeRuns(directory)),
                ("openssl, 5 process runs (req + x509 -req)", () => OpenSslFiveRuns(directory)),
                ("OtelTls in-process, in memory", () => CertificateBenchmarks.IssueThree()),
                ("OtelTls in-process, with files", () => InProcessWithFiles(directory)),
            };

            // Check once that openssl made what we claim to compare with: a chain that verifies, for the right purposes.
            OpenSslThreeRuns(directory);
            OpenSsl($"verify -CAfile ca.crt -purpose sslserver -verify_hostname otel-collector server.crt", directory);
            OpenSsl($"verify -CAfile ca.crt -purpose sslclient client.crt", directory);

            var results = new List<(string Name, double Median, double Mean, double Min)>();
            foreach (var (name, work) in cases)
            {
                // Warm-up: page cache and openssl's config load for the process runs; tiered JIT for the in-process ones.
                for (var i = 0; i < (name.StartsWith("openssl", StringComparison.Ordinal) ? 2 : 50); i++)
                {
                    work();
                }

                var times = new List<double>();
                for (var i = 0; i < iterations; i++)
                {
                    var watch = Stopwatch.StartNew();
                    work();
                    times.Add(watch.Elapsed.TotalMilliseconds);
                }

                times.Sort();
                results.Add((name, times[times.Count / 2], times.Average(), times[0]));
            }

            var (inProcessMedian, inProcessMin) = (results[2].Median, results[2].Min);
            Console.WriteLine($"CA + server + client, ECDSA P-256, {iterations} iterations each, wall clock per set of three");
            Console.WriteLine($"{RuntimeInformation.OSDescription}; {Environment.ProcessorCount} cores; {RuntimeInformation.FrameworkDescription}; {OpenSsl("version", directory).Trim()}");
            Console.WriteLine();
            // The minimum is the least disturbed by other load on the machine; the median is what a user typically sees.
            Console.WriteLine("| method | median ms | mean ms | min ms | median / OtelTls in memory | min / OtelTls in memory |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|");
            foreach (var (name, median, mean, min) in results)
            {
                Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "| {0} | {1:F2} | {2:F2} | {3:F2} | {4:F1}x | {5:F1}x |", name, median, mean, min, median / inProcessMedian, min / inProcessMin));
            }

            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static void OpenSslThreeRuns(string dir)
    {
        OpenSsl($"req -x509 {NewKey} -keyout ca.key -out ca.crt -days 3650 -subj /CN=OtelTls-CA {CaExtensions}", dir);
        OpenSsl($"req -x509 {NewKey} -keyout server.key -out server.crt -days 365 -subj /CN=otel-collector -CA ca.crt -CAkey ca.key {ServerExtensions}", dir);
        OpenSsl($"req -x509 {NewKey} -keyout client.key -out client.crt -days 365 -subj /CN=otel-client -CA ca.crt -CAkey ca.key {ClientExtensions}", dir);
    }

    private static void OpenSslFiveRuns(string dir)
    {
        OpenSsl($"req -x509 {NewKey} -keyout ca.key -out ca.crt -days 3650 -subj /CN=OtelTls-CA {CaExtensions}", dir);
        OpenSsl($"req {NewKey} -keyout server.key -out server.csr -subj /CN=otel-collector {ServerExtensions}", dir);
        OpenSsl("x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -copy_extensions copy -days 365 -out server.crt", dir);
        OpenSsl($"req {NewKey} -keyout client.key -out client.csr -subj /CN=otel-client {ClientExtensions}", dir);
        OpenSsl("x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -copy_extensions copy -days 365 -out client.crt", dir);
    }

    private static void InProcessWithFiles(string dir)
    {
        var (ca, server, client) = CertificateBenchmarks.IssueThree();
        CertificateFiles.Write(ca, CertificateOutput.For(dir, "ca", includePkcs12: false), null, force: true);
        CertificateFiles.Write(server, CertificateOutput.For(dir, "server", includePkcs12: false), null, force: true);
        CertificateFiles.Write(client, CertificateOutput.For(dir, "client", includePkcs12: false), null, force: true);
    }

    private static string OpenSsl(string arguments, string dir)
    {
        var start = new ProcessStartInfo("openssl", arguments)
        {
            WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("openssl did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(30_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("openssl " + arguments);
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"openssl {arguments} failed ({process.ExitCode}): {error.Result}");
        }

        return output.Result;
    }
}
