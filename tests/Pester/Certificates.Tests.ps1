#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# User scenarios for the certificate cmdlets, against the built module in out/OtelTls (run by ./build.ps1 -Test).
# The xunit module tests (tests/OtelTls.Module.Tests) cover the same behaviour where pwsh is not installed.

BeforeDiscovery {
    # -Skip conditions are evaluated during discovery, so they live here. $IsWindows does not exist on Windows PowerShell 5.1.
    $script:OnUnix = $PSVersionTable.PSEdition -eq 'Core' -and -not $IsWindows
    $script:OnWindowsCore = $PSVersionTable.PSEdition -eq 'Core' -and $IsWindows
    $script:HasOpenSsl = [bool](Get-Command openssl -CommandType Application -ErrorAction Ignore)
}

BeforeAll {
    $manifest = Join-Path $PSScriptRoot '../../out/OtelTls/OtelTls.psd1'
    Import-Module $manifest -Force -ErrorAction Stop

    function New-TestFolder {
        $path = Join-Path $TestDrive ([guid]::NewGuid().ToString('N').Substring(0, 8))
        New-Item -ItemType Directory -Path $path | Out-Null
        $path
    }
}

AfterAll {
    Remove-Module OtelTls -ErrorAction Ignore
}

Describe 'New-OtlpCertificate | New-OtlpCertificate: a CA and a collector certificate' {
    BeforeAll {
        $dir = New-TestFolder
        $server = New-OtlpCertificate -Type CA -OutputDirectory $dir |
            New-OtlpCertificate -Type Server -DnsName otel-collector, localhost -IPAddress 127.0.0.1 -OutputDirectory $dir
    }

    It 'returns the server certificate with its SANs and serverAuth' {
        $server | Should -HaveCount 1
        $server | Should -BeOfType ([OtelTls.OtlpCertificate])
        $server.Subject | Should -Be 'CN=otel-collector'
        $server.Issuer | Should -Be 'CN=OtelTls CA'
        $server.DnsNames | Should -Be @('otel-collector', 'localhost')
        $server.IPAddresses | Should -Be @('127.0.0.1')
        $server.EnhancedKeyUsages | Should -Be @('ServerAuth')
        $server.IsCertificateAuthority | Should -BeFalse
    }

    It 'writes <_> next to each other' -ForEach 'ca.crt', 'ca.key', 'server.crt', 'server.key' {
        Join-Path $dir $_ | Should -Exist
    }

    It 'points Path and KeyPath at the files it wrote' {
        $server.Path | Should -Be (Join-Path $dir 'server.crt')
        $server.KeyPath | Should -Be (Join-Path $dir 'server.key')
        Get-Content -LiteralPath $server.KeyPath -TotalCount 1 | Should -Be '-----BEGIN PRIVATE KEY-----'
    }

    It 'reads back as the same certificate with Get-OtlpCertificate' {
        $read = Get-OtlpCertificate -LiteralPath $server.Path
        $read | Should -HaveCount 1
        $read.Thumbprint | Should -Be $server.Thumbprint
        $read.DaysUntilExpiry | Should -BeIn 364, 365
        (Get-OtlpCertificate -LiteralPath (Join-Path $dir 'ca.crt')).IsSelfSigned | Should -BeTrue
    }

    It 'pipes by property name into Get-OtlpCertificate' {
        ($server | Get-OtlpCertificate).Subject | Should -Be 'CN=otel-collector'
    }

    It 'writes the keys owner-only (0600)' -Skip:(-not $OnUnix) {
        foreach ($key in 'ca.key', 'server.key') {
            [System.IO.File]::GetUnixFileMode((Join-Path $dir $key)) | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite')
        }
        [System.IO.File]::GetUnixFileMode((Join-Path $dir 'server.crt')) | Should -Not -Be ([System.IO.UnixFileMode]'UserRead, UserWrite')
    }

    It 'gives the keys an access list for the current user only' -Skip:(-not $OnWindowsCore) {
        $acl = Get-Acl -LiteralPath (Join-Path $dir 'server.key')
        $acl.AreAccessRulesProtected | Should -BeTrue
        $acl.Access | Should -HaveCount 1
        $acl.Access[0].IdentityReference.Value | Should -Be ([System.Security.Principal.WindowsIdentity]::GetCurrent().Name)
    }

    It 'makes a chain openssl verifies for the host name' -Skip:(-not $HasOpenSsl) {
        Push-Location $dir
        try {
            $out = & openssl verify -CAfile ca.crt -purpose sslserver -verify_hostname otel-collector server.crt 2>&1
            $LASTEXITCODE | Should -Be 0 -Because ($out -join "`n")
        }
        finally { Pop-Location }
    }
}

Describe 'Get-OtlpCertificate on a chain file with an intermediate CA' {
    It 'puts the intermediate after the server certificate in server.crt' {
        $dir = New-TestFolder
        $server = New-OtlpCertificate -Type CA -Name root -CommonName 'Test Root' -OutputDirectory $dir |
            New-OtlpCertificate -Type CA -Name issuing -CommonName 'Test Issuing' -PathLength 0 -OutputDirectory $dir |
            New-OtlpCertificate -Type Server -Name server -DnsName collector.example.com -OutputDirectory $dir

        $chain = Get-OtlpCertificate -LiteralPath $server.Path
        $chain.Subject | Should -Be @('CN=collector.example.com', 'CN=Test Issuing')
        $chain[1].PathLength | Should -Be 0
        $chain[1].Issuer | Should -Be 'CN=Test Root'
    }
}

Describe 'Mutual TLS client certificates' {
    It 'issues a clientAuth certificate from a CA held in a variable' {
        $dir = New-TestFolder
        $ca = New-OtlpCertificate -Type CA -CommonName 'mTLS CA' -OutputDirectory $dir
        $client = $ca | New-OtlpCertificate -Type Client -CommonName checkout -OutputDirectory $dir

        $client.EnhancedKeyUsages | Should -Be @('ClientAuth')
        $client.Issuer | Should -Be 'CN=mTLS CA'
        Join-Path $dir 'checkout.crt' | Should -Exist
        Join-Path $dir 'mTLS-CA.key' | Should -Exist
    }

    It 'writes a PKCS#12 file that Get-OtlpCertificate opens with the password' {
        $dir = New-TestFolder
        $password = ConvertTo-SecureString 'p12-pass' -AsPlainText -Force
        $client = New-OtlpCertificate -Type CA -OutputDirectory $dir |
            New-OtlpCertificate -Type Client -CommonName exporter -Pkcs12Password $password -OutputDirectory $dir

        $p12 = Join-Path $dir 'exporter.p12'
        $p12 | Should -Exist
        $read = Get-OtlpCertificate -LiteralPath $p12 -Password $password
        $read[0].Thumbprint | Should -Be $client.Thumbprint

        $wrong = ConvertTo-SecureString 'wrong' -AsPlainText -Force
        { Get-OtlpCertificate -LiteralPath $p12 -Password $wrong -ErrorAction Stop } |
            Should -Throw -ErrorId 'Pkcs12PasswordInvalid,OtelTls.Commands.GetOtlpCertificateCommand'
    }
}

Describe 'Safety: nothing is overwritten or half-written' {
    It 'refuses to replace an existing key without -Force, and leaves it as it was' {
        $dir = New-TestFolder
        Set-Content -LiteralPath (Join-Path $dir 'ca.key') -Value 'precious'
        { New-OtlpCertificate -Type CA -OutputDirectory $dir -ErrorAction Stop } |
            Should -Throw -ErrorId 'FileExists,OtelTls.Commands.NewOtlpCertificateCommand'
        Get-Content -LiteralPath (Join-Path $dir 'ca.key') | Should -Be 'precious'
        Join-Path $dir 'ca.crt' | Should -Not -Exist
    }

    It 'replaces the files with -Force' {
        $dir = New-TestFolder
        $first = New-OtlpCertificate -Type CA -OutputDirectory $dir
        $second = New-OtlpCertificate -Type CA -OutputDirectory $dir -Force
        $second.Thumbprint | Should -Not -Be $first.Thumbprint
        (Get-OtlpCertificate -LiteralPath (Join-Path $dir 'ca.crt')).Thumbprint | Should -Be $second.Thumbprint
    }

    It 'writes nothing with -WhatIf' {
        $dir = New-TestFolder
        New-OtlpCertificate -Type CA -OutputDirectory $dir -WhatIf | Should -BeNullOrEmpty
        Get-ChildItem -LiteralPath $dir -Force | Should -BeNullOrEmpty
    }

    It 'refuses a server certificate without names, an invalid DNS name and a signer without its key' {
        $dir = New-TestFolder
        { New-OtlpCertificate -Type Server -OutputDirectory $dir -ErrorAction Stop } |
            Should -Throw -ErrorId 'ServerNameRequired,OtelTls.Commands.NewOtlpCertificateCommand'
        { New-OtlpCertificate -Type Server -DnsName 'not a name' -OutputDirectory $dir -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidDnsName,OtelTls.Commands.NewOtlpCertificateCommand'

        New-OtlpCertificate -Type CA -OutputDirectory $dir | Out-Null
        { Get-OtlpCertificate -LiteralPath (Join-Path $dir 'ca.crt') |
                New-OtlpCertificate -Type Server -DnsName x -OutputDirectory $dir -ErrorAction Stop } |
            Should -Throw -ErrorId 'SignerKeyMissing,OtelTls.Commands.NewOtlpCertificateCommand'
        Join-Path $dir 'server.crt' | Should -Not -Exist
    }
}
