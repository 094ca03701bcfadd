using System;
using System.Collections.Generic;
using OtelTls.Engine.Certificates;

namespace OtelTls.Lab;

/// <summary>The kinds of server leaf the scenarios serve.</summary>
internal enum LeafKind
{
    Standard,
    SelfSigned,
    Expired,
    NotYetValid,
    ExpiringSoon,
    WrongHost,
    CnOnly,
    NoServerAuth,
    Rsa,
}

/// <summary>Which CA chain issues a scenario's server leaf (the root is what the scenario's ca.crt holds).</summary>
internal enum LabChain
{
    /// <summary>ECDSA P-256 root and intermediate (the lab's default).</summary>
    Ecdsa,
    /// <summary>ECDSA root → RSA-2048 intermediate → ECDSA leaf.</summary>
    Rsa2048Intermediate,
    /// <summary>ECDSA root → RSA-4096 intermediate → ECDSA leaf.</summary>
    Rsa4096Intermediate,
    /// <summary>RSA-4096 root → RSA-2048 intermediate → RSA-2048 leaf: an all-RSA enterprise or cert-manager PKI.</summary>
    Rsa,
}

/// <summary>
/// The lab's certificate authorities, made once per process with the engine's factory (never committed): a root, an
/// intermediate that issues the server leaves, a client certificate from the root, and an unrelated CA with its own
/// client certificate (for "client certificate from the wrong CA").
/// </summary>
internal sealed class LabPki
{
    public const string WrongHostName = "otel-collector.example.net";
    private static readonly Lazy<LabPki> SharedInstance = new(() => new LabPki());
    private readonly Lazy<IssuedCertificate> rsaLeaf;
    private readonly Lazy<IssuedCertificate> rsa2048Intermediate;
    private readonly Lazy<IssuedCertificate> rsa4096Intermediate;
    private readonly Lazy<(IssuedCertificate Root, IssuedCertificate Intermediate)> rsaChain;

    private LabPki()
    {
        Root = CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.CA, CommonName = "OtelTls Lab Root CA" });
        Intermediate = CertificateFactory.Issue(new CertificateSpec
        {
            Type = OtlpCertificateType.CA, CommonName = "OtelTls Lab Intermediate CA", Signer = Root, PathLength = 0,
        });
        Client = CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.Client, CommonName = "otel-lab-client", Signer = Root });
        ClientFromIntermediate = CertificateFactory.Issue(new CertificateSpec
        {
            Type = OtlpCertificateType.Client, CommonName = "otel-lab-client-from-intermediate", Signer = Intermediate,
        });
        OtherRoot = CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.CA, CommonName = "OtelTls Lab Other CA" });
        OtherClient = CertificateFactory.Issue(new CertificateSpec
        {
            Type = OtlpCertificateType.Client, CommonName = "otel-lab-client-other-ca", Signer = OtherRoot,
        });
        rsaLeaf = new Lazy<IssuedCertificate>(() => IssueServer(LeafKind.Rsa));
        // RSA CAs are made on first use: RSA-4096 key generation takes seconds.
        rsa2048Intermediate = new Lazy<IssuedCertificate>(() => IssueIntermediate("OtelTls Lab RSA-2048 Intermediate CA", Root, OtlpKeyAlgorithm.Rsa2048));
        rsa4096Intermediate = new Lazy<IssuedCertificate>(() => IssueIntermediate("OtelTls Lab RSA-4096 Intermediate CA", Root, OtlpKeyAlgorithm.Rsa4096));
        rsaChain = new Lazy<(IssuedCertificate, IssuedCertificate)>(() =>
        {
            var root = CertificateFactory.Issue(new CertificateSpec
            {
                Type = OtlpCertificateType.CA, CommonName = "OtelTls Lab RSA Root CA", KeyAlgorithm = OtlpKeyAlgorithm.Rsa4096,
            });
            return (root, IssueIntermediate("OtelTls Lab RSA Intermediate CA", root, OtlpKeyAlgorithm.Rsa2048));
        });
    }

    public static LabPki Shared => SharedInstance.Value;

    public IssuedCertificate Root { get; }

    public IssuedCertificate Intermediate { get; }

    public IssuedCertificate Client { get; }

    /// <summary>A client certificate issued by the intermediate; its .crt carries the intermediate after the leaf.</summary>
    public IssuedCertificate ClientFromIntermediate { get; }

    public IssuedCertificate OtherRoot { get; }

    public IssuedCertificate OtherClient { get; }

    /// <summary>An RSA leaf for the BouncyCastle servers (RSA key exchange suites need an RSA key); made once.</summary>
    public IssuedCertificate RsaLeaf => rsaLeaf.Value;

    /// <summary>The root CA a client of <paramref name="chain"/> trusts.</summary>
    public IssuedCertificate RootOf(LabChain chain) => chain == LabChain.Rsa ? rsaChain.Value.Root : Root;

    /// <summary>The intermediate CA that issues the server leaves of <paramref name="chain"/>.</summary>
    public IssuedCertificate IntermediateOf(LabChain chain) => chain switch
    {
        LabChain.Rsa2048Intermediate => rsa2048Intermediate.Value,
        LabChain.Rsa4096Intermediate => rsa4096Intermediate.Value,
        LabChain.Rsa => rsaChain.Value.Intermediate,
        _ => Intermediate,
    };

    /// <summary>A fresh server leaf of the given kind, issued by the chain's intermediate unless self-signed.</summary>
    public IssuedCertificate IssueServer(LeafKind kind, LabChain chain = LabChain.Ecdsa)
    {
        var now = DateTimeOffset.UtcNow;
        var spec = new CertificateSpec
        {
            Type = OtlpCertificateType.Server,
            DnsNames = new List<string> { "localhost" },
            IPAddresses = new List<string> { "127.0.0.1", "::1" },
            Signer = IntermediateOf(chain),
        };
        switch (kind)
        {
            case LeafKind.SelfSigned:
                spec.Signer = null;
                break;
            case LeafKind.Expired:
                spec.NotBefore = now.AddDays(-60);
                spec.NotAfter = now.AddDays(-1);
                break;
            case LeafKind.NotYetValid:
                spec.NotBefore = now.AddDays(10);
                spec.ValidityDays = 365;
                break;
            case LeafKind.ExpiringSoon:
                spec.NotAfter = now.AddDays(5);
                break;
            case LeafKind.WrongHost:
                spec.DnsNames = new List<string> { WrongHostName };
                spec.IPAddresses = new List<string>();
                break;
            case LeafKind.CnOnly:
                spec.CommonName = "localhost";
                spec.DnsNames = new List<string>();
                spec.IPAddresses = new List<string>();
                spec.OmitSubjectAlternativeNames = true;
                break;
            case LeafKind.NoServerAuth:
                spec.ExtendedKeyUsages = new List<string> { "ClientAuth" };
                break;
            case LeafKind.Rsa:
                spec.KeyAlgorithm = OtlpKeyAlgorithm.Rsa2048;
                break;
        }

        return CertificateFactory.Issue(spec);
    }

    private static IssuedCertificate IssueIntermediate(string name, IssuedCertificate root, OtlpKeyAlgorithm algorithm) =>
        CertificateFactory.Issue(new CertificateSpec
        {
            Type = OtlpCertificateType.CA, CommonName = name, Signer = root, PathLength = 0, KeyAlgorithm = algorithm,
        });
}
