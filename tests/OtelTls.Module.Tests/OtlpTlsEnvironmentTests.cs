using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.RegularExpressions;
using System.Threading.Tasks;

namespace OtelTls.Module.Tests;

/// <summary>
/// Tests that read or change the process environment. The runspaces share it with the test process, so they never run
/// in parallel with each other; join this collection when a test reads OTEL_EXPORTER_OTLP_* from the process.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection
{
    public const string Name = "Process environment";
}

/// <summary>Saves every OTEL_EXPORTER_OTLP_* (and related) variable, clears them, and puts them back afterwards.</summary>
public sealed class EnvironmentSnapshot : IDisposable
{
    private readonly Dictionary<string, string?> _saved = new();

    public EnvironmentSnapshot()
    {
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            var name = (string)entry.Key;
            if (name.StartsWith("OTEL_EXPORTER_OTLP_", StringComparison.Ordinal) || name is "NODE_EXTRA_CA_CERTS" or "GITHUB_ENV")
            {
                _saved[name] = (string?)entry.Value;
                Environment.SetEnvironmentVariable(name, null);
            }
        }
    }

    public static Dictionary<string, string> Current() =>
        Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .Where(e => ((string)e.Key).StartsWith("OTEL_EXPORTER_OTLP_", StringComparison.Ordinal) || (string)e.Key == "NODE_EXTRA_CA_CERTS")
            .ToDictionary(e => (string)e.Key, e => (string)e.Value!);

    public void Dispose()
    {
        foreach (var name in Current().Keys.Append("GITHUB_ENV"))
        {
            Environment.SetEnvironmentVariable(name, null);
        }

        foreach (var (name, value) in _saved)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }
}

/// <summary>Set-, Get- and Clear-OtlpTlsEnvironment as a PowerShell user drives them.</summary>
[Collection(ProcessEnvironmentCollection.Name)]
public sealed class OtlpTlsEnvironmentTests : IDisposable
{
    private const string Set = "OtelTls.Commands.SetOtlpTlsEnvironmentCommand";
    private readonly EnvironmentSnapshot _snapshot = new();
    private readonly TempDirectory _dir = new();
    private readonly PowerShellSession _session = new();

    public void Dispose()
    {
        _session.Dispose();
        _dir.Dispose();
        _snapshot.Dispose();
    }

    /// <summary>CA, server (localhost) and client certificates made by New-OtlpCertificate in the test folder.</summary>
    private void MakePki()
    {
        var result = _session.Run(
            "$ca = New-OtlpCertificate -Type CA -OutputDirectory $args[0]; " +
            "$null = $ca | New-OtlpCertificate -Type Server -DnsName localhost -IPAddress 127.0.0.1 -OutputDirectory $args[0]; " +
            "$null = $ca | New-OtlpCertificate -Type Client -CommonName exporter -Name client -OutputDirectory $args[0]", _dir.Path);
        result.AssertNoErrors();
        Assert.True(File.Exists(_dir.File("client.key")));
    }

    private static void AssertError(PowerShellResult result, string errorId, ErrorCategory category, string command = Set)
    {
        var error = result.SingleError();
        Assert.Equal(errorId + "," + command, error.FullyQualifiedErrorId);
        Assert.Equal(category, error.CategoryInfo.Category);
    }

    [Fact]
    public void CmdletsAreExportedWithHelpfulParameters()
    {
        var result = _session.Run("Get-Command -Module OtelTls -Noun OtlpTlsEnvironment | ForEach-Object Name");
        Assert.Equal(new[] { "Clear-OtlpTlsEnvironment", "Get-OtlpTlsEnvironment", "Set-OtlpTlsEnvironment" }, result.Output.Cast<string>().OrderBy(n => n));
        var whatIf = _session.Run("(Get-Command Set-OtlpTlsEnvironment).Parameters.ContainsKey('WhatIf'); (Get-Command Clear-OtlpTlsEnvironment).Parameters.ContainsKey('Confirm')");
        Assert.Equal(new object?[] { true, true }, whatIf.Output);
    }

    [Fact]
    public void ProcessTargetSetsAbsolutePathsFromTheCurrentLocationAndClearRemovesThem()
    {
        MakePki();
        var result = _session.Run(
            "$null = $ExecutionContext.SessionState.Path.SetLocation($args[0]); Set-OtlpTlsEnvironment -Endpoint https://localhost:4318 -Protocol http/protobuf -CaCertificate ./ca.crt -ClientCertificate client.crt -ClientKey client.key -PassThru",
            _dir.Path);
        result.AssertNoErrors();
        var environment = result.Output.Single();
        Reflect.IsType("OtelTls.OtlpTlsEnvironment", environment);
        Assert.Equal("Process", Reflect.Get(environment, "Source"));
        Assert.Equal("Healthy", Reflect.Get(environment, "Status")!.ToString());

        var current = EnvironmentSnapshot.Current();
        Assert.Equal("https://localhost:4318", current["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Equal("http/protobuf", current["OTEL_EXPORTER_OTLP_PROTOCOL"]);
        Assert.Equal(_dir.File("ca.crt"), current["OTEL_EXPORTER_OTLP_CERTIFICATE"]);
        Assert.Equal(_dir.File("client.crt"), current["OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE"]);
        Assert.Equal(_dir.File("client.key"), current["OTEL_EXPORTER_OTLP_CLIENT_KEY"]);

        var signals = (Array)Reflect.Get(environment, "Signals")!;
        Assert.Equal(3, signals.Length);
        var traces = signals.GetValue(0);
        Assert.Equal("https://localhost:4318/v1/traces", Reflect.Get(traces, "Url"));
        Assert.Equal(true, Reflect.Get(traces, "UsesTls"));
        Assert.Equal("OTEL_EXPORTER_OTLP_CLIENT_KEY", Reflect.Get(traces, "ClientKeyPathSource"));

        // Get sees the same, from the process.
        var get = _session.Run("Get-OtlpTlsEnvironment | ForEach-Object { $_.Signals[1].Url }");
        get.AssertNoErrors();
        Assert.Equal("https://localhost:4318/v1/metrics", Assert.Single(get.Output));

        var clear = _session.Run("Clear-OtlpTlsEnvironment -PassThru");
        clear.AssertNoErrors();
        Assert.Empty(EnvironmentSnapshot.Current());
        Assert.Equal("http://localhost:4318/v1/traces", Reflect.Get(((Array)Reflect.Get(clear.Output.Single(), "Signals")!).GetValue(0), "Url"));
    }

    [Fact]
    public void PerSignalVariablesAndClearOfOneSignal()
    {
        var result = _session.Run(
            "Set-OtlpTlsEnvironment -Endpoint https://collector:4318 -Protocol http/protobuf; " +
            "Set-OtlpTlsEnvironment -Signal traces -Endpoint http://traces:4318/v1/traces; " +
            "Clear-OtlpTlsEnvironment -Signal metrics");
        result.AssertNoErrors();
        var current = EnvironmentSnapshot.Current();
        Assert.Equal("http://traces:4318/v1/traces", current["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"]);
        Assert.Equal("https://collector:4318", current["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        _session.Run("Clear-OtlpTlsEnvironment -Signal traces").AssertNoErrors();
        Assert.Equal(new[] { "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_PROTOCOL" }, EnvironmentSnapshot.Current().Keys.OrderBy(k => k));
    }

    [Fact]
    public void PipelineFromNewOtlpCertificateAndGetOtlpCertificate()
    {
        var envFile = _dir.File("otel.env");
        var result = _session.Run(
            "$ca = New-OtlpCertificate -Type CA -OutputDirectory $args[0]; $client = $ca | New-OtlpCertificate -Type Client -CommonName exporter -Name client -OutputDirectory $args[0]; " +
            "$ca, $client | Set-OtlpTlsEnvironment -Target DotEnv -Path $args[1] -Endpoint https://localhost:4317 -Protocol grpc -PassThru",
            _dir.Path, envFile);
        result.AssertNoErrors();
        var values = ReadEnv(envFile);
        Assert.Equal(_dir.File("ca.crt"), values["OTEL_EXPORTER_OTLP_CERTIFICATE"]);
        Assert.Equal(_dir.File("client.crt"), values["OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE"]);
        Assert.Equal(_dir.File("client.key"), values["OTEL_EXPORTER_OTLP_CLIENT_KEY"]);
        Assert.Equal(envFile, Reflect.Get(result.Output.Single(), "Source"));
        Assert.Empty(EnvironmentSnapshot.Current());

        // Get-OtlpCertificate objects carry no key: the CA alone binds.
        var fromFile = _session.Run("Get-OtlpCertificate -Path ([System.IO.Path]::Combine($args[0], 'ca.crt')) | Set-OtlpTlsEnvironment -Signal logs -PassThru | ForEach-Object { $_.Signals[2].CertificatePathSource }", _dir.Path);
        fromFile.AssertNoErrors();
        Assert.Equal("OTEL_EXPORTER_OTLP_LOGS_CERTIFICATE", Assert.Single(fromFile.Output));
        Assert.Equal(_dir.File("ca.crt"), EnvironmentSnapshot.Current()["OTEL_EXPORTER_OTLP_LOGS_CERTIFICATE"]);

        // A server certificate is neither a CA nor a client certificate.
        var server = _session.Run("$ca = Get-OtlpCertificate ([System.IO.Path]::Combine($args[0], 'ca.crt')); " +
            "$s = New-OtlpCertificate -Type Server -DnsName localhost -Signer $ca -SignerKeyPath ([System.IO.Path]::Combine($args[0], 'ca.key')) -OutputDirectory $args[0]; $s | Set-OtlpTlsEnvironment -Signal metrics", _dir.Path);
        AssertError(server, "NotClientCertificate", ErrorCategory.InvalidArgument);
        Assert.False(EnvironmentSnapshot.Current().ContainsKey("OTEL_EXPORTER_OTLP_METRICS_CLIENT_CERTIFICATE"));
    }

    private static IReadOnlyDictionary<string, string> ReadEnv(string path) =>
        File.ReadAllLines(path).Where(l => l.Contains('=') && !l.StartsWith('#')).ToDictionary(l => l[..l.IndexOf('=')], l => l[(l.IndexOf('=') + 1)..].Trim('\''));

    [Fact]
    public void DotEnvIsUpdatedInPlaceAndReadBackByGet()
    {
        MakePki();
        var envFile = _dir.File("app.env");
        File.WriteAllText(envFile, "# app settings\nDATABASE_URL=postgres://db\nOTEL_EXPORTER_OTLP_ENDPOINT=http://old:4318\nOTEL_EXPORTER_OTLP_INSECURE=true\nLOG_LEVEL=debug\n");
        var result = _session.Run("Set-OtlpTlsEnvironment -Target DotEnv -Path $args[0] -Endpoint https://localhost:4318 -CaCertificate $args[1] -Insecure:$false",
            envFile, _dir.File("ca.crt"));
        result.AssertNoErrors();
        Assert.Equal(
            "# app settings\nDATABASE_URL=postgres://db\nOTEL_EXPORTER_OTLP_ENDPOINT=https://localhost:4318\nOTEL_EXPORTER_OTLP_INSECURE=false\nLOG_LEVEL=debug\n" +
            $"OTEL_EXPORTER_OTLP_CERTIFICATE={_dir.File("ca.crt")}\n", File.ReadAllText(envFile));
        Assert.Empty(EnvironmentSnapshot.Current());

        var get = _session.Run("Get-OtlpTlsEnvironment -Path $args[0]", envFile);
        get.AssertNoErrors();
        var environment = get.Output.Single();
        var findings = ((Array)Reflect.Get(environment, "Findings")!).Cast<object>().Select(f => Reflect.Get<string>(f, "Id")).ToArray();
        Assert.Equal(new[] { "ProtocolNotSet" }, findings);

        var clear = _session.Run("Clear-OtlpTlsEnvironment -Target DotEnv -Path $args[0]", envFile);
        clear.AssertNoErrors();
        Assert.Equal("# app settings\nDATABASE_URL=postgres://db\nLOG_LEVEL=debug\n", File.ReadAllText(envFile));
    }

    [Fact]
    public void GetReportsFindingsFromADotEnvFile()
    {
        MakePki();
        var envFile = _dir.File("bad.env");
        File.WriteAllText(envFile, $"OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4317\nOTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf\nOTEL_EXPORTER_OTLP_CERTIFICATE=ca.crt\nOTEL_EXPORTER_OTLP_HEADERS=api-key=s3cr3t\n");
        var result = _session.Run("Get-OtlpTlsEnvironment $args[0] | ForEach-Object { $_.Status; $_.Findings | ForEach-Object Id; $_.Variables['OTEL_EXPORTER_OTLP_HEADERS'] }", envFile);
        result.AssertNoErrors();
        var output = result.Output.Select(o => o?.ToString()).ToList();
        Assert.Equal("Failed", output[0]);
        Assert.Contains("ProtocolPortMismatch", output);
        Assert.Contains("TlsFilesIgnored", output);
        Assert.Contains("RelativeFilePath", output);
        Assert.DoesNotContain("ConfiguredFileNotFound", output); // relative to the dotenv's folder, where ca.crt is
        Assert.Equal("api-key=***", output[^1]);

        // From the process: relative paths are checked against the session's current location.
        Environment.SetEnvironmentVariable("OTEL_EXPORTER_OTLP_CERTIFICATE", "ca.crt");
        var fromProcess = _session.Run("$null = $ExecutionContext.SessionState.Path.SetLocation($args[0]); Get-OtlpTlsEnvironment | ForEach-Object { $_.Findings | ForEach-Object Id }", _dir.Path);
        fromProcess.AssertNoErrors();
        Assert.Contains("RelativeFilePath", fromProcess.Output);
        Assert.DoesNotContain("ConfiguredFileNotFound", fromProcess.Output);
        Environment.SetEnvironmentVariable("OTEL_EXPORTER_OTLP_CERTIFICATE", null);

        var missing = _session.Run("Get-OtlpTlsEnvironment -Path $args[0]", _dir.File("nope.env"));
        AssertError(missing, "FileNotFound", ErrorCategory.ObjectNotFound, "OtelTls.Commands.GetOtlpTlsEnvironmentCommand");
    }

    [Fact]
    public void AzureDevOpsGitHubActionsAndKubernetesOutputs()
    {
        MakePki();
        var ado = _session.Run("Set-OtlpTlsEnvironment -Target AzureDevOps -Endpoint https://collector:4317 -Protocol grpc -CaCertificate $args[0]", _dir.File("ca.crt"));
        ado.AssertNoErrors();
        Assert.Empty(ado.Output);
        Assert.Equal(new[]
        {
            "##vso[task.setvariable variable=OTEL_EXPORTER_OTLP_ENDPOINT]https://collector:4317",
            "##vso[task.setvariable variable=OTEL_EXPORTER_OTLP_PROTOCOL]grpc",
            "##vso[task.setvariable variable=OTEL_EXPORTER_OTLP_CERTIFICATE]" + _dir.File("ca.crt"),
        }, ado.HostLines);
        Assert.Empty(EnvironmentSnapshot.Current());

        var githubEnv = _dir.File("github_env");
        File.WriteAllText(githubEnv, "EXISTING=1\n");
        Environment.SetEnvironmentVariable("GITHUB_ENV", githubEnv);
        var gh = _session.Run("Set-OtlpTlsEnvironment -Target GitHubActions -Endpoint https://collector:4318 -Protocol http/protobuf -PassThru | ForEach-Object Source");
        gh.AssertNoErrors();
        Assert.Equal("GitHubActions", Assert.Single(gh.Output));
        Assert.Equal("EXISTING=1\nOTEL_EXPORTER_OTLP_ENDPOINT=https://collector:4318\nOTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf\n", File.ReadAllText(githubEnv));
        Environment.SetEnvironmentVariable("GITHUB_ENV", null);
        var noGh = _session.Run("Set-OtlpTlsEnvironment -Target GitHubActions -Endpoint https://collector:4318");
        AssertError(noGh, "GitHubEnvNotSet", ErrorCategory.ObjectNotFound);

        var k8s = _session.Run("Set-OtlpTlsEnvironment -Target Kubernetes -Endpoint https://collector:4317 -Protocol grpc -CaCertificate $args[0]", _dir.File("ca.crt"));
        k8s.AssertNoErrors();
        Assert.Equal(
            "env:\n  - name: OTEL_EXPORTER_OTLP_ENDPOINT\n    value: \"https://collector:4317\"\n  - name: OTEL_EXPORTER_OTLP_PROTOCOL\n    value: \"grpc\"\n" +
            $"  - name: OTEL_EXPORTER_OTLP_CERTIFICATE\n    value: \"{_dir.File("ca.crt")}\"", Assert.Single(k8s.Output));

        var k8sFile = _dir.File("env.yaml");
        _session.Run("Set-OtlpTlsEnvironment -Target Kubernetes -Path $args[0] -Endpoint https://collector:4317 -Protocol grpc", k8sFile).AssertNoErrors();
        Assert.Contains("  - name: OTEL_EXPORTER_OTLP_PROTOCOL\n    value: \"grpc\"\n", File.ReadAllText(k8sFile));
        _session.Run("Clear-OtlpTlsEnvironment -Target Kubernetes -Path $args[0]", k8sFile).AssertNoErrors();
        Assert.Equal("env:\n", File.ReadAllText(k8sFile));
    }

    [Fact]
    public void WhatIfChangesNothingForEveryTarget()
    {
        MakePki();
        var envFile = _dir.File("w.env");
        File.WriteAllText(envFile, "A=1\nOTEL_EXPORTER_OTLP_ENDPOINT=http://keep:4318\n");
        var githubEnv = _dir.File("github_env");
        File.WriteAllText(githubEnv, "X=1\n");
        Environment.SetEnvironmentVariable("GITHUB_ENV", githubEnv);
        Environment.SetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT", "http://keep:4318");
        var k8sFile = _dir.File("k.yaml");
        File.WriteAllText(k8sFile, "env:\n  - name: OTEL_EXPORTER_OTLP_ENDPOINT\n    value: \"http://keep:4318\"\n");
        var bundle = _dir.File("bundle.pem");
        File.WriteAllText(bundle, File.ReadAllText(_dir.File("ca.crt")));

        foreach (var verb in new[] { "Set-OtlpTlsEnvironment -Endpoint https://changed:4318 -CaCertificate $args[2] -Sdk dotnet,node", "Clear-OtlpTlsEnvironment -Sdk node" })
        {
            foreach (var target in new[] { "Process", "DotEnv -Path $args[0]", "AzureDevOps", "GitHubActions", "Kubernetes -Path $args[1]", "Kubernetes" })
            {
                if (verb.StartsWith("Clear") && target == "Kubernetes")
                {
                    continue;
                }

                var result = _session.Run($"{verb} -Target {target} -WhatIf -PassThru", envFile, k8sFile, bundle);
                result.AssertNoErrors();
                Assert.Empty(result.Output);
            }
        }

        Assert.Equal("A=1\nOTEL_EXPORTER_OTLP_ENDPOINT=http://keep:4318\n", File.ReadAllText(envFile));
        Assert.Equal("X=1\n", File.ReadAllText(githubEnv));
        Assert.Equal("env:\n  - name: OTEL_EXPORTER_OTLP_ENDPOINT\n    value: \"http://keep:4318\"\n", File.ReadAllText(k8sFile));
        Assert.Equal(new Dictionary<string, string> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://keep:4318" }, EnvironmentSnapshot.Current());
        Assert.Equal(new[] { "bundle.pem", "ca.crt", "ca.key", "client.crt", "client.key", "github_env", "k.yaml", "server.crt", "server.key", "w.env" },
            Directory.GetFiles(_dir.Path).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal));
    }

    [Fact]
    public void BadInputIsOneClearErrorAndNothingIsWritten()
    {
        MakePki();
        var envFile = _dir.File("x.env");
        var cases = new (string Script, string ErrorId, ErrorCategory Category)[]
        {
            ("Set-OtlpTlsEnvironment -Target DotEnv -Path $args[0] -Endpoint https://c:4318 -CaCertificate ([System.IO.Path]::Combine($args[1], 'missing.crt'))", "FileNotFound", ErrorCategory.ObjectNotFound),
            ("Set-OtlpTlsEnvironment -Target DotEnv -Path $args[0] -ClientCertificate ([System.IO.Path]::Combine($args[1], 'client.crt')) -ClientKey ([System.IO.Path]::Combine($args[1], 'server.key'))", "PrivateKeyMismatch", ErrorCategory.InvalidData),
            ("Set-OtlpTlsEnvironment -Target DotEnv -Path $args[0] -CaCertificate ([System.IO.Path]::Combine($args[1], 'server.crt'))", "NotCertificateAuthority", ErrorCategory.InvalidData),
            ("Set-OtlpTlsEnvironment -Target DotEnv -Path $args[0] -ClientCertificate ([System.IO.Path]::Combine($args[1], 'client.crt'))", "ClientCertificatePairIncomplete", ErrorCategory.InvalidArgument),
            ("Set-OtlpTlsEnvironment -Target DotEnv -Path $args[0] -Endpoint 'https://bad host:4318'", "InvalidEndpoint", ErrorCategory.InvalidArgument),
            ("Set-OtlpTlsEnvironment -Target DotEnv -Endpoint https://c:4318", "PathRequired", ErrorCategory.InvalidArgument),
            ("Set-OtlpTlsEnvironment -Target User -Endpoint https://c:4318", "TargetNotSupported", ErrorCategory.NotImplemented),
            ("Clear-OtlpTlsEnvironment -Target Machine", "TargetNotSupported", ErrorCategory.NotImplemented),
            ("Clear-OtlpTlsEnvironment -Target DotEnv -Path $args[0]", "FileNotFound", ErrorCategory.ObjectNotFound),
            ("Set-OtlpTlsEnvironment -Target DotEnv -Path $args[0]", "NothingToSet", ErrorCategory.InvalidArgument),
        };
        foreach (var (script, errorId, category) in cases)
        {
            var result = _session.Run(script, envFile, _dir.Path);
            var command = script.StartsWith("Clear") ? "OtelTls.Commands.ClearOtlpTlsEnvironmentCommand" : Set;
            AssertError(result, errorId, category, command);
            Assert.Empty(result.Output);
            Assert.False(File.Exists(envFile), script);
            Assert.Empty(EnvironmentSnapshot.Current());
        }

        // -Signal is an enum: a unique prefix (trace) binds as PowerShell binds every enum; anything else is refused.
        var typo = _session.Run("Set-OtlpTlsEnvironment -Signal tarces -Endpoint https://c:4318");
        var error = typo.SingleError();
        Assert.Equal("CannotConvertArgumentNoMessage,OtelTls.Commands.SetOtlpTlsEnvironmentCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains("Traces, Metrics, Logs", error.ToString());
        Assert.Empty(EnvironmentSnapshot.Current());
    }

    [Fact]
    public void SdkOptionsAddVariablesFilesAndWarnings()
    {
        var root = _session.Run(
            "$root = New-OtlpCertificate -Type CA -Name root -CommonName 'Env Root' -OutputDirectory $args[0]; " +
            "$null = $root | New-OtlpCertificate -Type CA -Name issuing -CommonName 'Env Issuing' -OutputDirectory $args[0]", _dir.Path);
        root.AssertNoErrors();
        File.WriteAllText(_dir.File("bundle.pem"), File.ReadAllText(_dir.File("root.crt")) + File.ReadAllText(_dir.File("issuing.crt")));
        var result = _session.Run("Set-OtlpTlsEnvironment -Endpoint https://localhost:4318 -Protocol http/protobuf -CaCertificate ([System.IO.Path]::Combine($args[0], 'bundle.pem')) -Sdk dotnet, node -Verbose", _dir.Path);
        result.AssertNoErrors();
        var reordered = _dir.File("bundle.dotnet.pem");
        Assert.True(File.Exists(reordered));
        Assert.StartsWith(File.ReadAllText(_dir.File("issuing.crt")).Split("-----END CERTIFICATE-----")[0], File.ReadAllText(reordered));
        var current = EnvironmentSnapshot.Current();
        Assert.Equal(reordered, current["OTEL_EXPORTER_OTLP_CERTIFICATE"]);
        Assert.Equal(_dir.File("bundle.pem"), current["NODE_EXTRA_CA_CERTS"]);
        Assert.Contains(result.Warnings, w => w.StartsWith(".NET:") && w.Contains(reordered));
        Assert.Contains(result.Warnings, w => w.StartsWith("Node:"));
        Assert.Contains(result.Verbose, v => v == "NODE_EXTRA_CA_CERTS=" + _dir.File("bundle.pem"));

        _session.Run("Clear-OtlpTlsEnvironment -Sdk node").AssertNoErrors();
        Assert.Empty(EnvironmentSnapshot.Current());

        var collector = _session.Run("Set-OtlpTlsEnvironment -Endpoint https://localhost:4317 -Protocol grpc -CaCertificate ([System.IO.Path]::Combine($args[0], 'root.crt')) -Sdk collector", _dir.Path);
        collector.AssertNoErrors();
        Assert.Equal($"exporters:\n  otlp:\n    endpoint: \"localhost:4317\"\n    tls:\n      ca_file: \"{_dir.File("root.crt")}\"\n", Assert.Single(collector.Output));
        Assert.Empty(EnvironmentSnapshot.Current());

        var insecure = _session.Run("Set-OtlpTlsEnvironment -Endpoint localhost:4317 -Protocol grpc -Insecure");
        insecure.AssertNoErrors();
        Assert.Contains(insecure.Warnings, w => w.Contains("disables TLS"));
        Assert.Equal("true", EnvironmentSnapshot.Current()["OTEL_EXPORTER_OTLP_INSECURE"]);
    }

    [Fact]
    [Trait("Reliability", "WriterFault")]
    public async Task AzureDevOps_commands_reach_the_host_when_output_is_discarded()
    {
        var result = _session.Run("$null = Set-OtlpTlsEnvironment -Target AzureDevOps -Endpoint https://collector:4318 -Protocol http/protobuf");
        result.AssertNoErrors();
        Assert.Empty(result.Output);
        Assert.Equal(new[]
        {
            "##vso[task.setvariable variable=OTEL_EXPORTER_OTLP_ENDPOINT]https://collector:4318",
            "##vso[task.setvariable variable=OTEL_EXPORTER_OTLP_PROTOCOL]http/protobuf",
        }, result.HostLines);

        // The agent reads the process's standard output: a real pwsh, as the PowerShell@2 task runs it.
        var start = RealPwsh.Start("-NoProfile", "-NonInteractive", "-Command",
            $"Import-Module '{ModulePaths.Manifest}'; $null = Set-OtlpTlsEnvironment -Target AzureDevOps -Endpoint https://collector:4318 -Protocol http/protobuf");
        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("pwsh did not finish");
        }

        Assert.True(process.ExitCode == 0, process.StandardError.ReadToEnd());
        Assert.Equal(new[]
        {
            "##vso[task.setvariable variable=OTEL_EXPORTER_OTLP_ENDPOINT]https://collector:4318",
            "##vso[task.setvariable variable=OTEL_EXPORTER_OTLP_PROTOCOL]http/protobuf",
        }, (await stdout).Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.StartsWith("##vso", StringComparison.Ordinal)));
    }

    [Fact]
    [Trait("Reliability", "BadInput")]
    public void Output_path_on_another_provider_or_with_wildcards_is_refused()
    {
        var envDrive = _session.Run("$null = $ExecutionContext.SessionState.Path.SetLocation($args[0]); Set-OtlpTlsEnvironment -Target DotEnv -Path Env:\\X -Endpoint https://c:4318", _dir.Path);
        AssertError(envDrive, "PathNotFileSystem", ErrorCategory.InvalidArgument);
        var wildcard = _session.Run("$null = $ExecutionContext.SessionState.Path.SetLocation($args[0]); Set-OtlpTlsEnvironment -Target DotEnv -Path '*.env' -Endpoint https://c:4318", _dir.Path);
        AssertError(wildcard, "PathWildcardNotSingle", ErrorCategory.InvalidArgument);
        var clear = _session.Run("$null = $ExecutionContext.SessionState.Path.SetLocation($args[0]); Clear-OtlpTlsEnvironment -Target Kubernetes -Path 'Env:\\X'", _dir.Path);
        AssertError(clear, "PathNotFileSystem", ErrorCategory.InvalidArgument, "OtelTls.Commands.ClearOtlpTlsEnvironmentCommand");
        Assert.Empty(Directory.GetFileSystemEntries(_dir.Path));

        File.WriteAllText(_dir.File("only.env"), "A=1\n");
        _session.Run("$null = $ExecutionContext.SessionState.Path.SetLocation($args[0]); Set-OtlpTlsEnvironment -Target DotEnv -Path '*.env' -Endpoint https://c:4318", _dir.Path).AssertNoErrors();
        Assert.Equal("A=1\nOTEL_EXPORTER_OTLP_ENDPOINT=https://c:4318\n", File.ReadAllText(_dir.File("only.env")));
        Assert.Equal(new[] { "only.env" }, Directory.GetFileSystemEntries(_dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    [Trait("Reliability", "BadInput")]
    public void A_line_break_in_the_endpoint_adds_no_variable()
    {
        var githubEnv = _dir.File("github_env");
        File.WriteAllText(githubEnv, "A=1\n");
        Environment.SetEnvironmentVariable("GITHUB_ENV", githubEnv);
        var result = _session.Run("Set-OtlpTlsEnvironment -Target GitHubActions -Endpoint \"https://c:4318/x`nLD_PRELOAD=/tmp/evil.so\"");
        var error = result.SingleError();
        Assert.Contains(error.FullyQualifiedErrorId.Split(',')[0], new[] { "ValueHasControlCharacter", "InvalidEndpoint" });
        Assert.Equal("A=1\n", File.ReadAllText(githubEnv));
        var ado = _session.Run("Set-OtlpTlsEnvironment -Target AzureDevOps -Endpoint \"https://c:4318/x`r##vso[task.setvariable variable=X]y\"");
        Assert.Single(ado.Errors);
        Assert.Empty(ado.HostLines);
    }

    [Fact]
    public void ExporterPath_writes_the_paths_the_exporter_sees()
    {
        MakePki();
        var envFile = _dir.File("remote.env");
        var result = _session.Run(
            "Set-OtlpTlsEnvironment -Target DotEnv -Path $args[0] -Endpoint https://collector:4318 -CaCertificate $args[1] -ClientCertificate $args[2] -ClientKey $args[3] -ExporterPath /etc/otel/tls -Sdk node",
            envFile, _dir.File("ca.crt"), _dir.File("client.crt"), _dir.File("client.key"));
        result.AssertNoErrors();
        var lines = File.ReadAllLines(envFile);
        Assert.Contains("OTEL_EXPORTER_OTLP_CERTIFICATE=/etc/otel/tls/ca.crt", lines);
        Assert.Contains("OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE=/etc/otel/tls/client.crt", lines);
        Assert.Contains("OTEL_EXPORTER_OTLP_CLIENT_KEY=/etc/otel/tls/client.key", lines);
        Assert.Contains("NODE_EXTRA_CA_CERTS=/etc/otel/tls/ca.crt", lines);
        Assert.Contains(result.Warnings, w => w.Contains("'/etc/otel/tls/client.key'", StringComparison.Ordinal) && w.Contains(_dir.File("client.key"), StringComparison.Ordinal));

        // A manifest for a container, checked first with -WhatIf: the local files are checked, the container paths written.
        var manifest = _dir.File("deploy.yaml");
        File.WriteAllText(manifest, "kind: Pod\nspec:\n  containers:\n    - name: app # the app\n      image: app:1\n");
        _session.Run("Set-OtlpTlsEnvironment -Target Kubernetes -Path $args[0] -CaCertificate $args[1] -ExporterPath /etc/otel/tls -WhatIf", manifest, _dir.File("ca.crt")).AssertNoErrors();
        Assert.Equal("kind: Pod\nspec:\n  containers:\n    - name: app # the app\n      image: app:1\n", File.ReadAllText(manifest));
        _session.Run("Set-OtlpTlsEnvironment -Target Kubernetes -Path $args[0] -CaCertificate $args[1] -ExporterPath /etc/otel/tls", manifest, _dir.File("ca.crt")).AssertNoErrors();
        Assert.Equal("kind: Pod\nspec:\n  containers:\n    - name: app # the app\n      image: app:1\n      env:\n        - name: OTEL_EXPORTER_OTLP_CERTIFICATE\n          value: \"/etc/otel/tls/ca.crt\"\n",
            File.ReadAllText(manifest));

        var relative = _session.Run("Set-OtlpTlsEnvironment -Target AzureDevOps -CaCertificate $args[0] -ExporterPath otel/tls", _dir.File("ca.crt"));
        AssertError(relative, "ExporterPathNotAbsolute", ErrorCategory.InvalidArgument);
    }
}

/// <summary>The format views, rendered the way a console shows them.</summary>
[Collection(ProcessEnvironmentCollection.Name)]
public sealed class OtlpTlsEnvironmentFormatTests
{
    [Fact]
    public void EnvironmentAndSignalsRenderThroughTheirViews()
    {
        using var dir = new TempDirectory();
        var envFile = dir.File("v.env");
        File.WriteAllText(envFile, "OTEL_EXPORTER_OTLP_ENDPOINT=https://collector:4317\nOTEL_EXPORTER_OTLP_PROTOCOL=grpc\nOTEL_EXPORTER_OTLP_INSECURE=true\n");
        using var session = new PowerShellSession();
        var result = session.Run(
            "Import-Module -Assembly $args[1]; $e = Get-OtlpTlsEnvironment -Path $args[0]; ($e | Out-String -Width 250); ($e.Signals | Out-String -Width 250)",
            envFile, typeof(Microsoft.PowerShell.Commands.OutStringCommand).Assembly);
        result.AssertNoErrors();
        var list = Assert.IsType<string>(result.Output[0]);
        Assert.Matches(@"Source\s+: " + Regex.Escape(envFile), list);
        Assert.Matches(@"Status\s+: Warning", list);
        Assert.Matches(@"Signals\s+: Traces\s+Grpc\s+https://collector:4317 tls=True ca=-", list);
        Assert.Contains("Warning InsecureIgnored: OTEL_EXPORTER_OTLP_INSECURE=true has no effect", list);
        var table = Assert.IsType<string>(result.Output[1]).Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToList();
        Assert.Matches(@"^Signal\s+Protocol\s+Url\s+UsesTls\s+CertificatePath\s+ClientCertificatePath$", table[0]);
        Assert.Matches(@"^Metrics\s+Grpc\s+https://collector:4317\s+True$", table[3]);
    }
}
