using System;
using System.Globalization;
using System.IO;
using System.Linq;

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

            // Warm-up: page cache and openssl's config load for the process runs; tiered JIT for the in-process ones.
            var results = cases
                .Select(c => Timing.Measure(c.Name, iterations, c.Name.StartsWith("openssl", StringComparison.Ordinal) ? 2 : 50, c.Work))
                .ToList();

            var (inProcessMedian, inProcessMin) = (results[2].Median, results[2].Min);
            Console.WriteLine($"CA + server + client, ECDSA P-256, {iterations} iterations each, wall clock per set of three");
            Console.WriteLine($"{Timing.Machine}; {OpenSsl("version", directory).Trim()}");
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

    private static void InProcessWithFiles(string dir) => CertificateBenchmarks.WriteThree(CertificateBenchmarks.IssueThree(), dir);

    private static string OpenSsl(string arguments, string dir) => Tests.OpenSsl.Run(arguments, dir);
}
