using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace OtelTls.Engine.Explain
{
    /// <summary>
    /// One recognised wording of a TLS or connection error: the text that identifies it, the finding it stands for, and
    /// the causes that produce the same words. <see cref="Example"/> is a real message (or, for runtimes that are not on
    /// the build machine, the text from their source, cited in <see cref="Source"/>).
    /// </summary>
    internal sealed class TlsErrorRule
    {
        public TlsErrorRule(OtlpRuntime runtime, string pattern, string findingId, string example, string source,
            AmbiguityGroup? ambiguity = null, bool needsOtlpContext = false)
        {
            Runtime = runtime;
            Pattern = new GuardedRegex(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);
            FindingId = findingId;
            Example = example;
            Source = source;
            Ambiguity = ambiguity;
            NeedsOtlpContext = needsOtlpContext;
        }

        /// <summary>The runtime whose wording this is; <see cref="OtlpRuntime.Unknown"/> for OpenSSL text that several runtimes share.</summary>
        public OtlpRuntime Runtime { get; }

        /// <summary>The wording, behind a pre-check of the words it cannot match without (most candidate lines never run it).</summary>
        public GuardedRegex Pattern { get; }

        public string FindingId { get; }

        public string Example { get; }

        /// <summary>Where the wording comes from: "measured" (captured here from the real runtime) or a source file.</summary>
        public string Source { get; }

        public AmbiguityGroup? Ambiguity { get; }

        /// <summary>
        /// Connection errors (refused, DNS, timeouts) are everywhere in application logs; they count only on a line that
        /// also speaks of OTLP (an OTLP port, an exporter, a collector, gRPC).
        /// </summary>
        public bool NeedsOtlpContext { get; }
    }

    /// <summary>Causes that one message cannot tell apart, and the check that can.</summary>
    internal sealed class AmbiguityGroup
    {
        public AmbiguityGroup(IReadOnlyList<string> findingIds, string howToTellApart)
        {
            FindingIds = findingIds;
            HowToTellApart = howToTellApart;
        }

        public IReadOnlyList<string> FindingIds { get; }

        public string HowToTellApart { get; }
    }
}
