@{
    # Static data only (Import-PowerShellDataFile, PowerShell Gallery): OtelTls.psm1 imports the cmdlets assembly built
    # for the running edition (bin/net8.0 or bin/net472); the engine and its packages stay private in bin/<tfm>/deps.
    RootModule           = 'OtelTls.psm1'
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
    TypesToProcess       = @('OtelTls.types.ps1xml')
    CmdletsToExport      = @(
        'Get-OtlpCertificate'
        'Set-OtlpTlsEnvironment'
        'Get-OtlpTlsEnvironment'
        'Clear-OtlpTlsEnvironment'
        'New-OtlpCertificate'
        'Test-OtlpCertificate'
        'Test-OtlpTlsEndpoint'
        'Send-OtlpTestSpan'
        'Resolve-OtlpTlsError'
        'Export-OtlpTlsReport'
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
            ProjectUri   = 'https://github.com/oteltls/oteltls'
            LicenseUri   = 'https://github.com/oteltls/oteltls/blob/main/LICENSE'
            ReleaseNotes = 'See https://github.com/oteltls/oteltls/blob/main/CHANGELOG.md'
        }
    }
}
