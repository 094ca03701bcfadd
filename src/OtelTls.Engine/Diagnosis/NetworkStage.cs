using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace OtelTls.Engine.Diagnosis
{
    /// <summary>
    /// The network stage: DNS (all addresses), then a connection to each address in order until one answers, each bounded
    /// by the time left. The connected socket is handed to the TLS probe, so the measured connection is the probed one.
    /// </summary>
    internal static class NetworkStage
    {
        public static async Task<(IPEndPoint Address, Socket Socket)?> ConnectAsync(DiagnosisRun run)
        {
            var network = new OtlpNetworkInfo { Host = run.Endpoint.Host, Port = run.Endpoint.Port };
            run.Diagnosis.Network = network;
            var dnsWatch = Stopwatch.StartNew();
            IPAddress[] addresses;
            if (IPAddress.TryParse(run.Endpoint.Host, out var literal))
            {
                addresses = new[] { literal };
            }
            else
            {
                try
                {
                    var lookup = Dns.GetHostAddressesAsync(run.Endpoint.Host);
                    using var bound = CancellationTokenSource.CreateLinkedTokenSource(run.CancellationToken);
                    var finished = await Task.WhenAny(lookup, Task.Delay(run.Remaining, bound.Token)).ConfigureAwait(false);
                    bound.Cancel(); // no timer left running once DNS has answered
                    run.CancellationToken.ThrowIfCancellationRequested();
                    if (finished != lookup)
                    {
                        run.Findings.Add(DiagnosisFindings.DnsResolutionFailed(run.Endpoint, $"no DNS answer within {run.Options.Client.Timeout.TotalSeconds:F0} s"));
                        return null;
                    }

                    addresses = await lookup.ConfigureAwait(false);
                }
                catch (SocketException e)
                {
                    run.Findings.Add(DiagnosisFindings.DnsResolutionFailed(run.Endpoint, e.Message));
                    return null;
                }
            }

            network.DnsDuration = dnsWatch.Elapsed;
            network.Addresses = addresses.Select(a => a.ToString()).ToArray();
            run.Narrate($"DNS: {run.Endpoint.Host} → {string.Join(", ", network.Addresses)} ({network.DnsDuration.TotalMilliseconds:F1} ms)");
            if (addresses.Length == 0)
            {
                run.Findings.Add(DiagnosisFindings.DnsResolutionFailed(run.Endpoint, "no addresses"));
                return null;
            }

            var failures = new List<string>();
            var timedOut = false;
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(run.CancellationToken);
            deadline.CancelAfter(run.Remaining);
            foreach (var address in addresses)
            {
                var target = new IPEndPoint(address, run.Endpoint.Port);
                var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                var connectWatch = Stopwatch.StartNew();
                try
                {
                    await SocketConnect.ConnectAsync(socket, target, deadline.Token).ConfigureAwait(false);
                    network.ConnectedAddress = address.ToString();
                    network.ConnectDuration = connectWatch.Elapsed;
                    run.Narrate($"TCP: connected to {target} in {network.ConnectDuration.TotalMilliseconds:F1} ms");
                    return (target, socket);
                }
                catch (Exception e) when (e is SocketException || e is OperationCanceledException || e is ObjectDisposedException)
                {
                    socket.Dispose();
                    run.CancellationToken.ThrowIfCancellationRequested();
                    timedOut |= deadline.IsCancellationRequested || (e is SocketException { SocketErrorCode: SocketError.TimedOut });
                    failures.Add($"{target}: {(deadline.IsCancellationRequested ? "timed out" : e.Message)}");
                    run.Narrate($"TCP: {failures[failures.Count - 1]}");
                    if (deadline.IsCancellationRequested)
                    {
                        break;
                    }
                }
            }

            run.Findings.Add(timedOut
                ? DiagnosisFindings.ConnectionTimedOut(run.Endpoint, string.Join("; ", failures))
                : DiagnosisFindings.ConnectionRefused(run.Endpoint, string.Join("; ", failures)));
            return null;
        }
    }
}
