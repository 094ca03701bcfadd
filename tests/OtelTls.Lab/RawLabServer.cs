using System;
using System.Collections.Concurrent;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Org.BouncyCastle.Tls;
using OtelTls.Engine.Certificates;

namespace OtelTls.Lab;

/// <summary>
/// A TCP listener on 127.0.0.1 for the scenarios Kestrel cannot play: BouncyCastle TLS servers and misbehaving sockets.
/// Every accepted socket is tracked and closed on dispose, so no thread outlives the scenario.
/// </summary>
internal sealed class RawLabServer : IAsyncDisposable
{
    private const int CloseMidHandshakeBytes = 40;
    private readonly TcpListener listener;
    private readonly ScenarioDefinition definition;
    private readonly IssuedCertificate? bcCredentials;
    private readonly TimeSpan slowInterval;
    private readonly Action<string>? log;
    private readonly CancellationTokenSource stopping = new();
    private readonly ConcurrentDictionary<Socket, Task> connections = new();
    private readonly Task acceptLoop;
    private readonly Func<Socket, CancellationToken, Task>? handler;

    private RawLabServer(TcpListener listener, ScenarioDefinition definition, IssuedCertificate? bcCredentials, TimeSpan slowInterval, Action<string>? log,
        Func<Socket, CancellationToken, Task>? handler)
    {
        this.handler = handler;
        this.listener = listener;
        this.definition = definition;
        this.bcCredentials = bcCredentials;
        this.slowInterval = slowInterval;
        this.log = log;
        acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>Listens; <paramref name="handler"/>, when given, serves every connection instead of the scenario kind's own.</summary>
    public static RawLabServer Start(int port, ScenarioDefinition definition, IssuedCertificate? bcCredentials, TimeSpan slowInterval, Action<string>? log,
        Func<Socket, CancellationToken, Task>? handler = null)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        return new RawLabServer(listener, definition, bcCredentials, slowInterval, log, handler);
    }

    public async ValueTask DisposeAsync()
    {
        stopping.Cancel();
        listener.Stop();
        foreach (var socket in connections.Keys)
        {
            CloseQuietly(socket);
        }

        try
        {
            await acceptLoop.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            await Task.WhenAll(connections.Values).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }

        stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptSocketAsync(stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            socket.NoDelay = true;
            var blocking = handler is null && definition.IsBouncyCastle;
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var task = blocking
                ? Task.Factory.StartNew(async () => { await gate.Task.ConfigureAwait(false); Serve(socket); }, TaskCreationOptions.LongRunning).Unwrap()
                : Task.Run(async () => { await gate.Task.ConfigureAwait(false); await ServeAsync(socket).ConfigureAwait(false); });
            connections[socket] = task;
            gate.SetResult();
            _ = task.ContinueWith(_ => connections.TryRemove(socket, out Task? _), TaskScheduler.Default);
            if (stopping.IsCancellationRequested)
            {
                CloseQuietly(socket);
            }
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        var token = stopping.Token;
        if (handler is not null)
        {
            await handler(socket, token).ConfigureAwait(false);
            CloseQuietly(socket);
            return;
        }

        try
        {
            switch (definition.Kind)
            {
                case ServerKind.Silent:
                    log?.Invoke("silent: accepted a connection, saying nothing");
                    await Task.Delay(Timeout.Infinite, token).ConfigureAwait(false);
                    break;
                case ServerKind.Garbage:
                    await ReadClientHelloAsync(socket, token).ConfigureAwait(false);
                    await socket.SendAsync(GarbageBytes(), SocketFlags.None, token).ConfigureAwait(false);
                    log?.Invoke("garbage: answered the ClientHello with 64 non-TLS bytes");
                    socket.Shutdown(SocketShutdown.Both);
                    break;
                case ServerKind.Reset:
                    await ReadClientHelloAsync(socket, token).ConfigureAwait(false);
                    log?.Invoke("reset: read the ClientHello, resetting the connection");
                    socket.LingerState = new LingerOption(true, 0);
                    break;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or IOException)
        {
        }
        finally
        {
            CloseQuietly(socket);
        }
    }

    // Blocking BouncyCastle handshakes, one dedicated thread each; closing the socket (dispose) ends them.
    private void Serve(Socket socket)
    {
        // Read once: the source may be disposed while this thread still winds down.
        var token = stopping.Token;
        try
        {
            socket.ReceiveTimeout = 60_000;
            socket.SendTimeout = 60_000;
            Stream stream = new NetworkStream(socket, ownsSocket: false);
            if (definition.Kind == ServerKind.Slow)
            {
                stream = new ShapedStream(stream, socket, slowInterval, -1, token);
            }
            else if (definition.Kind == ServerKind.CloseMidHandshake)
            {
                stream = new ShapedStream(stream, socket, TimeSpan.Zero, CloseMidHandshakeBytes, token);
            }

            var protocol = new TlsServerProtocol(stream);
            var server = new BcLabTlsServer(definition.BcVersions ?? ProtocolVersion.TLSv12.Only(), definition.BcCipherSuites, definition.BcAlert, bcCredentials!);
            protocol.Accept(server);
            log?.Invoke($"{definition.Info.Name}: handshake completed ({server.GetType().Name})");
            var buffer = new byte[4096];
            while (protocol.Stream.Read(buffer, 0, buffer.Length) > 0)
            {
            }

            protocol.Close();
        }
        catch (TlsFatalAlert e)
        {
            log?.Invoke($"{definition.Info.Name}: sent alert {AlertDescription.GetText(e.AlertDescription)}");
            TlsTerminator.LingerAsync(socket, token).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException or TlsException)
        {
            log?.Invoke($"{definition.Info.Name}: connection ended ({e.GetType().Name}: {e.Message})");
        }
        finally
        {
            CloseQuietly(socket);
        }
    }

    // Waits (bounded) for the client's first bytes, so the reply provably answers a ClientHello.
    private static async Task ReadClientHelloAsync(Socket socket, CancellationToken token)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        var buffer = new byte[16 * 1024];
        try
        {
            await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!token.IsCancellationRequested)
        {
        }
    }

    // Neither a TLS record (0x14-0x18, 0x03 0x0X) nor "HTTP/": fixed so that tests and people see the same bytes.
    internal static byte[] GarbageBytes()
    {
        var bytes = new byte[64];
        new Random(4317).NextBytes(bytes);
        bytes[0] = 0x7F;
        bytes[1] = 0xEE;
        bytes[2] = 0x42;
        return bytes;
    }

    private static void CloseQuietly(Socket socket)
    {
        try
        {
            socket.Close();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Writes one byte per interval (slow), or cuts the connection after a number of bytes (close mid-handshake).</summary>
    private sealed class ShapedStream : Stream
    {
        private readonly Stream inner;
        private readonly Socket socket;
        private readonly TimeSpan interval;
        private readonly int cutAfter;
        private readonly CancellationToken token;
        private long written;

        public ShapedStream(Stream inner, Socket socket, TimeSpan interval, int cutAfter, CancellationToken token)
        {
            this.inner = inner;
            this.socket = socket;
            this.interval = interval;
            this.cutAfter = cutAfter;
            this.token = token;
        }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override void Write(byte[] buffer, int offset, int count)
        {
            for (var i = 0; i < count; i++)
            {
                if (cutAfter >= 0 && written >= cutAfter)
                {
                    // A clean FIN in the middle of the server's flight.
                    socket.Shutdown(SocketShutdown.Both);
                    socket.Close();
                    throw new IOException($"Closed after {cutAfter} bytes of the handshake, as the scenario asks.");
                }

                if (interval > TimeSpan.Zero)
                {
                    inner.Write(buffer, offset + i, 1);
                    inner.Flush();
                    if (token.WaitHandle.WaitOne(interval))
                    {
                        throw new OperationCanceledException(token);
                    }
                }
                else
                {
                    var chunk = cutAfter >= 0 ? (int)Math.Min(count - i, cutAfter - written) : count - i;
                    inner.Write(buffer, offset + i, chunk);
                    written += chunk;
                    i += chunk - 1;
                    continue;
                }

                written++;
            }
        }

        public override void Flush() => inner.Flush();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
