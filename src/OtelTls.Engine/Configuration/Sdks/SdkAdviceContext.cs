using System;
using System.Collections.Generic;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace OtelTls.Engine.Configuration.Sdks
{
    /// <summary>The request as checked by the planner, and the plan being built that the SDK advice adds to.</summary>
    internal sealed class SdkAdviceContext
    {
        private readonly List<KeyValuePair<string, string?>> _changes;
        private readonly List<string> _warnings;
        private readonly List<OtlpPlannedFile> _files;

        public SdkAdviceContext(OtlpEnvironmentRequest request, OtlpSignal? signal, OtlpEndpoint? endpoint, bool grpc,
            IReadOnlyList<BcCertificate>? caCertificates, IReadOnlyList<BcCertificate>? clientCertificates,
            List<KeyValuePair<string, string?>> changes, List<string> warnings, List<OtlpPlannedFile> files, Func<string, string> remote)
        {
            Request = request;
            Signal = signal;
            Endpoint = endpoint;
            Grpc = grpc;
            CaCertificates = caCertificates;
            ClientCertificates = clientCertificates;
            _changes = changes;
            _warnings = warnings;
            _files = files;
            Remote = remote;
        }

        public OtlpEnvironmentRequest Request { get; }

        /// <summary>The signal, or null for the generic variables.</summary>
        public OtlpSignal? Signal { get; }

        /// <summary>The parsed endpoint, when one is set.</summary>
        public OtlpEndpoint? Endpoint { get; }

        /// <summary>The exporter speaks gRPC (asked for, or inferred from the endpoint).</summary>
        public bool Grpc { get; }

        public IReadOnlyList<BcCertificate>? CaCertificates { get; }

        public IReadOnlyList<BcCertificate>? ClientCertificates { get; }

        /// <summary>Local path to the path the exporter reads (see <see cref="OtlpEnvironmentRequest.ExporterPath"/>).</summary>
        public Func<string, string> Remote { get; }

        /// <summary>A CA file or a client certificate is set.</summary>
        public bool HasTlsFiles => Request.CaCertificate is not null || Request.ClientCertificate is not null;

        /// <summary>A client certificate without a CA file: several SDKs then send no client certificate.</summary>
        public bool ClientWithoutCa => Request.ClientCertificate is not null && Request.CaCertificate is null;

        public void Warn(string warning) => _warnings.Add(warning);

        public void Set(string name, string value) => _changes.Add(new KeyValuePair<string, string?>(name, value));

        public void AddFile(OtlpPlannedFile file) => _files.Add(file);
    }
}
