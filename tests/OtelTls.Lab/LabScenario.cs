using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Org.BouncyCastle.Tls;
using OtelTls.Engine.Certificates;

namespace OtelTls.Lab;

/// <summary>
/// One running lab scenario: a real server on 127.0.0.1 that reproduces one finding of the diagnosis catalog, with the
/// files a client needs (root CA, client certificate and key) in a temporary <see cref="Directory"/>.
/// Dispose stops the server and deletes the directory.
/// </summary>
public sealed class LabScenario : IAsyncDisposable, IDisposable
{
    private readonly KestrelLabServer? kestrel;
    private readonly RawLabServer? raw;
    private readonly OtlpReceiver? receiver;
    private int disposed;

    private LabScenario(LabScenarioInfo info, int port, string directory, string? headerName, string? headerValue,
        KestrelLabServer? kestrel, RawLabServer? raw, OtlpReceiver? receiver)
    {
        Info = info;
        Port = port;
        Directory = directory;
        RequiredHeaderName = headerName;
        RequiredHeaderValue = headerValue;
        this.kestrel = kestrel;
        this.raw = raw;
        this.receiver = receiver;
    }

    /// <summary>Every scenario, in catalog order.</summary>
    public static IReadOnlyList<LabScenarioInfo> All => ScenarioCatalog.Infos;

    /// <summary>What this scenario reproduces and how a client must be configured.</summary>
    public LabScenarioInfo Info { get; }

    /// <summary>Always <c>127.0.0.1</c>.</summary>
    public string Host => "127.0.0.1";

    /// <summary>The listening port.</summary>
    public int Port { get; }

    /// <summary><c>127.0.0.1:&lt;port&gt;</c>: what a user pastes.</summary>
    public string Endpoint => $"{Host}:{Port}";

    /// <summary>Temporary directory holding the files below; deleted on dispose.</summary>
    public string Directory { get; }

    /// <summary>The lab root CA (PEM) a client should trust.</summary>
    public string CaFile => Path.Combine(Directory, "ca.crt");

    /// <summary>A client certificate (clientAuth) from the lab root CA; for mtls-wrong-client-ca, from an unrelated CA.</summary>
    public string ClientCertificateFile => Path.Combine(Directory, "client.crt");

    /// <summary>The key of <see cref="ClientCertificateFile"/> (PKCS#8 PEM, owner-only).</summary>
    public string ClientKeyFile => Path.Combine(Directory, "client.key");

    /// <summary>The lab intermediate CA (PEM) that issues the server leaves (what missing-intermediate leaves out).</summary>
    public string IntermediateCaFile => Path.Combine(Directory, "intermediate.crt");

    /// <summary>The certificate chain the server sends (PEM), for people reading it with openssl.</summary>
    public string ServerCertificateFile => Path.Combine(Directory, "server.crt");

    /// <summary>Header the unauthenticated scenarios require; null elsewhere.</summary>
    public string? RequiredHeaderName { get; }

    /// <summary>Value of <see cref="RequiredHeaderName"/>; random per run.</summary>
    public string? RequiredHeaderValue { get; }

    /// <summary>Spans decoded from accepted trace exports (gRPC and HTTP).</summary>
    public int ReceivedSpanCount => receiver?.SpanCount ?? 0;

    /// <summary>Metrics decoded from accepted metric exports.</summary>
    public int ReceivedMetricCount => receiver?.MetricCount ?? 0;

    /// <summary>Log records decoded from accepted log exports.</summary>
    public int ReceivedLogRecordCount => receiver?.LogRecordCount ?? 0;

    /// <summary>Distinct trace ids (lowercase hex) of the received spans.</summary>
    public IReadOnlyCollection<string> ReceivedTraceIds => receiver?.TraceIds ?? Array.Empty<string>();

    /// <summary>Export requests decoded and answered (any signal, either protocol).</summary>
    public int ExportRequestCount => receiver?.ExportRequestCount ?? 0;

    /// <summary>Items the partial-success scenario reported as rejected.</summary>
    public int RejectedItemCount => receiver?.RejectedCount ?? 0;

    /// <summary>Starts a scenario by name on 127.0.0.1 (ephemeral port unless <see cref="LabOptions.Port"/>).</summary>
    public static async Task<LabScenario> StartAsync(string name, LabOptions? options = null, CancellationToken cancellationToken = default)
    {
        var definition = ScenarioCatalog.Find(name);
        options ??= new LabOptions();
        var directory = NewDirectory(definition.Info.Name);
        try
        {
            return await StartInAsync(definition, options, directory, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            DeleteDirectory(directory);
            throw;
        }
    }

    private static async Task<LabScenario> StartInAsync(ScenarioDefinition definition, LabOptions options, string directory, CancellationToken cancellationToken)
    {
        var pki = LabPki.Shared;
        var files = new LabFiles(directory);
        files.WriteClientFiles(definition, pki);
        files.WriteCertificate("intermediate.crt", pki.IntermediateOf(definition.Chain));

        string? headerValue = null;
        if (definition.RequiredHeaderName is not null)
        {
            var secret = Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant();
            headerValue = definition.RequiredHeaderName == "authorization" ? "Bearer lab-" + secret : "lab-" + secret;
        }

        var log = options.Log;
        if (definition.HostilePki is not null)
        {
            // Served by BouncyCastle, which sends any chain: OpenSSL-based servers refuse to load weak or odd certificates.
            var pkiFiles = HostilePki.Get(definition.HostilePki);
            File.WriteAllText(files.PathOf("ca.crt"), pkiFiles.RootPem);
            File.WriteAllText(files.PathOf("server.crt"), pkiFiles.ChainPem);
            File.WriteAllText(files.PathOf("server.key"), string.Empty);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(files.PathOf("server.key"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            File.WriteAllText(files.PathOf("server.key"), pkiFiles.KeyPem);
            var hostileServer = IssuedCertificate.Load(files.PathOf("server.crt"), files.PathOf("server.key"));
            var hostileReceiver = new OtlpReceiver(definition.Otlp, null, null, log);
            return await StartTerminatedAsync(definition, options, directory, null,
                KestrelTls(definition, hostileServer, Array.Empty<X509Certificate2>()), hostileReceiver, cancellationToken).ConfigureAwait(false);
        }

        if (definition.IsKestrel)
        {
            var receiver = new OtlpReceiver(definition.Otlp, definition.RequiredHeaderName, headerValue, log);
            KestrelTlsSettings? tls = null;
            var protocols = HttpProtocols.Http1AndHttp2;
            if (definition.Kind == ServerKind.KestrelTls)
            {
                var server = ServerCertificate(definition, options, pki);
                files.WriteChain("server.crt", server, definition.SendIntermediate);
                tls = KestrelTls(definition, server, ClientAuthorities(definition, options.ClientCaFile, pki));
                if (options.MinimumTlsVersion == SslProtocols.Tls13)
                {
                    tls = new KestrelTlsSettings
                    {
                        ServerCertificate = tls.ServerCertificate, SendIntermediates = tls.SendIntermediates, ClientCertificate = tls.ClientCertificate,
                        ClientCertificateAuthorities = tls.ClientCertificateAuthorities, SslProtocols = SslProtocols.Tls13, Alpn = tls.Alpn,
                    };
                }
            }
            else
            {
                protocols = definition.Kind == ServerKind.KestrelH2c ? HttpProtocols.Http2 : HttpProtocols.Http1;
            }

            if (tls is not null && tls.ClientCertificate != ClientCertificateMode.None)
            {
                return await StartTerminatedAsync(definition, options, directory, headerValue, tls, receiver, cancellationToken).ConfigureAwait(false);
            }

            var host = await KestrelLabServer.StartAsync(new[] { (options.Port, protocols) }, tls, receiver, cancellationToken).ConfigureAwait(false);
            return new LabScenario(definition.Info, host.Ports[0], directory, definition.RequiredHeaderName, headerValue, host, null, receiver);
        }

        IssuedCertificate? bcCredentials = null;
        if (definition.IsBouncyCastle)
        {
            bcCredentials = pki.RsaLeaf;
            files.WriteChain("server.crt", bcCredentials, sendIntermediates: true);
        }

        var rawServer = RawLabServer.Start(options.Port, definition, bcCredentials, options.SlowByteInterval, log);
        return new LabScenario(definition.Info, rawServer.Port, directory, null, null, null, rawServer, null);
    }

    // Client-certificate scenarios: BouncyCastle terminates TLS (so refusals carry the alert a Go collector sends:
    // SslStream on Linux just closes) and relays to a plaintext Kestrel receiver (h2c for h2, HTTP/1.1 otherwise).
    private static async Task<LabScenario> StartTerminatedAsync(ScenarioDefinition definition, LabOptions options, string directory,
        string? headerValue, KestrelTlsSettings tls, OtlpReceiver receiver, CancellationToken cancellationToken)
    {
        var host = await KestrelLabServer.StartAsync(new[] { (0, HttpProtocols.Http2), (0, HttpProtocols.Http1) }, null, receiver, cancellationToken)
            .ConfigureAwait(false);
        try
        {
            var versions = (options.MinimumTlsVersion == SslProtocols.Tls13 ? SslProtocols.Tls13 : definition.SslProtocols) switch
            {
                SslProtocols.Tls12 => ProtocolVersion.TLSv12.Only(),
                SslProtocols.Tls13 => ProtocolVersion.TLSv13.Only(),
                _ => ProtocolVersion.TLSv13.DownTo(ProtocolVersion.TLSv12),
            };
            var clientAuth = new BcClientAuth { Mode = tls.ClientCertificate, Authorities = tls.ClientCertificateAuthorities };
            var chain = tls.SendIntermediates
                ? tls.ServerCertificate
                : new IssuedCertificate(tls.ServerCertificate.Certificate, tls.ServerCertificate.PrivateKey, Array.Empty<Org.BouncyCastle.X509.X509Certificate>());
            var terminator = new TlsTerminator(definition.Info.Name,
                () => new BcLabTlsServer(versions, null, null, chain, new[] { ProtocolName.Http_2_Tls, ProtocolName.Http_1_1 }, clientAuth),
                host.Ports[0], host.Ports[1], options.Log);
            var front = RawLabServer.Start(options.Port, definition, null, options.SlowByteInterval, options.Log, terminator.ServeAsync);
            return new LabScenario(definition.Info, front.Port, directory, definition.RequiredHeaderName, headerValue, host, front, receiver);
        }
        catch
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static IssuedCertificate ServerCertificate(ScenarioDefinition definition, LabOptions options, LabPki pki)
    {
        if (!string.IsNullOrEmpty(options.ServerCertificateFile))
        {
            return IssuedCertificate.Load(options.ServerCertificateFile!, options.ServerKeyFile);
        }

        return pki.IssueServer(definition.Leaf, definition.Chain);
    }

    /// <summary>The Kestrel TLS settings a scenario definition asks for, serving <paramref name="server"/>.</summary>
    internal static KestrelTlsSettings KestrelTls(ScenarioDefinition definition, IssuedCertificate server, IReadOnlyList<X509Certificate2> clientAuthorities) => new()
    {
        ServerCertificate = server,
        SendIntermediates = definition.SendIntermediate,
        ClientCertificate = definition.ClientCertificate,
        ClientCertificateAuthorities = clientAuthorities,
        SslProtocols = definition.SslProtocols,
        Alpn = definition.Alpn,
    };

    /// <summary>
    /// The CAs a client-certificate scenario trusts: <paramref name="clientCaFile"/> when given, else the lab root (and its
    /// intermediate when the scenario says so); none without client certificates.
    /// </summary>
    internal static IReadOnlyList<X509Certificate2> ClientAuthorities(ScenarioDefinition definition, string? clientCaFile, LabPki pki)
    {
        if (definition.ClientCertificate == ClientCertificateMode.None)
        {
            return Array.Empty<X509Certificate2>();
        }

        if (!string.IsNullOrEmpty(clientCaFile))
        {
            var collection = new X509Certificate2Collection();
            collection.ImportFromPemFile(clientCaFile!);
            return collection.ToList();
        }

        var root = X509CertificateLoader.LoadCertificate(pki.Root.Certificate.GetEncoded());
        return definition.ClientCaIncludesIntermediate
            ? new[] { root, X509CertificateLoader.LoadCertificate(pki.Intermediate.Certificate.GetEncoded()) }
            : new[] { root };
    }

    /// <summary>Stops the server (bounded) and deletes <see cref="Directory"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        if (raw is not null)
        {
            await raw.DisposeAsync().ConfigureAwait(false);
        }

        if (kestrel is not null)
        {
            await kestrel.DisposeAsync().ConfigureAwait(false);
        }

        DeleteDirectory(Directory);
    }

    /// <summary>Synchronous <see cref="DisposeAsync"/>.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <inheritdoc/>
    public override string ToString() => $"{Info.Name} at {Endpoint}";

    /// <summary>The prefix of every lab folder in the temp directory.</summary>
    public const string DirectoryPrefix = "oteltls-lab-";

    /// <summary>
    /// A new owner-only temporary directory <c>oteltls-lab-&lt;label&gt;-p&lt;pid&gt;-&lt;random&gt;</c>. The process id in
    /// the name lets every later start remove the folders (holding private keys) of lab processes that were killed
    /// (SIGKILL, a crashed test host), which could not remove them themselves.
    /// </summary>
    internal static string NewDirectory(string label)
    {
        RemoveOrphanedDirectories();
        var directory = Path.Combine(Path.GetTempPath(), $"{DirectoryPrefix}{label}-p{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}");
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(directory);
        }
        else
        {
            System.IO.Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return directory;
    }

    /// <summary>Deletes lab folders whose owning process (the <c>p&lt;pid&gt;</c> in the name) no longer runs.</summary>
    /// <returns>The folders removed.</returns>
    public static IReadOnlyList<string> RemoveOrphanedDirectories()
    {
        var removed = new List<string>();
        string[] candidates;
        try
        {
            candidates = System.IO.Directory.GetDirectories(Path.GetTempPath(), DirectoryPrefix + "*");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return removed;
        }

        foreach (var directory in candidates)
        {
            var match = OwnerPattern.Match(Path.GetFileName(directory));
            if (match.Success && int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && !IsRunning(pid))
            {
                DeleteDirectory(directory);
                if (!System.IO.Directory.Exists(directory))
                {
                    removed.Add(directory);
                }
            }
        }

        return removed;
    }

    private static readonly Regex OwnerPattern = new(@"-p(\d+)-[0-9a-f]{8}$", RegexOptions.CultureInvariant);

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    internal static void DeleteDirectory(string directory)
    {
        try
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>Writes the scenario files with the engine's owner-only, atomic writer.</summary>
internal sealed class LabFiles
{
    private readonly string directory;

    public LabFiles(string directory) => this.directory = directory;

    /// <summary>ca.crt (the root of the scenario's chain) and the scenario's client.crt/client.key: what every client configuration uses.</summary>
    public void WriteClientFiles(ScenarioDefinition definition, LabPki pki)
    {
        WriteCertificate("ca.crt", pki.RootOf(definition.Chain));
        WriteCertificateAndKey("client", definition.ClientCertificateFromOtherCa ? pki.OtherClient
            : definition.ClientCertificateFromIntermediate ? pki.ClientFromIntermediate : pki.Client);
    }

    public string PathOf(string name) => Path.Combine(directory, name);

    public void WriteCertificate(string name, IssuedCertificate certificate) =>
        File.WriteAllText(Path.Combine(directory, name), certificate.CertificatePem);

    public void WriteChain(string name, IssuedCertificate certificate, bool sendIntermediates) =>
        File.WriteAllText(Path.Combine(directory, name), sendIntermediates ? certificate.ChainPem : certificate.CertificatePem);

    public void WriteCertificateAndKey(string baseName, IssuedCertificate certificate) =>
        CertificateFiles.WriteCertificateAndKey(certificate, Path.Combine(directory, baseName + ".crt"), Path.Combine(directory, baseName + ".key"), force: true);
}
