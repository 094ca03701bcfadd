using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using OtelTls.Engine.Certificates;

namespace OtelTls.Engine.Tests;

/// <summary>
/// The checker judged on certificates made by openssl (an independent implementation), one real-world failure per test,
/// plus the ones our own factory makes, which must come out healthy.
/// </summary>
public class CertificateCheckerTests
{
    private const string Host = "collector.example.com";

    private static IReadOnlyList<OtlpCertificate> Read(string path) => CertificateReader.ReadFile(path);

    private static OtlpCertificateCheck Check(string leafFile, params string[] trusted) =>
        CertificateChecker.Check(Read(leafFile), new CertificateCheckOptions { TrustedAuthorities = trusted.SelectMany(Read).ToList() });

    private static OtlpFinding Only(OtlpCertificateCheck check, string id) =>
        Assert.Single(check.Findings, f => f.Id == id);

    private static string[] Ids(OtlpCertificateCheck check) => check.Findings.Select(f => f.Id).ToArray();

    private static void AssertActionable(OtlpFinding finding, string subject)
    {
        Assert.Contains(subject, finding.Message);
        Assert.DoesNotContain("\n", finding.Message);
        Assert.False(string.IsNullOrWhiteSpace(finding.Cause));
        Assert.False(string.IsNullOrWhiteSpace(finding.Remediation));
        Assert.False(string.IsNullOrWhiteSpace(finding.Evidence));
    }

    [Fact]
    public void HealthyLeafIntermediateRootPathHasNoFindingsAndAgreesWithOpenSslVerify()
    {
        using var dir = new TempDirectory();
        var pki = new OpenSslPki(dir);
        var root = pki.Root("Root CA");
        var intermediate = pki.Issue("Issuing CA", root, OpenSslPki.CaExtensions);
        var leaf = pki.Issue(Host, intermediate, OpenSslPki.Server($"DNS:{Host},IP:127.0.0.1"));
        var fullchain = pki.Bundle("fullchain.crt", leaf, intermediate);
        Assert.Contains("OK", OpenSsl.Run($"verify -CAfile \"{root.Cert}\" -untrusted \"{intermediate.Cert}\" \"{leaf.Cert}\""));

        var check = CertificateChecker.Check(Read(fullchain), new CertificateCheckOptions
        {
            TrustedAuthorities = Read(root.Cert),
            HostName = Host,
            Usage = OtlpCertificateUsage.Server,
            PrivateKey = PrivateKeyReader.Read(leaf.Key),
        });

        Assert.Empty(check.Findings);
        Assert.Equal(OtlpStatus.Healthy, check.Status);
        Assert.True(check.IsValid);
        Assert.Equal(new[] { $"CN={Host}", "CN=Issuing CA", "CN=Root CA" }, check.Chain.Select(c => c.Subject));
        Assert.Equal($"CN={Host}", check.Subject);
        Assert.Equal(fullchain, check.Path);
        Assert.Equal(Host, check.HostName);
        Assert.Equal(OtlpCertificateUsage.Server, check.Usage);
        Assert.Same(check.Chain[0], check.Certificate);
        Assert.InRange(check.Timestamp, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact]
    public void ExpiredLeafIsAnError()
    {
        using var dir = new TempDirectory();
        var pki = new OpenSslPki(dir);
        var root = pki.Root("Root CA");
        var leaf = pki.Issue(Host, root, OpenSslPki.Server($"DNS:{Host}"),
            notBefore: new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), notAfter: new DateTimeOffset(2021, 1, 1, 0, 0, 0, TimeSpan.Zero));

        var check = Check(leaf.Cert, root.Cert);

        var finding = Only(check, OtlpFindingId.CertificateExpired);
        Assert.Equal(OtlpSeverity.Error, finding.Severity);
        Assert.Equal(OtlpStage.Certificate, finding.Stage);
        Assert.Contains("2021-01-01", finding.Message);
        AssertActionable(finding, $"CN={Host}");
        Assert.Contains("openssl x509", finding.Remediation);
        Assert.Contains("New-OtlpCertificate", finding.Remediation);
        Assert.Equal(OtlpStatus.Failed, check.Status);
        Assert.False(check.IsValid);
        Assert.Equal(new[] { OtlpFindingId.CertificateExpired }, Ids(check));

        // Checked at a moment inside the leaf's validity, the leaf is fine, but the root (made today) did not exist yet.
        var then = CertificateChecker.Check(Read(leaf.Cert), new CertificateCheckOptions
        {
            TrustedAuthorities = Read(root.Cert),
            At = new DateTimeOffset(2020, 6, 1, 0, 0, 0, TimeSpan.Zero),
        });
        var rootFinding = Assert.Single(then.Findings);
        Assert.Equal(OtlpFindingId.CertificateNotYetValid, rootFinding.Id);
        Assert.Contains("root CA certificate 'CN=Root CA' from the CA file", rootFinding.Message);
        Assert.Equal(new DateTimeOffset(2020, 6, 1, 0, 0, 0, TimeSpan.Zero), then.Timestamp);
    }

    [Fact]
    public void ExpiredIntermediateIsNamed()
    {
        using var dir = new TempDirectory();
        var pki = new OpenSslPki(dir);
        var root = pki.Root("Root CA");
        var intermediate = pki.Issue("Old Issuing CA", root, OpenSslPki.CaExtensions,
            notBefore: DateTimeOffset.UtcNow.AddDays(-400), notAfter: DateTimeOffset.UtcNow.AddDays(-2));
        var leaf = pki.Issue(Host, intermediate, OpenSslPki.Server($"DNS:{Host}"));

        var check = Check(pki.Bundle("chain.crt", leaf, intermediate), root.Cert);

        var finding = Only(check, OtlpFindingId.CertificateExpired);
        Assert.Contains("intermediate CA certificate 'CN=Old Issuing CA'", finding.Message);
        Assert.Contains($"chain of 'CN={Host}'", finding.Message);
        Assert.Equal(3, check.Chain.Length);
    }

    [Fact]
    public void ARenewedIntermediateWithTheSameKeyIsPreferredOverItsExpiredPredecessor()
    {
        using var dir = new TempDirectory();
        var pki = new OpenSslPki(dir);
        var root = pki.Root("Root CA");
        var old = pki.Issue("Issuing CA", root, OpenSslPki.CaExtensions,
            notBefore: DateTimeOffset.UtcNow.AddDays(-400), notAfter: DateTimeOffset.UtcNow.AddDays(-2));
        // Renew: same key and name, new dates (what 'openssl x509 -req' with the old CSR and key does).
        var renewed = dir.File("renewed.crt");
        var csr = dir.File("Issuing CA.csr");
        System.IO.File.WriteAllText(dir.File("renew.ext"), OpenSslPki.CaExtensions + "\n");
        OpenSsl.Run($"x509 -req -in \"{csr}\" -CA \"{root.Cert}\" -CAkey \"{root.Key}\" -set_serial 0x77 -days 200 -extfile \"{dir.File("renew.ext")}\" -out \"{renewed}\"");
        var leaf = pki.Issue(Host, old, OpenSslPki.Server($"DNS:{Host}"));

        // The file carries the expired intermediate first and the renewed one after it.
        var bundle = dir.File("bundle.crt");
        System.IO.File.WriteAllText(bundle, System.IO.File.ReadAllText(leaf.Cert) + System.IO.File.ReadAllText(old.Cert) + System.IO.File.ReadAllText(renewed));
        var check = Check(bundle, root.Cert);

        Assert.Empty(check.Findings);
        Assert.Equal(check.Chain[1].Thumbprint, Read(renewed)[0].Thumbprint);

        // Without the renewed copy, the expired intermediate is named.
        Assert.Contains("'CN=Issuing CA'", Only(Check(pki.Bundle("old.crt", leaf, old), root.Cert), OtlpFindingId.CertificateExpired).Message);
    }

    [Fact]
    public void NotYetValidLeafIsAnError()
    {
        using var dir = new TempDirectory();
        var pki = new OpenSslPki(dir);
        var root = pki.Root("Root CA");
        var leaf = pki.Issue(Host, root, OpenSslPki.Server($"DNS:{Host}"),
            notBefore: DateTimeOffset.UtcNow.AddDays(3), notAfter: DateTimeOffset.UtcNow.AddDays(300));

        var check = Check(leaf.Cert, root.Cert);

        var finding = Only(check, OtlpFindingId.CertificateNotYetValid);
        Assert.Equal(OtlpSeverity.Error, finding.Severity);
        Assert.Equal(OtlpStage.Certificate, finding.Stage);
        AssertActionable(finding, $"CN={Host}");
        Assert.Contains("clock", finding.Cause);
    }

    [Fact]
    public void ExpiringSoonIsAWarningInsideTheWindowOnly()
    {
        using var dir = new TempDirectory();
        var pki = new OpenSslPki(dir);
        var root = pki.Root("Root CA");
        var leaf = pki.Issue(Host, root, OpenSslPki.Server($"DNS:{Host}"), days: 10);

        var check = Check(leaf.Cert, root.Cert);
        var finding = Only(check, OtlpFindingId.CertificateExpiringSoon);
        Assert.Equal(OtlpSeverity.Warning, finding.Severity);
        Assert.Equal(OtlpStatus.Warning, check.Status);
        Assert.True(check.IsValid);
        Assert.Matches("in (9|10) days", finding.Message);

        var narrow = CertificateChecker.Check(Read(leaf.Cert), new CertificateCheckOptions { TrustedAuthorities = Read(root.Cert), ExpiryWarningDays = 5 });
        Assert.Empty(narrow.Findings);
    }

    [Fact]
    public void WrongHostIsAMismatchAndCaseAndTrailingDotDoNotMatter()
    {
        using var dir = new TempDirectory();
        var pki = new OpenSslPki(dir);
        var root = pki.Root("Root CA");
        var leaf = pki.Issue(Host, root, OpenSslPki.Server($"DNS:{Host},DNS:localhost"));
        var trusted = Read(root.Cert);

        var wrong = CertificateChecker.Check(Read(leaf.Cert), new CertificateCheckOptions { TrustedAuthorities = trusted, HostName = "otel-collector" });
        var finding = Only(wrong, OtlpFindingId.HostnameMismatch);
        Assert.Equal(OtlpStage.Hostname, finding.Stage);
        Assert.Contains("'otel-collector'", finding.Message);
        Assert.Contains($"{Host}, localhost", finding.Message);
        Assert.Contains("-checkhost otel-collector", finding.Remediation);
        AssertActionable(finding, $"CN={Host}");

        var right = CertificateChecker.Check(Read(leaf.Cert), new CertificateCheckOptions { TrustedAuthorities = trusted, HostName = "COLLECTOR.Example.COM." });
        Assert.Empty(right.Findings);
    }

    [Fact]
    public void CommonNameOnlyCertificateHasNoSanFindingNotAMismatch()
    {
        using var dir = new TempDirectory();
        var pki = new OpenSslPki(dir);
        var root = pki.Root("Root CA");
        var leaf = pki.Issue(Host, root, "basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth");

        var check = CertificateChecker.Check(Read(leaf.Cert), new CertificateCheckOptions { TrustedAuthorities = Read(root.Cert), HostName = Host });

        var finding = Only(check, OtlpFindingId.NoSubjectAlternativeName);
        Assert.Equal(OtlpStage.Hostname, finding.Stage);
        Assert.DoesNotContain(OtlpFindingId.HostnameMismatch, Ids(check));
        Assert.Contains("relies on legacy Common Name", finding.Cause);
        Assert.Contains($"-DnsName {Host}", finding.Remediation);
        Assert.Contains($"CN: {Host}", finding.Evidence);
    }

    [Fact]
    public void MissingIntermediateIsAnIncompleteChainWithACaFileAndUnknownAuthorityWithTheSystemStore()
    {
        using var dir = new TempDirectory();
        var pki = new OpenSslPki(dir);
        var root = pki.Root("Root CA");
        var intermediate = pki.Issue("Issuing CA", root, OpenSslPki.CaExtensions);
        var leaf = pki.Issue(Host, intermediate, OpenSslPki.Server($"DNS:{Host}"));
        Assert.Throws<InvalidOperationException>(() => OpenSsl.Run($"verify -CAfile \"{root.Cert}\" \"{leaf.Cert}\""));

        var check = Check(leaf.Cert, root.Cert);
        var finding = Only(check, OtlpFindingId.IncompleteChain);
        Assert.Equal(OtlpStage.Trust, finding.Stage);
        Assert.Contains("'CN=Issuing CA'", finding.Message);
        Assert.Contains("CA file is not the one", finding.Message);
        Assert.Contains("Missing issuer: CN=Issuing CA", finding.Evidence);
        Assert.Contains("Trusted (CA file): CN=Root CA", finding.Evidence);
        Assert.Contains("tls.cert_file", finding.Remediation);
        Assert.Single(check.Chain);

        // The client that also has the intermediate (openssl verify -untrusted) builds the path.
        var withIntermediate = CertificateChecker.Check(Read(leaf.Cert), new CertificateCheckOptions
        {
            TrustedAuthorities = Read(root.Cert),
            ExtraCertificates = Read(intermediate.Cert),
        });
        Assert.Empty(withIntermediate.Findings);
        Assert.Equal(3, withIntermediate.Chain.Length);

        var system = CertificateChecker.Check(Read(leaf.Cert), new CertificateCheckOptions());
        Assert.Equal(OtlpFindingId.UnknownAuthority, Assert.Single(system.Findings).Id);
        Assert.Contains("system trust store", system.Findings[0].Message);
    }

    [Fact]
    public void UntrustedSelfSignedLeafIsSelfSignedAndTrustingItselfHeals()
    {
        using var dir = new TempDirectory();
        var pki = new OpenSslPki(dir);
        var other = pki.Root("Other CA");
        var leaf = pki.SelfSignedLeaf(Host, OpenSslPki.Server($"DNS:{Host}"));

        var check = Check(leaf.Cert, other.Cert);
        var finding = Only(check, OtlpFindingId.SelfSignedCertificate);
        Assert.Equal(OtlpStage.Trust, finding.Stage);
        Assert.Equal(OtlpSeverity.Error, finding.Severity);
        AssertActionable(finding, $"CN={Host}");
        Assert.Contains("OTEL_EXPORTER_OTLP_CERTIFICATE", finding.Remediation);

        var system = CertificateChecker.Check(Read(leaf.Cert), new CertificateCheckOptions());
        Assert.Equal(OtlpFindingId.SelfSignedCertificate, Assert.Single(system.Findings).Id);

        var pinned = Check(leaf.Cert, leaf.Cert);
        Assert.Empty(pinned.Findings);

        var presented = CertificateChecker.Check(Read(leaf.Cert), new CertificateCheckOptions { TrustedAuthorities = Read(other.Cert), PresentedByServer = true });
        Assert.StartsWith("The server sent", presented.Findings[0].Message);
    }

    [Fact]
    public void ChainToAnUntrustedRootIsUnknownAuthority()
    {
        using var dir = new TempDirectory();
        var pki = new OpenSslPki(dir);
        var root = pki.Root("Their Root");
        var intermediate = pki.Issue("Their Issuing CA", root, OpenSslPki.CaExtensions);
        var leaf = pki.Issue(Host, intermediate, OpenSslPki.Server($"DNS:{Host}"));
        var mine = pki.Root("My Root");

        var check = Check(pki.Bundle("all.crt", leaf, intermediate, root), mine.Cert);

        var finding = Only(check, OtlpFindingId.UnknownAuthority);
        Assert.Contains("'CN=Their Root'", finding.Message);
        Assert.Contains("self-signed certificate in chain", finding.Message);
        Assert.Contains("Trusted (CA file): CN=My Root", finding.Evidence);
        Assert.Equal(new[] { $"CN={Host}", "CN=Their Issuing CA", "CN=Their Root" }, check.Chain.Select(c => c.Subject));
        Assert.DoesNotContain(OtlpFindingId.SelfSignedCertificate, Ids(check));
    }

    [Fact]
    public void RegeneratedCaWithTheSameNameIsUnknownAuthorityNotAMissingIntermediate()
    {
        using var dir = new TempDirectory();
        var oldRoot = new OpenSslPki(dir).Root("Team CA");
        var leaf = new OpenSslPki(dir).Issue(Host, oldRoot, OpenSslPki.Server($"DNS:{Host}"));
        using var other = new TempDirectory();
        var newRoot = new OpenSslPki(other).Root("Team CA");

        var check = Check(leaf.Cert, newRoot.Cert);

        var finding = Only(check, OtlpFindingId.UnknownAuthority);
        Assert.Contains("its key did not sign", finding.Message);
        Assert.Contains("regenerated", finding.Cause);
        Assert.Empty(Check(leaf.Cert, oldRoot.Cert).Findings);
    }

    [Fact]
    public void ClientAuthOnlyLeafUsedAsServerIsAKeyUsageMismatch()
    {
        using var dir = new TempDirectory();
        var pki = new OpenSslPki(dir);
        var root = pki.Root("Root CA");
        var client = pki.Issue("otel-client", root, OpenSslPki.Client + "\nsubjectAltName=DNS:otel-client");
        var server = pki.Issue(Host, root, OpenSslPki.Server($"DNS:{Host}"));
        var trusted = Read(root.Cert);

        var asServer = CertificateChecker.Check(Read(client.Cert), new CertificateCheckOptions { TrustedAuthorities = trusted, Usage = OtlpCertificateUsage.Server });
        var finding = Only(asServer, OtlpFindingId.KeyUsageMismatch);
        Assert.Equal(OtlpStage.Certificate, finding.Stage);
        Assert.Contains("without serverAuth", finding.Message);
        Assert.Contains("unsupported certificate purpose", finding.Cause);

        var asClient = CertificateChecker.Check(Read(client.Cert), new CertificateCheckOptions { TrustedAuthorities = trusted, Usage = OtlpCertificateUsage.Client });
        Assert.Empty(asClient.Findings);

        var serverAsClient = CertificateChecker.Check(Read(server.Cert), new CertificateCheckOptions { TrustedAuthorities = trusted, Usage = OtlpCertificateUsage.Client });
        var clientFinding = Only(serverAsClient, OtlpFindingId.ClientCertificateNotForClientAuth);
        Assert.Equal(OtlpStage.ClientAuth, clientFinding.Stage);
        Assert.Contains("tls.client_ca_file", clientFinding.Remediation);

        var noUsage = CertificateChecker.Check(Read(client.Cert), new CertificateCheckOptions { TrustedAuthorities = trusted });
        Assert.Empty(noUsage.Findings);
    }

    [Fact]
    public void KeyUsageWithoutDigitalSignatureOnAnEcServerIsAMismatch()
    {
        using var dir = new TempDirectory();
        var pki = new OpenSslPki(dir);
        var root = pki.Root("Root CA");
        var leaf = pki.Issue(Host, root, $"keyUsage=critical,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:{Host}");

        var check = CertificateChecker.Check(Read(leaf.Cert), new CertificateCheckOptions { TrustedAuthorities = Read(root.Cert), Usage = OtlpCertificateUsage.Server });

        Assert.Contains("without digitalSignature", Only(check, OtlpFindingId.KeyUsageMismatch).Message);
    }

    [Fact]
    public void IssuerThatIsNotACaIsNamed()
    {
        using var dir = new TempDirectory();
        var pki = new OpenSslPki(dir);
        var root = pki.Root("Root CA");
        var notCa = pki.Issue("just-a-server", root, OpenSslPki.Server("DNS:just-a-server"));
        var leaf = pki.Issue(Host, notCa, OpenSslPki.Server($"DNS:{Host}"));

        var check = Check(pki.Bundle("chain.crt", leaf, notCa), root.Cert);

        var finding = Only(check, OtlpFindingId.KeyUsageMismatch);
        Assert.Contains("'CN=just-a-server' signed", finding.Message);
        Assert.Contains("CA:TRUE", finding.Message);
    }

    [Fact]
    [Trait("Reliability", "HostilePki")]
    public void Rsa1024_key_is_an_error_as_OpenSSL_security_level_2_refuses_it()
    {
        using var dir = new TempDirectory();
        var pki = new OpenSslPki(dir);
        var root = pki.Root("Root CA");
        var leaf = pki.Issue(Host, root, OpenSslPki.Server($"DNS:{Host}"), key: "rsa:1024");

        var check = Check(leaf.Cert, root.Cert);

        var finding = Only(check, OtlpFindingId.WeakKey);
        Assert.Equal(OtlpSeverity.Error, finding.Severity);
        Assert.Contains("1024-bit RSA", finding.Message);
        Assert.Contains("security level 2", finding.Cause);
        Assert.Equal(OtlpStatus.Failed, check.Status);
        // The independent verdict: OpenSSL at security level 2 refuses the key (error 66).
        Assert.Contains("EE certificate key too weak", Assert.Throws<InvalidOperationException>(() =>
            OpenSsl.Run($"verify -auth_level 2 -CAfile \"{root.Cert}\" \"{leaf.Cert}\"")).Message);
    }

    [Fact]
    [Trait("Reliability", "HostilePki")]
    public void Sha1_signature_is_an_error_for_leaf_and_intermediate()
    {
        using var dir = new TempDirectory();
        var pki = new OpenSslPki(dir);
        var root = pki.Root("Root CA", key: "rsa:2048");
        var intermediate = pki.Issue("SHA1 Issuing CA", root, OpenSslPki.CaExtensions, key: "rsa:2048", digest: "sha1");
        var leaf = pki.Issue(Host, intermediate, OpenSslPki.Server($"DNS:{Host}"), key: "rsa:2048", digest: "sha1");
        Assert.Contains("sha1WithRSAEncryption", OpenSsl.Run($"x509 -in \"{leaf.Cert}\" -noout -text"));

        var check = Check(pki.Bundle("chain.crt", leaf, intermediate), root.Cert);

        var findings = check.Findings.Where(f => f.Id == OtlpFindingId.WeakSignatureAlgorithm).ToList();
        Assert.Equal(2, findings.Count);
        Assert.All(findings, f => Assert.Equal(OtlpSeverity.Error, f.Severity));
        Assert.False(check.IsValid);
        Assert.Contains("CA signature digest algorithm too weak", Assert.Throws<InvalidOperationException>(() =>
            OpenSsl.Run($"verify -auth_level 1 -CAfile \"{root.Cert}\" -untrusted \"{intermediate.Cert}\" \"{leaf.Cert}\"")).Message);
        Assert.Contains(findings, f => f.Message.Contains($"'CN={Host}'") && f.Message.Contains("sha1WithRSAEncryption"));
        Assert.Contains(findings, f => f.Message.Contains("'CN=SHA1 Issuing CA'"));
        Assert.Equal(2, check.Findings.Length);
    }

    [Fact]
    public void KeyMismatchIsAFinding()
    {
        using var dir = new TempDirectory();
        var pki = new OpenSslPki(dir);
        var root = pki.Root("Root CA");
        var server = pki.Issue(Host, root, OpenSslPki.Server($"DNS:{Host}"));
        var client = pki.Issue("otel-client", root, OpenSslPki.Client);
        var trusted = Read(root.Cert);

        var serverCheck = CertificateChecker.Check(Read(server.Cert), new CertificateCheckOptions
        {
            TrustedAuthorities = trusted, Usage = OtlpCertificateUsage.Server, PrivateKey = PrivateKeyReader.Read(client.Key),
        });
        var finding = Only(serverCheck, OtlpFindingId.CertificateKeyMismatch);
        Assert.Equal(OtlpStage.Certificate, finding.Stage);
        Assert.Contains("openssl pkey", finding.Remediation);
        Assert.Contains("tls.key_file", finding.Remediation);

        var clientCheck = CertificateChecker.Check(Read(client.Cert), new CertificateCheckOptions
        {
            TrustedAuthorities = trusted, Usage = OtlpCertificateUsage.Client, PrivateKey = PrivateKeyReader.Read(server.Key),
        });
        var clientFinding = Only(clientCheck, OtlpFindingId.ClientKeyMismatch);
        Assert.Equal(OtlpStage.ClientAuth, clientFinding.Stage);
        Assert.Contains("OTEL_EXPORTER_OTLP_CLIENT_KEY", clientFinding.Remediation);

        var rsa = pki.Issue("rsa-client", root, OpenSslPki.Client, key: "rsa:2048");
        var rsaCheck = CertificateChecker.Check(Read(rsa.Cert), new CertificateCheckOptions
        {
            TrustedAuthorities = trusted, Usage = OtlpCertificateUsage.Client, PrivateKey = PrivateKeyReader.Read(rsa.Key),
        });
        Assert.Empty(rsaCheck.Findings);
    }

    [Theory]
    [InlineData("a.example.com", true)]
    [InlineData("B.Example.Com", true)]
    [InlineData("example.com", false)]
    [InlineData("a.b.example.com", false)]
    [InlineData("exact.other.org", true)]
    [InlineData("x.other.org", false)]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.0.0.2", false)]
    [InlineData("::1", true)]
    [InlineData("[0:0:0:0:0:0:0:1]", true)]
    [InlineData("::2", false)]
    [InlineData("10.0.0.1", false)]
    public void WildcardAndIpSansMatchLikeTlsClients(string host, bool matches)
    {
        using var dir = new TempDirectory();
        var pki = new OpenSslPki(dir);
        var root = pki.Root("Root CA");
        var leaf = pki.Issue("wild", root, OpenSslPki.Server("DNS:*.example.com,DNS:exact.other.org,DNS:10.0.0.1,IP:127.0.0.1,IP:::1"));

        var check = CertificateChecker.Check(Read(leaf.Cert), new CertificateCheckOptions { TrustedAuthorities = Read(root.Cert), HostName = host });

        if (matches)
        {
            Assert.Empty(check.Findings);
        }
        else
        {
            var finding = Only(check, OtlpFindingId.HostnameMismatch);
            if (host == "10.0.0.1")
            {
                Assert.Contains("listed as a DNS name", finding.Message);
            }
        }

        // openssl's own host check agrees with ours.
        var ip = HostNameMatcher.ParseIPLiteral(host);
        var option = ip is null ? $"-checkhost {host}" : $"-checkip {ip}";
        var openssl = OpenSsl.Run($"x509 -in \"{leaf.Cert}\" -noout {option}");
        Assert.Equal(matches, !openssl.Contains("does NOT match"));
    }

    [Theory]
    [InlineData("*.example.com", "a.example.com", true)]
    [InlineData("*.example.com", ".example.com", false)]
    [InlineData("*.com", "example.com", false)]
    [InlineData("f*.example.com", "foo.example.com", false)]
    [InlineData("*.*.example.com", "a.b.example.com", false)]
    [InlineData("host.", "HOST", true)]
    public void DnsNameRules(string san, string host, bool matches) =>
        Assert.Equal(matches, HostNameMatcher.MatchesDnsName(host, san));

    [Theory]
    [InlineData("otel-collector.observability.svc", true, true)]
    [InlineData("otel_collector", false, true)]
    [InlineData("-collector", false, false)]
    [InlineData("collector-", false, false)]
    [InlineData("a..example.com", false, false)]
    [InlineData("*.example.com", false, false)]
    [InlineData("bad name", false, false)]
    public void DnsNameSyntax(string name, bool valid, bool validWithUnderscore)
    {
        Assert.Equal(valid, HostNameMatcher.IsValidDnsName(name, allowUnderscore: false));
        Assert.Equal(validWithUnderscore, HostNameMatcher.IsValidDnsName(name, allowUnderscore: true));
    }

    [Fact]
    public void DnsLabelsAreAtMost63AndNamesAtMost253Characters()
    {
        Assert.True(HostNameMatcher.IsValidDnsName(new string('a', 63) + ".com", allowUnderscore: false));
        Assert.False(HostNameMatcher.IsValidDnsName(new string('a', 64) + ".com", allowUnderscore: false));
        var label = new string('a', 63);
        var name = string.Join(".", label, label, label, new string('a', 61)); // 253 characters
        Assert.True(HostNameMatcher.IsValidDnsName(name, allowUnderscore: false));
        Assert.False(HostNameMatcher.IsValidDnsName(name + "a", allowUnderscore: false));
    }

    [Theory]
    [InlineData("12345", false)]
    [InlineData("127.1", false)]
    [InlineData("192.168.1.10", true)]
    [InlineData("fe80::1%eth0", true)]
    [InlineData("[2001:db8::1]", true)]
    [InlineData("otel-collector", false)]
    public void IpLiteralsAreRecognisedStrictly(string host, bool isIp) =>
        Assert.Equal(isIp, HostNameMatcher.ParseIPLiteral(host) is not null);

    [Fact]
    public void CertificatesFromOurFactoryAreHealthy()
    {
        var root = CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.CA, CommonName = "Factory Root" });
        var intermediate = CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.CA, CommonName = "Factory Issuing", Signer = root });
        var server = CertificateFactory.Issue(new CertificateSpec
        {
            Type = OtlpCertificateType.Server, DnsNames = { "otel-collector", "localhost" }, IPAddresses = { "127.0.0.1", "::1" },
            Signer = intermediate, KeyAlgorithm = OtlpKeyAlgorithm.Rsa2048,
        });
        var client = CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.Client, Signer = root });
        var trusted = new[] { root.ToModel() };
        var serverChain = CertificateReader.Parse(System.Text.Encoding.ASCII.GetBytes(server.ChainPem), "server.crt")
            .Select((c, i) => CertificateDescriber.Create(c, "server.crt", i)).ToList();

        foreach (var host in new[] { "otel-collector", "localhost", "127.0.0.1", "::1" })
        {
            var check = CertificateChecker.Check(serverChain, new CertificateCheckOptions
            {
                TrustedAuthorities = trusted, HostName = host, Usage = OtlpCertificateUsage.Server, PrivateKey = server.PrivateKey,
            });
            Assert.True(check.Findings.Length == 0, host + ": " + string.Join(" | ", check.Findings.Select(f => f.ToString())));
            Assert.Equal(3, check.Chain.Length);
        }

        var clientCheck = CertificateChecker.Check(new[] { client.ToModel() }, new CertificateCheckOptions
        {
            TrustedAuthorities = trusted, Usage = OtlpCertificateUsage.Client, PrivateKey = client.PrivateKey,
        });
        Assert.Empty(clientCheck.Findings);

        var rootCheck = CertificateChecker.Check(trusted, new CertificateCheckOptions { TrustedAuthorities = trusted });
        Assert.Empty(rootCheck.Findings);
    }

    [Fact]
    public void FactoryCnOnlyAndWrongUsageCertificatesAreCaughtToo()
    {
        var root = CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.CA });
        var cnOnly = CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.Server, CommonName = "otel-collector", OmitSubjectAlternativeNames = true, Signer = root });
        var check = CertificateChecker.Check(new[] { cnOnly.ToModel() }, new CertificateCheckOptions
        {
            TrustedAuthorities = new[] { root.ToModel() }, HostName = "otel-collector", Usage = OtlpCertificateUsage.Server,
        });
        Assert.Equal(new[] { OtlpFindingId.NoSubjectAlternativeName }, Ids(check));
    }

    [Fact]
    public void SystemStoreRootsAreTrustedAnchors()
    {
        Assert.True(Directory.Exists("/etc/ssl/certs") || OperatingSystem.IsWindows(), "this test needs a system trust store");
        var roots = SystemTrustStore.Certificates;
        Assert.NotEmpty(roots);
        var root = roots.First(r => CertificateDescriber.IsSelfSigned(r) && r.NotAfter > DateTime.UtcNow.AddDays(60) && r.NotBefore < DateTime.UtcNow);
        var model = CertificateDescriber.Create(root, null, 0);

        var check = CertificateChecker.Check(new[] { model }, new CertificateCheckOptions());

        Assert.DoesNotContain(check.Findings, f => f.Stage == OtlpStage.Trust);
    }

    [Fact]
    public void FindingsAreOrderedWorstFirstThenByStage()
    {
        using var dir = new TempDirectory();
        var pki = new OpenSslPki(dir);
        var root = pki.Root("Root CA");
        var leaf = pki.Issue(Host, root, OpenSslPki.Server($"DNS:{Host}"), key: "ec -pkeyopt ec_paramgen_curve:P-224", days: 5);
        var stranger = pki.Root("Stranger");

        var check = CertificateChecker.Check(Read(leaf.Cert), new CertificateCheckOptions
        {
            TrustedAuthorities = Read(stranger.Cert), HostName = "wrong.example.com",
        });

        Assert.Equal(new[] { OtlpFindingId.IncompleteChain, OtlpFindingId.HostnameMismatch, OtlpFindingId.CertificateExpiringSoon, OtlpFindingId.WeakKey }, Ids(check));
        Assert.Equal($"CN={Host}: Failed (IncompleteChain)", check.ToString());
    }

    [Fact]
    public void ConcurrentChecksOfTheSameChainsAgree()
    {
        var root = CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.CA, CommonName = "Parallel Root" });
        var good = new[] { CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.Server, DnsNames = { "a" }, Signer = root }).ToModel() };
        var stranger = new[] { CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.Server, DnsNames = { "b" } }).ToModel() };
        var trusted = new[] { root.ToModel() };

        var results = new System.Collections.Concurrent.ConcurrentBag<string>();
        System.Threading.Tasks.Parallel.For(0, 400, new System.Threading.Tasks.ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var (chain, ca, host) = (i % 4) switch
            {
                0 => (good, trusted, "a"),
                1 => (good, (OtlpCertificate[]?)null, "a"),
                2 => (stranger, trusted, "b"),
                _ => (good, trusted, "wrong"),
            };
            var check = CertificateChecker.Check(chain, new CertificateCheckOptions { TrustedAuthorities = ca, HostName = host });
            results.Add((i % 4) + ":" + string.Join(",", check.Findings.Select(f => f.Id)));
        });

        Assert.Equal(new[] { "0:", "1:UnknownAuthority", "2:SelfSignedCertificate", "3:HostnameMismatch" }, results.Distinct().OrderBy(r => r));
    }

    [Fact]
    public void EmptyChainIsAnArgumentError()
    {
        var ex = Assert.Throws<OtlpTlsException>(() => CertificateChecker.Check(Array.Empty<OtlpCertificate>(), new CertificateCheckOptions()));
        Assert.Equal("CertificateChainEmpty", ex.ErrorId);
    }
}
