#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Resolve-OtlpTlsError as a user runs it: paste a message, pipe a log, and go from a real client's error (curl against
# the TLS lab) to the diagnosis that confirms it.

BeforeAll {
    $repo = Resolve-Path (Join-Path $PSScriptRoot '../..')
    Import-Module (Join-Path $repo 'out/OtelTls/OtelTls.psd1') -Force
    Import-Module (Join-Path $repo 'tests/OtelTls.Lab/TlsLab.psm1') -Force
    $script:StartedBefore = @($global:TlsLabStartedProcessIds)
}

Describe 'Resolve-OtlpTlsError' {
    It 'explains a pasted Go error, with its runtime, the names on the certificate and the next command' {
        $e = Resolve-OtlpTlsError 'tls: failed to verify certificate: x509: certificate is valid for otel-collector, not collector.example.com'
        $e.FindingId | Should -Be 'HostnameMismatch'
        $e.Runtime | Should -Be 'Go'
        $e.CertificateNames | Should -Be @('otel-collector')
        $e.NextCommand | Should -BeLike 'Test-OtlpTlsEndpoint collector.example.com:4317*'
    }

    It 'finds only the TLS errors in a piped log' {
        $log = @(
            'info: service started'
            'warn: upstream returned 503 Service Unavailable'
            'javax.net.ssl.SSLHandshakeException: PKIX path building failed: unable to find valid certification path to requested target'
            'info: TLS handshake completed in 3 ms'
            'ERROR database: connection refused'
        )
        $found = $log | Resolve-OtlpTlsError
        @($found).Count | Should -Be 1
        $found.FindingId | Should -Be 'UnknownAuthority'
        $found.AlternativeFindingIds | Should -Contain 'IncompleteChain'
        $found.HowToTellApart | Should -Not -BeNullOrEmpty
    }

    It 'turns curl''s real error against a server without its intermediate into the diagnosis that confirms it' {
        $lab = Start-TlsLab missing-intermediate
        try {
            $curl = & curl -sS --max-time 5 --cacert $lab.CaFile "https://$($lab.Endpoint)/v1/traces" 2>&1
            $e = $curl | Resolve-OtlpTlsError
            $e.Runtime | Should -Be 'Curl'
            @($e.FindingId) + $e.AlternativeFindingIds | Should -Contain 'IncompleteChain'
            $e.NextCommand | Should -BeLike 'Test-OtlpTlsEndpoint *-CaCertificate*'
            # curl's message names no endpoint: the user runs the suggested check against the one curl was given.
            $diagnosis = Test-OtlpTlsEndpoint $lab.Endpoint -CaCertificate $lab.CaFile -SkipExport
            $diagnosis.Findings[0].Id | Should -Be 'IncompleteChain'
        }
        finally { $lab | Stop-TlsLab }
    }

    It 'reads log files by path and says which file each error is in' {
        $dir = Join-Path ([System.IO.Path]::GetTempPath()) ("oteltls-pester-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
        New-Item -ItemType Directory -Path $dir | Out-Null
        try {
            Set-Content -LiteralPath (Join-Path $dir 'app.log') -Value 'ok', 'curl: (60) SSL certificate problem: certificate has expired'
            $e = Resolve-OtlpTlsError -Path (Join-Path $dir '*.log')
            $e.Path | Should -Be (Join-Path $dir 'app.log')
            $e.LineNumber | Should -Be 2
            $e.FindingId | Should -Be 'CertificateExpired'
        }
        finally { Remove-Item -LiteralPath $dir -Recurse -Force }
    }

    It 'leaves no lab server running that this file started' {
        $mine = @($global:TlsLabStartedProcessIds | Where-Object { $_ -notin $script:StartedBefore })
        $mine | Should -Not -BeNullOrEmpty -Because 'the curl scenario above ran a lab'
        Get-TlsLabSurvivor | Where-Object Id -in $mine | Should -BeNullOrEmpty
    }
}
