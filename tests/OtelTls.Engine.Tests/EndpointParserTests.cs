using OtelTls.Engine.Diagnosis;
using OtelTls.Engine.Endpoints;

namespace OtelTls.Engine.Tests;

public class EndpointParserTests
{
    [Theory]
    [InlineData("collector:4317", "collector", 4317, OtlpProtocol.Grpc, null, "")]
    [InlineData("collector", "collector", 4317, OtlpProtocol.Grpc, null, "")]
    [InlineData("collector:4318", "collector", 4318, OtlpProtocol.HttpProtobuf, null, "/v1/traces")]
    [InlineData("https://collector:4318/v1/traces", "collector", 4318, OtlpProtocol.HttpProtobuf, true, "/v1/traces")]
    [InlineData("https://collector/v1/traces", "collector", 443, OtlpProtocol.HttpProtobuf, true, "/v1/traces")]
    [InlineData("http://collector/v1/logs", "collector", 80, OtlpProtocol.HttpProtobuf, false, "/v1/logs")]
    [InlineData("https://collector:4317", "collector", 4317, OtlpProtocol.Grpc, true, "")]
    [InlineData("http://collector", "collector", 4317, OtlpProtocol.Grpc, false, "")]
    [InlineData("[::1]:4317", "::1", 4317, OtlpProtocol.Grpc, null, "")]
    [InlineData("::1", "::1", 4317, OtlpProtocol.Grpc, null, "")]
    [InlineData("dns:///collector.observability.svc:4317", "collector.observability.svc", 4317, OtlpProtocol.Grpc, null, "")]
    [InlineData("dns:collector:4317", "collector", 4317, OtlpProtocol.Grpc, null, "")]
    [InlineData("  127.0.0.1:55680 ", "127.0.0.1", 55680, OtlpProtocol.Grpc, null, "")]
    public void ParsesWhatUsersPaste(string text, string host, int port, OtlpProtocol protocol, bool? tls, string path)
    {
        var endpoint = EndpointParser.Parse(text);
        Assert.Equal(host, endpoint.Host);
        Assert.Equal(port, endpoint.Port);
        Assert.Equal(protocol, endpoint.Protocol);
        Assert.Equal(tls, endpoint.TlsRequested);
        Assert.Equal(path, endpoint.Path);
        Assert.Equal(text, endpoint.Original);
    }

    [Fact]
    public void ExplicitProtocolWinsAndFillsTheSignalPath()
    {
        var endpoint = EndpointParser.Parse("collector:4317", OtlpProtocol.HttpProtobuf, OtlpSignal.Metrics);
        Assert.Equal(OtlpProtocol.HttpProtobuf, endpoint.Protocol);
        Assert.Equal("/v1/metrics", endpoint.Path);
        Assert.Equal("https://collector:4317/v1/metrics", endpoint.Url);
        Assert.Equal("[::1]:4317", EndpointParser.Parse("[::1]:4317").Authority);
        Assert.True(EndpointParser.Parse("10.0.0.1:4317").IsIPAddress);
        Assert.True(EndpointParser.Parse("collector").IsDefaultPort);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("grpc://collector:4317")]
    [InlineData("collector:notaport")]
    [InlineData("collector:70000")]
    [InlineData("collector:0")]
    [InlineData("[::1:4317")]
    [InlineData("[collector]:4317")]
    [InlineData("fe80::1:2:3:zz")]
    [InlineData("bad host:4317")]
    [InlineData("https://user:secret@collector:4317")]
    [InlineData("https://:4317")]
    public void RejectsMalformedEndpointsWithOneStableError(string text)
    {
        var error = Assert.Throws<OtlpTlsException>(() => EndpointParser.Parse(text));
        Assert.Equal("InvalidEndpoint", error.ErrorId);
        Assert.Equal(OtlpErrorKind.InvalidArgument, error.Kind);
        Assert.DoesNotContain("secret", error.Message);
        Assert.DoesNotContain("secret", error.Target?.ToString() ?? string.Empty);
    }
}
