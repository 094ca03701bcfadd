#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# User scenarios for Set-, Get- and Clear-OtlpTlsEnvironment against the built module (out/OtelTls). The xunit module tests
# (tests/OtelTls.Module.Tests/OtlpTlsEnvironmentTests.cs) cover the same behaviour where no pwsh exists.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/OtelTls/OtelTls.psd1') -Force
    $script:saved = Get-ChildItem Env: | Where-Object Name -like 'OTEL_EXPORTER_OTLP_*'
    Get-ChildItem Env: | Where-Object Name -like 'OTEL_EXPORTER_OTLP_*' | ForEach-Object { Remove-Item "Env:$($_.Name)" }
    $script:tls = Join-Path $TestDrive 'tls'
    $script:ca = New-OtlpCertificate -Type CA -OutputDirectory $tls
    $null = $ca | New-OtlpCertificate -Type Server -DnsName localhost -IPAddress 127.0.0.1 -OutputDirectory $tls
    $script:client = $ca | New-OtlpCertificate -Type Client -CommonName exporter -Name client -OutputDirectory $tls
}

AfterAll {
    Get-ChildItem Env: | Where-Object Name -like 'OTEL_EXPORTER_OTLP_*' | ForEach-Object { Remove-Item "Env:$($_.Name)" }
    $script:saved | ForEach-Object { Set-Item "Env:$($_.Name)" $_.Value }
}

Describe 'Set-OtlpTlsEnvironment' {
    AfterEach { Clear-OtlpTlsEnvironment; Clear-OtlpTlsEnvironment -Signal traces }

    It 'takes CA and client certificates from the pipeline and stores absolute paths' {
        $result = $ca, $client | Set-OtlpTlsEnvironment -Endpoint https://localhost:4318 -Protocol http/protobuf -PassThru
        $env:OTEL_EXPORTER_OTLP_CERTIFICATE | Should -Be $ca.Path
        $env:OTEL_EXPORTER_OTLP_CLIENT_KEY | Should -Be $client.KeyPath
        $result.Status | Should -Be 'Healthy'
        $result.Signals.Url | Should -Be @('https://localhost:4318/v1/traces', 'https://localhost:4318/v1/metrics', 'https://localhost:4318/v1/logs')
    }

    It 'resolves a relative path against the current location' {
        Push-Location $tls
        try { Set-OtlpTlsEnvironment -CaCertificate ./ca.crt } finally { Pop-Location }
        $env:OTEL_EXPORTER_OTLP_CERTIFICATE | Should -Be (Join-Path $tls 'ca.crt')
    }

    It 'writes nothing when the key does not match' {
        { Set-OtlpTlsEnvironment -ClientCertificate $client.Path -ClientKey (Join-Path $tls 'server.key') -ErrorAction Stop } |
            Should -Throw -ErrorId 'PrivateKeyMismatch,OtelTls.Commands.SetOtlpTlsEnvironmentCommand'
        $env:OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE | Should -BeNullOrEmpty
    }

    It 'rejects a signal typo at binding' {
        { Set-OtlpTlsEnvironment -Signal tarces -Endpoint https://c:4318 -ErrorAction Stop } | Should -Throw -ErrorId 'CannotConvertArgumentNoMessage,OtelTls.Commands.SetOtlpTlsEnvironmentCommand'
    }

    It 'updates a dotenv file in place and -WhatIf leaves it alone' {
        $file = Join-Path $TestDrive 'app.env'
        Set-Content $file "# app`nDB=postgres://db`nOTEL_EXPORTER_OTLP_ENDPOINT=http://old:4318"
        Set-OtlpTlsEnvironment -Target DotEnv -Path $file -Endpoint https://new:4318 -WhatIf
        (Get-Content $file)[2] | Should -Be 'OTEL_EXPORTER_OTLP_ENDPOINT=http://old:4318'
        Set-OtlpTlsEnvironment -Target DotEnv -Path $file -Endpoint https://new:4318
        Get-Content $file | Should -Be @('# app', 'DB=postgres://db', 'OTEL_EXPORTER_OTLP_ENDPOINT=https://new:4318')
    }

    It 'writes Azure DevOps commands to the host, even when the output is discarded' {
        $null = Set-OtlpTlsEnvironment -Target AzureDevOps -Endpoint https://c:4317 -Protocol grpc -InformationVariable info
        $info | Where-Object { $_.Tags -contains 'PSHOST' } | ForEach-Object { "$($_.MessageData)" } |
            Should -Be @('##vso[task.setvariable variable=OTEL_EXPORTER_OTLP_ENDPOINT]https://c:4317', '##vso[task.setvariable variable=OTEL_EXPORTER_OTLP_PROTOCOL]grpc')
    }

    It 'keeps a dotenv file''s mode and refuses a line break in a value' -Skip:$IsWindows {
        $file = Join-Path $TestDrive 'secret.env'
        Set-Content $file 'OTEL_EXPORTER_OTLP_HEADERS=api-key=x'
        chmod 600 $file
        Set-OtlpTlsEnvironment -Target DotEnv -Path $file -Endpoint https://new:4318
        (Get-Item $file).UnixMode | Should -Be '-rw-------'
        { Set-OtlpTlsEnvironment -Target DotEnv -Path $file -Endpoint "https://new:4318/x`nLD_PRELOAD=/evil.so" -ErrorAction Stop } | Should -Throw
        Get-Content $file | Should -Not -Contain 'LD_PRELOAD=/evil.so'
    }

    It 'prints the collector exporter block for -Sdk collector and sets no variable' {
        $yaml = Set-OtlpTlsEnvironment -Endpoint https://gateway:4317 -Protocol grpc -CaCertificate $ca.Path -Sdk collector
        $yaml | Should -Match 'ca_file: ".*ca\.crt"'
        $env:OTEL_EXPORTER_OTLP_ENDPOINT | Should -BeNullOrEmpty
    }
}

Describe 'Get-OtlpTlsEnvironment' {
    It 'reports a protocol/port mismatch in a dotenv file' {
        $file = Join-Path $TestDrive 'bad.env'
        Set-Content $file "OTEL_EXPORTER_OTLP_ENDPOINT=https://c:4318`nOTEL_EXPORTER_OTLP_PROTOCOL=grpc"
        (Get-OtlpTlsEnvironment $file).Findings.Id | Should -Contain 'ProtocolPortMismatch'
    }

    It 'never shows header values' {
        $env:OTEL_EXPORTER_OTLP_HEADERS = 'api-key=s3cr3t'
        try {
            $result = Get-OtlpTlsEnvironment
            $result.Signals[0].HeaderNames | Should -Be 'api-key'
            $result.Variables['OTEL_EXPORTER_OTLP_HEADERS'] | Should -Be 'api-key=***'
        } finally { Remove-Item Env:OTEL_EXPORTER_OTLP_HEADERS }
    }
}

Describe 'Clear-OtlpTlsEnvironment' {
    It 'removes the generic variables and leaves other processes'' settings alone' {
        Set-OtlpTlsEnvironment -Endpoint https://c:4317 -Protocol grpc -CaCertificate $ca.Path
        $env:UNRELATED_OTLP_TEST = 'kept'
        try {
            Clear-OtlpTlsEnvironment
            $env:OTEL_EXPORTER_OTLP_ENDPOINT | Should -BeNullOrEmpty
            $env:OTEL_EXPORTER_OTLP_CERTIFICATE | Should -BeNullOrEmpty
            $env:UNRELATED_OTLP_TEST | Should -Be 'kept'
        } finally { Remove-Item Env:UNRELATED_OTLP_TEST }
    }

    It 'removes only one signal''s variables with -Signal, and nothing with -WhatIf' {
        Set-OtlpTlsEnvironment -Signal traces -Endpoint https://t:4318/v1/traces
        Set-OtlpTlsEnvironment -Endpoint https://c:4318
        try {
            Clear-OtlpTlsEnvironment -Signal traces -WhatIf
            $env:OTEL_EXPORTER_OTLP_TRACES_ENDPOINT | Should -Be 'https://t:4318/v1/traces'
            Clear-OtlpTlsEnvironment -Signal traces
            $env:OTEL_EXPORTER_OTLP_TRACES_ENDPOINT | Should -BeNullOrEmpty
            $env:OTEL_EXPORTER_OTLP_ENDPOINT | Should -Be 'https://c:4318'
        } finally { Clear-OtlpTlsEnvironment; Clear-OtlpTlsEnvironment -Signal traces }
    }

    It 'removes the lines from a dotenv file and keeps the others' {
        $file = Join-Path $TestDrive 'clear.env'
        Set-Content $file "DB=postgres://db`nOTEL_EXPORTER_OTLP_ENDPOINT=https://c:4318`nOTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf"
        Clear-OtlpTlsEnvironment -Target DotEnv -Path $file
        Get-Content $file | Should -Be 'DB=postgres://db'
    }
}

Describe 'Set-/Clear-OtlpTlsEnvironment -DebugLogging' {
    BeforeAll {
        $script:debugNames = 'JAVA_TOOL_OPTIONS', 'OTEL_JAVAAGENT_DEBUG', 'NODE_DEBUG', 'OTEL_LOG_LEVEL'
        $script:savedDebug = foreach ($name in $debugNames) { [pscustomobject]@{ Name = $name; Value = [Environment]::GetEnvironmentVariable($name) } }
    }
    AfterAll { $script:savedDebug | ForEach-Object { [Environment]::SetEnvironmentVariable($_.Name, $_.Value) } }

    It 'adds the Java debug flag to the agent option in this session, and Clear takes only the flag out' {
        $env:JAVA_TOOL_OPTIONS = '-javaagent:/otel/agent.jar'
        Set-OtlpTlsEnvironment -DebugLogging -Sdk java
        $env:JAVA_TOOL_OPTIONS | Should -Be '-javaagent:/otel/agent.jar -Djavax.net.debug=ssl:handshake'
        $env:OTEL_JAVAAGENT_DEBUG | Should -Be 'true'
        Clear-OtlpTlsEnvironment -DebugLogging -Sdk java
        $env:JAVA_TOOL_OPTIONS | Should -Be '-javaagent:/otel/agent.jar'
        $env:OTEL_JAVAAGENT_DEBUG | Should -BeNullOrEmpty
    }

    It 'writes the .NET self-diagnostics file next to the app and removes it again; -WhatIf writes nothing' {
        $app = Join-Path $TestDrive 'app'
        $null = New-Item -ItemType Directory $app
        Set-OtlpTlsEnvironment -DebugLogging -Sdk dotnet -AppDirectory $app -WhatIf
        Join-Path $app 'OTEL_DIAGNOSTICS.json' | Should -Not -Exist
        Set-OtlpTlsEnvironment -DebugLogging -Sdk dotnet -AppDirectory $app
        (Get-Content (Join-Path $app 'OTEL_DIAGNOSTICS.json') -Raw | ConvertFrom-Json).LogLevel | Should -Be 'Verbose'
        Clear-OtlpTlsEnvironment -DebugLogging -Sdk dotnet -AppDirectory $app
        Join-Path $app 'OTEL_DIAGNOSTICS.json' | Should -Not -Exist
    }

    It 'warns about the key log and Clear removes it' {
        $keys = Join-Path $TestDrive 'keys.log'
        Set-OtlpTlsEnvironment -TlsKeyLogFile $keys -WarningVariable warnings -WarningAction SilentlyContinue
        $env:SSLKEYLOGFILE | Should -Be $keys
        $warnings -join ' ' | Should -Match 'session secrets'
        Clear-OtlpTlsEnvironment -DebugLogging
        $env:SSLKEYLOGFILE | Should -BeNullOrEmpty
    }
}
