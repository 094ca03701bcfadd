using System.Collections.Generic;

namespace OtelTls
{
    /// <summary>
    /// The one rule that turns findings into a status: the worst severity decides. Every result type asks it, so a
    /// runbook acting on <c>Status</c> sees the same verdict from every cmdlet.
    /// </summary>
    internal static class StatusVerdict
    {
        /// <summary>Failed with any Error, Warning with any Warning, else Healthy (Info findings do not count).</summary>
        internal static OtlpStatus Of(IEnumerable<OtlpSeverity> severities)
        {
            var status = OtlpStatus.Healthy;
            foreach (var severity in severities)
            {
                if (severity == OtlpSeverity.Error)
                {
                    return OtlpStatus.Failed;
                }

                if (severity == OtlpSeverity.Warning)
                {
                    status = OtlpStatus.Warning;
                }
            }

            return status;
        }
    }
}
