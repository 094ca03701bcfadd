#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# User scenarios for Test-OtlpCertificate against the built module (out/OtelTls). The xunit module tests
# (tests/OtelTls.Module.Tests/TestOtlpCertificateTests.cs) cover the same behaviour where pwsh is not installed.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/OtelTls/OtelTls.psd1') -Force
    $script:dir = Join-Path ([System.IO.Path]::GetTempPath()) ("oteltls-pester-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
    New-Item -ItemType Directory -Path $script:dir | Out-Null
    $script:ca = New-OtlpCertificate -Type CA -Name ca -CommonName 'Pester CA' -OutputDirectory $script:dir
    $script:issuing = $script:ca | New-OtlpCertificate -Type CA -Name issuing -CommonName 'Pester Issuing CA' -OutputDirectory $script:dir
    $script:server = $script:issuing | New-OtlpCertificate -Type Server -Name server -DnsName otel-collector, localhost -IPAddress 127.0.0.1 -OutputDirectory $script:dir
    $script:client = $script:ca | New-OtlpCertificate -Type Client -Name client -OutputDirectory $script:dir
}

AfterAll {
    Remove-Item -LiteralPath $script:dir -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Test-OtlpCertificate' {
    It 'passes a server certificate with its CA, host name, usage and key' {
        $check = Test-OtlpCertificate -Path $script:server.Path -CaCertificate $script:ca.Path -HostName otel-collector -Usage Server -KeyPath $script:server.KeyPath
        $check.Status | Should -Be 'Healthy'
        $check.Findings | Should -BeNullOrEmpty
        $check.Chain.Subject | Should -Be @('CN=otel-collector', 'CN=Pester Issuing CA', 'CN=Pester CA')
    }

    It 'names the host that the certificate does not cover, with the fix' {
        $check = Test-OtlpCertificate $script:server.Path -CaCertificate $script:ca -HostName collector.observability.svc
        $check.Findings.Id | Should -Be 'HostnameMismatch'
        $check.Findings[0].Remediation | Should -Match 'New-OtlpCertificate -Type Server'
    }

    It 'reports a missing intermediate when only the leaf is given' {
        $leafOnly = Join-Path $script:dir 'leaf-only.crt'
        Set-Content -LiteralPath $leafOnly -Value $script:server.Pem -NoNewline
        (Test-OtlpCertificate $leafOnly -CaCertificate $script:ca.Path).Findings.Id | Should -Be 'IncompleteChain'
    }

    It 'rejects a client certificate used as a server certificate' {
        $ids = (Test-OtlpCertificate $script:client.Path -CaCertificate $script:ca.Path -Usage Server).Findings.Id
        $ids | Should -Contain 'KeyUsageMismatch'
        Test-OtlpCertificate $script:client.Path -CaCertificate $script:ca.Path -Usage Client -Quiet | Should -BeTrue
    }

    It 'judges a piped full-chain file as one chain, and answers -Quiet with a bool' {
        # server.crt holds the leaf and its issuing CA: one check of the leaf, the issuing CA as its intermediate.
        $results = @(Get-OtlpCertificate -Path $script:server.Path | Test-OtlpCertificate -CaCertificate $script:ca.Path -HostName otel-collector -Quiet)
        $results | Should -Be @($true)
    }

    It 'warns before expiry and fails after it, using -At' {
        $soon = Test-OtlpCertificate $script:server.Path -CaCertificate $script:ca.Path -At (Get-Date).AddDays(350)
        $soon.Status | Should -Be 'Warning'
        $soon.Findings.Id | Should -Be 'CertificateExpiringSoon'
        (Test-OtlpCertificate $script:server.Path -CaCertificate $script:ca.Path -At (Get-Date).AddDays(400)).Findings.Id | Should -Contain 'CertificateExpired'
    }

    It 'reports a key that does not belong to the certificate as a finding, and a bad file as an error' {
        (Test-OtlpCertificate $script:server.Path -CaCertificate $script:ca.Path -KeyPath $script:client.KeyPath).Findings.Id | Should -Be 'CertificateKeyMismatch'
        { Test-OtlpCertificate (Join-Path $script:dir 'missing.crt') -ErrorAction Stop } | Should -Throw -ErrorId 'FileNotFound,OtelTls.Commands.TestOtlpCertificateCommand'
    }
}
