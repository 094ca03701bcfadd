using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using OtelTls.Engine.Certificates;
using OtelTls.Lab;
using OtelTls.Tests;
using Xunit;

namespace OtelTls.Engine.Tests;

/// <summary>
/// Path-validation rules and input limits of issue #9 that need no server: malformed certificates read without
/// exceptions, email/URI name constraints, bundle checks in linear work, PEM after 64 KB, expired signers.
/// </summary>
public class CertificateRulesTests
{
    private const string Host = "localhost";

    public static IEnumerable<object[]> HostileKinds => HostilePki.Kinds.Where(k => k != "chain-50").Select(k => new object[] { k });

    [Theory]
    [Trait("Reliability", "HostilePki")]
    [MemberData(nameof(HostileKinds))]
    public void Hostile_certificates_are_read_and_checked_without_exceptions(string kind)
    {
        using var dir = new TempDirectory();
        var pki = HostilePki.Get(kind);
        File.WriteAllText(dir.File("chain.crt"), pki.ChainPem);
        File.WriteAllText(dir.File("ca.crt"), pki.RootPem);

        // What Get-OtlpCertificate does: every property of every certificate, and its platform object.
        var chain = CertificateReader.ReadFile(dir.File("chain.crt"));
        foreach (var certificate in chain)
        {
            _ = string.Join(",", certificate.DnsNames) + string.Join(",", certificate.IPAddresses) + string.Join(",", certificate.KeyUsages)
                + string.Join(",", certificate.EnhancedKeyUsages) + certificate.PathLength + certificate.IsCertificateAuthority + certificate.KeySize;
            Assert.Equal(certificate.GetRawData(), Convert.FromBase64String(string.Concat(certificate.Pem.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal)))));
        }

        // What Test-OtlpCertificate does, with and without trust, host and usage.
        var full = CertificateChecker.Check(chain, new CertificateCheckOptions
        {
            TrustedAuthorities = CertificateReader.ReadFile(dir.File("ca.crt")), HostName = "127.0.0.1", Usage = OtlpCertificateUsage.Server,
        });
        var bare = CertificateChecker.Check(chain, new CertificateCheckOptions());
        Assert.NotEqual(OtlpStatus.Healthy, full.Status);
        Assert.NotNull(bare);
        Assert.All(full.Findings, f => Assert.DoesNotContain("   at ", f.Message + f.Cause + f.Evidence, StringComparison.Ordinal));
    }

    [Fact]
    [Trait("Reliability", "HostilePki")]
    public void A_five_byte_IP_SAN_is_CertificateMalformed_and_the_DNS_SAN_still_counts()
    {
        using var dir = new TempDirectory();
        var pki = HostilePki.Get("san-ip-5-bytes");
        File.WriteAllText(dir.File("chain.crt"), pki.ChainPem);
        var leaf = CertificateReader.ReadFile(dir.File("chain.crt"))[0];

        Assert.Equal(new[] { "localhost" }, leaf.DnsNames);
        Assert.Empty(leaf.IPAddresses);
        var check = CertificateChecker.Check(new[] { leaf }, new CertificateCheckOptions { HostName = "localhost" });
        var malformed = Assert.Single(check.Findings, f => f.Id == OtlpFindingId.CertificateMalformed);
        Assert.Contains("5 bytes", malformed.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(check.Findings, f => f.Id == OtlpFindingId.HostnameMismatch);
    }

    [Fact]
    [Trait("Reliability", "HostilePki")]
    public void Email_and_URI_name_constraints_are_enforced_as_openssl_does()
    {
        using var dir = new TempDirectory();
        var pki = new OpenSslPki(dir);
        var root = pki.Root("NC Root");
        var ca = pki.Issue("NC CA", root, OpenSslPki.CaExtensions + "\nnameConstraints=critical,permitted;email:example.com,permitted;URI:.example.com,permitted;DNS:example.com");
        var good = pki.Issue("good", ca, OpenSslPki.Server("DNS:otel.example.com,email:ops@example.com,URI:https://otel.example.com/x"));
        var badEmail = pki.Issue("bad-email", ca, OpenSslPki.Server("DNS:otel.example.com,email:ops@example.net"));
        var badUri = pki.Issue("bad-uri", ca, OpenSslPki.Server("DNS:otel.example.com,URI:https://otel.example.org/"));
        var trusted = CertificateReader.ReadFile(root.Cert);

        foreach (var (leaf, valid) in new[] { (good, true), (badEmail, false), (badUri, false) })
        {
            var opensslAccepts = OpenSslVerifies(root.Cert, ca.Cert, leaf.Cert);
            var check = CertificateChecker.Check(CertificateReader.ReadFile(pki.Bundle(Path.GetFileName(leaf.Cert) + ".chain", leaf, ca)),
                new CertificateCheckOptions { TrustedAuthorities = trusted });
            Assert.Equal(valid, opensslAccepts);
            Assert.True(check.IsValid == opensslAccepts, $"{leaf.Cert}: {string.Join(", ", check.Findings.Select(f => f.Id))}");
            if (!valid)
            {
                Assert.Contains(check.Findings, f => f.Id == OtlpFindingId.NameConstraintViolation);
            }
        }
    }

    [Fact]
    [Trait("Reliability", "HostilePki")]
    public void A_directoryName_constraint_applies_to_the_subject_as_openssl_does()
    {
        using var dir = new TempDirectory();
        var pki = new OpenSslPki(dir);
        var root = pki.Root("DN Root");
        File.WriteAllText(dir.File("ca.ext"), OpenSslPki.CaExtensions + "\nnameConstraints=critical,permitted;dirName:allowed\n[allowed]\nO=Allowed Org\n");
        OpenSsl.Run($"req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout \"{dir.File("ca.key")}\" -out \"{dir.File("ca.csr")}\" -subj \"/CN=DN CA\"");
        OpenSsl.Run($"x509 -req -in \"{dir.File("ca.csr")}\" -CA \"{root.Cert}\" -CAkey \"{root.Key}\" -set_serial 7 -days 30 -extfile \"{dir.File("ca.ext")}\" -out \"{dir.File("ca.crt")}\"");
        File.WriteAllText(dir.File("leaf.ext"), OpenSslPki.Server("DNS:localhost"));
        var trusted = CertificateReader.ReadFile(root.Cert);
        foreach (var (name, subject) in new[] { ("inside", "/O=Allowed Org/CN=inside"), ("outside", "/O=Other Org/CN=outside") })
        {
            OpenSsl.Run($"req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout \"{dir.File(name + ".key")}\" -out \"{dir.File(name + ".csr")}\" -subj \"{subject}\"");
            OpenSsl.Run($"x509 -req -in \"{dir.File(name + ".csr")}\" -CA \"{dir.File("ca.crt")}\" -CAkey \"{dir.File("ca.key")}\" -set_serial 8 -days 30 -extfile \"{dir.File("leaf.ext")}\" -out \"{dir.File(name + ".crt")}\"");
            File.WriteAllText(dir.File(name + ".chain"), File.ReadAllText(dir.File(name + ".crt")) + File.ReadAllText(dir.File("ca.crt")));

            var opensslAccepts = OpenSslVerifies(root.Cert, dir.File("ca.crt"), dir.File(name + ".crt"));
            var check = CertificateChecker.Check(CertificateReader.ReadFile(dir.File(name + ".chain")), new CertificateCheckOptions { TrustedAuthorities = trusted });

            Assert.Equal(name == "inside", opensslAccepts);
            Assert.True(check.IsValid == opensslAccepts, $"{name}: {string.Join(", ", check.Findings.Select(f => f.Id))}");
        }
    }

    [Fact]
    [Trait("Reliability", "BadInput")]
    public void A_bundle_of_1600_certificates_is_checked_with_linear_work()
    {
        var ca = CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.CA, CommonName = "Bundle CA" });
        var bundle = new List<OtlpCertificate> { ca.ToModel() };
        for (var i = 1; i < 1600; i++)
        {
            bundle.Add(CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.Server, DnsNames = { $"s{i}.example.com" }, Signer = ca, CommonName = $"s{i}" }).ToModel());
        }

        var trusted = new[] { ca.ToModel() };
        var options = bundle.Select(_ => (CertificateCheckOptions?)new CertificateCheckOptions { TrustedAuthorities = trusted }).ToList();
        var decoded = CertificatePaths.DecodedCount;
        var candidates = CertificatePaths.CandidateCount;

        var checks = CertificateChecker.CheckEach(bundle, options).ToList();

        Assert.Equal(1600, checks.Count);
        Assert.All(checks, c => Assert.True(c.IsValid, c.ToString()));
        // Each certificate is decoded once (plus the CA file once), and each leaf examines one issuer candidate:
        // the old per-certificate copy of the whole bundle decoded 1600² = 2.56 million.
        Assert.InRange(CertificatePaths.DecodedCount - decoded, 1600, 1601);
        Assert.InRange(CertificatePaths.CandidateCount - candidates, 1599, 2 * 1600);
    }

    [Fact]
    [Trait("Reliability", "BadInput")]
    public void A_PEM_block_after_64_KB_of_text_is_read()
    {
        using var dir = new TempDirectory();
        var (cert, _) = OpenSsl.SelfSigned(dir, "late");
        var file = dir.File("late.pem");
        File.WriteAllText(file, new string('#', 70 * 1024) + "\n" + File.ReadAllText(cert));
        Assert.Contains("CN", OpenSsl.Run($"x509 -in \"{file}\" -noout -subject"), StringComparison.Ordinal);

        var read = Assert.Single(CertificateReader.ReadFile(file));
        Assert.Equal("CN=localhost", read.Subject);
    }

    [Fact]
    [Trait("Reliability", "BadInput")]
    public void An_expired_signer_gets_a_warning()
    {
        var now = DateTimeOffset.UtcNow;
        var expired = CertificateFactory.Issue(new CertificateSpec
        {
            Type = OtlpCertificateType.CA, CommonName = "Old CA", NotBefore = now.AddDays(-400), NotAfter = now.AddDays(-1),
        });
        var current = CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.CA, CommonName = "Current CA" });

        var warning = Assert.Single(CertificateFactory.SignerWarnings(new CertificateSpec { Type = OtlpCertificateType.Server, DnsNames = { Host }, Signer = expired }, now));
        Assert.Contains("expired", warning, StringComparison.Ordinal);
        Assert.Empty(CertificateFactory.SignerWarnings(new CertificateSpec { Type = OtlpCertificateType.Server, DnsNames = { Host }, Signer = current }, now));
        Assert.Contains("expires on", Assert.Single(CertificateFactory.SignerWarnings(
            new CertificateSpec { Type = OtlpCertificateType.Server, DnsNames = { Host }, Signer = current, ValidityDays = 4000 }, now)), StringComparison.Ordinal);
    }

    private static bool OpenSslVerifies(string root, string intermediate, string leaf)
    {
        try
        {
            OpenSsl.Run($"verify -CAfile \"{root}\" -untrusted \"{intermediate}\" \"{leaf}\"");
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
