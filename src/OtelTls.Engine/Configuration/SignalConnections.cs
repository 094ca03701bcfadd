using System;
using System.Collections.Generic;
using System.Linq;

namespace OtelTls.Engine.Configuration
{
    /// <summary>
    /// Which signals of an exporter configuration connect differently, so each connection is diagnosed once: the same
    /// URL, protocol, TLS files and headers is one connection, whichever signals share it. Headers count, since a signal
    /// may differ from the others only in its <c>…_HEADERS</c> (an API key per signal).
    /// </summary>
    public static class SignalConnections
    {
        /// <summary>The first signal of each distinct connection, in the given order; signals without an endpoint are left out.</summary>
        /// <param name="signals">The resolved signals (<see cref="OtlpTlsEnvironment.Signals"/>, or a selection of them).</param>
        /// <param name="variables">The variables they were resolved from: the headers are read from them as SDKs read them.</param>
        public static IReadOnlyList<OtlpSignalConfiguration> Distinct(IEnumerable<OtlpSignalConfiguration> signals, IReadOnlyDictionary<string, string> variables)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            return signals.Where(s => s.Endpoint is not null && seen.Add(Key(s, variables))).ToList();
        }

        private static string Key(OtlpSignalConfiguration signal, IReadOnlyDictionary<string, string> variables)
        {
            var headers = OtlpHeaderList.ForSignal(variables, signal.Signal, new Dictionary<string, string>());
            return string.Join("|", signal.Url, signal.Protocol, signal.CertificatePath, signal.ClientCertificatePath, signal.ClientKeyPath,
                string.Join("\n", headers.OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase).Select(h => h.Key.ToLowerInvariant() + "=" + h.Value)));
        }
    }
}
