using System;
using System.Collections.Generic;
using System.Linq;
using OtelTls.Engine.Vocabulary;

namespace OtelTls.Engine.Configuration
{
    /// <summary>How a debug setting reaches its runtime.</summary>
    public enum OtlpDebugSettingKind
    {
        /// <summary>An environment variable that holds exactly this value (an earlier value is replaced).</summary>
        Variable,

        /// <summary>One item of a list variable (<c>JAVA_TOOL_OPTIONS</c>, <c>NODE_DEBUG</c>): added to what is there, and only it removed again.</summary>
        ListItem,

        /// <summary>A file the runtime looks for in its working directory (the .NET self-diagnostics configuration).</summary>
        File,

        /// <summary>A key of the collector's YAML configuration.</summary>
        CollectorYaml,
    }

    /// <summary>One setting that makes a runtime show its TLS handshake or its exporter's errors.</summary>
    public sealed class OtlpDebugSetting
    {
        internal OtlpDebugSetting(OtlpSdk sdk, string runtime, OtlpDebugSettingKind kind, string name, string value, char separator, string shows, string source)
        {
            Sdk = sdk;
            Runtime = runtime;
            Kind = kind;
            Name = name;
            Value = value;
            Separator = separator;
            Shows = shows;
            Source = source;
        }

        /// <summary>The <c>-Sdk</c> that selects it.</summary>
        public OtlpSdk Sdk { get; }

        /// <summary>The runtime or library that reads it, as the help page names it.</summary>
        public string Runtime { get; }

        /// <summary>How it is written.</summary>
        public OtlpDebugSettingKind Kind { get; }

        /// <summary>The variable, file or dotted YAML key, exactly as the runtime reads it.</summary>
        public string Name { get; }

        /// <summary>The value written (for a list item: the item).</summary>
        public string Value { get; }

        /// <summary>For a list item: what separates the list's items.</summary>
        public char Separator { get; }

        /// <summary>What the runtime then prints.</summary>
        public string Shows { get; }

        /// <summary>Where the name and value are documented (a URL, pinned where the text may move).</summary>
        public string Source { get; }

        /// <summary>For a list item <c>key=value</c>, the key (an item with the same key and another value is the user's own choice); otherwise the item.</summary>
        internal string ItemKey => Value.IndexOf('=') is var i and > 0 ? Value.Substring(0, i + 1) : Value;
    }

    /// <summary>
    /// The one table of what <c>Set-OtlpTlsEnvironment -DebugLogging</c> writes per runtime, with the source of every name.
    /// The help page's table is generated from it (a test compares them), so a name cannot drift between code and docs.
    /// </summary>
    public static class OtlpDebugSettings
    {
        /// <summary>The .NET SDK looks for this file in the working directory, then in the application's base directory.</summary>
        public const string DotnetDiagnosticsFile = "OTEL_DIAGNOSTICS.json";

        /// <summary>The key-log variable, written only by its own switch.</summary>
        public const string KeyLogVariable = "SSLKEYLOGFILE";

        /// <summary>The collector's log level key, set to debug.</summary>
        public static readonly IReadOnlyList<string> CollectorLogLevelPath = new[] { "service", "telemetry", "logs", "level" };

        /// <summary>The collector's documented default level, which Clear puts back.</summary>
        public const string CollectorDefaultLevel = "info";

        /// <summary>Every setting, in writing order.</summary>
        public static IReadOnlyList<OtlpDebugSetting> All { get; } = new[]
        {
            // grpc-go: README "How to turn on logging" and grpclog/loggerv2.go, which reads both variables.
            new OtlpDebugSetting(OtlpSdk.Go, "Go (gRPC exporter, grpc-go)", OtlpDebugSettingKind.Variable, "GRPC_GO_LOG_SEVERITY_LEVEL", "info", '\0',
                "gRPC-Go's transport and handshake messages (info and above)",
                "https://github.com/grpc/grpc-go/blob/4793ad0474669eafbd5346c8a3d098fdfa542498/README.md#how-to-turn-on-logging"),
            new OtlpDebugSetting(OtlpSdk.Go, "Go (gRPC exporter, grpc-go)", OtlpDebugSettingKind.Variable, "GRPC_GO_LOG_VERBOSITY_LEVEL", "99", '\0',
                "every verbosity level of gRPC-Go's log",
                "https://github.com/grpc/grpc-go/blob/4793ad0474669eafbd5346c8a3d098fdfa542498/README.md#how-to-turn-on-logging"),

            // net/http package documentation, section HTTP/2: "GODEBUG=http2debug=1 # enable verbose HTTP/2 debug logs".
            // GODEBUG is a comma-separated list of settings, so the item is added to whatever the process already has.
            new OtlpDebugSetting(OtlpSdk.Go, "Go (HTTP exporter, net/http)", OtlpDebugSettingKind.ListItem, "GODEBUG", "http2debug=1", ',',
                "net/http's HTTP/2 client log: connections, ALPN outcome, stream errors",
                "https://pkg.go.dev/net/http#hdr-HTTP_2"),

            // gRPC C-core (grpcio, which the Python gRPC exporter uses): TROUBLESHOOTING.md for both variables; tracer names
            // and meanings from src/core/lib/debug/trace_flags.yaml ("tsi: TSI transport security", "handshaker: Handshaking state").
            new OtlpDebugSetting(OtlpSdk.Python, "Python (gRPC exporter, gRPC C-core)", OtlpDebugSettingKind.Variable, "GRPC_VERBOSITY", "debug", '\0',
                "gRPC C-core's debug messages, without which its tracers print nothing",
                "https://github.com/grpc/grpc/blob/master/TROUBLESHOOTING.md"),
            new OtlpDebugSetting(OtlpSdk.Python, "Python (gRPC exporter, gRPC C-core)", OtlpDebugSettingKind.ListItem, "GRPC_TRACE", "tsi", ',',
                "the TLS layer (TSI): handshake results and certificate verification errors",
                "https://github.com/grpc/grpc/blob/02c7ffbc1a3cb4c39f99ff412299973c6aec3ebb/src/core/lib/debug/trace_flags.yaml"),
            new OtlpDebugSetting(OtlpSdk.Python, "Python (gRPC exporter, gRPC C-core)", OtlpDebugSettingKind.ListItem, "GRPC_TRACE", "handshaker", ',',
                "the connection handshakers' state (TCP connect, TLS, HTTP/2 preface)",
                "https://github.com/grpc/grpc/blob/02c7ffbc1a3cb4c39f99ff412299973c6aec3ebb/src/core/lib/debug/trace_flags.yaml"),

            // opentelemetry-python-contrib, logging instrumentation (run under opentelemetry-instrument): with
            // OTEL_PYTHON_LOG_CORRELATION=true it calls logging.basicConfig at OTEL_PYTHON_LOG_LEVEL. The SDK itself declares
            // OTEL_LOG_LEVEL but reads it nowhere (opentelemetry-python @0a5d76b), so it is not written.
            new OtlpDebugSetting(OtlpSdk.Python, "Python (opentelemetry-instrument)", OtlpDebugSettingKind.Variable, "OTEL_PYTHON_LOG_CORRELATION", "true", '\0',
                "makes the logging instrumentation configure Python's root logger (and adds trace ids to the log format)",
                "https://github.com/open-telemetry/opentelemetry-python-contrib/blob/466ae4c00de77d1f54f77a9600f1d08eba2306b5/instrumentation/opentelemetry-instrumentation-logging/src/opentelemetry/instrumentation/logging/constants.py"),
            new OtlpDebugSetting(OtlpSdk.Python, "Python (opentelemetry-instrument)", OtlpDebugSettingKind.Variable, "OTEL_PYTHON_LOG_LEVEL", "debug", '\0',
                "the exporters' own debug and error messages (the root logger at debug)",
                "https://github.com/open-telemetry/opentelemetry-python-contrib/blob/466ae4c00de77d1f54f77a9600f1d08eba2306b5/instrumentation/opentelemetry-instrumentation-logging/src/opentelemetry/instrumentation/logging/constants.py"),

            // JSSE Reference Guide, Debugging Utilities: javax.net.debug=ssl with the handshake option. The JVM reads
            // JAVA_TOOL_OPTIONS as space-separated options (JVM TI specification), often already holding -javaagent.
            new OtlpDebugSetting(OtlpSdk.Java, "Java (JSSE)", OtlpDebugSettingKind.ListItem, "JAVA_TOOL_OPTIONS", "-Djavax.net.debug=ssl:handshake", ' ',
                "every TLS handshake message, the certificates received and the alert sent or received",
                "https://docs.oracle.com/en/java/javase/21/security/java-secure-socket-extension-jsse-reference-guide.html#GUID-31B7E142-B874-46E9-8DD0-4E18EC0EB2CF"),
            // opentelemetry.io, Java agent getting started, Troubleshooting: otel.javaagent.debug / OTEL_JAVAAGENT_DEBUG.
            new OtlpDebugSetting(OtlpSdk.Java, "Java (OpenTelemetry Java agent)", OtlpDebugSettingKind.Variable, "OTEL_JAVAAGENT_DEBUG", "true", '\0',
                "the agent's debug log, with each export attempt and its error",
                "https://opentelemetry.io/docs/zero-code/java/agent/getting-started/#troubleshooting"),

            // Node.js CLI documentation: NODE_DEBUG=module[,…], a comma-separated list of core modules.
            new OtlpDebugSetting(OtlpSdk.Node, "Node.js (tls module)", OtlpDebugSettingKind.ListItem, "NODE_DEBUG", "tls", ',',
                "the tls module's debug lines: handshake start, session, verify error",
                "https://nodejs.org/api/cli.html#node_debugmodule"),
            // opentelemetry-js, experimental/packages/opentelemetry-sdk-node/src/sdk.ts: NodeSDK installs a DiagConsoleLogger at OTEL_LOG_LEVEL.
            new OtlpDebugSetting(OtlpSdk.Node, "Node.js (OpenTelemetry JS NodeSDK)", OtlpDebugSettingKind.Variable, "OTEL_LOG_LEVEL", "debug", '\0',
                "the SDK's diagnostic log on the console, with each failed export",
                "https://github.com/open-telemetry/opentelemetry-js/blob/61126358cb5cf06a2004151cbad18e79cbede00a/experimental/packages/opentelemetry-sdk-node/src/sdk.ts"),

            // OpenTelemetry .NET, src/OpenTelemetry/README.md "Self-diagnostics" and Internal/SelfDiagnosticsConfigParser.cs: the
            // SDK has no variable for it; it reads OTEL_DIAGNOSTICS.json from the working directory, then AppContext.BaseDirectory.
            new OtlpDebugSetting(OtlpSdk.Dotnet, ".NET (OpenTelemetry self-diagnostics)", OtlpDebugSettingKind.File, DotnetDiagnosticsFile, "Verbose", '\0',
                "every OpenTelemetry EventSource event, with the exporter's exception text, in <process>.<pid>.log beside it",
                "https://github.com/open-telemetry/opentelemetry-dotnet/blob/63d9cd17298d977235bf254a346a1b07944d85dd/src/OpenTelemetry/README.md#self-diagnostics"),

            // opentelemetry.io, Collector internal telemetry: service.telemetry.logs.level (default info). At debug the
            // collector also lowers the level of the gRPC logger it installs, so GRPC_GO_* do not apply to it.
            new OtlpDebugSetting(OtlpSdk.Collector, "OpenTelemetry Collector", OtlpDebugSettingKind.CollectorYaml, string.Join(".", CollectorLogLevelPath), "debug", '\0',
                "the collector's debug log, with gRPC's transport and handshake messages",
                "https://opentelemetry.io/docs/collector/internal-telemetry/#configure-internal-logs"),
        };

        /// <summary>
        /// The key-log setting, written only by <c>-TlsKeyLogFile</c>. Python's ssl module (3.8+, in
        /// <c>ssl.create_default_context</c>) and curl append the TLS secrets of every connection to the file it names.
        /// </summary>
        public static OtlpDebugSetting KeyLog { get; } = new(OtlpSdk.Python, "Python ssl (3.8+), curl", OtlpDebugSettingKind.Variable, KeyLogVariable, "<file>", '\0',
            "nothing on screen: the session secrets go to the file, so a packet capture (Wireshark) can be decrypted",
            "https://docs.python.org/3/library/ssl.html#ssl.create_default_context");

        /// <summary>The warning every write of <see cref="KeyLogVariable"/> carries.</summary>
        public static string KeyLogWarning(string file) =>
            $"{KeyLogVariable}={file}: every TLS connection of the programs that read it (Python's ssl, curl) writes its session secrets to that file. " +
            "Anyone who has the file and a capture of the traffic can read the telemetry and its headers (API keys, tokens). " +
            "Use it only while debugging, keep the file private, and remove it with Clear-OtlpTlsEnvironment -DebugLogging.";

        /// <summary>The settings for <paramref name="sdks"/> (empty: every runtime's variables; files and YAML only when their SDK is named).</summary>
        public static IReadOnlyList<OtlpDebugSetting> For(IReadOnlyCollection<OtlpSdk> sdks) =>
            All.Where(s => sdks.Count == 0 ? s.Kind is OtlpDebugSettingKind.Variable or OtlpDebugSettingKind.ListItem : sdks.Contains(s.Sdk)).ToList();

        /// <summary>The content of the .NET self-diagnostics file: the documented keys, and a marker so Clear removes only a file it wrote.</summary>
        public static string DotnetDiagnosticsContent()
        {
            var level = All.First(s => s.Kind == OtlpDebugSettingKind.File).Value;
            // FileSize is in KiB (the SDK clamps it to 1 MiB..128 MiB); FormatMessage exists from 1.13.0 and is ignored before.
            return "{\n" +
                   "    \"LogDirectory\": \".\",\n" +
                   "    \"FileSize\": 32768,\n" +
                   $"    \"LogLevel\": \"{level}\",\n" +
                   "    \"FormatMessage\": \"true\",\n" +
                   $"    \"{Marker}\": \"Set-OtlpTlsEnvironment -DebugLogging; Clear-OtlpTlsEnvironment -DebugLogging removes this file\"\n" +
                   "}\n";
        }

        /// <summary>The key that marks the .NET file as ours (the SDK reads its keys by name and ignores others).</summary>
        internal const string Marker = "WrittenBy";

        /// <summary>The collector YAML that turns on its debug log, for when no configuration file is given.</summary>
        public static string CollectorYaml() =>
            "service:\n  telemetry:\n    logs:\n      level: " + All.First(s => s.Kind == OtlpDebugSettingKind.CollectorYaml).Value + "\n";

        /// <summary>The help page's table, one row per setting.</summary>
        public static string HelpTable()
        {
            var table = new System.Text.StringBuilder();
            table.Append("| -Sdk | Runtime | Setting | Value | Shows | Source |\n|---|---|---|---|---|---|\n");
            foreach (var setting in All.Concat(new[] { KeyLog }))
            {
                var how = setting.Kind switch
                {
                    OtlpDebugSettingKind.ListItem => $"`{setting.Name}` (item added to the list)",
                    OtlpDebugSettingKind.File => $"file `{setting.Name}` (`LogLevel`)",
                    OtlpDebugSettingKind.CollectorYaml => $"YAML `{setting.Name}`",
                    _ => $"`{setting.Name}`",
                };
                var sdk = ReferenceEquals(setting, KeyLog) ? "(-TlsKeyLogFile)" : OtlpSdks.Name(setting.Sdk);
                table.Append(FormattableString.Invariant($"| {sdk} | {setting.Runtime} | {how} | `{setting.Value}` | {setting.Shows} | {setting.Source} |\n"));
            }

            return table.ToString();
        }
    }
}
