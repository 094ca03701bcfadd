using System.Collections.Generic;
using System.IO;
using System.Linq;
using OtelTls.Engine.Certificates;
using OtelTls.Engine.Vocabulary;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace OtelTls.Engine.Configuration.Sdks
{
    /// <summary>OpenTelemetry.Exporter.OpenTelemetryProtocol (.NET), as measured with the SDK clients in tests/.</summary>
    internal sealed class DotnetAdvice : SdkAdvice
    {
        public override OtlpSdk Sdk => OtlpSdk.Dotnet;

        /// <summary>
        /// The .NET exporter (measured with 1.20.1) loads only the first certificate of the CA file and its custom-root check
        /// does not reach a root through an intermediate. When the file starts with a root and also holds intermediates, write
        /// a copy with the issuing (lowest) CA first and use that.
        /// </summary>
        public override string CaFile(SdkAdviceContext context, string caPath, IReadOnlyList<BcCertificate> certificates)
        {
            var cas = certificates.Where(c => c.GetBasicConstraints() >= 0).ToList();
            if (certificates.Count > 1 && CertificateDescriber.IsSelfSigned(certificates[0]) && cas.Any(c => !CertificateDescriber.IsSelfSigned(c)))
            {
                int Depth(BcCertificate c)
                {
                    var depth = 0;
                    var current = c;
                    while (!CertificateDescriber.IsSelfSigned(current) && depth < certificates.Count)
                    {
                        var issuer = certificates.FirstOrDefault(i => i.SubjectDN.Equivalent(current.IssuerDN));
                        if (issuer is null)
                        {
                            break;
                        }

                        current = issuer;
                        depth++;
                    }

                    return depth;
                }

                var ordered = certificates.OrderByDescending(Depth).ToList();
                var directory = Path.GetDirectoryName(caPath)!;
                var target = Path.Combine(directory, Path.GetFileNameWithoutExtension(caPath) + ".dotnet" + Path.GetExtension(caPath));
                var content = string.Concat(ordered.Select(c => PemBlock.Encode("CERTIFICATE", c.GetEncoded())));
                context.AddFile(new OtlpPlannedFile(target, content, "the .NET exporter uses only the first certificate of the CA file"));
                context.Warn($".NET: the exporter uses only the first certificate of {OtlpVariables.Name(OtlpVariables.Certificate)} and does not reach the root through an intermediate (measured with 1.20.1); wrote '{target}' with '{CertificateDescriber.FormatName(ordered[0].SubjectDN)}' first and used it instead of '{caPath}'.");
                return target;
            }

            if (certificates.Count == 1 && CertificateDescriber.IsSelfSigned(certificates[0]))
            {
                context.Warn($".NET: '{caPath}' holds only the root '{CertificateDescriber.FormatName(certificates[0].SubjectDN)}'. If the collector's certificate is issued by an intermediate, the .NET exporter (measured with 1.20.1) rejects it even when the collector sends the intermediate: put the intermediate first in the CA file.");
            }

            return caPath;
        }

        public override void Advise(SdkAdviceContext context)
        {
            var request = context.Request;
            if (context.HasTlsFiles)
            {
                context.Warn(".NET: OpenTelemetry.Exporter.OpenTelemetryProtocol reads OTEL_EXPORTER_OTLP_CERTIFICATE and CLIENT_* from 1.15.0 on, and only in builds for .NET 8 or later (not .NET Framework).");
            }

            if (request.CaCertificate is not null)
            {
                // Measured with the SDK client in tests/: 1.15.3, 1.17.0 and 1.18.0 crash, 1.19.0 and 1.20.1 work.
                context.Warn(".NET: exporter versions before 1.19.0 (measured: 1.15.3, 1.17.0, 1.18.0) load the CA file with X509Certificate2.CreateFromPemFile and throw at start-up on a file without a private key ('The key contents do not contain a PEM, the content is malformed, or the key does not match the certificate.'): use 1.19.0 or later.");
            }

            if (context.ClientWithoutCa)
            {
                context.Warn(".NET: with CLIENT_* but no OTEL_EXPORTER_OTLP_CERTIFICATE the exporter checks the collector certificate's revocation, so a private CA without CRL or OCSP fails with 'RevocationStatusUnknown, OfflineRevocation' (measured with 1.15.3 and 1.20.1): give -CaCertificate too.");
            }

            if (context.Signal is not null && context.HasTlsFiles)
            {
                context.Warn($".NET: the exporter reads only the generic OTEL_EXPORTER_OTLP_CERTIFICATE/CLIENT_CERTIFICATE/CLIENT_KEY, not the {OtlpSignals.VariableInfix(context.Signal.Value)} ones written here; set them without -Signal.");
            }

            if (context.ClientCertificates is { Count: > 1 } client)
            {
                context.Warn($".NET: the exporter sends only the leaf of '{request.ClientCertificate}', not its {client.Count - 1} intermediate(s): the collector's client_ca_file must hold the issuing intermediate, not only the root.");
            }

            if (request.Insecure is not null)
            {
                context.Warn(".NET: the exporter does not read OTEL_EXPORTER_OTLP_INSECURE; use an http:// endpoint for plaintext.");
            }

            if (request.Protocol is null && context.Endpoint is not null)
            {
                context.Warn(".NET: without OTEL_EXPORTER_OTLP_PROTOCOL the exporter uses grpc; give -Protocol.");
            }
        }
    }
}
