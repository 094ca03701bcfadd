using System;
using System.IO;
using System.Linq;

namespace OtelTls.Module.Tests;

/// <summary>Resolve-OtlpTlsError as a PowerShell user drives it: a pasted message, a piped log, log files, bad paths.</summary>
public class ResolveOtlpTlsErrorTests
{
    private const string GoUnknownCa =
        "2026-11-29T10:00:01Z error exporterhelper/queue_sender.go:92 Exporting failed. {\"error\": \"rpc error: code = Unavailable desc = connection error: desc = \\\"transport: authentication handshake failed: tls: failed to verify certificate: x509: certificate signed by unknown authority\\\"\"}";

    [Fact]
    public void APastedMessageIsExplained()
    {
        using var session = new PowerShellSession();
        var result = session.Run("Resolve-OtlpTlsError $args[0]", GoUnknownCa);
        Assert.Empty(result.Errors);
        var explanation = Assert.Single(result.Output);
        Reflect.IsType("OtelTls.OtlpTlsErrorExplanation", explanation);
        Assert.Equal("UnknownAuthority", Reflect.Get<string>(explanation, "FindingId"));
        Assert.Equal("Go", Reflect.Get(explanation, "Runtime")!.ToString());
        Assert.Contains("IncompleteChain", Reflect.Get<System.Collections.Generic.IReadOnlyList<string>>(explanation, "AlternativeFindingIds"));
    }

    [Fact]
    public void PipedLinesGiveOneResultPerErrorAndNothingForTheRest()
    {
        using var session = new PowerShellSession();
        var lines = new[]
        {
            "info: starting", GoUnknownCa, "info: retrying in 5s",
            "System.Net.Http.HttpRequestException: The SSL connection could not be established, see inner exception.",
            " ---> System.Security.Authentication.AuthenticationException: The remote certificate is invalid according to the validation procedure: RemoteCertificateNameMismatch",
            "info: done",
        };
        var result = session.Run("$args[0] | Resolve-OtlpTlsError -Verbose", (object)lines);
        Assert.Empty(result.Errors);
        Assert.Equal(new[] { "UnknownAuthority", "HostnameMismatch" }, result.Output.Select(f => Reflect.Get<string>(f, "FindingId")));
        Assert.Equal(new long[] { 2, 4 }, result.Output.Select(f => Reflect.Get<long>(f, "LineNumber")));
        Assert.Contains(result.Verbose, v => v.Contains("6 line(s)", StringComparison.Ordinal));
    }

    [Fact]
    public void LogFilesAreReadByPathAndEachResultNamesItsFile()
    {
        using var dir = new TempDirectory();
        var a = Path.Combine(dir.Path, "a.log");
        var b = Path.Combine(dir.Path, "b[1].log");
        File.WriteAllLines(a, new[] { "nothing", GoUnknownCa });
        File.WriteAllLines(b, new[] { "curl: (60) SSL certificate problem: certificate has expired" });
        using var session = new PowerShellSession();

        var wildcard = session.Run("Resolve-OtlpTlsError -Path ($args[0] + '/a*.log')", dir.Path);
        Assert.Empty(wildcard.Errors);
        var fromA = Assert.Single(wildcard.Output);
        Assert.Equal((a, 2L), (Reflect.Get<string>(fromA, "Path"), Reflect.Get<long>(fromA, "LineNumber")));

        var literal = session.Run("Resolve-OtlpTlsError -LiteralPath $args[0]", b);
        var fromB = Assert.Single(literal.Output);
        Assert.Equal(("CertificateExpired", "Curl"), (Reflect.Get<string>(fromB, "FindingId"), Reflect.Get(fromB, "Runtime")!.ToString()));
    }

    [Fact]
    public void AMissingFileOrAFolderIsAClearErrorAndTheOtherFilesStillCount()
    {
        using var dir = new TempDirectory();
        var good = Path.Combine(dir.Path, "good.log");
        File.WriteAllLines(good, new[] { GoUnknownCa });
        using var session = new PowerShellSession();
        var result = session.Run("Resolve-OtlpTlsError -LiteralPath $args[0], $args[1], $args[2]", Path.Combine(dir.Path, "missing.log"), dir.Path, good);
        Assert.Single(result.Output);
        Assert.Equal(new[] { "FileNotFound", "PathIsDirectory" }, result.Errors.Select(e => e.FullyQualifiedErrorId.Split(',')[0]));
    }
}
