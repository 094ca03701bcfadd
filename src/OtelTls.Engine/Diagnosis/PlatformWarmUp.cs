using System;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using OtelTls.Engine.Client;
using OtelTls.Engine.Otlp;

namespace OtelTls.Engine.Diagnosis
{
    /// <summary>
    /// The first diagnosis in a process pays, on the critical path after the probe, for the platform TLS stack's first
    /// use: its chain engine and the system root store it loads, and the export's HTTP/2 and gRPC client types. None of
    /// that depends on the endpoint, so it is started on another core while the probe (BouncyCastle) works.
    /// </summary>
    internal static class PlatformWarmUp
    {
        private static int _started;

        /// <summary>Starts the warm-up once per process; later calls do nothing.</summary>
        public static void StartOnce(OtlpClientSettings settings, OtlpProtocol? export)
        {
            if (Interlocked.Exchange(ref _started, 1) != 0)
            {
                return;
            }

            _ = Task.Run(() =>
            {
                try
                {
                    Warm(settings, export);
                }
#pragma warning disable CA1031 // A warm-up that fails leaves the real stage to meet and report the same failure.
                catch (Exception)
#pragma warning restore CA1031
                {
                }
            });
        }

        private static void Warm(OtlpClientSettings settings, OtlpProtocol? export)
        {
#if NET8_0_OR_GREATER
            // A copy of its own: the settings' platform certificates belong to the command, which may dispose them
            // while this still runs.
            if (settings.TrustedAuthorities is { Count: > 0 } authorities)
            {
                using var anchor = new X509Certificate2(authorities[0].GetRawData());
                using var chain = new X509Chain { ChainPolicy = ServerCertificateValidator.TrustedChainPolicy(new[] { anchor })! };
                chain.Build(anchor);
                foreach (var element in chain.ChainElements)
                {
                    element.Certificate.Dispose();
                }
            }

            if (export is { } protocol)
            {
                OtlpTransport.Prepare(protocol);
            }
#endif
        }
    }
}
