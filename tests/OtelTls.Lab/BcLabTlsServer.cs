using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using OtelTls.Engine.Certificates;
using CertificateRequest = Org.BouncyCastle.Tls.CertificateRequest;
using HashAlgorithm = Org.BouncyCastle.Tls.HashAlgorithm;

namespace OtelTls.Lab;

/// <summary>Client-certificate policy of a BouncyCastle lab server.</summary>
internal sealed class BcClientAuth
{
    public required ClientCertificateMode Mode { get; init; }

    /// <summary>CAs whose client certificates are accepted; their names go into the CertificateRequest.</summary>
    public required IReadOnlyList<X509Certificate2> Authorities { get; init; }
}

/// <summary>
/// A BouncyCastle TLS server for what Kestrel/SslStream cannot do: TLS 1.0/1.1 only, one unusual cipher suite, a chosen
/// fatal alert, and client-certificate refusals with the alert a Go collector sends (SslStream on Linux closes without
/// one): certificate_required(116) in TLS 1.3, handshake_failure(40) in TLS 1.2, unknown_ca(48) for a foreign issuer.
/// </summary>
internal sealed class BcLabTlsServer : DefaultTlsServer
{
    private static readonly int[] EcdsaSuites =
    {
        CipherSuite.TLS_AES_128_GCM_SHA256, CipherSuite.TLS_AES_256_GCM_SHA384, CipherSuite.TLS_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    };

    private readonly BcTlsCrypto crypto;
    private readonly ProtocolVersion[] versions;
    private readonly int[]? cipherSuites;
    private readonly short? alert;
    private readonly IssuedCertificate credentials;
    private readonly IList<ProtocolName>? protocolNames;
    private readonly BcClientAuth? clientAuth;

    public BcLabTlsServer(ProtocolVersion[] versions, int[]? cipherSuites, short? alert, IssuedCertificate credentials,
        IList<ProtocolName>? protocolNames = null, BcClientAuth? clientAuth = null)
        : this(new BcTlsCrypto(new SecureRandom()), versions, cipherSuites, alert, credentials, protocolNames, clientAuth)
    {
    }

    private BcLabTlsServer(BcTlsCrypto crypto, ProtocolVersion[] versions, int[]? cipherSuites, short? alert, IssuedCertificate credentials,
        IList<ProtocolName>? protocolNames, BcClientAuth? clientAuth)
        : base(crypto)
    {
        this.crypto = crypto;
        this.versions = versions;
        this.alert = alert;
        this.credentials = credentials;
        this.protocolNames = protocolNames;
        this.clientAuth = clientAuth;
        this.cipherSuites = cipherSuites ?? (credentials.PrivateKey is ECPrivateKeyParameters ? EcdsaSuites : null);
    }

    /// <summary>Set once the handshake completed (both Finished messages).</summary>
    public bool HandshakeCompleted { get; private set; }

    /// <summary>The ALPN protocol selected, or null.</summary>
    public string? SelectedProtocol { get; private set; }

    /// <summary>Why the last client certificate was refused (for the console log).</summary>
    public string? RefusalReason { get; private set; }

    protected override ProtocolVersion[] GetSupportedVersions() => versions;

    protected override int[] GetSupportedCipherSuites() =>
        cipherSuites is null ? base.GetSupportedCipherSuites() : TlsUtilities.GetSupportedCipherSuites(crypto, cipherSuites);

    protected override IList<ProtocolName>? GetProtocolNames() => protocolNames;

    public override int GetSelectedCipherSuite()
    {
        // The "chosen alert" scenario refuses every ClientHello, whatever it offers.
        if (alert is short description)
        {
            throw new TlsFatalAlert(description);
        }

        return base.GetSelectedCipherSuite();
    }

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        HandshakeCompleted = true;
        SelectedProtocol = m_context.SecurityParameters.ApplicationProtocol?.GetUtf8Decoding();
    }

    public override TlsCredentials GetCredentials()
    {
        var chain = new[] { credentials.Certificate }.Concat(credentials.Intermediates)
            .Select(c => crypto.CreateCertificate(CertificateDescriber.EncodedAsReceived(c))).ToArray();
        var tls13 = TlsUtilities.IsTlsV13(m_context);
        var certificate = tls13
            ? new Certificate(Array.Empty<byte>(), chain.Select(c => new CertificateEntry(c, null)).ToArray())
            : new Certificate(chain);
        var key = credentials.PrivateKey;
        if (!tls13 && m_context.SecurityParameters.KeyExchangeAlgorithm == KeyExchangeAlgorithm.RSA)
        {
            return new BcDefaultTlsCredentialedDecryptor(crypto, certificate, key);
        }

        SignatureAndHashAlgorithm? signatureAlgorithm = null;
        if (key is ECPrivateKeyParameters)
        {
            signatureAlgorithm = TlsUtilities.IsTlsV12(m_context) ? new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa) : null;
        }
        else if (tls13)
        {
            signatureAlgorithm = SignatureAndHashAlgorithm.rsa_pss_rsae_sha256;
        }
        else if (TlsUtilities.IsTlsV12(m_context))
        {
            signatureAlgorithm = new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.rsa);
        }

        // TLS 1.0/1.1 use the fixed MD5+SHA1 (RSA) or SHA1 (ECDSA) signature: null.
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(m_context), crypto, key, certificate, signatureAlgorithm);
    }

    public override CertificateRequest? GetCertificateRequest()
    {
        if (clientAuth is null || clientAuth.Mode == ClientCertificateMode.None)
        {
            return null;
        }

        var algorithms = TlsUtilities.GetDefaultSupportedSignatureAlgorithms(m_context);
        var authorities = clientAuth.Authorities
            .Select(a => new Org.BouncyCastle.X509.X509Certificate(a.RawData).SubjectDN)
            .ToList();
        if (TlsUtilities.IsTlsV13(m_context))
        {
            return new CertificateRequest(Array.Empty<byte>(), algorithms, null, authorities);
        }

        return new CertificateRequest(new[] { ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign }, algorithms, authorities);
    }

    public override void NotifyClientCertificate(Certificate clientCertificate)
    {
        if (clientAuth is null)
        {
            throw new TlsFatalAlert(AlertDescription.internal_error);
        }

        if (clientCertificate is null || clientCertificate.IsEmpty)
        {
            if (clientAuth.Mode == ClientCertificateMode.Require)
            {
                RefusalReason = "no client certificate";
                throw new TlsFatalAlert(TlsUtilities.IsTlsV13(m_context) ? AlertDescription.certificate_required : AlertDescription.handshake_failure);
            }

            return;
        }

        var certificates = Enumerable.Range(0, clientCertificate.Length)
            .Select(i => X509CertificateLoader.LoadCertificate(clientCertificate.GetCertificateAt(i).GetEncoded()))
            .ToList();
        try
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(clientAuth.Authorities.ToArray());
            chain.ChainPolicy.ExtraStore.AddRange(certificates.Skip(1).ToArray());
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.ApplicationPolicy.Add(new Oid("1.3.6.1.5.5.7.3.2"));
            if (chain.Build(certificates[0]))
            {
                return;
            }

            var status = chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status);
            RefusalReason = $"client certificate {certificates[0].Subject}: {status}";
            throw new TlsFatalAlert(
                (status & (X509ChainStatusFlags.PartialChain | X509ChainStatusFlags.UntrustedRoot)) != 0 ? AlertDescription.unknown_ca
                : (status & X509ChainStatusFlags.NotTimeValid) != 0 ? AlertDescription.certificate_expired
                : AlertDescription.bad_certificate);
        }
        finally
        {
            certificates.ForEach(c => c.Dispose());
        }
    }
}
