using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Threading.Tasks;
using OtelTls.Engine.Certificates;
using OtelTls.Engine.Configuration;

namespace OtelTls.Engine.Tests;

/// <summary>
/// Every file parameter reads regular files only: a FIFO, a device, a socket or a directory is refused at once with a
/// stable id (a FIFO used to block the open forever, past Ctrl+C), and an oversized file is refused before it is read.
/// </summary>
public sealed class FileAccessTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    public static IEnumerable<object[]> Readers() => new[]
    {
        new object[] { "certificate" },
        new object[] { "private key" },
        new object[] { "dotenv" },
        new object[] { "environment CA" },
    };

    private static void ReadAs(string reader, string path)
    {
        switch (reader)
        {
            case "certificate":
                CertificateReader.ReadFile(path);
                break;
            case "private key":
                PrivateKeyReader.Read(path);
                break;
            case "dotenv":
                DotEnvFile.Read(path);
                break;
            default:
                // The environment reader turns an unreadable file into a finding: it must come back, naming the problem.
                var environment = OtlpEnvironmentReader.Read(new Dictionary<string, string>
                {
                    ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "https://collector:4317",
                    ["OTEL_EXPORTER_OTLP_CERTIFICATE"] = path,
                });
                var text = string.Join("\n", environment.Findings.Select(f => f.Id + ": " + f.Message + " " + f.Evidence));
                throw new OtlpTlsException("FromFinding", OtlpErrorKind.InvalidData, text);
        }
    }

    private static async Task<OtlpTlsException> RefusedWithinBound(string reader, string path)
    {
        var watch = Stopwatch.StartNew();
        var read = Task.Run(() => ReadAs(reader, path));
        var finished = await Task.WhenAny(read, Task.Delay(Bound));
        Assert.True(finished == read, $"reading '{path}' as {reader} did not return within {Bound.TotalSeconds} s (it hangs)");
        var error = await Assert.ThrowsAsync<OtlpTlsException>(() => read);
        Assert.True(watch.Elapsed < Bound);
        return error;
    }

    private string MakeFifo()
    {
        var path = dir.File("pipe.crt");
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", path) { UseShellExecute = false })!;
        Assert.True(mkfifo.WaitForExit(10_000));
        Assert.Equal(0, mkfifo.ExitCode);
        return path;
    }

    [Theory]
    [Trait("Reliability", "BadInput")]
    [MemberData(nameof(Readers))]
    public async Task A_FIFO_as_a_file_parameter_is_refused_at_once_not_read(string reader)
    {
        var fifo = MakeFifo();
        var error = await RefusedWithinBound(reader, fifo);
        Assert.Contains(reader == "environment CA" ? "FIFO" : "NotARegularFile", reader == "environment CA" ? error.Message : error.ErrorId);
        Assert.Contains("FIFO", error.Message);
    }

    [Theory]
    [Trait("Reliability", "BadInput")]
    [MemberData(nameof(Readers))]
    public async Task A_character_device_as_a_file_parameter_is_refused(string reader)
    {
        var error = await RefusedWithinBound(reader, "/dev/zero");
        Assert.Contains("character device", error.Message);
    }

    [Fact]
    [Trait("Reliability", "BadInput")]
    public async Task A_unix_socket_as_a_certificate_file_is_refused()
    {
        var path = dir.File("collector.sock");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        var error = await RefusedWithinBound("certificate", path);
        Assert.Equal("NotARegularFile", error.ErrorId);
        Assert.Equal(OtlpErrorKind.InvalidArgument, error.Kind);
        Assert.Contains("socket", error.Message);
    }

    [Fact]
    [Trait("Reliability", "BadInput")]
    public async Task A_directory_as_a_key_file_is_refused()
    {
        var error = await RefusedWithinBound("private key", dir.Path);
        Assert.Equal("PathIsDirectory", error.ErrorId);
    }

    [Fact]
    [Trait("Reliability", "BadInput")]
    public async Task A_file_over_64_MiB_is_refused_before_it_is_read()
    {
        var path = dir.File("huge.crt");
        using (var stream = File.Create(path))
        {
            stream.SetLength(FileAccess.MaxBytes + 1); // sparse: no disk space used
        }

        var error = await RefusedWithinBound("certificate", path);
        Assert.Equal("FileTooLarge", error.ErrorId);
    }

    [Fact]
    [Trait("Reliability", "BadInput")]
    public void A_symbolic_link_to_a_regular_file_is_read()
    {
        using var pki = new TestPki();
        var link = dir.File("link.crt");
        File.CreateSymbolicLink(link, pki.RootFile);
        Assert.Single(CertificateReader.ReadFile(link));
        Assert.Null(FileAccess.UnixFileKind(link));
    }

    [Fact]
    [Trait("Reliability", "BadInput")]
    public async Task A_symbolic_link_to_a_FIFO_is_refused()
    {
        var fifo = MakeFifo();
        var link = dir.File("link.crt");
        File.CreateSymbolicLink(link, fifo);
        var error = await RefusedWithinBound("certificate", link);
        Assert.Equal("NotARegularFile", error.ErrorId);
    }
}
