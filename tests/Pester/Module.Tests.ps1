#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The module as the PowerShell Gallery and a user's Install-PSResource see it: a static manifest, a license, and a
# package that installs from a local repository and imports by name.

BeforeAll {
    $script:repo = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $script:manifestPath = Join-Path $repo 'out/OtelTls/OtelTls.psd1'
}

Describe 'The manifest' {
    It 'is static data that Import-PowerShellDataFile reads' {
        $data = Import-PowerShellDataFile -LiteralPath $manifestPath
        $data.RootModule | Should -Be 'OtelTls.psm1'
        $data.ModuleVersion | Should -Match '^\d+\.\d+\.\d+$'
        $data.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
        $data.TypesToProcess | Should -Contain 'OtelTls.types.ps1xml'
        $data.CmdletsToExport | Should -Contain 'Test-OtlpTlsEndpoint'
    }

    It 'names a real project, its license and its release notes' {
        $psData = (Import-PowerShellDataFile -LiteralPath $manifestPath).PrivateData.PSData
        $psData.ProjectUri | Should -Be 'https://github.com/oteltls/oteltls'
        $psData.LicenseUri | Should -BeLike 'https://github.com/oteltls/oteltls/*LICENSE'
        $psData.ReleaseNotes | Should -Match 'CHANGELOG\.md'
        Join-Path $repo 'out/OtelTls/LICENSE' | Should -Exist
        Get-Content (Join-Path $repo 'LICENSE') -TotalCount 1 | Should -Be 'MIT License'
    }

    It 'passes Test-ModuleManifest' {
        (Test-ModuleManifest -Path $manifestPath -ErrorAction Stop).Name | Should -Be 'OtelTls'
    }
}

Describe 'The root module (OtelTls.psm1)' {
    It 'imports the PowerShell 7 cmdlets with one Import-Module call and no .NET member access' {
        # A member call in the psm1 makes every fresh pwsh JIT-compile PowerShell's dynamic binders before the first
        # command (about 150 methods; docs/performance.md, cold start).
        $ast = [System.Management.Automation.Language.Parser]::ParseFile((Join-Path $repo 'out/OtelTls/OtelTls.psm1'), [ref] $null, [ref] $null)
        $if = $ast.Find({ param($a) $a -is [System.Management.Automation.Language.IfStatementAst] }, $true)
        $if.Clauses[0].Item1.Extent.Text | Should -Be "`$PSEdition -eq 'Core'"
        $core = $if.Clauses[0].Item2
        $commands = @($core.FindAll({ param($a) $a -is [System.Management.Automation.Language.CommandAst] }, $true))
        $commands.Count | Should -Be 1
        $commands[0].GetCommandName() | Should -Be 'Import-Module'
        $core.FindAll({ param($a) $a -is [System.Management.Automation.Language.MemberExpressionAst] }, $true) | Should -BeNullOrEmpty
    }

    It 'exports exactly the cmdlets the manifest lists' {
        $module = Import-Module $manifestPath -Force -PassThru
        @($module.ExportedCmdlets.Keys | Sort-Object) | Should -Be @((Import-PowerShellDataFile -LiteralPath $manifestPath).CmdletsToExport | Sort-Object)
        @($module.ExportedFunctions.Keys) | Should -BeNullOrEmpty
        @($module.ExportedVariables.Keys) | Should -BeNullOrEmpty
    }
}

Describe 'The Pester suite' {
    It 'has user scenarios for every exported cmdlet' {
        Import-Module $manifestPath -Force
        # A scenario block is a Describe whose name starts with the cmdlet's name (in any file of tests/Pester).
        $describes = Get-ChildItem -LiteralPath $PSScriptRoot -Filter *.Tests.ps1 | ForEach-Object {
            $ast = [System.Management.Automation.Language.Parser]::ParseFile($_.FullName, [ref] $null, [ref] $null)
            $ast.FindAll({ param($a) $a -is [System.Management.Automation.Language.CommandAst] -and $a.GetCommandName() -eq 'Describe' }, $true) |
                ForEach-Object { $_.CommandElements[1].SafeGetValue() }
        }
        foreach ($cmdlet in (Get-Command -Module OtelTls -CommandType Cmdlet).Name) {
            $describes | Where-Object { $_ -like "$cmdlet*" } | Should -Not -BeNullOrEmpty -Because "$cmdlet needs user scenarios in tests/Pester"
        }
    }
}

Describe 'build.ps1 -Package' -Skip:$IsWindows {
    BeforeAll {
        $script:feed = Join-Path $TestDrive 'feed'
        $script:userData = Join-Path $TestDrive 'home'
        New-Item -ItemType Directory -Path $feed, $userData | Out-Null
        Push-Location $repo
        try { $script:package = & (Join-Path $repo 'build.ps1') -NoBuild -Package } finally { Pop-Location }
    }

    It 'writes OtelTls.{version}.nupkg' {
        $version = (Import-PowerShellDataFile -LiteralPath $manifestPath).ModuleVersion
        $package.Name | Should -Be "OtelTls.$version.nupkg"
        $package.FullName | Should -Exist
    }

    It 'installs from a local repository with Install-PSResource and imports by name' {
        Copy-Item -LiteralPath $package.FullName -Destination $feed
        # A separate pwsh whose user data (PSResourceGet's repository list, the CurrentUser module folder) lives in the
        # test drive: the machine's own configuration and modules are never touched.
        # On Unix both derive from HOME (XDG_DATA_HOME would move pwsh's module path but not PSResourceGet's install path).
        $saved = $env:HOME, $env:XDG_DATA_HOME
        $env:HOME = $userData
        $env:XDG_DATA_HOME = $null
        try {
            $job = Start-Job {
                param($Feed)
                $ErrorActionPreference = 'Stop'
                Register-PSResourceRepository -Name OtelTlsTest -Uri $Feed -Trusted
                Install-PSResource -Name OtelTls -Repository OtelTlsTest -Scope CurrentUser -TrustRepository -Quiet
                Import-Module OtelTls
                $module = Get-Module OtelTls
                [pscustomobject]@{
                    ModuleBase = $module.ModuleBase
                    Cmdlets    = @($module.ExportedCmdlets.Keys)
                    Synopsis   = (Get-Help Test-OtlpTlsEndpoint).Synopsis
                    Check      = (Test-OtlpTlsEndpoint 127.0.0.1:9 -TimeoutSec 2).Findings[0].Id
                }
            } -ArgumentList $feed
        }
        finally { $env:HOME, $env:XDG_DATA_HOME = $saved }
        try { $installed = $job | Wait-Job -Timeout 180 | Receive-Job } finally { $job | Remove-Job -Force }

        $installed.ModuleBase | Should -BeLike "$userData*"
        $installed.Cmdlets | Should -Contain 'Test-OtlpTlsEndpoint'
        $installed.Cmdlets.Count | Should -Be (Import-PowerShellDataFile -LiteralPath $manifestPath).CmdletsToExport.Count
        $installed.Synopsis | Should -Not -BeLike 'Test-OtlpTlsEndpoint *'
        $installed.Check | Should -Be 'ConnectionRefused'
    }
}
