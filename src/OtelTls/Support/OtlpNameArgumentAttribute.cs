using System;
using System.Collections;
using System.Collections.Generic;
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
    internal sealed class OtlpNameArgumentAttribute : ArgumentTransformationAttribute
    {
        /// <summary>Creates the transformation for parameters of <paramref name="type"/> (or arrays or nullables of it).</summary>
        public OtlpNameArgumentAttribute(Type type) => Type = type;

        /// <summary>The enum the parameter holds.</summary>
        public Type Type { get; }

        /// <summary>Converts one argument, or each item of an array.</summary>
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            if (value is not string && value is IEnumerable items)
            {
                var converted = new List<object?>();
                foreach (var item in items)
                {
                    converted.Add(TransformOne(item is PSObject p ? p.BaseObject : item));
                }

                return converted.ToArray();
            }

            return TransformOne(value);
        }

        private object? TransformOne(object? value)
        {
            if (value is not string text)
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

            throw new ArgumentOutOfRangeException(nameof(Type), Type, "No table of names for this type.");
        }
    }
}
