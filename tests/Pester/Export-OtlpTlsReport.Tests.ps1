#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Export-OtlpTlsReport as a CI step runs it: a child `pwsh -Command` with the variables Azure Pipelines or GitHub Actions
# set, its output discarded, and its exit code as the step's verdict. The xunit module tests
# (tests/OtelTls.Module.Tests/ExportOtlpTlsReportTests.cs) cover the grammar of every line and the docs/ci examples.

BeforeAll {
    $script:manifest = Join-Path $PSScriptRoot '../../out/OtelTls/OtelTls.psd1'
    # This pwsh again: its own executable, or (pwsh as a dotnet tool) the host running pwsh.dll.
    $native = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
    $script:pwsh = (Test-Path $native) ? @($native) : @((Get-Process -Id $PID).Path, (Join-Path $PSHOME 'pwsh.dll'))
    $script:dir = Join-Path ([System.IO.Path]::GetTempPath()) ("oteltls-pester-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
    New-Item -ItemType Directory -Path $script:dir | Out-Null
    Import-Module $script:manifest -Force
    $ca = New-OtlpCertificate -Type CA -Name ca -CommonName 'Pester Report CA' -OutputDirectory $script:dir
    $script:server = $ca | New-OtlpCertificate -Type Server -Name server -DnsName otel-collector -OutputDirectory $script:dir
    $script:caPath = $ca.Path

    # Runs one CI step in a child pwsh with only the given CI variables set; returns its exit code and its console lines.
    function Invoke-CiStep([string] $Script, [hashtable] $Variables) {
        $names = 'TF_BUILD', 'AGENT_TEMPDIRECTORY', 'GITHUB_ACTIONS', 'GITHUB_STEP_SUMMARY'
        $saved = @{}
        foreach ($name in $names) { $saved[$name] = [Environment]::GetEnvironmentVariable($name); [Environment]::SetEnvironmentVariable($name, $Variables[$name]) }
        try {
            $lines = & $script:pwsh[0] @($script:pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command "Import-Module '$script:manifest'; $Script" 2>&1
            [pscustomobject]@{ ExitCode = $LASTEXITCODE; Lines = @($lines | ForEach-Object { "$_" }) }
        }
        finally {
            foreach ($name in $names) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
        }
    }
}

AfterAll {
    Remove-Item -LiteralPath $script:dir -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Export-OtlpTlsReport in a CI step' {
    It 'fails the step with exit code 1 on an error finding, and the annotation reaches the console though the output is discarded' {
        $step = "`$null = Test-OtlpCertificate '$($script:server.Path)' -CaCertificate '$script:caPath' -HostName wrong.example | Export-OtlpTlsReport -FailOn Error"
        $result = Invoke-CiStep $step @{ TF_BUILD = 'True'; AGENT_TEMPDIRECTORY = $script:dir }
        $result.ExitCode | Should -Be 1
        $issues = @($result.Lines | Where-Object { $_ -like '##vso`[task.logissue *' })
        $issues.Count | Should -Be 1
        $issues[0] | Should -BeLike "##vso``[task.logissue type=error;sourcepath=$($script:server.Path);code=HostnameMismatch]*"
        @($result.Lines | Where-Object { $_ -like '##vso`[task.uploadsummary]*' }).Count | Should -Be 1
    }

    It 'passes the step with exit code 0 when nothing reaches the gate, and appends the GitHub step summary' {
        $summary = Join-Path $script:dir 'summary.md'
        Set-Content -LiteralPath $summary -Value '## Earlier step'
        $step = "Test-OtlpCertificate '$($script:server.Path)' -CaCertificate '$script:caPath' -HostName otel-collector | Export-OtlpTlsReport -FailOn Error | Out-Null"
        $result = Invoke-CiStep $step @{ GITHUB_ACTIONS = 'true'; GITHUB_STEP_SUMMARY = $summary }
        $result.ExitCode | Should -Be 0
        @($result.Lines | Where-Object { $_ -like '::*' }).Count | Should -Be 0
        $text = Get-Content -LiteralPath $summary -Raw
        $text | Should -Match '^## Earlier step'
        $text | Should -Match '1 checked: 0 failed'
    }

    It 'annotates without failing when no gate is asked for' {
        $step = "Test-OtlpCertificate '$($script:server.Path)' -CaCertificate '$script:caPath' -HostName wrong.example | Export-OtlpTlsReport"
        $result = Invoke-CiStep $step @{ GITHUB_ACTIONS = 'true' }
        $result.ExitCode | Should -Be 0
        @($result.Lines | Where-Object { $_ -like '::error title=HostnameMismatch%3A *' }).Count | Should -Be 1
    }
}
