#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The vocabulary parameters as a user meets them: enums that bind in any case and tab-complete, and the spellings copied
# from OTEL_EXPORTER_OTLP_PROTOCOL, collector configs and openssl, which still bind. The xunit module tests
# (tests/OtelTls.Module.Tests/VocabularyBindingTests.cs) cover the same where no pwsh exists.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/OtelTls/OtelTls.psd1') -Force

    function Get-Completion([string] $Line) {
        (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText
    }
}

Describe 'Set-OtlpTlsEnvironment vocabulary' {
    It 'writes <Expected> for -Protocol <Written>' -ForEach @(
        @{ Written = 'http/protobuf'; Expected = 'http/protobuf' }
        @{ Written = 'HttpJson'; Expected = 'http/json' }
        @{ Written = 'GRPC'; Expected = 'grpc' }
    ) {
        $file = Join-Path $TestDrive "$([guid]::NewGuid()).env"
        Set-OtlpTlsEnvironment -Target DotEnv -Path $file -Endpoint https://collector:4318 -Protocol $Written
        Get-Content $file | Should -Contain "OTEL_EXPORTER_OTLP_PROTOCOL=$Expected"
    }

    It 'names the per-signal variables for -Signal metrics and -Signal LOGS' {
        $file = Join-Path $TestDrive 'signals.env'
        Set-OtlpTlsEnvironment -Target DotEnv -Path $file -Endpoint https://collector:4318 -Signal metrics
        Set-OtlpTlsEnvironment -Target DotEnv -Path $file -Endpoint https://collector:4318 -Signal LOGS
        Get-Content $file | Should -Contain 'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT=https://collector:4318'
        Get-Content $file | Should -Contain 'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT=https://collector:4318'
    }

    It 'completes -Protocol, -Signal and -Sdk with the enum names' {
        Get-Completion 'Set-OtlpTlsEnvironment -Protocol ' | Should -Be @('Grpc', 'HttpJson', 'HttpProtobuf')
        Get-Completion 'Set-OtlpTlsEnvironment -Signal ' | Should -Be @('Logs', 'Metrics', 'Traces')
        Get-Completion 'Set-OtlpTlsEnvironment -Sdk ' | Should -Be @('Collector', 'Dotnet', 'Go', 'Java', 'Node', 'Python')
    }

    It 'refuses a signal that is none of the three before writing anything' {
        $file = Join-Path $TestDrive 'typo.env'
        { Set-OtlpTlsEnvironment -Target DotEnv -Path $file -Endpoint https://c:4318 -Signal profiles -ErrorAction Stop } |
            Should -Throw -ErrorId 'CannotConvertArgumentNoMessage,OtelTls.Commands.SetOtlpTlsEnvironmentCommand'
        $file | Should -Not -Exist
    }
}

Describe 'Test-OtlpTlsEndpoint vocabulary' {
    It 'binds -Protocol http/protobuf and -TlsVersion <Written>' -ForEach @(
        @{ Written = '1.2'; Flag = '-tls1_2' }
        @{ Written = 'TLS 1.3'; Flag = '-tls1_3' }
        @{ Written = 'TLSv1.2'; Flag = '-tls1_2' }
    ) {
        # Port 9 on loopback refuses at once; the binding shows in the target and the openssl command.
        $diagnosis = Test-OtlpTlsEndpoint 127.0.0.1:9 -Protocol http/protobuf -TlsVersion $Written -TimeoutSec 5
        $diagnosis.Target.Protocol | Should -Be 'HttpProtobuf'
        $diagnosis.OpenSslCommand | Should -BeLike "* $Flag -showcerts*"
    }

    It 'refuses http/json: its export is protobuf' {
        { Test-OtlpTlsEndpoint 127.0.0.1:9 -Protocol http/json -ErrorAction Stop } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,OtelTls.Commands.TestOtlpTlsEndpointCommand'
    }

    It 'completes -Protocol and -TlsVersion' {
        Get-Completion 'Test-OtlpTlsEndpoint x -Protocol ' | Should -Be @('Grpc', 'HttpProtobuf')
        Get-Completion 'Test-OtlpTlsEndpoint x -TlsVersion ' | Should -Be @('Tls10', 'Tls11', 'Tls12', 'Tls13')
    }
}

Describe 'New-OtlpCollectorConfig vocabulary' {
    It 'takes the collector''s own spellings for -Protocol and -MinVersion' {
        $dir = Join-Path $TestDrive 'collector'
        $ca = New-OtlpCertificate -Type CA -OutputDirectory $dir
        $server = $ca | New-OtlpCertificate -Type Server -DnsName localhost -OutputDirectory $dir
        $yaml = ($ca, $server | New-OtlpCollectorConfig -Protocol http -MinVersion 1.3) -join "`n"
        $yaml | Should -Match 'http:'
        $yaml | Should -Not -Match 'grpc:'
        $yaml | Should -Match 'min_version: "1.3"'
    }
}
