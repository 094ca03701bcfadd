<#
.SYNOPSIS
    Builds the OtelTls module into out/OtelTls and optionally runs every test layer.
.EXAMPLE
    ./build.ps1                # Release build; the importable module is out/OtelTls/OtelTls.psd1
.EXAMPLE
    ./build.ps1 -Clean -Test   # from scratch, then xunit (engine + module) and Pester
#>
[CmdletBinding()]
param(
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',
    [switch] $Clean,
    [switch] $Test
)
$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot

if ($Clean) {
    Remove-Item -Recurse -Force -ErrorAction SilentlyContinue out, src/*/bin, src/*/obj, tests/*/bin, tests/*/obj
}

# dotnet build alone lays out the module (src/OtelTls/ModuleLayout.targets); this script only wraps it.
dotnet build OtelTls.sln -c $Configuration
if ($LASTEXITCODE) { throw "dotnet build failed ($LASTEXITCODE)." }

if ($Test) {
    dotnet test OtelTls.sln -c $Configuration --no-build
    if ($LASTEXITCODE) { throw "dotnet test failed ($LASTEXITCODE)." }

    if (Get-Module -ListAvailable -Name Pester | Where-Object Version -ge '5.0') {
        $config = New-PesterConfiguration
        $config.Run.Path = Join-Path $PSScriptRoot 'tests/Pester'
        $config.Run.Exit = $true
        $config.Output.Verbosity = 'Detailed'
        Invoke-Pester -Configuration $config
    }
    else {
        Write-Warning 'Pester 5 is not installed: skipping tests/Pester (Install-Module Pester -MinimumVersion 5.0).'
    }
}
