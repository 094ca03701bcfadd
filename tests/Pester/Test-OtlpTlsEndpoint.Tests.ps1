#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Test-OtlpTlsEndpoint as a user runs it, against TLS lab scenarios started in their own processes.
# Run by build.ps1 -Test where pwsh and Pester exist; the xunit layers (LabDiagnosisTests, TestOtlpTlsEndpointTests)
# cover every scenario and the same cmdlet behaviour on machines without pwsh.

BeforeDiscovery {
    $script:Cases = @(
        @{ Scenario = 'healthy';              Finding = $null;                       Status = 'Healthy' }
        @{ Scenario = 'mtls-required';        Finding = 'ClientCertificateRequired'; Status = 'Failed' }
        @{ Scenario = 'missing-intermediate'; Finding = 'IncompleteChain';           Status = 'Failed' }
        @{ Scenario = 'wrong-host';           Finding = 'HostnameMismatch';          Status = 'Failed' }
        @{ Scenario = 'plaintext-http';       Finding = 'TlsNotEnabled';             Status = 'Failed' }
        @{ Scenario = 'no-alpn';              Finding = 'AlpnH2NotNegotiated';       Status = 'Failed' }
    )
}

BeforeAll {
    $repo = Resolve-Path (Join-Path $PSScriptRoot '../..')
    Import-Module (Join-Path $repo 'out/OtelTls/OtelTls.psd1') -Force
    Import-Module (Join-Path $repo 'tests/OtelTls.Lab/TlsLab.psm1') -Force
    $script:StartedBefore = @($global:TlsLabStartedProcessIds)
    function Start-LabScenario([string] $Name) { Start-TlsLab $Name }
}

Describe 'Test-OtlpTlsEndpoint on lab scenarios' {
    It '<Scenario> gives <Status> with <Finding>' -ForEach $Cases {
        $lab = Start-LabScenario $Scenario
        try {
            $d = Test-OtlpTlsEndpoint $lab.Endpoint -CaCertificate $lab.CaFile -TimeoutSec 5
            $d | Should -BeOfType ([OtelTls.OtlpTlsDiagnosis])
            $d.Status | Should -Be $Status
            if ($Finding) {
                $d.Findings[0].Id | Should -Be $Finding
                $d.Findings[0].Remediation | Should -Not -BeNullOrEmpty
            }
            $d.OpenSslCommand | Should -BeLike 'openssl s_client -connect *'
        }
        finally { $lab | Stop-TlsLab }
    }

    It 'accepts the right client certificate on an mTLS endpoint' {
        $lab = Start-LabScenario mtls-required
        try {
            Test-OtlpTlsEndpoint $lab.Endpoint -CaCertificate $lab.CaFile -ClientCertificate $lab.ClientCert -ClientKey $lab.ClientKey -Quiet |
                Should -BeTrue
            (Test-OtlpTlsEndpoint $lab.Endpoint -CaCertificate $lab.CaFile).ClientAuth.AcceptableAuthorities | Should -Not -BeNullOrEmpty
        }
        finally { $lab | Stop-TlsLab }
    }

    It 'diagnoses many endpoints from the pipeline, one result each' {
        $labs = 'healthy', 'expired', 'self-signed' | ForEach-Object { Start-LabScenario $_ }
        try {
            $results = $labs | ForEach-Object { [pscustomobject]@{ Endpoint = $_.Endpoint } } |
                Test-OtlpTlsEndpoint -CaCertificate $labs.CaFile -ThrottleLimit 2 -SkipExport
            $results | Should -HaveCount 3
            ($results | Where-Object Status -eq Healthy) | Should -HaveCount 1
        }
        finally { $labs | Stop-TlsLab }
    }
}

Describe 'Test-OtlpTlsEndpoint results that travel and read well' {
    BeforeAll {
        $script:lab = Start-LabScenario missing-intermediate
        $script:manifest = (Resolve-Path (Join-Path $repo 'out/OtelTls/OtelTls.psd1')).Path
    }
    AfterAll { $script:lab | Stop-TlsLab }

    It 'keeps Findings, Chain, Tls and ClientAuth as objects through Start-Job' {
        $job = Start-Job {
            param($Manifest, $Endpoint, $CaFile)
            Import-Module $Manifest
            Test-OtlpTlsEndpoint $Endpoint -CaCertificate $CaFile -SkipExport
        } -ArgumentList $manifest, $lab.Endpoint, $lab.CaFile
        try { $d = $job | Wait-Job -Timeout 120 | Receive-Job } finally { $job | Remove-Job -Force }

        $d.pstypenames[0] | Should -Be 'Deserialized.OtelTls.OtlpTlsDiagnosis'
        $d.Findings.Id | Should -Be 'IncompleteChain'
        $d.Findings[0].Remediation | Should -Not -BeNullOrEmpty
        $d.Chain[0].Subject | Should -Be 'CN=localhost'
        $d.Chain[0].Pem | Should -Match 'BEGIN CERTIFICATE'
        $d.Tls.Version | Should -Match '^TLS 1\.[23]$'
        $d.ClientAuth.CertificateRequested | Should -BeFalse
        # The deserialized object renders through the same view as the live one.
        ($d | Out-String -Width 120) | Should -Match '(?m)^Status\s+Finding\s+Endpoint'
    }

    It 'keeps the findings through Export-Clixml and Import-Clixml' {
        $file = Join-Path $TestDrive 'diagnosis.xml'
        Test-OtlpTlsEndpoint $lab.Endpoint -CaCertificate $lab.CaFile -SkipExport | Export-Clixml -LiteralPath $file
        $d = Import-Clixml -LiteralPath $file
        $d.Findings.Id | Should -Be 'IncompleteChain'
        $d.Trust.Findings.Id | Should -Be 'IncompleteChain'
        $d.Chain.Thumbprint | Should -Not -BeNullOrEmpty
        (Get-Content -LiteralPath $file -Raw) | Should -Not -Match 'X509Certificate2'
    }

    It 'converts to compact JSON: enums as names, certificates as summary and PEM, no X509Certificate2' {
        $two = 1..2 | ForEach-Object { Test-OtlpTlsEndpoint $lab.Endpoint -CaCertificate $lab.CaFile -SkipExport }
        $json = $two | ConvertTo-Json -Depth 5 -WarningAction SilentlyContinue
        Write-Host "ConvertTo-Json -Depth 5 of two diagnoses: $($json.Length) characters"
        $json.Length | Should -BeLessThan 40000   # 77,796 before: an X509Certificate2 dump in every chain entry
        $json | Should -Not -Match '"RawData"|"PublicKey"|"SubjectName"'
        $parsed = $json | ConvertFrom-Json
        $parsed[0].Status | Should -Be 'Failed'
        $parsed[0].Findings[0].Severity | Should -Be 'Error'
        $parsed[0].Findings[0].Stage | Should -Be 'Trust'
        $parsed[0].Chain[0].PSObject.Properties.Name | Should -Not -Contain 'Certificate'
        $parsed[0].Chain[0].Pem | Should -Match 'BEGIN CERTIFICATE'
        (Test-OtlpTlsEndpoint $lab.Endpoint -CaCertificate $lab.CaFile -SkipExport).Chain[0].ToX509Certificate2().Subject | Should -Be 'CN=localhost'
    }

    It 'shows Status and the first finding id in full at <Width> columns' -ForEach @(@{ Width = 80 }, @{ Width = 120 }) {
        $text = Test-OtlpTlsEndpoint $lab.Endpoint -CaCertificate $lab.CaFile -SkipExport | Out-String -Width $Width
        $lines = $text -split "`r?`n" | Where-Object { $_.Trim() }
        $lines[0] | Should -Match '^Status\s+Finding\s+Endpoint\s+Summary'
        $lines[2] | Should -Match '^Failed\s+IncompleteChain\s+127\.0\.0\.1:\d+\s+The chain'
        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual $Width }
        $text | Should -Not -Match 'The …'
    }

    It 'answers -Quiet for a fleet in input order, not completion order' {
        $silent = Start-LabScenario silent
        $healthy = Start-LabScenario healthy
        try {
            # The silent server makes its diagnoses slow, so the healthy one completes first.
            $answers = $silent.Endpoint, $silent.Endpoint, $healthy.Endpoint |
                Test-OtlpTlsEndpoint -CaCertificate $healthy.CaFile -TimeoutSec 3 -SkipExport -Quiet
            $answers | Should -Be @($false, $false, $true)
        }
        finally { $silent, $healthy | Stop-TlsLab }
    }
}

Describe 'Test-OtlpTlsEndpoint in a fresh pwsh (what a runbook pays for its first check)' {
    BeforeAll {
        $script:lab = Start-LabScenario healthy
        $script:manifest = (Resolve-Path (Join-Path $repo 'out/OtelTls/OtelTls.psd1')).Path
        # Runs a script block in a new pwsh process (Start-Job), so what it loads and compiles starts from nothing.
        function script:Invoke-FreshPwsh([scriptblock] $Script, [object[]] $Arguments, [hashtable] $Environment = @{}) {
            $saved = @{}
            foreach ($name in $Environment.Keys) { $saved[$name] = [Environment]::GetEnvironmentVariable($name); [Environment]::SetEnvironmentVariable($name, $Environment[$name]) }
            try { $job = Start-Job -ScriptBlock $Script -ArgumentList $Arguments }
            finally { foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) } }
            try { $job | Wait-Job -Timeout 180 | Receive-Job -ErrorAction Stop } finally { $job | Remove-Job -Force }
        }
    }
    AfterAll { $script:lab | Stop-TlsLab }

    # Also without ReadyToRun code (PowerShell 7.4 JIT-compiles the module): the JIT loads the assemblies of the types a
    # method names when it compiles the method, so this is where a gRPC type named on a shared path shows.
    It 'loads the gRPC assemblies only when the export goes over gRPC (<Code>)' -ForEach @(
        @{ Code = 'ReadyToRun'; Environment = @{} }
        @{ Code = 'JIT only'; Environment = @{ DOTNET_ReadyToRun = '0' } }
    ) {
        $loaded = Invoke-FreshPwsh {
            param($Manifest, $Endpoint, $CaFile)
            Import-Module $Manifest
            $grpc = { @([AppDomain]::CurrentDomain.GetAssemblies().GetName().Name -like 'Grpc.*' | Sort-Object) -join ',' }
            $imported = & $grpc
            # HTTP/protobuf first: the first diagnosis in a process also prepares its export's client on another core.
            $http = (Test-OtlpTlsEndpoint $Endpoint -CaCertificate $CaFile -Protocol http/protobuf).Status
            $afterHttp = & $grpc
            $skip = (Test-OtlpTlsEndpoint $Endpoint -CaCertificate $CaFile -SkipExport).Status
            $afterSkip = & $grpc
            $viaGrpc = (Test-OtlpTlsEndpoint $Endpoint -CaCertificate $CaFile).Status
            [pscustomobject]@{ Imported = $imported; Skip = "$skip"; AfterSkip = $afterSkip; Http = "$http"; AfterHttp = $afterHttp; Grpc = "$viaGrpc"; AfterGrpc = & $grpc }
        } $manifest, $lab.Endpoint, $lab.CaFile -Environment $Environment

        $loaded.Imported | Should -BeNullOrEmpty
        $loaded.Skip | Should -Be 'Healthy'
        $loaded.AfterSkip | Should -BeNullOrEmpty
        $loaded.Http | Should -Be 'Healthy'
        $loaded.AfterHttp | Should -BeNullOrEmpty
        $loaded.Grpc | Should -Be 'Healthy'
        $loaded.AfterGrpc | Should -Match 'Grpc\.Net\.Client'
    }

    It 'runs the engine and BouncyCastle from their ReadyToRun code, in the private load context' -Skip:($PSVersionTable.PSVersion -lt [version]'7.6') {
        # The build compiles the laid-out net8.0 assemblies for the runtime of PowerShell 7.6 (tools/OtelTls.ReadyToRun).
        # The runtime lists every method it has to JIT; precompiled methods are not listed.
        $log = Join-Path $TestDrive 'jit.txt'
        $result = Invoke-FreshPwsh {
            param($Manifest, $Endpoint, $CaFile)
            Import-Module $Manifest
            $status = (Test-OtlpTlsEndpoint $Endpoint -CaCertificate $CaFile -SkipExport).Status
            $engine = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'OtelTls.Engine' }
            [pscustomobject]@{ Status = "$status"; Context = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($engine).Name }
        } $manifest, $lab.Endpoint, $lab.CaFile -Environment @{ DOTNET_JitStdOutFile = $log; DOTNET_JitDisasmSummary = '1' }

        $result.Status | Should -Be 'Healthy'
        $result.Context | Should -Be 'OtelTls'
        $jitted = @(Get-Content -LiteralPath $log | Where-Object { $_ -match 'JIT compiled ' })
        $jitted.Count | Should -BeGreaterThan 0 -Because 'the log lists what PowerShell itself compiles'
        # Generic code instantiated over other assemblies' types (async state machines, shared generics) is the JIT's by
        # nature, and so are BouncyCastle's few methods that pick CPU intrinsics at run time; the engine's own methods
        # and BouncyCastle's ASN.1, TLS and X.509 code must not be.
        $ours = @($jitted | Where-Object { $_ -match 'JIT compiled (OtelTls\.Engine|Org\.BouncyCastle\.(Asn1|Tls|X509))\.[^\[(]*\(' })
        $ours | Should -BeNullOrEmpty
    }
}

Describe 'Test-OtlpTlsEndpoint input errors' {
    It 'writes InvalidEndpoint for a malformed endpoint and goes on' {
        $null = Test-OtlpTlsEndpoint 'grpc://collector:4317' -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidEndpoint,*'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'stops with FileNotFound when the CA file is missing' {
        { Test-OtlpTlsEndpoint 127.0.0.1:9 -CaCertificate ./does-not-exist.crt -ErrorAction Stop } |
            Should -Throw -ErrorId 'FileNotFound,OtelTls.Commands.TestOtlpTlsEndpointCommand'
    }

    It 'reports a refused connection as a finding, not an error' {
        $d = Test-OtlpTlsEndpoint 127.0.0.1:9 -TimeoutSec 2
        $d.Findings[0].Id | Should -Be 'ConnectionRefused'
    }
}

Describe 'Test-OtlpTlsEndpoint cleanup' {
    It 'leaves no lab server running that this file started' {
        $mine = @($global:TlsLabStartedProcessIds | Where-Object { $_ -notin $script:StartedBefore })
        $mine | Should -Not -BeNullOrEmpty -Because 'the lab scenarios above ran'
        Get-TlsLabSurvivor | Where-Object Id -in $mine | Should -BeNullOrEmpty
    }
}
