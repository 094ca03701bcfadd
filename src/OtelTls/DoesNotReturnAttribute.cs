#if NETFRAMEWORK
namespace System.Diagnostics.CodeAnalysis
{
    /// <summary>.NET Framework lacks it: marks a method that always throws, for nullable flow analysis.</summary>
    [AttributeUsage(AttributeTargets.Method, Inherited = false)]
    internal sealed class DoesNotReturnAttribute : Attribute
    {
    }
}
#endif
