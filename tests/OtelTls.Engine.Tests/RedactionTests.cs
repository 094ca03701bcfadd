using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using OtelTls.Engine.Configuration;
using OtelTls.Engine.Diagnosis;
using OtelTls.Engine.Otlp;
using OtelTls.Engine.Client;
using OtelTls.Engine.Endpoints;

namespace OtelTls.Engine.Tests;

/// <summary>One redaction function for URLs and headers; every engine output that quotes an endpoint or headers uses it.</summary>
public sealed class RedactionTests
{
    private const string Secret = "S3cr3tV4lue";

    [Theory]
    [Trait("Reliability", "Secret")]
    [InlineData("https://user:" + Secret + "@collector:4318", "https://***@collector:4318")]
    [InlineData("https://user:pa/" + Secret + "@collector:4318/v1/traces", "https://***@collector:4318/v1/traces")]
    [InlineData("https://user:p@" + Secret + "@collector:4318", "https://***@collector:4318")]
    [InlineData("https://user:p:" + Secret + "@collector:4318", "https://***@collector:4318")]
    [InlineData("user:" + Secret + "@collector:4317", "***@collector:4317")]
    [InlineData("https://collector:4318/v1/traces?api_key=" + Secret + "&region=eu", "https://collector:4318/v1/traces?api_key=***&region=***")]
    [InlineData("https://collector:4318?" + Secret, "https://collector:4318?***")]
    [InlineData("https://collector:4318/v1/traces#" + Secret, "https://collector:4318/v1/traces#***")]
    [InlineData("https://collector:4318/v1/traces", "https://collector:4318/v1/traces")]
    [InlineData("[::1]:4317", "[::1]:4317")]
    public void Url_masks_userinfo_query_and_fragment(string url, string expected)
    {
        Assert.Equal(expected, Redaction.Url(url));
        Assert.DoesNotContain(Secret, Redaction.Url(url));
    }

    [Theory]
    [Trait("Reliability", "Secret")]
    [InlineData("api-key=" + Secret, "api-key=***")]
    [InlineData("api-key=" + Secret + ",x-tenant=" + Secret, "api-key=***,x-tenant=***")]
    [InlineData("Authorization=Basic abc," + Secret, "Authorization=***")]
    [InlineData("Authorization=Basic YWJj," + Secret + "=", "Authorization=***")]
    [InlineData("Authorization=Basic YWJj," + Secret + "==", "Authorization=***")]
    [InlineData("Authorization=Bearer " + Secret + "=x", "Authorization=***")]
    [InlineData(Secret, "***")]
    [InlineData(" api-key = " + Secret + " ", "api-key=***")]
    public void Headers_mask_every_value_including_what_follows_a_comma(string headers, string expected)
    {
        Assert.Equal(expected, Redaction.Headers(headers));
    }

    [Fact]
    [Trait("Reliability", "Secret")]
    public void Environment_variables_and_findings_never_show_endpoint_credentials_or_header_values()
    {
        var environment = OtlpEnvironmentReader.Read(new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "https://user:pa/" + Secret + "@collector:4318",
            ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = "https://collector:4318/v1/traces?api_key=" + Secret,
            ["OTEL_EXPORTER_OTLP_HEADERS"] = "Authorization=Basic abc," + Secret,
            ["OTEL_EXPORTER_OTLP_METRICS_HEADERS"] = "api-key=" + Secret,
        });

        var everything = JsonSerializer.Serialize(environment) + environment + string.Join("\n", environment.Findings.Select(f => f.ToString() + f.Cause + f.Remediation + f.Evidence));
        Assert.DoesNotContain(Secret, everything);
        Assert.Equal("Authorization=***", environment.Variables["OTEL_EXPORTER_OTLP_HEADERS"]);
        Assert.Equal("https://***@collector:4318", environment.Variables["OTEL_EXPORTER_OTLP_ENDPOINT"]);
    }

    [Theory]
    [Trait("Reliability", "Secret")]
    [InlineData("https://user:pa/" + Secret + "@collector:4318")]
    [InlineData("https://user:" + Secret + "@collector:4318")]
    [InlineData("collector:43x8?api_key=" + Secret)]
    [InlineData("https://user:" + Secret + "@collector:43x8/v1/traces")]
    public void Endpoint_errors_never_echo_credentials(string text)
    {
        var error = Assert.Throws<OtlpTlsException>(() => EndpointParser.Parse(text));
        Assert.DoesNotContain(Secret, error.Message + error.Target + error.RecommendedAction);
    }

    [Fact]
    [Trait("Reliability", "Secret")]
    public async Task Diagnosis_and_export_results_never_show_a_query_secret()
    {
        using var server = RawServer.Silent();
        var endpoint = $"https://127.0.0.1:{server.Port}/v1/traces?api_key={Secret}";
        var diagnosis = await EndpointDiagnoser.DiagnoseAsync(endpoint, new DiagnosisOptions { Client = new OtlpClientSettings(timeout: TimeSpan.FromSeconds(1)) }, CancellationToken.None);
        using var client = new OtlpClientSettings(headers: new Dictionary<string, string> { ["api-key"] = Secret }, timeout: TimeSpan.FromSeconds(1));
        var export = await OtlpClient.SendTestSpanAsync(EndpointParser.Parse(endpoint), client, new OtlpTestSpan(), CancellationToken.None);

        var text = diagnosis.Endpoint + diagnosis.Summary + diagnosis.OpenSslCommand + diagnosis + JsonSerializer.Serialize(diagnosis)
                   + string.Join("\n", diagnosis.Findings.Select(f => f.Message + f.Cause + f.Remediation + f.Evidence))
                   + export + JsonSerializer.Serialize(export);
        Assert.DoesNotContain(Secret, text);
        Assert.Contains("api_key=***", diagnosis.Endpoint);
    }

    [Fact]
    [Trait("Reliability", "Secret")]
    public void A_query_is_kept_for_the_export_but_not_in_any_public_property()
    {
        var endpoint = EndpointParser.Parse("https://collector:4318/v1/traces?api_key=" + Secret);
        var query = typeof(OtlpEndpoint).GetProperty("Query", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!;
        Assert.Equal("?api_key=" + Secret, query.GetValue(endpoint));
        Assert.DoesNotContain(Secret, JsonSerializer.Serialize(endpoint) + endpoint + endpoint.Url);
    }
}
