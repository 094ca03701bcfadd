using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;

namespace OtelTls.Support
{
    /// <summary>
    /// An argument transformation that converts a value, or each item of an array or list, the same way: PowerShell hands
    /// a transformation the whole argument (<c>-Protocol grpc, http/protobuf</c> arrives as one array), and the items may
    /// each be wrapped in a PSObject.
    /// </summary>
    internal abstract class ItemArgumentTransformationAttribute : ArgumentTransformationAttribute
    {
        /// <summary>Converts one argument, or each item of an array.</summary>
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            if (value is not string && value is IEnumerable items && !IsOneValue(value))
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

        /// <summary>True for an enumerable value that is one argument, not a list of them (strings always are).</summary>
        protected virtual bool IsOneValue(object value) => false;

        /// <summary>Converts one item (already unwrapped from its PSObject).</summary>
        protected abstract object? TransformOne(object? value);
    }
}
