# Loads the cmdlets assembly built for the running edition. The engine and its packages stay in bin/<tfm>/deps and are
# loaded privately by the assembly's module initializer (never RequiredAssemblies/NestedModules: that would put them in
# the shared load context). The manifest stays static data, so Import-PowerShellDataFile and the gallery can read it.
# Only language features and Microsoft.PowerShell.Core here: hosts without the Utility/Management modules import it too.
if ($PSEdition -eq 'Core') {
    # PowerShell 7: one cmdlet call and no .NET member access. A member call ([System.IO.Path]::Combine, .Keys) makes
    # a fresh pwsh JIT-compile PowerShell's dynamic binders (about 150 methods; docs/performance.md, cold start). The
    # cmdlets of the nested binary module are exported without Export-ModuleMember, since this script exports nothing
    # itself, and CmdletsToExport in the manifest still filters them. '/' separates paths on every platform here.
    Import-Module -Name "$PSScriptRoot/bin/net8.0/OtelTls.dll" -ErrorAction Stop
}
else {
    # Windows PowerShell 5.1: unchanged.
    $cmdlets = Import-Module -Name ([System.IO.Path]::Combine($PSScriptRoot, 'bin', 'net472', 'OtelTls.dll')) -PassThru -ErrorAction Stop
    Export-ModuleMember -Cmdlet @($cmdlets.ExportedCmdlets.Keys)
}
