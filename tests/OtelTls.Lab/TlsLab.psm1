<#
    The TLS lab from PowerShell: Start-TlsLab runs one scenario of the built lab (tests/OtelTls.Lab) in its own process
    and returns what its banner says (endpoint, CA and client files, required header); Stop-TlsLab stops exactly that
    process. Used by the Pester suite and the README's main-job command.

    The process started is the lab itself (`dotnet OtelTls.Lab.dll`), never a `dotnet run` wrapper: stopping a wrapper
    leaves the lab running. Every PID started here is remembered in $global:TlsLabStartedProcessIds (it survives
    Import-Module -Force), so Get-TlsLabSurvivor can tell which of *our* labs outlived their test, whatever other labs
    run on the machine.
#>

Set-StrictMode -Version 3.0

if (-not (Get-Variable -Name TlsLabStartedProcessIds -Scope Global -ErrorAction Ignore)) {
    $global:TlsLabStartedProcessIds = [System.Collections.Generic.List[int]]::new()
}

function Get-TlsLabAssembly {
    [OutputType([string])]
    param([ValidateSet('Debug', 'Release')] [string] $Configuration = 'Release')
    $path = Join-Path $PSScriptRoot "bin/$Configuration/net10.0/OtelTls.Lab.dll"
    if (-not (Test-Path -LiteralPath $path)) {
        throw "The lab is not built ($path): run ./build.ps1 (or dotnet build tests/OtelTls.Lab -c $Configuration) first."
    }
    $path
}

function Start-TlsLab {
    <#
    .SYNOPSIS
        Starts one TLS lab scenario on 127.0.0.1 and returns its endpoint and files.
    .EXAMPLE
        $lab = Start-TlsLab missing-intermediate; try { Test-OtlpTlsEndpoint $lab.Endpoint -CaCertificate $lab.CaFile } finally { $lab | Stop-TlsLab }
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory, Position = 0)] [string] $Scenario,
        [ValidateRange(1, 600)] [int] $TimeoutSec = 60,
        [ValidateSet('Debug', 'Release')] [string] $Configuration = 'Release'
    )
    $startInfo = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    $startInfo.ArgumentList.Add((Get-TlsLabAssembly -Configuration $Configuration))
    $startInfo.ArgumentList.Add('--scenario')
    $startInfo.ArgumentList.Add($Scenario)
    $startInfo.UseShellExecute = $false
    $startInfo.RedirectStandardOutput = $true
    $startInfo.RedirectStandardError = $true
    $process = [System.Diagnostics.Process]::Start($startInfo)
    $global:TlsLabStartedProcessIds.Add($process.Id)
    # Drain stderr in the background so a chatty lab can never block on a full pipe.
    $stderr = $process.StandardError.ReadToEndAsync()

    $banner = [System.Collections.Generic.List[string]]::new()
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
    $running = $false
    while (-not $running) {
        $read = $process.StandardOutput.ReadLineAsync()
        $left = $deadline - [DateTime]::UtcNow
        if ($left -le [TimeSpan]::Zero -or -not $read.Wait($left) -or $null -eq $read.Result) { break }
        if ($read.Result.StartsWith('Running')) { $running = $true } else { $banner.Add($read.Result) }
    }
    $lab = [pscustomobject]@{
        PSTypeName = 'OtelTls.TlsLab'
        Scenario   = $Scenario
        Process    = $process
        Endpoint   = $null
        CaFile     = $null
        ClientCert = $null
        ClientKey  = $null
        Header     = $null
        Banner     = $banner.ToArray()
    }
    if (-not $running) {
        $lab | Stop-TlsLab
        $reason = if ($stderr.Wait(2000)) { $stderr.Result.Trim() } else { '' }
        throw "The lab scenario '$Scenario' did not start within $TimeoutSec s. $reason"
    }
    # The rest of stdout (request log lines) is drained too, for the same reason as stderr.
    $null = $process.StandardOutput.ReadToEndAsync()

    $fields = @{ 'Endpoint' = 'Endpoint'; 'CA file' = 'CaFile'; 'Client cert' = 'ClientCert'; 'Client key' = 'ClientKey'; 'Header' = 'Header' }
    foreach ($line in $banner) {
        foreach ($label in $fields.Keys) {
            if ($line.StartsWith("$label ")) { $lab.($fields[$label]) = $line.Substring($label.Length).Trim() }
        }
    }
    $lab
}

function Stop-TlsLab {
    <#
    .SYNOPSIS
        Stops a lab started by Start-TlsLab: SIGTERM first (the lab then deletes its key files), a kill after 5 s.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipeline)] [psobject] $Lab)
    process {
        $process = [System.Diagnostics.Process] $Lab.Process
        if ($process.HasExited) { $process.Dispose(); return }
        if (-not $IsWindows) { & kill -TERM $process.Id 2>$null }
        if (-not $process.WaitForExit(5000)) {
            $process.Kill($true)
            $null = $process.WaitForExit(5000)
        }
        $process.Dispose()
    }
}

function Get-TlsLabSurvivor {
    <#
    .SYNOPSIS
        The labs started by Start-TlsLab in this session that are still running (PID and command line).
    #>
    [OutputType([System.Diagnostics.Process])]
    param()
    foreach ($id in $global:TlsLabStartedProcessIds) {
        $process = Get-Process -Id $id -ErrorAction Ignore
        # A PID may have been reused by an unrelated process: only a dotnet running OtelTls.Lab counts.
        if ($process -and $process.CommandLine -like '*OtelTls.Lab*') { $process }
    }
}

Export-ModuleMember -Function Start-TlsLab, Stop-TlsLab, Get-TlsLabSurvivor
