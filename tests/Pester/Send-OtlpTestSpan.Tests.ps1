#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Send-OtlpTestSpan as a user runs it, against the TLS lab's Kestrel receivers (which count what arrives).
# Run by build.ps1 -Test where pwsh and Pester exist; the xunit module tests cover the same behaviour elsewhere.

BeforeDiscovery {
    $script:Scenarios = @('healthy', 'http-404', 'unauthenticated-http', 'grpc-unimplemented')
}

BeforeAll {
    $repo = Resolve-Path (Join-Path $PSScriptRoot '../..')
    Import-Module (Join-Path $repo 'out/OtelTls/OtelTls.psd1') -Force
    # Start-TlsLab runs the built lab itself (not a `dotnet run` wrapper), so Stop-TlsLab stops the server.
    Import-Module (Join-Path $repo 'tests/OtelTls.Lab/TlsLab.psm1') -Force
    $script:StartedBefore = @($global:TlsLabStartedProcessIds)
    function Start-LabScenario([string] $Name) { Start-TlsLab $Name }
}

Describe 'Send-OtlpTestSpan against the lab' {
    It 'sends a span over <Protocol> and returns the trace id' -ForEach @(@{ Protocol = 'grpc' }, @{ Protocol = 'http/protobuf' }) {
        $lab = Start-LabScenario healthy
        try {
            $result = Send-OtlpTestSpan $lab.Endpoint -Protocol $Protocol -CaCertificate $lab.CaFile -ServiceName pester
            $result | Should -BeOfType ([OtelTls.OtlpExportResult])
            $result.Succeeded | Should -BeTrue
            $result.TraceId | Should -Match '^[0-9a-f]{32}$'
            $result.TlsVersion | Should -Match '^TLS 1\.[23]$'
        }
        finally { $lab | Stop-TlsLab }
    }

    It 'sends a test <Signal> item to its own path' -ForEach @(@{ Signal = 'metrics' }, @{ Signal = 'logs' }) {
        $lab = Start-LabScenario healthy
        try {
            $result = Send-OtlpTestSpan $lab.Endpoint -Protocol http/protobuf -Signal $Signal -CaCertificate $lab.CaFile
            $result.Succeeded | Should -BeTrue
            $result.Url | Should -BeLike "*/v1/$Signal"
        }
        finally { $lab | Stop-TlsLab }
    }

    It 'names the cause of a failed export in the error id' -ForEach @(
        @{ Scenario = 'http-404'; Protocol = 'http/protobuf'; Id = 'OtlpPathNotFound' }
        @{ Scenario = 'unauthenticated-http'; Protocol = 'http/protobuf'; Id = 'OtlpUnauthenticated' }
        @{ Scenario = 'grpc-unimplemented'; Protocol = 'grpc'; Id = 'OtlpPathNotFound' }
    ) {
        $lab = Start-LabScenario $Scenario
        try {
            $result = Send-OtlpTestSpan $lab.Endpoint -Protocol $Protocol -CaCertificate $lab.CaFile -ErrorVariable failures -ErrorAction SilentlyContinue
            $result.Succeeded | Should -BeFalse
            $result.Finding.Id | Should -Be $Id
            $failures[0].FullyQualifiedErrorId | Should -BeLike "$Id,*"
        }
        finally { $lab | Stop-TlsLab }
    }

    It 'never shows a header value' {
        $lab = Start-LabScenario unauthenticated-http
        try {
            $verbose = Send-OtlpTestSpan $lab.Endpoint -Protocol http/protobuf -CaCertificate $lab.CaFile -Header @{ 'api-key' = 'pester-secret' } `
                -Verbose -ErrorAction SilentlyContinue -ErrorVariable failures 4>&1 | Out-String
            $verbose | Should -Not -Match 'pester-secret'
            ($failures | Out-String) | Should -Not -Match 'pester-secret'
        }
        finally { $lab | Stop-TlsLab }
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

Describe 'Send-OtlpTestSpan cleanup' {
    It 'leaves no lab server running that this file started' {
        $mine = @($global:TlsLabStartedProcessIds | Where-Object { $_ -notin $script:StartedBefore })
        $mine | Should -Not -BeNullOrEmpty -Because 'the lab scenarios above ran'
        Get-TlsLabSurvivor | Where-Object Id -in $mine | Should -BeNullOrEmpty
    }
}
