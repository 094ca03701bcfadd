namespace OtelTls
{
    // Based on long, like every public enum of the models (see OtlpSeverity.cs for why); a contract test keeps it so.
    /// <summary>Where <c>Set-OtlpTlsEnvironment</c> writes the exporter variables.</summary>
    public enum OtlpEnvironmentTarget : long
    {
        /// <summary>The current process (and so the PowerShell session and the programs it starts).</summary>
        Process = 0,
        /// <summary>The user's persistent environment (Windows only).</summary>
        User = 1,
        /// <summary>The machine's persistent environment (Windows only, needs elevation).</summary>
        Machine = 2,
        /// <summary>A dotenv file (<c>KEY=value</c> lines) that a shell, docker or compose can read.</summary>
        DotEnv = 3,
        /// <summary>Azure DevOps logging commands (<c>##vso[task.setvariable …]</c>) for the following steps.</summary>
        AzureDevOps = 4,
        /// <summary>The file named by <c>GITHUB_ENV</c>, for the following GitHub Actions steps.</summary>
        GitHubActions = 5,
        /// <summary>An <c>env:</c> list for a Kubernetes container spec, printed or kept in a file.</summary>
        Kubernetes = 6,
    }
}
