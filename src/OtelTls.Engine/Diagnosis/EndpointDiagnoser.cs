using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Org.BouncyCastle.Tls;
using OtelTls.Engine.Certificates;
using OtelTls.Engine.Otlp;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;
using OtelTls.Engine.Endpoints;
using OtelTls.Engine.Vocabulary;

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
        public static async Task<OtlpTlsDiagnosis> DiagnoseAsync(OtlpEndpoint endpoint, DiagnosisOptions options, CancellationToken cancellationToken)
        {
            var run = new Run(endpoint, options, cancellationToken);
            await run.ExecuteAsync().ConfigureAwait(false);
            return run.Result();
        }

        /// <summary>The openssl s_client command that reproduces the probe by hand.</summary>
        /// <param name="endpoint">The endpoint.</param>
        /// <param name="options">The diagnosis options.</param>
        public static string OpenSslCommand(OtlpEndpoint endpoint, DiagnosisOptions options)
        {
            var parts = new List<string> { "openssl s_client", "-connect " + endpoint.Authority };
            var serverName = ServerNameFor(endpoint, options);
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

        private static string? ServerNameFor(OtlpEndpoint endpoint, DiagnosisOptions options) =>
            options.Client.ServerName ?? (endpoint.IsIPAddress ? null : endpoint.Host);

        private static string Quote(string path) => path.IndexOf(' ') >= 0 ? "'" + path + "'" : path;

        // Below this a stage cannot do anything useful (one loopback round trip plus a handshake's CPU).
        private static readonly TimeSpan MinimumStageTime = TimeSpan.FromMilliseconds(50);

        private sealed class Run
        {
            private readonly OtlpEndpoint endpoint;
            private readonly DiagnosisOptions options;
            private readonly CancellationToken cancellationToken;
            private readonly Stopwatch stopwatch = Stopwatch.StartNew();
            private readonly List<OtlpFinding> findings = new();
            private readonly OtlpTlsDiagnosis diagnosis;
            private readonly OtlpTlsVersion[] offered;
            private readonly string? serverName;
            private bool sendClientCertificate;
            private bool leafOnlyRefused;

            public Run(OtlpEndpoint endpoint, DiagnosisOptions options, CancellationToken cancellationToken)
            {
                this.endpoint = endpoint;
                this.options = options;
                this.cancellationToken = cancellationToken;
                offered = options.TlsVersions is { Count: > 0 } ? options.TlsVersions.Distinct().OrderBy(v => v).ToArray() : TlsVersions.Current.ToArray();
                serverName = ServerNameFor(endpoint, options);
                diagnosis = new OtlpTlsDiagnosis
                {
                    Endpoint = endpoint.Original.Trim(),
                    Target = endpoint,
                    Timestamp = DateTimeOffset.Now,
                    OpenSslCommand = OpenSslCommand(endpoint, options),
                };
            }

            public OtlpTlsDiagnosis Result()
            {
                diagnosis.Findings = OtlpCertificateCheck.Order(findings);
                diagnosis.Duration = stopwatch.Elapsed;
                diagnosis.Summary = Summarize();
                return diagnosis;
            }

            public async Task ExecuteAsync()
            {
                CheckClientPair();
                var network = await ConnectAsync().ConfigureAwait(false);
                if (network is null)
                {
                    return;
                }

                var (address, socket) = network.Value;
                var mainSettings = ProbeSettings(offered, cipherSuites: null, sendClientCertificate);
                var askedForPlaintext = endpoint.TlsRequested == false;
                if (askedForPlaintext)
                {
                    // http:// asks for plaintext: the probe only looks for a TLS server by mistake, and leaves the export
                    // (the real test) half of the time a silent plaintext receiver would otherwise use up.
                    mainSettings.Timeout = TimeSpan.FromTicks(mainSettings.Timeout.Ticks / 2);
                }

                Task<PlatformTlsCheck.PlatformResult>? platform = null;
                if (!options.HandshakeOnly)
                {
                    // The probe may wait after its handshake (the server's verdict on a client certificate, its HTTP/2
                    // SETTINGS): the platform check starts as soon as the handshake is done, so the two waits overlap.
                    mainSettings.CheckHttp2Settings = !options.SkipExport; // part of the export stage: is there an HTTP/2 server?
                    mainSettings.HandshakeCompleted = certificateRequested =>
                    {
                        if (!HasTimeLeft)
                        {
                            return; // the deadline leaves no time for it; it is not started
                        }

                        var platformOptions = WithRemainingTime();
                        var window = TlsProbe.ConfirmationWindow < platformOptions.Client.Timeout ? TlsProbe.ConfirmationWindow : platformOptions.Client.Timeout;
                        platform = PlatformTlsCheck.RunAsync(address, serverName ?? endpoint.Host, endpoint.Protocol, platformOptions, certificateRequested,
                            cancellationToken, DateTime.UtcNow + window);
                    };
                }

                var main = await TlsProbe.RunAsync(address, mainSettings, cancellationToken, socket).ConfigureAwait(false);
                if (askedForPlaintext && main.Outcome == TlsProbeOutcome.TimedOut && main.Version is null && main.FirstBytes.Length == 0)
                {
                    // A plaintext HTTP/1.1 or h2c receiver reads until a complete request and never answers a ClientHello.
                    main.Outcome = TlsProbeOutcome.Plaintext;
                    main.PlaintextKind = $"no answer to a TLS ClientHello in {mainSettings.Timeout.TotalSeconds:0.#} s, as a plaintext receiver waiting for a complete request does";
                }

                Narrate($"Probe handshake: {Describe(main)} in {main.Duration.TotalMilliseconds:F0} ms");

                RecordTls(main);
                if (options.HandshakeOnly)
                {
                    JudgeHandshake(main, null, Array.Empty<(OtlpTlsVersion, OtlpTlsVersionSupport)>());
                    return;
                }

                // Every stage shares the one -TimeoutSec deadline; a stage the deadline leaves no time for is not started.
                var reachedTls = (main.Version is not null || main.Outcome is TlsProbeOutcome.AlertReceived or TlsProbeOutcome.AlertRaised) && HasTimeLeft;
                if (!HasTimeLeft)
                {
                    Narrate($"Deadline: the {options.Client.Timeout.TotalSeconds:0.#} s bound is used up; no further stage is started");
                }

                var sweep = reachedTls ? SweepVersionsAsync(address, main) : Task.FromResult(Array.Empty<(OtlpTlsVersion Version, OtlpTlsVersionSupport Support)>());
                platform ??= reachedTls && !options.HandshakeOnly ? PlatformTlsCheck.RunAsync(address, serverName ?? endpoint.Host, endpoint.Protocol, WithRemainingTime(), main.CertificateRequested, cancellationToken) : null;
                var wide = NeedsWideRetry(main) && HasTimeLeft
                    ? TlsProbe.RunAsync(address, ProbeSettings(offered, TlsNames.KnownCipherSuites, sendClientCertificate), cancellationToken)
                    : null;

                var versionSupport = await sweep.ConfigureAwait(false);
                diagnosis.Tls!.VersionSupport = versionSupport.Select(v => v.Support).ToArray();
                var wideResult = wide is null ? null : await wide.ConfigureAwait(false);
                var handshakeOk = JudgeHandshake(main, wideResult, versionSupport);
                var certificatesOk = JudgeCertificates();
                JudgeClientAuthentication(main);
                JudgeHttp2(main);

                if (platform is not null)
                {
                    var platformResult = await platform.ConfigureAwait(false);
                    ComparePlatform(main, platformResult, handshakeOk && certificatesOk);
                }

                var plaintextAsAsked = main.Outcome == TlsProbeOutcome.Plaintext && endpoint.TlsRequested == false;
                await ExportAsync(handshakeOk && certificatesOk || plaintextAsAsked).ConfigureAwait(false);
            }

            private async Task ExportAsync(bool transportReady)
            {
                var blocking = findings.FirstOrDefault(f => f.Severity == OtlpSeverity.Error);
                if (options.SkipExport || !transportReady || blocking is not null || !HasTimeLeft)
                {
                    diagnosis.Otlp = new OtlpExportCheck
                    {
                        Ran = false,
                        Message = options.SkipExport ? "skipped (-SkipExport)"
                            : transportReady && blocking is null ? $"not run: the {options.Client.Timeout.TotalSeconds:0.#} s time limit (-TimeoutSec) was used up before the export"
                            : $"not run: the connection fails before OTLP ({blocking?.Id ?? "TLS"}), so no export could arrive",
                    };
                    return;
                }

                if (leafOnlyRefused)
                {
                    // The export goes through .NET too, so it would fail for the reason the finding already gives.
                    diagnosis.Otlp = new OtlpExportCheck
                    {
                        Ran = false,
                        Message = "not run: the server refuses the client certificate .NET sends (the leaf without its intermediate; PlatformDisagreement), so a .NET export could not arrive",
                    };
                    return;
                }

                var probe = await OtlpClient.ProbeAsync(endpoint, options.Client.WithTimeout(Remaining), cancellationToken).ConfigureAwait(false);
                diagnosis.Otlp = probe.Check;
                Narrate($"OTLP: empty {endpoint.Protocol} export to {probe.Check.Url}: {probe.Check.Message}");
                if (probe.Finding is not null)
                {
                    findings.Add(probe.Finding);
                }
            }

            private void CheckClientPair()
            {
                var credential = options.Client.Credential;
                if (credential is null)
                {
                    return;
                }

                var leaf = credential.Chain[0];
                sendClientCertificate = true;
                if (!credential.KeyMatches)
                {
                    findings.Add(DiagnosisFindings.ClientKeyMismatch(options.Client.ClientCertificatePath ?? leaf.Subject, options.Client.ClientKeyPath));
                    sendClientCertificate = false;
                }

                if (leaf.EnhancedKeyUsages.Length > 0 && !leaf.EnhancedKeyUsages.Any(u => u.IndexOf("Client", StringComparison.OrdinalIgnoreCase) >= 0 || u == "1.3.6.1.5.5.7.3.2"))
                {
                    findings.Add(DiagnosisFindings.ClientCertificateNotForClientAuth(leaf.Subject, leaf.EnhancedKeyUsages));
                }
            }

            private async Task<(IPEndPoint, Socket)?> ConnectAsync()
            {
                var network = new OtlpNetworkInfo { Host = endpoint.Host, Port = endpoint.Port };
                diagnosis.Network = network;
                var dnsWatch = Stopwatch.StartNew();
                IPAddress[] addresses;
                if (IPAddress.TryParse(endpoint.Host, out var literal))
                {
                    addresses = new[] { literal };
                }
                else
                {
                    try
                    {
                        var lookup = Dns.GetHostAddressesAsync(endpoint.Host);
                        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                        var finished = await Task.WhenAny(lookup, Task.Delay(Remaining, bound.Token)).ConfigureAwait(false);
                        bound.Cancel(); // no timer left running once DNS has answered
                        cancellationToken.ThrowIfCancellationRequested();
                        if (finished != lookup)
                        {
                            findings.Add(DiagnosisFindings.DnsResolutionFailed(endpoint, $"no DNS answer within {options.Client.Timeout.TotalSeconds:F0} s"));
                            return null;
                        }

                        addresses = await lookup.ConfigureAwait(false);
                    }
                    catch (SocketException e)
                    {
                        findings.Add(DiagnosisFindings.DnsResolutionFailed(endpoint, e.Message));
                        return null;
                    }
                }

                network.DnsDuration = dnsWatch.Elapsed;
                network.Addresses = addresses.Select(a => a.ToString()).ToArray();
                Narrate($"DNS: {endpoint.Host} → {string.Join(", ", network.Addresses)} ({network.DnsDuration.TotalMilliseconds:F1} ms)");
                if (addresses.Length == 0)
                {
                    findings.Add(DiagnosisFindings.DnsResolutionFailed(endpoint, "no addresses"));
                    return null;
                }

                var failures = new List<string>();
                var timedOut = false;
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                deadline.CancelAfter(Remaining);
                foreach (var address in addresses)
                {
                    var target = new IPEndPoint(address, endpoint.Port);
                    var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    var connectWatch = Stopwatch.StartNew();
                    try
                    {
                        await SocketConnect.ConnectAsync(socket, target, deadline.Token).ConfigureAwait(false);
                        network.ConnectedAddress = address.ToString();
                        network.ConnectDuration = connectWatch.Elapsed;
                        Narrate($"TCP: connected to {target} in {network.ConnectDuration.TotalMilliseconds:F1} ms");
                        return (target, socket);
                    }
                    catch (Exception e) when (e is SocketException || e is OperationCanceledException || e is ObjectDisposedException)
                    {
                        socket.Dispose();
                        cancellationToken.ThrowIfCancellationRequested();
                        timedOut |= deadline.IsCancellationRequested || (e is SocketException { SocketErrorCode: SocketError.TimedOut });
                        failures.Add($"{target}: {(deadline.IsCancellationRequested ? "timed out" : e.Message)}");
                        Narrate($"TCP: {failures[failures.Count - 1]}");
                        if (deadline.IsCancellationRequested)
                        {
                            break;
                        }
                    }
                }

                findings.Add(timedOut
                    ? DiagnosisFindings.ConnectionTimedOut(endpoint, string.Join("; ", failures))
                    : DiagnosisFindings.ConnectionRefused(endpoint, string.Join("; ", failures)));
                return null;
            }

            private TlsProbeSettings ProbeSettings(IEnumerable<OtlpTlsVersion> versions, int[]? cipherSuites, bool withClientCertificate) => new()
            {
                Versions = versions.OrderByDescending(v => v).Select(TlsVersions.ToProtocolVersion).ToArray(),
                CipherSuites = cipherSuites,
                ApplicationProtocols = endpoint.Protocol == OtlpProtocol.Grpc
                    ? new List<ProtocolName> { ProtocolName.Http_2_Tls }
                    : new List<ProtocolName> { ProtocolName.Http_2_Tls, ProtocolName.Http_1_1 },
                ServerName = serverName,
                ClientCertificateChain = withClientCertificate ? options.Client.Credential!.BouncyCastleChain.Select(c => c.GetEncoded()).ToArray() : null,
                ClientKey = withClientCertificate ? options.Client.Credential!.Key : null,
                Timeout = Remaining,
            };

            // The one deadline of this endpoint: -TimeoutSec from the start of the diagnosis, shared by DNS, connect, the
            // handshakes, the platform check and the export, so the documented bound is the real one.
            private TimeSpan Remaining
            {
                get
                {
                    var left = options.Client.Timeout - stopwatch.Elapsed;
                    return left > MinimumStageTime ? left : MinimumStageTime;
                }
            }

            private bool HasTimeLeft => options.Client.Timeout - stopwatch.Elapsed > MinimumStageTime;

            private DiagnosisOptions WithRemainingTime()
            {
                // The copy shares the client files already read; only the command's settings dispose them.
                var copy = options.Copy();
                copy.Client = options.Client.WithTimeout(Remaining);
                return copy;
            }

            private async Task<(OtlpTlsVersion Version, OtlpTlsVersionSupport Support)[]> SweepVersionsAsync(IPEndPoint address, TlsProbeResult main)
            {
                var attempts = TlsVersions.All.Select(async version =>
                {
                    if (main.Outcome == TlsProbeOutcome.Connected && TlsVersions.FromProtocolVersion(main.Version) == version)
                    {
                        return (version, new OtlpTlsVersionSupport { Version = TlsVersions.DisplayName(version), Supported = true, Detail = "negotiated" });
                    }

                    var settings = ProbeSettings(new[] { version }, TlsNames.KnownCipherSuites, withClientCertificate: false);
                    settings.StopAfterServerHello = true;
                    var attempt = await TlsProbe.RunAsync(address, settings, cancellationToken).ConfigureAwait(false);
                    var supported = attempt.Version is { } seen
                        ? TlsVersions.FromProtocolVersion(seen) == version
                        : attempt.Outcome is TlsProbeOutcome.AlertReceived or TlsProbeOutcome.Closed or TlsProbeOutcome.Reset or TlsProbeOutcome.AlertRaised ? false : (bool?)null;
                    var support = new OtlpTlsVersionSupport { Version = TlsVersions.DisplayName(version), Supported = supported, Detail = Describe(attempt) };
                    Narrate($"Version sweep: {support.Version}: {(supported is null ? "unknown" : supported.Value ? "accepted" : "refused")} ({support.Detail})");
                    return (version, support);
                });
                return await Task.WhenAll(attempts).ConfigureAwait(false);
            }

            private static bool NeedsWideRetry(TlsProbeResult main) =>
                main.Outcome == TlsProbeOutcome.AlertReceived && main.Version is null &&
                main.AlertReceived is AlertDescription.handshake_failure or AlertDescription.insufficient_security or AlertDescription.illegal_parameter;

            private void RecordTls(TlsProbeResult main)
            {
                diagnosis.Tls = new OtlpTlsInfo
                {
                    IsTls = main.Outcome == TlsProbeOutcome.Plaintext ? false : main.Version is not null || main.AlertReceived is not null ? true : null,
                    PlaintextKind = main.PlaintextKind,
                    HandshakeSucceeded = main.Outcome == TlsProbeOutcome.Connected,
                    Version = main.Version is null ? null : TlsVersions.DisplayName(main.Version),
                    CipherSuite = main.CipherSuite is null ? null : TlsNames.CipherSuiteName(main.CipherSuite.Value),
                    Alpn = main.ApplicationProtocol,
                    ServerName = serverName,
                    HandshakeDuration = main.Duration,
                    AlertReceived = main.AlertReceived is null ? null : TlsNames.AlertName(main.AlertReceived.Value),
                    AlertRaised = main.AlertRaised is null ? null : TlsNames.AlertName(main.AlertRaised.Value),
                };
                diagnosis.Chain = main.ServerChain.Select((der, i) => CertificateDescriber.Create(CertificateDecoder.Decode(der), null, i, endpoint: endpoint.Authority)).ToArray();
                diagnosis.ClientAuth = new OtlpClientAuthInfo
                {
                    CertificateRequested = main.CertificateRequested,
                    AcceptableAuthorities = main.AcceptableAuthorities.Select(CertificateDescriber.FormatName).ToArray(),
                    CertificateSent = main.ClientCertificateSent,
                    ClientCertificateSubject = options.Client.ClientCertificateChain?.FirstOrDefault()?.Subject,
                };
            }

            private bool JudgeHandshake(TlsProbeResult main, TlsProbeResult? wide, (OtlpTlsVersion Version, OtlpTlsVersionSupport Support)[] versions)
            {
                var accepted = versions.Where(v => v.Support.Supported == true).Select(v => v.Version).ToList();
                var legacy = accepted.Where(TlsVersions.IsLegacy).ToList();
                if (legacy.Count > 0)
                {
                    findings.Add(DiagnosisFindings.LegacyProtocolEnabled(endpoint, legacy));
                }

                switch (main.Outcome)
                {
                    case TlsProbeOutcome.Plaintext:
                        findings.Add(DiagnosisFindings.TlsNotEnabled(endpoint, main.PlaintextKind ?? "not TLS"));
                        return false;
                    case TlsProbeOutcome.TimedOut:
                        findings.Add(DiagnosisFindings.HandshakeTimedOut(endpoint, main.Version is not null || main.FirstBytes.Length > 0));
                        return false;
                    case TlsProbeOutcome.Reset:
                    case TlsProbeOutcome.Closed:
                        if (main.FailedAfterHandshake && main.CertificateRequested)
                        {
                            return true; // judged as a client-authentication failure
                        }

                        findings.Add(DiagnosisFindings.HandshakeReset(endpoint, main.Detail ?? main.Outcome.ToString()));
                        return false;
                    case TlsProbeOutcome.ConnectFailed:
                        findings.Add(DiagnosisFindings.HandshakeReset(endpoint, main.Detail ?? "the connection was lost"));
                        return false;
                    case TlsProbeOutcome.AlertReceived when main.AlertReceived == AlertDescription.protocol_version
                        || (main.Version is null && accepted.Count > 0 && !accepted.Intersect(offered).Any()):
                        findings.Add(DiagnosisFindings.ProtocolVersionMismatch(endpoint, offered, accepted));
                        return false;
                    case TlsProbeOutcome.AlertReceived when wide is not null && wide.Version is not null && wide.CipherSuite is not null:
                        findings.Add(DiagnosisFindings.CipherSuiteMismatch(endpoint, TlsNames.CipherSuiteName(wide.CipherSuite.Value)));
                        return false;
                    case TlsProbeOutcome.AlertReceived when main.AlertReceived == AlertDescription.no_application_protocol:
                        findings.Add(DiagnosisFindings.AlpnH2NotNegotiated(endpoint, "refused with no_application_protocol(120)"));
                        return false;
                    case TlsProbeOutcome.AlertReceived when main.CertificateRequested:
                    case TlsProbeOutcome.AlertRaised when main.FailedAfterHandshake && main.CertificateRequested:
                        return true; // judged by the client-authentication stage
                    case TlsProbeOutcome.AlertReceived:
                        findings.Add(DiagnosisFindings.HandshakeFailed(endpoint, TlsNames.AlertName(main.AlertReceived!.Value), raisedByClient: false));
                        return false;
                    case TlsProbeOutcome.AlertRaised:
                        findings.Add(DiagnosisFindings.HandshakeFailed(endpoint, TlsNames.AlertName(main.AlertRaised!.Value) + (main.Detail is null ? string.Empty : " (" + main.Detail + ")"), raisedByClient: true));
                        return false;
                }

                if (endpoint.Protocol == OtlpProtocol.Grpc && main.ApplicationProtocol != "h2")
                {
                    findings.Add(DiagnosisFindings.AlpnH2NotNegotiated(endpoint, main.ApplicationProtocol));
                }

                return true;
            }

            private bool JudgeCertificates()
            {
                if (diagnosis.Chain.Length == 0)
                {
                    return false;
                }

                var check = CertificateChecker.Check(diagnosis.Chain, new CertificateCheckOptions
                {
                    TrustedAuthorities = options.Client.TrustedAuthorities,
                    HostName = serverName ?? endpoint.Host,
                    Usage = OtlpCertificateUsage.Server,
                    ExpiryWarningDays = options.ExpiryWarningDays,
                    PresentedByServer = true,
                });
                diagnosis.Trust = check;
                findings.AddRange(check.Findings);
                Narrate($"Certificates: {diagnosis.Chain.Length} sent, leaf '{diagnosis.Chain[0].Subject}'; {(check.Findings.Length == 0 ? "trusted, valid, name matches" : string.Join(", ", check.Findings.Select(f => f.Id)))}");
                return check.IsValid;
            }

            private void JudgeClientAuthentication(TlsProbeResult main)
            {
                var auth = diagnosis.ClientAuth!;
                if (!main.CertificateRequested)
                {
                    return;
                }

                var failed = main.Outcome != TlsProbeOutcome.Connected;
                var alert = main.AlertReceived is null ? null : TlsNames.AlertName(main.AlertReceived.Value);
                Narrate($"Client authentication: the server asked for a certificate (accepts {(auth.AcceptableAuthorities.Length == 0 ? "any CA" : string.Join("; ", auth.AcceptableAuthorities))}); " +
                        $"{(main.ClientCertificateSent ? "one was sent" : "none was sent")}; {(failed ? "refused" + (alert is null ? string.Empty : " with " + alert) : "accepted")}");
                auth.Accepted = main.ClientCertificateSent ? !failed : null;
                var leaf = options.Client.ClientCertificateChain?.FirstOrDefault();
                if (leaf is not null && auth.AcceptableAuthorities.Length > 0)
                {
                    var issuers = options.Client.ClientCertificateChain!.Select(c => c.Issuer).ToList();
                    if (!issuers.Any(i => auth.AcceptableAuthorities.Contains(i, StringComparer.OrdinalIgnoreCase)))
                    {
                        findings.Add(DiagnosisFindings.ClientCertificateIssuerNotAccepted(leaf.Subject, leaf.Issuer, auth.AcceptableAuthorities));
                    }
                }

                if (!failed)
                {
                    return;
                }

                if (!main.ClientCertificateSent)
                {
                    findings.Add(DiagnosisFindings.ClientCertificateRequired(endpoint, auth.AcceptableAuthorities, alert));
                }
                else
                {
                    findings.Add(DiagnosisFindings.ClientCertificateRejected(endpoint, leaf?.Subject ?? "(client certificate)", alert ?? main.Detail ?? main.Outcome.ToString(), auth.AcceptableAuthorities));
                }
            }

            private void JudgeHttp2(TlsProbeResult main)
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

                Narrate($"HTTP/2: ALPN h2 negotiated, but the server answered the connection preface with {what ?? "nothing"} within {main.Http2Window.TotalMilliseconds:F0} ms");
                findings.Add(DiagnosisFindings.NotAnHttp2Server(endpoint, what, main.Http2Window));
            }

            // Names what a TLS port that is not HTTP/2 sent back: an HTTP/1.x status line, or its first bytes.
            private static string DescribeAnswer(byte[] answer)
            {
                var kind = TlsProbe.PlaintextKind(answer);
                return kind.StartsWith("HTTP/1.x", StringComparison.Ordinal) ? kind : "bytes that are not an HTTP/2 frame (" + BitConverter.ToString(answer, 0, Math.Min(answer.Length, 16)) + ")";
            }

            private void ComparePlatform(TlsProbeResult main, PlatformTlsCheck.PlatformResult platform, bool probeSaysGood)
            {
                var probeConnected = main.Outcome == TlsProbeOutcome.Connected;
                var agrees = platform.Succeeded == (probeConnected && probeSaysGood);
                diagnosis.Platform = new OtlpPlatformCheck
                {
                    Stack = platform.Stack,
                    Succeeded = platform.Succeeded,
                    Version = platform.Version,
                    Alpn = platform.Alpn,
                    Errors = platform.Errors,
                    AgreesWithProbe = agrees,
                    Message = platform.Message + (platform.Note is null ? string.Empty : " (" + platform.Note + ")"),
                };
                Narrate($"Platform check ({platform.Stack}): {diagnosis.Platform.Message}");
                var credential = options.Client.Credential;
                if (!agrees && probeConnected && probeSaysGood && !platform.Succeeded && main.CertificateRequested && main.ClientCertificateSent
                    && credential is { HasIntermediates: true })
                {
                    leafOnlyRefused = true;
                    findings.Add(DiagnosisFindings.PlatformClientChainNotSent(credential.Chain[0].Subject, credential.Chain[0].Issuer, credential.CertificatePath, platform.Message));
                }
                else if (!agrees)
                {
                    findings.Add(DiagnosisFindings.PlatformDisagreement(
                        probeConnected && probeSaysGood ? "found no error" : "failed (" + string.Join(", ", findings.Where(f => f.Severity == OtlpSeverity.Error).Select(f => f.Id).DefaultIfEmpty(main.Outcome.ToString())) + ")",
                        platform.Succeeded ? "connected and trusted the server" : platform.Message));
                }
            }

            private string Summarize()
            {
                var first = diagnosis.Findings.FirstOrDefault(f => f.Severity != OtlpSeverity.Info);
                if (first is not null)
                {
                    var more = diagnosis.Findings.Count(f => f.Severity != OtlpSeverity.Info) - 1;
                    return first.Message + (more > 0 ? $" (+{more} more)" : string.Empty);
                }

                var tls = diagnosis.Tls;
                return tls is null || !tls.HandshakeSucceeded
                    ? "No finding."
                    : $"{tls.Version}, {tls.CipherSuite}, ALPN {tls.Alpn ?? "none"}; certificate trusted and valid for {serverName ?? endpoint.Host}.";
            }

            private static string Describe(TlsProbeResult attempt) => attempt.Outcome switch
            {
                TlsProbeOutcome.Connected => $"{TlsVersions.DisplayName(attempt.Version!)} {(attempt.CipherSuite is null ? string.Empty : TlsNames.CipherSuiteName(attempt.CipherSuite.Value))}, ALPN {attempt.ApplicationProtocol ?? "none"}",
                TlsProbeOutcome.ServerHelloSeen => $"server chose {TlsVersions.DisplayName(attempt.Version!)}",
                TlsProbeOutcome.AlertReceived => "server alert " + TlsNames.AlertName(attempt.AlertReceived!.Value) + (attempt.FailedAfterHandshake ? " after the handshake" : string.Empty),
                TlsProbeOutcome.AlertRaised => "client alert " + TlsNames.AlertName(attempt.AlertRaised!.Value),
                TlsProbeOutcome.Plaintext => "plaintext: " + attempt.PlaintextKind,
                _ => attempt.Outcome.ToString().ToLowerInvariant() + (attempt.Detail is null ? string.Empty : ": " + attempt.Detail),
            };

            private void Narrate(string line) => options.Narrate?.Invoke($"{endpoint.Authority}: {line}");
        }
    }
}
