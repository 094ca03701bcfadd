using System;
using System.Management.Automation;

namespace OtelTls.Support
{
    /// <summary>
    /// An empty string is no value: an empty CSV cell (Import-Csv binds every column, by property name) leaves the parameter
    /// at its default instead of failing the row.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    internal sealed class EmptyAsNullAttribute : ArgumentTransformationAttribute
    {
        /// <summary>Turns "" into null.</summary>
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData) =>
            (inputData is PSObject wrapped ? wrapped.BaseObject : inputData) is string { Length: 0 } ? null : inputData;
    }
}
