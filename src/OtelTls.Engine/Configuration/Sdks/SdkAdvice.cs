using System;
using System.Collections.Generic;
using System.Linq;

namespace OtelTls.Engine.Configuration.Sdks
{
    /// <summary>
    /// Where one SDK's exporter departs from the specification when it reads the variables <c>Set-OtlpTlsEnvironment</c>
    /// writes: warnings (each divergence as measured or read in the SDK's source) and, where that SDK needs it, extra
    /// variables or files. One small type per SDK, so a divergence found in one SDK changes one file.
    /// </summary>
    internal abstract class SdkAdvice
    {
        private static readonly SdkAdvice[] All = { new DotnetAdvice(), new JavaAdvice(), new GoAdvice(), new PythonAdvice(), new NodeAdvice() };

        /// <summary>The SDK this advice is for.</summary>
        public abstract OtlpSdk Sdk { get; }

        /// <summary>The advice for <paramref name="sdk"/>; null for one without (the collector reads YAML).</summary>
        public static SdkAdvice? For(OtlpSdk sdk) => All.FirstOrDefault(a => a.Sdk == sdk);

        /// <summary>
        /// The CA file this SDK should be given instead of <paramref name="caPath"/> (a copy it can read, added to the plan's
        /// files), or <paramref name="caPath"/> itself. Asked before the variables are set.
        /// </summary>
        public virtual string CaFile(SdkAdviceContext context, string caPath, IReadOnlyList<Org.BouncyCastle.X509.X509Certificate> certificates) => caPath;

        /// <summary>Adds this SDK's warnings and extra variables for the request to <paramref name="context"/>.</summary>
        public abstract void Advise(SdkAdviceContext context);
    }
}
