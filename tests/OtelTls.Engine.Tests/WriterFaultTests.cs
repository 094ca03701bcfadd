using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using OtelTls.Engine;
using OtelTls.Engine.Certificates;
using OtelTls.Engine.Configuration;
using System.Runtime.Versioning;

namespace OtelTls.Engine.Tests;

/// <summary>
/// Every writer against a file that belongs to someone else: mode, owner, symbolic links, bytes it does not own,
/// read-only files, no-op writes, concurrent writers, and certificate/key pairs replaced as a unit.
/// </summary>
public class WriterFaultTests
{
    private const string Endpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";
    private static readonly UnixFileMode Mode600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private static KeyValuePair<string, string?> Set(string name, string? value) => new(name, value);

    private static void DotEnv(string path, params KeyValuePair<string, string?>[] changes) =>
        OtlpEnvironmentTargets.Apply(OtlpEnvironmentTarget.DotEnv, path, Plan(changes));

    internal static OtlpEnvironmentPlan Plan(KeyValuePair<string, string?>[] changes, params OtlpPlannedFile[] files) =>
        new(changes, Array.Empty<string>(), files, null);

    private static string Stat(string format, string path) => Run("stat", $"-c {format} \"{path}\"").Trim();

    private static string Run(string file, string arguments)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(10_000));
        Assert.True(process.ExitCode == 0, $"{file} {arguments}: {process.StandardError.ReadToEnd()}");
        return output;
    }

    [Fact]
    [Trait("Reliability", "WriterFault")]
    [UnsupportedOSPlatform("windows")] // Unix file modes; Windows has ACLs (tested apart)
    public void DotEnv_keeps_mode_0600()
    {
        using var dir = new TempDirectory();
        var file = dir.File("otel.env");
        File.WriteAllText(file, "OTEL_EXPORTER_OTLP_HEADERS=api-key=secret\n");
        File.SetUnixFileMode(file, Mode600);
        DotEnv(file, Set(Endpoint, "https://collector:4318"));
        Assert.Equal("600", Stat("%a", file));
        Assert.Equal("OTEL_EXPORTER_OTLP_HEADERS=api-key=secret\nOTEL_EXPORTER_OTLP_ENDPOINT=https://collector:4318\n", File.ReadAllText(file));
    }

    [Fact]
    [Trait("Reliability", "WriterFault")]
    public void DotEnv_keeps_owner_and_group()
    {
        if (Environment.UserName != "root")
        {
            return; // only root can give a file to another user; CI runs the suite as root
        }

        using var dir = new TempDirectory();
        var file = dir.File("otel.env");
        File.WriteAllText(file, "A=1\n");
        Run("chown", $"4321:4322 \"{file}\"");
        DotEnv(file, Set(Endpoint, "https://collector:4318"));
        Assert.Equal("4321:4322", Stat("%u:%g", file));
        Assert.Contains("OTEL_EXPORTER_OTLP_ENDPOINT=https://collector:4318", File.ReadAllText(file));
    }

    [Fact]
    [Trait("Reliability", "WriterFault")]
    public void DotEnv_writes_through_a_symlink_and_keeps_the_link()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("real"));
        var real = dir.File("real/otel.env");
        File.WriteAllText(real, "A=1\n");
        var link = dir.File("otel.env");
        File.CreateSymbolicLink(link, real);
        DotEnv(link, Set(Endpoint, "https://collector:4318"));
        Assert.Equal(real, new FileInfo(link).LinkTarget);
        Assert.Equal("A=1\nOTEL_EXPORTER_OTLP_ENDPOINT=https://collector:4318\n", File.ReadAllText(real));
    }

    [Fact]
    [Trait("Reliability", "WriterFault")]
    public void DotEnv_writes_through_a_chain_of_links_and_creates_the_target_of_a_dangling_one()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("real.env"), "A=1\n");
        File.CreateSymbolicLink(dir.File("middle.env"), "real.env");
        File.CreateSymbolicLink(dir.File("otel.env"), "middle.env");
        DotEnv(dir.File("otel.env"), Set(Endpoint, "https://c:4318"));
        Assert.Equal("A=1\nOTEL_EXPORTER_OTLP_ENDPOINT=https://c:4318\n", File.ReadAllText(dir.File("real.env")));
        Assert.Equal("middle.env", new FileInfo(dir.File("otel.env")).LinkTarget);

        File.CreateSymbolicLink(dir.File("dangling.env"), "later.env");
        DotEnv(dir.File("dangling.env"), Set(Endpoint, "https://c:4318"));
        Assert.Equal("later.env", new FileInfo(dir.File("dangling.env")).LinkTarget);
        Assert.Equal("OTEL_EXPORTER_OTLP_ENDPOINT=https://c:4318\n", File.ReadAllText(dir.File("later.env")));
    }

    [Fact]
    [Trait("Reliability", "WriterFault")]
    public void DotEnv_a_writer_that_cannot_get_the_lock_gives_up_clearly()
    {
        using var dir = new TempDirectory();
        var file = dir.File("otel.env");
        File.WriteAllText(file, "A=1\n");
        AtomicFile.LockTimeout = TimeSpan.FromMilliseconds(300);
        using (FileLock.Acquire(file, "dotenv"))
        {
            var error = Assert.Throws<OtlpTlsException>(() => DotEnv(file, Set(Endpoint, "https://c:4318")));
            Assert.Equal("FileLocked", error.ErrorId);
            Assert.Equal(OtlpErrorKind.OperationTimeout, error.Kind);
        }

        Assert.Equal("A=1\n", File.ReadAllText(file));
        DotEnv(file, Set(Endpoint, "https://c:4318"));
        Assert.Equal(new[] { "otel.env" }, Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    [Trait("Reliability", "WriterFault")]
    [UnsupportedOSPlatform("windows")] // Unix file modes; Windows has ACLs (tested apart)
    public void DotEnv_refuses_a_read_only_file_and_leaves_it()
    {
        using var dir = new TempDirectory();
        var file = dir.File("otel.env");
        File.WriteAllText(file, "A=1\n");
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var error = Assert.Throws<OtlpTlsException>(() => DotEnv(file, Set(Endpoint, "https://collector:4318")));
        Assert.Equal("FileReadOnly", error.ErrorId);
        Assert.Equal(OtlpErrorKind.PermissionDenied, error.Kind);
        Assert.Equal("A=1\n", File.ReadAllText(file));
        Assert.Equal("444", Stat("%a", file));
    }

    [Fact]
    [Trait("Reliability", "WriterFault")]
    public void DotEnv_keeps_export_prefixes_comments_and_line_endings()
    {
        using var dir = new TempDirectory();
        var file = dir.File("otel.env");
        var before = "# the collector\r\nexport OTEL_EXPORTER_OTLP_ENDPOINT=http://old:4318 # set by ops\r\n  export KEEP='x'\nOTEL_EXPORTER_OTLP_INSECURE=true\nLAST=1";
        File.WriteAllText(file, before);
        DotEnv(file, Set(Endpoint, "https://new:4318"), Set("OTEL_EXPORTER_OTLP_INSECURE", null), Set("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"));
        Assert.Equal("# the collector\r\nexport OTEL_EXPORTER_OTLP_ENDPOINT=https://new:4318 # set by ops\r\n  export KEEP='x'\nLAST=1\r\nOTEL_EXPORTER_OTLP_PROTOCOL=grpc\r\n",
            File.ReadAllText(file));
    }

    [Fact]
    [Trait("Reliability", "WriterFault")]
    public void DotEnv_keeps_bytes_that_are_not_utf8()
    {
        using var dir = new TempDirectory();
        var file = dir.File("otel.env");
        // Latin-1 "café" and a stray 0xFF: not UTF-8, and not ours to convert.
        var before = new byte[] { (byte)'N', (byte)'=', (byte)'c', (byte)'a', (byte)'f', 0xE9, 0xFF, (byte)'\n' };
        File.WriteAllBytes(file, before);
        DotEnv(file, Set(Endpoint, "https://collector:4318"));
        Assert.Equal(before.Concat(Encoding.ASCII.GetBytes("OTEL_EXPORTER_OTLP_ENDPOINT=https://collector:4318\n")), File.ReadAllBytes(file));
    }

    [Fact]
    [Trait("Reliability", "WriterFault")]
    public void DotEnv_finds_the_first_variable_after_a_byte_order_mark()
    {
        using var dir = new TempDirectory();
        var file = dir.File("otel.env");
        File.WriteAllBytes(file, new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.ASCII.GetBytes("OTEL_EXPORTER_OTLP_ENDPOINT=http://old:4318\nB=2\n")).ToArray());
        Assert.Equal("http://old:4318", DotEnvFile.Read(file)[Endpoint]);
        DotEnv(file, Set(Endpoint, "https://new:4318"));
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.ASCII.GetBytes("OTEL_EXPORTER_OTLP_ENDPOINT=https://new:4318\nB=2\n")), File.ReadAllBytes(file));
    }

    [Fact]
    [Trait("Reliability", "WriterFault")]
    public void DotEnv_keeps_a_utf16_file_utf16()
    {
        using var dir = new TempDirectory();
        var file = dir.File("otel.env");
        File.WriteAllText(file, "A=é\r\n", new UnicodeEncoding(false, true));
        DotEnv(file, Set(Endpoint, "https://new:4318"));
        Assert.Equal(new UnicodeEncoding(false, true).GetPreamble().Concat(new UnicodeEncoding(false, false).GetBytes("A=é\r\nOTEL_EXPORTER_OTLP_ENDPOINT=https://new:4318\r\n")),
            File.ReadAllBytes(file));
    }

    [Fact]
    [Trait("Reliability", "WriterFault")]
    public void DotEnv_clear_with_nothing_to_clear_does_not_rewrite_the_file()
    {
        using var dir = new TempDirectory();
        var file = dir.File("otel.env");
        File.WriteAllText(file, "A=1\nOTEL_EXPORTER_OTLP_ENDPOINT=https://same:4318\n");
        var inode = Stat("%i", file);
        File.SetLastWriteTimeUtc(file, new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        OtlpEnvironmentTargets.Apply(OtlpEnvironmentTarget.DotEnv, file, OtlpEnvironmentPlanner.PlanClear(OtlpSignal.Traces));
        DotEnv(file, Set(Endpoint, "https://same:4318"));
        Assert.Equal(inode, Stat("%i", file));
        Assert.Equal(new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc), File.GetLastWriteTimeUtc(file));
    }

    [Fact]
    [Trait("Reliability", "WriterFault")]
    public async Task DotEnv_concurrent_writers_lose_no_update()
    {
        using var dir = new TempDirectory();
        var file = dir.File("otel.env");
        File.WriteAllText(file, "# shared\n");
        var writers = Enumerable.Range(0, 120).Select(i => Task.Run(() => DotEnv(file, Set($"VAR_{i:D3}", "value-" + i))));
        await Task.WhenAll(writers);
        var values = DotEnvFile.Read(file);
        Assert.Equal(120, values.Count);
        Assert.All(Enumerable.Range(0, 120), i => Assert.Equal("value-" + i, values[$"VAR_{i:D3}"]));
        Assert.Equal(new[] { "otel.env" }, Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    [Trait("Reliability", "WriterFault")]
    public void DotEnv_concurrent_writer_processes_lose_no_update()
    {
        using var dir = new TempDirectory();
        var file = dir.File("otel.env");
        File.WriteAllText(file, "");
        // Two real processes (pwsh loading the engine) append in turns with this process: the lock holds across processes.
        var engine = typeof(DotEnvFile).Assembly.Location;
        var script = $"Add-Type -Path '{engine}'; 0..29 | ForEach-Object {{ $c = [System.Collections.Generic.KeyValuePair[string,string]]::new(\"P$($args[0])_$_\", 'v'); [void][OtelTls.Engine.Configuration.DotEnvFile]::UpdateFile('{file}', [System.Collections.Generic.KeyValuePair[string,string][]]@($c)) }}";
        var children = Enumerable.Range(0, 2).Select(n =>
        {
            return Process.Start(RealPwsh.Start("-NoProfile", "-NonInteractive", "-Command", script.Replace("$args[0]", n.ToString())))!;
        }).ToList();
        try
        {
            for (var i = 0; i < 30; i++)
            {
                DotEnv(file, Set($"T_{i}", "v"));
            }

            foreach (var child in children)
            {
                Assert.True(child.WaitForExit(120_000), "pwsh writer did not finish");
                Assert.True(child.ExitCode == 0, child.StandardError.ReadToEnd());
            }
        }
        finally
        {
            foreach (var child in children.Where(c => !c.HasExited))
            {
                child.Kill(entireProcessTree: true);
            }
        }

        Assert.Equal(90, DotEnvFile.Read(file).Count);
    }

    [Fact]
    [Trait("Reliability", "WriterFault")]
    public void A_killed_writers_temporary_file_is_removed_by_the_next_writer()
    {
        using var dir = new TempDirectory();
        var file = dir.File("otel.env");
        File.WriteAllText(file, "A=1\n");
        var stale = dir.File(".otel.env.0a1b2c3d.tmp");
        File.WriteAllText(stale, "OTEL_EXPORTER_OTLP_HEADERS=api-key=secret\n");
        var unrelated = dir.File(".otel.env.notours.tmp");
        File.WriteAllText(unrelated, "x");
        DotEnv(file, Set(Endpoint, "https://collector:4318"));
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(unrelated));
    }

    [Fact]
    [Trait("Reliability", "WriterFault")]
    public void Sdk_dotnet_bundle_is_not_overwritten_silently()
    {
        using var dir = new TempDirectory();
        var bundle = dir.File("ca.dotnet.crt");
        File.WriteAllText(bundle, "mine");
        var planned = new OtlpPlannedFile(bundle, "new bundle", "test");
        var error = Assert.Throws<OtlpTlsException>(() => OtlpEnvironmentTargets.Apply(OtlpEnvironmentTarget.DotEnv, dir.File("x.env"), Plan(new[] { Set(Endpoint, "https://c:4318") }, planned)));
        Assert.Equal("FileExists", error.ErrorId);
        Assert.Equal("mine", File.ReadAllText(bundle));
        Assert.False(File.Exists(dir.File("x.env")));
        OtlpEnvironmentTargets.Apply(OtlpEnvironmentTarget.DotEnv, dir.File("x.env"), Plan(new[] { Set(Endpoint, "https://c:4318") }, planned), force: true);
        Assert.Equal("new bundle", File.ReadAllText(bundle));
        // The same content again is no conflict.
        OtlpEnvironmentTargets.Apply(OtlpEnvironmentTarget.DotEnv, dir.File("x.env"), Plan(new[] { Set(Endpoint, "https://c:4318") }, planned));
    }

    // ---- certificate + key pairs -----------------------------------------------------------------------------------

    private static readonly Lazy<IssuedCertificate> First = new(() => CertificateFactory.Issue(new CertificateSpec { DnsNames = { "one" } }));
    private static readonly Lazy<IssuedCertificate> Second = new(() => CertificateFactory.Issue(new CertificateSpec { DnsNames = { "two" } }));

    private static bool PairMatches(string crt, string key) =>
        PrivateKeyReader.Matches(CertificateReader.Parse(File.ReadAllBytes(crt), crt)[0], PrivateKeyReader.Read(key));

    [Fact]
    [Trait("Reliability", "WriterFault")]
    public void Pair_a_failed_second_rename_puts_the_old_pair_back()
    {
        using var dir = new TempDirectory();
        var crt = dir.File("ca.crt");
        var key = dir.File("ca.key");
        CertificateFiles.WriteCertificateAndKey(First.Value, crt, key, force: false);
        var oldCrt = File.ReadAllBytes(crt);
        var oldKey = File.ReadAllBytes(key);
        AtomicFile.BeforeRename = target => { if (target == key) { throw new IOException("disk full (injected)"); } };
        try
        {
            var error = Assert.Throws<OtlpTlsException>(() => CertificateFiles.WriteCertificateAndKey(Second.Value, crt, key, force: true));
            Assert.Equal("FileWriteFailed", error.ErrorId);
        }
        finally
        {
            AtomicFile.BeforeRename = null;
        }

        Assert.Equal(oldCrt, File.ReadAllBytes(crt));
        Assert.Equal(oldKey, File.ReadAllBytes(key));
        Assert.Equal("600", Stat("%a", key));
        Assert.Equal(new[] { "ca.crt", "ca.key" }, Directory.GetFiles(dir.Path).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal));
    }

    [Fact]
    [Trait("Reliability", "WriterFault")]
    public void Pair_a_failed_first_write_of_a_new_pair_leaves_nothing()
    {
        using var dir = new TempDirectory();
        AtomicFile.BeforeRename = target => { if (target.EndsWith(".key", StringComparison.Ordinal)) { throw new IOException("injected"); } };
        try
        {
            Assert.Throws<OtlpTlsException>(() => CertificateFiles.WriteCertificateAndKey(First.Value, dir.File("s.crt"), dir.File("s.key"), force: false));
        }
        finally
        {
            AtomicFile.BeforeRename = null;
        }

        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    [Trait("Reliability", "WriterFault")]
    public async Task Pair_concurrent_force_runs_never_leave_a_mismatched_pair()
    {
        using var dir = new TempDirectory();
        var crt = dir.File("ca.crt");
        var key = dir.File("ca.key");
        var pairs = new[] { First.Value, Second.Value };
        for (var round = 0; round < 6; round++)
        {
            var writers = Enumerable.Range(0, 8).Select(i => Task.Run(() => CertificateFiles.WriteCertificateAndKey(pairs[i % 2], crt, key, force: true)));
            await Task.WhenAll(writers);
            Assert.True(PairMatches(crt, key), $"round {round}: the certificate and key do not match");
        }

        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
        Assert.Empty(Directory.GetFiles(dir.Path, "*.old"));
    }

    [Fact]
    [Trait("Reliability", "WriterFault")]
    [UnsupportedOSPlatform("windows")] // Unix file modes; Windows has ACLs (tested apart)
    public void Pair_temporary_key_files_are_owner_only_and_stale_ones_are_removed()
    {
        using var dir = new TempDirectory();
        var stale = dir.File(".s.key.deadbeef.tmp");
        File.WriteAllText(stale, "-----BEGIN PRIVATE KEY-----\n");
        File.SetUnixFileMode(stale, (UnixFileMode)Convert.ToInt32("644", 8));
        var seen = new List<string>();
        AtomicFile.BeforeRename = _ => seen.AddRange(Directory.GetFiles(dir.Path, ".s.key.*.tmp").Select(t => Stat("%a", t)));
        try
        {
            CertificateFiles.WriteCertificateAndKey(First.Value, dir.File("s.crt"), dir.File("s.key"), force: false);
        }
        finally
        {
            AtomicFile.BeforeRename = null;
        }

        Assert.NotEmpty(seen);
        Assert.All(seen, mode => Assert.Equal("600", mode));
        Assert.False(File.Exists(stale));
        Assert.True(PairMatches(dir.File("s.crt"), dir.File("s.key")));
    }

    [Fact]
    [Trait("Reliability", "WriterFault")]
    [UnsupportedOSPlatform("windows")] // Unix file modes; Windows has ACLs (tested apart)
    public void Pair_keeps_a_group_readable_key_and_certificate_mode()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("s.crt"), "old");
        File.WriteAllText(dir.File("s.key"), "old");
        File.SetUnixFileMode(dir.File("s.key"), (UnixFileMode)Convert.ToInt32("640", 8));
        File.SetUnixFileMode(dir.File("s.crt"), (UnixFileMode)Convert.ToInt32("664", 8));
        CertificateFiles.WriteCertificateAndKey(First.Value, dir.File("s.crt"), dir.File("s.key"), force: true);
        Assert.Equal("640", Stat("%a", dir.File("s.key")));
        Assert.Equal("664", Stat("%a", dir.File("s.crt")));
    }
}
