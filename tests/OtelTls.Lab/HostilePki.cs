using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;

namespace OtelTls.Lab;

/// <summary>
/// A constraint-violating, malformed or weak PKI made by the machine's <c>openssl</c> (never by our code, so our checker
/// does not define what is valid): the root a client trusts, the chain the server sends (leaf first) and the leaf key,
/// all PEM. Made once per process and kind; the working folder (keys) is deleted as soon as the PEM is read.
/// </summary>
public sealed record HostilePkiFiles(string RootPem, string ChainPem, string KeyPem);

/// <summary>The hostile PKIs of the lab (issue #9): each is a scenario served by a BouncyCastle TLS server.</summary>
public static class HostilePki
{
    private const string Ca = "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign";
    private const string San = "subjectAltName=DNS:localhost,IP:127.0.0.1";
    private const string Server = "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n" + San;
    private const string ServerBase = "basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n";

    private static readonly ConcurrentDictionary<string, Lazy<HostilePkiFiles>> Made = new(StringComparer.Ordinal);

    /// <summary>Every kind, with what openssl does with it.</summary>
    public static IReadOnlyList<string> Kinds { get; } = new[]
    {
        "root-pathlen0", "intermediate-pathlen0", "nc-permitted", "nc-excluded-dns", "nc-excluded-ip", "critical-extension",
        "sha1", "md5", "rsa1024", "ec-keyagreement-only", "rsa-keyencipherment-only", "chain-50", "san-ip-5-bytes", "malformed-eku",
        "malformed-basic-constraints",
    };

    /// <summary>The PKI of one kind (made on first use).</summary>
    public static HostilePkiFiles Get(string kind) =>
        Made.GetOrAdd(kind, k => new Lazy<HostilePkiFiles>(() => Make(k), System.Threading.LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    private static HostilePkiFiles Make(string kind)
    {
        var dir = Path.Combine(Path.GetTempPath(), "oteltls-lab-pki-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            var pki = new Maker(dir);
            var rsa = kind is "md5";
            var root = pki.Root("Hostile Root " + kind, kind == "root-pathlen0" ? ",pathlen:0" : string.Empty, rsa);
            string leaf;
            var chain = new List<string>();
            switch (kind)
            {
                case "root-pathlen0":
                    chain.Add(pki.Issue("Hostile Intermediate", root, Ca));
                    leaf = pki.Issue("hostile-leaf", chain[0], Server);
                    break;
                case "intermediate-pathlen0":
                    var first = pki.Issue("Hostile Intermediate pathlen0", root, Ca.Replace("CA:TRUE", "CA:TRUE,pathlen:0", StringComparison.Ordinal));
                    var second = pki.Issue("Hostile Intermediate 2", first, Ca);
                    chain.Add(second);
                    chain.Add(first);
                    leaf = pki.Issue("hostile-leaf", second, Server);
                    break;
                case "nc-permitted":
                    chain.Add(pki.Issue("Hostile Constrained CA", root, Ca + "\nnameConstraints=critical,permitted;DNS:example.com,permitted;IP:10.0.0.0/255.0.0.0"));
                    leaf = pki.Issue("hostile-leaf", chain[0], Server);
                    break;
                case "nc-excluded-dns":
                    chain.Add(pki.Issue("Hostile Constrained CA", root, Ca + "\nnameConstraints=critical,excluded;DNS:localhost"));
                    leaf = pki.Issue("hostile-leaf", chain[0], Server);
                    break;
                case "nc-excluded-ip":
                    chain.Add(pki.Issue("Hostile Constrained CA", root, Ca + "\nnameConstraints=critical,excluded;IP:127.0.0.0/255.0.0.0"));
                    leaf = pki.Issue("hostile-leaf", chain[0], Server);
                    break;
                case "chain-50":
                    // 50 certificates: root, 48 intermediates, leaf.
                    var issuer = root;
                    for (var i = 1; i <= 48; i++)
                    {
                        issuer = pki.Issue("Hostile Intermediate " + i.ToString(CultureInfo.InvariantCulture), issuer, Ca);
                        chain.Insert(0, issuer);
                    }

                    leaf = pki.Issue("hostile-leaf", issuer, Server);
                    break;
                default:
                    chain.Add(pki.Issue("Hostile Intermediate", root, Ca, rsa: rsa));
                    leaf = kind switch
                    {
                        "critical-extension" => pki.Issue("hostile-leaf", chain[0], Server + "\n1.3.6.1.4.1.55555.1=critical,DER:0500"),
                        "sha1" => pki.Issue("hostile-leaf", chain[0], Server, digest: "sha1"),
                        "md5" => pki.Issue("hostile-leaf", chain[0], Server, rsa: true, digest: "md5"),
                        "rsa1024" => pki.Issue("hostile-leaf", chain[0], Server, key: "rsa:1024"),
                        "ec-keyagreement-only" => pki.Issue("hostile-leaf", chain[0], ServerBase + "keyUsage=critical,keyAgreement\n" + San),
                        "rsa-keyencipherment-only" => pki.Issue("hostile-leaf", chain[0], ServerBase + "keyUsage=critical,keyEncipherment\n" + San, rsa: true),
                        // SEQUENCE { [2] "localhost", [7] 127.0.0.1.1 }: an IP address of 5 bytes.
                        "san-ip-5-bytes" => pki.Issue("hostile-leaf", chain[0], "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n" +
                            "subjectAltName=DER:301282096c6f63616c686f737487057f00000101"),
                        // An OCTET STRING where the SEQUENCE OF OID belongs.
                        "malformed-eku" => pki.Issue("hostile-leaf", chain[0], "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=DER:0403010203\n" + San),
                        // SEQUENCE { INTEGER 1 }: pathLen without the cA BOOLEAN is legal, an INTEGER where a BOOLEAN belongs first is not; this is SEQUENCE { OCTET STRING }.
                        "malformed-basic-constraints" => pki.Issue("hostile-leaf", chain[0], "basicConstraints=critical,DER:30030401ff\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n" + San),
                        _ => throw new ArgumentException($"There is no hostile PKI '{kind}'. Known: {string.Join(", ", Kinds)}.", nameof(kind)),
                    };
                    break;
            }

            var chainPem = File.ReadAllText(leaf + ".crt") + string.Concat(chain.Select(c => File.ReadAllText(c + ".crt")));
            return new HostilePkiFiles(File.ReadAllText(root + ".crt"), chainPem, File.ReadAllText(leaf + ".key"));
        }
        finally
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private sealed class Maker
    {
        private readonly string dir;
        private int serial = 0x1000;
        private int file;

        public Maker(string dir) => this.dir = dir;

        public string Root(string name, string pathLength, bool rsa)
        {
            var path = Next();
            Run($"req -x509 {NewKey(rsa ? "rsa:2048" : "ec")} -nodes -keyout {path}.key -out {path}.crt -days 365 -subj \"/CN={name}\" " +
                $"-addext basicConstraints=critical,CA:TRUE{pathLength} -addext keyUsage=critical,keyCertSign,cRLSign");
            return path;
        }

        public string Issue(string name, string issuer, string extensions, bool rsa = false, string? key = null, string digest = "sha256")
        {
            var path = Next();
            File.WriteAllText(path + ".ext", extensions + "\n");
            Run($"req -new {NewKey(key ?? (rsa ? "rsa:2048" : "ec"))} -nodes -keyout {path}.key -out {path}.csr -subj \"/CN={name}\"");
            Run($"x509 -req -in {path}.csr -CA {issuer}.crt -CAkey {issuer}.key -set_serial 0x{(++serial).ToString("X", CultureInfo.InvariantCulture)} " +
                $"-days 365 -extfile {path}.ext -{digest} -out {path}.crt");
            return path;
        }

        private string Next() => Path.Combine(dir, "c" + (++file).ToString(CultureInfo.InvariantCulture));

        private static string NewKey(string key) => key == "ec" ? "-newkey ec -pkeyopt ec_paramgen_curve:P-256" : "-newkey " + key;

        private void Run(string arguments)
        {
            var start = new ProcessStartInfo("openssl", arguments)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = dir,
            };
            using var process = Process.Start(start) ?? throw new InvalidOperationException("openssl did not start");
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(30_000))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("openssl " + arguments);
            }

            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"openssl {arguments} failed ({process.ExitCode}): {error.Result}{output.Result}");
            }
        }
    }
}
