#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Help as a user reads it: Get-Help in real pwsh over the MAML and about_ topics the build generates from docs/en-US
# (tools/OtelTls.HelpBuilder). Derived from the module's exports, so a new cmdlet with a docs/en-US page is covered.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot '../../out/OtelTls/OtelTls.psd1') -Force
    $script:Commands = @(Get-Command -Module OtelTls -CommandType Cmdlet | ForEach-Object { @{ Name = $_.Name } })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/OtelTls/OtelTls.psd1') -Force
    $script:Common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters

    # The PowerShell in an example: "PS>" lines with their continuations (">>" prompts, or indented lines after a pipe);
    # output shown after them is not code.
    function Get-ExampleCommand([string] $Code) {
        $lines = $Code -split "`r?`n"
        if (-not ($lines -match '^PS>')) { return $Code }
        $commands = [System.Collections.Generic.List[string]]::new()
        $inCommand = $false
        foreach ($line in $lines) {
            if ($line -match '^PS>\s?(.*)$') { $commands.Add($Matches[1]); $inCommand = $true }
            elseif ($inCommand -and $line -match '^>>\s?(.*)$') { $commands.Add($Matches[1]) }
            elseif ($inCommand -and $line -match '^\s+\S' -and $commands[-1].TrimEnd() -match '[|`{(,]$') { $commands.Add($line) }
            else { $inCommand = $false }
        }
        $commands -join "`n"
    }
}

Describe 'Get-Help <Name>' -ForEach $Commands {
    BeforeAll {
        $help = Get-Help $Name -Full
        $command = Get-Command $Name
    }

    It 'has a synopsis from the help file, not the generated syntax' {
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -BeLike "$Name *"
        $help.Synopsis | Should -Not -Match '\[<CommonParameters>\]'
    }

    It 'has a description' {
        ($help.description.Text -join "`n").Trim() | Should -Not -BeNullOrEmpty
    }

    It 'describes every parameter' {
        $parameters = $command.Parameters.Keys | Where-Object { $_ -notin $Common }
        foreach ($parameter in $parameters) {
            $entry = $help.parameters.parameter | Where-Object name -eq $parameter
            $entry | Should -Not -BeNullOrEmpty -Because "-$parameter is a parameter of $Name"
            ($entry.description.Text -join ' ').Trim() | Should -Not -BeNullOrEmpty -Because "-$parameter needs a description"
        }
    }

    It 'has at least two examples, each of which parses' {
        $examples = @($help.examples.example)
        $examples.Count | Should -BeGreaterOrEqual 2
        foreach ($example in $examples) {
            $code = Get-ExampleCommand $example.code
            $code | Should -Not -BeNullOrEmpty -Because $example.title
            $errors = $null
            $null = [System.Management.Automation.Language.Parser]::ParseInput($code, [ref] $null, [ref] $errors)
            $errors | Should -BeNullOrEmpty -Because "$($example.title) must parse: $code"
        }
    }

    It 'shows examples with -Examples' {
        $text = Get-Help $Name -Examples | Out-String -Width 120
        $text | Should -Match 'Example 1'
        $text | Should -Match 'Example 2'
    }
}

Describe 'about_ topics' {
    It 'Get-Help about_OtelTls explains the workflow and the stages' {
        $text = Get-Help about_OtelTls | Out-String
        $text | Should -Match 'WORKFLOW'
        foreach ($stage in [enum]::GetNames([OtelTls.OtlpStage])) { $text | Should -Match "\b$stage\b" -Because "the stage $stage" }
    }

    It 'Get-Help about_OtelTls_Findings lists every finding id with its cause and fix' {
        $text = Get-Help about_OtelTls_Findings | Out-String
        $ids = [OtelTls.OtlpFindingId].GetFields() | Where-Object IsLiteral | ForEach-Object { $_.GetRawConstantValue() }
        $ids.Count | Should -BeGreaterThan 40
        foreach ($id in $ids) {
            $text | Should -Match "(?s)\n  +$id\r?\n +Meaning: \S.*?\n +Cause: \S.*?\n +Fix: \S" -Because "$id must be explained"
        }
    }
}
