#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# User scenarios for the collector cmdlets against the built module (out/OtelTls). The xunit tests
# (tests/OtelTls.Engine.Tests/Collector, tests/OtelTls.Module.Tests) cover the rules in depth.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/OtelTls/OtelTls.psd1') -Force
    $script:dir = Join-Path ([System.IO.Path]::GetTempPath()) ("oteltls-pester-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
    $script:pki = Join-Path $script:dir 'pki'
    New-Item -ItemType Directory -Path $script:pki | Out-Null
    $script:ca = New-OtlpCertificate -Type CA -Name ca -CommonName 'Pester Collector CA' -OutputDirectory $script:pki
    $script:server = $script:ca | New-OtlpCertificate -Type Server -Name server -DnsName otel-collector, localhost -IPAddress 127.0.0.1 -OutputDirectory $script:pki
    $script:client = $script:ca | New-OtlpCertificate -Type Client -Name client -CommonName gateway -OutputDirectory $script:pki
}

AfterAll {
    Remove-Item -LiteralPath $script:dir -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'New-OtlpCollectorConfig' {
    It 'merges receiver and exporter TLS into an existing config, keeping its pipelines, and the result lints clean' {
        $config = Join-Path $script:dir 'otelcol.yaml'
        Set-Content -LiteralPath $config -Value @'
# the team's collector
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 0.0.0.0:4317
exporters:
  otlp:
    endpoint: otel-collector:4317
service:
  pipelines:
    traces:
      receivers: [otlp]
      exporters: [otlp]
'@
        $script:ca, $script:server, $script:client | New-OtlpCollectorConfig -Path $config -CollectorPath /etc/otelcol/tls -Protocol grpc -ExporterEndpoint otel-collector:4317

        $text = Get-Content -LiteralPath $config -Raw
        $text | Should -Match '# the team''s collector'
        $text | Should -Match 'receivers: \[otlp\]'
        $text | Should -Match 'cert_file: /etc/otelcol/tls/server.crt'
        $text | Should -Match 'ca_file: /etc/otelcol/tls/ca.crt'
        Test-OtlpCollectorConfig $config -CollectorPath /etc/otelcol/tls -LocalPath $script:pki -Quiet | Should -BeTrue
    }

    It 'refuses an OpenSSL cipher name, with a stable error id, and writes nothing' {
        $config = Join-Path $script:dir 'untouched.yaml'
        Set-Content -LiteralPath $config -Value "receivers:`n  otlp:`n    protocols:`n      grpc: {}`n"
        $before = Get-Content -LiteralPath $config -Raw
        $script:ca, $script:server | New-OtlpCollectorConfig -Path $config -CipherSuite ECDHE-RSA-AES128-GCM-SHA256 -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'CollectorTlsCipherSuiteArgumentUnknown*'
        Get-Content -LiteralPath $config -Raw | Should -BeExactly $before
    }
}

Describe 'Test-OtlpCollectorConfig' {
    It 'names an OpenSSL cipher name with its line, and -Quiet answers false' {
        $config = Join-Path $script:dir 'ciphers.yaml'
        Set-Content -LiteralPath $config -Value @"
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 0.0.0.0:4317
        tls:
          cert_file: $($script:server.Path)
          key_file: $($script:server.KeyPath)
          min_version: "1.2"
          cipher_suites:
            - ECDHE-RSA-AES128-GCM-SHA256
"@
        $receiver = Test-OtlpCollectorConfig $config | Where-Object Kind -eq receiver
        $finding = $receiver.Findings | Where-Object Id -eq 'CollectorTlsCipherSuiteUnknown'
        $finding | Should -Not -BeNullOrEmpty
        $finding.Line | Should -Be 11
        Test-OtlpCollectorConfig $config -Quiet | Should -BeFalse
    }

    It 'hands an exporter with its own CA and client certificate to Test-OtlpTlsEndpoint by property name' {
        $config = Join-Path $script:dir 'exporter.yaml'
        Set-Content -LiteralPath $config -Value @"
exporters:
  otlp:
    endpoint: 127.0.0.1:9
    tls:
      ca_file: $($script:ca.Path)
      cert_file: $($script:client.Path)
      key_file: $($script:client.KeyPath)
"@
        $exporter = Test-OtlpCollectorConfig $config | Where-Object Kind -eq exporter
        $exporter | Should -Not -BeNullOrEmpty
        $output = $exporter | Test-OtlpTlsEndpoint -TimeoutSec 2 -SkipExport -Verbose 4>&1
        $diagnosis = $output | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }
        # The record's own client certificate was read (by property name), not the system default of none.
        ($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message | Should -Contain 'Client certificate: CN=gateway (issuer CN=Pester Collector CA).'
        $diagnosis.Endpoint | Should -Match '127\.0\.0\.1:9'
        $diagnosis.IsHealthy | Should -BeFalse
    }
}

Describe 'New-OtlpKubernetesManifest' {
    It 'writes the Secret and ConfigMap for a new PKI without the CA key' {
        $manifest = Join-Path $script:dir 'otel-tls.yaml'
        $script:ca, $script:server | New-OtlpKubernetesManifest -Path $manifest
        $text = Get-Content -LiteralPath $manifest -Raw
        $text | Should -Match 'kind: Secret'
        $text | Should -Match 'kind: ConfigMap'
        $text | Should -Match 'tls\.crt'
        $caKey = [Convert]::ToBase64String([IO.File]::ReadAllBytes($script:ca.KeyPath))
        $text.Contains($caKey) | Should -BeFalse
    }

    It 'prints cert-manager objects for a collector in another namespace' {
        $yaml = (New-OtlpKubernetesManifest -CertManager -Namespace telemetry -ServiceName collector -Duration 720h -RenewBefore 168h) -join "`n"
        $yaml | Should -Match 'cert-manager\.io'
        $yaml | Should -Match 'namespace: telemetry'
        $yaml | Should -Match 'collector\.telemetry\.svc'
    }
}
