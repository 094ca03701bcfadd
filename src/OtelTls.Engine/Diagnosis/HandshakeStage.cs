using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using Org.BouncyCastle.Tls;
using OtelTls.Engine.Certificates;
using OtelTls.Engine.Vocabulary;

namespace OtelTls.Engine.Diagnosis
{
    /// <summary>
    /// The TLS stage's probes: the settings each handshake is made with, the version sweep (each version offered alone,
    /// concurrently, stopping at the ServerHello), the wide-suite retry, and what the main handshake showed.
    /// </summary>
    internal static class HandshakeStage
    {
        public static TlsProbeSettings ProbeSettings(DiagnosisRun run, IEnumerable<OtlpTlsVersion> versions, int[]? cipherSuites, bool withClientCertificate) => new()
        {
            Versions = versions.OrderByDescending(v => v).Select(TlsVersions.ToProtocolVersion).ToArray(),
            CipherSuites = cipherSuites,
            ApplicationProtocols = run.Endpoint.Protocol == OtlpProtocol.Grpc
                ? new List<ProtocolName> { ProtocolName.Http_2_Tls }
                : new List<ProtocolName> { ProtocolName.Http_2_Tls, ProtocolName.Http_1_1 },
            ServerName = run.ServerName,
            ClientCertificateChain = withClientCertificate ? run.Options.Client.Credential!.BouncyCastleChain.Select(c => c.GetEncoded()).ToArray() : null,
            ClientKey = withClientCertificate ? run.Options.Client.Credential!.Key : null,
            Timeout = run.Remaining,
        };

        // Not an async method itself (Task.WhenAll is the whole wait): one generic state machine fewer to JIT-compile in a
        // fresh process.
        public static Task<(OtlpTlsVersion Version, OtlpTlsVersionSupport Support)[]> SweepVersionsAsync(DiagnosisRun run, IPEndPoint address, TlsProbeResult main)
        {
            var attempts = TlsVersions.All.Select(async version =>
            {
                if (main.Outcome == TlsProbeOutcome.Connected && TlsVersions.FromProtocolVersion(main.Version) == version)
                {
                    return (version, new OtlpTlsVersionSupport { Version = TlsVersions.DisplayName(version), Supported = true, Detail = "negotiated" });
                }

                var settings = ProbeSettings(run, new[] { version }, TlsNames.KnownCipherSuites, withClientCertificate: false);
                settings.StopAfterServerHello = true;
                var attempt = await TlsProbe.RunAsync(address, settings, run.CancellationToken).ConfigureAwait(false);
                var supported = attempt.Version is { } seen
                    ? TlsVersions.FromProtocolVersion(seen) == version
                    : attempt.Outcome is TlsProbeOutcome.AlertReceived or TlsProbeOutcome.Closed or TlsProbeOutcome.Reset or TlsProbeOutcome.AlertRaised ? false : (bool?)null;
                var support = new OtlpTlsVersionSupport { Version = TlsVersions.DisplayName(version), Supported = supported, Detail = Describe(attempt) };
                run.Narrate($"Version sweep: {support.Version}: {(supported is null ? "unknown" : supported.Value ? "accepted" : "refused")} ({support.Detail})");
                return (version, support);
            });
            return Task.WhenAll(attempts);
        }

        public static bool NeedsWideRetry(TlsProbeResult main) =>
            main.Outcome == TlsProbeOutcome.AlertReceived && main.Version is null &&
            main.AlertReceived is AlertDescription.handshake_failure or AlertDescription.insufficient_security or AlertDescription.illegal_parameter;

        public static void RecordTls(DiagnosisRun run, TlsProbeResult main)
        {
            run.Diagnosis.Tls = new OtlpTlsInfo
            {
                IsTls = main.Outcome == TlsProbeOutcome.Plaintext ? false : main.Version is not null || main.AlertReceived is not null ? true : null,
                PlaintextKind = main.PlaintextKind,
                HandshakeSucceeded = main.Outcome == TlsProbeOutcome.Connected,
                Version = main.Version is null ? null : TlsVersions.DisplayName(main.Version),
                CipherSuite = main.CipherSuite is null ? null : TlsNames.CipherSuiteName(main.CipherSuite.Value),
                Alpn = main.ApplicationProtocol,
                ServerName = run.ServerName,
                HandshakeDuration = main.Duration,
                AlertReceived = main.AlertReceived is null ? null : TlsNames.AlertName(main.AlertReceived.Value),
                AlertRaised = main.AlertRaised is null ? null : TlsNames.AlertName(main.AlertRaised.Value),
            };
            run.Diagnosis.Chain = main.ServerChain.Select((der, i) => CertificateDescriber.Create(CertificateDecoder.Decode(der), null, i, endpoint: run.Endpoint.Authority)).ToArray();
            run.Diagnosis.ClientAuth = new OtlpClientAuthInfo
            {
                CertificateRequested = main.CertificateRequested,
                AcceptableAuthorities = main.AcceptableAuthorities.Select(CertificateDescriber.FormatName).ToArray(),
                CertificateSent = main.ClientCertificateSent,
                ClientCertificateSubject = run.Options.Client.ClientCertificateChain is { Count: > 0 } chain ? chain[0].Subject : null,
            };
        }

        public static string Describe(TlsProbeResult attempt) => attempt.Outcome switch
        {
            TlsProbeOutcome.Connected => $"{TlsVersions.DisplayName(attempt.Version!)} {(attempt.CipherSuite is null ? string.Empty : TlsNames.CipherSuiteName(attempt.CipherSuite.Value))}, ALPN {attempt.ApplicationProtocol ?? "none"}",
            TlsProbeOutcome.ServerHelloSeen => $"server chose {TlsVersions.DisplayName(attempt.Version!)}",
            TlsProbeOutcome.AlertReceived => "server alert " + TlsNames.AlertName(attempt.AlertReceived!.Value) + (attempt.FailedAfterHandshake ? " after the handshake" : string.Empty),
            TlsProbeOutcome.AlertRaised => "client alert " + TlsNames.AlertName(attempt.AlertRaised!.Value),
            TlsProbeOutcome.Plaintext => "plaintext: " + attempt.PlaintextKind,
            _ => attempt.Outcome.ToString().ToLowerInvariant() + (attempt.Detail is null ? string.Empty : ": " + attempt.Detail),
        };
    }
}
