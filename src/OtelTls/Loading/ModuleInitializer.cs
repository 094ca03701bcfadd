using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;
#if NETCOREAPP
using System.Runtime.Loader;
#endif

namespace OtelTls.Loading
{
    /// <summary>
    /// Makes the engine reachable on import. PowerShell 7: the engine and its packages live in a private
    /// <c>AssemblyLoadContext</c> over <c>deps/</c>, and the default context is told only how to find
    /// <c>OtelTls.Engine</c> (everything the engine needs then resolves inside the private context).
    /// Windows PowerShell: a resolver that answers only for files that are in <c>deps/</c>.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        internal const string EngineAssemblyName = "OtelTls.Engine";

        internal static readonly string DependencyDirectory =
            Path.Combine(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!, "deps");

        /// <summary>Called by PowerShell when the module is imported.</summary>
        public void OnImport() => DependencyResolver.Register();

        /// <summary>Called by PowerShell when the module is removed.</summary>
        public void OnRemove(PSModuleInfo psModuleInfo) => DependencyResolver.Unregister();
    }

#if NETCOREAPP
    /// <summary>The private load context for the engine and its packages.</summary>
    internal sealed class OtelTlsLoadContext : AssemblyLoadContext
    {
        private readonly string _directory;

        public OtelTlsLoadContext(string directory) : base("OtelTls", isCollectible: false) => _directory = directory;

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            // Only what we ship. Framework and PowerShell assemblies, and OtelTls.Models (which must be the one copy
            // the cmdlets also use), come from the default context when this returns null.
            var path = Path.Combine(_directory, assemblyName.Name + ".dll");
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }
    }

    internal static class DependencyResolver
    {
        private static readonly OtelTlsLoadContext Context = new(ModuleInitializer.DependencyDirectory);
        private static int _registered;

        public static void Register()
        {
            if (System.Threading.Interlocked.Exchange(ref _registered, 1) == 0)
            {
                AssemblyLoadContext.Default.Resolving += ResolveEngine;
            }
        }

        public static void Unregister()
        {
            if (System.Threading.Interlocked.Exchange(ref _registered, 0) == 1)
            {
                AssemblyLoadContext.Default.Resolving -= ResolveEngine;
            }
        }

        private static Assembly? ResolveEngine(AssemblyLoadContext defaultContext, AssemblyName name)
        {
            if (!string.Equals(name.Name, ModuleInitializer.EngineAssemblyName, StringComparison.Ordinal))
            {
                return null;
            }

            // Never LoadFromAssemblyName here: a missing file would re-enter this handler until the stack overflows.
            var path = Path.Combine(ModuleInitializer.DependencyDirectory, name.Name + ".dll");
            return File.Exists(path) ? Context.LoadFromAssemblyPath(path) : null;
        }
    }
#else
    internal static class DependencyResolver
    {
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Assembly> Loaded =
            new(StringComparer.OrdinalIgnoreCase);
        private static int _registered;

        public static void Register()
        {
            if (System.Threading.Interlocked.Exchange(ref _registered, 1) == 0)
            {
                AppDomain.CurrentDomain.AssemblyResolve += Resolve;
            }
        }

        public static void Unregister()
        {
            if (System.Threading.Interlocked.Exchange(ref _registered, 0) == 1)
            {
                AppDomain.CurrentDomain.AssemblyResolve -= Resolve;
            }
        }

        private static Assembly? Resolve(object? sender, ResolveEventArgs args)
        {
            var simpleName = new AssemblyName(args.Name).Name;
            if (simpleName is null)
            {
                return null;
            }

            if (string.Equals(simpleName, "OtelTls.Models", StringComparison.OrdinalIgnoreCase))
            {
                // The engine must bind to the copy the cmdlets already use, never a second one.
                return typeof(OtlpFinding).Assembly;
            }

            var path = Path.Combine(ModuleInitializer.DependencyDirectory, simpleName + ".dll");
            if (!File.Exists(path))
            {
                return null;
            }

            return Loaded.GetOrAdd(simpleName, _ => Assembly.LoadFrom(path));
        }
    }
#endif
}
