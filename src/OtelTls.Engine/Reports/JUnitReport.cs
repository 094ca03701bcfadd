using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml;

namespace OtelTls.Engine.Reports
{
    /// <summary>
    /// The report as JUnit XML in the shape of the Ant JUnit schema, which Azure Pipelines' PublishTestResults (JUnit
    /// format) and the GitHub test-report actions read: one suite per kind (endpoints, certificates), one test case per
    /// item, one <c>failure</c> per failed item (its first finding as message and type, every finding with its fix as
    /// text). Findings below the failure threshold go to the suite's <c>system-out</c>: the schema has no per-case output.
    /// </summary>
    public static class JUnitReport
    {
        /// <summary>The XML, UTF-8 without a byte order mark.</summary>
        public static byte[] Build(IReadOnlyList<ReportItem> items, OtlpSeverity failAt, DateTimeOffset timestamp, string hostName)
        {
            using var buffer = new MemoryStream();
            var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true, NewLineChars = "\n" };
            using (var xml = XmlWriter.Create(buffer, settings))
            {
                xml.WriteStartDocument();
                xml.WriteStartElement("testsuites");
                xml.WriteAttributeString("name", "OtelTls");
                xml.WriteAttributeString("tests", Count(items.Count));
                xml.WriteAttributeString("failures", Count(items.Count(i => Fails(i, failAt))));
                xml.WriteAttributeString("errors", "0");
                xml.WriteAttributeString("time", Seconds(Sum(items)));

                var suites = new[]
                {
                    (Kind: ReportItemKind.Endpoint, Name: "Test-OtlpTlsEndpoint"),
                    (Kind: ReportItemKind.Certificate, Name: "Test-OtlpCertificate"),
                };
                var id = 0;
                foreach (var (kind, name) in suites)
                {
                    var members = items.Where(i => i.Kind == kind).ToList();
                    if (members.Count > 0)
                    {
                        WriteSuite(xml, id++, name, members, failAt, timestamp, hostName);
                    }
                }

                xml.WriteEndElement();
                xml.WriteEndDocument();
            }

            return buffer.ToArray();
        }

        private static void WriteSuite(XmlWriter xml, int id, string name, IReadOnlyList<ReportItem> items, OtlpSeverity failAt,
            DateTimeOffset timestamp, string hostName)
        {
            xml.WriteStartElement("testsuite");
            xml.WriteAttributeString("name", name);
            xml.WriteAttributeString("package", "OtelTls");
            xml.WriteAttributeString("id", id.ToString(CultureInfo.InvariantCulture));
            xml.WriteAttributeString("timestamp", timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture));
            xml.WriteAttributeString("hostname", Clean(string.IsNullOrWhiteSpace(hostName) ? "localhost" : hostName.Trim()));
            xml.WriteAttributeString("tests", Count(items.Count));
            xml.WriteAttributeString("failures", Count(items.Count(i => Fails(i, failAt))));
            xml.WriteAttributeString("errors", "0");
            xml.WriteAttributeString("time", Seconds(Sum(items)));
            xml.WriteStartElement("properties");
            xml.WriteEndElement();

            var output = new StringBuilder();
            foreach (var item in items)
            {
                xml.WriteStartElement("testcase");
                xml.WriteAttributeString("name", Clean(item.Name));
                xml.WriteAttributeString("classname", item.Kind == ReportItemKind.Endpoint ? "OtelTls.Endpoint" : "OtelTls.Certificate");
                xml.WriteAttributeString("time", Seconds(item.Duration));
                var failing = item.AtLeast(failAt).ToList();
                if (failing.Count > 0)
                {
                    xml.WriteStartElement("failure");
                    xml.WriteAttributeString("message", Clean(failing[0].Message));
                    xml.WriteAttributeString("type", Clean(failing[0].Id));
                    xml.WriteString(Clean(Details(item)));
                    xml.WriteEndElement();
                }
                else
                {
                    foreach (var finding in item.Findings)
                    {
                        output.Append(item.Name).Append(": ").Append(finding.Severity).Append(' ').Append(finding.Id).Append(": ")
                            .Append(finding.Message).Append('\n');
                    }
                }

                xml.WriteEndElement();
            }

            xml.WriteElementString("system-out", Clean(output.ToString()));
            xml.WriteElementString("system-err", string.Empty);
            xml.WriteEndElement();
        }

        /// <summary>Every finding of the item with its severity, cause and fix.</summary>
        private static string Details(ReportItem item)
        {
            var text = new StringBuilder();
            if (!string.IsNullOrEmpty(item.Summary))
            {
                text.Append(item.Summary).Append('\n');
            }

            foreach (var finding in item.Findings)
            {
                text.Append('[').Append(finding.Severity).Append("] ").Append(finding.Id).Append(": ").Append(finding.Message).Append('\n');
                text.Append("  Cause: ").Append(finding.Cause).Append('\n');
                text.Append("  Fix: ").Append(finding.Remediation).Append('\n');
                if (!string.IsNullOrEmpty(finding.Evidence))
                {
                    text.Append("  Evidence: ").Append(finding.Evidence).Append('\n');
                }
            }

            return text.ToString();
        }

        private static bool Fails(ReportItem item, OtlpSeverity failAt) => item.AtLeast(failAt).Any();

        private static TimeSpan Sum(IEnumerable<ReportItem> items) => TimeSpan.FromTicks(items.Sum(i => i.Duration.Ticks));

        private static string Count(int count) => count.ToString(CultureInfo.InvariantCulture);

        private static string Seconds(TimeSpan duration) => duration.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture);

        /// <summary>XML 1.0 cannot carry most control characters even escaped: they become U+FFFD instead of a broken file.</summary>
        internal static string Clean(string? value)
        {
            if (string.IsNullOrEmpty(value))
            {
                return string.Empty;
            }

            var text = new StringBuilder(value!.Length);
            for (var i = 0; i < value.Length; i++)
            {
                var c = value[i];
                if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                {
                    text.Append(c).Append(value[++i]);
                }
                else if (c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD))
                {
                    text.Append(c);
                }
                else
                {
                    text.Append('\uFFFD');
                }
            }

            return text.ToString();
        }
    }
}
