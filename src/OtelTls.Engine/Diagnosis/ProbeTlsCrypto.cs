using System;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using OtelTls.Engine.Certificates;

namespace OtelTls.Engine.Diagnosis
{
    /// <summary>
    /// BouncyCastle's TLS crypto with two changes to the certificates it builds.
    /// <para>
    /// Server certificates are used whatever their keyUsage bits say. BouncyCastle refuses, mid-handshake, a leaf without
    /// digitalSignature that signs the handshake; OpenSSL, Go and .NET connect (measured in the lab's
    /// hostile-ec-keyagreement-only and hostile-rsa-keyencipherment-only scenarios). The probe must reach the same handshake
    /// the exporters reach; the certificate checker judges keyUsage afterwards.
    /// </para>
    /// <para>
    /// Public keys come from <see cref="PublicKeyCache"/>. BouncyCastle's TLS layer asks a certificate for its key again for
    /// every signature scheme it considers (the server's CertificateVerify, and each CA's key when it checks the peer's
    /// signature algorithms), and an RSA key costs a primality test each time it is built.
    /// </para>
    /// </summary>
    internal sealed class ProbeTlsCrypto : BcTlsCrypto
    {
        public ProbeTlsCrypto(SecureRandom random)
            : base(random)
        {
        }

        public override TlsCertificate CreateCertificate(short type, byte[] encoding) =>
            type == CertificateType.X509 ? new ProbeCertificate(this, encoding) : base.CreateCertificate(type, encoding);

        private sealed class ProbeCertificate : BcTlsCertificate
        {
            public ProbeCertificate(BcTlsCrypto crypto, byte[] encoding)
                : base(crypto, encoding)
            {
            }

            protected override bool SupportsKeyUsage(int keyUsageBit) => true;

            protected override AsymmetricKeyParameter GetPublicKey()
            {
                try
                {
                    return PublicKeyCache.Get(m_keyInfo);
                }
                catch (Exception e) when (e is not TlsFatalAlert)
                {
                    // What BouncyCastle's own GetPublicKey raises for a key it cannot build.
                    throw new TlsFatalAlert(AlertDescription.unsupported_certificate, e);
                }
            }
        }
    }
}
