using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace OtelTls.Lab.Tests;

/// <summary>
/// Every scenario, confirmed by clients that share no code with the lab: the machine's openssl s_client and curl, and
/// .NET's SslStream where bytes on the wire matter. A scenario that these clients cannot tell apart from healthy fails.
/// </summary>
public sealed class ScenarioProofTests
{
    private static readonly byte[] Http2Preface = Encoding.ASCII.GetBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

    private static readonly Dictionary<string, Func<LabScenario, Task>> Proofs = new()
    {
        ["healthy"] = async s =>
        {
            var r = await Verified(s, "-alpn", "h2", "-showcerts");
            Expect(r, "Verify return code: 0 (ok)", "ALPN protocol: h2");
            Assert.Equal(2, Tool.PemBlocks(r.Output).Count); // leaf + intermediate, root not sent
            var ids = new[] { OtlpRequests.NewTraceId(), OtlpRequests.NewTraceId() };
            var grpc = await Curl.GrpcAsync(s, OtlpRequests.Traces(new[] { ids[0], ids[0], ids[1] }));
            Assert.Equal("0", grpc.GrpcStatus);
            Assert.Equal(3, s.ReceivedSpanCount);
            Assert.Equal(ids.OrderBy(i => i), s.ReceivedTraceIds.OrderBy(i => i));
        },
        // openssl verifies the chain against the scenario's root and names each certificate's key ("a:PKEY: ...").
        ["rsa2048-intermediate"] = s => RsaChainProof(s, "a:PKEY: id-ecPublicKey, 256 (bit); sigalg: RSA-SHA256", "a:PKEY: rsaEncryption, 2048 (bit); sigalg: ecdsa-with-SHA256"),
        ["rsa4096-intermediate"] = s => RsaChainProof(s, "a:PKEY: id-ecPublicKey, 256 (bit); sigalg: RSA-SHA256", "a:PKEY: rsaEncryption, 4096 (bit); sigalg: ecdsa-with-SHA256"),
        ["rsa-chain"] = s => RsaChainProof(s, "a:PKEY: rsaEncryption, 2048 (bit); sigalg: RSA-SHA256", "a:PKEY: rsaEncryption, 2048 (bit); sigalg: RSA-SHA256"),
        ["healthy-http"] = async s =>
        {
            var id = OtlpRequests.NewTraceId();
            var http = await Curl.HttpAsync(s, OtlpRequests.Traces(new[] { id, id }));
            Assert.Equal("200", http.Status);
            Assert.Equal("2", http.Version);
            Assert.Equal(2, s.ReceivedSpanCount);
            Assert.Equal(new[] { id }, s.ReceivedTraceIds);
            Assert.Null(OtlpRequests.PartialSuccess(http.Body));
            var http11 = await Curl.HttpAsync(s, OtlpRequests.Traces(new[] { id }), "--http1.1");
            Assert.Equal("200", http11.Status);
            Assert.Equal("1.1", http11.Version);
        },
        ["mtls-required"] = async s =>
        {
            // TLS 1.3: the client's handshake completes; the server's verdict arrives on the first read.
            var r = await Verified(s, new[] { "-alpn", "h2", "-ign_eof" }, Http2Preface);
            Expect(r, "Acceptable client certificate CA names", "CN = OtelTls Lab Root CA", "alert number 116");
            ExpectAny(r, "certificate required");
            // TLS 1.2 has no certificate_required: the refusal is a handshake_failure inside the handshake.
            ExpectAny(await Verified(s, "-tls1_2"), "alert handshake failure");
        },
        ["mtls-required-with-client-cert"] = async s =>
        {
            var r = await Verified(s, "-alpn", "h2", "-cert", s.ClientCertificateFile, "-key", s.ClientKeyFile);
            Expect(r, "Verify return code: 0 (ok)", "ALPN protocol: h2");
            Refute(r, "alert");
            var http = await Curl.HttpAsync(s, OtlpRequests.Traces(new[] { OtlpRequests.NewTraceId() }), "--cert", s.ClientCertificateFile, "--key", s.ClientKeyFile);
            Assert.Equal("200", http.Status);
            var refused = await Curl.HttpAsync(s, OtlpRequests.Traces(new[] { OtlpRequests.NewTraceId() }));
            Assert.Equal("000", refused.Status);
            Assert.Contains("certificate required", refused.Raw.Output);
            Assert.Equal(1, s.ReceivedSpanCount);
        },
        ["mtls-wrong-client-ca"] = async s =>
        {
            var r = await Verified(s, new[] { "-alpn", "h2", "-ign_eof", "-cert", s.ClientCertificateFile, "-key", s.ClientKeyFile }, Http2Preface);
            Expect(r, "Acceptable client certificate CA names", "CN = OtelTls Lab Root CA");
            ExpectAny(r, "alert unknown ca", "alert bad certificate", "alert certificate unknown", "alert handshake failure");
            var subject = await Tool.RunAsync("openssl", new[] { "x509", "-noout", "-issuer", "-in", s.ClientCertificateFile });
            Expect(subject, "OtelTls Lab Other CA");
        },
        ["mtls-client-intermediate"] = async s =>
        {
            // curl (OpenSSL) sends the intermediate that follows the leaf in client.crt: accepted.
            var http = await Curl.HttpAsync(s, OtlpRequests.Traces(new[] { OtlpRequests.NewTraceId() }), "--cert", s.ClientCertificateFile, "--key", s.ClientKeyFile);
            Assert.Equal("200", http.Status);
            // s_client -cert sends the leaf alone (as .NET does): refused, since the server trusts only the root.
            var leafOnly = await Verified(s, new[] { "-alpn", "h2", "-ign_eof", "-cert", s.ClientCertificateFile, "-key", s.ClientKeyFile }, Http2Preface);
            ExpectAny(leafOnly, "alert unknown ca", "alert bad certificate", "alert certificate unknown", "alert handshake failure");
            Expect(await Tool.RunAsync("openssl", new[] { "x509", "-noout", "-issuer", "-in", s.ClientCertificateFile }), "OtelTls Lab Intermediate CA");
            Assert.Equal(2, Tool.PemBlocks(File.ReadAllText(s.ClientCertificateFile)).Count);
        },
        ["mtls-client-intermediate-trusted"] = async s =>
        {
            // curl (OpenSSL) sends the intermediate that follows the leaf in client.crt: accepted.
            var http = await Curl.HttpAsync(s, OtlpRequests.Traces(new[] { OtlpRequests.NewTraceId() }), "--cert", s.ClientCertificateFile, "--key", s.ClientKeyFile);
            Assert.Equal("200", http.Status);
            // The leaf alone (what .NET sends): accepted too, since the server trusts the intermediate.
            var leaf = Path.Combine(s.Directory, "client-leaf.crt");
            File.WriteAllText(leaf, Tool.PemBlocks(File.ReadAllText(s.ClientCertificateFile))[0]);
            var leafOnly = await Curl.HttpAsync(s, OtlpRequests.Traces(new[] { OtlpRequests.NewTraceId() }), "--cert", leaf, "--key", s.ClientKeyFile);
            Assert.Equal("200", leafOnly.Status);
            var refused = await Curl.HttpAsync(s, OtlpRequests.Traces(new[] { OtlpRequests.NewTraceId() }));
            Assert.Equal("000", refused.Status);
            Expect(await Tool.RunAsync("openssl", new[] { "x509", "-noout", "-issuer", "-in", s.ClientCertificateFile }), "OtelTls Lab Intermediate CA");
            Assert.Equal(2, Tool.PemBlocks(File.ReadAllText(s.ClientCertificateFile)).Count);
        },
        ["mtls-optional"] = async s =>
        {
            var r = await Verified(s, "-alpn", "h2");
            Expect(r, "Acceptable client certificate CA names", "CN = OtelTls Lab Root CA", "Verify return code: 0 (ok)");
            var http = await Curl.HttpAsync(s, OtlpRequests.Traces(new[] { OtlpRequests.NewTraceId() }));
            Assert.Equal("200", http.Status);
        },
        ["self-signed"] = async s =>
        {
            var r = await SClient(s, "-showcerts");
            Expect(r, "Verify return code: 18 (self-signed certificate)");
            Assert.Single(Tool.PemBlocks(r.Output));
        },
        ["private-ca"] = async s =>
        {
            var r = await SClient(s, "-verify_return_error");
            Expect(r, "unable to get local issuer certificate");
            var trusted = await Verified(s);
            Expect(trusted, "Verify return code: 0 (ok)");
        },
        ["missing-intermediate"] = async s =>
        {
            var r = await SClient(s, "-CAfile", s.CaFile, "-showcerts");
            Expect(r, "verify error:num=20:unable to get local issuer certificate", "Verify return code: 21 (unable to verify the first certificate)");
            Assert.Single(Tool.PemBlocks(r.Output));
            // With the intermediate supplied by the client the same chain verifies: only the intermediate is missing.
            var leaf = Path.Combine(s.Directory, "proof-leaf.pem");
            File.WriteAllText(leaf, Tool.PemBlocks(r.Output)[0]);
            Expect(await Tool.RunAsync("openssl", new[] { "verify", "-CAfile", s.CaFile, "-untrusted", s.IntermediateCaFile, leaf }), ": OK");
        },
        ["expired"] = async s => Expect(await Verified(s), "Verify return code: 10 (certificate has expired)"),
        ["not-yet-valid"] = async s => Expect(await Verified(s), "Verify return code: 9 (certificate is not yet valid)"),
        ["expiring-soon"] = async s =>
        {
            var r = await Verified(s);
            Expect(r, "Verify return code: 0 (ok)");
            var leaf = Path.Combine(s.Directory, "proof-leaf.pem");
            File.WriteAllText(leaf, Tool.PemBlocks(r.Output)[0]);
            Expect(await Tool.RunAsync("openssl", new[] { "x509", "-noout", "-in", leaf, "-checkend", (30 * 86400).ToString() }), "Certificate will expire");
            Expect(await Tool.RunAsync("openssl", new[] { "x509", "-noout", "-in", leaf, "-checkend", (3 * 86400).ToString() }), "Certificate will not expire");
        },
        ["no-server-auth"] = async s => Expect(await Verified(s), "Verify return code: 26 (unsuitable certificate purpose)"),

        // Hostile PKIs (openssl-made): openssl's own verdict on what the lab serves.
        ["hostile-root-pathlen0"] = async s => Expect(await Verified(s), "Verify return code: 25 (path length constraint exceeded)"),
        ["hostile-intermediate-pathlen0"] = async s => Expect(await Verified(s), "Verify return code: 25 (path length constraint exceeded)"),
        ["hostile-nc-permitted"] = async s => Expect(await Verified(s), "Verify return code: 47 (permitted subtree violation)"),
        ["hostile-nc-excluded-dns"] = async s => Expect(await Verified(s), "Verify return code: 48 (excluded subtree violation)"),
        ["hostile-nc-excluded-ip"] = async s => Expect(await Verified(s), "Verify return code: 48 (excluded subtree violation)"),
        ["hostile-critical-extension"] = async s => Expect(await Verified(s), "Verify return code: 34 (unhandled critical extension)"),
        ["hostile-sha1"] = async s => Expect(await Verified(s), "Verify return code: 68 (CA signature digest algorithm too weak)"),
        ["hostile-md5"] = async s => Expect(await Verified(s), "Verify return code: 68 (CA signature digest algorithm too weak)"),
        ["hostile-rsa1024"] = async s => Expect(await Verified(s), "Verify return code: 66 (EE certificate key too weak)"),
        ["hostile-ec-keyagreement-only"] = async s => Expect(await Verified(s), "New, TLSv1.3, Cipher is", "Verify return code: 0 (ok)"),
        ["hostile-rsa-keyencipherment-only"] = async s =>
        {
            Expect(await Verified(s), "New, TLSv1.3, Cipher is", "Verify return code: 0 (ok)");
            Expect(await Verified(s, "-tls1_2"), "New, TLSv1.2, Cipher is ECDHE-RSA", "Verify return code: 0 (ok)");
        },
        ["hostile-chain-50"] = async s => Expect(await Verified(s), "Verify return code: 0 (ok)"),
        ["hostile-san-ip-5-bytes"] = async s =>
        {
            // OpenSSL skips the 5-byte address: the IP does not match, the DNS name still does (Go refuses to parse it at all).
            Expect(await Verified(s), "Verify return code: 64 (IP address mismatch)");
            Expect(await SClient(s, "-CAfile", s.CaFile, "-verify_hostname", "localhost"), "Verify return code: 0 (ok)");
        },
        ["hostile-malformed-eku"] = async s => Refused(await Verified(s)),
        ["hostile-malformed-basic-constraints"] = async s => Refused(await Verified(s)),
        ["wrong-host"] = async s =>
        {
            Expect(await SClient(s, "-CAfile", s.CaFile, "-verify_ip", "127.0.0.1"), "Verify return code: 64 (IP address mismatch)");
            Expect(await SClient(s, "-CAfile", s.CaFile, "-verify_hostname", "localhost"), "Verify return code: 62 (hostname mismatch)");
            Expect(await SClient(s, "-CAfile", s.CaFile, "-verify_hostname", "otel-collector.example.net"), "Verify return code: 0 (ok)");
        },
        ["cn-only"] = async s =>
        {
            var r = await SClient(s, "-CAfile", s.CaFile, "-verify_ip", "127.0.0.1");
            Expect(r, "Verify return code: 64 (IP address mismatch)");
            var leaf = Path.Combine(s.Directory, "proof-leaf.pem");
            File.WriteAllText(leaf, Tool.PemBlocks(r.Output)[0]);
            var text = await Tool.RunAsync("openssl", new[] { "x509", "-noout", "-text", "-in", leaf });
            Expect(text, "Subject: CN = localhost");
            Refute(text, "Subject Alternative Name");
        },
        ["tls12-only"] = async s =>
        {
            Expect(await Verified(s), "New, TLSv1.2, Cipher is", "Verify return code: 0 (ok)");
            ExpectAny(await Verified(s, "-tls1_3"), "alert protocol version", "unsupported protocol");
        },
        ["tls13-only"] = async s =>
        {
            Expect(await Verified(s), "New, TLSv1.3, Cipher is", "Verify return code: 0 (ok)");
            ExpectAny(await Verified(s, "-tls1_2"), "alert protocol version");
        },
        ["tls13-only-client-tls12"] = async s =>
        {
            ExpectAny(await Verified(s, "-tls1_2"), "alert protocol version");
            Expect(await Verified(s, "-tls1_3"), "New, TLSv1.3, Cipher is");
        },
        ["legacy-tls10"] = s => LegacyProof(s, "-tls1", "TLSv1"),
        ["legacy-tls11"] = s => LegacyProof(s, "-tls1_1", "TLSv1.1"),
        ["cipher-mismatch"] = async s =>
        {
            ExpectAny(await Verified(s, "-tls1_2"), "alert handshake failure");
            var offered = await Verified(s, "-tls1_2", "-cipher", "ECDHE-RSA-CAMELLIA128-SHA256");
            Expect(offered, "Cipher is ECDHE-RSA-CAMELLIA128-SHA256", "Verify return code: 0 (ok)");
        },
        ["alert-handshake-failure"] = async s =>
        {
            ExpectAny(await Verified(s), "alert handshake failure");
            // Unlike cipher-mismatch, no offer satisfies it.
            ExpectAny(await Verified(s, "-tls1_2", "-cipher", "ECDHE-RSA-CAMELLIA128-SHA256"), "alert handshake failure");
            ExpectAny(await Verified(s, "-tls1_3"), "alert handshake failure");
        },
        ["no-alpn"] = async s =>
        {
            Expect(await Verified(s, "-alpn", "h2,http/1.1"), "No ALPN negotiated", "Verify return code: 0 (ok)");
            var http = await Curl.HttpAsync(s, OtlpRequests.Traces(new[] { OtlpRequests.NewTraceId() }), "--http2");
            Assert.Equal("1.1", http.Version);
        },
        ["alpn-http11"] = async s =>
        {
            Expect(await Verified(s, "-alpn", "h2,http/1.1"), "ALPN protocol: http/1.1");
            var http = await Curl.HttpAsync(s, OtlpRequests.Traces(new[] { OtlpRequests.NewTraceId() }), "--http2");
            Assert.Equal("1.1", http.Version);
            Assert.Equal("200", http.Status);
        },
        ["plaintext-http"] = async s =>
        {
            ExpectAny(await Verified(s), "wrong version number", "packet length too long", "http request");
            var http = await Curl.HttpAsync(s, OtlpRequests.Traces(new[] { OtlpRequests.NewTraceId() }), "--http1.1", tls: false);
            Assert.Equal("200", http.Status);
            Assert.Equal("1.1", http.Version);
            var first = await SslStreamBytes(s, TimeSpan.FromSeconds(5));
            Assert.StartsWith("HTTP/1.1 400", Encoding.ASCII.GetString(first));
        },
        ["plaintext-h2c"] = async s =>
        {
            ExpectAny(await Verified(s), "wrong version number", "packet length too long");
            var http = await Curl.HttpAsync(s, OtlpRequests.Traces(new[] { OtlpRequests.NewTraceId() }), "--http2-prior-knowledge", tls: false);
            Assert.Equal("200", http.Status);
            Assert.Equal("2", http.Version);
            // A TLS client's ClientHello is answered with an HTTP/2 frame: Kestrel sends GOAWAY (type 7); Go's h2c sends SETTINGS (type 4).
            var bytes = await SslStreamBytes(s, TimeSpan.FromSeconds(5));
            Assert.True(bytes.Length >= 9 && bytes[0] == 0 && bytes[3] is 0x04 or 0x07, Convert.ToHexString(bytes));
        },
        ["silent"] = async s =>
        {
            var r = await SClient(s, new[] { "-CAfile", s.CaFile }, timeout: TimeSpan.FromSeconds(3));
            Assert.True(r.TimedOut, r.ToString());
            Assert.DoesNotContain("Certificate chain", r.Output);
            Assert.Empty(await SslStreamBytes(s, TimeSpan.FromSeconds(2)));
        },
        ["garbage"] = async s =>
        {
            ExpectAny(await Verified(s), "wrong version number", "packet length too long");
            var first = await RawFirstBytes(s, Encoding.ASCII.GetBytes("\u0016\u0003\u0001\u0000\u0005hello"));
            Assert.Equal(64, first.Length);
            Assert.Equal(0x7F, first[0]);
        },
        ["reset"] = async s => ExpectAny(await Verified(s), "errno=104", "Connection reset by peer"),
        ["slow"] = async s =>
        {
            var r = await SClient(s, new[] { "-CAfile", s.CaFile }, timeout: TimeSpan.FromSeconds(3));
            Assert.True(r.TimedOut, r.ToString());
            var bytes = await SslStreamBytes(s, TimeSpan.FromSeconds(2));
            // A real TLS record is arriving, just too slowly: between a few bytes and far less than a ServerHello flight.
            Assert.InRange(bytes.Length, 5, 40);
            Assert.Equal(new byte[] { 0x16, 0x03, 0x03 }, bytes[..3]);
        },
        ["close-mid-handshake"] = async s =>
        {
            ExpectAny(await Verified(s), "unexpected eof while reading", "unexpected EOF");
            var bytes = await SslStreamBytes(s, TimeSpan.FromSeconds(5));
            Assert.Equal(40, bytes.Length);
            Assert.Equal(new byte[] { 0x16, 0x03, 0x03 }, bytes[..3]);
        },
        ["grpc-unimplemented"] = async s =>
        {
            Expect(await Verified(s, "-alpn", "h2"), "ALPN protocol: h2", "Verify return code: 0 (ok)");
            var grpc = await Curl.GrpcAsync(s, OtlpRequests.Traces(new[] { OtlpRequests.NewTraceId() }));
            Assert.Equal("12", grpc.GrpcStatus);
            Assert.Equal("404", (await Curl.HttpAsync(s, OtlpRequests.Traces(new[] { OtlpRequests.NewTraceId() }))).Status);
            Assert.Equal(0, s.ReceivedSpanCount);
        },
        ["http-404"] = async s =>
        {
            Assert.Equal("404", (await Curl.HttpAsync(s, OtlpRequests.Traces(new[] { OtlpRequests.NewTraceId() }))).Status);
            Assert.Equal("0", (await Curl.GrpcAsync(s, OtlpRequests.Traces(new[] { OtlpRequests.NewTraceId() }))).GrpcStatus);
        },
        ["unauthenticated-grpc"] = async s =>
        {
            var body = OtlpRequests.Traces(new[] { OtlpRequests.NewTraceId() });
            Assert.Equal("16", (await Curl.GrpcAsync(s, body)).GrpcStatus);
            Assert.Equal(0, s.ReceivedSpanCount);
            Assert.Equal("0", (await Curl.GrpcAsync(s, body, "-H", $"{s.RequiredHeaderName}: {s.RequiredHeaderValue}")).GrpcStatus);
            Assert.Equal(1, s.ReceivedSpanCount);
        },
        ["unauthenticated-http"] = async s =>
        {
            var body = OtlpRequests.Traces(new[] { OtlpRequests.NewTraceId() });
            Assert.Equal("401", (await Curl.HttpAsync(s, body)).Status);
            Assert.Equal("200", (await Curl.HttpAsync(s, body, "-H", $"{s.RequiredHeaderName}: {s.RequiredHeaderValue}")).Status);
            Assert.Equal(1, s.ReceivedSpanCount);
        },
        ["partial-success"] = async s =>
        {
            var ids = new[] { OtlpRequests.NewTraceId(), OtlpRequests.NewTraceId(), OtlpRequests.NewTraceId() };
            var grpc = await Curl.GrpcAsync(s, OtlpRequests.Traces(ids));
            Assert.Equal("0", grpc.GrpcStatus);
            var partial = OtlpRequests.PartialSuccess(grpc.Message);
            Assert.NotNull(partial);
            Assert.Equal(3, partial!.Value.Rejected);
            Assert.False(string.IsNullOrEmpty(partial.Value.Message));
            var http = await Curl.HttpAsync(s, OtlpRequests.Traces(ids[..1]));
            Assert.Equal("200", http.Status);
            Assert.Equal(1, OtlpRequests.PartialSuccess(http.Body)!.Value.Rejected);
            Assert.Equal(4, s.RejectedItemCount);
        },
    };

    public static TheoryData<string> ScenarioNames()
    {
        var data = new TheoryData<string>();
        foreach (var info in LabScenario.All)
        {
            data.Add(info.Name);
        }

        return data;
    }

    [Fact]
    public void EveryScenarioHasAnIndependentProof()
    {
        var names = LabScenario.All.Select(i => i.Name).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.Empty(names.Except(Proofs.Keys));
        Assert.Empty(Proofs.Keys.Except(names));
    }

    [Fact]
    public void CatalogIsConsistentWithTheFindingIds()
    {
        var ids = typeof(OtlpFindingId).GetFields().Select(f => (string)f.GetValue(null)!).ToHashSet();
        foreach (var info in LabScenario.All)
        {
            Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)*$", info.Name);
            Assert.False(string.IsNullOrWhiteSpace(info.Description));
            Assert.Contains(info.Client.Protocol, new[] { "grpc", "http/protobuf" });
            if (info.ExpectedFindingId is null)
            {
                Assert.NotEqual(OtlpStatus.Failed, info.ExpectedStatus);
            }
            else
            {
                Assert.Contains(info.ExpectedFindingId, ids);
                Assert.NotEqual(OtlpStatus.Healthy, info.ExpectedStatus);
            }
        }
    }

    [Theory]
    [MemberData(nameof(ScenarioNames))]
    public async Task ScenarioIsConfirmedByAnIndependentClient(string name)
    {
        Assert.True(Proofs.ContainsKey(name), $"Scenario '{name}' has no independent proof.");
        await using var scenario = await LabScenario.StartAsync(name);
        Assert.Equal(name, scenario.Info.Name);
        await Proofs[name](scenario);
    }

    private static async Task RsaChainProof(LabScenario s, string leafKey, string intermediateKey)
    {
        var r = await Verified(s, "-alpn", "h2", "-showcerts");
        Expect(r, "Verify return code: 0 (ok)", "ALPN protocol: h2", " 0 s:CN = localhost", leafKey, intermediateKey);
        Assert.Equal(2, Tool.PemBlocks(r.Output).Count);
        var grpc = await Curl.GrpcAsync(s, OtlpRequests.Traces(new[] { OtlpRequests.NewTraceId() }));
        Assert.Equal("0", grpc.GrpcStatus);
    }

    private static async Task LegacyProof(LabScenario s, string versionFlag, string protocolName)
    {
        // A client limited to TLS 1.2 or 1.3 (every current SDK) gets protocol_version; only a legacy offer gets through.
        ExpectAny(await Verified(s, "-tls1_2"), "unsupported protocol", "alert protocol version");
        ExpectAny(await Verified(s, "-tls1_3"), "unsupported protocol", "alert protocol version");
        var legacy = await Verified(s, versionFlag, "-cipher", "DEFAULT:@SECLEVEL=0");
        Expect(legacy, $"Protocol  : {protocolName}\n", "Cipher is ECDHE-RSA-AES", "Verify return code: 0 (ok)");
    }

    private static Task<ToolResult> SClient(LabScenario s, params string[] arguments) => SClient(s, arguments, null);

    private static Task<ToolResult> SClient(LabScenario s, string[] arguments, byte[]? stdin = null, TimeSpan? timeout = null) =>
        Tool.SClientAsync(s, new[] { "-servername", "localhost" }.Concat(arguments), stdin, timeout);

    // The usual client: trusts the lab root, checks the IP it connects to.
    private static Task<ToolResult> Verified(LabScenario s, params string[] arguments) => Verified(s, arguments, null);

    private static Task<ToolResult> Verified(LabScenario s, string[] arguments, byte[]? stdin) =>
        SClient(s, new[] { "-CAfile", s.CaFile, "-verify_ip", "127.0.0.1" }.Concat(arguments).ToArray(), stdin);

    private static void Expect(ToolResult result, params string[] texts)
    {
        Assert.False(result.TimedOut, result.ToString());
        foreach (var text in texts)
        {
            Assert.True(result.Output.Contains(text, StringComparison.Ordinal), $"Expected '{text}' in {result}");
        }
    }

    private static void Refused(ToolResult result)
    {
        Assert.False(result.TimedOut, result.ToString());
        Assert.DoesNotContain("Verify return code: 0 (ok)", result.Output, StringComparison.Ordinal);
        Assert.True(result.Output.Contains("Verify return code:", StringComparison.Ordinal) || result.Output.Contains("error", StringComparison.OrdinalIgnoreCase), result.ToString());
    }

    private static void ExpectAny(ToolResult result, params string[] texts)
    {
        Assert.False(result.TimedOut, result.ToString());
        Assert.True(texts.Any(t => result.Output.Contains(t, StringComparison.Ordinal)), $"Expected one of '{string.Join("', '", texts)}' in {result}");
    }

    private static void Refute(ToolResult result, string text) =>
        Assert.False(result.Output.Contains(text, StringComparison.OrdinalIgnoreCase), $"Did not expect '{text}' in {result}");

    // What a plain TCP client receives after sending some bytes (bounded): the server's first answer, up to EOF.
    private static async Task<byte[]> RawFirstBytes(LabScenario s, byte[] send)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        using var client = new TcpClient();
        await client.ConnectAsync(s.Host, s.Port, timeout.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(send, timeout.Token);
        var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                received.Write(buffer, 0, read);
                if (received.Length >= 12 && received.ToArray()[0] == (byte)'H')
                {
                    break; // an HTTP server keeps the connection open; the status line is enough
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
        }

        return received.ToArray();
    }

    // The bytes SslStream (an independent TLS client) receives while trying to handshake within the window.
    private static async Task<byte[]> SslStreamBytes(LabScenario s, TimeSpan window)
    {
        using var timeout = new CancellationTokenSource(window);
        using var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(s.Host, s.Port, timeout.Token);
        var recording = new RecordingStream(client.GetStream());
        using var ssl = new SslStream(recording, leaveInnerStreamOpen: true, (_, _, _, _) => true);
        try
        {
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" }, timeout.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or System.Security.Authentication.AuthenticationException)
        {
        }

        return recording.Received;
    }

    private sealed class RecordingStream : Stream
    {
        private readonly Stream inner;
        private readonly MemoryStream received = new();

        public RecordingStream(Stream inner) => this.inner = inner;

        public byte[] Received
        {
            get
            {
                lock (received)
                {
                    return received.ToArray();
                }
            }
        }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Record(buffer, offset, inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            lock (received)
            {
                received.Write(buffer.Span[..read]);
            }

            return read;
        }

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);

        public override void Flush() => inner.Flush();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        private int Record(byte[] buffer, int offset, int read)
        {
            lock (received)
            {
                received.Write(buffer, offset, read);
            }

            return read;
        }
    }
}
