using System.Collections.Generic;
using System.Linq;

namespace OtelTls.Engine.Vocabulary
{
    /// <summary>The one table of SDK names: how <c>-Sdk</c>, messages and the debug-logging table spell each <see cref="OtlpSdk"/>.</summary>
    public static class OtlpSdks
    {
        /// <summary>Every SDK, in the order the help lists them.</summary>
        public static IReadOnlyList<OtlpSdk> All { get; } = new[] { OtlpSdk.Dotnet, OtlpSdk.Java, OtlpSdk.Go, OtlpSdk.Python, OtlpSdk.Node, OtlpSdk.Collector };

        /// <summary>The lower-case name users type: <c>dotnet</c>, <c>java</c>, <c>go</c>, <c>python</c>, <c>node</c>, <c>collector</c>.</summary>
        /// <exception cref="OtlpTlsException">InvalidSdk for a value outside the enum.</exception>
        public static string Name(OtlpSdk sdk) => All.Contains(sdk)
            ? sdk.ToString().ToLowerInvariant()
            : throw new OtlpTlsException(OtlpErrorId.InvalidSdk, OtlpErrorKind.InvalidArgument, $"'{sdk}' is not an SDK this module knows.", sdk,
                "Use dotnet, java, go, python, node or collector.");

        /// <summary>The SDKs given, each once, in the order given; every one checked.</summary>
        /// <exception cref="OtlpTlsException">InvalidSdk.</exception>
        public static List<OtlpSdk> Distinct(IEnumerable<OtlpSdk>? sdks)
        {
            var result = new List<OtlpSdk>();
            foreach (var sdk in sdks ?? Enumerable.Empty<OtlpSdk>())
            {
                _ = Name(sdk);
                if (!result.Contains(sdk))
                {
                    result.Add(sdk);
                }
            }

            return result;
        }
    }
}
