using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Security.Authentication;
using Org.BouncyCastle.Tls;
using OtelTls.Engine.Vocabulary;

namespace OtelTls.Engine.Tests;

/// <summary>
/// The tables every spelling of a TLS version and an OTLP protocol comes from: each enum value has exactly one row, and
/// what the module writes it reads back.
/// </summary>
public sealed class VocabularyTests
{
    [Fact]
    public void Every_tls_version_has_one_row_and_its_spellings_read_back()
    {
        Assert.Equal(Enum.GetValues<OtlpTlsVersion>(), TlsVersions.All);
        foreach (var version in TlsVersions.All)
        {
            Assert.True(TlsVersions.TryParse(TlsVersions.DisplayName(version), out var fromDisplay));
            Assert.Equal(version, fromDisplay);
            Assert.True(TlsVersions.TryParseCollectorName(TlsVersions.CollectorName(version), out var fromCollector));
            Assert.Equal(version, fromCollector);
            Assert.True(TlsVersions.TryParse(version.ToString(), out var fromEnumName));
            Assert.Equal(version, fromEnumName);
            Assert.Equal(version, TlsVersions.FromProtocolVersion(TlsVersions.ToProtocolVersion(version)));
            Assert.Equal(version, TlsVersions.FromSslProtocols(TlsVersions.ToSslProtocols(version)));
        }

        Assert.Equal(4, TlsVersions.All.Select(TlsVersions.DisplayName).Distinct().Count());
        Assert.Equal(4, TlsVersions.All.Select(TlsVersions.OpenSslFlag).Distinct().Count());
    }

    [Theory]
    [InlineData("1.2")]
    [InlineData("TLS 1.2")]
    [InlineData("tls 1.2")]
    [InlineData("TLSv1.2")]
    [InlineData("tls1_2")]
    [InlineData("Tls12")]
    [InlineData(" 1.2 ")]
    public void A_version_reads_as_people_write_it(string text)
    {
        Assert.True(TlsVersions.TryParse(text, out var version));
        Assert.Equal(OtlpTlsVersion.Tls12, version);
    }

    [Theory]
    [InlineData("1.4")]
    [InlineData("Tls14")]
    [InlineData("SSLv3")]
    [InlineData("1")]
    [InlineData("")]
    [InlineData(null)]
    public void What_is_no_tls_version_is_refused(string? text) => Assert.False(TlsVersions.TryParse(text, out _));

    [Theory]
    [InlineData("TLS 1.2")]
    [InlineData("1.20")]
    [InlineData("1")]
    public void The_collector_spelling_is_exact(string text) => Assert.False(TlsVersions.TryParseCollectorName(text, out _));

    [Fact]
    public void Negotiated_versions_outside_the_table_keep_a_readable_name()
    {
        Assert.Equal("SSL 3.0", TlsVersions.DisplayName(ProtocolVersion.SSLv3));
        Assert.Null(TlsVersions.FromProtocolVersion(ProtocolVersion.SSLv3));
        Assert.Equal("TLS 1.3", TlsVersions.DisplayName((SslProtocols)12288));
        Assert.Equal(SslProtocols.None, TlsVersions.ToSslProtocols((OtlpTlsVersion[]?)null));
        Assert.Equal((SslProtocols)(3072 | 12288), TlsVersions.ToSslProtocols(TlsVersions.Current));
    }

    [Fact]
    public void Every_protocol_has_one_row_and_its_spellings_read_back()
    {
        Assert.Equal(Enum.GetValues<OtlpProtocol>(), OtlpProtocols.All);
        foreach (var protocol in OtlpProtocols.All)
        {
            Assert.True(OtlpProtocols.TryParseName(OtlpProtocols.Name(protocol), out var fromName));
            Assert.Equal(protocol, fromName);
            Assert.True(OtlpProtocols.TryParse(protocol.ToString(), out var fromEnumName));
            Assert.Equal(protocol, fromEnumName);
            Assert.Equal(OtlpProtocols.Transport(protocol), OtlpProtocols.FromCollectorKey(OtlpProtocols.CollectorKey(protocol)));
        }

        Assert.Equal(new[] { "grpc", "http/protobuf", "http/json" }, OtlpProtocols.All.Select(OtlpProtocols.Name));
        Assert.Equal(4317, OtlpProtocols.DefaultPort(OtlpProtocol.Grpc));
        Assert.Equal(4318, OtlpProtocols.DefaultPort(OtlpProtocol.HttpJson));
        Assert.Equal(OtlpProtocol.HttpProtobuf, OtlpProtocols.Default);
    }

    [Theory]
    [InlineData("HttpProtobuf")]
    [InlineData("http")]
    [InlineData("http/proto")]
    [InlineData("")]
    public void An_environment_variable_takes_only_the_specifications_spellings(string text)
    {
        Assert.False(OtlpProtocols.TryParseName(text, out var fallback));
        Assert.Equal(OtlpProtocols.Default, fallback);
    }

    [Theory]
    [InlineData("grpc", OtlpProtocol.Grpc)]
    [InlineData("GRPC", OtlpProtocol.Grpc)]
    [InlineData("http/protobuf", OtlpProtocol.HttpProtobuf)]
    [InlineData("http", OtlpProtocol.HttpProtobuf)]
    [InlineData("http/json", OtlpProtocol.HttpJson)]
    [InlineData("httpjson", OtlpProtocol.HttpJson)]
    public void A_protocol_argument_reads_the_spec_the_enum_and_the_collector_spelling(string text, OtlpProtocol expected)
    {
        Assert.True(OtlpProtocols.TryParse(text, out var protocol));
        Assert.Equal(expected, protocol);
    }

    [Fact]
    public void An_http_json_endpoint_is_dialled_like_http_protobuf()
    {
        var endpoint = Endpoints.EndpointParser.Parse("https://collector:4318", OtlpProtocol.HttpJson);
        Assert.Equal(OtlpProtocol.HttpProtobuf, endpoint.Protocol);
        Assert.Equal("/v1/traces", endpoint.Path);
    }

    [Fact]
    public void No_code_outside_the_tables_spells_a_signal_protocol_sdk_or_tls_version()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "OtelTls.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("no repository root above " + AppContext.BaseDirectory);
        }

        // A literal in code (not in a comment or in prose around other words) is a second table of these names.
        var spelling = new Regex("\"(traces|metrics|logs|grpc|http/protobuf|http/json|dotnet|java|go|python|node|1\\.[0-3]|TLS 1\\.[0-3]|TLSv1\\.[0-3]|-tls1(_[1-3])?)\"");
        var allowed = new[]
        {
            "CollectorLogLevelPath", // the collector's YAML keys service.telemetry.logs.level
            "telemetry.sdk.language", // the OpenTelemetry resource attribute of the test span
        };
        var offenders = Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains(Path.DirectorySeparatorChar + "Vocabulary" + Path.DirectorySeparatorChar) && !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: Path.GetRelativePath(root, f), Line: i + 1, Text: line.Trim())))
            .Where(l => !l.Text.StartsWith("//", StringComparison.Ordinal) && spelling.IsMatch(l.Text) && !allowed.Any(l.Text.Contains))
            .Select(l => $"{l.File}:{l.Line}: {l.Text}")
            .ToList();
        Assert.True(offenders.Count == 0, string.Join(Environment.NewLine, offenders));
    }
}
