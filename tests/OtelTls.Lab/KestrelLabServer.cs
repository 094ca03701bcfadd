using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OtelTls.Engine.Certificates;

namespace OtelTls.Lab;

/// <summary>How a Kestrel lab host terminates TLS (null for the plaintext scenarios).</summary>
internal sealed class KestrelTlsSettings
{
    public required IssuedCertificate ServerCertificate { get; init; }

    public bool SendIntermediates { get; init; } = true;

    public ClientCertificateMode ClientCertificate { get; init; }

    /// <summary>CAs whose client certificates are accepted (also named in the CertificateRequest).</summary>
    public IReadOnlyList<X509Certificate2> ClientCertificateAuthorities { get; init; } = Array.Empty<X509Certificate2>();

    public SslProtocols SslProtocols { get; init; } = SslProtocols.None;

    /// <summary>null = Kestrel chooses (h2, http/1.1); empty = no ALPN.</summary>
    public string[]? Alpn { get; init; }
}

/// <summary>A Kestrel host on one or more 127.0.0.1 ports running the OTLP receivers.</summary>
internal sealed class KestrelLabServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly List<IDisposable> ownedCertificates;

    private KestrelLabServer(WebApplication app, IReadOnlyList<int> ports, List<IDisposable> ownedCertificates)
    {
        this.app = app;
        Ports = ports;
        this.ownedCertificates = ownedCertificates;
    }

    public IReadOnlyList<int> Ports { get; }

    public static async Task<KestrelLabServer> StartAsync(IReadOnlyList<(int Port, HttpProtocols Protocols)> listeners, KestrelTlsSettings? tls,
        OtlpReceiver receiver, CancellationToken cancellationToken)
    {
        var owned = new List<IDisposable>();
        SslServerAuthenticationOptions? sslOptions = tls is null ? null : CreateSslOptions(tls, owned);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddSingleton<IHostLifetime, LabHostLifetime>();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Behind the TLS terminator the h2c receiver sees :scheme https; accept it.
            kestrel.AllowAlternateSchemes = true;
            foreach (var (port, protocols) in listeners)
            {
                kestrel.Listen(IPAddress.Loopback, port, listen =>
                {
                    listen.Protocols = protocols;
                    if (sslOptions is not null)
                    {
                        listen.UseHttps(new TlsHandshakeCallbackOptions
                        {
                            // A fresh copy per connection: SslStream must not share a mutable options object.
                            OnConnection = _ => new ValueTask<SslServerAuthenticationOptions>(Copy(sslOptions)),
                            HandshakeTimeout = TimeSpan.FromSeconds(10),
                        });
                    }
                });
            }
        });
        var app = builder.Build();
        app.Run(receiver.HandleAsync);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            owned.ForEach(d => d.Dispose());
            throw;
        }

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        var bound = addresses.Select(a => new Uri(a).Port).ToList();
        return new KestrelLabServer(app, bound, owned);
    }

    public async ValueTask DisposeAsync()
    {
        // A short grace period, then Kestrel aborts what is still open: a client holding a connection must not hold the test.
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(250));
        try
        {
            await app.StopAsync(stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        await app.DisposeAsync().ConfigureAwait(false);
        ownedCertificates.ForEach(d => d.Dispose());
    }

    private static SslServerAuthenticationOptions CreateSslOptions(KestrelTlsSettings tls, List<IDisposable> owned)
    {
        var leaf = X509Certificate2.CreateFromPem(tls.ServerCertificate.CertificatePem, tls.ServerCertificate.PrivateKeyPem);
        owned.Add(leaf);
        var intermediates = new X509Certificate2Collection();
        if (tls.SendIntermediates)
        {
            foreach (var intermediate in tls.ServerCertificate.Intermediates)
            {
                var certificate = X509CertificateLoader.LoadCertificate(intermediate.GetEncoded());
                owned.Add(certificate);
                intermediates.Add(certificate);
            }
        }

        SslCertificateTrust? trust = null;
        if (tls.ClientCertificate != ClientCertificateMode.None && tls.ClientCertificateAuthorities.Count > 0)
        {
            // Names the acceptable CAs in the CertificateRequest, as collectors configured with client_ca_file do.
            trust = SslCertificateTrust.CreateForX509Collection(new X509Certificate2Collection(tls.ClientCertificateAuthorities.ToArray()), sendTrustInHandshake: true);
        }

        var context = SslStreamCertificateContext.Create(leaf, intermediates, offline: true, trust);
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = context,
            EnabledSslProtocols = tls.SslProtocols,
            ClientCertificateRequired = tls.ClientCertificate != ClientCertificateMode.None,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        };
        if (tls.Alpn is not null)
        {
            options.ApplicationProtocols = tls.Alpn.Select(p => new SslApplicationProtocol(p)).ToList();
        }

        if (tls.ClientCertificate != ClientCertificateMode.None)
        {
            var mode = tls.ClientCertificate;
            var authorities = tls.ClientCertificateAuthorities;
            options.RemoteCertificateValidationCallback = (_, certificate, chain, _) => ValidateClient(certificate, chain, mode, authorities);
        }

        return options;
    }

    private static SslServerAuthenticationOptions Copy(SslServerAuthenticationOptions source) => new()
    {
        ServerCertificateContext = source.ServerCertificateContext,
        EnabledSslProtocols = source.EnabledSslProtocols,
        ClientCertificateRequired = source.ClientCertificateRequired,
        CertificateRevocationCheckMode = source.CertificateRevocationCheckMode,
        ApplicationProtocols = source.ApplicationProtocols?.ToList(),
        RemoteCertificateValidationCallback = source.RemoteCertificateValidationCallback,
    };

    // The server's own check of a client certificate: chains to one of the configured CAs, valid now, clientAuth. The
    // intermediates the client sent count, as they do for the collector (Go's crypto/tls uses the peer's chain).
    private static bool ValidateClient(X509Certificate? certificate, X509Chain? sent, ClientCertificateMode mode, IReadOnlyList<X509Certificate2> authorities)
    {
        if (certificate is null)
        {
            return mode != ClientCertificateMode.Require;
        }

        using var client = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities.ToArray());
        if (sent is not null)
        {
            chain.ChainPolicy.ExtraStore.AddRange(sent.ChainPolicy.ExtraStore);
        }

        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid("1.3.6.1.5.5.7.3.2"));
        return chain.Build(client);
    }
}
