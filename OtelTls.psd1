@{
    # The cmdlets assembly for the running edition; the engine and its packages stay in bin/<tfm>/deps,
    # loaded privately (never RequiredAssemblies/NestedModules: that would put them in the shared context).
    RootModule           = if ($PSEdition -eq 'Core') { 'bin/net8.0/OtelTls.dll' } else { 'bin/net472/OtelTls.dll' }
    ModuleVersion        = '0.1.0'
    GUID                 = '5f0c2a7e-3b1d-4c8e-9a6f-2d7e1b4c9a35'
    Author               = 'OtelTls contributors'
    CompanyName          = 'OtelTls'
    Copyright            = '(c) OtelTls contributors. MIT License.'
    Description          = 'Diagnoses and fixes TLS problems between OpenTelemetry OTLP exporters and collectors: endpoint diagnosis, certificates, exporter configuration.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess     = @('OtelTls.format.ps1xml')
    CmdletsToExport      = @(
        'Get-OtlpCertificate'
        'Set-OtlpTlsEnvironment'
        'Get-OtlpTlsEnvironment'
        'Clear-OtlpTlsEnvironment'
        'New-OtlpCertificate'
        'Test-OtlpCertificate'
        'Test-OtlpTlsEndpoint'
        'Send-OtlpTestSpan'
        'New-OtlpCollectorConfig'
        'Test-OtlpCollectorConfig'
        'New-OtlpKubernetesManifest'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('OpenTelemetry', 'OTLP', 'TLS', 'mTLS', 'Certificate', 'Diagnostics', 'Linux', 'Windows', 'MacOS')
            ProjectUri = 'https://example.invalid/oteltls'
        }
    }
}
