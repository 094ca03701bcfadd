#Requires -Modules Pester
# Send-OtlpTestSpan as a user runs it, against the TLS lab's Kestrel receivers (which count what arrives).
# Run by build.ps1 -Test where pwsh and Pester exist; the xunit module tests cover the same behaviour elsewhere.

BeforeDiscovery {
    $script:Scenarios = @('healthy', 'http-404', 'unauthenticated-http', 'grpc-unimplemented')
}

BeforeAll {
    $repo = Resolve-Path (Join-Path $PSScriptRoot '../..')
    Import-Module (Join-Path $repo 'out/OtelTls/OtelTls.psd1') -Force

    # Starts one lab scenario in its own process and reads endpoint and files from its banner.
    function Start-LabScenario([string] $Name) {
        $out = New-TemporaryFile
        $process = Start-Process dotnet -ArgumentList @('run', '--project', (Join-Path $repo 'tests/OtelTls.Lab'), '-c', 'Release', '--', '--scenario', $Name) `
            -RedirectStandardOutput $out -PassThru -NoNewWindow
        $deadline = (Get-Date).AddSeconds(120)
        while ((Get-Date) -lt $deadline -and -not (Select-String -Path $out -Pattern '^Running' -Quiet)) { Start-Sleep -Milliseconds 200 }
        $banner = Get-Content $out
        $value = { param($label) ($banner | Where-Object { $_ -like "$label*" } | Select-Object -First 1).Substring(12).Trim() }
        [pscustomobject]@{
            Process  = $process
            Endpoint = & $value 'Endpoint'
            CaFile   = & $value 'CA file'
            Header   = ($banner | Where-Object { $_ -like 'Header*' } | Select-Object -First 1)
        }
    }
}

Describe 'Send-OtlpTestSpan against the lab' {
    It 'sends a span over <Protocol> and returns the trace id' -ForEach @(@{ Protocol = 'grpc' }, @{ Protocol = 'http/protobuf' }) {
        $lab = Start-LabScenario healthy
        try {
            $result = Send-OtlpTestSpan $lab.Endpoint -Protocol $Protocol -CaCertificate $lab.CaFile -ServiceName pester
            $result | Should -BeOfType ([OtelTls.OtlpExportResult])
            $result.Success | Should -BeTrue
            $result.TraceId | Should -Match '^[0-9a-f]{32}$'
            $result.TlsVersion | Should -Match '^TLS 1\.[23]$'
        }
        finally { Stop-Process -Id $lab.Process.Id -ErrorAction SilentlyContinue }
    }

    It 'sends a test <Signal> item to its own path' -ForEach @(@{ Signal = 'metrics' }, @{ Signal = 'logs' }) {
        $lab = Start-LabScenario healthy
        try {
            $result = Send-OtlpTestSpan $lab.Endpoint -Protocol http/protobuf -Signal $Signal -CaCertificate $lab.CaFile
            $result.Success | Should -BeTrue
            $result.Url | Should -BeLike "*/v1/$Signal"
        }
        finally { Stop-Process -Id $lab.Process.Id -ErrorAction SilentlyContinue }
    }

    It 'names the cause of a failed export in the error id' -ForEach @(
        @{ Scenario = 'http-404'; Protocol = 'http/protobuf'; Id = 'OtlpPathNotFound' }
        @{ Scenario = 'unauthenticated-http'; Protocol = 'http/protobuf'; Id = 'OtlpUnauthenticated' }
        @{ Scenario = 'grpc-unimplemented'; Protocol = 'grpc'; Id = 'OtlpPathNotFound' }
    ) {
        $lab = Start-LabScenario $Scenario
        try {
            $result = Send-OtlpTestSpan $lab.Endpoint -Protocol $Protocol -CaCertificate $lab.CaFile -ErrorVariable failures -ErrorAction SilentlyContinue
            $result.Success | Should -BeFalse
            $result.Finding.Id | Should -Be $Id
            $failures[0].FullyQualifiedErrorId | Should -BeLike "$Id,*"
        }
        finally { Stop-Process -Id $lab.Process.Id -ErrorAction SilentlyContinue }
    }

    It 'never shows a header value' {
        $lab = Start-LabScenario unauthenticated-http
        try {
            $verbose = Send-OtlpTestSpan $lab.Endpoint -Protocol http/protobuf -CaCertificate $lab.CaFile -Header @{ 'api-key' = 'pester-secret' } `
                -Verbose -ErrorAction SilentlyContinue -ErrorVariable failures 4>&1 | Out-String
            $verbose | Should -Not -Match 'pester-secret'
            ($failures | Out-String) | Should -Not -Match 'pester-secret'
        }
        finally { Stop-Process -Id $lab.Process.Id -ErrorAction SilentlyContinue }
    }
}

Describe 'Send-OtlpTestSpan input errors' {
    It 'rejects an invalid header name before connecting' {
        { Send-OtlpTestSpan 127.0.0.1:9 -Header @{ 'Bad Name' = 'x' } -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidHeaderName,OtelTls.Commands.SendOtlpTestSpanCommand'
    }

    It 'reports an unreachable endpoint as OtlpExportFailed within the timeout' {
        $elapsed = Measure-Command {
            $result = Send-OtlpTestSpan 127.0.0.1:9 -Protocol http/protobuf -TimeoutSec 3 -ErrorAction SilentlyContinue
        }
        $result.Finding.Id | Should -Be 'OtlpExportFailed'
        $elapsed.TotalSeconds | Should -BeLessThan 10
    }
}
