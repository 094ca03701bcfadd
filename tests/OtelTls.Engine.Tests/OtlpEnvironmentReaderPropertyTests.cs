using System;
using System.Collections.Generic;
using System.Linq;
using CsCheck;
using OtelTls.Engine.Configuration;

namespace OtelTls.Engine.Tests;

/// <summary>
/// Properties of the exporter-environment reader over random variable sets built from the specification's names, with
/// good, bad and missing values and a real PKI: the precedence rule holds for every signal, the result does not depend on
/// the order the variables arrive in, and the verdict follows the findings.
/// </summary>
public sealed class OtlpEnvironmentReaderPropertyTests : IDisposable
{
    private const long Iterations = 300;
    private static readonly string[] Options = { "ENDPOINT", "PROTOCOL", "INSECURE", "HEADERS", "CERTIFICATE", "CLIENT_CERTIFICATE", "CLIENT_KEY" };
    private static readonly string?[] Signals = { null, "TRACES", "METRICS", "LOGS" };

    private readonly EnvironmentPki _pki = new();

    public void Dispose() => _pki.Dispose();

    private static string Name(string option, string? signal) =>
        signal is null ? $"OTEL_EXPORTER_OTLP_{option}" : $"OTEL_EXPORTER_OTLP_{signal}_{option}";

    private string[] Values(string option) => option switch
    {
        "ENDPOINT" => new[] { "https://collector:4317", "http://collector:4318", "collector:4317", "https://collector", "https://collector:4318/v1/traces", "ftp://x", "https://[::1]:4318", " " },
        "PROTOCOL" => new[] { "grpc", "http/protobuf", "http/json", "GRPC", "thrift" },
        "INSECURE" => new[] { "true", "false", "yes", "TRUE" },
        "HEADERS" => new[] { "api-key=secret", "a=1,b=2", "bad", "authorization=Bearer%20x" },
        "CLIENT_KEY" => new[] { _pki.ClientKey, _pki.ServerKey, _pki.Dir.File("missing.key"), "client.key" },
        _ => new[] { _pki.CaCertificate, _pki.ServerCertificate, _pki.ClientCertificate, _pki.Dir.File("missing.crt"), "ca.crt" },
    };

    /// <summary>A random subset of the variables, each with a value from its pool, in a random order.</summary>
    private Gen<(string Name, string Value)[]> Variables() =>
        Gen.Int[0, int.MaxValue].Array[Options.Length * Signals.Length].Select(picks =>
        {
            var chosen = new List<(string, string)>();
            var i = 0;
            foreach (var option in Options)
            {
                var values = Values(option);
                foreach (var signal in Signals)
                {
                    var pick = picks[i++];
                    if (pick % 3 == 0)
                    {
                        chosen.Add((Name(option, signal), values[(pick / 3) % values.Length]));
                    }
                }
            }

            return chosen.ToArray();
        });

    private OtlpTlsEnvironment Read(IEnumerable<(string Name, string Value)> variables)
    {
        var dictionary = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in variables)
        {
            dictionary[name] = value;
        }

        return OtlpEnvironmentReader.Read(dictionary, "test", DateTimeOffset.UtcNow, _pki.Dir.Path);
    }

    private static string Describe(OtlpTlsEnvironment environment) => string.Join("\n",
        environment.Findings.Select(f => $"{f.Id}|{f.Severity}|{f.Message}|{f.Evidence}")
            .Concat(environment.Signals.Select(s => $"{s.Signal}|{s.Protocol}|{s.ProtocolSource}|{s.EndpointSource}|{s.Url}|{s.CertificatePathSource}|{s.ClientCertificatePathSource}|{s.ClientKeyPathSource}|{s.InsecureSource}|{string.Join(",", s.HeaderNames)}")));

    [Fact]
    public void A_per_signal_variable_wins_over_the_generic_one_which_wins_over_the_default()
    {
        Variables().Sample(variables =>
        {
            var set = variables.ToDictionary(v => v.Name, v => v.Value);
            var environment = Read(variables);
            foreach (var configuration in environment.Signals)
            {
                var signal = configuration.Signal.ToString().ToUpperInvariant();
                string? Expected(string option) =>
                    set.ContainsKey(Name(option, signal)) ? Name(option, signal) : set.ContainsKey(Name(option, null)) ? Name(option, null) : null;

                Assert.Equal(Expected("CERTIFICATE"), configuration.CertificatePathSource);
                Assert.Equal(Expected("CLIENT_CERTIFICATE"), configuration.ClientCertificatePathSource);
                Assert.Equal(Expected("CLIENT_KEY"), configuration.ClientKeyPathSource);
                if (Expected("ENDPOINT") is null)
                {
                    Assert.Equal("default", configuration.EndpointSource);
                }
            }
        }, iter: Iterations);
    }

    [Fact]
    public void The_order_the_variables_arrive_in_changes_nothing()
    {
        Variables().Sample(variables =>
        {
            var forward = Describe(Read(variables));
            var backward = Describe(Read(variables.Reverse()));
            Assert.Equal(forward, backward);
        }, iter: Iterations);
    }

    [Fact]
    public void The_status_is_the_worst_finding()
    {
        Variables().Sample(variables =>
        {
            var environment = Read(variables);
            var expected = environment.Findings.Any(f => f.Severity == OtlpSeverity.Error) ? OtlpStatus.Failed
                : environment.Findings.Any(f => f.Severity == OtlpSeverity.Warning) ? OtlpStatus.Warning
                : OtlpStatus.Healthy;
            Assert.Equal(expected, environment.Status);
        }, iter: Iterations);
    }
}
