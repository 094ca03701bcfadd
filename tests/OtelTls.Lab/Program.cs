using System;
using System.Globalization;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace OtelTls.Lab;

/// <summary>
/// <c>dotnet run --project tests/OtelTls.Lab -- --list</c> prints the scenarios;
/// <c>-- --scenario NAME [--port N]</c> runs one in the foreground until Ctrl+C (or SIGTERM).
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        if (args.Length == 0 || args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine("OtelTls lab: loopback servers that reproduce TLS/OTLP failures.");
            Console.WriteLine("  --list                         one line per scenario: name, expected finding, description");
            Console.WriteLine("  --scenario NAME [--port N]     run one scenario on 127.0.0.1 until Ctrl+C");
            return args.Length == 0 ? 2 : 0;
        }

        if (args.Contains("--list"))
        {
            var width = LabScenario.All.Max(s => s.Name.Length);
            var findingWidth = LabScenario.All.Max(s => (s.ExpectedFindingId ?? "(healthy)").Length);
            foreach (var info in LabScenario.All)
            {
                Console.WriteLine($"{info.Name.PadRight(width)}  {(info.ExpectedFindingId ?? "(healthy)").PadRight(findingWidth)}  {info.Description}");
            }

            return 0;
        }

        var name = Value(args, "--scenario");
        if (name is null)
        {
            Console.Error.WriteLine("Give --list or --scenario NAME.");
            return 2;
        }

        var options = new LabOptions { Log = line => Console.WriteLine($"{DateTime.Now:HH:mm:ss.fff}  {line}") };
        var port = Value(args, "--port");
        if (port is not null)
        {
            if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number > 65535)
            {
                Console.Error.WriteLine($"--port needs a port number (0-65535), not '{port}'.");
                return 2;
            }

            options.Port = number;
        }

        LabScenario scenario;
        try
        {
            scenario = await LabScenario.StartAsync(name, options);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }

        await using (scenario)
        {
            Print(scenario);
            using var stop = new CancellationTokenSource();
            Console.CancelKeyPress += (_, e) =>
            {
                e.Cancel = true;
                stop.Cancel();
            };

            // kill / timeout / a container stop send SIGTERM, a closed terminal SIGHUP, Ctrl+\ SIGQUIT: stop the same way,
            // deleting the scenario's files (they hold private keys). SIGKILL cannot be caught: the next lab start removes
            // the folders of lab processes that no longer run (LabScenario.RemoveOrphanedDirectories).
            void Stop(PosixSignalContext context)
            {
                context.Cancel = true;
                stop.Cancel();
            }

            using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            using var hangUp = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Stop);
            using var quit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, Stop);
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException)
            {
            }

            Console.WriteLine($"Stopping. Received {scenario.ExportRequestCount} export request(s), {scenario.ReceivedSpanCount} span(s).");
        }

        return 0;
    }

    private static void Print(LabScenario scenario)
    {
        var info = scenario.Info;
        var client = info.Client;
        Console.WriteLine($"Scenario    {info.Name}: {info.Description}");
        Console.WriteLine($"Expect      {info.ExpectedFindingId ?? "no finding"} (status {info.ExpectedStatus})");
        Console.WriteLine($"Endpoint    {scenario.Endpoint}");
        Console.WriteLine($"CA file     {scenario.CaFile}");
        Console.WriteLine($"Client cert {scenario.ClientCertificateFile}");
        Console.WriteLine($"Client key  {scenario.ClientKeyFile}");
        if (scenario.RequiredHeaderName is not null)
        {
            Console.WriteLine($"Header      {scenario.RequiredHeaderName}: {scenario.RequiredHeaderValue}");
        }

        var test = $"Test-OtlpTlsEndpoint {scenario.Endpoint}";
        if (client.Protocol != "grpc")
        {
            test += $" -Protocol {client.Protocol}";
        }

        if (client.UseCaFile)
        {
            test += $" -CaCertificate '{scenario.CaFile}'";
        }

        if (client.UseClientCertificate)
        {
            test += $" -ClientCertificate '{scenario.ClientCertificateFile}' -ClientKey '{scenario.ClientKeyFile}'";
        }

        if (client.ServerName is not null)
        {
            test += $" -ServerName {client.ServerName}";
        }

        if (client.TlsVersion is not null)
        {
            test += $" -TlsVersion {client.TlsVersion}";
        }

        var openssl = $"openssl s_client -connect {scenario.Endpoint} -servername {client.ServerName ?? "localhost"} -alpn h2,http/1.1";
        if (client.UseCaFile)
        {
            openssl += $" -CAfile {scenario.CaFile}";
        }

        if (client.UseClientCertificate)
        {
            openssl += $" -cert {scenario.ClientCertificateFile} -key {scenario.ClientKeyFile}";
        }

        if (client.TlsVersion == "Tls12")
        {
            openssl += " -tls1_2";
        }

        if (client.UseRequiredHeader && scenario.RequiredHeaderName is not null)
        {
            test += $" -Header @{{ '{scenario.RequiredHeaderName}' = '{scenario.RequiredHeaderValue}' }}";
        }

        Console.WriteLine($"Diagnose    {test}");
        if (!client.UseRequiredHeader && scenario.RequiredHeaderName is not null)
        {
            Console.WriteLine($"Fixed       {test} -Header @{{ '{scenario.RequiredHeaderName}' = '{scenario.RequiredHeaderValue}' }}");
        }
        Console.WriteLine($"By hand     {openssl} </dev/null");
        Console.WriteLine("Running; Ctrl+C stops.");
    }

    private static string? Value(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
