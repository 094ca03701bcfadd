using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OtelTls.Engine.Otlp;
using OtelTls.Engine.Endpoints;

namespace OtelTls.Engine.Diagnosis
{
    /// <summary>
    /// Diagnoses one OTLP endpoint stage by stage (Network → Tls → Certificate → Trust → Hostname → ClientAuth → Otlp),
    /// the order of the troubleshooting flowchart: a failed stage stops the ones that depend on it, and everything
    /// measured until then is still reported.
    /// </summary>
    public static class EndpointDiagnoser
    {
        /// <summary>Diagnoses <paramref name="endpointText"/>.</summary>
        /// <param name="endpointText">The endpoint as the user wrote it.</param>
        /// <param name="options">Trust, client certificate, versions, bounds.</param>
        /// <param name="cancellationToken">Stops the diagnosis (Ctrl+C).</param>
        /// <exception cref="OtlpTlsException">InvalidEndpoint when the text is not an endpoint; server problems are findings.</exception>
        public static Task<OtlpTlsDiagnosis> DiagnoseAsync(string endpointText, DiagnosisOptions options, CancellationToken cancellationToken)
        {
            var endpoint = EndpointParser.Parse(endpointText, options.Client.Protocol);
            return DiagnoseAsync(endpoint, options, cancellationToken);
        }

        /// <summary>Diagnoses an already parsed endpoint.</summary>
        /// <param name="endpoint">The endpoint.</param>
        /// <param name="options">Trust, client certificate, versions, bounds.</param>
        /// <param name="cancellationToken">Stops the diagnosis (Ctrl+C).</param>
        /// <remarks>
        /// The stages in the flowchart's order: network (NetworkStage), the TLS probes (HandshakeStage) with the platform
        /// check beside them, the verdicts (DiagnosisVerdict), then the export. One async method for the whole run: each
        /// async method is a state machine for which a fresh process JIT-compiles the framework's generic async code
        /// (ReadyToRun cannot pregenerate it across assemblies), and the run, its stages and the export were three.
        /// </remarks>
        public static async Task<OtlpTlsDiagnosis> DiagnoseAsync(OtlpEndpoint endpoint, DiagnosisOptions options, CancellationToken cancellationToken)
        {
            var run = new DiagnosisRun(endpoint, options, cancellationToken);
            DiagnosisVerdict.CheckClientPair(run);
            if (!options.HandshakeOnly)
            {
                PlatformWarmUp.StartOnce(options.Client.TrustedAuthorities, options.SkipExport ? null : endpoint.Protocol);
            }

            var network = await NetworkStage.ConnectAsync(run).ConfigureAwait(false);
            if (network is null)
            {
                return run.Result();
            }

            var (address, socket) = network.Value;
            var mainSettings = HandshakeStage.ProbeSettings(run, run.Offered, cipherSuites: null, run.SendClientCertificate);
            var askedForPlaintext = run.Endpoint.TlsRequested == false;
            if (askedForPlaintext)
            {
                // http:// asks for plaintext: the probe only looks for a TLS server by mistake, and leaves the export
                // (the real test) half of the time a silent plaintext receiver would otherwise use up.
                mainSettings.Timeout = TimeSpan.FromTicks(mainSettings.Timeout.Ticks / 2);
            }

            Task<PlatformTlsCheck.PlatformResult>? platform = null;
            var platformByExport = false;
            if (!run.Options.HandshakeOnly)
            {
                // The probe may wait after its handshake (the server's verdict on a client certificate, its HTTP/2
                // SETTINGS): the platform check starts as soon as the handshake is done, so the two waits overlap.
                mainSettings.CheckHttp2Settings = !run.Options.SkipExport; // part of the export stage: is there an HTTP/2 server?
                mainSettings.HandshakeCompleted = certificateRequested =>
                {
                    if (!run.HasTimeLeft)
                    {
                        return; // the deadline leaves no time for it; it is not started
                    }

                    if (!certificateRequested && ExportCanStandForPlatform(run))
                    {
                        // No client-certificate verdict to wait for: the export's own connection, made later through the
                        // same stack with the same settings, answers the platform question, one handshake fewer.
                        platformByExport = true;
                        return;
                    }

                    var platformOptions = run.WithRemainingTime();
                    var window = TlsProbe.ConfirmationWindow < platformOptions.Client.Timeout ? TlsProbe.ConfirmationWindow : platformOptions.Client.Timeout;
                    platform = StartPlatformCheck(run, address, platformOptions, certificateRequested, DateTime.UtcNow + window);
                };

                // A server silent after the HTTP/2 preface is probably no HTTP/2 server, and then there is no export to stand
                // in for the platform check: it starts now, beside the rest of the probe's wait for SETTINGS, rather than
                // after it (that wait can use up most of -TimeoutSec on a loaded machine, and nothing would be left for it).
                mainSettings.SilentAfterPreface = () =>
                {
                    if (platformByExport && run.HasTimeLeft)
                    {
                        platformByExport = false;
                        platform = StartPlatformCheck(run, address, run.WithRemainingTime(), confirmClientAuthentication: false);
                    }
                };
            }

            var main = await TlsProbe.RunAsync(address, mainSettings, run.CancellationToken, socket).ConfigureAwait(false);
            if (askedForPlaintext && main.Outcome == TlsProbeOutcome.TimedOut && main.Version is null && main.FirstBytes.Length == 0)
            {
                // A plaintext HTTP/1.1 or h2c receiver reads until a complete request and never answers a ClientHello.
                main.Outcome = TlsProbeOutcome.Plaintext;
                main.PlaintextKind = $"no answer to a TLS ClientHello in {mainSettings.Timeout.TotalSeconds:0.#} s, as a plaintext receiver waiting for a complete request does";
            }

            run.Narrate($"Probe handshake: {HandshakeStage.Describe(main)} in {main.Duration.TotalMilliseconds:F0} ms");

            HandshakeStage.RecordTls(run, main);
            if (run.Options.HandshakeOnly)
            {
                DiagnosisVerdict.JudgeHandshake(run, main, null, Array.Empty<(OtlpTlsVersion, OtlpTlsVersionSupport)>());
                return run.Result();
            }

            // Every stage shares the one -TimeoutSec deadline; a stage the deadline leaves no time for is not started.
            var reachedTls = (main.Version is not null || main.Outcome is TlsProbeOutcome.AlertReceived or TlsProbeOutcome.AlertRaised) && run.HasTimeLeft;
            if (!run.HasTimeLeft)
            {
                run.Narrate($"Deadline: the {run.Options.Client.Timeout.TotalSeconds:0.#} s bound is used up; no further stage is started");
            }

            var certificateCheck = DiagnosisVerdict.StartCertificateCheck(run);
            var sweep = reachedTls ? HandshakeStage.SweepVersionsAsync(run, address, main) : Task.FromResult(Array.Empty<(OtlpTlsVersion Version, OtlpTlsVersionSupport Support)>());
            platform ??= reachedTls && !run.Options.HandshakeOnly && !platformByExport ? StartPlatformCheck(run, address, run.WithRemainingTime(), main.CertificateRequested) : null;
            var wide = HandshakeStage.NeedsWideRetry(main) && run.HasTimeLeft
                ? TlsProbe.RunAsync(address, HandshakeStage.ProbeSettings(run, run.Offered, TlsNames.KnownCipherSuites, run.SendClientCertificate), run.CancellationToken)
                : null;

            var versionSupport = await sweep.ConfigureAwait(false);
            run.Diagnosis.Tls!.VersionSupport = versionSupport.Select(v => v.Support).ToArray();
            var wideResult = wide is null ? null : await wide.ConfigureAwait(false);
            var handshakeOk = DiagnosisVerdict.JudgeHandshake(run, main, wideResult, versionSupport);
            var certificatesOk = DiagnosisVerdict.JudgeCertificates(run, certificateCheck is null ? null : await certificateCheck.ConfigureAwait(false));
            DiagnosisVerdict.JudgeClientAuthentication(run, main);
            DiagnosisVerdict.JudgeHttp2(run, main);

            if (platform is not null)
            {
                var platformResult = await platform.ConfigureAwait(false);
                DiagnosisVerdict.ComparePlatform(run, main, platformResult, handshakeOk && certificatesOk);
            }

            var plaintextAsAsked = main.Outcome == TlsProbeOutcome.Plaintext && run.Endpoint.TlsRequested == false;
            var transportReady = handshakeOk && certificatesOk || plaintextAsAsked;
            var notRun = ExportNotRun(run, transportReady);
            if (platformByExport && notRun is not null && run.HasTimeLeft)
            {
                // No export to stand in for the platform check: it runs on its own after all.
                await ComparePlatformAsync(run, address, main, handshakeOk && certificatesOk).ConfigureAwait(false);
                notRun = ExportNotRun(run, transportReady);
            }

            if (notRun is not null)
            {
                run.Diagnosis.Otlp = notRun;
                return run.Result();
            }

            var probe = await OtlpClient.ProbeAsync(run.Endpoint, run.Options.Client.WithTimeout(run.Remaining), run.CancellationToken).ConfigureAwait(false);
            if (platformByExport)
            {
                if (probe.TlsAccepted)
                {
                    DiagnosisVerdict.ComparePlatform(run, main, PlatformTlsCheck.AcceptedByExport(probe.TlsVersion, probe.Alpn), handshakeOk && certificatesOk);
                }
                else
                {
                    // The export's handshake failed or did not finish: the platform check's own connection gives the
                    // verdict, in its words.
                    await ComparePlatformAsync(run, address, main, handshakeOk && certificatesOk).ConfigureAwait(false);
                }
            }

            run.Diagnosis.Otlp = probe.Check;
            run.Narrate($"OTLP: empty {run.Endpoint.Protocol} export to {probe.Check.Url}: {probe.Check.Message}");
            if (probe.Finding is not null)
            {
                run.Findings.Add(probe.Finding);
            }

            return run.Result();
        }

        /// <summary>
        /// Whether the export can answer the platform check's question on its own connection: it will run (no
        /// -SkipExport, a protocol this runtime can export), and it presents no client certificate, whose loading and
        /// verdict the platform check reports apart.
        /// </summary>
        private static bool ExportCanStandForPlatform(DiagnosisRun run)
        {
#if NET8_0_OR_GREATER
            return !run.Options.SkipExport && run.Options.Client.Credential is null;
#else
            return false;
#endif
        }

        /// <summary>Runs the platform check on a connection of its own and compares its verdict with the probe's.</summary>
        private static async Task ComparePlatformAsync(DiagnosisRun run, System.Net.IPEndPoint address, TlsProbeResult main, bool probeSaysGood)
        {
            var result = await StartPlatformCheck(run, address, run.WithRemainingTime(), confirmClientAuthentication: false).ConfigureAwait(false);
            DiagnosisVerdict.ComparePlatform(run, main, result, probeSaysGood);
        }

        /// <summary>The platform check on a connection of its own, to the address the probe reached, with the run's server name.</summary>
        private static Task<PlatformTlsCheck.PlatformResult> StartPlatformCheck(DiagnosisRun run, System.Net.IPEndPoint address, DiagnosisOptions options,
            bool confirmClientAuthentication, DateTime? confirmUntil = null) =>
            PlatformTlsCheck.RunAsync(address, run.ServerName ?? run.Endpoint.Host, run.Endpoint.Protocol, options, confirmClientAuthentication,
                run.CancellationToken, confirmUntil);

        /// <summary>The openssl s_client command that reproduces the probe by hand.</summary>
        /// <param name="endpoint">The endpoint.</param>
        /// <param name="options">The diagnosis options.</param>
        public static string OpenSslCommand(OtlpEndpoint endpoint, DiagnosisOptions options) => OpenSslCommandLine.For(endpoint, options);

        /// <summary>Why the export stage is not run, as its check; null when it runs.</summary>
        private static OtlpExportCheck? ExportNotRun(DiagnosisRun run, bool transportReady)
        {
            var blocking = run.Findings.FirstOrDefault(f => f.Severity == OtlpSeverity.Error);
            if (run.Options.SkipExport || !transportReady || blocking is not null || !run.HasTimeLeft)
            {
                return new OtlpExportCheck
                {
                    Ran = false,
                    Message = run.Options.SkipExport ? "skipped (-SkipExport)"
                        : transportReady && blocking is null ? $"not run: the {run.Options.Client.Timeout.TotalSeconds:0.#} s time limit (-TimeoutSec) was used up before the export"
                        : $"not run: the connection fails before OTLP ({blocking?.Id ?? "TLS"}), so no export could arrive",
                };
            }

            if (run.LeafOnlyRefused)
            {
                // The export goes through .NET too, so it would fail for the reason the finding already gives.
                return new OtlpExportCheck
                {
                    Ran = false,
                    Message = "not run: the server refuses the client certificate .NET sends (the leaf without its intermediate; PlatformDisagreement), so a .NET export could not arrive",
                };
            }

            return null;
        }
    }
}
