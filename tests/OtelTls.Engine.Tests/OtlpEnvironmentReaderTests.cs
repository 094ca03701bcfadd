using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using OtelTls.Engine.Certificates;
using OtelTls.Engine.Configuration;

namespace OtelTls.Engine.Tests;

/// <summary>The specification's precedence rules, one by one, with its own examples, and the findings about files.</summary>
public class OtlpEnvironmentReaderTests
{
    private static OtlpTlsEnvironment Read(params (string Name, string Value)[] variables) =>
        OtlpEnvironmentReader.Read(variables.ToDictionary(v => v.Name, v => v.Value));

    private static OtlpSignalConfiguration Signal(OtlpTlsEnvironment environment, string signal) =>
        environment.GetSignal(Enum.Parse<OtlpSignal>(signal, ignoreCase: true)) ?? throw new Xunit.Sdk.XunitException("no " + signal);

    private static string[] Ids(OtlpTlsEnvironment environment) => environment.Findings.Select(f => f.Id).ToArray();

    [Fact]
    public void NothingSetMeansPlaintextLocalhostHttpDefaults()
    {
        var environment = Read();
        foreach (var signal in new[] { "traces", "metrics", "logs" })
        {
            var configuration = Signal(environment, signal);
            Assert.Equal(OtlpProtocol.HttpProtobuf, configuration.Protocol);
            Assert.Equal("default", configuration.EndpointSource);
            Assert.Equal("http://localhost:4318/v1/" + signal, configuration.Url);
            Assert.False(configuration.UsesTls);
            Assert.Equal(4318, configuration.Endpoint!.Port);
        }

        Assert.Empty(environment.Findings);
        Assert.Empty(environment.Variables);
        Assert.Equal(OtlpStatus.Healthy, environment.Status);
    }

    [Fact]
    public void GrpcDefaultEndpointIsLocalhost4317Plaintext()
    {
        var traces = Signal(Read(("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")), "traces");
        Assert.Equal(OtlpProtocol.Grpc, traces.Protocol);
        Assert.Equal("http://localhost:4317", traces.Url);
        Assert.False(traces.UsesTls);
        Assert.Equal(4317, traces.Endpoint!.Port);
        Assert.Equal("OTEL_EXPORTER_OTLP_PROTOCOL", traces.ProtocolSource);
    }

    // The specification's examples (protocol/exporter.md, "Endpoint URLs for OTLP/HTTP").
    [Theory]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318", "traces", "http://collector:4318/v1/traces")]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318", "metrics", "http://collector:4318/v1/metrics")]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318", "logs", "http://collector:4318/v1/logs")]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/", "traces", "http://collector:4318/v1/traces")]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/mycollector/", "traces", "http://collector:4318/mycollector/v1/traces")]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "https://collector:4318/mycollector", "metrics", "https://collector:4318/mycollector/v1/metrics")]
    [InlineData("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://collector:4318/v1/traces", "traces", "http://collector:4318/v1/traces")]
    [InlineData("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://collector:4318/custom/path", "traces", "http://collector:4318/custom/path")]
    [InlineData("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://collector:4318", "traces", "http://collector:4318/")]
    [InlineData("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://collector:4318/custom/path", "metrics", "http://localhost:4318/v1/metrics")]
    public void HttpAppendsSignalPathOnlyToTheGenericEndpoint(string name, string value, string signal, string expectedUrl)
    {
        var configuration = Signal(Read((name, value)), signal);
        Assert.Equal(expectedUrl, configuration.Url);
        Assert.Equal(new Uri(expectedUrl).AbsolutePath, configuration.Endpoint!.Path);
    }

    [Fact]
    public void PerSignalEndpointWinsOverGeneric()
    {
        var environment = Read(("OTEL_EXPORTER_OTLP_ENDPOINT", "https://generic:4318"), ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "https://traces:4318/v1/traces"));
        var traces = Signal(environment, "traces");
        var metrics = Signal(environment, "metrics");
        Assert.Equal("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", traces.EndpointSource);
        Assert.Equal("https://traces:4318/v1/traces", traces.Url);
        Assert.Equal("traces", traces.Endpoint!.Host);
        Assert.Equal("OTEL_EXPORTER_OTLP_ENDPOINT", metrics.EndpointSource);
        Assert.Equal("https://generic:4318/v1/metrics", metrics.Url);
        var finding = Assert.Single(environment.Findings, f => f.Id == OtlpFindingId.SignalOverrideDiffers);
        Assert.Contains("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", finding.Message);
        Assert.Equal(OtlpStage.Configuration, finding.Stage);
    }

    [Theory]
    [InlineData("https://collector/v1", 443, true)]
    [InlineData("http://collector", 80, false)]
    public void HttpMissingPortIsTheSchemesNotTheOtlpPort(string endpoint, int port, bool tls)
    {
        var environment = Read(("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint), ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"));
        var traces = Signal(environment, "traces");
        Assert.Equal(port, traces.Endpoint!.Port);
        Assert.True(traces.Endpoint.IsDefaultPort);
        Assert.Equal(tls, traces.UsesTls);
        Assert.Equal(endpoint + "/v1/traces", traces.Url);
        Assert.Contains(environment.Findings, f => f.Id == OtlpFindingId.EndpointPortMissing && f.Message.Contains(port.ToString()));
    }

    [Fact]
    public void HttpSchemeDecidesTlsAndInsecureIsIgnored()
    {
        var environment = Read(("OTEL_EXPORTER_OTLP_ENDPOINT", "https://collector:4318"), ("OTEL_EXPORTER_OTLP_INSECURE", "true"));
        Assert.True(Signal(environment, "traces").UsesTls);
        var finding = Assert.Single(environment.Findings, f => f.Id == OtlpFindingId.InsecureIgnored);
        Assert.Contains("OTEL_EXPORTER_OTLP_INSECURE", finding.Message);
        Assert.Contains("Go SDK", finding.Cause);
        Assert.Contains("traces, metrics, logs", finding.Evidence);
    }

    [Theory]
    [InlineData("https://collector:4317", null, true)]
    [InlineData("https://collector:4317", "true", true)]
    [InlineData("http://collector:4317", null, false)]
    [InlineData("http://collector:4317", "false", false)]
    [InlineData("collector:4317", null, true)]
    [InlineData("collector:4317", "false", true)]
    [InlineData("collector:4317", "true", false)]
    [InlineData("collector:4317", "TRUE", false)]
    [InlineData("collector:4317", "True", false)]
    [InlineData("collector:4317", "1", true)]
    [InlineData("collector:4317", "yes", true)]
    [InlineData("collector:4317", "", true)]
    public void GrpcSchemeWinsAndInsecureDecidesOnlyWithoutScheme(string endpoint, string? insecure, bool tls)
    {
        var variables = new List<(string, string)> { ("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint), ("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc") };
        if (insecure is not null)
        {
            variables.Add(("OTEL_EXPORTER_OTLP_INSECURE", insecure));
        }

        var environment = Read(variables.ToArray());
        var traces = Signal(environment, "traces");
        Assert.Equal(tls, traces.UsesTls);
        Assert.Equal(4317, traces.Endpoint!.Port);
        Assert.Equal(tls ? "https" : "http", new Uri(traces.Url).Scheme);
        Assert.Equal(insecure is null || insecure.Length == 0 ? null : insecure.Equals("true", StringComparison.OrdinalIgnoreCase), traces.Insecure);
        Assert.Equal(insecure is "1" or "yes", Ids(environment).Contains(OtlpFindingId.InvalidBooleanVariable));
    }

    [Fact]
    public void PerSignalInsecureAndProtocolWinOverGeneric()
    {
        var environment = Read(
            ("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4317"),
            ("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"),
            ("OTEL_EXPORTER_OTLP_INSECURE", "false"),
            ("OTEL_EXPORTER_OTLP_METRICS_INSECURE", "true"),
            ("OTEL_EXPORTER_OTLP_LOGS_PROTOCOL", "http/json"),
            ("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT", "https://logs:4318/v1/logs"));
        Assert.True(Signal(environment, "traces").UsesTls);
        var metrics = Signal(environment, "metrics");
        Assert.False(metrics.UsesTls);
        Assert.Equal("OTEL_EXPORTER_OTLP_METRICS_INSECURE", metrics.InsecureSource);
        var logs = Signal(environment, "logs");
        Assert.Equal(OtlpProtocol.HttpJson, logs.Protocol);
        Assert.Equal(OtlpProtocol.HttpProtobuf, logs.Endpoint!.Protocol); // dialled like HTTP/protobuf
        Assert.Equal("OTEL_EXPORTER_OTLP_LOGS_PROTOCOL", logs.ProtocolSource);
        Assert.Equal("https://logs:4318/v1/logs", logs.Url);
        Assert.True(logs.UsesTls);
    }

    [Fact]
    public void GrpcWithoutPortUsesSchemePortAndSaysSo()
    {
        var environment = Read(("OTEL_EXPORTER_OTLP_ENDPOINT", "https://collector"), ("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"));
        Assert.Equal(443, Signal(environment, "traces").Endpoint!.Port);
        var finding = Assert.Single(environment.Findings, f => f.Id == OtlpFindingId.EndpointPortMissing);
        Assert.Contains("https://collector:4317", finding.Remediation);
    }

    [Theory]
    [InlineData("grpc", "https://collector:4318")]
    [InlineData("http/protobuf", "https://collector:4317")]
    public void ProtocolPortMismatchIsAnError(string protocol, string endpoint)
    {
        var environment = Read(("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint), ("OTEL_EXPORTER_OTLP_PROTOCOL", protocol));
        var finding = Assert.Single(environment.Findings, f => f.Id == OtlpFindingId.ProtocolPortMismatch);
        Assert.Equal(OtlpSeverity.Error, finding.Severity);
        Assert.Contains(protocol, finding.Message);
        Assert.Equal(OtlpStatus.Failed, environment.Status);
    }

    [Fact]
    public void SignalPathInGenericEndpointIsDoubled()
    {
        var environment = Read(("OTEL_EXPORTER_OTLP_ENDPOINT", "https://collector:4318/v1/traces"), ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"));
        Assert.Equal("https://collector:4318/v1/traces/v1/traces", Signal(environment, "traces").Url);
        var finding = Assert.Single(environment.Findings, f => f.Id == OtlpFindingId.SignalPathInGenericEndpoint);
        Assert.Contains("OTEL_EXPORTER_OTLP_ENDPOINT=https://collector:4318", finding.Remediation);
    }

    [Fact]
    public void InvalidValuesAreFindingsNotExceptions()
    {
        var environment = Read(("OTEL_EXPORTER_OTLP_PROTOCOL", "grcp"), ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "collector:4318"),
            ("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "ftp://collector:4318"));
        Assert.Contains(environment.Findings, f => f.Id == OtlpFindingId.InvalidProtocolVariable && f.Message.Contains("'grcp'"));
        Assert.Contains(environment.Findings, f => f.Id == OtlpFindingId.InvalidEndpointVariable && f.Message.Contains("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"));
        Assert.Contains(environment.Findings, f => f.Id == OtlpFindingId.InvalidEndpointVariable && f.Message.Contains("'ftp'"));
        Assert.Null(Signal(environment, "traces").Endpoint);
    }

    [Fact]
    public void HeadersShowNamesNeverValues()
    {
        var environment = Read(("OTEL_EXPORTER_OTLP_HEADERS", "api-key=secret123,x%20tenant=acme"), ("OTEL_EXPORTER_OTLP_TRACES_HEADERS", "authorization=Bearer abc"));
        Assert.Equal(new[] { "authorization" }, Signal(environment, "traces").HeaderNames);
        Assert.Equal(new[] { "api-key", "x tenant" }, Signal(environment, "metrics").HeaderNames);
        Assert.Equal("api-key=***,x%20tenant=***", environment.Variables["OTEL_EXPORTER_OTLP_HEADERS"]);
        Assert.DoesNotContain(environment.Variables.Values, v => v.Contains("secret123") || v.Contains("Bearer"));
    }

    [Fact]
    public void ProtocolNotSetIsInfoWhenOtherVariablesAre()
    {
        var environment = Read(("OTEL_EXPORTER_OTLP_ENDPOINT", "https://collector:4318"));
        var finding = Assert.Single(environment.Findings);
        Assert.Equal(OtlpFindingId.ProtocolNotSet, finding.Id);
        Assert.Equal(OtlpSeverity.Info, finding.Severity);
        Assert.Equal(OtlpStatus.Healthy, environment.Status);
    }

    [Fact]
    public void FilesAreCheckedAndEachProblemNamesTheVariable()
    {
        using var pki = new EnvironmentPki();
        var environment = Read(
            ("OTEL_EXPORTER_OTLP_ENDPOINT", "https://collector:4318"), ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
            ("OTEL_EXPORTER_OTLP_CERTIFICATE", pki.ServerCertificate),
            ("OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE", pki.ClientCertificate),
            ("OTEL_EXPORTER_OTLP_CLIENT_KEY", pki.ServerKey),
            ("OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE", pki.Dir.File("missing.pem")));
        var notCa = Assert.Single(environment.Findings, f => f.Id == OtlpFindingId.CaFileNotCertificateAuthority);
        Assert.Contains("OTEL_EXPORTER_OTLP_CERTIFICATE", notCa.Message);
        Assert.Equal(OtlpSeverity.Error, notCa.Severity);
        var mismatch = Assert.Single(environment.Findings, f => f.Id == OtlpFindingId.ClientKeyMismatch);
        Assert.Contains("OTEL_EXPORTER_OTLP_CLIENT_KEY", mismatch.Message);
        Assert.Equal(OtlpStage.Configuration, mismatch.Stage);
        var missing = Assert.Single(environment.Findings, f => f.Id == OtlpFindingId.ConfiguredFileNotFound);
        Assert.Contains("OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE", missing.Message);
        Assert.Contains("signals: traces", missing.Evidence);
        Assert.Equal(pki.Dir.File("missing.pem"), Signal(environment, "traces").CertificatePath);
        Assert.Equal("OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE", Signal(environment, "traces").CertificatePathSource);
        Assert.Equal("OTEL_EXPORTER_OTLP_CERTIFICATE", Signal(environment, "logs").CertificatePathSource);
        Assert.Equal(OtlpStatus.Failed, environment.Status);
    }

    [Fact]
    public void EachVariableNamingAnUnusableFileIsToldSo()
    {
        using var pki = new EnvironmentPki();
        var der = pki.Dir.File("ca.der");
        File.WriteAllBytes(der, Convert.FromBase64String(string.Concat(File.ReadAllLines(pki.CaCertificate).Where(l => !l.StartsWith("-----", StringComparison.Ordinal)))));
        var missing = pki.Dir.File("missing.pem");
        var environment = OtlpEnvironmentReader.Read(new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "https://collector:4318",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_EXPORTER_OTLP_CERTIFICATE"] = der,
            ["OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE"] = der,
            ["OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE"] = missing,
            ["OTEL_EXPORTER_OTLP_METRICS_CLIENT_CERTIFICATE"] = missing,
            ["OTEL_EXPORTER_OTLP_CLIENT_KEY"] = pki.ClientKey,
        }, "test", null, pki.Dir.Path);

        var notPem = environment.Findings.Where(f => f.Id == OtlpFindingId.ConfiguredFileUnreadable).Select(f => f.Message).ToArray();
        Assert.Equal(new[] { $"OTEL_EXPORTER_OTLP_CERTIFICATE='{der}' is not PEM.", $"OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE='{der}' is not PEM." }, notPem.OrderBy(m => m, StringComparer.Ordinal));
        var notFound = environment.Findings.Where(f => f.Id == OtlpFindingId.ConfiguredFileNotFound).Select(f => f.Message).ToArray();
        Assert.Equal(2, notFound.Length);
        Assert.Contains(notFound, m => m.StartsWith("OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE=", StringComparison.Ordinal));
        Assert.Contains(notFound, m => m.StartsWith("OTEL_EXPORTER_OTLP_METRICS_CLIENT_CERTIFICATE=", StringComparison.Ordinal));
    }

    [Fact]
    public void GoodMutualTlsFilesGiveNoFindings()
    {
        using var pki = new EnvironmentPki();
        var environment = Read(
            ("OTEL_EXPORTER_OTLP_ENDPOINT", "https://collector:4318"), ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
            ("OTEL_EXPORTER_OTLP_CERTIFICATE", pki.CaCertificate),
            ("OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE", pki.ClientCertificate),
            ("OTEL_EXPORTER_OTLP_CLIENT_KEY", pki.ClientKey));
        Assert.Empty(environment.Findings);
        var traces = Signal(environment, "traces");
        Assert.Equal(pki.ClientKey, traces.ClientKeyPath);
        Assert.Equal("OTEL_EXPORTER_OTLP_CLIENT_KEY", traces.ClientKeyPathSource);
    }

    [Fact]
    public void ExpiredFilesAreFoundAtTheGivenMoment()
    {
        using var pki = new EnvironmentPki();
        var environment = OtlpEnvironmentReader.Read(new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "https://collector:4318",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_EXPORTER_OTLP_CERTIFICATE"] = pki.CaCertificate,
        }, DateTimeOffset.UtcNow.AddYears(30));
        var finding = Assert.Single(environment.Findings, f => f.Id == OtlpFindingId.CertificateExpired);
        Assert.StartsWith($"OTEL_EXPORTER_OTLP_CERTIFICATE='{pki.CaCertificate}'", finding.Message);
        Assert.Equal(OtlpStage.Configuration, finding.Stage);
    }

    [Fact]
    public void RelativePathsAndPlaintextWithFilesAndClientWithoutCaAreFlagged()
    {
        using var pki = new EnvironmentPki();
        var environment = OtlpEnvironmentReader.Read(new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://collector:4318",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE"] = "client.crt",
            ["OTEL_EXPORTER_OTLP_CLIENT_KEY"] = pki.ClientKey,
        }, "test", null, pki.Dir.Path);
        var relative = Assert.Single(environment.Findings, f => f.Id == OtlpFindingId.RelativeFilePath);
        Assert.Contains(pki.ClientCertificate, relative.Remediation);
        Assert.Contains(environment.Findings, f => f.Id == OtlpFindingId.TlsFilesIgnored);
        Assert.Contains(environment.Findings, f => f.Id == OtlpFindingId.ClientCertificateWithoutCa);
        Assert.DoesNotContain(environment.Findings, f => f.Id == OtlpFindingId.ClientKeyMismatch || f.Id == OtlpFindingId.ConfiguredFileNotFound);
    }

    [Fact]
    public void HalfAClientPairIsAnError()
    {
        using var pki = new EnvironmentPki();
        var environment = Read(("OTEL_EXPORTER_OTLP_ENDPOINT", "https://collector:4318"), ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
            ("OTEL_EXPORTER_OTLP_CERTIFICATE", pki.CaCertificate), ("OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE", pki.ClientCertificate));
        var finding = Assert.Single(environment.Findings);
        Assert.Equal(OtlpFindingId.ClientCertificateIncomplete, finding.Id);
        Assert.Contains("OTEL_EXPORTER_OTLP_CLIENT_KEY", finding.Message);
    }

    [Fact]
    public void ServerCertificateAsClientCertificateIsNotForClientAuth()
    {
        using var pki = new EnvironmentPki();
        var environment = Read(("OTEL_EXPORTER_OTLP_ENDPOINT", "https://collector:4318"), ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
            ("OTEL_EXPORTER_OTLP_CERTIFICATE", pki.CaCertificate),
            ("OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE", pki.ServerCertificate), ("OTEL_EXPORTER_OTLP_CLIENT_KEY", pki.ServerKey));
        var finding = Assert.Single(environment.Findings);
        Assert.Equal(OtlpFindingId.ClientCertificateNotForClientAuth, finding.Id);
        Assert.StartsWith("OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE=", finding.Message);
    }

    [Fact]
    public void PerSignalCertificateWithoutGenericIsAnOverride()
    {
        using var pki = new EnvironmentPki();
        var environment = Read(("OTEL_EXPORTER_OTLP_ENDPOINT", "https://collector:4318"), ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
            ("OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE", pki.CaCertificate));
        var finding = Assert.Single(environment.Findings);
        Assert.Equal(OtlpFindingId.SignalOverrideDiffers, finding.Id);
        Assert.Contains(".NET", finding.Cause);
        Assert.Null(Signal(environment, "metrics").CertificatePath);
    }
}

/// <summary>A root CA, a server and a client certificate written as PEM files.</summary>
internal sealed class EnvironmentPki : IDisposable
{
    public EnvironmentPki()
    {
        Root = CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.CA, CommonName = "Env Test Root" });
        Server = CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.Server, CommonName = "collector", DnsNames = { "collector", "localhost" }, IPAddresses = { "127.0.0.1" }, Signer = Root });
        Client = CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.Client, CommonName = "exporter", Signer = Root });
        File.WriteAllText(CaCertificate, Root.CertificatePem);
        CertificateFiles.WriteCertificateAndKey(Server, ServerCertificate, ServerKey, force: true);
        CertificateFiles.WriteCertificateAndKey(Client, ClientCertificate, ClientKey, force: true);
    }

    public TempDirectory Dir { get; } = new();
    public IssuedCertificate Root { get; }
    public IssuedCertificate Server { get; }
    public IssuedCertificate Client { get; }
    public string CaCertificate => Dir.File("ca.crt");
    public string ServerCertificate => Dir.File("server.crt");
    public string ServerKey => Dir.File("server.key");
    public string ClientCertificate => Dir.File("client.crt");
    public string ClientKey => Dir.File("client.key");

    public void Dispose() => Dir.Dispose();
}
