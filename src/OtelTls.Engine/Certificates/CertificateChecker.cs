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
        // Longer paths than this are a loop or a mistake; real OTLP PKIs have one or two intermediates.
        private const int MaxPathLength = 10;

        private static readonly HashSet<string> WeakSignatureOids = new(StringComparer.Ordinal)
        {
            "1.2.840.113549.1.1.2", // md2WithRSAEncryption
            "1.2.840.113549.1.1.4", // md5WithRSAEncryption
            "1.2.840.113549.1.1.5", // sha1WithRSAEncryption
            "1.3.14.3.2.29",        // sha1WithRSA (OIW)
            "1.2.840.10045.4.1",    // ecdsa-with-SHA1
            "1.2.840.10040.4.3",    // dsa-with-sha1
        };

        private static readonly Regex Whitespace = new(@"\s+", RegexOptions.CultureInvariant);

        // The system roots, indexed once per process: a fleet of endpoint checks must not re-index ~150 roots each time.
        private static readonly Lazy<TrustIndex> SystemIndex = new(
            () => new TrustIndex(SystemTrustStore.Certificates.Select(r => new Node(r, null, Origin.Trusted))),
            System.Threading.LazyThreadSafetyMode.ExecutionAndPublication);

        // Signature checks are the expensive part (about a millisecond each with BouncyCastle), and a fleet presents the
        // same certificates again and again: remember the verdicts, keyed by both certificates' SHA-256.
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> SignatureVerdicts = new(StringComparer.Ordinal);
        private const int MaxRememberedVerdicts = 4096;

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

            var run = new Run(chain, options ?? new CertificateCheckOptions());
            run.BuildPath();
            run.CheckValidity();
            run.CheckIssuersAreAuthorities();
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
                At = run.At,
                Certificate = chain[0],
                Chain = run.Path.Select(n => n.Model).ToArray(),
                Findings = OtlpCertificateCheck.Order(run.Findings),
            };
        }

        private enum Origin
        {
            Presented,
            Extra,
            Trusted,
        }

        /// <summary>Trusted certificates by subject name.</summary>
        private sealed class TrustIndex
        {
            private readonly Dictionary<string, List<Node>> _byName = new(StringComparer.Ordinal);

            public TrustIndex(IEnumerable<Node> nodes)
            {
                foreach (var node in nodes)
                {
                    All.Add(node);
                    var key = NameKey(node.Certificate.SubjectDN);
                    if (!_byName.TryGetValue(key, out var list))
                    {
                        _byName[key] = list = new List<Node>();
                    }

                    list.Add(node);
                }
            }

            public List<Node> All { get; } = new();

            public IReadOnlyList<Node> Named(string key) => _byName.TryGetValue(key, out var list) ? list : Array.Empty<Node>();
        }

        /// <summary>A certificate in the pool the path is built from. Lazy parts may be computed twice under a race; both results are equal.</summary>
        private sealed class Node
        {
            private OtlpCertificate? _model;
            private int _selfSigned; // 0 unknown, 1 yes, 2 no: an int, so threads sharing a system root never see half a write
            private string? _fingerprint;

            public Node(BcCertificate certificate, OtlpCertificate? model, Origin origin)
            {
                Certificate = certificate;
                _model = model;
                Origin = origin;
                Subject = model?.Subject ?? CertificateInfo.FormatName(certificate.SubjectDN);
            }

            public BcCertificate Certificate { get; }

            public Origin Origin { get; }

            public string Subject { get; }

            public string Issuer => CertificateInfo.FormatName(Certificate.IssuerDN);

            // System roots get their user-facing object only when they end up in a path.
            public OtlpCertificate Model => _model ??= CertificateInfo.Create(Certificate, null, 0);

            public bool IsSelfSigned
            {
                get
                {
                    var known = System.Threading.Volatile.Read(ref _selfSigned);
                    if (known == 0)
                    {
                        known = Certificate.SubjectDN.Equivalent(Certificate.IssuerDN) && Signed(this, this) ? 1 : 2;
                        System.Threading.Volatile.Write(ref _selfSigned, known);
                    }

                    return known == 1;
                }
            }

            public string Fingerprint => _fingerprint ??= _model?.Thumbprint
                ?? Org.BouncyCastle.Utilities.Encoders.Hex.ToHexString(DigestUtilities.CalculateDigest("SHA-256", Certificate.GetEncoded())).ToUpperInvariant();

            public bool IsAuthority => Certificate.GetBasicConstraints() >= 0;

            public DateTimeOffset NotBefore => new(DateTime.SpecifyKind(Certificate.NotBefore, DateTimeKind.Utc));

            public DateTimeOffset NotAfter => new(DateTime.SpecifyKind(Certificate.NotAfter, DateTimeKind.Utc));
        }

        private sealed class Run
        {
            private readonly TrustIndex _trust;
            private readonly List<Node> _untrusted = new();
            private readonly List<Node> _sameNameWrongKey = new();
            private bool _anchored;

            public Run(IReadOnlyList<OtlpCertificate> chain, CertificateCheckOptions options)
            {
                Options = options;
                At = options.At ?? DateTimeOffset.UtcNow;
                CaFileGiven = options.TrustedAuthorities is { Count: > 0 };

                _trust = CaFileGiven
                    ? new TrustIndex(options.TrustedAuthorities!.Select(a => new Node(CertificateInfo.ToBouncyCastle(a), a, Origin.Trusted)))
                    : SystemIndex.Value;

                foreach (var presented in chain.Skip(1))
                {
                    _untrusted.Add(new Node(CertificateInfo.ToBouncyCastle(presented), presented, Origin.Presented));
                }

                foreach (var extra in options.ExtraCertificates ?? Array.Empty<OtlpCertificate>())
                {
                    _untrusted.Add(new Node(CertificateInfo.ToBouncyCastle(extra), extra, Origin.Extra));
                }

                Leaf = new Node(CertificateInfo.ToBouncyCastle(chain[0]), chain[0], Origin.Presented);
            }

            public CertificateCheckOptions Options { get; }

            public DateTimeOffset At { get; }

            public bool CaFileGiven { get; }

            public Node Leaf { get; }

            public List<Node> Path { get; } = new();

            public List<OtlpFinding> Findings { get; } = new();

            private string LeafName => Quote(Leaf.Subject);

            private string TrustSource => CaFileGiven ? "the CA file" : "the system trust store";

            // ---- path building -------------------------------------------------------------------------------

            public void BuildPath()
            {
                Path.Add(Leaf);
                var current = Leaf;
                while (true)
                {
                    if (IsTrusted(current))
                    {
                        _anchored = true;
                        return;
                    }

                    if (current.IsSelfSigned || Path.Count >= MaxPathLength)
                    {
                        return;
                    }

                    var issuer = FindIssuer(current);
                    if (issuer is null)
                    {
                        return;
                    }

                    Path.Add(issuer);
                    current = issuer;
                }
            }

            private Node? FindIssuer(Node child)
            {
                var key = NameKey(child.Certificate.IssuerDN);
                // Trusted candidates first: a path that reaches an anchor sooner is the one clients build.
                // Within each group, issuers valid at the checked moment first (a renewed CA next to its expired
                // predecessor, same name and key): OpenSSL and Go prefer those too. OrderBy is stable.
                var candidates = _trust.Named(key).OrderBy(n => IsValidAt(n) ? 0 : 1)
                    .Concat(_untrusted.Where(n => NameKey(n.Certificate.SubjectDN) == key).OrderBy(n => IsValidAt(n) ? 0 : 1));
                var wrongKey = new List<Node>();
                foreach (var candidate in candidates)
                {
                    if (Path.Any(p => p.Certificate.Equals(candidate.Certificate)))
                    {
                        continue;
                    }

                    if (Signed(child, candidate))
                    {
                        return candidate;
                    }

                    wrongKey.Add(candidate);
                }

                // Only a dead end counts: a same-name certificate next to the real issuer (a renewed CA) is no problem.
                _sameNameWrongKey.AddRange(wrongKey);
                return null;
            }

            private bool IsValidAt(Node node) => node.NotBefore <= At && At <= node.NotAfter;

            private bool IsTrusted(Node node)
            {
                if (node.Origin == Origin.Trusted)
                {
                    return true;
                }

                // The same certificate, or (for a root) the same name and key in a different encoding.
                return _trust.Named(NameKey(node.Certificate.SubjectDN)).Any(t => t.Certificate.Equals(node.Certificate)
                    || (node.IsSelfSigned && SamePublicKey(t.Certificate, node.Certificate)));
            }

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
                        Add(OtlpFindingId.CertificateExpired, OtlpSeverity.Error, OtlpStage.Certificate,
                            $"The {Role(i)} {Quote(node.Subject)}{InChainOf(i)} expired on {Date(node.NotAfter)} ({Days(ago)} before {Date(At)}).",
                            "Every TLS client rejects a chain in which any certificate is outside its validity period, whatever else is right: " +
                            "OpenSSL-based clients and the collector report 'certificate has expired', Go 'x509: certificate has expired or is not yet valid', " +
                            ".NET RemoteCertificateChainErrors (NotTimeValid).",
                            Reissue(i, "Check the dates with: openssl x509 -in <file> -noout -dates."),
                            evidence);
                    }
                    else if (At < node.NotBefore)
                    {
                        var until = (int)Math.Ceiling((node.NotBefore - At).TotalDays);
                        Add(OtlpFindingId.CertificateNotYetValid, OtlpSeverity.Error, OtlpStage.Certificate,
                            $"The {Role(i)} {Quote(node.Subject)}{InChainOf(i)} is not valid before {Date(node.NotBefore)} ({Days(until)} after {Date(At)}).",
                            "Clients reject a certificate whose validity has not started just like an expired one ('certificate is not yet valid', " +
                            "Go 'x509: certificate has expired or is not yet valid'). Usually one machine's clock is wrong, or the certificate was issued with a future start date.",
                            "Check the clocks of both machines (timedatectl status on Linux, w32tm /query /status on Windows). If the clocks are right, " +
                            Reissue(i, "New-OtlpCertificate starts validity five minutes in the past, so a peer with a slightly slow clock accepts it."),
                            evidence);
                    }
                    else if (Options.ExpiryWarningDays > 0 && node.NotAfter - At < TimeSpan.FromDays(Options.ExpiryWarningDays))
                    {
                        var left = (int)Math.Floor((node.NotAfter - At).TotalDays);
                        Add(OtlpFindingId.CertificateExpiringSoon, OtlpSeverity.Warning, OtlpStage.Certificate,
                            $"The {Role(i)} {Quote(node.Subject)}{InChainOf(i)} expires on {Date(node.NotAfter)}, in {Days(left)} (warning window: {Days(Options.ExpiryWarningDays)}).",
                            "It works today; on that date every exporter that connects fails with 'certificate has expired', and telemetry is buffered, then dropped.",
                            Reissue(i, "Automate renewal (cert-manager in Kubernetes) and watch expiry: " +
                                $"Get-OtlpCertificate -Path <files> | Where-Object DaysUntilExpiry -lt {Options.ExpiryWarningDays.ToString(CultureInfo.InvariantCulture)}."),
                            evidence);
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

                    var keyUsage = issuer.Certificate.GetKeyUsage();
                    var canSign = keyUsage is null || (keyUsage.Length > 5 && keyUsage[5]);
                    if (issuer.IsAuthority && canSign)
                    {
                        continue;
                    }

                    var why = issuer.IsAuthority ? "its keyUsage lacks keyCertSign" : "its basicConstraints do not say CA:TRUE";
                    Add(OtlpFindingId.KeyUsageMismatch, OtlpSeverity.Error, OtlpStage.Certificate,
                        $"{Quote(issuer.Subject)} signed {Quote(Path[i - 1].Subject)} but is not allowed to sign certificates: {why}.",
                        "Clients accept a signature only from a certificate marked as a CA: OpenSSL reports 'invalid CA certificate', " +
                        "Go 'x509: ... parent certificate cannot sign this kind of certificate', .NET an InvalidBasicConstraints chain status.",
                        "Sign with a real CA: $ca = New-OtlpCertificate -Type CA -Name ca; then New-OtlpCertificate -Type Server -Name server -DnsName <names> -Signer $ca. " +
                        "With openssl the CA needs 'basicConstraints=critical,CA:TRUE' and 'keyUsage=critical,keyCertSign,cRLSign' in its -extfile/-addext. " +
                        "Check with: openssl x509 -in <ca file> -noout -ext basicConstraints,keyUsage.",
                        $"Issuer: {issuer.Subject}; CA: {(issuer.IsAuthority ? "yes" : "no")}; keyUsage: {List(CertificateInfo.KeyUsageList(issuer.Certificate))}");
                }
            }

            public void CheckUsage()
            {
                if (Options.Usage is not OtlpCertificateUsage usage)
                {
                    return;
                }

                var eku = Leaf.Certificate.GetExtendedKeyUsage()?.Select(o => o.Id).ToList();
                var purpose = usage == OtlpCertificateUsage.Server ? KeyPurposeID.id_kp_serverAuth.Id : KeyPurposeID.id_kp_clientAuth.Id;
                var ekuAllows = eku is null || eku.Contains(purpose) || eku.Contains(KeyPurposeID.AnyExtendedKeyUsage.Id);

                var keyUsage = Leaf.Certificate.GetKeyUsage();
                var digitalSignature = keyUsage is not null && keyUsage.Length > 0 && keyUsage[0];
                var keyEncipherment = keyUsage is not null && keyUsage.Length > 2 && keyUsage[2];
                var isRsa = PublicKeyCache.IsRsa(Leaf.Certificate.SubjectPublicKeyInfo);
                // RSA servers may do RSA key exchange (keyEncipherment); everything else must sign the handshake.
                var kuAllows = keyUsage is null || digitalSignature
                    || (usage == OtlpCertificateUsage.Server && isRsa && keyEncipherment);
                if (ekuAllows && kuAllows)
                {
                    return;
                }

                var ekuText = List(CertificateInfo.ExtendedKeyUsageList(Leaf.Certificate));
                var kuText = List(CertificateInfo.KeyUsageList(Leaf.Certificate));
                var problem = !ekuAllows
                    ? $"its extended key usage is {ekuText}, without {(usage == OtlpCertificateUsage.Server ? "serverAuth" : "clientAuth")}"
                    : $"its key usage is {kuText}, without digitalSignature{(usage == OtlpCertificateUsage.Server && isRsa ? " or keyEncipherment" : string.Empty)}";
                var evidence = $"Subject: {Leaf.Subject}; extendedKeyUsage: {ekuText}; keyUsage: {kuText}";
                if (usage == OtlpCertificateUsage.Server)
                {
                    Add(OtlpFindingId.KeyUsageMismatch, OtlpSeverity.Error, OtlpStage.Certificate,
                        $"The certificate {LeafName} is not allowed for a TLS server: {problem}.",
                        "Clients check the purpose of the server's certificate: OpenSSL fails with 'unsupported certificate purpose', " +
                        "Go with 'x509: certificate specifies an incompatible key usage', .NET with RemoteCertificateChainErrors (NotValidForUsage).",
                        "Reissue it as a server certificate (extendedKeyUsage serverAuth, keyUsage digitalSignature) and put it in the collector receiver's tls.cert_file: " +
                        "New-OtlpCertificate -Type Server -Name server -DnsName <names> -Signer $ca. With openssl add 'extendedKeyUsage=serverAuth' and " +
                        "'keyUsage=critical,digitalSignature,keyEncipherment' to the -extfile. Check: openssl x509 -in <file> -noout -ext extendedKeyUsage,keyUsage.",
                        evidence);
                }
                else
                {
                    Add(OtlpFindingId.ClientCertificateNotForClientAuth, OtlpSeverity.Error, OtlpStage.ClientAuth,
                        $"The certificate {LeafName} is not allowed as a TLS client certificate: {problem}.",
                        "A collector that verifies client certificates (tls.client_ca_file) checks their purpose: Go rejects the handshake ('bad certificate') " +
                        "and logs 'x509: certificate specifies an incompatible key usage'; OpenSSL servers report 'unsupported certificate purpose'.",
                        "Issue a client certificate (extendedKeyUsage clientAuth) from the CA in the receiver's tls.client_ca_file: " +
                        "New-OtlpCertificate -Type Client -Name client -Signer $ca; give it to the exporter with OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE and " +
                        "OTEL_EXPORTER_OTLP_CLIENT_KEY (or tls.cert_file/tls.key_file of a collector exporter). With openssl: 'extendedKeyUsage=clientAuth' in the -extfile.",
                        evidence);
                }
            }

            public void CheckAlgorithms()
            {
                for (var i = 0; i < Path.Count; i++)
                {
                    var node = Path[i];
                    // A self-signed certificate's own signature is never relied on: trust comes from having it.
                    if (WeakSignatureOids.Contains(node.Certificate.SigAlgOid) && !node.IsSelfSigned)
                    {
                        var algorithm = CertificateInfo.SignatureAlgorithmName(node.Certificate.SigAlgOid);
                        Add(OtlpFindingId.WeakSignatureAlgorithm, OtlpSeverity.Warning, OtlpStage.Certificate,
                            $"The {Role(i)} {Quote(node.Subject)}{InChainOf(i)} is signed with {algorithm}, a broken hash.",
                            "SHA-1 and MD5 signatures can be forged. Go 1.18 and later reject SHA-1 signed certificates ('x509: certificate signed using SHA1-RSA'), " +
                            "browsers refuse them, and OpenSSL refuses MD5 ('ca md too weak'); other clients still accept them for now.",
                            Reissue(i, "New-OtlpCertificate signs with SHA-256 or SHA-384; with openssl pass -sha256. " +
                                "Check with: openssl x509 -in <file> -noout -text | grep 'Signature Algorithm'."),
                            $"Subject: {node.Subject}; Issuer: {node.Issuer}; signature: {algorithm}");
                    }

                    var (keyAlgorithm, keySize) = CertificateInfo.DescribeKey(node.Certificate);
                    var weak = CertificateInfo.IsWeakKey(keyAlgorithm, keySize);
                    if (weak)
                    {
                        Add(OtlpFindingId.WeakKey, OtlpSeverity.Warning, OtlpStage.Certificate,
                            $"The {Role(i)} {Quote(node.Subject)}{InChainOf(i)} has a weak {keySize.ToString(CultureInfo.InvariantCulture)}-bit {keyAlgorithm} key.",
                            "RSA keys under 2048 bits and EC keys under 256 bits are within reach of attackers. OpenSSL at security level 2 " +
                            "(the default on Debian, Ubuntu and RHEL) refuses them with 'ee key too small' or 'ca key too small', and Go refuses RSA keys under 1024 bits.",
                            Reissue(i, "New-OtlpCertificate uses ECDSA P-256 by default (-KeyAlgorithm Rsa2048 for RSA); with openssl use -newkey rsa:2048 or -newkey ec -pkeyopt ec_paramgen_curve:P-256."),
                            $"Subject: {node.Subject}; key: {keyAlgorithm}, {keySize.ToString(CultureInfo.InvariantCulture)} bits");
                    }
                }
            }

            // ---- Trust stage ---------------------------------------------------------------------------------

            public void CheckTrust()
            {
                if (_anchored)
                {
                    return;
                }

                var end = Path[Path.Count - 1];
                var chainText = "Path built: " + string.Join(" <- ", Path.Select(p => p.Subject).Reverse());
                var trustedText = CaFileGiven
                    ? "Trusted (CA file): " + List(_trust.All.Select(t => t.Subject))
                    : $"Trusted: the system trust store ({_trust.All.Count.ToString(CultureInfo.InvariantCulture)} roots)";
                var clientSide = Options.Usage == OtlpCertificateUsage.Client;
                var trustSetting = clientSide
                    ? "the collector receiver's tls.client_ca_file"
                    : "the exporter's OTEL_EXPORTER_OTLP_CERTIFICATE (or tls.ca_file of a collector's otlp exporter)";

                if (end.IsSelfSigned && Path.Count == 1)
                {
                    var sent = Options.PresentedByServer ? "The server sent the self-signed certificate" : "The certificate";
                    Add(OtlpFindingId.SelfSignedCertificate, OtlpSeverity.Error, OtlpStage.Trust,
                        $"{sent} {LeafName}{(Options.PresentedByServer ? string.Empty : " is self-signed and")} is not in {TrustSource}.",
                        "Nobody vouches for a self-signed certificate, so a client accepts it only when that exact certificate is in its CA file: " +
                        "OpenSSL reports 'self-signed certificate' (error 18), Go 'x509: certificate signed by unknown authority', .NET UntrustedRoot.",
                        $"Either give clients this exact certificate as their CA ({trustSetting}), or better, issue it from a CA and distribute the CA: " +
                        "$ca = New-OtlpCertificate -Type CA -Name ca; New-OtlpCertificate -Type " + (clientSide ? "Client -Name client" : "Server -Name server -DnsName <names>") +
                        " -Signer $ca. Verify with: openssl verify -CAfile ca.crt " + (clientSide ? "client.crt" : "server.crt") + ".",
                        $"Subject: {Leaf.Subject}; Issuer: {Leaf.Issuer}; {trustedText}");
                    return;
                }

                if (_sameNameWrongKey.Count > 0 && !end.IsSelfSigned)
                {
                    var impostor = _sameNameWrongKey[0];
                    var where = impostor.Origin == Origin.Trusted ? TrustSource : "the chain";
                    Add(OtlpFindingId.UnknownAuthority, OtlpSeverity.Error, OtlpStage.Trust,
                        $"{Quote(end.Subject)} names {Quote(end.Issuer)} as its issuer, and {where} has a certificate with that name, but its key did not sign {Quote(end.Subject)}.",
                        "Two different CAs share one name: typically the CA was regenerated after this certificate was issued. Clients match the signature, " +
                        "not the name: OpenSSL reports 'certificate signature failure' or 'unable to get local issuer certificate', Go 'x509: certificate signed by unknown authority'.",
                        $"Use the CA that really issued it in {trustSetting}, or reissue the certificate from the current CA (New-OtlpCertificate ... -Signer $ca). " +
                        "Compare the key ids: openssl x509 -in <crt> -noout -ext authorityKeyIdentifier and openssl x509 -in ca.crt -noout -ext subjectKeyIdentifier.",
                        $"Issuer named: {end.Issuer}; same-name certificate: {impostor.Subject} (SHA-256 {impostor.Model.Thumbprint}); {chainText}");
                    return;
                }

                if (end.IsSelfSigned)
                {
                    Add(OtlpFindingId.UnknownAuthority, OtlpSeverity.Error, OtlpStage.Trust,
                        $"The chain of {LeafName} ends at the root {Quote(end.Subject)}, which is not in {TrustSource} (self-signed certificate in chain).",
                        "The client trusts only the roots in its CA file (or the system store): OpenSSL reports 'self-signed certificate in certificate chain' (error 19), " +
                        "Go 'x509: certificate signed by unknown authority', .NET UntrustedRoot.",
                        $"Give the client the root that issued this chain: {trustSetting} must hold {Quote(end.Subject)}" +
                        (CaFileGiven ? string.Empty : " (or add it to the system store: update-ca-certificates on Linux, Import-Certificate -CertStoreLocation Cert:\\LocalMachine\\Root on Windows)") +
                        ". Verify with: openssl verify -CAfile root.crt -untrusted intermediates.pem leaf.crt.",
                        $"{chainText}; {trustedText}");
                    return;
                }

                var sentOrIncluded = Options.PresentedByServer ? "sent by the server" : "included after it in the file";
                if (CaFileGiven && end.IsAuthority)
                {
                    // The intermediates are there; the root they lead to is simply not the one the client trusts. Servers
                    // need not send the root, so nothing is missing from the chain: the CA file is the wrong one.
                    Add(OtlpFindingId.UnknownAuthority, OtlpSeverity.Error, OtlpStage.Trust,
                        $"The chain of {LeafName} leads through {Quote(end.Subject)} to {Quote(end.Issuer)}, which is not in the CA file: the CA file is not the one that issued this chain.",
                        "The client trusts only the CAs in its CA file (it replaces the system store): OpenSSL reports 'unable to get local issuer certificate' (error 20), " +
                        "Go 'x509: certificate signed by unknown authority', .NET PartialChain or UntrustedRoot.",
                        $"Give {trustSetting} the root {Quote(end.Issuer)} (or the intermediate {Quote(end.Subject)}), or reissue the server certificate from the CA the clients already trust. " +
                        "Check with: openssl verify -CAfile ca.crt -untrusted intermediate.crt leaf.crt.",
                        $"Missing root: {end.Issuer}; {trustedText}; {chainText}");
                    return;
                }

                if (CaFileGiven)
                {
                    Add(OtlpFindingId.IncompleteChain, OtlpSeverity.Error, OtlpStage.Trust,
                        $"The chain of {LeafName} is incomplete: {(Path.Count == 1 ? "its" : "the")} issuer {Quote(end.Issuer)}" +
                        (Path.Count == 1 ? string.Empty : $" of {Quote(end.Subject)}") +
                        $" was not {sentOrIncluded} and is not in the CA file; the intermediate is missing, or your CA file is not the one that issued it.",
                        "A client that holds only the root can build the path only when every intermediate comes with the leaf: OpenSSL reports " +
                        "'unable to get local issuer certificate' (error 20), Go 'x509: certificate signed by unknown authority'. Browsers may fetch a missing " +
                        "intermediate themselves; OTLP exporters and collectors never do.",
                        "Serve the full chain: the file in " + (clientSide ? "OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE" : "the collector receiver's tls.cert_file") +
                        " must hold the leaf followed by its intermediates (cat leaf.crt intermediate.crt > fullchain.crt; New-OtlpCertificate writes that order). " +
                        $"If the CA file is the wrong one, give {trustSetting} the CA that issued {Quote(end.Issuer)}. " +
                        "Check with: openssl verify -CAfile ca.crt -untrusted intermediate.crt leaf.crt.",
                        $"Missing issuer: {end.Issuer}; {trustedText}; {chainText}");
                    return;
                }

                Add(OtlpFindingId.UnknownAuthority, OtlpSeverity.Error, OtlpStage.Trust,
                    $"No trusted authority issued {Quote(end.Subject)}: its issuer {Quote(end.Issuer)} is neither {sentOrIncluded} nor in the system trust store.",
                    "OpenSSL reports 'unable to get local issuer certificate' (error 20), Go 'x509: certificate signed by unknown authority', .NET PartialChain. " +
                    "Either the certificate comes from a private CA the system does not know, or an intermediate is missing.",
                    $"For a private CA, point the client at it: {trustSetting} (Test-OtlpCertificate -CaCertificate ca.crt checks it). " +
                    "For a public CA, serve the full chain: leaf followed by intermediates in the collector's tls.cert_file. " +
                    "Check with: openssl verify -CAfile ca.crt -untrusted intermediate.crt leaf.crt.",
                    $"Missing issuer: {end.Issuer}; {trustedText}; {chainText}");
            }

            // ---- Hostname stage ------------------------------------------------------------------------------

            public void CheckHostName()
            {
                var host = Options.HostName?.Trim();
                if (string.IsNullOrEmpty(host))
                {
                    return;
                }

                var dns = CertificateInfo.SubjectAlternativeNames(Leaf.Certificate, GeneralName.DnsName).ToList();
                var ips = CertificateInfo.SubjectAlternativeNames(Leaf.Certificate, GeneralName.IPAddress).ToList();
                var ip = HostNameMatcher.ParseIPLiteral(host!);
                var cn = CertificateInfo.CommonName(Leaf.Certificate.SubjectDN);
                var addName = ip is null ? $"-DnsName {host}" : $"-IPAddress {ip}";
                var sanText = ip is null ? $"DNS:{host}" : $"IP:{ip}";
                var checkCommand = ip is null ? $"openssl x509 -in <file> -noout -checkhost {host}" : $"openssl x509 -in <file> -noout -checkip {ip}";
                var evidence = $"Host: {host}; DNS SANs: {List(dns)}; IP SANs: {List(ips)}; CN: {cn ?? "(none)"}";

                if (dns.Count == 0 && ips.Count == 0)
                {
                    Add(OtlpFindingId.NoSubjectAlternativeName, OtlpSeverity.Error, OtlpStage.Hostname,
                        $"The certificate {LeafName} has no subject alternative names, so it matches no host name, '{host}' included" +
                        (cn is null ? "." : $"; its CN '{cn}' does not count."),
                        "Clients match the host only against the SAN extension; the CN is no fallback. Go fails with 'x509: certificate relies on legacy Common Name field, " +
                        "use SANs instead', browsers with ERR_CERT_COMMON_NAME_INVALID, and current OpenSSL- and .NET-based SDKs with a hostname mismatch.",
                        $"Reissue with every name clients use as a SAN: New-OtlpCertificate -Type Server -Name server {addName} -Signer $ca; with openssl add " +
                        $"-addext 'subjectAltName={sanText}' (or subjectAltName in the -extfile). Check with: openssl x509 -in <file> -noout -ext subjectAltName.",
                        evidence);
                    return;
                }

                if (HostNameMatcher.FindMatch(host!, dns, ips) is not null)
                {
                    return;
                }

                var detail = string.Empty;
                if (ip is not null && dns.Any(d => HostNameMatcher.ParseIPLiteral(d) is { } asDns && asDns.Equals(ip)))
                {
                    detail = " The address is listed as a DNS name; clients compare IP addresses only with IP SANs.";
                }
                else if (ip is null && ips.Count > 0 && dns.Count == 0)
                {
                    detail = " The certificate has only IP SANs; a host name needs a DNS SAN.";
                }
                else if (ip is null && dns.Any(d => d.StartsWith("*.", StringComparison.Ordinal)))
                {
                    detail = " A wildcard covers exactly one left-most label: *.example.com matches a.example.com, not example.com or a.b.example.com.";
                }

                Add(OtlpFindingId.HostnameMismatch, OtlpSeverity.Error, OtlpStage.Hostname,
                    $"The certificate {LeafName} is not valid for '{host}': it names {List(dns.Concat(ips))}.{detail}",
                    "Clients compare the host they connect to (or the TLS server name override) with the SANs: OpenSSL reports 'hostname mismatch', " +
                    "Go 'x509: certificate is valid for …, not …', .NET RemoteCertificateNameMismatch, Java 'No subject alternative names matching'.",
                    $"Reissue it with the name: New-OtlpCertificate -Type Server -Name server {addName} -Signer $ca (with openssl: subjectAltName={sanText}); " +
                    "or connect with a name the certificate has (OTEL_EXPORTER_OTLP_ENDPOINT=https://<name>:4317), or set tls.server_name_override in a collector's otlp exporter. " +
                    $"Check with: {checkCommand}.",
                    evidence);
            }

            // ---- key match -----------------------------------------------------------------------------------

            public void CheckPrivateKey()
            {
                if (Options.PrivateKey is null || PrivateKeyReader.Matches(Leaf.Certificate, Options.PrivateKey))
                {
                    return;
                }

                var client = Options.Usage == OtlpCertificateUsage.Client;
                var (algorithm, size) = CertificateInfo.DescribeKey(Leaf.Certificate);
                Add(client ? OtlpFindingId.ClientKeyMismatch : OtlpFindingId.CertificateKeyMismatch, OtlpSeverity.Error,
                    client ? OtlpStage.ClientAuth : OtlpStage.Certificate,
                    $"The private key does not belong to the certificate {LeafName}.",
                    "TLS proves possession of the certificate's key, so a certificate with someone else's key cannot be used: the collector fails to start or " +
                    "load it ('tls: private key does not match public key' in Go), OpenSSL reports 'key values mismatch'" +
                    (client ? ", and an exporter's handshake fails." : "."),
                    "Pair the certificate with the key generated with it (" + (client ? "OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE with OTEL_EXPORTER_OTLP_CLIENT_KEY" : "tls.cert_file with tls.key_file") +
                    "). Compare: openssl x509 -in <crt> -noout -pubkey | openssl sha256 and openssl pkey -in <key> -pubout | openssl sha256 must print the same. " +
                    "Or issue a new pair: New-OtlpCertificate -Type " + (client ? "Client -Name client" : "Server -Name server -DnsName <names>") + " -Signer $ca.",
                    $"Certificate: {Leaf.Subject}; certificate key: {algorithm}, {size.ToString(CultureInfo.InvariantCulture)} bits; private key: {DescribePrivateKey(Options.PrivateKey)}");
            }

            // ---- wording helpers -----------------------------------------------------------------------------

            private void Add(string id, OtlpSeverity severity, OtlpStage stage, string message, string cause, string remediation, string? evidence) =>
                Findings.Add(new OtlpFinding(id, severity, stage, message, cause, remediation, evidence));

            private string Role(int index)
            {
                if (index == 0)
                {
                    return Options.Usage switch
                    {
                        OtlpCertificateUsage.Server => "server certificate",
                        OtlpCertificateUsage.Client => "client certificate",
                        _ => Options.PresentedByServer ? "server certificate" : "certificate",
                    };
                }

                return Path[index].IsSelfSigned ? "root CA certificate" : "intermediate CA certificate";
            }

            private string InChainOf(int index)
            {
                if (index == 0)
                {
                    return string.Empty;
                }

                var source = Path[index].Origin switch
                {
                    Origin.Trusted => " from " + TrustSource,
                    Origin.Presented when Options.PresentedByServer => " sent by the server",
                    _ => string.Empty,
                };
                return $"{source} (in the chain of {LeafName})";
            }

            /// <summary>How to replace the certificate at <paramref name="index"/> of the path, and where it goes.</summary>
            private string Reissue(int index, string tail)
            {
                var client = Options.Usage == OtlpCertificateUsage.Client;
                if (index == 0)
                {
                    var command = client
                        ? "New-OtlpCertificate -Type Client -Name client -Signer $ca"
                        : $"New-OtlpCertificate -Type Server -Name server -DnsName {Options.HostName ?? "<names>"} -Signer $ca";
                    var where = client
                        ? "where the exporter's OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE (or a collector exporter's tls.cert_file) points"
                        : "where the collector receiver's tls.cert_file points, then restart or reload the collector";
                    return $"Issue a new certificate and put it {where}: {command}. {tail}";
                }

                var trust = Path[index].Origin == Origin.Trusted
                    ? (client ? "the receiver's tls.client_ca_file" : "the exporter's OTEL_EXPORTER_OTLP_CERTIFICATE (or tls.ca_file)")
                    : "the certificate file that carries it after the leaf";
                return $"Reissue the CA {Quote(Path[index].Subject)} (New-OtlpCertificate -Type CA -Name ca, and -Signer for an intermediate), " +
                       $"re-issue what it signed, and replace it in {trust}. {tail}";
            }

            private string DatesEvidence(Node node) =>
                $"Subject: {node.Subject}; Issuer: {node.Issuer}; NotBefore: {Date(node.NotBefore)}; NotAfter: {Date(node.NotAfter)}; checked at: {Date(At)}";
        }

        private static bool Signed(Node child, Node issuer)
        {
            var key = child.Fingerprint + ">" + issuer.Fingerprint;
            if (SignatureVerdicts.TryGetValue(key, out var known))
            {
                return known;
            }

            if (SignatureVerdicts.Count >= MaxRememberedVerdicts)
            {
                SignatureVerdicts.Clear();
            }

            var verdict = CertificateInfo.IsSignedBy(child.Certificate, issuer.Certificate);
            SignatureVerdicts[key] = verdict;
            return verdict;
        }

        private static bool SamePublicKey(BcCertificate a, BcCertificate b) =>
            a.CertificateStructure.SubjectPublicKeyInfo.GetEncoded().SequenceEqual(b.CertificateStructure.SubjectPublicKeyInfo.GetEncoded());

        // Names compare as clients compare them: case and spacing do not matter (RFC 5280 §7.1 in practice).
        private static string NameKey(X509Name name) =>
            Whitespace.Replace(CertificateInfo.FormatName(name), " ").ToLowerInvariant();

        private static string DescribePrivateKey(Org.BouncyCastle.Crypto.AsymmetricKeyParameter key) => key switch
        {
            Org.BouncyCastle.Crypto.Parameters.RsaKeyParameters rsa => $"RSA, {rsa.Modulus.BitLength.ToString(CultureInfo.InvariantCulture)} bits",
            Org.BouncyCastle.Crypto.Parameters.ECPrivateKeyParameters ec => $"EC, {ec.Parameters.Curve.FieldSize.ToString(CultureInfo.InvariantCulture)} bits",
            Org.BouncyCastle.Crypto.Parameters.Ed25519PrivateKeyParameters => "Ed25519",
            Org.BouncyCastle.Crypto.Parameters.Ed448PrivateKeyParameters => "Ed448",
            _ => key.GetType().Name.Replace("PrivateKeyParameters", string.Empty),
        };

        private static string Quote(string subject) => "'" + subject + "'";

        private static string Date(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

        private static string Days(int days) => days == 1 ? "1 day" : days.ToString(CultureInfo.InvariantCulture) + " days";

        private static string List(IEnumerable<string> items)
        {
            var list = items.ToList();
            return list.Count == 0 ? "(none)" : string.Join(", ", list);
        }
    }
}
