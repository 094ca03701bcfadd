using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace OtelTls.Tests;

public static class LoopbackPorts
{
    /// <summary>A port nothing listens on right now (bound, then released).</summary>
    public static int Free()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public static async Task WaitForListenerAsync(int port, Func<bool> failed, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && !failed())
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port).WaitAsync(TimeSpan.FromSeconds(1));
                return;
            }
            catch (Exception ex) when (ex is SocketException or TimeoutException)
            {
                await Task.Delay(50);
            }
        }

        throw new TimeoutException($"Nothing listened on 127.0.0.1:{port} within {timeout}.");
    }
}

/// <summary>
/// nginx as an independent TLS-terminating HTTP server on a loopback ephemeral port, in the foreground with all its
/// files in a temp folder; killed on dispose.
/// </summary>
public sealed class NginxServer : IDisposable
{
    private readonly Process _process;
    private readonly TempDirectory _directory;

    private NginxServer(Process process, TempDirectory directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public string Authority => $"127.0.0.1:{Port}";

    public static bool IsInstalled => File.Exists("/usr/sbin/nginx") || (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
        .Split(Path.PathSeparator).Any(p => File.Exists(Path.Combine(p, "nginx")));

    /// <summary>
    /// Starts nginx with one TLS server; <paramref name="locations"/> is the server block's body. With
    /// <paramref name="clientCaFile"/> it requires client certificates issued by those CAs.
    /// </summary>
    public static async Task<NginxServer> StartAsync(string certificateFile, string keyFile, string locations, bool http2 = false, string? clientCaFile = null)
    {
        Assert.True(IsInstalled, "nginx is not installed (apt-get install -y nginx-light; .ci/run does it).");
        var directory = new TempDirectory();
        var port = LoopbackPorts.Free();
        var d = directory.Path;
        var clientAuth = clientCaFile is not null ? $"ssl_client_certificate {clientCaFile}; ssl_verify_client on; ssl_verify_depth 3;" : string.Empty;
        var config = $$"""
            daemon off;
            master_process off;
            worker_processes 1;
            error_log {{d}}/error.log warn;
            pid {{d}}/nginx.pid;
            events { worker_connections 64; }
            http {
              access_log off;
              client_body_temp_path {{d}}/body;
              proxy_temp_path {{d}}/proxy;
              fastcgi_temp_path {{d}}/fastcgi;
              uwsgi_temp_path {{d}}/uwsgi;
              scgi_temp_path {{d}}/scgi;
              server {
                listen 127.0.0.1:{{port}} ssl{{(http2 ? " http2" : string.Empty)}};
                ssl_certificate {{certificateFile}};
                ssl_certificate_key {{keyFile}};
                {{clientAuth}}
                {{locations}}
              }
            }
            """;
        var configFile = directory.File("nginx.conf");
        File.WriteAllText(configFile, config);
        var start = new ProcessStartInfo("nginx", $"-p \"{d}\" -c \"{configFile}\"")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        var process = Process.Start(start)!;
        var server = new NginxServer(process, directory, port);
        try
        {
            await LoopbackPorts.WaitForListenerAsync(port, () => process.HasExited, TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            var log = File.Exists(directory.File("error.log")) ? File.ReadAllText(directory.File("error.log")) : string.Empty;
            server.Dispose();
            throw new InvalidOperationException("nginx did not start: " + log + process.StandardError.ReadToEnd());
        }

        return server;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        _directory.Dispose();
    }
}

/// <summary>A raw TCP server on loopback whose every connection runs a handler; stops on dispose.</summary>
internal sealed class RawServer : IDisposable
{
    private readonly TcpListener listener;
    private readonly CancellationTokenSource stop = new();

    private RawServer(Func<Socket, CancellationToken, Task> handler)
    {
        listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        _ = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                Socket socket;
                try
                {
                    socket = await listener.AcceptSocketAsync(stop.Token);
                }
                catch (Exception)
                {
                    return;
                }

                _ = Task.Run(async () =>
                {
                    using (socket)
                    {
                        try
                        {
                            await handler(socket, stop.Token);
                        }
                        catch (Exception)
                        {
                            // The peer went away or the server stopped: nothing to report.
                        }
                    }
                });
            }
        });
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public static RawServer Start(Func<Socket, CancellationToken, Task> handler) => new(handler);

    /// <summary>Accepts connections and never sends a byte (a hung proxy, a wrong service).</summary>
    public static RawServer Silent() => Start((_, token) => Task.Delay(Timeout.Infinite, token));

    public void Dispose()
    {
        stop.Cancel();
        listener.Stop();
        stop.Dispose();
    }
}
