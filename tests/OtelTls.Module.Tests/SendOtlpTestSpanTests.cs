using System;
using System.Collections;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;

namespace OtelTls.Module.Tests;

/// <summary>Send-OtlpTestSpan as a PowerShell user runs it, against nginx terminating TLS with an openssl-made PKI.</summary>
public sealed class SendOtlpTestSpanTests : IAsyncLifetime
{
    private const string Locations = """
        location = /v1/traces { if ($http_authorization != "Bearer s3cret-token") { return 401; } return 200; }
        location = /v1/logs { return 200; }
        location / { return 404; }
        """;

    private readonly TempDirectory _dir = new();
    private NginxServer _nginx = null!;
    private Pem _root = null!;

    public async Task InitializeAsync()
    {
        try
        {
            var pki = new OpenSslPki(_dir);
            _root = pki.Root("Module Test Root");
            var server = pki.Issue("collector", _root, OpenSslPki.Server("DNS:localhost,DNS:otel-collector,IP:127.0.0.1"));
            _nginx = await NginxServer.StartAsync(server.Cert, server.Key, Locations);
        }
        catch
        {
            // xunit does not call DisposeAsync when InitializeAsync throws (nginx missing or failing to start): the keys
            // just written would outlive the test.
            _dir.Dispose();
            throw;
        }
    }

    public Task DisposeAsync()
    {
        _nginx?.Dispose();
        _dir.Dispose();
        return Task.CompletedTask;
    }

    private string Url(string path = "/v1/traces") => $"https://{_nginx.Authority}{path}";

    [Fact]
    public void ASpanIsSentWithTheHeaderAndTheResultIsTyped()
    {
        using var session = new PowerShellSession();
        var result = session.Run(
            "Send-OtlpTestSpan -Endpoint $args[0] -CaCertificate $args[1] -Header @{ Authorization = $args[2] } -ServiceName billing " +
            "-Attribute @{ run = 7; region = 'eu' } -Verbose",
            Url(), _root.Cert, "Bearer s3cret-token");

        result.AssertNoErrors();
        var export = result.Output.Single();
        Reflect.IsType("OtelTls.OtlpExportResult", export);
        Assert.True(Reflect.Get<bool>(export, "Succeeded"), Reflect.Get<string>(export, "Message"));
        Assert.Equal(200, Reflect.Get<int?>(export, "StatusCode"));
        Assert.Equal("HttpProtobuf", Reflect.Get(export, "Protocol")!.ToString());
        Assert.Equal("billing", Reflect.Get<string>(export, "ServiceName"));
        Assert.Matches("^[0-9a-f]{32}$", Reflect.Get<string>(export, "TraceId"));
        Assert.StartsWith("TLS 1.", Reflect.Get<string>(export, "TlsVersion"));
        Assert.Contains(result.Verbose, v => v.Contains("Authorization (values not shown)", StringComparison.Ordinal));
        Assert.Contains(result.Verbose, v => v.StartsWith("TLS: TLS 1.", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Verbose, v => v.Contains("s3cret", StringComparison.Ordinal));
    }

    [Fact]
    public void AHeaderValueCanBeASecureString()
    {
        using var session = new PowerShellSession();
        var result = session.Run(
            "$token = [System.Security.SecureString]::new(); foreach ($c in 'Bearer s3cret-token'.ToCharArray()) { $token.AppendChar($c) }; " +
            "Send-OtlpTestSpan $args[0] -CaCertificate $args[1] -Header @{ Authorization = $token }", Url(), _root.Cert);
        result.AssertNoErrors();
        Assert.True(Reflect.Get<bool>(result.Output.Single(), "Succeeded"));
    }

    [Fact]
    public void EndpointsBindFromThePipelineByPropertyName()
    {
        using var session = new PowerShellSession();
        var result = session.Run(
            "@([pscustomobject]@{ Endpoint = $args[0] }, [pscustomobject]@{ Endpoint = $args[1] }) | " +
            "Send-OtlpTestSpan -CaCertificate $args[2] -Header @{ Authorization = 'Bearer s3cret-token' }",
            Url(), Url("/v1/traces/v1/traces"), _root.Cert);

        Assert.Equal(2, result.Output.Count);
        Assert.True(Reflect.Get<bool>(result.Output[0], "Succeeded"));
        Assert.False(Reflect.Get<bool>(result.Output[1], "Succeeded"));
        var error = result.SingleError();
        Assert.Equal("OtlpPathNotFound,OtelTls.Commands.SendOtlpTestSpanCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Contains("/v1/traces", error.ErrorDetails.RecommendedAction);
    }

    [Fact]
    public void AMissingHeaderIsOtlpUnauthenticatedAndTheFindingSaysSo()
    {
        using var session = new PowerShellSession();
        var result = session.Run("Send-OtlpTestSpan $args[0] -CaCertificate $args[1] -Header @{ 'X-Scope' = 'secret-scope' }", Url(), _root.Cert);

        var error = result.SingleError();
        Assert.Equal("OtlpUnauthenticated,OtelTls.Commands.SendOtlpTestSpanCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
        Assert.Contains("X-Scope", error.Exception.Message);
        Assert.DoesNotContain("secret-scope", error.Exception.Message + error.ErrorDetails.RecommendedAction);
        var finding = Reflect.Get(result.Output.Single(), "Finding");
        Assert.Equal("OtlpUnauthenticated", Reflect.Get<string>(finding, "Id"));
    }

    [Fact]
    public void AnInvalidHeaderNameIsAnArgumentErrorAndNothingIsSent()
    {
        using var session = new PowerShellSession();
        var result = session.Run("Send-OtlpTestSpan $args[0] -CaCertificate $args[1] -Header @{ 'Bad Name' = 'v' }", Url(), _root.Cert);
        Assert.Empty(result.Output);
        var error = result.SingleError();
        Assert.Equal("InvalidHeaderName,OtelTls.Commands.SendOtlpTestSpanCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
    }

    [Fact]
    public void AnUntrustedServerIsAConnectionErrorThatPointsAtTheDiagnosis()
    {
        using var session = new PowerShellSession();
        var result = session.Run("Send-OtlpTestSpan $args[0] -TimeoutSec 5", Url());
        var error = result.SingleError();
        Assert.Equal("OtlpExportFailed,OtelTls.Commands.SendOtlpTestSpanCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
        Assert.Contains("never reached OTLP", error.Exception.Message);
        Assert.Contains("Test-OtlpTlsEndpoint", error.ErrorDetails.RecommendedAction);
        Assert.Equal(Url(), error.TargetObject);
    }

    [Fact]
    public void GrpcAgainstThisHttp11PortIsOtlpWrongProtocol()
    {
        using var session = new PowerShellSession();
        var result = session.Run("Send-OtlpTestSpan $args[0] -Protocol grpc -CaCertificate $args[1]", _nginx.Authority, _root.Cert);
        var error = result.SingleError();
        Assert.Equal("OtlpWrongProtocol,OtelTls.Commands.SendOtlpTestSpanCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ProtocolError, error.CategoryInfo.Category);
        Assert.Equal("Grpc", Reflect.Get(result.Output.Single(), "Protocol")!.ToString());
    }

    [Theory]
    [InlineData("-Protocol http/json")]
    [InlineData("-TimeoutSec 0")]
    [InlineData("-Signal profiles")]
    public void BadArgumentsAreRejectedByTheBinder(string arguments)
    {
        using var session = new PowerShellSession();
        var error = session.Run("Send-OtlpTestSpan x:4318 " + arguments).SingleError();
        // Validation (a set, a range) or conversion to the enum: either way the binder refuses before anything runs.
        Assert.IsAssignableFrom<ParameterBindingException>(error.Exception);
    }

    [Fact]
    public void AMalformedEndpointIsInvalidEndpoint()
    {
        using var session = new PowerShellSession();
        var error = session.Run("Send-OtlpTestSpan 'https://bad host:4318'").SingleError();
        Assert.Equal("InvalidEndpoint,OtelTls.Commands.SendOtlpTestSpanCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
    }

    [Fact]
    public void TheFormatViewRendersTheResult()
    {
        using var session = new PowerShellSession();
        var result = session.Run("Import-Module -Assembly $args[2]; " +
            "Send-OtlpTestSpan $args[0] -CaCertificate $args[1] -Header @{ Authorization = 'Bearer s3cret-token' } | Out-String -Width 200",
            Url(), _root.Cert, typeof(Microsoft.PowerShell.Commands.OutStringCommand).Assembly);
        result.AssertNoErrors();
        var text = result.Output.Cast<string>().Single();
        Assert.Matches(@"Succeeded\s+Protocol\s+Status\s+Ms\s+Tls\s+TraceId\s+Message", text);
        Assert.Matches(@"True\s+HttpProtobuf\s+200\s+\d+\s+TLS 1\.\d\s+[0-9a-f]{32}\s+The OTLP/HTTP receiver", text);
    }

    [Fact]
    public void FromEnvironmentReadsTheVariablesAsAnSdkDoes()
    {
        var dotenv = _dir.File("exporter.env");
        System.IO.File.WriteAllText(dotenv,
            $"OTEL_EXPORTER_OTLP_ENDPOINT=https://{_nginx.Authority}\n" +
            "OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf\n" +
            $"OTEL_EXPORTER_OTLP_CERTIFICATE={System.IO.Path.GetFileName(_root.Cert)}\n" +
            "OTEL_EXPORTER_OTLP_HEADERS=authorization=Bearer%20s3cret-token\n");
        using var session = new PowerShellSession();
        var result = session.Run("Send-OtlpTestSpan -FromEnvironment -EnvironmentPath $args[0] -Verbose", dotenv);

        result.AssertNoErrors();
        var export = result.Output.Single();
        Assert.True(Reflect.Get<bool>(export, "Succeeded"), Reflect.Get<string>(export, "Message"));
        Assert.Equal(Url(), Reflect.Get<string>(export, "Url"));
        Assert.Contains(result.Verbose, v => v.Contains("authorization (values not shown)", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(result.Verbose, v => v.Contains("s3cret", StringComparison.Ordinal));
    }

    [Fact]
    public void FromEnvironmentShowsTheDoubledPathOfAGenericEndpointWithV1Traces()
    {
        var dotenv = _dir.File("doubled.env");
        System.IO.File.WriteAllText(dotenv,
            $"OTEL_EXPORTER_OTLP_ENDPOINT=https://{_nginx.Authority}/v1/traces\n" +
            "OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf\n" +
            $"OTEL_EXPORTER_OTLP_CERTIFICATE={_root.Cert}\n" +
            "OTEL_EXPORTER_OTLP_TRACES_HEADERS=authorization=Bearer%20s3cret-token\n");
        using var session = new PowerShellSession();
        var result = session.Run("Send-OtlpTestSpan -FromEnvironment -EnvironmentPath $args[0]", dotenv);

        Assert.Equal(Url("/v1/traces/v1/traces"), Reflect.Get<string>(result.Output.Single(), "Url"));
        Assert.Equal("OtlpPathNotFound,OtelTls.Commands.SendOtlpTestSpanCommand", result.SingleError().FullyQualifiedErrorId);
    }

    [Fact]
    public void SignalLogsGoesToTheLogsPath()
    {
        using var session = new PowerShellSession();
        var result = session.Run("Send-OtlpTestSpan $args[0] -Protocol http/protobuf -Signal logs -CaCertificate $args[1] -Verbose",
            $"https://{_nginx.Authority}", _root.Cert);
        result.AssertNoErrors();
        var export = result.Output.Single();
        Assert.Equal(Url("/v1/logs"), Reflect.Get<string>(export, "Url"));
        Assert.Equal("Logs", Reflect.Get(export, "Signal")!.ToString());
        Assert.Contains(result.Verbose, v => v.StartsWith("Sending one log record", StringComparison.Ordinal));
    }
}
