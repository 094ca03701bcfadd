using System.Collections.Generic;
using System.Linq;
using BenchmarkDotNet.Attributes;
using OtelTls;
using OtelTls.Engine.Certificates;

namespace OtelTls.Perf;

/// <summary>
/// What one <c>Test-OtlpCertificate</c> check (and the certificate stages of an endpoint diagnosis) costs in the engine:
/// a P-256 leaf + intermediate checked against a CA file with host name and usage, and a leaf checked against the
/// system store. "Fresh" cycles through more distinct leaves than the signature-verdict memory holds, so every check
/// verifies signatures; "Repeated" is a fleet that presents the same chain again and again.
/// </summary>
[MemoryDiagnoser]
public class CertificateCheckBenchmarks
{
    private const int FreshLeaves = 5000;
    private readonly List<IReadOnlyList<OtlpCertificate>> _fresh = new();
    private IReadOnlyList<OtlpCertificate> _chain = null!;
    private IReadOnlyList<OtlpCertificate> _trusted = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var root = CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.CA, CommonName = "Perf Root" });
        var intermediate = CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.CA, CommonName = "Perf Issuing", Signer = root });
        _trusted = new[] { root.ToModel() };
        _chain = Leaf(intermediate);
        for (var i = 0; i < FreshLeaves; i++)
        {
            _fresh.Add(Leaf(intermediate));
        }

        // Index the system roots before measuring: that happens once per process.
        CertificateChecker.Check(_chain, new CertificateCheckOptions());
    }

    /// <summary>The same chain every time (signature verdicts remembered).</summary>
    [Benchmark(Baseline = true)]
    public OtlpCertificateCheck CaFileRepeated() => CertificateChecker.Check(_chain, Options(_trusted));

    /// <summary>A different leaf every time: the leaf's signature is verified.</summary>
    [Benchmark]
    public OtlpCertificateCheck CaFileFresh() => CertificateChecker.Check(_fresh[_next++ % FreshLeaves], Options(_trusted));

    /// <summary>Against the system trust store (the path ends at a private root nobody trusts).</summary>
    [Benchmark]
    public OtlpCertificateCheck SystemStoreRepeated() => CertificateChecker.Check(_chain, Options(null));

    private static CertificateCheckOptions Options(IReadOnlyList<OtlpCertificate>? trusted) => new()
    {
        TrustedAuthorities = trusted,
        HostName = "otel-collector",
        Usage = OtlpCertificateUsage.Server,
    };

    private static IReadOnlyList<OtlpCertificate> Leaf(IssuedCertificate signer)
    {
        var leaf = CertificateFactory.Issue(new CertificateSpec { Type = OtlpCertificateType.Server, DnsNames = { "otel-collector" }, Signer = signer });
        return new[] { leaf.Certificate }.Concat(leaf.Intermediates).Select((c, i) => CertificateDescriber.Create(c, null, i)).ToList();
    }
}
