using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OtelTls.Engine.Certificates;
using OtelTls.Engine.Client;
using OtelTls.Engine.Diagnosis;
using OtelTls.Lab;

namespace OtelTls.Engine.Tests;

/// <summary>
/// The tests read the process-wide construction counter, so nothing else may build keys while they run.
/// </summary>
[CollectionDefinition(nameof(PublicKeyCacheCollection), DisableParallelization = true)]
public sealed class PublicKeyCacheCollection
{
}

/// <summary>
/// BouncyCastle validates every RSA key it constructs (a Miller-Rabin test, 12 ms for RSA-2048): a diagnosis builds each
/// distinct key at most once per process, and learns sizes and algorithms without building any.
/// </summary>
[Collection(nameof(PublicKeyCacheCollection))]
public sealed class PublicKeyCacheTests
{
    // Counting tests start from an empty cache: the suite before them may have filled it (see PublicKeyCache.Clear).
    public PublicKeyCacheTests() => PublicKeyCache.Clear();

    [Fact]
    public void Key_size_and_weakness_of_an_RSA_certificate_are_read_without_constructing_its_key()
    {
        var rsa = CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.CA, CommonName = "size only", KeyAlgorithm = OtlpKeyAlgorithm.Rsa3072 });
        var reparsed = new Org.BouncyCastle.X509.X509Certificate(rsa.Certificate.GetEncoded());
        var before = PublicKeyCache.Constructions;

        var (algorithm, size) = CertificateDescriber.DescribeKey(reparsed);
        var matches = PrivateKeyReader.Matches(reparsed, rsa.PrivateKey);

        Assert.Equal(("RSA", 3072), (algorithm, size));
        Assert.True(matches);
        Assert.False(CertificateDescriber.IsWeakKey(algorithm, size));
        Assert.Equal(0, PublicKeyCache.Constructions - before);
    }

    [Fact]
    public void Checker_signatures_and_key_matching_build_a_fresh_RSA_CA_key_once()
    {
        var root = CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.CA, CommonName = "cache root", KeyAlgorithm = OtlpKeyAlgorithm.Rsa2048 });
        var leaf = CertificateFactory.Issue(new CertificateSpec
        {
            Type = OtlpCertificateType.Server, DnsNames = new List<string> { "cache.example" }, Signer = root,
        });
        var before = PublicKeyCache.Constructions;

        for (var i = 0; i < 3; i++)
        {
            // Fresh parses each time: the cache is keyed by the key bytes, not by a certificate object.
            var chain = new[] { leaf.ToModel(), root.ToModel() };
            var check = CertificateChecker.Check(chain, new CertificateCheckOptions { TrustedAuthorities = new[] { root.ToModel() }, HostName = "cache.example" });
            Assert.True(check.IsValid, string.Join("; ", check.Findings.Select(f => f.Id)));
            Assert.True(CertificateDescriber.IsSignedBy(new Org.BouncyCastle.X509.X509Certificate(leaf.Certificate.GetEncoded()),
                new Org.BouncyCastle.X509.X509Certificate(root.Certificate.GetEncoded())));
            Assert.True(PrivateKeyReader.Matches(new Org.BouncyCastle.X509.X509Certificate(root.Certificate.GetEncoded()), root.PrivateKey));
        }

        // The RSA root's key verifies the leaf (and itself); the ECDSA leaf's key is never needed for a chain check.
        Assert.Equal(1, PublicKeyCache.Constructions - before);
    }

    [Fact]
    public void The_probe_TLS_layer_takes_the_server_keys_from_the_cache()
    {
        var ca = CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.CA, CommonName = "tls layer", KeyAlgorithm = OtlpKeyAlgorithm.Rsa2048 });
        var crypto = new ProbeTlsCrypto(new Org.BouncyCastle.Security.SecureRandom());
        var before = PublicKeyCache.Constructions;

        for (var i = 0; i < 3; i++)
        {
            // What BouncyCastle's handshake does with a server chain: one certificate object per message, asked per scheme.
            var certificate = crypto.CreateCertificate(ca.Certificate.GetEncoded());
            Assert.True(certificate.SupportsSignatureAlgorithmCA(Org.BouncyCastle.Tls.SignatureAlgorithm.rsa_pss_rsae_sha256));
            Assert.True(certificate.SupportsSignatureAlgorithm(Org.BouncyCastle.Tls.SignatureAlgorithm.rsa));
            Assert.NotNull(certificate.CreateVerifier(Org.BouncyCastle.Tls.SignatureScheme.rsa_pss_rsae_sha256));
        }

        Assert.Equal(1, PublicKeyCache.Constructions - before);
    }

    [Fact]
    public async Task A_diagnosis_of_a_chain_with_an_RSA_intermediate_builds_each_key_at_most_once()
    {
        using var folder = new TempDirectory();
        var root = CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.CA, CommonName = "probe cache root" });
        var intermediate = CertificateFactory.Issue(new CertificateSpec
        {
            Type = OtlpCertificateType.CA, CommonName = "probe cache RSA intermediate", Signer = root, PathLength = 0, KeyAlgorithm = OtlpKeyAlgorithm.Rsa2048,
        });
        var leaf = CertificateFactory.Issue(new CertificateSpec
        {
            Type = OtlpCertificateType.Server, DnsNames = new List<string> { "localhost" }, IPAddresses = new List<string> { "127.0.0.1" }, Signer = intermediate,
        });
        File.WriteAllText(folder.File("server.crt"), leaf.ChainPem);
        File.WriteAllText(folder.File("server.key"), leaf.PrivateKeyPem);
        File.WriteAllText(folder.File("ca.crt"), root.CertificatePem);
        await using var lab = await LabScenario.StartAsync("healthy", new LabOptions { ServerCertificateFile = folder.File("server.crt"), ServerKeyFile = folder.File("server.key") });
        var options = new DiagnosisOptions
        {
            Client = new OtlpClientSettings(CertificateReader.ReadFile(folder.File("ca.crt")), timeout: TimeSpan.FromSeconds(6)),
        };
        var before = PublicKeyCache.Constructions;

        var first = await EndpointDiagnoser.DiagnoseAsync(lab.Endpoint, options, CancellationToken.None);
        var afterFirst = PublicKeyCache.Constructions;
        var second = await EndpointDiagnoser.DiagnoseAsync(lab.Endpoint, options, CancellationToken.None);

        Assert.True(first.Status == OtlpStatus.Healthy, string.Join("; ", first.Findings.Select(f => $"{f.Id}: {f.Message}")));
        Assert.Equal(OtlpStatus.Healthy, second.Status);
        // Three distinct keys (root, RSA intermediate, leaf) in the probe's TLS layer and the checker together; at most once each.
        Assert.InRange(afterFirst - before, 1, 3);
        Assert.Equal(0, PublicKeyCache.Constructions - afterFirst);
    }

    [Fact]
    public void A_key_in_use_survives_a_flood_of_one_off_keys_three_times_the_capacity()
    {
        // Thousands of distinct leaves pass through a fleet's diagnoses while its few CA keys are asked for all the time:
        // the bound must drop one-off keys, not the CA key that will be needed again (an RSA rebuild costs 12-90 ms).
        var hot = OneOffKey(0);
        PublicKeyCache.Get(hot);
        var before = PublicKeyCache.Constructions;

        for (var i = 1; i <= 3 * PublicKeyCache.Capacity; i++)
        {
            PublicKeyCache.Get(OneOffKey(i));
            if (i % 100 == 0)
            {
                PublicKeyCache.Get(hot); // the CA of the next hundred endpoints
            }
        }

        PublicKeyCache.Get(hot);
        Assert.Equal(3 * PublicKeyCache.Capacity, PublicKeyCache.Constructions - before);

        // The bound holds: the first one-off keys were dropped and are built again when asked for.
        var afterFlood = PublicKeyCache.Constructions;
        PublicKeyCache.Get(OneOffKey(1));
        Assert.Equal(1, PublicKeyCache.Constructions - afterFlood);
    }

    // A distinct, cheap-to-build key per number (X25519: any 32 bytes are a public key).
    private static Org.BouncyCastle.Asn1.X509.SubjectPublicKeyInfo OneOffKey(int n)
    {
        var bytes = new byte[32];
        BitConverter.GetBytes(n).CopyTo(bytes, 0);
        bytes[31] = 0x42;
        return new Org.BouncyCastle.Asn1.X509.SubjectPublicKeyInfo(
            new Org.BouncyCastle.Asn1.X509.AlgorithmIdentifier(Org.BouncyCastle.Asn1.EdEC.EdECObjectIdentifiers.id_X25519), bytes);
    }
}
