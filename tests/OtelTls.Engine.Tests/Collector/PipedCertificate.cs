using OtelTls.Engine.Certificates;

namespace OtelTls.Engine.Tests.Collector;

/// <summary>What New-OtlpCertificate pipes on: the certificate read from its file, with the KeyPath it was written with.</summary>
internal static class PipedCertificate
{
    public static OtlpCertificate From(string path, string? keyPath)
    {
        var certificate = CertificateReader.ReadFile(path)[0];
        typeof(OtlpCertificate).GetProperty(nameof(OtlpCertificate.KeyPath))!.SetValue(certificate, keyPath);
        return certificate;
    }
}
