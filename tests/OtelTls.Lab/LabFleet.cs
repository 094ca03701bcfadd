using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace OtelTls.Lab;

/// <summary>
/// Many endpoints at once for throughput tests: ONE Kestrel host listening on <c>count</c> ephemeral 127.0.0.1 ports,
/// all serving the same Kestrel TLS scenario (default healthy) and sharing one receiver. Client-certificate scenarios are
/// served by Kestrel's own TLS here (no BouncyCastle terminator): a refused client sees the connection close, not an alert.
/// </summary>
public sealed class LabFleet : IAsyncDisposable
{
    private readonly KestrelLabServer host;
    private readonly OtlpReceiver receiver;

    private LabFleet(KestrelLabServer host, OtlpReceiver receiver, string directory, LabScenarioInfo info)
    {
        this.host = host;
        this.receiver = receiver;
        Directory = directory;
        Info = info;
        Endpoints = host.Ports.Select(p => $"127.0.0.1:{p}").ToList();
    }

    /// <summary>The scenario every endpoint serves.</summary>
    public LabScenarioInfo Info { get; }

    /// <summary><c>127.0.0.1:&lt;port&gt;</c>, one per listening port.</summary>
    public IReadOnlyList<string> Endpoints { get; }

    /// <summary>Temporary directory with the files below; deleted on dispose.</summary>
    public string Directory { get; }

    /// <summary>The root CA of the scenario's chain, which a client should trust.</summary>
    public string CaFile => Path.Combine(Directory, "ca.crt");

    /// <summary>A client certificate from the lab root CA.</summary>
    public string ClientCertificateFile => Path.Combine(Directory, "client.crt");

    /// <summary>The key of <see cref="ClientCertificateFile"/>.</summary>
    public string ClientKeyFile => Path.Combine(Directory, "client.key");

    /// <summary>Spans received on all endpoints together.</summary>
    public int ReceivedSpanCount => receiver.SpanCount;

    /// <summary>Export requests received on all endpoints together.</summary>
    public int ExportRequestCount => receiver.ExportRequestCount;

    /// <summary>Starts one host with <paramref name="count"/> listeners serving a Kestrel TLS scenario.</summary>
    public static async Task<LabFleet> StartAsync(int count, string scenario = "healthy")
    {
        if (count < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "A fleet needs at least one endpoint.");
        }

        var definition = ScenarioCatalog.Find(scenario);
        if (definition.Kind != ServerKind.KestrelTls || definition.RequiredHeaderName is not null)
        {
            throw new ArgumentException($"A fleet serves Kestrel TLS scenarios without secrets; '{scenario}' is not one.", nameof(scenario));
        }

        var directory = LabScenario.NewDirectory("fleet");
        try
        {
            var pki = LabPki.Shared;
            var files = new LabFiles(directory);
            files.WriteClientFiles(definition, pki);
            var server = pki.IssueServer(definition.Leaf, definition.Chain);
            files.WriteChain("server.crt", server, definition.SendIntermediate);
            var tls = LabScenario.KestrelTls(definition, server, LabScenario.ClientAuthorities(definition, null, pki));
            var receiver = new OtlpReceiver(definition.Otlp, null, null, null);
            var host = await KestrelLabServer.StartAsync(Enumerable.Repeat((0, HttpProtocols.Http1AndHttp2), count).ToList(), tls, receiver, default)
                .ConfigureAwait(false);
            return new LabFleet(host, receiver, directory, definition.Info);
        }
        catch
        {
            LabScenario.DeleteDirectory(directory);
            throw;
        }
    }

    /// <summary>Stops the host and deletes <see cref="Directory"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        await host.DisposeAsync().ConfigureAwait(false);
        LabScenario.DeleteDirectory(Directory);
    }
}
