using System;
using System.Diagnostics;
using System.IO;

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
