using System.IO;

namespace OtelTls.Engine.Client
{
    /// <summary>
    /// The files a client-certificate argument names, the same for every command that takes one (the client cmdlets and
    /// Set-OtlpTlsEnvironment): a path, a <see cref="FileInfo"/>, or an <see cref="OtlpCertificate"/> read from a file,
    /// whose KeyPath is the key unless one is given.
    /// </summary>
    public static class ClientCertificateArgument
    {
        /// <summary>The certificate file and key file; nulls when the argument is not given.</summary>
        /// <param name="certificate">The -ClientCertificate value, after argument transformation.</param>
        /// <param name="keyFile">The -ClientKey value, which wins over a certificate object's KeyPath.</param>
        /// <exception cref="OtlpTlsException">ClientCertificateInvalid: a value that names no file.</exception>
        public static (string? CertificateFile, string? KeyFile) Files(object? certificate, string? keyFile)
        {
            switch (certificate)
            {
                case null:
                    return (null, keyFile);
                case OtlpCertificate model when model.Path is not null:
                    return (model.Path, keyFile ?? model.KeyPath);
                case FileInfo file:
                    return (file.FullName, keyFile);
                case string path when path.Length > 0:
                    return (path, keyFile);
                default:
                    throw new OtlpTlsException(OtlpErrorId.ClientCertificateInvalid, OtlpErrorKind.InvalidArgument,
                        $"-ClientCertificate takes a file path, an OtlpCertificate read from a file, or an X509Certificate2 with its private key, not '{certificate}'.", certificate,
                        "Pass the client certificate file (client.crt) with -ClientKey, or the object New-OtlpCertificate -Type Client returned.");
            }
        }
    }
}
