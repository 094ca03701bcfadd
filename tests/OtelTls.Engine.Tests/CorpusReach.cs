using System.Collections.Generic;

namespace OtelTls.Engine.Tests;

/// <summary>
/// Which runtimes' real clients report each lab scenario's finding as an error, as observed on this machine. A runtime
/// left out of a row succeeds against that scenario, or fails without a TLS message: OpenSSL-based clients accept a
/// CN-only certificate (they fall back to the Common Name), only gRPC clients need ALPN h2, GnuTLS 3.7 still speaks
/// TLS 1.0/1.1, a TLS 1.3 server's verdict on a client certificate arrives after openssl s_client has finished, and
/// openssl, gnutls-cli and Node give no message of their own when a server never answers (the test's bound ends them).
/// Every lab scenario must have a row: a new scenario without one fails <see cref="TlsErrorCorpusTests"/>.
/// </summary>
internal static class CorpusReach
{
    private const OtlpRuntime OpenSsl = OtlpRuntime.OpenSsl;
    private const OtlpRuntime Curl = OtlpRuntime.Curl;
    private const OtlpRuntime GnuTls = OtlpRuntime.GnuTls;
    private const OtlpRuntime Python = OtlpRuntime.Python;
    private const OtlpRuntime Node = OtlpRuntime.Node;
    private const OtlpRuntime DotNet = OtlpRuntime.DotNet;

    private static readonly OtlpRuntime[] None = System.Array.Empty<OtlpRuntime>();
    private static readonly OtlpRuntime[] Every = { OpenSsl, Curl, GnuTls, Python, Node, DotNet };

    public static readonly IReadOnlyDictionary<string, OtlpRuntime[]> Table = new Dictionary<string, OtlpRuntime[]>
    {
        ["healthy"] = None,
        ["healthy-http"] = None,
        ["mtls-required"] = new[] { Curl, GnuTls, Python, Node, DotNet },
        ["mtls-required-with-client-cert"] = None,
        ["mtls-wrong-client-ca"] = new[] { Curl, GnuTls, Python, Node, DotNet },
        ["mtls-optional"] = None,
        ["self-signed"] = Every,
        ["private-ca"] = Every,
        ["missing-intermediate"] = Every,
        ["expired"] = Every,
        ["not-yet-valid"] = Every,
        ["expiring-soon"] = None,
        ["no-server-auth"] = Every,
        ["wrong-host"] = Every,
        ["cn-only"] = new[] { DotNet },
        ["tls12-only"] = None,
        ["tls13-only"] = None,
        ["tls13-only-client-tls12"] = Every,
        ["legacy-tls10"] = new[] { OpenSsl, Curl, Python, Node, DotNet },
        ["legacy-tls11"] = new[] { OpenSsl, Curl, Python, Node, DotNet },
        ["cipher-mismatch"] = Every,
        ["alert-handshake-failure"] = Every,
        ["no-alpn"] = new[] { DotNet },
        ["alpn-http11"] = new[] { DotNet },
        ["plaintext-http"] = Every,
        ["plaintext-h2c"] = Every,
        ["silent"] = new[] { Curl, Python },
        ["garbage"] = Every,
        ["reset"] = new[] { OpenSsl, Curl, GnuTls, DotNet },
        ["slow"] = new[] { Curl, Python },
        ["close-mid-handshake"] = new[] { OpenSsl, Curl, GnuTls, Python, Node, DotNet },
        ["grpc-unimplemented"] = new[] { DotNet },
        ["http-404"] = None,
        ["unauthenticated-grpc"] = new[] { DotNet },
        ["unauthenticated-http"] = new[] { DotNet },
        ["partial-success"] = None,
        ["rsa2048-intermediate"] = None,
        ["rsa4096-intermediate"] = None,
        ["rsa-chain"] = None,

        // Only .NET refuses here (it sends the client certificate without its intermediate); its message is a client
        // certificate refusal, while the scenario's finding is the disagreement between .NET and the other stacks.
        ["mtls-client-intermediate"] = None,

        // The server trusts the intermediate too, so the leaf alone (.NET) and the chain (everyone else) are both accepted.
        ["mtls-client-intermediate-trusted"] = None,

        // Hostile PKIs made by openssl (HostilePkiTests compares every verdict with openssl and SslStream). No runtime
        // says "malformed", and the keyUsage-only leaves and the 50-certificate chain are accepted by all but GnuTLS.
        ["hostile-root-pathlen0"] = Every,
        ["hostile-intermediate-pathlen0"] = Every,
        ["hostile-nc-permitted"] = Every,
        ["hostile-nc-excluded-dns"] = Every,
        ["hostile-nc-excluded-ip"] = Every,
        ["hostile-critical-extension"] = Every,
        ["hostile-sha1"] = new[] { OpenSsl, Curl, GnuTls, Python, Node },
        ["hostile-md5"] = new[] { OpenSsl, Curl, GnuTls, Python, Node },
        ["hostile-rsa1024"] = new[] { OpenSsl, Curl, Python },
        ["hostile-malformed-eku"] = None,
        ["hostile-malformed-basic-constraints"] = None,
        ["hostile-san-ip-5-bytes"] = None,
        ["hostile-ec-keyagreement-only"] = None,
        ["hostile-rsa-keyencipherment-only"] = None,
        ["hostile-chain-50"] = None,
    };
}
