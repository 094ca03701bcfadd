using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;

// Shared by every test project (linked with <Compile Include>): one copy of the temp-folder and openssl helpers.
namespace OtelTls.Tests;

/// <summary>A temporary folder per test, removed afterwards.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "oteltls-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>The machine's openssl, as an independent peer.</summary>
public static class OpenSsl
{
    public static string Run(string arguments, string? workingDirectory = null, int timeoutMs = 30_000, bool stdinEmpty = false)
    {
        var start = new ProcessStartInfo("openssl", arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdinEmpty,
            WorkingDirectory = workingDirectory ?? System.IO.Path.GetTempPath(),
        };
        using var process = Process.Start(start)!;
        if (stdinEmpty)
        {
            process.StandardInput.Close();
        }

        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeoutMs))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("openssl " + arguments);
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"openssl {arguments} failed ({process.ExitCode}): {error.Result}");
        }

        return output.Result + error.Result;
    }

    /// <summary>A self-signed P-256 certificate with a DNS SAN, made by openssl.</summary>
    public static (string Cert, string Key) SelfSigned(TempDirectory dir, string name, string dns = "localhost")
    {
        var cert = dir.File(name + ".crt");
        var key = dir.File(name + ".key");
        Run($"req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout \"{key}\" -out \"{cert}\" -days 30 -subj /CN={dns} -addext subjectAltName=DNS:{dns}");
        return (cert, key);
    }
}

/// <summary>
/// A small PKI made by the machine's openssl (never by our code), so the checker is judged against certificates
/// from an independent implementation: roots, intermediates and leaves with chosen extensions, keys, digests and dates.
/// </summary>
public sealed class OpenSslPki
{
    private readonly TempDirectory _dir;
    private int _serial = 0x1000;

    public OpenSslPki(TempDirectory dir) => _dir = dir;

    /// <summary>Extensions of a CA certificate.</summary>
    public const string CaExtensions = "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid";

    /// <summary>Extensions of a server certificate with the given SAN list (e.g. <c>DNS:a,IP:127.0.0.1</c>).</summary>
    public static string Server(string san) =>
        $"basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName={san}";

    /// <summary>Extensions of a client certificate.</summary>
    public const string Client = "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth";

    /// <summary>A self-signed root CA.</summary>
    public Pem Root(string name, string key = "ec")
    {
        var pem = Paths(name);
        OpenSsl.Run($"req -x509 {NewKey(key)} -nodes -keyout \"{pem.Key}\" -out \"{pem.Cert}\" -days 365 -subj \"/CN={name}\" " +
                    "-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign");
        return pem;
    }

    /// <summary>
    /// A certificate signed by <paramref name="issuer"/>: <c>openssl x509 -req</c> with <c>-days</c>, or <c>openssl ca</c>
    /// when explicit dates are wanted (OpenSSL 3.0 has no -not_before/-not_after on x509).
    /// </summary>
    public Pem Issue(string name, Pem issuer, string extensions, string key = "ec", int days = 90,
        DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null, string digest = "sha256")
    {
        var pem = Paths(name);
        var csr = _dir.File(name + ".csr");
        var ext = _dir.File(name + ".ext");
        System.IO.File.WriteAllText(ext, extensions + "\n");
        OpenSsl.Run($"req -new {NewKey(key)} -nodes -keyout \"{pem.Key}\" -out \"{csr}\" -subj \"/CN={name}\"");
        var serial = (++_serial).ToString("X", System.Globalization.CultureInfo.InvariantCulture);
        if (notBefore is null && notAfter is null)
        {
            OpenSsl.Run($"x509 -req -in \"{csr}\" -CA \"{issuer.Cert}\" -CAkey \"{issuer.Key}\" -set_serial 0x{serial} -days {days} " +
                        $"-extfile \"{ext}\" -{digest} -out \"{pem.Cert}\"");
            return pem;
        }

        var ca = _dir.File(name + "-ca");
        System.IO.Directory.CreateDirectory(ca);
        System.IO.File.WriteAllText(System.IO.Path.Combine(ca, "index.txt"), string.Empty);
        System.IO.File.WriteAllText(System.IO.Path.Combine(ca, "serial"), serial + "\n");
        System.IO.File.WriteAllText(System.IO.Path.Combine(ca, "ca.cnf"),
            "[ca]\ndefault_ca = d\n[d]\ndatabase = ./index.txt\nnew_certs_dir = .\nserial = ./serial\npolicy = p\nunique_subject = no\n" +
            "[p]\ncommonName = supplied\n");
        var start = (notBefore ?? DateTimeOffset.UtcNow.AddMinutes(-5)).UtcDateTime.ToString("yyyyMMddHHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var end = (notAfter ?? DateTimeOffset.UtcNow.AddDays(days)).UtcDateTime.ToString("yyyyMMddHHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        OpenSsl.Run($"ca -batch -config ca.cnf -cert \"{issuer.Cert}\" -keyfile \"{issuer.Key}\" -in \"{csr}\" -out \"{pem.Cert}\" " +
                    $"-startdate {start} -enddate {end} -extfile \"{ext}\" -md {digest} -notext", ca);
        return pem;
    }

    /// <summary>A self-signed leaf (no CA extensions).</summary>
    public Pem SelfSignedLeaf(string name, string extensions)
    {
        var pem = Paths(name);
        var ext = _dir.File(name + ".ext");
        System.IO.File.WriteAllText(ext, "[req]\ndistinguished_name = dn\n[dn]\n[v3]\n" + extensions + "\n");
        OpenSsl.Run($"req -x509 {NewKey("ec")} -nodes -keyout \"{pem.Key}\" -out \"{pem.Cert}\" -days 90 -subj \"/CN={name}\" " +
                    $"-config \"{ext}\" -extensions v3");
        return pem;
    }

    /// <summary>Concatenates certificate files into one PEM bundle (leaf first, as servers send them).</summary>
    public string Bundle(string name, params Pem[] parts)
    {
        var path = _dir.File(name);
        System.IO.File.WriteAllText(path, string.Concat(parts.Select(p => System.IO.File.ReadAllText(p.Cert))));
        return path;
    }

    private Pem Paths(string name) => new(_dir.File(name + ".crt"), _dir.File(name + ".key"));

    private static string NewKey(string key) => key switch
    {
        "ec" => "-newkey ec -pkeyopt ec_paramgen_curve:P-256",
        _ => "-newkey " + key,
    };
}

/// <summary>A certificate file and its key file.</summary>
public sealed record Pem(string Cert, string Key);

/// <summary>openssl s_server on an ephemeral loopback port, serving the directory's server.crt/key; killed on dispose.</summary>
public sealed class OpenSslServer : IDisposable
{
    private readonly Process process;

    private OpenSslServer(Process process, int port)
    {
        this.process = process;
        Port = port;
    }

    public int Port { get; }

    public static OpenSslServer Start(TempDirectory dir, string arguments)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var process = Process.Start(new ProcessStartInfo("openssl", $"s_server -accept 127.0.0.1:{port} -cert server.crt -key server.key -quiet {arguments}")
        {
            WorkingDirectory = dir.Path, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
        })!;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            // -quiet prints nothing, so wait until the port accepts (s_server serves connections one after another).
            using var probe = new TcpClient();
            try
            {
                probe.Connect(IPAddress.Loopback, port);
                return new OpenSslServer(process, port);
            }
            catch (SocketException)
            {
                Thread.Sleep(20);
            }
        }

        process.Kill(entireProcessTree: true);
        throw new InvalidOperationException("openssl s_server did not start: " + process.StandardError.ReadToEnd());
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        process.WaitForExit(5000);
        process.Dispose();
    }
}
