using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace OtelTls.Engine.Reports
{
    /// <summary>
    /// The report as GitHub-flavoured Markdown (what <c>$GITHUB_STEP_SUMMARY</c> and Azure's <c>task.uploadsummary</c>
    /// render): a count line, a table of every item, then each item with findings and their fixes. Text from findings
    /// and endpoints is escaped, so it can neither break the table nor inject markup or HTML.
    /// </summary>
    public static class MarkdownReport
    {
        /// <summary>The Markdown text, ending in a newline.</summary>
        public static string Build(IReadOnlyList<ReportItem> items, string title)
        {
            var text = new StringBuilder();
            text.Append("## ").Append(Escape(title)).Append("\n\n");
            var failed = items.Count(i => i.Status == OtlpStatus.Failed);
            var warning = items.Count(i => i.Status == OtlpStatus.Warning);
            text.Append("**").Append(items.Count).Append(" checked: ").Append(failed).Append(" failed, ").Append(warning)
                .Append(" with warnings, ").Append(items.Count - failed - warning).Append(" healthy.**\n\n");
            if (items.Count == 0)
            {
                return text.ToString();
            }

            text.Append("| Status | Kind | Name | Findings |\n|---|---|---|---|\n");
            foreach (var item in items)
            {
                var ids = item.Findings.Count == 0 ? "–" : string.Join(", ", item.Findings.Select(f => Escape(f.Id)));
                text.Append("| ").Append(Badge(item.Status)).Append(" | ").Append(item.Kind).Append(" | ").Append(Escape(item.Name))
                    .Append(" | ").Append(ids).Append(" |\n");
            }

            foreach (var item in items.Where(i => i.Findings.Count > 0))
            {
                text.Append("\n### ").Append(Badge(item.Status)).Append(' ').Append(Escape(item.Name)).Append("\n\n");
                if (!string.IsNullOrEmpty(item.Summary))
                {
                    text.Append(Escape(item.Summary!)).Append("\n\n");
                }

                foreach (var finding in item.Findings)
                {
                    text.Append("- **").Append(finding.Severity).Append(' ').Append(Escape(finding.Id)).Append("**: ")
                        .Append(Escape(finding.Message)).Append('\n');
                    text.Append("  - Fix: ").Append(Escape(finding.Remediation)).Append('\n');
                }
            }

            return text.ToString();
        }

        private static string Badge(OtlpStatus status) => status switch
        {
            OtlpStatus.Failed => "❌ Failed",
            OtlpStatus.Warning => "⚠️ Warning",
            _ => "✅ Healthy",
        };

        /// <summary>
        /// One line of inline text: line breaks become spaces, HTML's three specials become entities, and every character
        /// Markdown gives a meaning (emphasis, links, code, tables, headings) is backslash-escaped.
        /// </summary>
        internal static string Escape(string value)
        {
            var text = new StringBuilder(value.Length + 16);
            foreach (var c in value)
            {
                switch (c)
                {
                    case '\r':
                    case '\n':
                    case '\u2028':
                    case '\u2029':
                    case '\u0085':
                        text.Append(' ');
                        break;
                    case '&':
                        text.Append("&amp;");
                        break;
                    case '<':
                        text.Append("&lt;");
                        break;
                    case '>':
                        text.Append("&gt;");
                        break;
                    case '\\':
                    case '`':
                    case '*':
                    case '_':
                    case '[':
                    case ']':
                    case '|':
                    case '#':
                    case '~':
                    case '!':
                        text.Append('\\').Append(c);
                        break;
                    default:
                        text.Append(char.IsControl(c) ? ' ' : c);
                        break;
                }
            }

            return text.ToString();
        }
    }
}
