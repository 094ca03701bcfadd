using System;
using System.Collections.Generic;
using System.Linq;
using OtelTls.Engine.Vocabulary;

namespace OtelTls.Engine.Configuration
{
    /// <summary>
    /// The findings of one read of the exporter environment: each said once, with the signals it applies to, and with every
    /// credential the variables hold (endpoint user info and query, header values) scrubbed from its text.
    /// </summary>
    internal sealed class OtlpEnvironmentFindings
    {
        private readonly IReadOnlyDictionary<string, string> _variables;
        private readonly Dictionary<string, (OtlpFinding Finding, SortedSet<OtlpSignal> Signals)> _findings = new(StringComparer.Ordinal);
        private List<string>? _secrets;

        public OtlpEnvironmentFindings(IReadOnlyDictionary<string, string> variables) => _variables = variables;

        /// <summary>Records a finding; the same id and message for another signal adds that signal to the first one.</summary>
        public void Add(OtlpSignal? signal, OtlpFinding finding)
        {
            // Findings quote variable values; credentials in an endpoint or a header never leave in one.
            var secrets = _secrets ??= Secrets().ToList();
            var message = Redaction.Scrub(finding.Message, secrets);
            var key = finding.Id + "\n" + message;
            if (!_findings.TryGetValue(key, out var entry))
            {
                entry = (new OtlpFinding(finding.Id, finding.Severity, finding.Stage, message, Redaction.Scrub(finding.Cause, secrets),
                    Redaction.Scrub(finding.Remediation, secrets), finding.Evidence is null ? null : Redaction.Scrub(finding.Evidence, secrets)),
                    new SortedSet<OtlpSignal>());
                _findings[key] = entry;
            }

            if (signal is { } named)
            {
                entry.Signals.Add(named);
            }
        }

        /// <summary>The findings in the order they were first added, each naming its signals in the evidence.</summary>
        public IEnumerable<OtlpFinding> All() => _findings.Values.Select(entry =>
        {
            if (entry.Signals.Count == 0)
            {
                return entry.Finding;
            }

            var signals = "signals: " + string.Join(", ", entry.Signals.Select(OtlpSignals.Name));
            var f = entry.Finding;
            return new OtlpFinding(f.Id, f.Severity, f.Stage, f.Message, f.Cause, f.Remediation,
                f.Evidence is null ? signals : f.Evidence + "; " + signals);
        });

        private IEnumerable<string> Secrets()
        {
            foreach (var pair in _variables)
            {
                if (OtlpVariables.IsHeaders(pair.Key))
                {
                    foreach (var piece in pair.Value.Split(','))
                    {
                        var equals = piece.IndexOf('=');
                        var value = (equals < 0 ? piece : piece.Substring(equals + 1)).Trim();
                        yield return value;
                        yield return Uri.UnescapeDataString(value);
                    }

                    yield return pair.Value.Trim();
                }
                else if (pair.Key.StartsWith(OtlpVariables.Prefix, StringComparison.Ordinal))
                {
                    foreach (var secret in Redaction.SecretsIn(pair.Value))
                    {
                        yield return secret;
                    }
                }
            }
        }
    }
}
