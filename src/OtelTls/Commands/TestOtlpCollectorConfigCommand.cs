using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using OtelTls.Engine.Collector;
using OtelTls.Support;

namespace OtelTls.Commands
{
    /// <summary>
    /// <para type="synopsis">Checks an OpenTelemetry Collector configuration's tls: blocks: configtls rules, the certificate files, and the known traps.</para>
    /// <para type="description">Reads the YAML as the collector does (${env:VAR} substitution, several files merged in order) and returns one object per
    /// receiver protocol, exporter or extension with TLS settings or an endpoint, each with findings that name the file, the YAML path and the line.
    /// The objects pipe into Test-OtlpTlsEndpoint: Endpoint, CaCertificate, ClientCertificate, ClientKey and ServerName bind by name.</para>
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "OtlpCollectorConfig")]
    [OutputType(typeof(OtlpCollectorComponent), typeof(bool))]
    public sealed class TestOtlpCollectorConfigCommand : OtlpCmdlet
    {
        private readonly List<string> _paths = new();

        /// <summary>The collector's configuration files, merged in order (like several --config options).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName", "PSPath")]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = null!;

        /// <summary>Values for ${env:VAR} substitution; they take precedence over the process environment.</summary>
        [Parameter]
        public Hashtable? Environment { get; set; }

        /// <summary>Substitute only from -Environment, not from this process's environment.</summary>
        [Parameter]
        public SwitchParameter NoProcessEnvironment { get; set; }

        /// <summary>A folder as the collector sees it (a container mount such as /etc/otelcol/tls); paths below it are read from -LocalPath.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? CollectorPath { get; set; }

        /// <summary>The local folder that holds what the collector sees at -CollectorPath.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? LocalPath { get; set; }

        /// <summary>The host the receivers are reached on (their Endpoint property uses it instead of 0.0.0.0).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ReceiverHost { get; set; }

        /// <summary>The CA files the exporters of these receivers trust: the receivers' certificate chains are checked against them.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? CaCertificate { get; set; }

        /// <summary>Check the configuration only, not the certificate and key files it names.</summary>
        [Parameter]
        public SwitchParameter SkipFileCheck { get; set; }

        /// <summary>Certificates that expire within this many days get a warning.</summary>
        [Parameter]
        [ValidateRange(0, 3650)]
        public int ExpiryWarningDays { get; set; } = 30;

        /// <summary>Write only $true (no Error finding anywhere) or $false.</summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        /// <summary>Collects the files; they are merged, so the check runs once all have arrived.</summary>
        protected override void ProcessRecord()
        {
            foreach (var path in Path)
            {
                _paths.AddRange(PathResolution.ResolveExisting(this, path, literal: false));
            }
        }

        /// <summary>Reads, merges and checks.</summary>
        protected override void EndProcessing()
        {
            if (_paths.Count == 0)
            {
                return;
            }

            var environment = new Dictionary<string, string>();
            if (Environment is not null)
            {
                foreach (DictionaryEntry entry in Environment)
                {
                    environment[entry.Key.ToString()!] = entry.Value?.ToString() ?? string.Empty;
                }
            }

            TryRun(() =>
            {
                var components = CollectorConfigLinter.Check(new CollectorLintOptions
                {
                    Paths = _paths,
                    Environment = environment,
                    UseProcessEnvironment = !NoProcessEnvironment,
                    CollectorPath = CollectorPath,
                    LocalPath = LocalPath is null ? null : PathResolution.ResolveForOutput(this, LocalPath),
                    ReceiverHost = ReceiverHost,
                    TrustedCaFiles = CaCertificate?.Select(c => PathResolution.ResolveForOutput(this, c)).ToArray() ?? Array.Empty<string>(),
                    SkipFileChecks = SkipFileCheck,
                    ExpiryWarningDays = ExpiryWarningDays,
                });
                if (Quiet)
                {
                    WriteObject(components.All(c => c.Status != OtlpStatus.Failed));
                    return;
                }

                WriteObject(components, enumerateCollection: true);
            });
        }
    }
}
