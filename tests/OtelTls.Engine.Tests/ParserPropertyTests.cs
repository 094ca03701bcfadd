using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using CsCheck;
using OtelTls.Engine.Certificates;
using OtelTls.Engine.Configuration;
using OtelTls.Engine.Diagnosis;
using OtelTls.Engine.Endpoints;

namespace OtelTls.Engine.Tests;

/// <summary>
/// Property-based tests (CsCheck) of every parser that reads user input: random and mutated inputs never let an exception
/// other than <see cref="OtlpTlsException"/> escape, and no case takes longer than a bound (a hang is a failure, not a
/// stuck test run). CsCheck shrinks a failing input to a small one and prints its seed.
/// </summary>
public sealed class ParserPropertyTests
{
    private const long Iterations = 500;
    private static readonly TimeSpan PerCase = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan PerProperty = TimeSpan.FromSeconds(90);

    private static readonly Lazy<(byte[] Pem, byte[] Der, byte[] Key, byte[] EncryptedKey)> Seeds = new(() =>
    {
        var ca = CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.CA, CommonName = "Fuzz Root" });
        var leaf = CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.Server, DnsNames = { "collector" }, Signer = ca });
        var key = Encoding.ASCII.GetBytes(leaf.PrivateKeyPem);
        return (Encoding.ASCII.GetBytes(leaf.ChainPem + ca.CertificatePem), leaf.Certificate.GetEncoded(), key, key);
    });

    /// <summary>Runs <paramref name="parse"/> on one input: only OtlpTlsException may escape, and it returns within the bound.</summary>
    private static void Survives<T>(T input, Action<T> parse)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            parse(input);
        }
        catch (OtlpTlsException)
        {
            // The documented failure: a clear error with a stable id.
        }

        Assert.True(watch.Elapsed < PerCase, $"one input took {watch.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>Samples <paramref name="gen"/> on a worker, so a parser that loops forever fails the test instead of hanging it.</summary>
    private static void Property<T>(Gen<T> gen, Action<T> parse)
    {
        var run = Task.Run(() => gen.Sample(input => Survives(input, parse), iter: Iterations));
        Assert.True(run.Wait(PerProperty), $"the property did not finish within {PerProperty.TotalSeconds} s (a parser hangs)");
    }

    /// <summary>Byte flips, insertions, deletions and truncations of a valid input: the inputs that get deepest into a parser.</summary>
    private static Gen<byte[]> Mutated(byte[] seed) =>
        Gen.Select(Gen.Int[0, 3], Gen.Int[0, int.MaxValue], Gen.Byte, Gen.Int[1, 64]).Array[1, 8].Select(mutations =>
        {
            var bytes = seed.ToList();
            foreach (var (op, at, value, count) in mutations)
            {
                if (bytes.Count == 0)
                {
                    break;
                }

                var position = at % bytes.Count;
                switch (op)
                {
                    case 0:
                        bytes[position] = value;
                        break;
                    case 1:
                        bytes.InsertRange(position, Enumerable.Repeat(value, count));
                        break;
                    case 2:
                        bytes.RemoveRange(position, Math.Min(count, bytes.Count - position));
                        break;
                    default:
                        bytes.RemoveRange(position, bytes.Count - position);
                        break;
                }
            }

            return bytes.ToArray();
        });

    /// <summary>Text built from the characters that matter to our grammars, plus any character.</summary>
    private static Gen<string> GrammarText(string alphabet) =>
        Gen.Frequency((4, Gen.Char[alphabet]), (1, Gen.Char)).Array[0, 80].Select(chars => new string(chars));

    [Fact]
    [Trait("Reliability", "BadInput")]
    public void Certificate_reader_survives_random_bytes() =>
        Property(Gen.Byte.Array[0, 2048], bytes => CertificateReader.Parse(bytes, "fuzz"));

    [Fact]
    [Trait("Reliability", "BadInput")]
    public void Certificate_reader_survives_mutated_PEM_bundles() =>
        Property(Mutated(Seeds.Value.Pem), bytes => CertificateReader.Parse(bytes, "fuzz"));

    [Fact]
    [Trait("Reliability", "BadInput")]
    public void Certificate_reader_survives_mutated_DER() =>
        Property(Mutated(Seeds.Value.Der), bytes => CertificateReader.Parse(bytes, "fuzz"));

    [Fact]
    [Trait("Reliability", "BadInput")]
    public void Certificate_reader_survives_PEM_armour_around_random_base64() =>
        Property(Gen.Byte.Array[0, 600], body => CertificateReader.Parse(
            Encoding.ASCII.GetBytes("-----BEGIN CERTIFICATE-----\n" + Convert.ToBase64String(body, Base64FormattingOptions.InsertLineBreaks) + "\n-----END CERTIFICATE-----\n"), "fuzz"));

    [Fact]
    [Trait("Reliability", "BadInput")]
    public void Private_key_reader_survives_mutated_keys() =>
        Property(Mutated(Seeds.Value.Key), bytes => PrivateKeyReader.Parse(bytes, "fuzz"));

    [Fact]
    [Trait("Reliability", "BadInput")]
    public void Private_key_reader_survives_random_bytes_with_a_password() =>
        Property(Gen.Byte.Array[0, 1024], bytes => PrivateKeyReader.Parse(bytes, "fuzz", "password"));

    [Fact]
    [Trait("Reliability", "BadInput")]
    public void Private_key_reader_survives_PEM_armour_around_random_DER() =>
        Property(Gen.Select(Gen.OneOf<string>("PRIVATE KEY", "EC PRIVATE KEY", "RSA PRIVATE KEY", "ENCRYPTED PRIVATE KEY"), Gen.Byte.Array[0, 400]),
            input => PrivateKeyReader.Parse(Encoding.ASCII.GetBytes(PemBlock.Encode(input.Item1, input.Item2)), "fuzz", "pw"));

    [Fact]
    [Trait("Reliability", "BadInput")]
    public void Endpoint_parser_survives_random_text() =>
        Property(GrammarText("htps:/[]@?#%.:0123456789abcdeflocalhost-_v1trace dns\r\n\t"), text =>
        {
            var endpoint = EndpointParser.Parse(text);
            Assert.InRange(endpoint.Port, 1, 65535);
            Assert.NotEmpty(endpoint.Host);
        });

    [Fact]
    [Trait("Reliability", "BadInput")]
    public void Endpoint_parser_never_reads_a_bare_number_as_an_address() =>
        Property(Gen.Int[0, 99999], number =>
        {
            var error = Assert.Throws<OtlpTlsException>(() => EndpointParser.Parse(number.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.Equal("EndpointHostMissing", error.ErrorId);
        });

    [Fact]
    [Trait("Reliability", "BadInput")]
    public void Server_name_validation_survives_random_text() =>
        Property(GrammarText("abc.-_019:\r\n *"), EndpointParser.ValidateServerName);

    [Fact]
    [Trait("Reliability", "BadInput")]
    public void DotEnv_parser_survives_random_text() =>
        Property(GrammarText("OTEL_EXPORTER=\"'\\#\n\r \texport$={}"), text =>
        {
            var variables = DotEnvFile.Parse(text);
            OtlpEnvironmentReader.Read(variables, "fuzz.env", DateTimeOffset.UnixEpoch, "/nonexistent");
        });

    [Fact]
    [Trait("Reliability", "BadInput")]
    public void Environment_reader_survives_random_variable_values() =>
        Property(Gen.Select(Gen.OneOf<string>("ENDPOINT", "TRACES_ENDPOINT", "PROTOCOL", "INSECURE", "HEADERS", "CERTIFICATE", "CLIENT_KEY", "METRICS_PROTOCOL"),
                GrammarText("htps:/[]@?#%.:43178grpc/protobuf,=")).Array[1, 6],
            pairs =>
            {
                var variables = new Dictionary<string, string>();
                foreach (var (name, value) in pairs)
                {
                    variables["OTEL_EXPORTER_OTLP_" + name] = value;
                }

                OtlpEnvironmentReader.Read(variables, "fuzz", DateTimeOffset.UnixEpoch, "/nonexistent");
            });

    [Fact]
    [Trait("Reliability", "BadInput")]
    public void Header_parser_survives_random_text() =>
        Property(GrammarText("ab=,%20 %zz\r\n\"'"), text =>
        {
            var headers = OtlpHeaderList.Parse(text);
            Assert.All(headers.Keys, name => Assert.NotEmpty(name));
        });

    [Fact]
    [Trait("Reliability", "Secret")]
    public void Header_redaction_never_shows_a_value_of_a_well_formed_list() =>
        Property(Gen.Select(Gen.String["abcdefghij-"].Where(n => n.Length > 0), Gen.String["ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/ ="].Where(v => v.Trim().Length >= 6)).Array[1, 4],
            pairs =>
            {
                var masked = Redaction.Headers(string.Join(",", pairs.Select(p => p.Item1 + "=" + p.Item2)));
                Assert.All(pairs, p => Assert.DoesNotContain(p.Item2.Trim(), masked));
            });

    [Fact]
    [Trait("Reliability", "Secret")]
    public void Url_redaction_never_shows_a_password_or_query_value() =>
        Property(Gen.Select(Gen.String["ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/@:!$&*"].Where(v => v.Length >= 6), Gen.String["ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~"].Where(v => v.Length >= 6)),
            input =>
            {
                var (password, key) = input;
                var masked = Redaction.Url($"https://user:{password}@collector:4318/v1/traces?api_key={key}");
                Assert.DoesNotContain(password, masked);
                Assert.DoesNotContain(key, masked);
            });
}
