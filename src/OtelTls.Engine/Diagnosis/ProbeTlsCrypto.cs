using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace OtelTls.Engine.Diagnosis
{
    /// <summary>
    /// BouncyCastle's TLS crypto, except that server certificates are used whatever their keyUsage bits say. BouncyCastle
    /// refuses, mid-handshake, a leaf without digitalSignature that signs the handshake; OpenSSL, Go and .NET connect
    /// (measured in the lab's hostile-ec-keyagreement-only and hostile-rsa-keyencipherment-only scenarios). The probe must
    /// reach the same handshake the exporters reach; the certificate checker judges keyUsage afterwards.
    /// </summary>
    internal sealed class ProbeTlsCrypto : BcTlsCrypto
    {
        public ProbeTlsCrypto(SecureRandom random)
            : base(random)
        {
        }

        public override TlsCertificate CreateCertificate(short type, byte[] encoding) =>
            type == CertificateType.X509 ? new AnyUsageCertificate(this, encoding) : base.CreateCertificate(type, encoding);

        private sealed class AnyUsageCertificate : BcTlsCertificate
        {
            public AnyUsageCertificate(BcTlsCrypto crypto, byte[] encoding)
                : base(crypto, encoding)
            {
            }

            protected override bool SupportsKeyUsage(int keyUsageBit) => true;
        }
    }
}
