using System;
using System.Collections.Generic;

namespace OtelTls.Engine.Configuration
{
    /// <summary>What <c>Set-OtlpTlsEnvironment</c> was asked to write.</summary>
    public sealed class OtlpEnvironmentRequest
    {
        /// <summary>The signal whose variables to write, or null for the generic variables.</summary>
        public OtlpSignal? Signal { get; set; }

        /// <summary>The endpoint URL (or host:port for gRPC).</summary>
        public string? Endpoint { get; set; }

        /// <summary>The protocol to set (written as the specification spells it), or null to leave it.</summary>
        public OtlpProtocol? Protocol { get; set; }

        /// <summary>Absolute path of the CA file.</summary>
        public string? CaCertificate { get; set; }

        /// <summary>Absolute path of the client certificate (PEM).</summary>
        public string? ClientCertificate { get; set; }

        /// <summary>Absolute path of the client key (PEM, unencrypted).</summary>
        public string? ClientKey { get; set; }

        /// <summary>
        /// Certificates piped to the command (from New-OtlpCertificate or Get-OtlpCertificate): a CA file sets
        /// <see cref="CaCertificate"/>, a client certificate <see cref="ClientCertificate"/> and, with its KeyPath,
        /// <see cref="ClientKey"/> (see <see cref="Certificates.PipedCertificateRoles"/>).
        /// </summary>
        public IReadOnlyList<OtlpCertificate> Certificates { get; set; } = Array.Empty<OtlpCertificate>();

        /// <summary>The INSECURE value to write, or null to leave it alone.</summary>
        public bool? Insecure { get; set; }

        /// <summary>SDKs to tailor for: dotnet, java, go, python, node, collector.</summary>
        public IList<OtlpSdk> Sdks { get; set; } = new List<OtlpSdk>();

        /// <summary>The moment validity is checked at (default: now).</summary>
        public DateTimeOffset? At { get; set; }

        /// <summary>
        /// The folder where the exporter finds the files, when it runs on another machine or in a container
        /// (<c>/etc/otel/tls</c>): the local files are checked, and the variables name <c>ExporterPath/&lt;file name&gt;</c>.
        /// Null: the variables name the local files.
        /// </summary>
        public string? ExporterPath { get; set; }

        /// <summary>A shallow copy, for the planner to fill in what the piped certificates give.</summary>
        internal OtlpEnvironmentRequest Copy() => (OtlpEnvironmentRequest)MemberwiseClone();
    }
}
