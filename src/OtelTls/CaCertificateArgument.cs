using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using OtelTls.Engine.Certificates;

namespace OtelTls.Commands
{
    /// <summary>
    /// The <c>-CaCertificate</c> parameter every cmdlet shares: file paths (wildcards allowed; every certificate in a file
    /// is trusted), FileInfo objects, or OtlpCertificate objects. Without trusted CAs nothing can be checked right, so a
    /// bad value stops the command.
    /// </summary>
    internal static class CaCertificateArgument
    {
        /// <summary>The trusted certificates, or null when the parameter was not given (system trust store).</summary>
        public static IReadOnlyList<OtlpCertificate>? Read(OtlpCmdlet cmdlet, object[]? values, string? password = null)
        {
            if (values is null || values.Length == 0)
            {
                return null;
            }

            var trusted = new List<OtlpCertificate>();
            foreach (var item in values)
            {
                var value = item is PSObject wrapped ? wrapped.BaseObject : item;
                switch (value)
                {
                    case OtlpCertificate certificate:
                        trusted.Add(certificate);
                        break;
                    case FileInfo file:
                        trusted.AddRange(ReadFile(cmdlet, file.FullName, password));
                        break;
                    case string path when path.Length > 0:
                        foreach (var file in PathResolution.ResolveExisting(cmdlet, path, literal: false))
                        {
                            trusted.AddRange(ReadFile(cmdlet, file, password));
                        }

                        break;
                    default:
                        cmdlet.ThrowError(new OtlpTlsException("CaCertificateInvalid", OtlpErrorKind.InvalidArgument,
                            $"-CaCertificate takes file paths or OtlpCertificate objects, not '{value}'.", value,
                            "Pass a CA file (ca.crt) or the objects Get-OtlpCertificate returns."));
                        break;
                }
            }

            if (trusted.Count == 0)
            {
                cmdlet.ThrowError(new OtlpTlsException("CaCertificateNotFound", OtlpErrorKind.ObjectNotFound,
                    "-CaCertificate named no readable certificate.", values, "Check the CA file paths."));
            }

            return trusted;
        }

        private static IReadOnlyList<OtlpCertificate> ReadFile(OtlpCmdlet cmdlet, string file, string? password)
        {
            try
            {
                return CertificateReader.ReadFile(file, password);
            }
            catch (OtlpTlsException exception)
            {
                cmdlet.ThrowError(exception);
                throw; // not reached: ThrowTerminatingError throws
            }
        }
    }
}
