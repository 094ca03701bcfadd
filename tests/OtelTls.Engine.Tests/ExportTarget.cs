using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using OtelTls.Engine.Client;
using OtelTls.Engine.Otlp;

namespace OtelTls.Engine.Tests;

/// <summary>
/// An endpoint plus the inputs of <see cref="OtlpClientSettings"/>, changeable between calls so a test can vary one
/// thing; every call builds the settings afresh, as a command does, and releases them.
/// </summary>
internal sealed class ExportTarget
{
    public OtlpEndpoint Endpoint { get; set; } = null!;

    public IReadOnlyList<OtlpCertificate>? TrustedAuthorities { get; set; }

    public string? ClientCertificateFile { get; set; }

    public string? ClientKeyFile { get; set; }

    public string? ServerName { get; set; }

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    public IReadOnlyDictionary<string, string> Headers { get; set; } = new Dictionary<string, string>();

    public OtlpClientSettings Settings() =>
        new(TrustedAuthorities, ClientCertificateFile, ClientKeyFile, null, ServerName, null, Headers, Timeout);

    public async Task<OtlpExportResult> SendAsync(OtlpTestSpan span, CancellationToken token)
    {
        using var settings = Settings();
        return await OtlpClient.SendTestSpanAsync(Endpoint, settings, span, token);
    }

    public async Task<OtlpExportProbeResult> ProbeAsync(CancellationToken token)
    {
        using var settings = Settings();
        return await OtlpClient.ProbeAsync(Endpoint, settings, token);
    }
}
