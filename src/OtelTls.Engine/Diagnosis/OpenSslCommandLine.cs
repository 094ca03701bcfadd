using System.Collections.Generic;
using System.Linq;
using OtelTls.Engine.Vocabulary;

namespace OtelTls.Engine.Diagnosis
{
    /// <summary>
    /// The openssl s_client command that reproduces the probe by hand (shown with every diagnosis): the same SNI and name
    /// check, CA file, client certificate, ALPN and, when one version was asked for, that version.
    /// </summary>
    internal static class OpenSslCommandLine
    {
        /// <summary>The command line for <paramref name="endpoint"/> with <paramref name="options"/>.</summary>
        public static string For(OtlpEndpoint endpoint, DiagnosisOptions options)
        {
            var parts = new List<string> { "openssl s_client", "-connect " + endpoint.Authority };
            var serverName = DiagnosisRun.ServerNameFor(endpoint, options);
            if (serverName is not null)
            {
                parts.Add("-servername " + serverName);
                parts.Add("-verify_hostname " + serverName);
            }
            else if (endpoint.IsIPAddress)
            {
                parts.Add("-verify_ip " + endpoint.Host);
            }

            if (options.Client.CaCertificatePath is not null)
            {
                parts.Add("-CAfile " + Quote(options.Client.CaCertificatePath));
            }

            if (options.Client.ClientCertificatePath is not null && options.Client.ClientKeyPath is not null)
            {
                parts.Add("-cert " + Quote(options.Client.ClientCertificatePath));
                parts.Add("-key " + Quote(options.Client.ClientKeyPath));
            }

            parts.Add(endpoint.Protocol == OtlpProtocol.Grpc ? "-alpn h2" : "-alpn h2,http/1.1");
            if (options.TlsVersions is { Count: 1 })
            {
                parts.Add(TlsVersions.OpenSslFlag(options.TlsVersions.First()));
            }

            parts.Add("-showcerts </dev/null");
            return string.Join(" ", parts);
        }

        private static string Quote(string path) => path.IndexOf(' ') >= 0 ? "'" + path + "'" : path;
    }
}
