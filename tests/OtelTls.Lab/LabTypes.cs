using System;

namespace OtelTls.Lab;

/// <summary>
/// One lab scenario: what it reproduces and what a diagnosis must say about it.
/// </summary>
/// <param name="Name">Kebab-case name (<c>--scenario</c> on the console).</param>
/// <param name="Description">One sentence: what the server does.</param>
/// <param name="ExpectedFindingId">The <see cref="OtlpFindingId"/> a client configured as <see cref="Client"/> must report; null when healthy.</param>
/// <param name="ExpectedStatus">The overall verdict of that diagnosis.</param>
/// <param name="Client">How the diagnosing client must be configured to observe exactly that finding.</param>
public sealed record LabScenarioInfo(string Name, string Description, string? ExpectedFindingId, OtlpStatus ExpectedStatus, LabClient Client);

/// <summary>
/// What a diagnosing client should be configured with to observe exactly the expected finding
/// (e.g. private-ca: no CA file; missing-intermediate: the root only).
/// </summary>
/// <param name="UseCaFile">Trust <see cref="LabScenario.CaFile"/> (the lab root CA); false = the platform's trust only.</param>
/// <param name="UseClientCertificate">Present <see cref="LabScenario.ClientCertificateFile"/> and its key.</param>
/// <param name="ServerName">SNI / name to verify; null = the host of <see cref="LabScenario.Endpoint"/> (127.0.0.1).</param>
/// <param name="Protocol"><c>grpc</c> or <c>http/protobuf</c>.</param>
/// <param name="TlsVersion">Restrict the client to one version (<c>Tls12</c>, <c>Tls13</c>); null = client default.</param>
/// <param name="UseRequiredHeader">Send <see cref="LabScenario.RequiredHeaderName"/>: <see cref="LabScenario.RequiredHeaderValue"/>.</param>
public sealed record LabClient(bool UseCaFile, bool UseClientCertificate, string? ServerName = null, string Protocol = "grpc",
    string? TlsVersion = null, bool UseRequiredHeader = false);

/// <summary>Options for <see cref="LabScenario.StartAsync"/>.</summary>
public sealed class LabOptions
{
    /// <summary>Port to listen on (127.0.0.1); 0 = an ephemeral port.</summary>
    public int Port { get; set; }

    /// <summary>Serve this certificate (PEM, chain after the leaf) instead of a generated one (Kestrel TLS scenarios).</summary>
    public string? ServerCertificateFile { get; set; }

    /// <summary>The key of <see cref="ServerCertificateFile"/>.</summary>
    public string? ServerKeyFile { get; set; }

    /// <summary>With the mtls scenarios: trust client certificates issued by this CA (PEM) instead of the lab root.</summary>
    public string? ClientCaFile { get; set; }

    /// <summary>
    /// The lowest TLS version the server accepts (a collector's <c>tls.min_version</c>): Tls13 serves TLS 1.3 only; null
    /// keeps the scenario's own versions.
    /// </summary>
    public System.Security.Authentication.SslProtocols? MinimumTlsVersion { get; set; }

    /// <summary>The <c>slow</c> scenario writes one byte of its handshake per interval (default 100 ms).</summary>
    public TimeSpan SlowByteInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Called with one line per notable server event (console mode prints them); null = quiet.</summary>
    public Action<string>? Log { get; set; }
}
