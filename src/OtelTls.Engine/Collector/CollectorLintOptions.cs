using System;
using System.Collections.Generic;

namespace OtelTls.Engine.Collector
{
    /// <summary>What <see cref="CollectorConfigLinter.Check"/> reads and how it resolves what the configuration names.</summary>
    public sealed class CollectorLintOptions
    {
        /// <summary>Configuration files, merged in order as the collector merges several <c>--config</c> files.</summary>
        public IReadOnlyList<string> Paths { get; set; } = Array.Empty<string>();

        /// <summary>Variables for <c>${env:VAR}</c>; they take precedence over the process environment.</summary>
        public IReadOnlyDictionary<string, string> Environment { get; set; } = new Dictionary<string, string>();

        /// <summary>When false, only <see cref="Environment"/> is used for substitution.</summary>
        public bool UseProcessEnvironment { get; set; } = true;

        /// <summary>A folder as the collector sees it (a container mount path, e.g. <c>/etc/otelcol/tls</c>).</summary>
        public string? CollectorPath { get; set; }

        /// <summary>The local folder that <see cref="CollectorPath"/> corresponds to.</summary>
        public string? LocalPath { get; set; }

        /// <summary>The host each receiver is probed on (its listen host is usually 0.0.0.0); null keeps the configured host.</summary>
        public string? ReceiverHost { get; set; }

        /// <summary>CA files the exporters that talk to these receivers trust: the receivers' chains are checked against them.</summary>
        public IReadOnlyList<string> TrustedCaFiles { get; set; } = Array.Empty<string>();

        /// <summary>Check the configuration only, not the files it names.</summary>
        public bool SkipFileChecks { get; set; }

        /// <summary>Certificates expiring within this many days get a warning.</summary>
        public int ExpiryWarningDays { get; set; } = 30;

        /// <summary>The moment validity is checked at; null is now.</summary>
        public DateTimeOffset? At { get; set; }
    }
}
