using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Authentication;
using Org.BouncyCastle.Tls;

namespace OtelTls.Lab;

/// <summary>Which kind of server a scenario runs.</summary>
internal enum ServerKind
{
    /// <summary>Kestrel, TLS, OTLP gRPC + HTTP receivers on one port.</summary>
    KestrelTls,
    /// <summary>Kestrel, plaintext HTTP/1.1.</summary>
    KestrelHttp1,
    /// <summary>Kestrel, plaintext HTTP/2 with prior knowledge (h2c), the way a gRPC server without TLS listens.</summary>
    KestrelH2c,
    /// <summary>A BouncyCastle TLS server (versions, suites, alerts Kestrel cannot produce).</summary>
    BouncyCastleTls,
    /// <summary>Accepts and never speaks.</summary>
    Silent,
    /// <summary>Answers the ClientHello with bytes that are neither TLS nor HTTP.</summary>
    Garbage,
    /// <summary>Reads the ClientHello, then resets the connection (RST).</summary>
    Reset,
    /// <summary>A real handshake, dribbled one byte per interval.</summary>
    Slow,
    /// <summary>A real handshake cut after a few bytes with a clean close (FIN).</summary>
    CloseMidHandshake,
}

internal enum ClientCertificateMode
{
    None,
    Allow,
    Require,
}

/// <summary>What the OTLP receiver behind a good TLS does.</summary>
internal enum OtlpBehavior
{
    Normal,
    /// <summary>No OTLP service: gRPC status 12 (Unimplemented) and HTTP 404 on every path.</summary>
    Unimplemented,
    /// <summary>HTTP/protobuf paths answer 404; gRPC works.</summary>
    HttpNotFound,
    /// <summary>Export needs <see cref="LabScenario.RequiredHeaderName"/>: gRPC 16 (Unauthenticated) / HTTP 401 without it.</summary>
    Unauthenticated,
    /// <summary>Accepts, and answers with a partial_success that rejects every item of the request.</summary>
    PartialSuccess,
}

/// <summary>How a scenario's server is built. Internal: callers see <see cref="LabScenarioInfo"/>.</summary>
internal sealed class ScenarioDefinition
{
    public ScenarioDefinition(LabScenarioInfo info, ServerKind kind)
    {
        Info = info;
        Kind = kind;
    }

    public LabScenarioInfo Info { get; }

    public ServerKind Kind { get; }

    public LeafKind Leaf { get; init; } = LeafKind.Standard;

    /// <summary>The CA chain that issues the leaf; its root is the scenario's ca.crt.</summary>
    public LabChain Chain { get; init; } = LabChain.Ecdsa;

    /// <summary>False: the server sends its leaf without the intermediate.</summary>
    public bool SendIntermediate { get; init; } = true;

    public ClientCertificateMode ClientCertificate { get; init; }

    /// <summary>The scenario's client certificate comes from the unrelated CA the server does not trust.</summary>
    public bool ClientCertificateFromOtherCa { get; init; }

    /// <summary>The scenario's client certificate is issued by the lab intermediate (client.crt = leaf + intermediate); the server trusts only the root.</summary>
    public bool ClientCertificateFromIntermediate { get; init; }

    /// <summary>The server trusts the lab intermediate for client certificates as well as the root (a collector whose client_ca_file holds both).</summary>
    public bool ClientCaIncludesIntermediate { get; init; }

    public SslProtocols SslProtocols { get; init; } = SslProtocols.None;

    /// <summary>ALPN protocols the server selects from; null = Kestrel's own (h2, http/1.1); empty = no ALPN at all.</summary>
    public string[]? Alpn { get; init; }

    public OtlpBehavior Otlp { get; init; }

    /// <summary>A <see cref="HostilePki"/> kind: the server sends that openssl-made chain and ca.crt is its root.</summary>
    public string? HostilePki { get; init; }

    /// <summary>Header an unauthenticated scenario requires (name); the value is random per run.</summary>
    public string? RequiredHeaderName { get; init; }

    /// <summary>TLS versions of a BouncyCastle server.</summary>
    public ProtocolVersion[]? BcVersions { get; init; }

    /// <summary>Cipher suites of a BouncyCastle server; null = BouncyCastle's defaults.</summary>
    public int[]? BcCipherSuites { get; init; }

    /// <summary>A fatal alert a BouncyCastle server sends instead of a ServerHello.</summary>
    public short? BcAlert { get; init; }

    public bool IsKestrel => Kind is ServerKind.KestrelTls or ServerKind.KestrelHttp1 or ServerKind.KestrelH2c;

    /// <summary>A real BouncyCastle handshake (plain, dribbled or cut), served on a blocking thread of its own.</summary>
    public bool IsBouncyCastle => Kind is ServerKind.BouncyCastleTls or ServerKind.Slow or ServerKind.CloseMidHandshake;
}

/// <summary>Every lab scenario, in catalog order.</summary>
internal static class ScenarioCatalog
{
    private static readonly LabClient Ca = new(UseCaFile: true, UseClientCertificate: false);

    public static readonly IReadOnlyList<ScenarioDefinition> Definitions = Build();

    public static readonly IReadOnlyList<LabScenarioInfo> Infos = Definitions.Select(d => d.Info).ToList();

    public static ScenarioDefinition Find(string name) =>
        Definitions.FirstOrDefault(d => string.Equals(d.Info.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException(
            $"There is no lab scenario named '{name}'. Known scenarios: {string.Join(", ", Definitions.Select(d => d.Info.Name))}.", nameof(name));

    private static LabScenarioInfo Info(string name, string? finding, OtlpStatus status, LabClient client, string description) =>
        new(name, description, finding, status, client);

    private static ScenarioDefinition Hostile(string kind, string? finding, OtlpStatus status, string description) =>
        new(Info("hostile-" + kind, finding, status, Ca, description + " Made by openssl; ca.crt is its root."), ServerKind.KestrelTls) { HostilePki = kind };

    private static List<ScenarioDefinition> Build()
    {
        const OtlpStatus ok = OtlpStatus.Healthy;
        const OtlpStatus failed = OtlpStatus.Failed;
        const OtlpStatus warning = OtlpStatus.Warning;
        var http = Ca with { Protocol = "http/protobuf" };
        var rsaAesCbc = new[] { CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA, CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA };
        return new List<ScenarioDefinition>
        {
            // Healthy baselines.
            new(Info("healthy", null, ok, Ca,
                "TLS 1.2/1.3, ALPN h2 + http/1.1, leaf for localhost/127.0.0.1 sent with its intermediate; OTLP gRPC and HTTP receivers."),
                ServerKind.KestrelTls),
            new(Info("healthy-http", null, ok, http,
                "The healthy server, diagnosed as OTLP/HTTP (POST /v1/traces, application/x-protobuf)."),
                ServerKind.KestrelTls),

            // RSA certificate authorities (most enterprise and cert-manager PKIs): healthy, and diagnosed like the rest.
            new(Info("rsa2048-intermediate", null, ok, Ca,
                "The healthy server with an RSA-2048 intermediate: ECDSA root, RSA-2048 intermediate, ECDSA leaf."),
                ServerKind.KestrelTls) { Chain = LabChain.Rsa2048Intermediate },
            new(Info("rsa4096-intermediate", null, ok, Ca,
                "The healthy server with an RSA-4096 intermediate: ECDSA root, RSA-4096 intermediate, ECDSA leaf."),
                ServerKind.KestrelTls) { Chain = LabChain.Rsa4096Intermediate },
            new(Info("rsa-chain", null, ok, Ca,
                "The healthy server on an all-RSA PKI: RSA-4096 root, RSA-2048 intermediate, RSA-2048 leaf (TLS 1.3 RSA-PSS)."),
                ServerKind.KestrelTls) { Chain = LabChain.Rsa, Leaf = LeafKind.Rsa },

            // Client certificates.
            new(Info("mtls-required", OtlpFindingId.ClientCertificateRequired, failed, Ca,
                "Requires a client certificate from the lab root CA; the client sends none (TLS 1.3: alert 116 certificate_required after the handshake)."),
                ServerKind.KestrelTls) { ClientCertificate = ClientCertificateMode.Require },
            new(Info("mtls-required-with-client-cert", null, ok, Ca with { UseClientCertificate = true },
                "Requires a client certificate from the lab root CA; the client presents client.crt/client.key, issued by it."),
                ServerKind.KestrelTls) { ClientCertificate = ClientCertificateMode.Require },
            new(Info("mtls-wrong-client-ca", OtlpFindingId.ClientCertificateRejected, failed, Ca with { UseClientCertificate = true },
                "Requires a client certificate from the lab root CA; the scenario's client.crt comes from another CA, so the server refuses it."),
                ServerKind.KestrelTls) { ClientCertificate = ClientCertificateMode.Require, ClientCertificateFromOtherCa = true },
            new(Info("mtls-client-intermediate", OtlpFindingId.PlatformDisagreement, warning, Ca with { UseClientCertificate = true },
                "Requires a client certificate from the lab root CA; client.crt is issued by the lab intermediate and holds it after the leaf. Clients that send the chain (OpenSSL, Go, the probe) are accepted; .NET, like the OpenTelemetry .NET exporter, sends the leaf only and is refused."),
                ServerKind.KestrelTls) { ClientCertificate = ClientCertificateMode.Require, ClientCertificateFromIntermediate = true },
            new(Info("mtls-client-intermediate-trusted", null, ok, Ca with { UseClientCertificate = true },
                "Requires a client certificate from the lab root CA or its intermediate (client_ca_file holds both); client.crt is issued by the intermediate and holds it after the leaf, so clients that send the leaf alone (.NET) are accepted too."),
                ServerKind.KestrelTls) { ClientCertificate = ClientCertificateMode.Require, ClientCertificateFromIntermediate = true, ClientCaIncludesIntermediate = true },
            new(Info("mtls-optional", null, ok, Ca,
                "Asks for a client certificate (CertificateRequest naming the lab root) but accepts a connection without one."),
                ServerKind.KestrelTls) { ClientCertificate = ClientCertificateMode.Allow },

            // Trust.
            new(Info("self-signed", OtlpFindingId.SelfSignedCertificate, failed, new LabClient(false, false),
                "Serves a self-signed leaf (no CA issued it); the client trusts only the platform store."),
                ServerKind.KestrelTls) { Leaf = LeafKind.SelfSigned },
            new(Info("private-ca", OtlpFindingId.UnknownAuthority, failed, new LabClient(false, false),
                "The healthy server (leaf + intermediate from the lab's private root); the client is given no CA file."),
                ServerKind.KestrelTls),
            new(Info("missing-intermediate", OtlpFindingId.IncompleteChain, failed, Ca,
                "Sends its leaf without the intermediate; the client trusts the root only, so no path can be built."),
                ServerKind.KestrelTls) { SendIntermediate = false },

            // Certificate.
            new(Info("expired", OtlpFindingId.CertificateExpired, failed, Ca,
                "The leaf expired yesterday."), ServerKind.KestrelTls) { Leaf = LeafKind.Expired },
            new(Info("not-yet-valid", OtlpFindingId.CertificateNotYetValid, failed, Ca,
                "The leaf becomes valid in 10 days."), ServerKind.KestrelTls) { Leaf = LeafKind.NotYetValid },
            new(Info("expiring-soon", OtlpFindingId.CertificateExpiringSoon, warning, Ca,
                "The leaf expires in 5 days (inside the default 30-day warning window); otherwise healthy."),
                ServerKind.KestrelTls) { Leaf = LeafKind.ExpiringSoon },
            new(Info("no-server-auth", OtlpFindingId.KeyUsageMismatch, failed, Ca,
                "The leaf's extended key usage is clientAuth only (no serverAuth)."),
                ServerKind.KestrelTls) { Leaf = LeafKind.NoServerAuth },

            // Hostname.
            new(Info("wrong-host", OtlpFindingId.HostnameMismatch, failed, Ca,
                $"The leaf names only {LabPki.WrongHostName}; the client connects to 127.0.0.1."),
                ServerKind.KestrelTls) { Leaf = LeafKind.WrongHost },
            new(Info("cn-only", OtlpFindingId.NoSubjectAlternativeName, failed, Ca with { ServerName = "localhost" },
                "The leaf has CN=localhost and no subjectAltName extension (Go, browsers and .NET by name reject it)."),
                ServerKind.KestrelTls) { Leaf = LeafKind.CnOnly },

            // Versions.
            new(Info("tls12-only", null, ok, Ca, "Accepts TLS 1.2 only."),
                ServerKind.KestrelTls) { SslProtocols = SslProtocols.Tls12 },
            new(Info("tls13-only", null, ok, Ca, "Accepts TLS 1.3 only."),
                ServerKind.KestrelTls) { SslProtocols = SslProtocols.Tls13 },
            new(Info("tls13-only-client-tls12", OtlpFindingId.ProtocolVersionMismatch, failed, Ca with { TlsVersion = "Tls12" },
                "Accepts TLS 1.3 only; the client is limited to TLS 1.2 (alert 70 protocol_version)."),
                ServerKind.KestrelTls) { SslProtocols = SslProtocols.Tls13 },
            new(Info("legacy-tls10", OtlpFindingId.ProtocolVersionMismatch, failed, Ca,
                "A BouncyCastle server that speaks TLS 1.0 only (ECDHE-RSA/RSA AES-CBC-SHA); modern clients allow 1.2+."),
                ServerKind.BouncyCastleTls) { BcVersions = ProtocolVersion.TLSv10.Only(), BcCipherSuites = rsaAesCbc },
            new(Info("legacy-tls11", OtlpFindingId.ProtocolVersionMismatch, failed, Ca,
                "A BouncyCastle server that speaks TLS 1.1 only (ECDHE-RSA/RSA AES-CBC-SHA); modern clients allow 1.2+."),
                ServerKind.BouncyCastleTls) { BcVersions = ProtocolVersion.TLSv11.Only(), BcCipherSuites = rsaAesCbc },
            new(Info("cipher-mismatch", OtlpFindingId.CipherSuiteMismatch, failed, Ca,
                "A BouncyCastle TLS 1.2 server whose only suite is TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256, which default clients (OpenSSL DEFAULT, .NET, Go, BouncyCastle) do not offer (alert 40)."),
                ServerKind.BouncyCastleTls)
            {
                BcVersions = ProtocolVersion.TLSv12.Only(), BcCipherSuites = new[] { CipherSuite.TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256 },
            },
            new(Info("alert-handshake-failure", OtlpFindingId.HandshakeFailed, failed, Ca,
                "A BouncyCastle server that answers every ClientHello with a fatal handshake_failure(40) alert, whatever is offered."),
                ServerKind.BouncyCastleTls) { BcVersions = ProtocolVersion.TLSv13.DownTo(ProtocolVersion.TLSv12), BcAlert = AlertDescription.handshake_failure },

            // ALPN.
            new(Info("no-alpn", OtlpFindingId.AlpnH2NotNegotiated, failed, Ca,
                "TLS is fine but the server selects no ALPN protocol (HTTP/1.1 only), so gRPC cannot run."),
                ServerKind.KestrelTls) { Alpn = Array.Empty<string>() },
            new(Info("alpn-http11", OtlpFindingId.AlpnH2NotNegotiated, failed, Ca,
                "TLS is fine but the server's ALPN offers http/1.1 only (no h2), so gRPC cannot run."),
                ServerKind.KestrelTls) { Alpn = new[] { "http/1.1" } },

            // Not TLS / misbehaving sockets.
            new(Info("plaintext-http", OtlpFindingId.TlsNotEnabled, failed, Ca,
                "Plaintext HTTP/1.1 (OTLP/HTTP without TLS): answers a ClientHello with 'HTTP/1.1 400'."),
                ServerKind.KestrelHttp1),
            new(Info("plaintext-h2c", OtlpFindingId.TlsNotEnabled, failed, Ca,
                "Plaintext HTTP/2 with prior knowledge (a gRPC receiver without TLS): answers a ClientHello with HTTP/2 frames."),
                ServerKind.KestrelH2c),
            new(Info("silent", OtlpFindingId.HandshakeTimedOut, failed, Ca,
                "Accepts the TCP connection and never sends a byte."), ServerKind.Silent),
            new(Info("garbage", OtlpFindingId.TlsNotEnabled, failed, Ca,
                "Answers the ClientHello with 64 bytes that are neither TLS nor HTTP, then closes (reported as TlsNotEnabled: the peer does not speak TLS)."),
                ServerKind.Garbage),
            new(Info("reset", OtlpFindingId.HandshakeReset, failed, Ca,
                "Reads the ClientHello, then resets the connection (RST, linger 0)."), ServerKind.Reset),
            new(Info("slow", OtlpFindingId.HandshakeTimedOut, failed, Ca,
                "Answers with a real TLS 1.2 handshake, one byte every 100 ms (minutes for the whole flight)."),
                ServerKind.Slow) { BcVersions = ProtocolVersion.TLSv12.Only() },
            new(Info("close-mid-handshake", OtlpFindingId.HandshakeReset, failed, Ca,
                "Sends the first 40 bytes of a real ServerHello, then closes the connection cleanly (FIN)."),
                ServerKind.CloseMidHandshake) { BcVersions = ProtocolVersion.TLSv12.Only() },

            // OTLP behind a good TLS.
            new(Info("grpc-unimplemented", OtlpFindingId.OtlpPathNotFound, failed, Ca,
                "Healthy TLS, but no OTLP service behind it: gRPC status 12 (Unimplemented) on every method, HTTP 404 on every path (reported as OtlpPathNotFound, the gRPC form of a 404)."),
                ServerKind.KestrelTls) { Otlp = OtlpBehavior.Unimplemented },
            new(Info("http-404", OtlpFindingId.OtlpPathNotFound, failed, http,
                "Healthy TLS and gRPC, but POST /v1/traces (metrics, logs) answers 404."),
                ServerKind.KestrelTls) { Otlp = OtlpBehavior.HttpNotFound },
            new(Info("unauthenticated-grpc", OtlpFindingId.OtlpUnauthenticated, failed, Ca,
                "Exports need 'authorization: Bearer <token>' (RequiredHeaderName/Value); without it gRPC status 16 (Unauthenticated), HTTP 401."),
                ServerKind.KestrelTls) { Otlp = OtlpBehavior.Unauthenticated, RequiredHeaderName = "authorization" },
            new(Info("unauthenticated-http", OtlpFindingId.OtlpUnauthenticated, failed, http,
                "Exports need 'api-key: <key>' (RequiredHeaderName/Value); without it HTTP 401, gRPC status 16 (Unauthenticated)."),
                ServerKind.KestrelTls) { Otlp = OtlpBehavior.Unauthenticated, RequiredHeaderName = "api-key" },
            new(Info("partial-success", null, warning, Ca,
                "Healthy; every export is answered with partial_success rejecting all of the request's items (rejected_spans = span count)."),
                ServerKind.KestrelTls) { Otlp = OtlpBehavior.PartialSuccess },

            // Hostile PKIs made by openssl (issue #9): constraint violations, malformed extensions, weak algorithms.
            Hostile("root-pathlen0", OtlpFindingId.PathLengthExceeded, failed, "The root has pathlen:0, yet an intermediate sits between it and the leaf (openssl error 25)."),
            Hostile("intermediate-pathlen0", OtlpFindingId.PathLengthExceeded, failed, "An intermediate with pathlen:0 signed another intermediate, which signed the leaf (openssl error 25)."),
            Hostile("nc-permitted", OtlpFindingId.NameConstraintViolation, failed, "The issuing CA permits only DNS:example.com and IP:10.0.0.0/8; the leaf names localhost and 127.0.0.1 (openssl error 47)."),
            Hostile("nc-excluded-dns", OtlpFindingId.NameConstraintViolation, failed, "The issuing CA excludes DNS:localhost, which the leaf names (openssl error 48)."),
            Hostile("nc-excluded-ip", OtlpFindingId.NameConstraintViolation, failed, "The issuing CA excludes IP:127.0.0.0/8; the leaf names 127.0.0.1 (openssl error 48)."),
            Hostile("critical-extension", OtlpFindingId.UnhandledCriticalExtension, failed, "The leaf carries a private extension marked critical (openssl error 34)."),
            Hostile("sha1", OtlpFindingId.WeakSignatureAlgorithm, failed, "The leaf is signed with ecdsa-with-SHA1 (OpenSSL 3 error 68 at security level 1+, Go 1.18+ refuses)."),
            Hostile("md5", OtlpFindingId.WeakSignatureAlgorithm, failed, "An RSA PKI whose leaf is signed with md5WithRSAEncryption (OpenSSL 3 error 68)."),
            Hostile("rsa1024", OtlpFindingId.WeakKey, failed, "The leaf has a 1024-bit RSA key (OpenSSL at security level 2, the Debian/Ubuntu/RHEL default: error 66)."),
            Hostile("ec-keyagreement-only", OtlpFindingId.KeyUsageMismatch, warning, "An EC leaf whose keyUsage is keyAgreement only: openssl and SslStream connect over TLS 1.3; strict stacks refuse it."),
            Hostile("rsa-keyencipherment-only", OtlpFindingId.KeyUsageMismatch, warning, "An RSA leaf whose keyUsage is keyEncipherment only: openssl and SslStream connect (TLS 1.3 and 1.2 ECDHE-RSA); strict stacks refuse it."),
            Hostile("chain-50", null, ok, "A 50-certificate chain (root, 48 intermediates, leaf), well inside OpenSSL's default verify depth of 100."),
            Hostile("san-ip-5-bytes", OtlpFindingId.CertificateMalformed, failed, "The leaf's subjectAltName holds an IP address of 5 bytes (127.0.0.1.1) next to DNS:localhost."),
            Hostile("malformed-eku", OtlpFindingId.CertificateMalformed, failed, "The leaf's extendedKeyUsage is an OCTET STRING, not a SEQUENCE OF OID (openssl: invalid certificate)."),
            Hostile("malformed-basic-constraints", OtlpFindingId.CertificateMalformed, failed, "The leaf's critical basicConstraints is SEQUENCE { OCTET STRING } (openssl: invalid certificate)."),
        };
    }
}
