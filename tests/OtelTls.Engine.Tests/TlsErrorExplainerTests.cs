using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using OtelTls.Engine.Explain;

namespace OtelTls.Engine.Tests;

/// <summary>
/// The recogniser's rules one by one (each rule's example text, which for Go and Java is the wording of their source,
/// cited in the rule), its facts, how it folds multi-line errors, and what it must leave alone.
/// </summary>
public class TlsErrorExplainerTests
{
    public static IEnumerable<object[]> Rules => TlsErrorRules.All.Select((r, i) => new object[] { i, r.Example });

    [Theory]
    [MemberData(nameof(Rules))]
    public void EveryRulesExampleIsExplainedAsItsOwnFinding(int index, string example)
    {
        var rule = TlsErrorRules.All[index];
        var result = Assert.Single(TlsErrorExplainer.ExplainAll(new[] { example }));
        Assert.Equal(rule.FindingId, result.FindingId);
        Assert.True(ExplainFindings.Knows(rule.FindingId), $"{rule.FindingId} has no wording in ExplainFindings");
        Assert.False(string.IsNullOrWhiteSpace(rule.Source));
        if (rule.Runtime != OtlpRuntime.Unknown)
        {
            Assert.Equal(rule.Runtime, result.Runtime);
        }

        if (rule.Ambiguity is { } group)
        {
            Assert.Contains(rule.FindingId, group.FindingIds);
            Assert.Equal(group.FindingIds.Where(id => id != rule.FindingId), result.AlternativeFindingIds);
            Assert.False(string.IsNullOrWhiteSpace(result.HowToTellApart));
        }
    }

    [Fact]
    public void FiveErrorsAmongTwoHundredOrdinaryLinesGiveExactlyFive()
    {
        var errors = new Dictionary<int, (string Line, string Id)>
        {
            [17] = ("2026-11-29T10:00:01Z error exporterhelper/queue_sender.go:92 Exporting failed. {\"error\": \"rpc error: code = Unavailable desc = connection error: desc = \\\"transport: authentication handshake failed: tls: failed to verify certificate: x509: certificate signed by unknown authority\\\"\"}", OtlpFindingId.UnknownAuthority),
            [64] = ("[otel.javaagent 2026-11-29 10:00:02:123 +0000] [OkHttp https://collector:4318/...] ERROR io.opentelemetry.exporter.internal.http.HttpExporter - Failed to export spans. javax.net.ssl.SSLPeerUnverifiedException: Hostname collector not verified:", OtlpFindingId.HostnameMismatch),
            [101] = ("fail: OpenTelemetry.Exporter.OpenTelemetryProtocol[0] Exporter failed send data to collector to https://collector:4317/ endpoint. Data will not be sent. Exception: System.Net.Http.HttpRequestException: The SSL connection could not be established, see inner exception. ---> System.Security.Authentication.AuthenticationException: The remote certificate is invalid because of errors in the certificate chain: NotTimeValid", OtlpFindingId.CertificateExpired),
            [150] = ("{\"stack\":\"Error: 14 UNAVAILABLE: No connection established. Last error: Error: self-signed certificate in certificate chain\",\"message\":\"14 UNAVAILABLE: No connection established.\",\"name\":\"Error\"}", OtlpFindingId.UnknownAuthority),
            [188] = ("WARNING:opentelemetry.exporter.otlp.proto.http.trace_exporter:Transient error HTTPSConnectionPool(host='collector', port=4318): Max retries exceeded with url: /v1/traces (Caused by SSLError(SSLError(1, '[SSL: TLSV13_ALERT_CERTIFICATE_REQUIRED] tlsv13 alert certificate required (_ssl.c:2580)')))", OtlpFindingId.ClientCertificateRequired),
        };

        var lines = Enumerable.Range(1, 200).Select(n => errors.TryGetValue(n, out var e) ? e.Line : OrdinaryLine(n)).ToList();
        var results = TlsErrorExplainer.ExplainAll(lines).ToList();

        Assert.Equal(errors.Keys.OrderBy(k => k), results.Select(r => (int)r.LineNumber));
        Assert.Equal(errors.OrderBy(e => e.Key).Select(e => e.Value.Id), results.Select(r => r.FindingId));
        Assert.Equal(new[] { OtlpRuntime.Go, OtlpRuntime.Java, OtlpRuntime.DotNet, OtlpRuntime.Node, OtlpRuntime.Python }, results.Select(r => r.Runtime));
    }

    /// <summary>
    /// A log file is split and gated as bytes: it must give exactly what its lines give as strings, whatever its line ends
    /// (LF, CRLF, a lone CR, CRLF split across reads), byte-order mark, encoding or a line longer than the read buffer.
    /// </summary>
    [Theory]
    [InlineData("\n", "utf-8")]
    [InlineData("\r\n", "utf-8")]
    [InlineData("\r", "utf-8")]
    [InlineData("\r\n", "utf-8-bom")]
    [InlineData("\n", "utf-16")]
    [InlineData("\r\n", "latin1-bytes")]
    public void AFileGivesWhatItsLinesGive(string newline, string encoding)
    {
        var java = new[]
        {
            "javax.net.ssl.SSLHandshakeException: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target",
            "\tat java.base/sun.security.ssl.Alert.createSSLException(Alert.java:131)",
            "Caused by: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target",
        };
        var lines = Enumerable.Range(1, 3000).Select(n => n switch
        {
            700 => "fail: OpenTelemetry.Exporter.OpenTelemetryProtocol[0] Exporter failed send data to collector to https://collector:4317/ endpoint. Exception: System.Net.Http.HttpRequestException: The SSL connection could not be established, see inner exception. ---> System.Security.Authentication.AuthenticationException: The remote certificate is invalid because of errors in the certificate chain: UntrustedRoot",
            1500 => new string('x', 70_000) + " tls: failed to verify certificate: x509: certificate signed by unknown authority (exporter otlp)",
            2999 => "Error: self-signed certificate in certificate chain (OTLP exporter, collector:4318) caf\u00e9 \u2713",
            _ => OrdinaryLine(n),
        }).ToList();
        lines.InsertRange(2000, java);
        var text = string.Join(newline, lines);
        byte[] bytes = encoding switch
        {
            "utf-8-bom" => new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes(text)).ToArray(),
            "utf-16" => Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(text)).ToArray(),
            // Bytes that are not UTF-8 (é as 0xE9) become U+FFFD on both paths.
            "latin1-bytes" => Encoding.Latin1.GetBytes(text.Replace("\u2713", "")),
            _ => Encoding.UTF8.GetBytes(text),
        };
        using var dir = new TempDirectory();
        var file = dir.File("app.log");
        File.WriteAllBytes(file, bytes);

        var expected = TlsErrorExplainer.ExplainAll(ReadLines(file), file).Select(e => (e.LineNumber, e.FindingId, e.Line)).ToList();
        var actual = TlsErrorExplainer.ExplainFile(file).Select(e => (e.LineNumber, e.FindingId, e.Line)).ToList();
        var inTurn = TlsErrorExplainer.ExplainFile(file, readAhead: false).Select(e => (e.LineNumber, e.FindingId, e.Line)).ToList();
        Assert.Equal(4, expected.Count);
        Assert.Equal(expected, actual);
        Assert.Equal(expected, inTurn);
    }

    /// <summary>
    /// Blocks after the first are read ahead and joined to the unfinished line before them: lines of every length around
    /// the room kept for that line (<c>LogBlocks.Carry</c>, 4 KiB) and far beyond a block (up to 600 KB, spanning many)
    /// straddle the boundaries of a 4 MB log, with errors at their ends, in the middle and between them. Read ahead or
    /// read in turn, the file gives what its lines give as strings.
    /// </summary>
    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\r")]
    public void LinesOfEveryLengthAcrossReadAheadBlocksGiveWhatTheLinesGive(string newline)
    {
        const string error = "tls: failed to verify certificate: x509: certificate signed by unknown authority (exporter otlp, collector:4317)";
        var random = new Random(997);
        var lines = new List<string>();
        var size = 0L;
        for (var n = 1; size < 4_000_000; n++)
        {
            var kind = random.Next(100);
            var line = kind switch
            {
                < 8 => new string('x', random.Next(3_900, 4_300)) + (random.Next(2) == 0 ? " " + error : ""),
                < 10 => new string('y', random.Next(1, 12_000)) + " " + error,
                10 => new string('z', random.Next(100_000, 600_000)) + (random.Next(2) == 0 ? " " + error : ""),
                < 14 => error + " #" + n,
                _ => OrdinaryLine(n),
            };
            lines.Add(line);
            size += line.Length + newline.Length;
        }

        using var dir = new TempDirectory();
        var file = dir.File("long.log");
        File.WriteAllText(file, string.Join(newline, lines), new UTF8Encoding(false));

        var expected = TlsErrorExplainer.ExplainAll(ReadLines(file), file).Select(e => (e.LineNumber, e.FindingId, e.Line)).ToList();
        Assert.True(expected.Count > 40, $"only {expected.Count} errors (errors a few lines apart are one)");
        Assert.Equal(expected, TlsErrorExplainer.ExplainFile(file).Select(e => (e.LineNumber, e.FindingId, e.Line)).ToList());
        Assert.Equal(expected, TlsErrorExplainer.ExplainFile(file, readAhead: false).Select(e => (e.LineNumber, e.FindingId, e.Line)).ToList());

        // Small blocks read ahead (16 KiB; 1 MiB in use) put hundreds of boundaries in the file, most inside a long line.
        Assert.Equal(expected, TlsErrorExplainer.ExplainFile(file, readAhead: true, readAheadSize: 16 * 1024).Select(e => (e.LineNumber, e.FindingId, e.Line)).ToList());
    }

    /// <summary>
    /// Each block read ahead is joined to the unfinished line before it, and a CR that ends one block may have its LF at
    /// the start of the next. Errors every few lines (some with several failure words), lines ended by LF, CRLF or a lone
    /// CR at random, empty lines and lines of up to 5,000 characters, with read-ahead blocks of four sizes (one barely
    /// larger than the room kept for the unfinished line): read ahead and in turn, the file gives what its lines give.
    /// </summary>
    [Theory]
    [InlineData(4096 + 97)]
    [InlineData(4096 + 4096)]
    [InlineData(16 * 1024 + 1)]
    [InlineData(64 * 1024)]
    public void ErrorsInEveryPlaceOfReadAheadBlocksGiveWhatTheLinesGive(int readAheadSize)
    {
        var errors = new[]
        {
            "tls: failed to verify certificate: x509: certificate signed by unknown authority (exporter otlp, collector:4317)",
            "Error: self-signed certificate in certificate chain (OTLP exporter, collector:4318)",
            "x509: certificate has expired or is not yet valid (exporter otlp) and the handshake failed, error again",
        };
        var newlines = new[] { "\n", "\r\n", "\r" };
        var random = new Random(readAheadSize);
        var text = new StringBuilder();
        while (text.Length < 1_500_000)
        {
            var kind = random.Next(20);
            text.Append(kind switch
            {
                < 4 => errors[random.Next(errors.Length)] + " #" + text.Length,
                4 => "",
                5 => new string('w', random.Next(1, 5_000)),
                _ => OrdinaryLine(random.Next(1, 10_000)),
            });
            text.Append(newlines[random.Next(newlines.Length)]);
        }

        using var dir = new TempDirectory();
        var file = dir.File("dense.log");
        File.WriteAllText(file, text.ToString(), new UTF8Encoding(false));

        var expected = TlsErrorExplainer.ExplainAll(ReadLines(file), file).Select(e => (e.LineNumber, e.FindingId, e.Line)).ToList();
        Assert.True(expected.Count > 1_000, $"only {expected.Count} errors");
        Assert.Equal(expected, TlsErrorExplainer.ExplainFile(file, readAhead: true, readAheadSize: readAheadSize).Select(e => (e.LineNumber, e.FindingId, e.Line)).ToList());
        Assert.Equal(expected, TlsErrorExplainer.ExplainFile(file, readAhead: false).Select(e => (e.LineNumber, e.FindingId, e.Line)).ToList());
    }

    /// <summary>A caller that stops after the first explanation leaves no read running into a pooled array.</summary>
    [Fact]
    public void StoppingEarlyEndsTheReadAhead()
    {
        const string error = "tls: failed to verify certificate: x509: certificate signed by unknown authority (exporter otlp, collector:4317)";
        using var dir = new TempDirectory();
        var file = dir.File("stop.log");
        File.WriteAllLines(file, Enumerable.Range(1, 40_000).Select(n => n % 500 == 0 ? error : OrdinaryLine(n)));
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(500, TlsErrorExplainer.ExplainFile(file).First().LineNumber);
        }

        // The file is closed once the enumeration is disposed: it can be deleted and written again at once.
        File.Delete(file);
        File.WriteAllText(file, error);
        Assert.Single(TlsErrorExplainer.ExplainFile(file));
    }

    /// <summary>
    /// The file is read and searched a block at a time: an error whose words straddle a block boundary, a CRLF split by
    /// one, a byte-order mark, non-ASCII text and a last line without a line end give what the lines give as strings.
    /// </summary>
    [Theory]
    [InlineData("\n", false)]
    [InlineData("\r\n", false)]
    [InlineData("\r\n", true)]
    [InlineData("\r", true)]
    public void ErrorsAcrossBlockBoundariesAreFoundAsInTheLines(string newline, bool bom)
    {
        const string error = "caf\u00e9 \u2713 tls: failed to verify certificate: x509: certificate signed by unknown authority (exporter otlp, collector:4317)";
        var word = error.IndexOf("failed", StringComparison.Ordinal);
        var wordBytes = Encoding.UTF8.GetByteCount(error.Substring(0, word));
        using var dir = new TempDirectory();
        // With -wordBytes - 1 the CR before the error line is the first block's last byte and its LF the next block's first.
        foreach (var shift in new[] { -40, -wordBytes - 2, -wordBytes - 1, -wordBytes, -7, -3, -1, 0, 1, 2, 3, 6 })
        {
            // Ordinary lines up to the boundary, padded so the error's first failure word starts `shift` bytes before
            // the end of the first block (negative: that many after it) and the next line ends or a CRLF straddles it.
            var lines = Enumerable.Range(1, 2200).Select(OrdinaryLine).ToList();
            var before = (bom ? 3 : 0) + lines.Sum(l => Encoding.UTF8.GetByteCount(l) + newline.Length);
            var pad = TlsErrorExplainer.BlockSize - shift - before - wordBytes;
            Assert.True(pad > 0, "the ordinary lines must not fill the first block");
            lines[0] += " " + new string('y', pad - 1);
            lines.Add(error);
            lines.AddRange(Enumerable.Range(1, 2600).Select(n => n == 1 ? "" : OrdinaryLine(n)));
            lines.Add("\u00fcber x509: certificate has expired or is not yet valid (exporter otlp) \u2713");
            var text = string.Join(newline, lines);
            var bytes = (bom ? new byte[] { 0xEF, 0xBB, 0xBF } : Array.Empty<byte>()).Concat(Encoding.UTF8.GetBytes(text)).ToArray();
            Assert.Equal(TlsErrorExplainer.BlockSize - shift, IndexOf(bytes, Encoding.UTF8.GetBytes("failed to verify")));
            var file = dir.File($"app{shift}.log");
            File.WriteAllBytes(file, bytes);

            var expected = TlsErrorExplainer.ExplainAll(ReadLines(file), file).Select(e => (e.LineNumber, e.FindingId, e.Line)).ToList();
            var actual = TlsErrorExplainer.ExplainFile(file).Select(e => (e.LineNumber, e.FindingId, e.Line)).ToList();
            Assert.Equal(new long[] { 2201, lines.Count }, expected.Select(e => e.LineNumber));
            Assert.Equal(expected, actual);
            Assert.Equal(expected, TlsErrorExplainer.ExplainFile(file, readAhead: false).Select(e => (e.LineNumber, e.FindingId, e.Line)).ToList());
        }
    }

    private static int IndexOf(byte[] haystack, byte[] needle) =>
        Enumerable.Range(0, haystack.Length - needle.Length + 1).First(i => haystack.AsSpan(i, needle.Length).SequenceEqual(needle));

    /// <summary>
    /// The byte search (vectorised, and the scalar loop used without vector instructions) answers as the line search does,
    /// for words at every position of lines of every length around the vector widths, in any case, among non-ASCII bytes.
    /// </summary>
    [Fact]
    public void TheGateAnswersAlikeForBytesAndStrings()
    {
        string[] anyCase = { "ssl", "handshake", "no such host", "curl: (", "x509", "eof", "timed out" };
        string[] exact = { "UNAVAILABLE", "CERT_" };
        var vectorised = new KeywordGate(anyCase, exact);
        var scalar = new KeywordGate(anyCase, exact, vectorised: false);
        var random = new Random(1412);
        var pieces = anyCase.Concat(exact).Concat(new[] { "SSL", "HandShake", "Unavailable", "cert_", "X509", "EoF", "no such", "curl: ", "x50", "\u00e9", "\u2713", "ss", "l", " ", "q", "Z" }).ToArray();
        for (var n = 0; n < 20000; n++)
        {
            var line = new StringBuilder();
            var length = random.Next(0, 90);
            while (line.Length < length)
            {
                line.Append(random.Next(4) == 0 ? pieces[random.Next(pieces.Length)] : ((char)random.Next('a', 'z' + 1)).ToString());
            }

            var text = line.ToString();
            var bytes = Encoding.UTF8.GetBytes("\n" + text + "\n");
            var expected = vectorised.Matches(text);
            Assert.True(expected == vectorised.Matches(bytes, 1, bytes.Length - 2), text);
            Assert.True(expected == scalar.Matches(bytes, 1, bytes.Length - 2), text);
        }
    }

    private static IEnumerable<string> ReadLines(string file)
    {
        using var reader = new StreamReader(file, new UTF8Encoding(false, false), detectEncodingFromByteOrderMarks: true);
        while (reader.ReadLine() is { } line)
        {
            yield return line;
        }
    }

    /// <summary>Lines of the kind every service logs, several of them with words a careless matcher would take for TLS errors.</summary>
    internal static string OrdinaryLine(int n) => (n % 10) switch
    {
        0 => $"2026-11-29T10:00:{n % 60:00}Z info service/service.go:{n} Everything is ready. Begin running and processing data.",
        1 => $"127.0.0.1 - - [29/Nov/2026:10:00:{n % 60:00} +0000] \"GET /healthz HTTP/1.1\" 200 2 \"-\" \"kube-probe/1.29\"",
        2 => $"info: Microsoft.Hosting.Lifetime[14] Now listening on: https://[::]:{8000 + n}",
        3 => $"[INFO] TLS handshake completed with 10.0.0.{n % 255} in 3 ms (TLSv1.3, TLS_AES_128_GCM_SHA256)",
        4 => $"DEBUG loaded certificate CN=otel-collector, expires 2027-11-29 (serial {n:x})",
        5 => $"WARN retrying request {n} after 200 ms: upstream returned 503 Service Unavailable",
        6 => $"{{\"level\":\"info\",\"msg\":\"exported {n} spans\",\"exporter\":\"otlp\",\"endpoint\":\"collector:4317\"}}",
        7 => $"ERROR database connection refused (postgres:5432), retry {n}",
        8 => $"  at MyApp.Orders.Handle(Order order) in /src/Orders.cs:line {n}",
        _ => $"2026-11-29 10:00:{n % 60:00} INFO  [main] c.e.Application - processed batch {n} with protocol version 2",
    };

    [Theory]
    [InlineData("curl: (60) SSL certificate problem: self-signed certificate", "SelfSignedCertificate")]
    [InlineData("Error: self-signed certificate", "SelfSignedCertificate")]
    public void MessagesWithoutAnErrorWordStillPassTheGates(string line, string id) =>
        Assert.Equal(id, Assert.Single(TlsErrorExplainer.ExplainAll(new[] { line })).FindingId);

    [Fact]
    [Trait("Reliability", "BadInput")]
    public void A_FIFO_given_as_a_log_file_is_refused_at_once()
    {
        using var dir = new TempDirectory();
        var fifo = System.IO.Path.Combine(dir.Path, "pipe.log");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", fifo)!)
        {
            mkfifo.WaitForExit(5000);
        }

        var error = Assert.Throws<OtlpTlsException>(() => TlsErrorExplainer.ExplainFile(fifo).ToList());
        Assert.Equal(OtlpErrorId.NotARegularFile, error.ErrorId);
    }

    [Fact]
    public void LinesThatAreNotTlsErrorsGiveNothing()
    {
        Assert.Empty(TlsErrorExplainer.ExplainAll(Enumerable.Range(1, 500).Select(OrdinaryLine)));
    }

    [Fact]
    public void AnUnknownTlsLookingErrorIsReportedWithItsRawText()
    {
        var line = "ERROR tls: frobnicated the widget while negotiating (code 7)";
        var result = Assert.Single(TlsErrorExplainer.ExplainAll(new[] { line }));
        Assert.Equal(OtlpFindingId.UnrecognizedTlsError, result.FindingId);
        Assert.Equal(line, result.Line);
        Assert.Equal(OtlpSeverity.Warning, result.Finding.Severity);
    }

    [Fact]
    public void GoHostnameMismatchYieldsTheNamesTheHostAndTheNextCommand()
    {
        var result = Assert.Single(TlsErrorExplainer.ExplainAll(new[]
        {
            "rpc error: code = Unavailable desc = connection error: desc = \"transport: authentication handshake failed: tls: failed to verify certificate: x509: certificate is valid for otel-collector, otel-collector.observability.svc, not collector.example.com\"",
        }));
        Assert.Equal(OtlpFindingId.HostnameMismatch, result.FindingId);
        Assert.Equal(OtlpRuntime.Go, result.Runtime);
        Assert.Equal(new[] { "otel-collector", "otel-collector.observability.svc" }, result.CertificateNames);
        Assert.Equal("collector.example.com", result.Host);
        Assert.StartsWith("Test-OtlpTlsEndpoint collector.example.com:4317", result.NextCommand);
    }

    [Fact]
    public void EndpointVerifyCodeAndAlertAreRead()
    {
        var go = Assert.Single(TlsErrorExplainer.ExplainAll(new[] { "Post \"https://collector.internal:4318/v1/traces\": remote error: tls: certificate required" }));
        Assert.Equal(("collector.internal", (int?)4318), (go.Host, go.Port));
        Assert.Equal("certificate required", go.Alert);
        Assert.Contains("-ClientCertificate", go.NextCommand);

        var openssl = TlsErrorExplainer.ExplainAll(new[] { "depth=0 CN = localhost", "verify error:num=20:unable to get local issuer certificate", "verify return:1" }).Single();
        Assert.Equal("20:unable to get local issuer certificate", openssl.VerifyError);
        Assert.Equal(OtlpRuntime.OpenSsl, openssl.Runtime);

        var node = TlsErrorExplainer.ExplainAll(new[]
        {
            "Error: write EPROTO 80FCEEF1C57F0000:error:0A00045C:SSL routines:ssl3_read_bytes:tlsv13 alert certificate required:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:1601:SSL alert number 116",
            "    at WriteWrap.onWriteComplete [as oncomplete] (node:internal/stream_base_commons:94:16) {",
            "  library: 'SSL routines',",
            "  reason: 'tlsv13 alert certificate required',",
            "  code: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED'",
            "}",
        }).Single();
        Assert.Equal(OtlpFindingId.ClientCertificateRequired, node.FindingId);
        Assert.Equal(OtlpRuntime.Node, node.Runtime);
        Assert.Equal("certificate required (116)", node.Alert);
    }

    [Fact]
    public void AJavaStackTraceIsOneError()
    {
        var trace = new[]
        {
            "javax.net.ssl.SSLHandshakeException: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target",
            "\tat java.base/sun.security.ssl.Alert.createSSLException(Alert.java:131)",
            "\tat java.base/sun.security.ssl.TransportContext.fatal(TransportContext.java:378)",
        }.Concat(Enumerable.Range(0, 25).Select(i => $"\tat okhttp3.internal.connection.RealConnection.connectTls(RealConnection.kt:{i})"))
         .Concat(new[]
         {
             "Caused by: sun.security.validator.ValidatorException: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target",
             "\tat java.base/sun.security.validator.PKIXValidator.doBuild(PKIXValidator.java:439)",
             "Caused by: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target",
         });
        var result = Assert.Single(TlsErrorExplainer.ExplainAll(trace));
        Assert.Equal(OtlpFindingId.UnknownAuthority, result.FindingId);
        Assert.Equal(OtlpRuntime.Java, result.Runtime);
        Assert.Contains(OtlpFindingId.IncompleteChain, result.AlternativeFindingIds);
        Assert.Contains("Java ignores SSL_CERT_FILE", result.Finding.Remediation);
    }

    [Fact]
    public void AWrapperTakesItsCauseFromTheInnerExceptionOrSaysItIsIncomplete()
    {
        var full = TlsErrorExplainer.ExplainAll(new[]
        {
            "System.Net.Http.HttpRequestException: The SSL connection could not be established, see inner exception.",
            " ---> System.Security.Authentication.AuthenticationException: The remote certificate is invalid because of errors in the certificate chain: PartialChain",
        }).Single();
        Assert.Equal(OtlpFindingId.UnknownAuthority, full.FindingId);
        Assert.Equal(1, full.LineNumber);

        var alone = TlsErrorExplainer.ExplainAll(new[] { "System.Net.Http.HttpRequestException: The SSL connection could not be established, see inner exception." }).Single();
        Assert.Equal(OtlpFindingId.UnrecognizedTlsError, alone.FindingId);
        Assert.Contains("inner exception", alone.Finding.Remediation);
    }

    [Fact]
    public void ASpecificInnerCauseRefinesAnAmbiguousOuterOne()
    {
        var result = TlsErrorExplainer.ExplainAll(new[]
        {
            " ---> Interop+OpenSsl+SslException: Decrypt failed with OpenSSL error - SSL_ERROR_SSL.",
            " ---> Interop+Crypto+OpenSslCryptographicException: error:0A000418:SSL routines::tlsv1 alert unknown ca",
        }).Single();
        Assert.Equal(OtlpFindingId.ClientCertificateRejected, result.FindingId);
        Assert.Equal(OtlpRuntime.DotNet, result.Runtime);
    }

    [Fact]
    public void ConnectionErrorsCountOnlyWhereTheLineSpeaksOfOtlp()
    {
        Assert.Empty(TlsErrorExplainer.ExplainAll(new[] { "ERROR could not reach postgres: connection refused" }));
        var otlp = Assert.Single(TlsErrorExplainer.ExplainAll(new[] { "failed to export: dial tcp 10.0.0.5:4317: connect: connection refused" }));
        Assert.Equal(OtlpFindingId.ConnectionRefused, otlp.FindingId);
        Assert.Equal(("10.0.0.5", (int?)4317), (otlp.Host, otlp.Port));
    }

    [Fact]
    public void SecretsInTheLineAreRedacted()
    {
        var result = Assert.Single(TlsErrorExplainer.ExplainAll(new[]
        {
            "Post \"https://user:s3cr%2Ft@collector:4318/v1/traces?api_key=abc123\": x509: certificate signed by unknown authority authorization: Bearer tok-999",
        }));
        Assert.DoesNotContain("s3cr", result.Line);
        Assert.DoesNotContain("abc123", result.Line);
        Assert.DoesNotContain("tok-999", result.Line);
        Assert.DoesNotContain("s3cr", result.Finding.Evidence);
        Assert.Equal("collector", result.Host);
    }

    [Fact]
    public void ErrorsArriveAsTheInputMovesOnNotOnlyAtTheEnd()
    {
        var explainer = new TlsErrorExplainer();
        Assert.Empty(explainer.Add("x509: certificate signed by unknown authority"));
        var flushed = Enumerable.Range(1, 60).SelectMany(n => explainer.Add(OrdinaryLine(n))).ToList();
        Assert.Equal(OtlpFindingId.UnknownAuthority, Assert.Single(flushed).FindingId);
        Assert.Empty(explainer.Complete());
    }
}
