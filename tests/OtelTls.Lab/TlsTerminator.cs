using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Org.BouncyCastle.Tls;

namespace OtelTls.Lab;

/// <summary>
/// Terminates TLS with a BouncyCastle server (non-blocking mode, so reads and writes never race inside the protocol)
/// and relays the plaintext to the scenario's Kestrel receiver: h2 to its HTTP/2 (h2c) port, anything else to its
/// HTTP/1.1 port. Used where the TLS behaviour must be a collector's, not SslStream's (client-certificate alerts).
/// </summary>
internal sealed class TlsTerminator
{
    private readonly Func<BcLabTlsServer> createServer;
    private readonly int http2Port;
    private readonly int http1Port;
    private readonly Action<string>? log;
    private readonly string name;

    public TlsTerminator(string name, Func<BcLabTlsServer> createServer, int http2Port, int http1Port, Action<string>? log)
    {
        this.name = name;
        this.createServer = createServer;
        this.http2Port = http2Port;
        this.http1Port = http1Port;
        this.log = log;
    }

    public async Task ServeAsync(Socket client, CancellationToken token)
    {
        var server = createServer();
        var protocol = new TlsServerProtocol();
        var gate = new SemaphoreSlim(1, 1);
        Socket? backend = null;
        Task? backendPump = null;
        var buffer = new byte[16 * 1024];
        try
        {
            protocol.Accept(server);
            while (!token.IsCancellationRequested)
            {
                var read = await client.ReceiveAsync(buffer, SocketFlags.None, token).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                byte[] plaintext;
                await gate.WaitAsync(token).ConfigureAwait(false);
                try
                {
                    try
                    {
                        protocol.OfferInput(buffer, 0, read);
                    }
                    finally
                    {
                        // Whatever BouncyCastle queued, including a fatal alert it raised, goes out before we close.
                        await FlushAsync(protocol, client, token).ConfigureAwait(false);
                    }

                    plaintext = new byte[protocol.GetAvailableInputBytes()];
                    if (plaintext.Length > 0)
                    {
                        protocol.ReadInput(plaintext, 0, plaintext.Length);
                    }

                    if (server.HandshakeCompleted && backend is null)
                    {
                        backend = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                        await backend.ConnectAsync(new IPEndPoint(IPAddress.Loopback, server.SelectedProtocol == "h2" ? http2Port : http1Port), token)
                            .ConfigureAwait(false);
                        backendPump = PumpBackendAsync(backend, protocol, client, gate, token);
                        log?.Invoke($"{name}: handshake completed, ALPN {server.SelectedProtocol ?? "(none)"}");
                    }
                }
                finally
                {
                    gate.Release();
                }

                if (plaintext.Length > 0 && backend is not null)
                {
                    await backend.SendAsync(plaintext, SocketFlags.None, token).ConfigureAwait(false);
                }

                if (protocol.IsClosed)
                {
                    break;
                }
            }
        }
        catch (TlsFatalAlert e)
        {
            log?.Invoke($"{name}: sent alert {AlertDescription.GetText(e.AlertDescription)}{(server.RefusalReason is null ? "" : " (" + server.RefusalReason + ")")}");
            await LingerAsync(client, token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException or TlsException)
        {
        }
        finally
        {
            backend?.Close();
            if (backendPump is not null)
            {
                await Task.WhenAny(backendPump, Task.Delay(2000)).ConfigureAwait(false);
            }

            client.Close();
        }
    }

    // After a fatal alert: send FIN and read what the client still sends (bounded), so closing does not turn into an RST
    // that would discard the alert before the client reads it (a client that already sent its request would see
    // "connection reset" instead of the alert).
    internal static async Task LingerAsync(Socket socket, CancellationToken token)
    {
        try
        {
            socket.Shutdown(SocketShutdown.Send);
            using var linger = CancellationTokenSource.CreateLinkedTokenSource(token);
            linger.CancelAfter(TimeSpan.FromSeconds(1));
            var sink = new byte[4096];
            while (await socket.ReceiveAsync(sink, SocketFlags.None, linger.Token).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private static async Task PumpBackendAsync(Socket backend, TlsServerProtocol protocol, Socket client, SemaphoreSlim gate, CancellationToken token)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await backend.ReceiveAsync(buffer, SocketFlags.None, token).ConfigureAwait(false)) > 0)
            {
                await gate.WaitAsync(token).ConfigureAwait(false);
                try
                {
                    protocol.WriteApplicationData(buffer, 0, read);
                    await FlushAsync(protocol, client, token).ConfigureAwait(false);
                }
                finally
                {
                    gate.Release();
                }
            }

            // The receiver closed: close TLS properly, then the socket.
            await gate.WaitAsync(token).ConfigureAwait(false);
            try
            {
                protocol.Close();
                await FlushAsync(protocol, client, token).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }

            client.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException or TlsException)
        {
            try
            {
                client.Close();
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    private static async Task FlushAsync(TlsServerProtocol protocol, Socket client, CancellationToken token)
    {
        var available = protocol.GetAvailableOutputBytes();
        if (available == 0)
        {
            return;
        }

        var output = new byte[available];
        protocol.ReadOutput(output, 0, available);
        await client.SendAsync(output, SocketFlags.None, token).ConfigureAwait(false);
    }
}
