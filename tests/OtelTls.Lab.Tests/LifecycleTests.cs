using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Security;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Xunit.Abstractions;

namespace OtelTls.Lab.Tests;

[CollectionDefinition(nameof(LifecycleCollection), DisableParallelization = true)]
public sealed class LifecycleCollection
{
}

/// <summary>Scenarios and fleets stop completely: no listening port, no thread, no temp directory left behind.</summary>
[Collection(nameof(LifecycleCollection))]
public sealed class LifecycleTests
{
    private readonly ITestOutputHelper output;

    public LifecycleTests(ITestOutputHelper output) => this.output = output;

    [Fact]
    public async Task FiftyScenariosStartedAndStoppedLeaveNoPortsThreadsOrFiles()
    {
        var names = LabScenario.All.Select(i => i.Name).ToList();
        // Warm up every server kind once, so JIT and pool threads that stay by design are counted in the baseline.
        foreach (var name in names)
        {
            await using var warm = await LabScenario.StartAsync(name);
            await PokeAsync(warm);
        }

        await Settle();
        var baseline = Process.GetCurrentProcess().Threads.Count;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 50; i++)
        {
            var scenario = await LabScenario.StartAsync(names[i % names.Count]);
            var port = scenario.Port;
            var directory = scenario.Directory;
            // A client holds a connection open while the scenario stops: dispose must not wait for it.
            using var held = new TcpClient();
            await held.ConnectAsync(scenario.Host, port);
            await PokeAsync(scenario);
            await scenario.DisposeAsync();
            await AssertRefusedAsync(port);
            Assert.False(Directory.Exists(directory), $"{directory} should be deleted");
        }

        watch.Stop();
        await Settle();
        var after = Process.GetCurrentProcess().Threads.Count;
        output.WriteLine($"50 start/poke/stop cycles: {watch.ElapsedMilliseconds} ms; threads {baseline} -> {after}");
        Assert.True(after <= baseline + 12, $"thread count grew from {baseline} to {after}");
    }

    [Fact]
    public async Task FleetListensOnEveryPortAndStopsCompletely()
    {
        var watch = Stopwatch.StartNew();
        var fleet = await LabFleet.StartAsync(200);
        var started = watch.ElapsedMilliseconds;
        Assert.Equal(200, fleet.Endpoints.Count);
        Assert.Equal(200, fleet.Endpoints.Distinct().Count());
        Assert.True(File.Exists(fleet.CaFile));
        // A sample of the endpoints really serves TLS with ALPN h2 and the lab chain.
        foreach (var endpoint in fleet.Endpoints.Where((_, i) => i % 40 == 0))
        {
            var port = int.Parse(endpoint.Split(':')[1]);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port, timeout.Token);
            using var ssl = new SslStream(client.GetStream());
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                ApplicationProtocols = new() { SslApplicationProtocol.Http2 },
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.Subject == "CN=localhost",
            }, timeout.Token);
            Assert.Equal(SslApplicationProtocol.Http2, ssl.NegotiatedApplicationProtocol);
        }

        await fleet.DisposeAsync();
        output.WriteLine($"fleet of 200: started in {started} ms, stopped after {watch.ElapsedMilliseconds} ms total");
        foreach (var endpoint in fleet.Endpoints.Where((_, i) => i % 20 == 0))
        {
            await AssertRefusedAsync(int.Parse(endpoint.Split(':')[1]));
        }

        Assert.False(Directory.Exists(fleet.Directory));
    }

    [Fact]
    public async Task UnknownScenarioNameIsAnArgumentErrorListingTheKnownOnes()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => LabScenario.StartAsync("no-such-scenario"));
        Assert.Contains("healthy", error.Message);
    }

    [Fact]
    public async Task ExplicitPortIsUsed()
    {
        int port;
        using (var probe = new TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        }

        await using var scenario = await LabScenario.StartAsync("silent", new LabOptions { Port = port });
        Assert.Equal(port, scenario.Port);
        Assert.Equal($"127.0.0.1:{port}", scenario.Endpoint);
    }

    // Opens a connection and sends a little, so per-connection work (threads, BouncyCastle handshakes) really happens.
    private static async Task PokeAsync(LabScenario scenario)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        using var client = new TcpClient();
        await client.ConnectAsync(scenario.Host, scenario.Port, timeout.Token);
        try
        {
            await client.GetStream().WriteAsync("\u0016\u0003\u0001\u0000\u0002hi"u8.ToArray(), timeout.Token);
            await client.GetStream().ReadAsync(new byte[64], timeout.Token).AsTask().WaitAsync(TimeSpan.FromMilliseconds(200));
        }
        catch (Exception e) when (e is IOException or TimeoutException or OperationCanceledException or SocketException)
        {
        }
    }

    private static async Task AssertRefusedAsync(int port)
    {
        using var client = new TcpClient();
        var error = await Assert.ThrowsAsync<SocketException>(() => client.ConnectAsync("127.0.0.1", port).WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);
    }

    private static async Task Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        await Task.Delay(1500);
    }
}
