# Loads the cmdlets assembly built for the running edition. The engine and its packages stay in bin/<tfm>/deps and are
# loaded privately by the assembly's module initializer (never RequiredAssemblies/NestedModules: that would put them in
# the shared load context). The manifest stays static data, so Import-PowerShellDataFile and the gallery can read it.
# Only language features and Microsoft.PowerShell.Core here: hosts without the Utility/Management modules import it too.
$framework = if ($PSEdition -eq 'Core') { 'net8.0' } else { 'net472' }
$cmdlets = Import-Module -Name ([System.IO.Path]::Combine($PSScriptRoot, 'bin', $framework, 'OtelTls.dll')) -PassThru -ErrorAction Stop
Export-ModuleMember -Cmdlet @($cmdlets.ExportedCmdlets.Keys)
