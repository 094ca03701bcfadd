using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using OtelTls.Engine.Explain;

namespace OtelTls.Engine.Tests;

/// <summary>
/// The literal pre-check in front of the recogniser's regular expressions (<see cref="GuardedRegex"/>): the words it reads
/// from each pattern must be words the pattern cannot match without, so that skipping the regex on a line without them never
/// changes an answer. A pattern edited so that it matches without its words fails here, not silently in a user's log.
/// </summary>
public class GuardedRegexTests
{
    private const RegexOptions AnyCase = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;

    /// <summary>Real messages beyond the rules' own examples: multi-line errors, facts, runtime markers, secrets.</summary>
    private static readonly string[] MoreLines =
    {
        "2026-11-29T10:00:01Z error exporterhelper/queue_sender.go:92 Exporting failed. {\"error\": \"rpc error: code = Unavailable desc = connection error: desc = \\\"transport: authentication handshake failed: tls: failed to verify certificate: x509: certificate signed by unknown authority\\\"\"}",
        "[otel.javaagent 2026-11-29 10:00:02:123 +0000] [OkHttp https://collector:4318/...] ERROR io.opentelemetry.exporter.internal.http.HttpExporter - Failed to export spans. javax.net.ssl.SSLPeerUnverifiedException: Hostname collector not verified:",
        "fail: OpenTelemetry.Exporter.OpenTelemetryProtocol[0] Exporter failed send data to collector to https://collector:4317/ endpoint. Data will not be sent. Exception: System.Net.Http.HttpRequestException: The SSL connection could not be established, see inner exception. ---> System.Security.Authentication.AuthenticationException: The remote certificate is invalid because of errors in the certificate chain: NotTimeValid",
        "{\"stack\":\"Error: 14 UNAVAILABLE: No connection established. Last error: Error: self-signed certificate in certificate chain\",\"message\":\"14 UNAVAILABLE: No connection established.\",\"name\":\"Error\"}",
        "WARNING:opentelemetry.exporter.otlp.proto.http.trace_exporter:Transient error HTTPSConnectionPool(host='collector', port=4318): Max retries exceeded with url: /v1/traces (Caused by SSLError(SSLError(1, '[SSL: TLSV13_ALERT_CERTIFICATE_REQUIRED] tlsv13 alert certificate required (_ssl.c:2580)')))",
        "rpc error: code = Unavailable desc = connection error: desc = \"transport: authentication handshake failed: tls: failed to verify certificate: x509: certificate is valid for otel-collector, otel-collector.observability.svc, not collector.example.com\"",
        "Post \"https://collector.internal:4318/v1/traces\": remote error: tls: certificate required",
        "depth=0 CN = localhost",
        "verify error:num=20:unable to get local issuer certificate",
        "Verify return code: 21 (unable to verify the first certificate)",
        "Error: write EPROTO 80FCEEF1C57F0000:error:0A00045C:SSL routines:ssl3_read_bytes:tlsv13 alert certificate required:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:1601:SSL alert number 116",
        "    at WriteWrap.onWriteComplete [as oncomplete] (node:internal/stream_base_commons:94:16) {",
        "  reason: 'tlsv13 alert certificate required',",
        "  code: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED'",
        "Error: connect ECONNREFUSED 127.0.0.1:4317",
        "javax.net.ssl.SSLHandshakeException: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target",
        "javax.net.ssl.SSLHandshakeException: Received fatal alert: bad_certificate",
        "System.Net.Http.HttpRequestException: The SSL connection could not be established, see inner exception.",
        " ---> System.Security.Authentication.AuthenticationException: The remote certificate is invalid because of errors in the certificate chain: PartialChain",
        " ---> Interop+Crypto+OpenSslCryptographicException: error:0A000418:SSL routines::tlsv1 alert unknown ca",
        "System.IO.IOException: Received an unexpected EOF or 0 bytes from the transport stream.",
        "failed to export: dial tcp 10.0.0.5:4317: connect: connection refused",
        "Post \"https://user:s3cr%2Ft@collector:4318/v1/traces?api_key=abc123\": x509: certificate signed by unknown authority authorization: Bearer tok-999",
        "https://collector:4318/v1/traces?token=abc&sig=def x-api-key: 'k-1' api-key=\"k-2\"",
        "E1129 10:00:00.000 ssl_transport_security.cc:1519] Handshake failed with fatal error SSL_ERROR_SSL: error:1000007d:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED.",
        "failed to connect to all addresses; last error: UNKNOWN: ipv4:127.0.0.1:4317: Ssl handshake failed: SSL_ERROR_SSL",
        "Peer name collector is not in peer certificate",
        "*** Fatal error: Error in the pull function.",
        "*** Received alert [70]: Protocol version is not supported",
        "- Status: The certificate is NOT trusted. The certificate issuer is unknown.",
        "curl: (35) OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to 127.0.0.1:4317",
        "curl: (7) Failed to connect to 127.0.0.1 port 4317 after 0 ms: Couldn't connect to server",
        "* Connected to collector (10.0.0.5) port 4317 (#0)",
        "urllib3.exceptions.MaxRetryError: HTTPSConnectionPool(host='collector', port=4318): Max retries exceeded (Caused by SSLError(SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate (_ssl.c:1006)')))",
        "80AB1E2C3D7F0000:error:0A000086:SSL routines:tls_post_process_server_certificate:certificate verify failed:ssl/statem/statem_clnt.c:1889:",
        "write:errno=104",
        "Caused by: java.security.cert.CertificateException: No subject alternative DNS name matching localhost found.",
        "TLS alert: 'UnknownCA'",
        "http: TLS handshake error from 127.0.0.1:51234: remote error: tls: bad certificate",
        "read tcp 10.0.0.2:51234->10.0.0.5:4317: read: connection reset by peer",
        "Error: Hostname/IP does not match certificate's altnames: Host: localhost. is not in the cert's altnames: DNS:collector",
    };

    /// <summary>Every rule's and wrapper's example, the lines above, ordinary lines, and each in upper and lower case.</summary>
    private static IEnumerable<string> Corpus()
    {
        var lines = TlsErrorRules.All.Select(r => r.Example)
            .Concat(TlsErrorRules.Wrappers.Select(r => r.Example))
            .Concat(MoreLines)
            .Concat(Enumerable.Range(0, 10).Select(TlsErrorExplainerTests.OrdinaryLine))
            .ToList();
        return lines.Concat(lines.Select(l => l.ToUpperInvariant())).Concat(lines.Select(l => l.ToLowerInvariant())).Distinct();
    }

    /// <summary>
    /// For every pattern the recogniser guards and every corpus line it matches: the pre-check lets the line through, and
    /// every line one character away that the pattern matches; and once every occurrence of every pre-check word is broken (a control character put inside it) the pattern no longer
    /// matches. Were a word not required, the pattern would go on matching a line the pre-check now turns away.
    /// </summary>
    [Fact]
    public void EveryPreCheckWordIsRequiredByItsPattern()
    {
        var corpus = Corpus().ToList();
        var checkedPairs = 0;
        var unmatched = new List<string>();
        foreach (var (name, pattern) in TlsErrorExplainer.GuardedPatterns)
        {
            var matched = 0;
            foreach (var line in corpus.Where(l => pattern.Regex.IsMatch(l)))
            {
                matched++;
                Assert.True(pattern.IsMatch(line), $"{name}: the pre-check turned away a line the pattern matches: {line}");

                // Its neighbours (one character left out, or doubled) reach what an optional or repeated part allows:
                // "http://" for "https?://", "abbc" for "ab+c".
                for (var i = 0; i < line.Length; i++)
                {
                    foreach (var near in new[] { line.Remove(i, 1), line.Insert(i, line[i].ToString()) })
                    {
                        Assert.True(!pattern.Regex.IsMatch(near) || pattern.IsMatch(near), $"{name}: the pre-check turned away a line the pattern matches: {near}");
                    }
                }

                if (pattern.Required is not { } required)
                {
                    continue;
                }

                var broken = BreakWords(line, required);
                var comparison = required.IgnoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
                Assert.DoesNotContain(required.Words, w => broken.IndexOf(w, comparison) >= 0);
                Assert.False(pattern.Regex.IsMatch(broken), $"{name} matches without any of its pre-check words ({string.Join(" | ", required.Words)}): {broken}");
                checkedPairs++;
            }

            if (matched == 0)
            {
                unmatched.Add(name);
            }
        }

        // Each rule and wrapper is reached by its own example; the corpus above reaches the markers and the facts.
        Assert.DoesNotContain(unmatched, n => n.StartsWith("rule ", StringComparison.Ordinal) || n.StartsWith("wrapper ", StringComparison.Ordinal) || n.StartsWith("marker ", StringComparison.Ordinal));
        Assert.True(unmatched.Count <= 3, "patterns no corpus line reaches: " + string.Join(", ", unmatched));
        Assert.True(checkedPairs > 300, $"only {checkedPairs} (pattern, line) pairs were checked");
    }

    /// <summary>
    /// Random lines made of the pre-check words, near misses, other cases and characters beyond ASCII: the one-pass word
    /// search answers as a substring search per word, and the guarded pattern as the bare regex, for every pattern.
    /// </summary>
    [Fact]
    public void AGuardedPatternAnswersAsItsRegex()
    {
        var patterns = TlsErrorExplainer.GuardedPatterns.ToList();
        var words = patterns.SelectMany(p => p.Pattern.Required?.Words ?? Array.Empty<string>()).Distinct().ToArray();
        var pieces = words.Concat(words.Select(w => w.ToUpperInvariant())).Concat(words.Select(w => w.Substring(0, w.Length - 1)))
            .Concat(new[] { "\u212Aey=", "K\u0130", "\u00e9", "\u2713", " ", ":", "=", "(", "4317", "https://", "@" })
            .ToArray();
        var random = new Random(2026);
        for (var n = 0; n < 1500; n++)
        {
            var line = new StringBuilder();
            var length = random.Next(0, 160);
            while (line.Length < length)
            {
                line.Append(random.Next(3) == 0 ? pieces[random.Next(pieces.Length)] : ((char)random.Next(' ', '~' + 1)).ToString());
            }

            var text = line.ToString();
            foreach (var (name, pattern) in patterns)
            {
                if (pattern.Required is { } required)
                {
                    Assert.True(MayMatchBySearch(required, text) == required.MayMatch(text), $"{name}: the one-pass search and the substring search differ on: {text}");
                }

                Assert.True(pattern.Regex.IsMatch(text) == pattern.IsMatch(text), $"{name}: guarded and bare answers differ on: {text}");
            }
        }
    }

    [Theory]
    [InlineData(@"x509: certificate signed by unknown authority", "x509: certificate signed by unknown authority")]
    [InlineData(@"(?:token|api[_-]?key)=", "token=|key=")]
    [InlineData(@"\bcurl: \((35|56|60)\)", "curl: (35)|curl: (56)|curl: (60)")]
    [InlineData(@"https?://(?<h>[\w.-]+)", "http")]
    [InlineData(@"ab*cdef", "cdef")]
    [InlineData(@"(abc)?defg", "defg")]
    [InlineData(@"(?<=://)[^/\s@]+(?=@)", "://")]
    [InlineData(@"foo(?!bar)bazz", "bazz")]
    [InlineData(@"unsupported protocol(?! scheme)|no protocols", "unsupported protocol|no protocols")]
    [InlineData(@"num=6[24]\b|mismatch", "num=6|mismatch")]
    [InlineData(@"abc|d", null)]
    [InlineData(@"abc|", null)]
    [InlineData(@"(?i)abcd", null)]
    [InlineData(@"\p{L}abcd", null)]
    [InlineData(@"[a-z]+", null)]
    public void WordsAreReadFromThePattern(string pattern, string? expected)
    {
        var required = RequiredWords.Of(pattern, AnyCase);
        Assert.Equal(expected, required is null ? null : string.Join("|", required.Words));
    }

    /// <summary>
    /// Beyond ASCII the regex's case rules are wider than an ordinal comparison (the Kelvin sign is a "k"): a line with such
    /// a character always goes to the regex.
    /// </summary>
    [Fact]
    public void ALineBeyondAsciiAlwaysReachesTheRegex()
    {
        var key = new GuardedRegex("secret=key", AnyCase);
        Assert.Matches(key.Regex, "SECRET=\u212AEY");
        Assert.True(key.IsMatch("SECRET=\u212AEY"));
        Assert.False(key.IsMatch("SECRET=KEX"));
        Assert.Equal(Match.Empty, key.Match("nothing here"));
        Assert.Equal("nothing here", key.Replace("nothing here", "***"));
        Assert.Equal("***", key.Replace("Secret=Key", "***"));
    }

    /// <summary>Puts a control character after the first character of every occurrence of every word, until none is left.</summary>
    private static string BreakWords(string line, RequiredWords required)
    {
        var comparison = required.IgnoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        var text = line;
        foreach (var word in required.Words)
        {
            for (var at = text.IndexOf(word, comparison); at >= 0; at = text.IndexOf(word, comparison))
            {
                text = text.Insert(at + 1, "\u0001");
            }
        }

        return text;
    }

    /// <summary>The pre-check by one ordinal substring search per word: the oracle the one-pass search is held to.</summary>
    private static bool MayMatchBySearch(RequiredWords required, string line)
    {
        if (required.IgnoreCase && !RequiredWords.IsAscii(line))
        {
            return true;
        }

        var comparison = required.IgnoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        return required.Words.Any(word => line.IndexOf(word, comparison) >= 0);
    }
}
