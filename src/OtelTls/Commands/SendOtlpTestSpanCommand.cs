using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Security;
using OtelTls.Engine.Client;
using OtelTls.Engine.Configuration;
using OtelTls.Engine.Diagnosis;
using OtelTls.Engine.Otlp;
using OtelTls.Engine.Endpoints;
using OtelTls.Engine.Vocabulary;
using OtelTls.Support;

namespace OtelTls.Commands
{
    /// <summary>
    /// <para type="synopsis">Exports one real test span to an OTLP receiver over gRPC or HTTP/protobuf, with the exporter's TLS settings.</para>
    /// <para type="description">Returns an OtlpExportResult with the trace id to look for in the backend, the receiver's answer and the TLS session; a failed export also writes an error whose id names the cause.</para>
    /// </summary>
    [Cmdlet(VerbsCommunications.Send, "OtlpTestSpan", DefaultParameterSetName = EndpointSet)]
    [OutputType(typeof(OtlpExportResult))]
    public sealed class SendOtlpTestSpanCommand : OtlpClientCmdlet
    {
        private OtlpClientSettings? _client;

        /// <summary>The receiver: host:port, an https:// URL (for HTTP with its /v1/traces path), [::1]:4317, dns:///host:port.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = EndpointSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Uri", "ComputerName")]
        [ValidateNotNullOrEmpty]
        public string Endpoint { get; set; } = null!;

        /// <summary>Grpc or HttpProtobuf (grpc and http/protobuf bind too); without it, port 4318 or a /v1/ path means http/protobuf and everything else grpc.</summary>
        [Parameter(ParameterSetName = EndpointSet)]
        [OtlpNameArgument(typeof(OtlpProtocol))]
        [ValidateSet(nameof(OtlpProtocol.Grpc), nameof(OtlpProtocol.HttpProtobuf))]
        public OtlpProtocol? Protocol { get; set; }

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

        /// <summary>Traces (a span), Metrics (a gauge oteltls.probe = 1) or Logs (an INFO log record with the trace id); any case.</summary>
        [Parameter]
        public OtlpSignal Signal { get; set; } = OtlpSignal.Traces;

        /// <summary>Reads the trusted CAs and the client certificate and checks the headers once for all endpoints.</summary>
        protected override void BeginProcessing()
        {
            _client = BuildSharedClientSettings(Protocol);
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

                var client = ClientSettingsForRecord(Protocol);
                Send(EndpointParser.Parse(Endpoint, client.Protocol, Signal), client);
            });
        }

        private void SendFromEnvironment()
        {
            var environment = ReadExporterEnvironment();
            var signal = environment.Configuration.GetSignal(Signal);
            if (signal?.Endpoint is null)
            {
                throw new OtlpTlsException(OtlpErrorId.EnvironmentEndpointInvalid, OtlpErrorKind.InvalidData,
                    $"The {OtlpSignals.Name(Signal)} endpoint configured by the environment ({signal?.Url ?? "none"}) cannot be used.", environment.File ?? "Process",
                    "Run Get-OtlpTlsEnvironment to see the variables and their findings.");
            }

            WriteVerbose($"{OtlpSignals.Name(signal.Signal)}: {OtlpProtocols.Name(signal.Protocol)} {signal.Url} (endpoint from {signal.EndpointSource}, " +
                         $"CA {signal.CertificatePath ?? "system store"}{(signal.CertificatePathSource is null ? string.Empty : " from " + signal.CertificatePathSource)}).");
            Send(signal.Endpoint, SettingsForSignal(_client!, environment, signal));
        }

        private void Send(OtlpEndpoint endpoint, OtlpClientSettings client)
        {
            var span = new OtlpTestSpan { ServiceName = ServiceName, SpanName = SpanName, Attributes = ReadAttributes(), Signal = Signal };

            var transport = endpoint.Protocol == OtlpProtocol.Grpc ? "gRPC" : "HTTP/protobuf";
            var item = Signal switch { OtlpSignal.Metrics => "one metric", OtlpSignal.Logs => "one log record", _ => "one span" };
            WriteVerbose($"Sending {item} (trace id {span.TraceIdHex}, service '{span.ServiceName}') to {endpoint.Url} over {transport}" +
                         (client.ServerName is null ? "." : $", verifying the server as '{client.ServerName}'."));
            if (client.ClientCertificatePath is not null)
            {
                WriteVerbose($"Presenting the client certificate '{client.ClientCertificatePath}' (the leaf only, as the .NET exporter sends it).");
            }

            if (client.Headers.Count > 0)
            {
                WriteVerbose($"Headers: {string.Join(", ", client.Headers.Keys)} (values not shown).");
            }

            var result = OtlpClient.SendTestSpanAsync(endpoint, client, span, CancellationToken).GetAwaiter().GetResult();
            if (result.TlsVersion is not null || result.PeerCertificateSubject is not null)
            {
                WriteVerbose($"TLS: {result.TlsVersion ?? "version unknown"}, {result.CipherSuite ?? "cipher unknown"}, ALPN {result.Alpn ?? "none"}; " +
                             $"server certificate '{result.PeerCertificateSubject ?? "none"}'.");
            }

            WriteVerbose($"{(result.StatusCode is null ? "No answer" : $"Status {result.StatusCode}")} after {(long)result.Duration.TotalMilliseconds} ms: {result.Message}");
            WriteObject(result);
            if (result.Finding is { } finding && result.Succeeded)
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
    }
}
