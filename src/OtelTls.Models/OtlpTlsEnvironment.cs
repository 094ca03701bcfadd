using System;
using System.Collections.Generic;
using System.Linq;

namespace OtelTls
{
    /// <summary>
    /// The OTLP exporter configuration held by a set of environment variables (the process, a dotenv file, a CI
    /// target), resolved per signal the way the OpenTelemetry specification says, with every problem as a finding.
    /// </summary>
    public sealed class OtlpTlsEnvironment
    {
        internal OtlpTlsEnvironment() { }

        /// <summary>Where the variables came from: <c>Process</c>, <c>User</c>, <c>Machine</c>, a dotenv file path, or a CI target name.</summary>
        public string Source { get; internal set; } = string.Empty;

        /// <summary>
        /// Every <c>OTEL_EXPORTER_OTLP_*</c> variable that is set (plus <c>NODE_EXTRA_CA_CERTS</c>), name to value;
        /// header values are masked, so this is safe to log.
        /// </summary>
        public IDictionary<string, string> Variables { get; internal set; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

        /// <summary>The effective configuration for traces, metrics and logs, in that order.</summary>
        public OtlpSignalConfiguration[] Signals { get; internal set; } = Array.Empty<OtlpSignalConfiguration>();

        /// <summary>Everything found, worst first.</summary>
        public OtlpFinding[] Findings { get; internal set; } = Array.Empty<OtlpFinding>();

        /// <summary>The moment certificate validity was checked at.</summary>
        public DateTimeOffset Timestamp { get; internal set; }

        /// <summary>
        /// The folder relative file paths in the variables are resolved against: the dotenv file's folder, or for the
        /// process the PowerShell session's current location (where the programs it starts run).
        /// </summary>
        public string BaseDirectory { get; internal set; } = string.Empty;

        /// <summary>Healthy, Warning or Failed, from the worst finding.</summary>
        public OtlpStatus Status => Findings.Length == 0 ? OtlpStatus.Healthy
            : Findings.Max(f => f.Severity) switch
            {
                OtlpSeverity.Error => OtlpStatus.Failed,
                OtlpSeverity.Warning => OtlpStatus.Warning,
                _ => OtlpStatus.Healthy,
            };

        /// <summary>The configuration of one signal (<c>traces</c>, <c>metrics</c>, <c>logs</c>), or null.</summary>
        public OtlpSignalConfiguration? GetSignal(string signal) =>
            Signals.FirstOrDefault(s => string.Equals(s.Signal, signal, StringComparison.OrdinalIgnoreCase));

        /// <summary>Source, status and how many variables and findings.</summary>
        public override string ToString() => $"{Source}: {Status} ({Variables.Count} variables, {Findings.Length} findings)";
    }

    /// <summary>
    /// What an OTLP exporter for one signal will do with the environment: protocol, URL, whether it uses TLS, and which
    /// files it loads, each with the variable it came from.
    /// </summary>
    public sealed class OtlpSignalConfiguration
    {
        internal OtlpSignalConfiguration() { }

        /// <summary><c>traces</c>, <c>metrics</c> or <c>logs</c>.</summary>
        public string Signal { get; internal set; } = string.Empty;

        /// <summary>The transport (<c>http/json</c> counts as HTTP: TLS works the same).</summary>
        public OtlpProtocol Protocol { get; internal set; }

        /// <summary>The protocol as written (<c>grpc</c>, <c>http/protobuf</c>, <c>http/json</c>), or the specification's default.</summary>
        public string ProtocolName { get; internal set; } = string.Empty;

        /// <summary>The variable that set the protocol, or <c>default</c>.</summary>
        public string ProtocolSource { get; internal set; } = "default";

        /// <summary>The variable that set the endpoint, or <c>default</c>.</summary>
        public string EndpointSource { get; internal set; } = "default";

        /// <summary>
        /// The URL the exporter uses: for HTTP the generic endpoint plus <c>/v1/&lt;signal&gt;</c> or the per-signal endpoint
        /// as is; for gRPC the endpoint, with the scheme the security decision implies when it had none.
        /// </summary>
        public string Url { get; internal set; } = string.Empty;

        /// <summary>Host, port (made explicit the way the SDKs default it) and path; null when the endpoint could not be parsed.</summary>
        public OtlpEndpoint? Endpoint { get; internal set; }

        /// <summary>True when the exporter dials TLS.</summary>
        public bool UsesTls { get; internal set; }

        /// <summary>CA file the exporter trusts (<c>…_CERTIFICATE</c>), or null.</summary>
        public string? CertificatePath { get; internal set; }

        /// <summary>The variable that named <see cref="CertificatePath"/>.</summary>
        public string? CertificatePathSource { get; internal set; }

        /// <summary>Client certificate for mutual TLS (<c>…_CLIENT_CERTIFICATE</c>), or null.</summary>
        public string? ClientCertificatePath { get; internal set; }

        /// <summary>The variable that named <see cref="ClientCertificatePath"/>.</summary>
        public string? ClientCertificatePathSource { get; internal set; }

        /// <summary>Client private key for mutual TLS (<c>…_CLIENT_KEY</c>), or null.</summary>
        public string? ClientKeyPath { get; internal set; }

        /// <summary>The variable that named <see cref="ClientKeyPath"/>.</summary>
        public string? ClientKeyPathSource { get; internal set; }

        /// <summary>
        /// The effective <c>…_INSECURE</c>: true only for the case-insensitive text <c>true</c>, false for any other value,
        /// null when unset. It decides only for gRPC endpoints without a scheme.
        /// </summary>
        public bool? Insecure { get; internal set; }

        /// <summary>The variable that set <see cref="Insecure"/>, or null.</summary>
        public string? InsecureSource { get; internal set; }

        /// <summary>Names of the headers sent (<c>…_HEADERS</c>); never their values.</summary>
        public string[] HeaderNames { get; internal set; } = Array.Empty<string>();

        /// <summary>Signal, protocol and URL.</summary>
        public override string ToString() => $"{Signal}: {ProtocolName} {Url}";
    }
}

namespace OtelTls
{
    /// <summary>Where <c>Set-OtlpTlsEnvironment</c> writes the exporter variables.</summary>
    public enum OtlpEnvironmentTarget : long
    {
        /// <summary>The current process (and so the PowerShell session and the programs it starts).</summary>
        Process = 0,
        /// <summary>The user's persistent environment (Windows only).</summary>
        User = 1,
        /// <summary>The machine's persistent environment (Windows only, needs elevation).</summary>
        Machine = 2,
        /// <summary>A dotenv file (<c>KEY=value</c> lines) that a shell, docker or compose can read.</summary>
        DotEnv = 3,
        /// <summary>Azure DevOps logging commands (<c>##vso[task.setvariable …]</c>) for the following steps.</summary>
        AzureDevOps = 4,
        /// <summary>The file named by <c>GITHUB_ENV</c>, for the following GitHub Actions steps.</summary>
        GitHubActions = 5,
        /// <summary>An <c>env:</c> list for a Kubernetes container spec, printed or kept in a file.</summary>
        Kubernetes = 6,
    }
}
