using System.Globalization;

namespace OtelTls.Engine.Certificates
{
    /// <summary>
    /// The wording of the path-validation findings (constraints, malformed and weak certificates): what is wrong, which
    /// runtime refuses it with which message, and the fix. The rules that raise them are in <see cref="CertificateChecker"/>;
    /// the "who" parameters are phrases like "the intermediate CA certificate 'CN=x' sent by the server".
    /// </summary>
    internal static class CertificateFindings
    {
        private const string ReissueCa = "Reissue the CA with the right extensions (New-OtlpCertificate -Type CA -Name ca, -PathLength for an intermediate), re-issue what it signed, and replace the chain where the server's tls.cert_file points and the CA where clients' OTEL_EXPORTER_OTLP_CERTIFICATE points.";

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

        public static OtlpFinding WeakSignature(string who, string algorithm, string remediation, string evidence) => new(
            OtlpFindingId.WeakSignatureAlgorithm, OtlpSeverity.Error, OtlpStage.Certificate,
            $"The {who} is signed with {algorithm}, a broken hash that current runtimes refuse.",
            "OpenSSL 3 refuses SHA-1 and MD5 certificate signatures at its default security level 1 and above ('CA signature digest algorithm too weak', error 68), " +
            "so do the OpenSSL-based exporters (Python, Node.js, C++, Ruby, .NET on Linux) and the OpenSSL s_client; Go 1.18 and later refuse SHA-1 " +
            "('x509: certificate signed using SHA1-RSA'), browsers too. Only old or reconfigured stacks still accept them.",
            remediation,
            evidence);

        public static OtlpFinding WeakKey(string who, string algorithm, int bits, bool error, string remediation, string evidence) => new(
            OtlpFindingId.WeakKey, error ? OtlpSeverity.Error : OtlpSeverity.Warning, OtlpStage.Certificate,
            $"The {who} has a weak {bits.ToString(CultureInfo.InvariantCulture)}-bit {algorithm} key.",
            error
                ? "OpenSSL 3 at security level 2 — the default of Debian, Ubuntu 20.04+, RHEL 9 and of this machine's OpenSSL when it is one of those — refuses RSA keys under 2048 bits " +
                  "('EE key too small'/'CA certificate key too weak', errors 66 and 67), and so do the OpenSSL-based exporters and .NET on Linux there; " +
                  "OpenSSL's own level 1 and Go (which refuses RSA only under 1024 bits since 1.24) still accept 1024 bits, so some clients connect and others do not."
                : "EC keys under 256 bits are below current recommendations; OpenSSL at security level 2 accepts P-224 (112 bits) but level 3 does not.",
            remediation,
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

        private static string Count(int n, string noun) => n == 1 ? "1 " + noun : n.ToString(CultureInfo.InvariantCulture) + " " + noun + "s";
    }
}
