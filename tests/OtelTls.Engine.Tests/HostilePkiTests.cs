using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using OtelTls.Engine.Certificates;
using OtelTls.Engine.Diagnosis;
using OtelTls.Lab;
using Xunit;

namespace OtelTls.Engine.Tests;

/// <summary>
/// Every hostile PKI of the lab (made by openssl), served on loopback, judged four ways: openssl s_client
/// -verify_return_error, .NET SslStream with the same custom root, our endpoint diagnosis (online) and Test-OtlpCertificate's
/// checker on the files (offline). Our verdict must accept exactly what both independent stacks accept: a chain either rejects
/// is never Healthy/IsHealthy, and a chain both accept is never Failed.
/// </summary>
public class HostilePkiTests
{
    public static IEnumerable<object[]> HostileScenarios =>
        LabScenario.All.Where(s => s.Name.StartsWith("hostile-", StringComparison.Ordinal)).Select(s => new object[] { s.Name });

    [Theory]
    [Trait("Reliability", "HostilePki")]
    [MemberData(nameof(HostileScenarios))]
    public async Task Online_and_offline_verdicts_agree_with_openssl_and_SslStream(string name)
    {
        await using var lab = await LabScenario.StartAsync(name);
        var openssl = OpenSslAccepts(lab);
        var dotnet = await SslStreamAccepts(lab);

        var chain = CertificateReader.ReadFile(lab.ServerCertificateFile);
        var offline = CertificateChecker.Check(chain, new CertificateCheckOptions
        {
            TrustedAuthorities = CertificateReader.ReadFile(lab.CaFile),
            HostName = lab.Host,
            Usage = OtlpCertificateUsage.Server,
        });
        var online = await EndpointDiagnoser.DiagnoseAsync(lab.Endpoint, LabDiagnosisTests.OptionsFor(lab, TimeSpan.FromSeconds(8)), CancellationToken.None);

        var describe = $"{name}: openssl {(openssl.Accepted ? "accepts" : "rejects (" + openssl.Detail + ")")}; SslStream {(dotnet.Accepted ? "accepts" : "rejects (" + dotnet.Detail + ")")}; " +
                       $"offline {offline.Status} [{string.Join(", ", offline.Findings.Select(f => f.Id + "/" + f.Severity))}]; " +
                       $"online {online.Status} [{string.Join(", ", online.Findings.Select(f => f.Id + "/" + f.Severity))}]";
        var independent = openssl.Accepted && dotnet.Accepted;
        Assert.True(offline.IsValid == independent, describe);
        Assert.True(online.IsHealthy == independent, describe);
        Assert.True(offline.Status == lab.Info.ExpectedStatus, describe);
        if (lab.Info.ExpectedFindingId is { } expected)
        {
            Assert.Contains(offline.Findings, f => f.Id == expected);
            Assert.Contains(online.Findings, f => f.Id == expected);
        }
    }

    private static (bool Accepted, string Detail) OpenSslAccepts(LabScenario lab)
    {
        var start = new ProcessStartInfo("openssl",
            $"s_client -connect {lab.Endpoint} -CAfile \"{lab.CaFile}\" -verify_return_error -verify_ip {lab.Host} -servername localhost")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(20_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("openssl s_client " + lab.Endpoint);
        }

        var text = output.Result + error.Result;
        var accepted = process.ExitCode == 0 && text.Contains("Verify return code: 0 (ok)", StringComparison.Ordinal);
        var detail = text.Split('\n').FirstOrDefault(l => l.Contains("verify error", StringComparison.Ordinal) || l.Contains(":error:", StringComparison.Ordinal))?.Trim() ?? "exit " + process.ExitCode;
        return (accepted, detail);
    }

    private static async Task<(bool Accepted, string Detail)> SslStreamAccepts(LabScenario lab)
    {
        using var root = X509Certificate2.CreateFromPem(System.IO.File.ReadAllText(lab.CaFile));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(lab.Host, lab.Port, timeout.Token);
        await using var tls = new SslStream(tcp.GetStream());
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(root);
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = lab.Host,
                CertificateChainPolicy = policy,
            }, timeout.Token);
            return (true, string.Empty);
        }
        catch (System.Security.Authentication.AuthenticationException e)
        {
            return (false, e.Message);
        }
        catch (System.IO.IOException e)
        {
            return (false, e.Message);
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            // .NET's chain builder throws on some malformed extensions instead of reporting a status: still a refusal.
            return (false, e.GetType().Name + ": " + e.Message);
        }
    }
}
