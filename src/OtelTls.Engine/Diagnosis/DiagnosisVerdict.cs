using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Org.BouncyCastle.Tls;
using OtelTls.Engine.Certificates;
using OtelTls.Engine.Vocabulary;

namespace OtelTls.Engine.Diagnosis
{
    /// <summary>
    /// The verdicts on what the probes measured: the client certificate pair before connecting, then the handshake, the
    /// certificates (through the shared <see cref="CertificateChecker"/>), client authentication, HTTP/2 and the platform
    /// check. Each adds findings to the run; the wording is in <see cref="DiagnosisFindings"/>.
    /// </summary>
    internal static class DiagnosisVerdict
    {
        public static void CheckClientPair(DiagnosisRun run)
        {
            var credential = run.Options.Client.Credential;
            if (credential is null)
            {
                return;
            }

            var leaf = credential.Chain[0];
            run.SendClientCertificate = true;
            if (!credential.KeyMatches)
            {
                run.Findings.Add(DiagnosisFindings.ClientKeyMismatch(run.Options.Client.ClientCertificatePath ?? leaf.Subject, run.Options.Client.ClientKeyPath));
                run.SendClientCertificate = false;
            }

            if (leaf.EnhancedKeyUsages.Length > 0 && !leaf.EnhancedKeyUsages.Any(u => u.IndexOf("Client", StringComparison.OrdinalIgnoreCase) >= 0 || u == "1.3.6.1.5.5.7.3.2"))
            {
                run.Findings.Add(DiagnosisFindings.ClientCertificateNotForClientAuth(leaf.Subject, leaf.EnhancedKeyUsages));
            }
        }

        public static bool JudgeHandshake(DiagnosisRun run, TlsProbeResult main, TlsProbeResult? wide, (OtlpTlsVersion Version, OtlpTlsVersionSupport Support)[] versions)
        {
            var accepted = versions.Where(v => v.Support.Supported == true).Select(v => v.Version).ToList();
            var legacy = accepted.Where(TlsVersions.IsLegacy).ToList();
            if (legacy.Count > 0)
            {
                run.Findings.Add(DiagnosisFindings.LegacyProtocolEnabled(run.Endpoint, legacy));
            }

            switch (main.Outcome)
            {
                case TlsProbeOutcome.Plaintext:
                    run.Findings.Add(DiagnosisFindings.TlsNotEnabled(run.Endpoint, main.PlaintextKind ?? "not TLS"));
                    return false;
                case TlsProbeOutcome.TimedOut:
                    run.Findings.Add(DiagnosisFindings.HandshakeTimedOut(run.Endpoint, main.Version is not null || main.FirstBytes.Length > 0));
                    return false;
                case TlsProbeOutcome.Reset:
                case TlsProbeOutcome.Closed:
                    if (main.FailedAfterHandshake && main.CertificateRequested)
                    {
                        return true; // judged as a client-authentication failure
                    }

                    run.Findings.Add(DiagnosisFindings.HandshakeReset(run.Endpoint, main.Detail ?? main.Outcome.ToString()));
                    return false;
                case TlsProbeOutcome.ConnectFailed:
                    run.Findings.Add(DiagnosisFindings.HandshakeReset(run.Endpoint, main.Detail ?? "the connection was lost"));
                    return false;
                case TlsProbeOutcome.AlertReceived when main.AlertReceived == AlertDescription.protocol_version
                    || (main.Version is null && accepted.Count > 0 && !accepted.Intersect(run.Offered).Any()):
                    run.Findings.Add(DiagnosisFindings.ProtocolVersionMismatch(run.Endpoint, run.Offered, accepted));
                    return false;
                case TlsProbeOutcome.AlertReceived when wide is not null && wide.Version is not null && wide.CipherSuite is not null:
                    run.Findings.Add(DiagnosisFindings.CipherSuiteMismatch(run.Endpoint, TlsNames.CipherSuiteName(wide.CipherSuite.Value)));
                    return false;
                case TlsProbeOutcome.AlertReceived when main.AlertReceived == AlertDescription.no_application_protocol:
                    run.Findings.Add(DiagnosisFindings.AlpnH2NotNegotiated(run.Endpoint, "refused with no_application_protocol(120)"));
                    return false;
                case TlsProbeOutcome.AlertReceived when main.CertificateRequested:
                case TlsProbeOutcome.AlertRaised when main.FailedAfterHandshake && main.CertificateRequested:
                    return true; // judged by the client-authentication stage
                case TlsProbeOutcome.AlertReceived:
                    run.Findings.Add(DiagnosisFindings.HandshakeFailed(run.Endpoint, TlsNames.AlertName(main.AlertReceived!.Value), raisedByClient: false));
                    return false;
                case TlsProbeOutcome.AlertRaised:
                    run.Findings.Add(DiagnosisFindings.HandshakeFailed(run.Endpoint, TlsNames.AlertName(main.AlertRaised!.Value) + (main.Detail is null ? string.Empty : " (" + main.Detail + ")"), raisedByClient: true));
                    return false;
            }

            if (run.Endpoint.Protocol == OtlpProtocol.Grpc && main.ApplicationProtocol != "h2")
            {
                run.Findings.Add(DiagnosisFindings.AlpnH2NotNegotiated(run.Endpoint, main.ApplicationProtocol));
            }

            return true;
        }

        /// <summary>
        /// Checks the served chain (trust, validity, name, usage) as soon as the probe has it: the check needs nothing
        /// the version sweep learns, so the two run side by side. Null when no certificate was served.
        /// </summary>
        public static Task<OtlpCertificateCheck>? StartCertificateCheck(DiagnosisRun run)
        {
            if (run.Diagnosis.Chain.Length == 0)
            {
                return null;
            }

            var chain = run.Diagnosis.Chain;
            var options = new CertificateCheckOptions
            {
                TrustedAuthorities = run.Options.Client.TrustedAuthorities,
                HostName = run.ServerName ?? run.Endpoint.Host,
                Usage = OtlpCertificateUsage.Server,
                ExpiryWarningDays = run.Options.ExpiryWarningDays,
                PresentedByServer = true,
            };
            return Task.Run(() => CertificateChecker.Check(chain, options));
        }

        /// <summary>Records the served chain's check made by <see cref="StartCertificateCheck"/>; false when it fails or nothing was served.</summary>
        public static bool JudgeCertificates(DiagnosisRun run, OtlpCertificateCheck? check)
        {
            if (check is null)
            {
                return false;
            }

            run.Diagnosis.Trust = check;
            run.Findings.AddRange(check.Findings);
            run.Narrate($"Certificates: {run.Diagnosis.Chain.Length} sent, leaf '{run.Diagnosis.Chain[0].Subject}'; {(check.Findings.Length == 0 ? "trusted, valid, name matches" : string.Join(", ", check.Findings.Select(f => f.Id)))}");
            return check.IsValid;
        }

        public static void JudgeClientAuthentication(DiagnosisRun run, TlsProbeResult main)
        {
            var auth = run.Diagnosis.ClientAuth!;
            if (!main.CertificateRequested)
            {
                return;
            }

            var failed = main.Outcome != TlsProbeOutcome.Connected;
            var alert = main.AlertReceived is null ? null : TlsNames.AlertName(main.AlertReceived.Value);
            run.Narrate($"Client authentication: the server asked for a certificate (accepts {(auth.AcceptableAuthorities.Length == 0 ? "any CA" : string.Join("; ", auth.AcceptableAuthorities))}); " +
                    $"{(main.ClientCertificateSent ? "one was sent" : "none was sent")}; {(failed ? "refused" + (alert is null ? string.Empty : " with " + alert) : "accepted")}");
            auth.Accepted = main.ClientCertificateSent ? !failed : null;
            var chain = run.Options.Client.ClientCertificateChain;
            var leaf = chain is { Count: > 0 } ? chain[0] : null;
            if (leaf is not null && auth.AcceptableAuthorities.Length > 0)
            {
                var issuers = run.Options.Client.ClientCertificateChain!.Select(c => c.Issuer).ToList();
                if (!issuers.Any(i => auth.AcceptableAuthorities.Contains(i, StringComparer.OrdinalIgnoreCase)))
                {
                    run.Findings.Add(DiagnosisFindings.ClientCertificateIssuerNotAccepted(leaf.Subject, leaf.Issuer, auth.AcceptableAuthorities));
                }
            }

            if (!failed)
            {
                return;
            }

            if (!main.ClientCertificateSent)
            {
                run.Findings.Add(DiagnosisFindings.ClientCertificateRequired(run.Endpoint, auth.AcceptableAuthorities, alert));
            }
            else
            {
                run.Findings.Add(DiagnosisFindings.ClientCertificateRejected(run.Endpoint, leaf?.Subject ?? "(client certificate)", alert ?? main.Detail ?? main.Outcome.ToString(), auth.AcceptableAuthorities));
            }
        }

        public static void JudgeHttp2(DiagnosisRun run, TlsProbeResult main)
        {
            if (main.Outcome != TlsProbeOutcome.Connected || main.Http2 is Http2Answer.NotChecked or Http2Answer.Settings)
            {
                return;
            }

            var what = main.Http2 == Http2Answer.Silent ? null : DescribeAnswer(main.FirstApplicationBytes);
            if (what is not null && main.Http1RequestSentAfter is { } asked)
            {
                what = $"silence, then answered an HTTP/1.1 request sent after {asked.TotalMilliseconds:F0} ms with {what}";
            }

            run.Narrate($"HTTP/2: ALPN h2 negotiated, but the server answered the connection preface with {what ?? "nothing"} within {main.Http2Window.TotalMilliseconds:F0} ms");
            run.Findings.Add(DiagnosisFindings.NotAnHttp2Server(run.Endpoint, what, main.Http2Window));
        }

        // Names what a TLS port that is not HTTP/2 sent back: an HTTP/1.x status line, or its first bytes.
        private static string DescribeAnswer(byte[] answer)
        {
            var kind = TlsProbe.PlaintextKind(answer);
            return kind.StartsWith("HTTP/1.x", StringComparison.Ordinal) ? kind : "bytes that are not an HTTP/2 frame (" + BitConverter.ToString(answer, 0, Math.Min(answer.Length, 16)) + ")";
        }

        public static void ComparePlatform(DiagnosisRun run, TlsProbeResult main, PlatformTlsCheck.PlatformResult platform, bool probeSaysGood)
        {
            var probeConnected = main.Outcome == TlsProbeOutcome.Connected;
            var agrees = platform.Succeeded == (probeConnected && probeSaysGood);
            run.Diagnosis.Platform = new OtlpPlatformCheck
            {
                Stack = platform.Stack,
                Succeeded = platform.Succeeded,
                Version = platform.Version,
                Alpn = platform.Alpn,
                Errors = platform.Errors,
                AgreesWithProbe = agrees,
                Message = platform.Message + (platform.Note is null ? string.Empty : " (" + platform.Note + ")"),
            };
            run.Narrate($"Platform check ({platform.Stack}): {run.Diagnosis.Platform.Message}");
            var credential = run.Options.Client.Credential;
            if (!agrees && probeConnected && probeSaysGood && !platform.Succeeded && main.CertificateRequested && main.ClientCertificateSent
                && credential is { HasIntermediates: true })
            {
                run.LeafOnlyRefused = true;
                run.Findings.Add(DiagnosisFindings.PlatformClientChainNotSent(credential.Chain[0].Subject, credential.Chain[0].Issuer, credential.CertificatePath, platform.Message));
            }
            else if (!agrees)
            {
                run.Findings.Add(DiagnosisFindings.PlatformDisagreement(
                    probeConnected && probeSaysGood ? "found no error" : "failed (" + string.Join(", ", run.Findings.Where(f => f.Severity == OtlpSeverity.Error).Select(f => f.Id).DefaultIfEmpty(main.Outcome.ToString())) + ")",
                    platform.Succeeded ? "connected and trusted the server" : platform.Message));
            }
        }
    }
}
