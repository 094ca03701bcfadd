using System;
using System.Collections.Generic;
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

        /// <summary>
        /// Starts the warm-up once per process; later calls do nothing. It builds the chain of the first of
        /// <paramref name="trustedAuthorities"/> (when there are any) and prepares the <paramref name="export"/> protocol's
        /// client (when the export will run).
        /// </summary>
        public static void StartOnce(IReadOnlyList<OtlpCertificate>? trustedAuthorities, OtlpProtocol? export)
        {
            if (Interlocked.Exchange(ref _started, 1) != 0)
            {
                return;
            }

            // The anchor's bytes are taken here, on the caller's thread: nothing of the command's is touched once the
            // warm-up runs (the command may dispose its settings before it ends).
            var anchor = trustedAuthorities is { Count: > 0 } ? trustedAuthorities[0].GetRawData() : null;
            _ = Task.Run(() =>
            {
                try
                {
                    Warm(anchor, export);
                }
#pragma warning disable CA1031 // A warm-up that fails leaves the real stage to meet and report the same failure.
                catch (Exception)
#pragma warning restore CA1031
                {
                }
            });
        }

        private static void Warm(byte[]? anchorDer, OtlpProtocol? export)
        {
#if NET8_0_OR_GREATER
            // A certificate object of its own: the command's platform certificates are the command's to dispose.
            if (anchorDer is not null)
            {
                using var anchor = new X509Certificate2(anchorDer);
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
