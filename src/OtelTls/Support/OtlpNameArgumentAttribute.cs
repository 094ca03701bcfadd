using System;
using System.Globalization;
using System.Management.Automation;
using OtelTls.Engine.Vocabulary;

namespace OtelTls.Support
{
    /// <summary>
    /// Lets an enum parameter take the spellings users copy from elsewhere as well as the enum names PowerShell binds and
    /// completes on its own: <c>http/protobuf</c> (as <c>OTEL_EXPORTER_OTLP_PROTOCOL</c> writes it) for
    /// <see cref="OtlpProtocol"/>; <c>1.2</c>, <c>TLS 1.2</c> or <c>TLSv1.2</c> for <see cref="OtlpTlsVersion"/>. The spellings
    /// come from the engine's tables, so a parameter accepts exactly what the rest of the module writes. Text it does not
    /// know passes through unchanged, and PowerShell's enum conversion reports it with the valid names.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    internal sealed class OtlpNameArgumentAttribute : ItemArgumentTransformationAttribute
    {
        /// <summary>Creates the transformation for parameters of <paramref name="type"/> (or arrays or nullables of it).</summary>
        public OtlpNameArgumentAttribute(Type type) => Type = type;

        /// <summary>The enum the parameter holds.</summary>
        public Type Type { get; }

        /// <summary>Converts one item.</summary>
        protected override object? TransformOne(object? value)
        {
            // PowerShell parses a bare 1.2 (and 1.0) as a number; the collector's spelling of a version is its text.
            var text = value switch
            {
                string s => s,
                double or float or decimal or int or long when Type == typeof(OtlpTlsVersion) =>
                    Convert.ToDecimal(value, CultureInfo.InvariantCulture).ToString("0.0#", CultureInfo.InvariantCulture),
                _ => null,
            };
            if (text is null)
            {
                return value;
            }

            if (Type == typeof(OtlpTlsVersion))
            {
                return TlsVersions.TryParse(text, out var version) ? version : value;
            }

            if (Type == typeof(OtlpProtocol))
            {
                return OtlpProtocols.TryParse(text, out var protocol) ? protocol : value;
            }

            // The attribute was put on a parameter of a type it has no names for: a mistake in the cmdlet, not in the input.
            throw new InvalidOperationException($"OtlpNameArgument has no table of names for {Type}.");
        }
    }
}
