<#
.SYNOPSIS
    Builds the OtelTls module into out/OtelTls; optionally runs every test layer or packages the module.
.DESCRIPTION
    Runs in PowerShell 7 (`dotnet tool restore` puts the pinned one behind `dotnet pwsh`). -Test runs the xunit suites
    (dotnet test) and then the Pester suite in tests/Pester with the Pester module restored from NuGet by the solution
    (a PackageDownload in tests/OtelTls.Module.Tests), and ends with one line "N passed, N failed, N skipped" counting
    both; the exit code is 1 when anything failed. -Package writes out/OtelTls.<version>.nupkg (Compress-PSResource),
    the file Install-PSResource installs from a local repository.
.EXAMPLE
    dotnet pwsh ./build.ps1                # Release build; the importable module is out/OtelTls/OtelTls.psd1
.EXAMPLE
    dotnet pwsh ./build.ps1 -Clean -Test   # from scratch, then xunit (engine, module, lab, SDK) and Pester
.EXAMPLE
    dotnet pwsh ./build.ps1 -Test -PesterOnly -PesterPath tests/Pester/Help.Tests.ps1   # one Pester file, no xunit
#>
[CmdletBinding()]
param(
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',
    [switch] $Clean,
    [switch] $Test,
    # Pester only (with -Test): skips dotnet test.
    [switch] $PesterOnly,
    # Pester files or folders to run (with -Test); tests/Pester by default.
    [string[]] $PesterPath,
    [switch] $Package,
    # Skips the build (the module in out/OtelTls must exist).
    [switch] $NoBuild
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
Set-Location $PSScriptRoot

if ($PSVersionTable.PSEdition -ne 'Core') {
    throw 'build.ps1 runs in PowerShell 7: dotnet tool restore; dotnet pwsh ./build.ps1'
}

if ($Clean) {
    Remove-Item -Recurse -Force -ErrorAction SilentlyContinue out, src/*/bin, src/*/obj, tests/*/bin, tests/*/obj, tools/*/bin, tools/*/obj
}

if (-not $NoBuild) {
    # dotnet build alone lays out the module, its help and types (src/OtelTls/ModuleLayout.targets); this script wraps it.
    dotnet build OtelTls.sln -c $Configuration
    if ($LASTEXITCODE) { throw "dotnet build failed ($LASTEXITCODE)." }
}

function Get-PesterManifest {
    # The Pester package restored by the solution (PackageDownload): its module is the package's tools/ folder.
    $version = '5.9.1'
    $root = $env:NUGET_PACKAGES
    if (-not $root) {
        $line = dotnet nuget locals global-packages --list | Select-String 'global-packages:\s*(.+)$'
        $root = $line.Matches[0].Groups[1].Value.Trim()
    }
    $manifest = Join-Path $root "pester/$version/tools/Pester.psd1"
    if (-not (Test-Path -LiteralPath $manifest)) {
        throw "Pester $version is not restored at ${manifest}: run dotnet restore OtelTls.sln."
    }
    $manifest
}

if ($Package) {
    $manifest = Import-PowerShellDataFile out/OtelTls/OtelTls.psd1
    $target = Join-Path $PSScriptRoot 'out'
    Remove-Item -LiteralPath (Join-Path $target "OtelTls.$($manifest.ModuleVersion).nupkg") -ErrorAction Ignore
    Import-Module Microsoft.PowerShell.PSResourceGet
    Compress-PSResource -Path (Join-Path $PSScriptRoot 'out/OtelTls') -DestinationPath $target
    $nupkg = Join-Path $target "OtelTls.$($manifest.ModuleVersion).nupkg"
    if (-not (Test-Path -LiteralPath $nupkg)) { throw "Compress-PSResource wrote no $nupkg." }
    Get-Item -LiteralPath $nupkg
}

if ($Test) {
    $passed = 0; $failed = 0; $skipped = 0; $broken = $false

    if (-not $PesterOnly) {
        # Output streams live; the per-assembly summaries are summed:
        # "Passed!  - Failed:     0, Passed:    40, Skipped:     0, Total:    40, Duration: 2 s - X.dll (net10.0)".
        dotnet test OtelTls.sln -c $Configuration --no-build 2>&1 | ForEach-Object {
            $line = "$_"
            Write-Host $line
            if ($line -match '(Passed|Failed)! +- +Failed: +(\d+), Passed: +(\d+), Skipped: +(\d+)') {
                $failed += [int] $Matches[2]; $passed += [int] $Matches[3]; $skipped += [int] $Matches[4]
            }
        }
        # A build break or a crashed test host leaves no summary: that is a failure too.
        if ($LASTEXITCODE -and $failed -eq 0) { $broken = $true }
    }

    Import-Module (Get-PesterManifest) -Force
    $config = New-PesterConfiguration
    $config.Run.Path = if ($PesterPath) { $PesterPath } else { Join-Path $PSScriptRoot 'tests/Pester' }
    $config.Run.PassThru = $true
    $config.Output.Verbosity = if ($env:CI) { 'Normal' } else { 'Detailed' }
    $result = Invoke-Pester -Configuration $config
    $passed += $result.PassedCount
    $skipped += $result.SkippedCount + $result.NotRunCount
    # A failing BeforeAll/AfterAll or a file that does not load fails its block or container, not a test.
    $failed += $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount

    if ($broken) { $failed += 1 }
    Write-Host "$passed passed, $failed failed, $skipped skipped"
    if ($failed) { exit 1 }
}
