using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using OtelTls.Engine.Vocabulary;

namespace OtelTls.Engine.Diagnosis
{
    /// <summary>
    /// One endpoint's diagnosis while it runs: what the stages share (the endpoint, the options, the findings so far, the
    /// result being filled in) and the one deadline they all draw on.
    /// </summary>
    internal sealed class DiagnosisRun
    {
        // Below this a stage cannot do anything useful (one loopback round trip plus a handshake's CPU).
        private static readonly TimeSpan MinimumStageTime = TimeSpan.FromMilliseconds(50);

        private readonly Stopwatch _stopwatch = Stopwatch.StartNew();

        public DiagnosisRun(OtlpEndpoint endpoint, DiagnosisOptions options, CancellationToken cancellationToken)
        {
            Endpoint = endpoint;
            Options = options;
            CancellationToken = cancellationToken;
            Offered = options.TlsVersions is { Count: > 0 } ? options.TlsVersions.Distinct().OrderBy(v => v).ToArray() : TlsVersions.Current.ToArray();
            ServerName = ServerNameFor(endpoint, options);
            Diagnosis = new OtlpTlsDiagnosis
            {
                Endpoint = endpoint.Original.Trim(),
                Target = endpoint,
                Timestamp = DateTimeOffset.Now,
                OpenSslCommand = OpenSslCommandLine.For(endpoint, options),
            };
        }

        public OtlpEndpoint Endpoint { get; }

        public DiagnosisOptions Options { get; }

        public CancellationToken CancellationToken { get; }

        /// <summary>The result, filled in stage by stage.</summary>
        public OtlpTlsDiagnosis Diagnosis { get; }

        public List<OtlpFinding> Findings { get; } = new();

        /// <summary>The TLS versions the client offers, lowest first.</summary>
        public OtlpTlsVersion[] Offered { get; }

        /// <summary>The SNI name sent and verified (null for an IP address without -ServerName).</summary>
        public string? ServerName { get; }

        /// <summary>A client certificate is sent: one was given and its key matches.</summary>
        public bool SendClientCertificate { get; set; }

        /// <summary>The server accepts the client chain the probe sends but refuses the leaf alone that .NET sends.</summary>
        public bool LeafOnlyRefused { get; set; }

        /// <summary>
        /// The time left of this endpoint's one deadline: -TimeoutSec from the start of the diagnosis, shared by DNS,
        /// connect, the handshakes, the platform check and the export, so the documented bound is the real one.
        /// </summary>
        public TimeSpan Remaining
        {
            get
            {
                var left = Options.Client.Timeout - _stopwatch.Elapsed;
                return left > MinimumStageTime ? left : MinimumStageTime;
            }
        }

        /// <summary>A stage started now could still do something useful; one that could not is not started.</summary>
        public bool HasTimeLeft => Options.Client.Timeout - _stopwatch.Elapsed > MinimumStageTime;

        /// <summary>The SNI name for an endpoint: -ServerName, else the host unless it is an IP address.</summary>
        public static string? ServerNameFor(OtlpEndpoint endpoint, DiagnosisOptions options) =>
            options.Client.ServerName ?? (endpoint.IsIPAddress ? null : endpoint.Host);

        /// <summary>The options with the client's bound cut to the time left.</summary>
        public DiagnosisOptions WithRemainingTime()
        {
            // The copy shares the client files already read; only the command's settings dispose them.
            var copy = Options.Copy();
            copy.Client = Options.Client.WithTimeout(Remaining);
            return copy;
        }

        /// <summary>A verbose line about this endpoint.</summary>
        public void Narrate(string line) => Options.Narrate?.Invoke($"{Endpoint.Authority}: {line}");

        /// <summary>The diagnosis with its findings in order, its duration and its one-line summary.</summary>
        public OtlpTlsDiagnosis Result()
        {
            Diagnosis.Findings = OtlpCertificateCheck.Order(Findings);
            Diagnosis.Duration = _stopwatch.Elapsed;
            Diagnosis.Summary = Summarize();
            return Diagnosis;
        }

        private string Summarize()
        {
            var first = Diagnosis.Findings.FirstOrDefault(f => f.Severity != OtlpSeverity.Info);
            if (first is not null)
            {
                var more = Diagnosis.Findings.Count(f => f.Severity != OtlpSeverity.Info) - 1;
                return first.Message + (more > 0 ? $" (+{more} more)" : string.Empty);
            }

            var tls = Diagnosis.Tls;
            return tls is null || !tls.HandshakeSucceeded
                ? "No finding."
                : $"{tls.Version}, {tls.CipherSuite}, ALPN {tls.Alpn ?? "none"}; certificate trusted and valid for {ServerName ?? Endpoint.Host}.";
        }
    }
}
