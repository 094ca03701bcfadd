using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Security;
using OtelTls.Engine.Configuration;
using OtelTls.Engine.Diagnosis;
using OtelTls.Engine.Otlp;

namespace OtelTls.Commands
{
    /// <summary>
    /// <para type="synopsis">Exports one real test span to an OTLP receiver over gRPC or HTTP/protobuf, with the exporter's TLS settings.</para>
    /// <para type="description">Returns an OtlpExportResult with the trace id to look for in the backend, the receiver's answer and the TLS session; a failed export also writes an error whose id names the cause.</para>
    /// </summary>
    [Cmdlet(VerbsCommunications.Send, "OtlpTestSpan", DefaultParameterSetName = EndpointSet)]
    [OutputType(typeof(OtlpExportResult))]
    public sealed class SendOtlpTestSpanCommand : OtlpCmdlet
    {
        private const string EndpointSet = "Endpoint";
        private const string EnvironmentSet = "FromEnvironment";
        private const string GrpcName = "grpc";
        private const string HttpName = "http/protobuf";

        private IReadOnlyList<OtlpCertificate>? _trusted;

        /// <summary>The receiver: host:port, an https:// URL (for HTTP with its /v1/traces path), [::1]:4317, dns:///host:port.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = EndpointSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Uri", "ComputerName")]
        [ValidateNotNullOrEmpty]
        public string Endpoint { get; set; } = null!;

        /// <summary>
        /// Export where the OTEL_EXPORTER_OTLP_* variables point, read exactly as an SDK reads them: endpoint (with /v1/traces
        /// appended to the generic one), protocol, CA, client certificate and key, headers; signal-specific variables win.
        /// </summary>
        [Parameter(Mandatory = true, ParameterSetName = EnvironmentSet)]
        public SwitchParameter FromEnvironment { get; set; }

        /// <summary>With -FromEnvironment: a dotenv file (KEY=value lines) to read instead of the process environment.</summary>
        [Parameter(ParameterSetName = EnvironmentSet)]
        [ValidateNotNullOrEmpty]
        public string? EnvironmentPath { get; set; }

        /// <summary>grpc or http/protobuf; without it, port 4318 or a /v1/ path means http/protobuf and everything else grpc.</summary>
        [Parameter(ParameterSetName = EndpointSet)]
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

        /// <summary>Sends one span per endpoint (or to the endpoint the environment configures) and writes the result.</summary>
        protected override void ProcessRecord()
        {
            TryRun(() =>
            {
                if (ParameterSetName == EnvironmentSet)
                {
                    SendFromEnvironment();
                    return;
                }

                var protocol = Protocol is null ? (OtlpProtocol?)null
                    : string.Equals(Protocol, GrpcName, StringComparison.OrdinalIgnoreCase) ? OtlpProtocol.Grpc : OtlpProtocol.HttpProtobuf;
                var options = new OtlpConnectionOptions { Endpoint = EndpointParser.Parse(Endpoint, protocol, Signal), TrustedAuthorities = _trusted };
                SetClientCertificate(options);
                Send(options, ReadHeaders());
            });
        }

        private void SendFromEnvironment()
        {
            var file = EnvironmentPath is null ? null : PathResolution.ResolveForOutput(this, EnvironmentPath);
            var variables = file is null ? OtlpEnvironmentReader.ProcessVariables() : DotEnvFile.Read(file);
            var environment = OtlpEnvironmentReader.Read(variables, file ?? "Process", null, file is null ? null : System.IO.Path.GetDirectoryName(file));
            foreach (var finding in environment.Findings.Where(f => f.Severity != OtlpSeverity.Info))
            {
                WriteWarning($"{finding.Id}: {finding.Message}");
            }

            var signal = environment.GetSignal(Signal);
            if (signal?.Endpoint is null)
            {
                throw new OtlpTlsException("EnvironmentEndpointInvalid", OtlpErrorKind.InvalidData,
                    $"The {Signal} endpoint configured by the environment ({signal?.Url ?? "none"}) cannot be used.", file ?? "Process",
                    "Run Get-OtlpTlsEnvironment to see the variables and their findings.");
            }

            WriteVerbose($"{signal.Signal}: {signal.ProtocolName} {signal.Url} (endpoint from {signal.EndpointSource}, " +
                         $"CA {signal.CertificateFile ?? "system store"}{(signal.CertificateFileSource is null ? string.Empty : " from " + signal.CertificateFileSource)}).");
            var options = new OtlpConnectionOptions
            {
                Endpoint = signal.Endpoint,
                TrustedAuthorities = _trusted ?? (signal.CertificateFile is null ? null : ReadOrStop(FromEnvironmentFile(signal.CertificateFile, file))),
            };
            SetClientCertificate(options);
            if (options.ClientCertificateFile is null && signal.ClientCertificateFile is not null && signal.ClientKeyFile is not null)
            {
                // SDKs use the client pair only when both variables are set (Go ignores one alone, Java refuses).
                options.ClientCertificateFile = FromEnvironmentFile(signal.ClientCertificateFile, file);
                options.ClientKeyFile = FromEnvironmentFile(signal.ClientKeyFile, file);
            }

            // The signal's headers replace the generic ones, as for every other option; -Header adds or overrides.
            var generic = OtlpHeaderList.Parse(Variable(variables, OtlpVariables.Name(OtlpVariables.Headers)));
            var specific = OtlpHeaderList.Parse(Variable(variables, OtlpVariables.Name(OtlpVariables.Headers, Signal)));
            var headers = new Dictionary<string, string>(specific.Count > 0 ? specific.ToDictionary(h => h.Key, h => h.Value) : generic.ToDictionary(h => h.Key, h => h.Value),
                StringComparer.OrdinalIgnoreCase);
            foreach (var header in ReadHeaders())
            {
                headers[header.Key] = header.Value;
            }

            Send(options, headers);
        }

        /// <summary>A relative path in a dotenv file is relative to the file; in the process environment, to the current location.</summary>
        private string FromEnvironmentFile(string path, string? dotEnvFile) =>
            System.IO.Path.IsPathRooted(path) ? path
                : System.IO.Path.Combine(dotEnvFile is null ? SessionState.Path.CurrentFileSystemLocation.ProviderPath : System.IO.Path.GetDirectoryName(dotEnvFile)!, path);

        private static string? Variable(IReadOnlyDictionary<string, string> variables, string name) =>
            variables.TryGetValue(name, out var value) ? value : null;

        private void Send(OtlpConnectionOptions options, Dictionary<string, string> headers)
        {
            options.ServerName = ServerName;
            options.Timeout = TimeSpan.FromSeconds(TimeoutSec);
            options.Headers = headers;
            options.ClientKeyPassword = SecureStrings.ToPlainText(ClientKeyPassword);
            var endpoint = options.Endpoint;
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
