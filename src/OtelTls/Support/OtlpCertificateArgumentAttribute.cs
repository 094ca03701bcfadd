using System;
using System.IO;
using System.Management.Automation;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using OtelTls.Engine.Certificates;

namespace OtelTls.Support
{
    /// <summary>What a certificate parameter needs from the value it is given.</summary>
    internal enum OtlpCertificateArgumentKind
    {
        /// <summary>A certificate: a path stays a path, an OtlpCertificate stays itself, an X509Certificate2 becomes an OtlpCertificate.</summary>
        Certificate,

        /// <summary>A file path that names a certificate (the value is written into configuration, so it must be a file).</summary>
        CertificatePath,

        /// <summary>A private key file path: a path stays a path, a certificate object gives its key (KeyPath, or the key it carries).</summary>
        KeyPath,
    }

    /// <summary>
    /// The one way every OtelTls parameter that names a certificate or its key takes its value: a path (string or
    /// FileInfo), an <see cref="OtlpCertificate"/> (from Get-/New-OtlpCertificate; its KeyPath supplies the key), or an
    /// <see cref="X509Certificate2"/> (Cert:\, Get-PfxCertificate; with its private key when it has one). Arrays are
    /// converted item by item; an empty string (an empty CSV cell) is no value.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    internal sealed class OtlpCertificateArgumentAttribute : ItemArgumentTransformationAttribute
    {
        /// <summary>Creates the transformation for a parameter of the given kind.</summary>
        public OtlpCertificateArgumentAttribute(OtlpCertificateArgumentKind kind = OtlpCertificateArgumentKind.Certificate) => Kind = kind;

        /// <summary>What the parameter needs.</summary>
        public OtlpCertificateArgumentKind Kind { get; }

        /// <summary>
        /// The value names a file that outlives the command (Set-OtlpTlsEnvironment writes it into the exporter's
        /// configuration): certificate objects without a file of their own are refused.
        /// </summary>
        public bool FileRequired { get; set; }

        /// <summary>A byte array is one value, judged whole rather than byte by byte.</summary>
        protected override bool IsOneValue(object value) => value is byte[];

        /// <summary>Converts one item.</summary>
        protected override object? TransformOne(object? value)
        {
            switch (value)
            {
                case null:
                    return null;
                case string text:
                    return text.Length == 0 ? null : text;
                case FileInfo file:
                    return file.FullName;
                case OtlpCertificate certificate:
                    return FromCertificate(certificate);
                case X509Certificate2 platform:
                    if (FileRequired)
                    {
                        throw Refuse($"The certificate '{platform.Subject}' is a .NET object without a file of its own, and exporters read certificates from files.",
                            "Export it first (Export-Certificate, or Export-PfxCertificate and New-OtlpCertificate-style PEM files) and pass the file.");
                    }

                    return FromCertificate(Import(platform));
                default:
                    // Anything else goes to the parameter as it is: the cmdlet's own error names the parameter and what it takes.
                    return value;
            }
        }

        private object? FromCertificate(OtlpCertificate certificate)
        {
            switch (Kind)
            {
                case OtlpCertificateArgumentKind.KeyPath:
                    return certificate.KeyPath
                        ?? throw Refuse($"The certificate '{certificate.Subject}' carries no private key (KeyPath is empty).",
                            "Pass the key file, or the object New-OtlpCertificate returned (it knows its key file).");
                case OtlpCertificateArgumentKind.CertificatePath:
                    return PlatformCertificates.FileOf(certificate)
                        ?? throw Refuse($"The certificate '{certificate.Subject}' has no file (it came from an endpoint or a .NET object), and exporters read certificates from files.",
                            "Save it first (New-OtlpCertificate writes files), or pass the certificate file.");
                default:
                    if (FileRequired && PlatformCertificates.FileOf(certificate) is null)
                    {
                        throw Refuse($"The certificate '{certificate.Subject}' has no file (it came from an endpoint or a .NET object), and exporters read certificates from files.",
                            "Save it first (New-OtlpCertificate writes files), or pass the certificate file.");
                    }

                    return certificate;
            }
        }

        /// <summary>The certificate in memory; with its private key, the pair as private temporary files the command removes when it ends.</summary>
        private static OtlpCertificate Import(X509Certificate2 platform)
        {
            byte[]? pkcs12 = null;
            var password = Guid.NewGuid().ToString("N");
            if (platform.HasPrivateKey)
            {
                try
                {
                    pkcs12 = platform.Export(X509ContentType.Pkcs12, password);
                }
                catch (CryptographicException ex)
                {
                    throw Refuse($"The private key of '{platform.Subject}' cannot be exported ({ex.Message}); OtelTls needs it as a file, as exporters do.",
                        "Export the certificate with its key (Export-PfxCertificate) where the key is exportable, or pass the PEM certificate and key files.");
                }
            }

            try
            {
                return PlatformCertificates.Import(platform.RawData, pkcs12, password, platform.Subject);
            }
            catch (OtlpTlsException ex)
            {
                throw new ArgumentTransformationMetadataException(ex.Message, ex);
            }
        }

        private static ArgumentTransformationMetadataException Refuse(string message, string fix) =>
            new($"{message} {fix}");
    }
}
