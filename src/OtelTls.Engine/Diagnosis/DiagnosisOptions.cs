using System;
using System.Collections.Generic;
using OtelTls.Engine.Client;

namespace OtelTls.Engine.Diagnosis
{
    /// <summary>
    /// How to diagnose an endpoint: the exporter's settings (<see cref="Client"/>, shared by every endpoint and stage) and
    /// the probe's own bounds.
    /// </summary>
    public sealed class DiagnosisOptions
    {
        /// <summary>Trust, client certificate, server name, protocol, headers and time bound, as an exporter has them.</summary>
        public OtlpClientSettings Client { get; set; } = new();

        /// <summary>The versions the client offers; null means TLS 1.2 and 1.3, what current exporters offer.</summary>
        public IReadOnlyCollection<OtlpTlsVersion>? TlsVersions { get; set; }

        /// <summary>Certificates expiring within this many days get a warning.</summary>
        public int ExpiryWarningDays { get; set; } = 30;

        /// <summary>Skip the OTLP export stage.</summary>
        public bool SkipExport { get; set; }

        /// <summary>
        /// Only connect and shake hands: enough for the chain as presented, without the version sweep, the platform check or
        /// the export stage.
        /// </summary>
        public bool HandshakeOnly { get; set; }

        /// <summary>Receives one line per step, for -Verbose; called from worker threads.</summary>
        public Action<string>? Narrate { get; set; }

        /// <summary>A copy with its own narration callback, for one endpoint of many.</summary>
        /// <param name="narrate">Where this endpoint's steps go.</param>
        public DiagnosisOptions WithNarration(Action<string> narrate)
        {
            var copy = Copy();
            copy.Narrate = narrate;
            return copy;
        }

        /// <summary>A shallow copy: the same client settings (by reference), bounds of its own.</summary>
        public DiagnosisOptions Copy() => (DiagnosisOptions)MemberwiseClone();
    }
}
