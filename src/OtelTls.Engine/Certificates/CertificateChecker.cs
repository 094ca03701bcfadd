using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Security;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace OtelTls.Engine.Certificates
{
    /// <summary>
    /// Checks a certificate chain offline the way TLS clients will: builds the path to a trusted authority, then checks
    /// validity, usage, algorithms, trust, the host name and the key. Used by <c>Test-OtlpCertificate</c> on files and
    /// by the endpoint diagnosis on the chain a server sent; every problem is a finding with its fix, never an exception.
    /// </summary>
    public static class CertificateChecker
    {
        private static readonly HashSet<string> WeakSignatureOids = new(StringComparer.Ordinal)
        {
            "1.2.840.113549.1.1.2", // md2WithRSAEncryption
            "1.2.840.113549.1.1.4", // md5WithRSAEncryption
            "1.2.840.113549.1.1.5", // sha1WithRSAEncryption
            "1.3.14.3.2.29",        // sha1WithRSA (OIW)
            "1.2.840.10045.4.1",    // ecdsa-with-SHA1
            "1.2.840.10040.4.3",    // dsa-with-sha1
        };

        /// <summary>Checks a chain.</summary>
        /// <param name="chain">Leaf first, then whatever came with it (intermediates from the same file, or what a server sent).</param>
        /// <param name="options">Trust, host name, usage, time and key to check against.</param>
        public static OtlpCertificateCheck Check(IReadOnlyList<OtlpCertificate> chain, CertificateCheckOptions options)
        {
            if (chain is null || chain.Count == 0)
            {
                throw new OtlpTlsException(OtlpErrorId.CertificateChainEmpty, OtlpErrorKind.InvalidArgument,
                    "There is no certificate to check.", null, "Give a certificate file or an OtlpCertificate object.");
            }

            options ??= new CertificateCheckOptions();
            var untrusted = new CertificateIndex(chain.Skip(1).Select(c => CertificatePaths.Node(c, CertificateOrigin.Presented)));
            foreach (var extra in options.ExtraCertificates ?? Array.Empty<OtlpCertificate>())
            {
                untrusted.Add(CertificatePaths.Node(extra, CertificateOrigin.Extra));
            }

            return CheckNode(CertificatePaths.Node(chain[0], CertificateOrigin.Presented), untrusted, options);
        }

        /// <summary>
        /// Checks every certificate of a group (a bundle, piped certificates) with the others as its untrusted pool, each
        /// certificate decoded once: linear in the group's size. Results come lazily, in the group's order.
        /// </summary>
        /// <param name="group">The certificates; each is checked as a leaf.</param>
        /// <param name="options">Options per certificate of the group (same index); null skips that certificate.</param>
        public static IEnumerable<OtlpCertificateCheck> CheckEach(IReadOnlyList<OtlpCertificate> group, IReadOnlyList<CertificateCheckOptions?> options)
        {
            if (group is null || group.Count == 0)
            {
                yield break;
            }

            if (options is null || options.Count != group.Count)
            {
                throw new ArgumentException("One options object (or null) per certificate is needed.", nameof(options));
            }

            var nodes = group.Select(c => CertificatePaths.Node(c, CertificateOrigin.Presented)).ToList();
            var pool = new CertificateIndex(nodes);
            for (var i = 0; i < nodes.Count; i++)
            {
                if (options[i] is { } one)
                {
                    // The leaf itself is in the pool; path building never uses a certificate twice, so it is skipped there.
                    yield return CheckNode(nodes[i], pool, one);
                }
            }
        }

        private static OtlpCertificateCheck CheckNode(CertificateNode leaf, CertificateIndex untrusted, CertificateCheckOptions options)
        {
            var chain = new[] { leaf.Model };
            var run = new Run(leaf, untrusted, options);
            run.BuildPath();
            run.CheckMalformed();
            run.CheckValidity();
            run.CheckIssuersAreAuthorities();
            run.CheckPathLengthConstraints();
            run.CheckNameConstraints();
            run.CheckCriticalExtensions();
            run.CheckUsage();
            run.CheckAlgorithms();
            run.CheckTrust();
            run.CheckHostName();
            run.CheckPrivateKey();

            return new OtlpCertificateCheck
            {
                Path = chain[0].Path,
                Subject = chain[0].Subject,
                HostName = run.Options.HostName,
                Usage = run.Options.Usage,
                Timestamp = run.At,
                Certificate = chain[0],
                Chain = run.Path.Select(n => n.Model).ToArray(),
                Findings = OtlpCertificateCheck.Order(run.Findings),
            };
        }

        private sealed class Run
        {
            private readonly PathBuilder _builder;
            private readonly CertificateIndex _trust;

            public Run(CertificateNode leaf, CertificateIndex untrusted, CertificateCheckOptions options)
            {
                Options = options;
                At = options.At ?? DateTimeOffset.UtcNow;
                CaFileGiven = options.TrustedAuthorities is { Count: > 0 };
                _trust = CaFileGiven ? CertificatePaths.TrustIndexFor(options.TrustedAuthorities!) : CertificatePaths.SystemRoots;
                _builder = new PathBuilder(_trust, untrusted, At);
                Leaf = leaf;
            }

            public CertificateCheckOptions Options { get; }

            public DateTimeOffset At { get; }

            public bool CaFileGiven { get; }

            public CertificateNode Leaf { get; }

            public List<CertificateNode> Path => _builder.Path;

            public List<OtlpFinding> Findings { get; } = new();

            private string LeafName => CertificateFindings.Quote(Leaf.Subject);

            private string TrustSource => CertificateFindings.TrustSource(CaFileGiven);

            public void BuildPath() => _builder.Build(Leaf);

            // ---- Certificate stage ---------------------------------------------------------------------------

            public void CheckValidity()
            {
                for (var i = 0; i < Path.Count; i++)
                {
                    var node = Path[i];
                    var evidence = DatesEvidence(node);
                    if (At > node.NotAfter)
                    {
                        var ago = (int)Math.Floor((At - node.NotAfter).TotalDays);
                        Findings.Add(CertificateFindings.Expired($"{Role(i)} {CertificateFindings.Quote(node.Subject)}{InChainOf(i)}", CertificateFindings.Date(node.NotAfter), CertificateFindings.Days(ago), CertificateFindings.Date(At), tail => Reissue(i, tail), evidence));
                    }
                    else if (At < node.NotBefore)
                    {
                        var until = (int)Math.Ceiling((node.NotBefore - At).TotalDays);
                        Findings.Add(CertificateFindings.NotYetValid($"{Role(i)} {CertificateFindings.Quote(node.Subject)}{InChainOf(i)}", CertificateFindings.Date(node.NotBefore), CertificateFindings.Days(until), CertificateFindings.Date(At), tail => Reissue(i, tail), evidence));
                    }
                    else if (Options.ExpiryWarningDays > 0 && node.NotAfter - At < TimeSpan.FromDays(Options.ExpiryWarningDays))
                    {
                        var left = (int)Math.Floor((node.NotAfter - At).TotalDays);
                        Findings.Add(CertificateFindings.ExpiringSoon($"{Role(i)} {CertificateFindings.Quote(node.Subject)}{InChainOf(i)}", CertificateFindings.Date(node.NotAfter), CertificateFindings.Days(left), Options.ExpiryWarningDays, tail => Reissue(i, tail), evidence));
                    }
                }
            }

            public void CheckIssuersAreAuthorities()
            {
                for (var i = 1; i < Path.Count; i++)
                {
                    var issuer = Path[i];
                    // X.509 v1 roots predate basicConstraints; OpenSSL still accepts them as trust anchors.
                    if (issuer.Certificate.Version < 3 && issuer.IsSelfSigned)
                    {
                        continue;
                    }

                    var keyUsage = issuer.Extensions.KeyUsage;
                    var canSign = keyUsage is null || (keyUsage.Length > 5 && keyUsage[5]);
                    if (issuer.IsAuthority && canSign)
                    {
                        continue;
                    }

                    var why = issuer.IsAuthority ? "its keyUsage lacks keyCertSign" : "its basicConstraints do not say CA:TRUE";
                    Findings.Add(CertificateFindings.IssuerNotAuthority(CertificateFindings.Quote(issuer.Subject), CertificateFindings.Quote(Path[i - 1].Subject), why, $"Issuer: {issuer.Subject}; CA: {(issuer.IsAuthority ? "yes" : "no")}; keyUsage: {CertificateFindings.List(CertificateDescriber.KeyUsageList(issuer.Certificate))}"));
                }
            }

            public void CheckUsage()
            {
                if (Options.Usage is not OtlpCertificateUsage usage)
                {
                    return;
                }

                var eku = Leaf.Extensions.ExtendedKeyUsage;
                var purpose = usage == OtlpCertificateUsage.Server ? KeyPurposeID.id_kp_serverAuth.Id : KeyPurposeID.id_kp_clientAuth.Id;
                var ekuAllows = eku is null || eku.Contains(purpose) || eku.Contains(KeyPurposeID.AnyExtendedKeyUsage.Id);

                var keyUsage = Leaf.Extensions.KeyUsage;
                var digitalSignature = keyUsage is not null && keyUsage[0];
                var keyEncipherment = keyUsage is not null && keyUsage[2];
                var keyAgreement = keyUsage is not null && keyUsage[4];
                var isRsa = PublicKeyCache.IsRsa(Leaf.Certificate.SubjectPublicKeyInfo);
                // As OpenSSL's purpose check (X509_PURPOSE_SSL_SERVER) and the stacks measured: a server leaf passes with any of
                // digitalSignature, keyEncipherment or keyAgreement; without digitalSignature it is a warning (strict stacks refuse it).
                var kuAllows = keyUsage is null || digitalSignature
                    || (usage == OtlpCertificateUsage.Server && (keyEncipherment || keyAgreement));
                if (ekuAllows && kuAllows)
                {
                    if (keyUsage is not null && !digitalSignature)
                    {
                        Findings.Add(CertificateFindings.LenientKeyUsage($"server certificate {LeafName}", CertificateFindings.List(CertificateDescriber.KeyUsageList(Leaf.Certificate)), isRsa,
                            $"Subject: {Leaf.Subject}; key: {CertificateDescriber.DescribeKey(Leaf.Certificate).Algorithm}; keyUsage: {CertificateFindings.List(CertificateDescriber.KeyUsageList(Leaf.Certificate))}"));
                    }

                    return;
                }

                var ekuText = CertificateFindings.List(CertificateDescriber.ExtendedKeyUsageList(Leaf.Certificate));
                var kuText = CertificateFindings.List(CertificateDescriber.KeyUsageList(Leaf.Certificate));
                var problem = !ekuAllows
                    ? $"its extended key usage is {ekuText}, without {(usage == OtlpCertificateUsage.Server ? "serverAuth" : "clientAuth")}"
                    : $"its key usage is {kuText}, without digitalSignature{(usage == OtlpCertificateUsage.Server ? ", keyEncipherment or keyAgreement" : string.Empty)}";
                var evidence = $"Subject: {Leaf.Subject}; extendedKeyUsage: {ekuText}; keyUsage: {kuText}";
                if (usage == OtlpCertificateUsage.Server)
                {
                    Findings.Add(CertificateFindings.NotForServer(LeafName, problem, evidence));
                }
                else
                {
                    Findings.Add(CertificateFindings.NotForClient(LeafName, problem, evidence));
                }
            }

            public void CheckAlgorithms()
            {
                for (var i = 0; i < Path.Count; i++)
                {
                    var node = Path[i];
                    // A self-signed certificate's own signature is never relied on: trust comes from having it (OpenSSL skips it too).
                    if (WeakSignatureOids.Contains(node.Certificate.SigAlgOid) && !node.IsSelfSigned)
                    {
                        var algorithm = CertificateDescriber.SignatureAlgorithmName(node.Certificate.SigAlgOid);
                        Findings.Add(CertificateFindings.WeakSignature($"{Role(i)} {CertificateFindings.Quote(node.Subject)}{InChainOf(i)}", algorithm,
                            tail => Reissue(i, tail),
                            $"Subject: {node.Subject}; Issuer: {node.Issuer}; signature: {algorithm}"));
                    }

                    var (keyAlgorithm, keySize) = CertificateDescriber.DescribeKey(node.Certificate);
                    // Security level 2 (112 bits): RSA/DSA 2048, EC 224. Under that OpenSSL refuses; EC 224..255 is only a warning.
                    var weak = CertificateDescriber.IsWeakKey(keyAlgorithm, keySize);
                    var error = CertificateDescriber.IsRefusedKey(keyAlgorithm, keySize);
                    if (weak)
                    {
                        Findings.Add(CertificateFindings.WeakKey($"{Role(i)} {CertificateFindings.Quote(node.Subject)}{InChainOf(i)}", keyAlgorithm, keySize, error,
                            tail => Reissue(i, tail),
                            $"Subject: {node.Subject}; key: {keyAlgorithm}, {keySize.ToString(CultureInfo.InvariantCulture)} bits"));
                    }
                }
            }

            // ---- Path constraints (RFC 5280 §6.1, as OpenSSL, Go and .NET apply them) ---------------------------------

            public void CheckMalformed()
            {
                for (var i = 0; i < Path.Count; i++)
                {
                    var problems = Path[i].Extensions.Problems;
                    if (problems.Count > 0)
                    {
                        Findings.Add(CertificateFindings.Malformed($"{Role(i)} {CertificateFindings.Quote(Path[i].Subject)}{InChainOf(i)}", string.Join("; ", problems),
                            $"Subject: {Path[i].Subject}; SHA-256: {Path[i].Fingerprint}; problems: {string.Join("; ", problems)}"));
                    }
                }

                if (_builder.TooLong)
                {
                    Findings.Add(CertificateFindings.ChainTooLong(Path.Count, $"Path: {Path[0].Subject} … {Path[Path.Count - 1].Subject}"));
                }
            }

            public void CheckPathLengthConstraints()
            {
                for (var i = 1; i < Path.Count; i++)
                {
                    if (Path[i].Extensions.PathLength is not int limit || !Path[i].IsAuthority)
                    {
                        continue;
                    }

                    // Intermediates between this CA and the leaf; self-issued ones (a CA re-keyed under its own name) do not count.
                    var below = 0;
                    for (var j = 1; j < i; j++)
                    {
                        if (!Path[j].IsSelfIssued)
                        {
                            below++;
                        }
                    }

                    if (below > limit)
                    {
                        Findings.Add(CertificateFindings.PathLengthExceeded($"{Role(i)} {CertificateFindings.Quote(Path[i].Subject)}{InChainOf(i)}", limit, below,
                            $"CA: {Path[i].Subject} (pathlen:{limit.ToString(CultureInfo.InvariantCulture)}); path: {string.Join(" <- ", Path.Select(p => p.Subject).Reverse())}"));
                    }
                }
            }

            public void CheckNameConstraints()
            {
                for (var i = 1; i < Path.Count; i++)
                {
                    var ca = Path[i].Extensions;
                    if (ca.Permitted is null && ca.Excluded is null)
                    {
                        continue;
                    }

                    for (var j = 0; j < i; j++)
                    {
                        // RFC 5280 §6.1.3: self-issued intermediates are not subject to the constraints; the leaf always is.
                        if (j > 0 && Path[j].IsSelfIssued)
                        {
                            continue;
                        }

                        var violation = NameConstraintChecker.FirstViolation(Path[j].Extensions, Path[j].Certificate.SubjectDN, ca.Permitted, ca.Excluded);
                        if (violation is { } v)
                        {
                            Findings.Add(CertificateFindings.NameConstraintViolated($"{Role(j)} {CertificateFindings.Quote(Path[j].Subject)}{InChainOf(j)}",
                                $"{Role(i)} {CertificateFindings.Quote(Path[i].Subject)}", v.Name, v.Excluded, v.Subtrees,
                                $"Name: {v.Name}; CA: {Path[i].Subject}; permitted: {NameConstraintChecker.Describe(ca.Permitted)}; excluded: {NameConstraintChecker.Describe(ca.Excluded)}"));
                            break;
                        }
                    }
                }
            }

            public void CheckCriticalExtensions()
            {
                for (var i = 0; i < Path.Count; i++)
                {
                    var unhandled = Path[i].Extensions.UnhandledCritical;
                    if (unhandled.Count > 0)
                    {
                        Findings.Add(CertificateFindings.UnhandledCriticalExtension($"{Role(i)} {CertificateFindings.Quote(Path[i].Subject)}{InChainOf(i)}", string.Join(", ", unhandled),
                            $"Subject: {Path[i].Subject}; critical extensions not processed: {string.Join(", ", unhandled)}"));
                    }
                }
            }

            // ---- Trust stage ---------------------------------------------------------------------------------

            public void CheckTrust()
            {
                if (_builder.Anchored)
                {
                    return;
                }

                var end = Path[Path.Count - 1];
                var chainText = "Path built: " + string.Join(" <- ", Path.Select(p => p.Subject).Reverse());
                var trustedText = CaFileGiven
                    ? "Trusted (CA file): " + CertificateFindings.List(_trust.All.Select(t => t.Subject))
                    : $"Trusted: the system trust store ({_trust.All.Count.ToString(CultureInfo.InvariantCulture)} roots)";
                var clientSide = Options.Usage == OtlpCertificateUsage.Client;
                var trustSetting = CertificateFindings.TrustSetting(clientSide);

                if (end.IsSelfSigned && Path.Count == 1)
                {
                    Findings.Add(CertificateFindings.SelfSigned(Options.PresentedByServer, LeafName, TrustSource, trustSetting, clientSide, $"Subject: {Leaf.Subject}; Issuer: {Leaf.Issuer}; {trustedText}"));
                    return;
                }

                if (_builder.SameNameWrongKey.Count > 0 && !end.IsSelfSigned)
                {
                    var impostor = _builder.SameNameWrongKey[0];
                    var where = impostor.Origin == CertificateOrigin.Trusted ? TrustSource : "the chain";
                    Findings.Add(CertificateFindings.RegeneratedCa(CertificateFindings.Quote(end.Subject), CertificateFindings.Quote(end.Issuer), where, trustSetting, $"Issuer named: {end.Issuer}; same-name certificate: {impostor.Subject} (SHA-256 {impostor.Model.Thumbprint}); {chainText}"));
                    return;
                }

                if (end.IsSelfSigned)
                {
                    Findings.Add(CertificateFindings.UntrustedRoot(LeafName, CertificateFindings.Quote(end.Subject), TrustSource, trustSetting, CaFileGiven, $"{chainText}; {trustedText}"));
                    return;
                }

                var sentOrIncluded = CertificateFindings.SentOrIncluded(Options.PresentedByServer);
                if (CaFileGiven && end.IsAuthority)
                {
                    // The intermediates are there; the root they lead to is simply not the one the client trusts. Servers
                    // need not send the root, so nothing is missing from the chain: the CA file is the wrong one.
                    Findings.Add(CertificateFindings.WrongCaFile(LeafName, CertificateFindings.Quote(end.Subject), CertificateFindings.Quote(end.Issuer), trustSetting, $"Missing root: {end.Issuer}; {trustedText}; {chainText}"));
                    return;
                }

                if (CaFileGiven)
                {
                    Findings.Add(CertificateFindings.IncompleteChain(LeafName, Path.Count == 1, CertificateFindings.Quote(end.Subject), CertificateFindings.Quote(end.Issuer), sentOrIncluded, clientSide, trustSetting, $"Missing issuer: {end.Issuer}; {trustedText}; {chainText}"));
                    return;
                }

                Findings.Add(CertificateFindings.NoTrustedIssuer(CertificateFindings.Quote(end.Subject), CertificateFindings.Quote(end.Issuer), sentOrIncluded, trustSetting, $"Missing issuer: {end.Issuer}; {trustedText}; {chainText}"));
            }

            // ---- Hostname stage ------------------------------------------------------------------------------

            public void CheckHostName()
            {
                var host = Options.HostName?.Trim();
                if (string.IsNullOrEmpty(host))
                {
                    return;
                }

                var dns = CertificateDescriber.SubjectAlternativeNames(Leaf.Certificate, GeneralName.DnsName).ToList();
                var ips = CertificateDescriber.SubjectAlternativeNames(Leaf.Certificate, GeneralName.IPAddress).ToList();
                var ip = HostNameMatcher.ParseIPLiteral(host!);
                var cn = CertificateDescriber.CommonName(Leaf.Certificate.SubjectDN);
                var addName = ip is null ? $"-DnsName {host}" : $"-IPAddress {ip}";
                var sanText = ip is null ? $"DNS:{host}" : $"IP:{ip}";
                var checkCommand = ip is null ? $"openssl x509 -in <file> -noout -checkhost {host}" : $"openssl x509 -in <file> -noout -checkip {ip}";
                var evidence = $"Host: {host}; DNS SANs: {CertificateFindings.List(dns)}; IP SANs: {CertificateFindings.List(ips)}; CN: {cn ?? "(none)"}";

                if (dns.Count == 0 && ips.Count == 0)
                {
                    Findings.Add(CertificateFindings.NoSubjectAlternativeName(LeafName, host!, cn, addName, sanText, evidence));
                    return;
                }

                if (HostNameMatcher.FindMatch(host!, dns, ips) is not null)
                {
                    return;
                }

                var detail = string.Empty;
                if (ip is not null && dns.Any(d => HostNameMatcher.ParseIPLiteral(d) is { } asDns && asDns.Equals(ip)))
                {
                    detail = CertificateFindings.IpListedAsDnsName;
                }
                else if (ip is null && ips.Count > 0 && dns.Count == 0)
                {
                    detail = CertificateFindings.OnlyIpNames;
                }
                else if (ip is null && dns.Any(d => d.StartsWith("*.", StringComparison.Ordinal)))
                {
                    detail = CertificateFindings.WildcardCoversOneLabel;
                }

                Findings.Add(CertificateFindings.HostnameMismatch(LeafName, host!, CertificateFindings.List(dns.Concat(ips)), detail, addName, sanText, checkCommand, evidence));
            }

            // ---- key match -----------------------------------------------------------------------------------

            public void CheckPrivateKey()
            {
                if (Options.PrivateKey is null || PrivateKeyReader.Matches(Leaf.Certificate, Options.PrivateKey))
                {
                    return;
                }

                var client = Options.Usage == OtlpCertificateUsage.Client;
                var (algorithm, size) = CertificateDescriber.DescribeKey(Leaf.Certificate);
                Findings.Add(CertificateFindings.KeyMismatch(client, LeafName, $"Certificate: {Leaf.Subject}; certificate key: {algorithm}, {size.ToString(CultureInfo.InvariantCulture)} bits; private key: {CertificateDescriber.DescribePrivateKey(Options.PrivateKey)}"));
            }

            // ---- wording helpers -----------------------------------------------------------------------------

            private string Role(int index) =>
                CertificateFindings.Role(index, Options.Usage, Options.PresentedByServer, Path[index].IsSelfSigned);

            private string InChainOf(int index) =>
                index == 0 ? string.Empty : CertificateFindings.InChainOf(Path[index].Origin, Options.PresentedByServer, TrustSource, LeafName);

            /// <summary>How to replace the certificate at <paramref name="index"/> of the path, and where it goes.</summary>
            private string Reissue(int index, string tail) =>
                CertificateFindings.Reissue(index == 0, Options.Usage == OtlpCertificateUsage.Client, Options.HostName,
                    Path[index].Origin == CertificateOrigin.Trusted, Path[index].Subject, tail);

            private string DatesEvidence(CertificateNode node) =>
                $"Subject: {node.Subject}; Issuer: {node.Issuer}; NotBefore: {CertificateFindings.Date(node.NotBefore)}; NotAfter: {CertificateFindings.Date(node.NotAfter)}; checked at: {CertificateFindings.Date(At)}";
        }
    }
}
