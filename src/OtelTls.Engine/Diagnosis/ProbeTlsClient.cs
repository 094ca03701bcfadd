using System;
using System.Collections.Generic;
using System.Linq;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace OtelTls.Engine.Diagnosis
{
    /// <summary>
    /// A BouncyCastle TLS client that offers exactly what the probe settings say and records everything the server
    /// reveals; it never judges the server's certificate itself (the engine's checker does that afterwards).
    /// </summary>
    internal sealed class ProbeTlsClient : DefaultTlsClient
    {
        private readonly TlsProbeSettings settings;
        private readonly BcTlsCrypto bcCrypto;

        public ProbeTlsClient(BcTlsCrypto crypto, TlsProbeSettings settings)
            : base(crypto)
        {
            bcCrypto = crypto;
            this.settings = settings;
        }

        public ProtocolVersion? ServerVersion { get; private set; }

        public int? SelectedCipherSuite { get; private set; }

        public string? ApplicationProtocol { get; private set; }

        public IReadOnlyList<byte[]> ServerChain { get; private set; } = Array.Empty<byte[]>();

        public bool CertificateRequested { get; private set; }

        public IReadOnlyList<X509Name> AcceptableAuthorities { get; private set; } = Array.Empty<X509Name>();

        public bool ClientCertificateSent { get; private set; }

        public short? AlertReceived { get; private set; }

        public short? AlertRaised { get; private set; }

        public string? AlertRaisedMessage { get; private set; }

        public bool HandshakeComplete { get; private set; }

        protected override int[] GetSupportedCipherSuites() =>
            settings.CipherSuites is null ? base.GetSupportedCipherSuites() : TlsUtilities.GetSupportedCipherSuites(Crypto, settings.CipherSuites);

        protected override ProtocolVersion[] GetSupportedVersions() => settings.Versions;

        protected override IList<ProtocolName>? GetProtocolNames() => settings.ApplicationProtocols;

        protected override IList<ServerName>? GetSniServerNames() =>
            settings.ServerName is null ? null : new List<ServerName> { new(NameType.host_name, System.Text.Encoding.ASCII.GetBytes(settings.ServerName)) };

        public override void NotifyServerVersion(ProtocolVersion serverVersion)
        {
            base.NotifyServerVersion(serverVersion);
            ServerVersion = serverVersion;
        }

        public override void NotifySelectedCipherSuite(int selectedCipherSuite)
        {
            base.NotifySelectedCipherSuite(selectedCipherSuite);
            SelectedCipherSuite = selectedCipherSuite;
        }

        public override void NotifyHandshakeComplete()
        {
            base.NotifyHandshakeComplete();
            HandshakeComplete = true;
            var alpn = m_context.SecurityParameters.ApplicationProtocol;
            ApplicationProtocol = alpn?.GetUtf8Decoding();
        }

        public override void NotifyAlertRaised(short alertLevel, short alertDescription, string message, Exception cause)
        {
            if (alertLevel == AlertLevel.fatal)
            {
                AlertRaised = alertDescription;
                AlertRaisedMessage = message ?? cause?.Message;
            }
        }

        public override void NotifyAlertReceived(short alertLevel, short alertDescription)
        {
            if (alertLevel == AlertLevel.fatal)
            {
                AlertReceived = alertDescription;
            }
        }

        public override TlsAuthentication GetAuthentication() => new Authentication(this);

        // BouncyCastle stops at 10 certificates by default; OpenSSL follows up to 100 intermediates (its verify depth), and
        // the checker judges the length, so the probe must receive what the stacks receive.
        public override int GetMaxCertificateChainLength() => 102;

        // OpenSSL's max_cert_list: 100 KiB of certificates (a chain of 50 RSA certificates is ~60 KiB).
        public override int GetMaxHandshakeMessageSize() => 102_400;

        private TlsCredentials? CreateClientCredentials(CertificateRequest request)
        {
            CertificateRequested = true;
            AcceptableAuthorities = request.CertificateAuthorities?.ToList() ?? new List<X509Name>();
            if (settings.ClientCertificateChain is null || settings.ClientKey is null)
            {
                return null;
            }

            var certificates = settings.ClientCertificateChain.Select(der => Crypto.CreateCertificate(der)).ToArray();
            var isTls13 = TlsUtilities.IsTlsV13(m_context.ServerVersion);
            var chain = isTls13
                ? new Certificate(request.GetCertificateRequestContext(), certificates.Select(c => new CertificateEntry(c, null)).ToArray())
                : new Certificate(certificates);
            var signatureAlgorithm = settings.ClientKey switch
            {
                ECPrivateKeyParameters => SignatureAlgorithm.ecdsa,
                _ when isTls13 => SignatureAlgorithm.rsa_pss_rsae_sha256,
                _ => SignatureAlgorithm.rsa,
            };
            var signatureAndHash = isTls13 && signatureAlgorithm == SignatureAlgorithm.rsa_pss_rsae_sha256
                ? SignatureAndHashAlgorithm.rsa_pss_rsae_sha256
                : TlsUtilities.ChooseSignatureAndHashAlgorithm(m_context, request.SupportedSignatureAlgorithms, signatureAlgorithm);
            ClientCertificateSent = true;
            return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(m_context), bcCrypto, settings.ClientKey, chain, signatureAndHash);
        }

        private sealed class Authentication : TlsAuthentication
        {
            private readonly ProbeTlsClient owner;

            public Authentication(ProbeTlsClient owner) => this.owner = owner;

            public void NotifyServerCertificate(TlsServerCertificate serverCertificate)
            {
                var chain = serverCertificate.Certificate;
                owner.ServerChain = Enumerable.Range(0, chain.Length).Select(i => chain.GetCertificateAt(i).GetEncoded()).ToArray();
            }

            public TlsCredentials? GetClientCredentials(CertificateRequest certificateRequest) => owner.CreateClientCredentials(certificateRequest);
        }
    }
}
