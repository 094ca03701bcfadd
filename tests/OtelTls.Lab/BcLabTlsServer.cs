using System.Linq;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using OtelTls.Engine.Certificates;

namespace OtelTls.Lab;

/// <summary>
/// A BouncyCastle TLS server for what Kestrel/SslStream cannot do on a modern OS: TLS 1.0/1.1 only, one unusual cipher
/// suite, a chosen fatal alert. Serves an RSA leaf (RSA key exchange suites need one) with its intermediate.
/// </summary>
internal sealed class BcLabTlsServer : DefaultTlsServer
{
    private readonly BcTlsCrypto crypto;
    private readonly ProtocolVersion[] versions;
    private readonly int[]? cipherSuites;
    private readonly short? alert;
    private readonly IssuedCertificate credentials;

    public BcLabTlsServer(ProtocolVersion[] versions, int[]? cipherSuites, short? alert, IssuedCertificate credentials)
        : this(new BcTlsCrypto(new SecureRandom()), versions, cipherSuites, alert, credentials)
    {
    }

    private BcLabTlsServer(BcTlsCrypto crypto, ProtocolVersion[] versions, int[]? cipherSuites, short? alert, IssuedCertificate credentials)
        : base(crypto)
    {
        this.crypto = crypto;
        this.versions = versions;
        this.cipherSuites = cipherSuites;
        this.alert = alert;
        this.credentials = credentials;
    }

    protected override ProtocolVersion[] GetSupportedVersions() => versions;

    protected override int[] GetSupportedCipherSuites() =>
        cipherSuites is null ? base.GetSupportedCipherSuites() : TlsUtilities.GetSupportedCipherSuites(crypto, cipherSuites);

    public override int GetSelectedCipherSuite()
    {
        // The "chosen alert" scenario refuses every ClientHello, whatever it offers.
        if (alert is short description)
        {
            throw new TlsFatalAlert(description);
        }

        return base.GetSelectedCipherSuite();
    }

    public override TlsCredentials GetCredentials()
    {
        var chain = new[] { credentials.Certificate }.Concat(credentials.Intermediates)
            .Select(c => (TlsCertificate)crypto.CreateCertificate(c.GetEncoded())).ToArray();
        var certificate = new Certificate(chain);
        AsymmetricKeyParameter key = credentials.PrivateKey;
        if (m_context.SecurityParameters.KeyExchangeAlgorithm == KeyExchangeAlgorithm.RSA)
        {
            return new BcDefaultTlsCredentialedDecryptor(crypto, certificate, key);
        }

        // TLS 1.2 names the signature algorithm; 1.0/1.1 use the fixed MD5+SHA1 RSA signature (null).
        var signatureAlgorithm = TlsUtilities.IsTlsV12(m_context)
            ? new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.rsa)
            : null;
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(m_context), crypto, key, certificate, signatureAlgorithm);
    }
}
