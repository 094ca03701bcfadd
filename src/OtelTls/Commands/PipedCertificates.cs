using System;
using System.Collections.Generic;
using System.Linq;
using OtelTls.Engine.Configuration;

namespace OtelTls.Commands
{
    /// <summary>Maps certificate objects from the pipeline to the CA and client-certificate settings of a request.</summary>
    internal static class PipedCertificates
    {
        /// <summary>
        /// A file whose first certificate is a CA becomes CERTIFICATE; a file whose first certificate is not a CA is the client
        /// certificate, with its KeyPath (or -ClientKey). Later certificates of the same file (a chain) are part of it.
        /// </summary>
        public static void Apply(IReadOnlyList<OtlpCertificate> certificates, OtlpEnvironmentRequest request, Func<string?, string?> resolve)
        {
            foreach (var group in certificates.GroupBy(c => c.Path ?? string.Empty))
            {
                var first = group.OrderBy(c => c.Index).First();
                if (group.Key.Length == 0)
                {
                    throw new OtlpTlsException(OtlpErrorId.CertificateHasNoFile, OtlpErrorKind.InvalidArgument,
                        $"The certificate '{first.Subject}' has no file (it came from an endpoint), and exporters read certificates from files. Nothing was written.",
                        first.Subject, "Save it first (New-OtlpCertificate writes files), or pipe Get-OtlpCertificate -Path <file>.");
                }

                var path = resolve(group.Key)!;
                if (first.IsCertificateAuthority)
                {
                    if (request.CaCertificate is not null && !string.Equals(request.CaCertificate, path, StringComparison.Ordinal))
                    {
                        throw new OtlpTlsException(OtlpErrorId.MultipleCaFiles, OtlpErrorKind.InvalidArgument,
                            $"Two CA files were given ('{request.CaCertificate}' and '{path}'), but OTEL_EXPORTER_OTLP_CERTIFICATE names one file. Nothing was written.",
                            path, "Concatenate the CAs into one PEM bundle and give that file.");
                    }

                    request.CaCertificate = path;
                    continue;
                }

                if (first.EnhancedKeyUsages.Length > 0 && !first.EnhancedKeyUsages.Contains("ClientAuth"))
                {
                    throw new OtlpTlsException(OtlpErrorId.NotClientCertificate, OtlpErrorKind.InvalidArgument,
                        $"'{first.Subject}' ({path}) is neither a CA nor a client certificate (extended key usage: {string.Join(", ", first.EnhancedKeyUsages)}). Nothing was written.",
                        path, "Pipe the CA that issued the collector's certificate, or a client certificate (New-OtlpCertificate -Type Client).");
                }

                if (request.ClientCertificate is not null && !string.Equals(request.ClientCertificate, path, StringComparison.Ordinal))
                {
                    throw new OtlpTlsException(OtlpErrorId.MultipleClientCertificates, OtlpErrorKind.InvalidArgument,
                        $"Two client certificates were given ('{request.ClientCertificate}' and '{path}'); an exporter sends one. Nothing was written.",
                        path, "Pipe one client certificate.");
                }

                request.ClientCertificate = path;
                if (first.KeyPath is not null)
                {
                    request.ClientKey = resolve(first.KeyPath);
                }
            }
        }
    }
}
