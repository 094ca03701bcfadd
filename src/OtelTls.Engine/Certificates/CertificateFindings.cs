using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace OtelTls.Engine.Certificates
{
    /// <summary>
    /// The wording of every certificate, trust and hostname finding: what is wrong, which runtime refuses it with which
    /// message, and the fix. The rules that raise them are in <see cref="CertificateChecker"/>;
    /// the "who" parameters are phrases like "the intermediate CA certificate 'CN=x' sent by the server".
    /// </summary>
    internal static class CertificateFindings
    {
        private const string ReissueCa = "Reissue the CA with the right extensions (New-OtlpCertificate -Type CA -Name ca, -PathLength for an intermediate), re-issue what it signed, and replace the chain where the server's tls.cert_file points and the CA where clients' OTEL_EXPORTER_OTLP_CERTIFICATE points.";

        public static OtlpFinding Expired(string who, string notAfter, string ago, string at, Func<string, string> reissue, string evidence) => new(
            OtlpFindingId.CertificateExpired, OtlpSeverity.Error, OtlpStage.Certificate,
            $"The {who} expired on {notAfter} ({ago} before {at}).",
            "Every TLS client rejects a chain in which any certificate is outside its validity period, whatever else is right: " +
            "OpenSSL-based clients and the collector report 'certificate has expired', Go 'x509: certificate has expired or is not yet valid', " +
            ".NET RemoteCertificateChainErrors (NotTimeValid).",
            reissue("Check the dates with: openssl x509 -in <file> -noout -dates."),
            evidence);

        public static OtlpFinding NotYetValid(string who, string notBefore, string until, string at, Func<string, string> reissue, string evidence) => new(
            OtlpFindingId.CertificateNotYetValid, OtlpSeverity.Error, OtlpStage.Certificate,
            $"The {who} is not valid before {notBefore} ({until} after {at}).",
            "Clients reject a certificate whose validity has not started just like an expired one ('certificate is not yet valid', " +
            "Go 'x509: certificate has expired or is not yet valid'). Usually one machine's clock is wrong, or the certificate was issued with a future start date.",
            "Check the clocks of both machines (timedatectl status on Linux, w32tm /query /status on Windows). If the clocks are right, " +
            reissue("New-OtlpCertificate starts validity five minutes in the past, so a peer with a slightly slow clock accepts it."),
            evidence);

        public static OtlpFinding ExpiringSoon(string who, string notAfter, string left, int windowDays, Func<string, string> reissue, string evidence) => new(
            OtlpFindingId.CertificateExpiringSoon, OtlpSeverity.Warning, OtlpStage.Certificate,
            $"The {who} expires on {notAfter}, in {left} (warning window: {Days(windowDays)}).",
            "It works today; on that date every exporter that connects fails with 'certificate has expired', and telemetry is buffered, then dropped.",
            reissue("Automate renewal (cert-manager in Kubernetes) and watch expiry: " +
            $"Get-OtlpCertificate -Path <files> | Where-Object DaysUntilExpiry -lt {windowDays.ToString(CultureInfo.InvariantCulture)}."),
            evidence);

        public static OtlpFinding IssuerNotAuthority(string issuer, string child, string why, string evidence) => new(
            OtlpFindingId.KeyUsageMismatch, OtlpSeverity.Error, OtlpStage.Certificate,
            $"{issuer} signed {child} but is not allowed to sign certificates: {why}.",
            "Clients accept a signature only from a certificate marked as a CA: OpenSSL reports 'invalid CA certificate', " +
            "Go 'x509: ... parent certificate cannot sign this kind of certificate', .NET an InvalidBasicConstraints chain status.",
            "Sign with a real CA: $ca = New-OtlpCertificate -Type CA -Name ca; then New-OtlpCertificate -Type Server -Name server -DnsName <names> -Signer $ca. " +
            "With openssl the CA needs 'basicConstraints=critical,CA:TRUE' and 'keyUsage=critical,keyCertSign,cRLSign' in its -extfile/-addext. " +
            "Check with: openssl x509 -in <ca file> -noout -ext basicConstraints,keyUsage.",
            evidence);

        public static OtlpFinding NotForServer(string leaf, string problem, string evidence) => new(
            OtlpFindingId.KeyUsageMismatch, OtlpSeverity.Error, OtlpStage.Certificate,
            $"The certificate {leaf} is not allowed for a TLS server: {problem}.",
            "Clients check the purpose of the server's certificate: OpenSSL fails with 'unsupported certificate purpose', " +
            "Go with 'x509: certificate specifies an incompatible key usage', .NET with RemoteCertificateChainErrors (NotValidForUsage).",
            "Reissue it as a server certificate (extendedKeyUsage serverAuth, keyUsage digitalSignature) and put it in the collector receiver's tls.cert_file: " +
            "New-OtlpCertificate -Type Server -Name server -DnsName <names> -Signer $ca. With openssl add 'extendedKeyUsage=serverAuth' and " +
            "'keyUsage=critical,digitalSignature,keyEncipherment' to the -extfile. Check: openssl x509 -in <file> -noout -ext extendedKeyUsage,keyUsage.",
            evidence);

        public static OtlpFinding NotForClient(string leaf, string problem, string evidence) => new(
            OtlpFindingId.ClientCertificateNotForClientAuth, OtlpSeverity.Error, OtlpStage.ClientAuth,
            $"The certificate {leaf} is not allowed as a TLS client certificate: {problem}.",
            "A collector that verifies client certificates (tls.client_ca_file) checks their purpose: Go rejects the handshake ('bad certificate') " +
            "and logs 'x509: certificate specifies an incompatible key usage'; OpenSSL servers report 'unsupported certificate purpose'.",
            "Issue a client certificate (extendedKeyUsage clientAuth) from the CA in the receiver's tls.client_ca_file: " +
            "New-OtlpCertificate -Type Client -Name client -Signer $ca; give it to the exporter with OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE and " +
            "OTEL_EXPORTER_OTLP_CLIENT_KEY (or tls.cert_file/tls.key_file of a collector exporter). With openssl: 'extendedKeyUsage=clientAuth' in the -extfile.",
            evidence);

        public static OtlpFinding SelfSigned(bool presentedByServer, string leaf, string trustSource, string trustSetting, bool clientSide, string evidence) => new(
            OtlpFindingId.SelfSignedCertificate, OtlpSeverity.Error, OtlpStage.Trust,
            $"{(presentedByServer ? "The server sent the self-signed certificate" : "The certificate")} {leaf}{(presentedByServer ? string.Empty : " is self-signed and")} is not in {trustSource}.",
            "Nobody vouches for a self-signed certificate, so a client accepts it only when that exact certificate is in its CA file: " +
            "OpenSSL reports 'self-signed certificate' (error 18), Go 'x509: certificate signed by unknown authority', .NET UntrustedRoot.",
            $"Either give clients this exact certificate as their CA ({trustSetting}), or better, issue it from a CA and distribute the CA: " +
            "$ca = New-OtlpCertificate -Type CA -Name ca; New-OtlpCertificate -Type " + (clientSide ? "Client -Name client" : "Server -Name server -DnsName <names>") +
            " -Signer $ca. Verify with: openssl verify -CAfile ca.crt " + (clientSide ? "client.crt" : "server.crt") + ".",
            evidence);

        public static OtlpFinding RegeneratedCa(string subject, string issuer, string where, string trustSetting, string evidence) => new(
            OtlpFindingId.UnknownAuthority, OtlpSeverity.Error, OtlpStage.Trust,
            $"{subject} names {issuer} as its issuer, and {where} has a certificate with that name, but its key did not sign {subject}.",
            "Two different CAs share one name: typically the CA was regenerated after this certificate was issued. Clients match the signature, " +
            "not the name: OpenSSL reports 'certificate signature failure' or 'unable to get local issuer certificate', Go 'x509: certificate signed by unknown authority'.",
            $"Use the CA that really issued it in {trustSetting}, or reissue the certificate from the current CA (New-OtlpCertificate ... -Signer $ca). " +
            "Compare the key ids: openssl x509 -in <crt> -noout -ext authorityKeyIdentifier and openssl x509 -in ca.crt -noout -ext subjectKeyIdentifier.",
            evidence);

        public static OtlpFinding UntrustedRoot(string leaf, string root, string trustSource, string trustSetting, bool caFileGiven, string evidence) => new(
            OtlpFindingId.UnknownAuthority, OtlpSeverity.Error, OtlpStage.Trust,
            $"The chain of {leaf} ends at the root {root}, which is not in {trustSource} (self-signed certificate in chain).",
            "The client trusts only the roots in its CA file (or the system store): OpenSSL reports 'self-signed certificate in certificate chain' (error 19), " +
            "Go 'x509: certificate signed by unknown authority', .NET UntrustedRoot.",
            $"Give the client the root that issued this chain: {trustSetting} must hold {root}" +
            (caFileGiven ? string.Empty : " (or add it to the system store: update-ca-certificates on Linux, Import-Certificate -CertStoreLocation Cert:\\LocalMachine\\Root on Windows)") +
            ". Verify with: openssl verify -CAfile root.crt -untrusted intermediates.pem leaf.crt.",
            evidence);

        public static OtlpFinding WrongCaFile(string leaf, string last, string issuer, string trustSetting, string evidence) => new(
            OtlpFindingId.UnknownAuthority, OtlpSeverity.Error, OtlpStage.Trust,
            $"The chain of {leaf} leads through {last} to {issuer}, which is not in the CA file: the CA file is not the one that issued this chain.",
            "The client trusts only the CAs in its CA file (it replaces the system store): OpenSSL reports 'unable to get local issuer certificate' (error 20), " +
            "Go 'x509: certificate signed by unknown authority', .NET PartialChain or UntrustedRoot.",
            $"Give {trustSetting} the root {issuer} (or the intermediate {last}), or reissue the server certificate from the CA the clients already trust. " +
            "Check with: openssl verify -CAfile ca.crt -untrusted intermediate.crt leaf.crt.",
            evidence);

        public static OtlpFinding IncompleteChain(string leaf, bool leafOnly, string last, string issuer, string sentOrIncluded, bool clientSide, string trustSetting, string evidence) => new(
            OtlpFindingId.IncompleteChain, OtlpSeverity.Error, OtlpStage.Trust,
            $"The chain of {leaf} is incomplete: {(leafOnly ? "its" : "the")} issuer {issuer}" +
            (leafOnly ? string.Empty : $" of {last}") +
            $" was not {sentOrIncluded} and is not in the CA file; the intermediate is missing, or your CA file is not the one that issued it.",
            "A client that holds only the root can build the path only when every intermediate comes with the leaf: OpenSSL reports " +
            "'unable to get local issuer certificate' (error 20), Go 'x509: certificate signed by unknown authority'. Browsers may fetch a missing " +
            "intermediate themselves; OTLP exporters and collectors never do.",
            "Serve the full chain: the file in " + (clientSide ? "OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE" : "the collector receiver's tls.cert_file") +
            " must hold the leaf followed by its intermediates (cat leaf.crt intermediate.crt > fullchain.crt; New-OtlpCertificate writes that order). " +
            $"If the CA file is the wrong one, give {trustSetting} the CA that issued {issuer}. " +
            "Check with: openssl verify -CAfile ca.crt -untrusted intermediate.crt leaf.crt.",
            evidence);

        public static OtlpFinding NoTrustedIssuer(string last, string issuer, string sentOrIncluded, string trustSetting, string evidence) => new(
            OtlpFindingId.UnknownAuthority, OtlpSeverity.Error, OtlpStage.Trust,
            $"No trusted authority issued {last}: its issuer {issuer} is neither {sentOrIncluded} nor in the system trust store.",
            "OpenSSL reports 'unable to get local issuer certificate' (error 20), Go 'x509: certificate signed by unknown authority', .NET PartialChain. " +
            "Either the certificate comes from a private CA the system does not know, or an intermediate is missing.",
            $"For a private CA, point the client at it: {trustSetting} (Test-OtlpCertificate -CaCertificate ca.crt checks it). " +
            "For a public CA, serve the full chain: leaf followed by intermediates in the collector's tls.cert_file. " +
            "Check with: openssl verify -CAfile ca.crt -untrusted intermediate.crt leaf.crt.",
            evidence);

        public static OtlpFinding NoSubjectAlternativeName(string leaf, string host, string? cn, string addName, string sanText, string evidence) => new(
            OtlpFindingId.NoSubjectAlternativeName, OtlpSeverity.Error, OtlpStage.Hostname,
            $"The certificate {leaf} has no subject alternative names, so it matches no host name, '{host}' included" +
            (cn is null ? "." : $"; its CN '{cn}' does not count."),
            "Clients match the host only against the SAN extension; the CN is no fallback. Go fails with 'x509: certificate relies on legacy Common Name field, " +
            "use SANs instead', browsers with ERR_CERT_COMMON_NAME_INVALID, and current OpenSSL- and .NET-based SDKs with a hostname mismatch.",
            $"Reissue with every name clients use as a SAN: New-OtlpCertificate -Type Server -Name server {addName} -Signer $ca; with openssl add " +
            $"-addext 'subjectAltName={sanText}' (or subjectAltName in the -extfile). Check with: openssl x509 -in <file> -noout -ext subjectAltName.",
            evidence);

        public static OtlpFinding HostnameMismatch(string leaf, string host, string names, string detail, string addName, string sanText, string checkCommand, string evidence) => new(
            OtlpFindingId.HostnameMismatch, OtlpSeverity.Error, OtlpStage.Hostname,
            $"The certificate {leaf} is not valid for '{host}': it names {names}.{detail}",
            "Clients compare the host they connect to (or the TLS server name override) with the SANs: OpenSSL reports 'hostname mismatch', " +
            "Go 'x509: certificate is valid for …, not …', .NET RemoteCertificateNameMismatch, Java 'No subject alternative names matching'.",
            $"Reissue it with the name: New-OtlpCertificate -Type Server -Name server {addName} -Signer $ca (with openssl: subjectAltName={sanText}); " +
            "or connect with a name the certificate has (OTEL_EXPORTER_OTLP_ENDPOINT=https://<name>:4317), or set tls.server_name_override in a collector's otlp exporter. " +
            $"Check with: {checkCommand}.",
            evidence);

        public static OtlpFinding KeyMismatch(bool client, string leaf, string evidence) => new(
            client ? OtlpFindingId.ClientKeyMismatch : OtlpFindingId.CertificateKeyMismatch, OtlpSeverity.Error,
            client ? OtlpStage.ClientAuth : OtlpStage.Certificate,
            $"The private key does not belong to the certificate {leaf}.",
            "TLS proves possession of the certificate's key, so a certificate with someone else's key cannot be used: the collector fails to start or " +
            "load it ('tls: private key does not match public key' in Go), OpenSSL reports 'key values mismatch'" +
            (client ? ", and an exporter's handshake fails." : "."),
            "Pair the certificate with the key generated with it (" + (client ? "OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE with OTEL_EXPORTER_OTLP_CLIENT_KEY" : "tls.cert_file with tls.key_file") +
            "). Compare: openssl x509 -in <crt> -noout -pubkey | openssl sha256 and openssl pkey -in <key> -pubout | openssl sha256 must print the same. " +
            "Or issue a new pair: New-OtlpCertificate -Type " + (client ? "Client -Name client" : "Server -Name server -DnsName <names>") + " -Signer $ca.",
            evidence);

        public static OtlpFinding Malformed(string who, string problems, string evidence) => new(
            OtlpFindingId.CertificateMalformed, OtlpSeverity.Error, OtlpStage.Certificate,
            $"The {who} has extensions that do not decode: {problems}.",
            "A TLS client cannot apply an extension it cannot read: OpenSSL fails with 'invalid certificate' (X509 V3 routines, error 20 or a handshake failure), " +
            "Go with 'x509: malformed extension' or 'x509: cannot parse IP address of length 5', .NET with a chain or name-check error. " +
            "Such certificates come from hand-written DER or broken issuing software.",
            "Reissue it with well-formed extensions (New-OtlpCertificate, or openssl with extensions written in the -extfile syntax, not raw DER:). " +
            "Inspect with: openssl x509 -in <file> -noout -text (broken values show as '<invalid …>'), or openssl asn1parse -in <file>.",
            evidence);

        public static OtlpFinding PathLengthExceeded(string ca, int pathLength, int below, string evidence) => new(
            OtlpFindingId.PathLengthExceeded, OtlpSeverity.Error, OtlpStage.Certificate,
            $"The {ca} allows {Count(pathLength, "intermediate CA")} below it (pathLenConstraint {pathLength.ToString(CultureInfo.InvariantCulture)}), but the path has {below.ToString(CultureInfo.InvariantCulture)}.",
            "basicConstraints' pathLenConstraint limits how many CA certificates may follow; every client enforces it, on trust anchors too: " +
            "OpenSSL fails with 'path length constraint exceeded' (error 25), Go with 'x509: too many intermediates for path length constraint', .NET with InvalidBasicConstraints.",
            "Issue the leaf from a CA the constraint allows (sign directly with the constrained CA), or " + ReissueCa +
            " Check with: openssl x509 -in <ca file> -noout -ext basicConstraints; openssl verify -CAfile root.crt -untrusted chain.pem leaf.crt.",
            evidence);

        public static OtlpFinding NameConstraintViolated(string who, string ca, string name, bool excluded, string subtrees, string evidence) => new(
            OtlpFindingId.NameConstraintViolation, OtlpSeverity.Error, OtlpStage.Certificate,
            excluded
                ? $"The {who} names {name}, which the {ca} excludes (nameConstraints excluded: {subtrees})."
                : $"The {who} names {name}, outside what the {ca} permits (nameConstraints permitted: {subtrees}).",
            "A CA with nameConstraints may only vouch for names inside its permitted subtrees and never for names in its excluded ones; clients enforce it for every certificate below: " +
            $"OpenSSL fails with '{(excluded ? "excluded subtree violation' (error 48" : "permitted subtree violation' (error 47")})', Go with 'x509: a root or intermediate certificate is not authorized to sign for this name', " +
            ".NET with HasNotPermittedNameConstraint/HasExcludedNameConstraint.",
            "Issue the certificate with names inside the CA's constraints, or from a CA whose constraints cover the names clients use (New-OtlpCertificate -Type Server -Name server -DnsName <names> -Signer $ca). " +
            "Check with: openssl x509 -in <ca file> -noout -ext nameConstraints.",
            evidence);

        public static OtlpFinding UnhandledCriticalExtension(string who, string oids, string evidence) => new(
            OtlpFindingId.UnhandledCriticalExtension, OtlpSeverity.Error, OtlpStage.Certificate,
            $"The {who} has a critical extension no TLS client understands ({oids}).",
            "A critical extension must be understood or the certificate rejected (RFC 5280 §4.2): OpenSSL fails with 'unhandled critical extension' (error 34), " +
            "Go with 'x509: unhandled critical extension', .NET with HasNotSupportedCriticalExtension.",
            "Reissue it without that extension, or mark it non-critical (openssl -extfile: leave out 'critical,'). Check with: openssl x509 -in <file> -noout -text.",
            evidence);

        public static OtlpFinding ChainTooLong(int length, string evidence) => new(
            OtlpFindingId.CertificateChainTooLong, OtlpSeverity.Error, OtlpStage.Trust,
            $"The path was cut after {length.ToString(CultureInfo.InvariantCulture)} certificates without reaching a trusted authority.",
            "OpenSSL stops at its verify depth (100 intermediates by default) with 'certificate chain too long' (error 22); longer chains are a loop or a mistake.",
            "Serve the leaf with only the intermediates that lead to the trusted root. Check with: openssl crl2pkcs7 -nocrl -certfile chain.pem | openssl pkcs7 -print_certs -noout.",
            evidence);

        public static OtlpFinding WeakSignature(string who, string algorithm, Func<string, string> reissue, string evidence) => new(
            OtlpFindingId.WeakSignatureAlgorithm, OtlpSeverity.Error, OtlpStage.Certificate,
            $"The {who} is signed with {algorithm}, a broken hash that current runtimes refuse.",
            "OpenSSL 3 refuses SHA-1 and MD5 certificate signatures at its default security level 1 and above ('CA signature digest algorithm too weak', error 68), " +
            "so do the OpenSSL-based exporters (Python, Node.js, C++, Ruby, .NET on Linux) and the OpenSSL s_client; Go 1.18 and later refuse SHA-1 " +
            "('x509: certificate signed using SHA1-RSA'), browsers too. Only old or reconfigured stacks still accept them.",
            reissue("New-OtlpCertificate signs with SHA-256 or SHA-384; with openssl pass -sha256. " +
                "Check with: openssl x509 -in <file> -noout -text | grep 'Signature Algorithm'."),
            evidence);

        public static OtlpFinding WeakKey(string who, string algorithm, int bits, bool error, Func<string, string> reissue, string evidence) => new(
            OtlpFindingId.WeakKey, error ? OtlpSeverity.Error : OtlpSeverity.Warning, OtlpStage.Certificate,
            $"The {who} has a weak {bits.ToString(CultureInfo.InvariantCulture)}-bit {algorithm} key.",
            error
                ? "OpenSSL 3 at security level 2 — the default of Debian, Ubuntu 20.04+, RHEL 9 and of this machine's OpenSSL when it is one of those — refuses RSA keys under 2048 bits " +
                  "('EE key too small'/'CA certificate key too weak', errors 66 and 67), and so do the OpenSSL-based exporters and .NET on Linux there; " +
                  "OpenSSL's own level 1 and Go (which refuses RSA only under 1024 bits since 1.24) still accept 1024 bits, so some clients connect and others do not."
                : "EC keys under 256 bits are below current recommendations; OpenSSL at security level 2 accepts P-224 (112 bits) but level 3 does not.",
            reissue("New-OtlpCertificate uses ECDSA P-256 by default (-KeyAlgorithm Rsa2048 for RSA); with openssl use -newkey rsa:2048 or -newkey ec -pkeyopt ec_paramgen_curve:P-256."),
            evidence);

        public static OtlpFinding LenientKeyUsage(string who, string keyUsage, bool isRsa, string evidence) => new(
            OtlpFindingId.KeyUsageMismatch, OtlpSeverity.Warning, OtlpStage.Certificate,
            isRsa
                ? $"The {who} has keyUsage {keyUsage}, without digitalSignature: strictly (RFC 5280, RFC 8446) it may only be used for RSA key exchange."
                : $"The {who} has keyUsage {keyUsage}, without digitalSignature: strictly (RFC 5280, RFC 8446) it may not sign the TLS handshake.",
            isRsa
                ? "Measured with OpenSSL 3 (s_client -verify_return_error) and .NET SslStream: both connect with TLS 1.3 and TLS 1.2 (ECDHE-RSA); Go ignores keyUsage on leaves. " +
                  "Stricter stacks (Java's SunJSSE for ECDHE-RSA and TLS 1.3, BouncyCastle) refuse it, so Java exporters may fail."
                : "Measured with OpenSSL 3 and .NET SslStream: TLS 1.3 connects (clients do not check keyUsage bits there) but a TLS 1.2-only server cannot use it " +
                  "(ECDHE-ECDSA needs a signature: OpenSSL servers answer handshake_failure); Go ignores keyUsage on leaves; Java's SunJSSE refuses it.",
            "Reissue it with keyUsage digitalSignature (plus keyEncipherment for RSA): New-OtlpCertificate -Type Server -Name server -DnsName <names> -Signer $ca; " +
            "with openssl: keyUsage=critical,digitalSignature,keyEncipherment in the -extfile. Check with: openssl x509 -in <file> -noout -ext keyUsage.",
            evidence);


        // ---- wording the rules share: what a certificate is called, where it goes, how to replace it ------------------

        /// <summary>Said after a host-name mismatch when the host is an IP address that the certificate lists as a DNS name.</summary>
        public const string IpListedAsDnsName = " The address is listed as a DNS name; clients compare IP addresses only with IP SANs.";

        /// <summary>Said after a host-name mismatch when the certificate has only IP SANs.</summary>
        public const string OnlyIpNames = " The certificate has only IP SANs; a host name needs a DNS SAN.";

        /// <summary>Said after a host-name mismatch when the certificate has a wildcard name.</summary>
        public const string WildcardCoversOneLabel = " A wildcard covers exactly one left-most label: *.example.com matches a.example.com, not example.com or a.b.example.com.";

        /// <summary>What the certificate at <paramref name="index"/> of a path is called: the leaf by its use, issuers by their kind.</summary>
        public static string Role(int index, OtlpCertificateUsage? usage, bool presentedByServer, bool selfSigned)
        {
            if (index == 0)
            {
                return usage switch
                {
                    OtlpCertificateUsage.Server => "server certificate",
                    OtlpCertificateUsage.Client => "client certificate",
                    _ => presentedByServer ? "server certificate" : "certificate",
                };
            }

            return selfSigned ? "root CA certificate" : "intermediate CA certificate";
        }

        /// <summary>Where an issuer of the path came from, and whose chain it is in.</summary>
        public static string InChainOf(CertificateOrigin origin, bool presentedByServer, string trustSource, string leafName)
        {
            var source = origin switch
            {
                CertificateOrigin.Trusted => " from " + trustSource,
                CertificateOrigin.Presented when presentedByServer => " sent by the server",
                _ => string.Empty,
            };
            return $"{source} (in the chain of {leafName})";
        }

        /// <summary>How to replace a certificate of the path, and where the new one goes.</summary>
        /// <param name="leaf">The certificate is the leaf.</param>
        /// <param name="client">The leaf is a client certificate.</param>
        /// <param name="hostName">The host name the leaf must name, when known.</param>
        /// <param name="trusted">The (issuer) certificate came from the trust store or CA file.</param>
        /// <param name="subject">The certificate's subject.</param>
        /// <param name="tail">The rule's own advice, appended.</param>
        public static string Reissue(bool leaf, bool client, string? hostName, bool trusted, string subject, string tail)
        {
            if (leaf)
            {
                var command = client
                    ? "New-OtlpCertificate -Type Client -Name client -Signer $ca"
                    : $"New-OtlpCertificate -Type Server -Name server -DnsName {hostName ?? "<names>"} -Signer $ca";
                var where = client
                    ? "where the exporter's OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE (or a collector exporter's tls.cert_file) points"
                    : "where the collector receiver's tls.cert_file points, then restart or reload the collector";
                return $"Issue a new certificate and put it {where}: {command}. {tail}";
            }

            var trust = trusted
                ? (client ? "the receiver's tls.client_ca_file" : "the exporter's OTEL_EXPORTER_OTLP_CERTIFICATE (or tls.ca_file)")
                : "the certificate file that carries it after the leaf";
            return $"Reissue the CA {Quote(subject)} (New-OtlpCertificate -Type CA -Name ca, and -Signer for an intermediate), " +
                   $"re-issue what it signed, and replace it in {trust}. {tail}";
        }

        /// <summary>Where the client's trust comes from.</summary>
        public static string TrustSource(bool caFileGiven) => caFileGiven ? "the CA file" : "the system trust store";

        /// <summary>The setting that holds the trust for the side the certificate is checked for.</summary>
        public static string TrustSetting(bool clientSide) => clientSide
            ? "the collector receiver's tls.client_ca_file"
            : "the exporter's OTEL_EXPORTER_OTLP_CERTIFICATE (or tls.ca_file of a collector's otlp exporter)";

        /// <summary>How the certificates after the leaf arrived.</summary>
        public static string SentOrIncluded(bool presentedByServer) => presentedByServer ? "sent by the server" : "included after it in the file";

        public static string Quote(string subject) => "'" + subject + "'";

        public static string Date(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

        public static string Days(int days) => days == 1 ? "1 day" : days.ToString(CultureInfo.InvariantCulture) + " days";

        public static string List(IEnumerable<string> items)
        {
            var list = items.ToList();
            return list.Count == 0 ? "(none)" : string.Join(", ", list);
        }

        private static string Count(int n, string noun) => n == 1 ? "1 " + noun : n.ToString(CultureInfo.InvariantCulture) + " " + noun + "s";
    }
}
