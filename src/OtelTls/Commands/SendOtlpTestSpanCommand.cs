using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Security;
using OtelTls.Engine.Diagnosis;
using OtelTls.Engine.Otlp;

namespace OtelTls.Commands
{
    /// <summary>
    /// <para type="synopsis">Exports one real test span to an OTLP receiver over gRPC or HTTP/protobuf, with the exporter's TLS settings.</para>
    /// <para type="description">Returns an OtlpExportResult with the trace id to look for in the backend, the receiver's answer and the TLS session; a failed export also writes an error whose id names the cause.</para>
    /// </summary>
    [Cmdlet(VerbsCommunications.Send, "OtlpTestSpan")]
    [OutputType(typeof(OtlpExportResult))]
    public sealed class SendOtlpTestSpanCommand : OtlpCmdlet
    {
        private const string GrpcName = "grpc";
        private const string HttpName = "http/protobuf";

        private IReadOnlyList<OtlpCertificate>? _trusted;

        /// <summary>The receiver: host:port, an https:// URL (for HTTP with its /v1/traces path), [::1]:4317, dns:///host:port.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Uri", "ComputerName")]
        [ValidateNotNullOrEmpty]
        public string Endpoint { get; set; } = null!;

        /// <summary>grpc or http/protobuf; without it, port 4318 or a /v1/ path means http/protobuf and everything else grpc.</summary>
        [Parameter]
        [ValidateSet(GrpcName, HttpName, IgnoreCase = true)]
        public string? Protocol { get; set; }

        /// <summary>CA certificates to trust instead of the system store: file paths or OtlpCertificate objects.</summary>
        [Parameter]
        [Alias("CaFile")]
        public object[]? CaCertificate { get; set; }

        /// <summary>Client certificate for mutual TLS: a file path, or an OtlpCertificate object (its Path and KeyPath are used).</summary>
        [Parameter]
        public object? ClientCertificate { get; set; }

        /// <summary>The client certificate's private key file.</summary>
        [Parameter]
        public string? ClientKey { get; set; }

        /// <summary>Password of an encrypted client key or PKCS#12 file.</summary>
        [Parameter]
        public SecureString? ClientKeyPassword { get; set; }

        /// <summary>Name to send as SNI and verify in the server certificate, like the collector's server_name_override.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ServerName { get; set; }

        /// <summary>Request headers (gRPC metadata), e.g. @{ Authorization = 'Bearer …' }. Values may be SecureStrings; they are never shown.</summary>
        [Parameter]
        public Hashtable? Header { get; set; }

        /// <summary>The service.name resource attribute of the span.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string ServiceName { get; set; } = "oteltls-probe";

        /// <summary>The span name.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string SpanName { get; set; } = "oteltls test span";

        /// <summary>Span attributes: strings, numbers, booleans, or arrays of them.</summary>
        [Parameter]
        public Hashtable? Attribute { get; set; }

        /// <summary>The signal to export; only traces today.</summary>
        [Parameter]
        [ValidateSet("traces")]
        public string Signal { get; set; } = "traces";

        /// <summary>Bound on the whole export in seconds: connect, TLS, request, answer.</summary>
        [Parameter]
        [ValidateRange(1, 600)]
        public int TimeoutSec { get; set; } = 10;

        /// <summary>Reads the trusted CAs once for all endpoints.</summary>
        protected override void BeginProcessing()
        {
            _trusted = ResolveCaCertificates(CaCertificate);
        }

        /// <summary>Sends one span per endpoint and writes the result.</summary>
        protected override void ProcessRecord()
        {
            TryRun(() =>
            {
                var protocol = Protocol is null ? (OtlpProtocol?)null
                    : string.Equals(Protocol, GrpcName, StringComparison.OrdinalIgnoreCase) ? OtlpProtocol.Grpc : OtlpProtocol.HttpProtobuf;
                var endpoint = EndpointParser.Parse(Endpoint, protocol, Signal);
                var options = new OtlpConnectionOptions
                {
                    Endpoint = endpoint,
                    TrustedAuthorities = _trusted,
                    ServerName = ServerName,
                    Timeout = TimeSpan.FromSeconds(TimeoutSec),
                    Headers = ReadHeaders(),
                    ClientKeyPassword = SecureStrings.ToPlainText(ClientKeyPassword),
                };
                SetClientCertificate(options);
                var span = new OtlpTestSpan { ServiceName = ServiceName, SpanName = SpanName, Attributes = ReadAttributes() };

                var transport = endpoint.Protocol == OtlpProtocol.Grpc ? "gRPC" : "HTTP/protobuf";
                WriteVerbose($"Sending one span (trace id {span.TraceIdHex}, service '{span.ServiceName}') to {endpoint.Url} over {transport}" +
                             (ServerName is null ? "." : $", verifying the server as '{ServerName}'."));
                if (options.ClientCertificateFile is not null)
                {
                    WriteVerbose($"Presenting the client certificate '{options.ClientCertificateFile}'.");
                }

                if (options.Headers.Count > 0)
                {
                    WriteVerbose($"Headers: {string.Join(", ", options.Headers.Keys)} (values not shown).");
                }

                var result = OtlpExporter.SendTestSpanAsync(options, span, CancellationToken).GetAwaiter().GetResult();
                if (result.TlsVersion is not null || result.PeerCertificateSubject is not null)
                {
                    WriteVerbose($"TLS: {result.TlsVersion ?? "version unknown"}, {result.CipherSuite ?? "cipher unknown"}, ALPN {result.Alpn ?? "none"}; " +
                                 $"server certificate '{result.PeerCertificateSubject ?? "none"}'.");
                }

                WriteVerbose($"{(result.StatusCode is null ? "No answer" : $"Status {result.StatusCode}")} after {(long)result.Duration.TotalMilliseconds} ms: {result.Message}");
                WriteObject(result);
                if (result.Finding is { } finding && result.Success)
                {
                    WriteWarning(finding.Message);
                }
                else if (result.Finding is { } failure)
                {
                    WriteExportError(result, failure);
                }
            });
        }

        /// <summary>A failed export is an error too (the result object above still carries the details).</summary>
        private void WriteExportError(OtlpExportResult result, OtlpFinding finding)
        {
            var category = finding.Id switch
            {
                OtlpFindingId.OtlpUnauthenticated => ErrorCategory.AuthenticationError,
                OtlpFindingId.OtlpWrongProtocol => ErrorCategory.ProtocolError,
                OtlpFindingId.OtlpPathNotFound => ErrorCategory.ObjectNotFound,
                _ => ErrorCategory.ConnectionError,
            };
            var record = new ErrorRecord(new InvalidOperationException(finding.Message), finding.Id, category, result.Endpoint)
            {
                ErrorDetails = new ErrorDetails(finding.Message) { RecommendedAction = finding.Remediation },
            };
            WriteError(record);
        }

        private void SetClientCertificate(OtlpConnectionOptions options)
        {
            var value = ClientCertificate is PSObject wrapped ? wrapped.BaseObject : ClientCertificate;
            string? certificateFile = null;
            var keyFile = ClientKey;
            switch (value)
            {
                case null:
                    break;
                case OtlpCertificate certificate when certificate.Path is not null:
                    certificateFile = certificate.Path;
                    keyFile ??= certificate.KeyPath;
                    break;
                case System.IO.FileInfo file:
                    certificateFile = file.FullName;
                    break;
                case string path when path.Length > 0:
                    certificateFile = path;
                    break;
                default:
                    throw new OtlpTlsException("ClientCertificateInvalid", OtlpErrorKind.InvalidArgument,
                        $"-ClientCertificate takes a file path or an OtlpCertificate read from a file, not '{value}'.", value,
                        "Pass the client certificate file (client.crt) with -ClientKey, or the object New-OtlpCertificate -Type Client returned.");
            }

            options.ClientCertificateFile = certificateFile is null ? null : PathResolution.ResolveForOutput(this, certificateFile);
            options.ClientKeyFile = keyFile is null ? null : PathResolution.ResolveForOutput(this, keyFile);
        }

        private Dictionary<string, string> ReadHeaders()
        {
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (Header is null)
            {
                return headers;
            }

            foreach (DictionaryEntry entry in Header)
            {
                var name = Convert.ToString(Unwrap(entry.Key), CultureInfo.InvariantCulture) ?? string.Empty;
                var value = Unwrap(entry.Value) switch
                {
                    SecureString secure => SecureStrings.ToPlainText(secure),
                    null => null,
                    var other => Convert.ToString(other, CultureInfo.InvariantCulture),
                };
                // A null value is passed on as such: the engine names the header and hides the value in its error.
                headers[name] = value!;
            }

            return headers;
        }

        private Dictionary<string, object?> ReadAttributes()
        {
            var attributes = new Dictionary<string, object?>(StringComparer.Ordinal);
            if (Attribute is not null)
            {
                foreach (DictionaryEntry entry in Attribute)
                {
                    var value = Unwrap(entry.Value);
                    attributes[Convert.ToString(Unwrap(entry.Key), CultureInfo.InvariantCulture) ?? string.Empty] =
                        value is object[] items ? items.Select(Unwrap).ToArray() : value;
                }
            }

            return attributes;
        }

        private static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;
    }
}
