using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using OtelTls.Engine.Certificates;
using OtelTls.Engine.Diagnosis;
using OtelTls.Engine.Otlp;
using OtelTls.Engine.Client;
using OtelTls.Engine.Endpoints;

namespace OtelTls.Engine.Tests;

/// <summary>Bad -ServerName, -CommonName and endpoint text: stable ids and kinds, never a raw .NET or BouncyCastle exception.</summary>
public sealed class InputValidationTests
{
    public static IEnumerable<object[]> BadServerNames() => new[]
    {
        new object[] { "collector\r\nX-Injected: 1" },
        new object[] { new string('a', 300) },
        new object[] { "collector name" },
        new object[] { string.Empty },
        new object[] { "collector\0" },
    };

    [Theory]
    [Trait("Reliability", "BadInput")]
    [MemberData(nameof(BadServerNames))]
    public void A_ServerName_with_CRLF_or_300_characters_is_InvalidServerName_before_any_connection(string serverName)
    {
        // The client settings every command builds (diagnosis, export, certificate fetch) refuse it before a socket opens.
        var error = Assert.Throws<OtlpTlsException>(() => new OtlpClientSettings(serverName: serverName, timeout: TimeSpan.FromSeconds(2)));
        Assert.Equal("InvalidServerName", error.ErrorId);
        Assert.Equal(OtlpErrorKind.InvalidArgument, error.Kind);
        Assert.DoesNotContain("\n", error.Message);
    }

    [Theory]
    [Trait("Reliability", "BadInput")]
    [InlineData("collector.example.com")]
    [InlineData("otel_collector.svc")]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public void A_DNS_name_or_IP_is_a_valid_ServerName(string serverName) => EndpointParser.ValidateServerName(serverName);

    [Theory]
    [Trait("Reliability", "BadInput")]
    [InlineData(65)]
    [InlineData(300)]
    public void A_CommonName_over_64_characters_is_InvalidCommonName(int length)
    {
        var error = Assert.Throws<OtlpTlsException>(() => CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.CA, CommonName = new string('c', length) }));
        Assert.Equal("InvalidCommonName", error.ErrorId);
        Assert.Equal(OtlpErrorKind.InvalidArgument, error.Kind);
    }

    [Fact]
    [Trait("Reliability", "BadInput")]
    public void A_CommonName_with_a_line_break_is_InvalidCommonName()
    {
        var error = Assert.Throws<OtlpTlsException>(() => CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.CA, CommonName = "Root\nCA" }));
        Assert.Equal("InvalidCommonName", error.ErrorId);
    }

    [Fact]
    [Trait("Reliability", "BadInput")]
    public void A_64_character_CommonName_and_a_long_DNS_name_without_CommonName_are_issued()
    {
        Assert.Equal("CN=" + new string('c', 64), CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.CA, CommonName = new string('c', 64) }).ToModel().Subject);
        var longName = string.Join(".", new string('a', 60), new string('b', 60), "example.com");
        var server = CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.Server, DnsNames = { longName } });
        Assert.Contains(longName, server.ToModel().DnsNames);
    }

    [Theory]
    [Trait("Reliability", "BadInput")]
    [InlineData("4317")]
    [InlineData("4318")]
    [InlineData(" 4317 ")]
    public void A_bare_port_number_is_EndpointHostMissing_not_the_IP_0_0_16_221(string text)
    {
        var error = Assert.Throws<OtlpTlsException>(() => EndpointParser.Parse(text));
        Assert.Equal("EndpointHostMissing", error.ErrorId);
        Assert.Equal(OtlpErrorKind.InvalidArgument, error.Kind);
        Assert.Contains("localhost:" + text.Trim(), error.RecommendedAction);
    }

    [Theory]
    [Trait("Reliability", "BadInput")]
    [InlineData("127.1:4317")]
    [InlineData("2130706433:4317")]
    public void An_IPv4_shorthand_is_refused_as_exporters_refuse_it(string text)
    {
        var error = Assert.Throws<OtlpTlsException>(() => EndpointParser.Parse(text));
        Assert.Equal("InvalidEndpoint", error.ErrorId);
    }

    [Theory]
    [Trait("Reliability", "BadInput")]
    [InlineData("localhost:4317", "localhost", 4317)]
    [InlineData("127.0.0.1:4317", "127.0.0.1", 4317)]
    [InlineData("https://collector:4318/v1/traces?x=1", "collector", 4318)]
    public void Ordinary_endpoints_still_parse(string text, string host, int port)
    {
        var endpoint = EndpointParser.Parse(text);
        Assert.Equal(host, endpoint.Host);
        Assert.Equal(port, endpoint.Port);
    }
}
