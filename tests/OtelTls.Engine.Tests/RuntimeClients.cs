using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using Grpc.Core;
using Grpc.Net.Client;
using OtelTls.Lab;

namespace OtelTls.Engine.Tests;

/// <summary>
/// Real TLS clients of this machine, each pointed at a lab scenario the way the scenario's client settings say (CA file
/// or not, client certificate or not, the name to verify), returning exactly what the client printed when it failed.
/// </summary>
internal static class RuntimeClients
{
    // The clients' own timeouts are 6 s; the bound leaves room for a slow start on a loaded machine.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    public static readonly OtlpRuntime[] All =
    {
        OtlpRuntime.OpenSsl, OtlpRuntime.Curl, OtlpRuntime.GnuTls, OtlpRuntime.Python, OtlpRuntime.Node, OtlpRuntime.DotNet,
    };

    /// <summary>Whether the runtime's client is installed here (a missing one is reported, not silently passed).</summary>
    public static bool IsInstalled(OtlpRuntime runtime) => runtime switch
    {
        OtlpRuntime.OpenSsl => OnPath("openssl"),
        OtlpRuntime.Curl => OnPath("curl"),
        OtlpRuntime.GnuTls => OnPath("gnutls-cli"),
        OtlpRuntime.Python => OnPath("python3"),
        OtlpRuntime.Node => OnPath("node"),
        _ => true,
    };

    /// <summary>Runs one client against the scenario; returns (failed, everything it printed).</summary>
    public static async Task<(bool Failed, string Output)> RunAsync(OtlpRuntime runtime, LabScenario lab)
    {
        var client = lab.Info.Client;
        var ca = client.UseCaFile ? lab.CaFile : null;
        var name = client.ServerName ?? lab.Host;
        var useCert = client.UseClientCertificate;
        var url = $"https://{(client.ServerName is null ? lab.Host : client.ServerName)}:{lab.Port}/v1/traces";
        switch (runtime)
        {
            case OtlpRuntime.OpenSsl:
            {
                var args = $"s_client -connect {lab.Host}:{lab.Port} -verify_return_error -servername {name} " +
                           (client.ServerName is null ? $"-verify_ip {lab.Host} " : $"-verify_hostname {name} ") +
                           (ca is null ? string.Empty : $"-CAfile {ca} ") +
                           (useCert ? $"-cert {lab.ClientCertificateFile} -key {lab.ClientKeyFile} " : string.Empty) +
                           (client.TlsVersion == "Tls12" ? "-tls1_2 " : string.Empty);
                // A request is sent so that a TLS 1.3 server's post-handshake verdict (alert 116) is read.
                return await RunAsync("openssl", args, "GET / HTTP/1.0\r\n\r\n");
            }

            case OtlpRuntime.Curl:
            {
                var args = $"-sS --max-time 6 -o /dev/null --resolve {client.ServerName ?? lab.Host}:{lab.Port}:{lab.Host} " +
                           (ca is null ? string.Empty : $"--cacert {ca} ") +
                           (useCert ? $"--cert {lab.ClientCertificateFile} --key {lab.ClientKeyFile} " : string.Empty) +
                           (client.TlsVersion == "Tls12" ? "--tls-max 1.2 " : string.Empty) + url;
                return await RunAsync("curl", args);
            }

            case OtlpRuntime.GnuTls:
            {
                var args = $"--port {lab.Port} --sni-hostname {name} --verify-hostname {name} " +
                           (ca is null ? string.Empty : $"--x509cafile {ca} ") +
                           (useCert ? $"--x509certfile {lab.ClientCertificateFile} --x509keyfile {lab.ClientKeyFile} " : string.Empty) +
                           (client.TlsVersion == "Tls12" ? "--priority NORMAL:-VERS-TLS1.3 " : string.Empty) + lab.Host;
                return await RunAsync("gnutls-cli", args, "GET / HTTP/1.0\r\n\r\n");
            }

            case OtlpRuntime.Python:
            {
                var script =
                    "import ssl,sys,urllib.request\n" +
                    $"ctx=ssl.create_default_context(cafile={Py(ca)})\n" +
                    (useCert ? $"ctx.load_cert_chain({Py(lab.ClientCertificateFile)},{Py(lab.ClientKeyFile)})\n" : string.Empty) +
                    (client.TlsVersion == "Tls12" ? "ctx.maximum_version=ssl.TLSVersion.TLSv1_2\n" : string.Empty) +
                    $"req=urllib.request.Request({Py(url)},data=b'',headers={{'Content-Type':'application/x-protobuf'}})\n" +
                    "urllib.request.urlopen(req,context=ctx,timeout=6).read()\n";
                var file = Path.Combine(lab.Directory, "client.py");
                await File.WriteAllTextAsync(file, script);
                return await RunAsync("python3", file);
            }

            case OtlpRuntime.Node:
            {
                var script =
                    "const https=require('https'),fs=require('fs');\n" +
                    $"const req=https.request({{host:{Js(lab.Host)},servername:{Js(name)},port:{lab.Port},path:'/v1/traces',method:'POST',timeout:6000," +
                    (ca is null ? string.Empty : $"ca:fs.readFileSync({Js(ca)}),") +
                    (useCert ? $"cert:fs.readFileSync({Js(lab.ClientCertificateFile)}),key:fs.readFileSync({Js(lab.ClientKeyFile)})," : string.Empty) +
                    (client.TlsVersion == "Tls12" ? "maxVersion:'TLSv1.2'," : string.Empty) +
                    "headers:{'content-type':'application/x-protobuf'}},res=>{res.resume();res.on('end',()=>process.exit(0));});\n" +
                    "req.on('error',e=>{console.error(e);process.exit(1);});req.on('timeout',()=>{console.error('timeout');process.exit(2);});req.end();\n";
                var file = Path.Combine(lab.Directory, "client.js");
                await File.WriteAllTextAsync(file, script);
                return await RunAsync("node", file);
            }

            case OtlpRuntime.DotNet:
                return await DotNetAsync(lab, ca, name, useCert);

            default:
                throw new ArgumentOutOfRangeException(nameof(runtime), runtime, null);
        }
    }

    /// <summary>
    /// HttpClient over HTTP/1.1 and Grpc.Net.Client over HTTP/2, trusting the CA file the way the OpenTelemetry .NET
    /// exporter does (custom root trust); both messages are returned, since each wraps the SslStream error differently.
    /// </summary>
    private static async Task<(bool Failed, string Output)> DotNetAsync(LabScenario lab, string? ca, string name, bool useCert)
    {
        var output = new System.Text.StringBuilder();
        var failed = false;
        foreach (var grpc in new[] { false, true })
        {
            using var handler = new SocketsHttpHandler { ConnectTimeout = Bound };
            handler.SslOptions.TargetHost = name;
            if (lab.Info.Client.TlsVersion == "Tls12")
            {
                handler.SslOptions.EnabledSslProtocols = System.Security.Authentication.SslProtocols.Tls12;
            }

            if (ca is not null)
            {
                handler.SslOptions.CertificateChainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
                handler.SslOptions.CertificateChainPolicy.CustomTrustStore.AddRange(LoadAll(ca));
            }

            if (useCert)
            {
                handler.SslOptions.ClientCertificates = new X509CertificateCollection { LoadWithKey(lab.ClientCertificateFile, lab.ClientKeyFile) };
            }

            try
            {
                using var cts = new CancellationTokenSource(Bound);
                if (grpc)
                {
                    using var channel = GrpcChannel.ForAddress($"https://{lab.Host}:{lab.Port}", new GrpcChannelOptions { HttpHandler = handler });
                    var method = new Method<byte[], byte[]>(MethodType.Unary, "opentelemetry.proto.collector.trace.v1.TraceService", "Export",
                        Marshallers.Create(b => b, b => b), Marshallers.Create(b => b, b => b));
                    await channel.CreateCallInvoker().AsyncUnaryCall(method, null, new CallOptions(cancellationToken: cts.Token), Array.Empty<byte>());
                }
                else
                {
                    using var http = new HttpClient(handler, disposeHandler: false);
                    using var content = new ByteArrayContent(Array.Empty<byte>());
                    using var response = await http.PostAsync($"https://{lab.Host}:{lab.Port}/v1/traces", content, cts.Token);
                }
            }
            catch (Exception ex)
            {
                failed = true;
                output.AppendLine(ex.ToString());
            }
        }

        return (failed, output.ToString());
    }

    private static X509Certificate2Collection LoadAll(string file)
    {
        var all = new X509Certificate2Collection();
        all.ImportFromPemFile(file);
        return all;
    }

    private static X509Certificate2 LoadWithKey(string certificate, string key)
    {
        using var pem = X509Certificate2.CreateFromPemFile(certificate, key);
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    private static async Task<(bool Failed, string Output)> RunAsync(string file, string arguments, string? stdin = null)
    {
        var info = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            if (stdin is not null)
            {
                await process.StandardInput.WriteAsync(stdin);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The client exited before reading its input (a failed handshake): what it printed is what counts.
        }

        using var cts = new CancellationTokenSource(Bound);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        var output = await stdout + await stderr;
        return (process.ExitCode != 0, output);
    }

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':').Any(dir => File.Exists(Path.Combine(dir, tool)));

    private static string Py(string? value) => value is null ? "None" : "'" + value.Replace("\\", "\\\\").Replace("'", "\\'") + "'";

    private static string Js(string value) => "'" + value.Replace("\\", "\\\\").Replace("'", "\\'") + "'";
}
