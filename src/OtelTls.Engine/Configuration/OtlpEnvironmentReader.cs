using System;
using System.Collections.Generic;
using System.Linq;
using OtelTls.Engine.Vocabulary;

namespace OtelTls.Engine.Configuration
{
    /// <summary>
    /// Resolves <c>OTEL_EXPORTER_OTLP_*</c> variables into what an exporter for each signal will do, with the
    /// specification's precedence (<see cref="OtlpVariablePrecedence"/>), checks the values (<see cref="OtlpEnvironmentChecks"/>)
    /// and the files they name (<see cref="OtlpEnvironmentFiles"/>). It only reads: nothing here changes the environment.
    /// </summary>
    public static class OtlpEnvironmentReader
    {
        /// <summary>The current process environment as a dictionary.</summary>
        public static IReadOnlyDictionary<string, string> ProcessVariables()
        {
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
            {
                if (entry.Key is string name && entry.Value is string value)
                {
                    result[name] = value;
                }
            }

            return result;
        }

        /// <summary>
        /// Resolves <paramref name="variables"/> (e.g. the process environment copied into a dictionary, or a parsed dotenv
        /// file) into the effective configuration per signal, with findings.
        /// </summary>
        /// <param name="variables">Name to value; names are matched exactly, the way the SDKs read them.</param>
        /// <param name="at">The moment certificate validity is checked at (default: now).</param>
        public static OtlpTlsEnvironment Read(IReadOnlyDictionary<string, string> variables, DateTimeOffset? at = null) =>
            Read(variables, "Process", at);

        /// <summary>As <see cref="Read(IReadOnlyDictionary{string, string}, DateTimeOffset?)"/>, naming where the variables came from.</summary>
        /// <param name="variables">Name to value.</param>
        /// <param name="source"><c>Process</c>, a dotenv path, or a target name.</param>
        /// <param name="at">The moment certificate validity is checked at (default: now).</param>
        /// <param name="baseDirectory">Folder relative file paths are checked against (default: the current directory).</param>
        /// <param name="files">The command's file reads, so the files checked here are not read again to connect; null reads them here.</param>
        public static OtlpTlsEnvironment Read(IReadOnlyDictionary<string, string> variables, string source, DateTimeOffset? at = null, string? baseDirectory = null,
            CommandFiles? files = null)
        {
            if (variables is null)
            {
                throw new ArgumentNullException(nameof(variables));
            }

            var folder = baseDirectory ?? Environment.CurrentDirectory;
            var when = at ?? DateTimeOffset.UtcNow;
            var precedence = new OtlpVariablePrecedence(variables);
            var findings = new OtlpEnvironmentFindings(variables);
            var checks = new OtlpEnvironmentChecks(precedence, findings);
            var configuredFiles = new OtlpEnvironmentFiles(folder, files, when, findings);
            var signals = OtlpSignals.All.Select(signal =>
            {
                var resolved = precedence.Resolve(signal);
                checks.CheckSignal(resolved);
                configuredFiles.Check(resolved.Configuration);
                return resolved.Configuration;
            }).ToArray();
            checks.CheckOverrides();
            checks.CheckProtocolSet();
            return new OtlpTlsEnvironment
            {
                Source = source,
                Variables = ReportedVariables(variables),
                Signals = signals,
                Findings = OtlpCertificateCheck.Order(findings.All()),
                Timestamp = when,
                BaseDirectory = folder,
            };
        }

        /// <summary>
        /// A file named by <paramref name="environment"/>'s variables as the exporter opens it: relative paths against
        /// <see cref="OtlpTlsEnvironment.BaseDirectory"/>, the one folder the reader checked them in.
        /// </summary>
        /// <param name="environment">The configuration the path came from.</param>
        /// <param name="path">The path as written in the variable.</param>
        public static string FullPath(OtlpTlsEnvironment environment, string path) => OtlpEnvironmentFiles.FullPath(environment.BaseDirectory, path);

        /// <summary>
        /// True only for the case-insensitive text <c>true</c> (surrounding blanks ignored), as the specification's boolean
        /// rule says; null for unset or empty.
        /// </summary>
        public static bool? ParseBoolean(string? value)
        {
            if (value is null || value.Trim().Length == 0)
            {
                return null;
            }

            return string.Equals(value.Trim(), "true", StringComparison.OrdinalIgnoreCase);
        }

        /// <summary>Header names from a <c>…_HEADERS</c> value (<c>k1=v1,k2=v2</c>): the headers an SDK sends, as OtlpHeaderList reads them.</summary>
        public static string[] HeaderNames(string? value) => OtlpHeaderList.Parse(value).Keys.ToArray();

        private static IDictionary<string, string> ReportedVariables(IReadOnlyDictionary<string, string> variables)
        {
            var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in variables)
            {
                if (OtlpVariables.IsReported(pair.Key) && !string.IsNullOrEmpty(pair.Value))
                {
                    result[pair.Key] = OtlpVariables.IsHeaders(pair.Key) ? Redaction.Headers(pair.Value) : Redaction.Url(pair.Value);
                }
            }

            return result;
        }
    }
}
