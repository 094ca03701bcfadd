#!/usr/bin/env bash
# Cold start: what a runbook or pipeline step pays when it starts a fresh pwsh for one check.
# Times, side by side in interleaved rounds: a bare pwsh start; a fresh pwsh that imports the built module and runs one
# full Test-OtlpTlsEndpoint against a lab server (the lab's RSA-2048-intermediate scenario by default); and one
# openssl s_client run against the same server. Prints medians and "first diagnosis over bare pwsh".
#   tests/perf/cold-start.sh [rounds] [scenario]      (build first: dotnet build OtelTls.sln -c Release)
# MODULE=path/OtelTls.psd1 times another layout; BEFORE=path/OtelTls.psd1 adds a second module (say, a copy of the
# layout before a change) to the same interleaved rounds, so before and after see the same background load.
set -euo pipefail
rounds=${1:-10}
scenario=${2:-rsa2048-intermediate}
root=$(cd "$(dirname "$0")/../.." && pwd)
# The repository's pinned PowerShell (dotnet tool, 7.6.9) unless PWSH names another executable.
if [[ -n ${PWSH:-} ]]; then pwsh=("$PWSH"); else pwsh=(dotnet pwsh); cd "$root"; fi
module=${MODULE:-"$root/out/OtelTls/OtelTls.psd1"}
lab="$root/tests/OtelTls.Lab/bin/Release/net10.0/OtelTls.Lab.dll"
[[ -f $module && -f $lab ]] || { echo "Build first: dotnet build OtelTls.sln -c Release" >&2; exit 1; }

source "$root/tests/perf/timing.sh"
start_lab

script() { echo "Import-Module '$1'; \$r = Test-OtlpTlsEndpoint -Endpoint $endpoint -CaCertificate '$cafile'; if (\$r.Status -ne 'Healthy') { exit 1 }"; }
diagnose=$(script "$module")
before=${BEFORE:-}
bare=(); full=(); ossl=(); prior=()
ms "${pwsh[@]}" -NoProfile -NonInteractive -Command "$diagnose" >/dev/null   # warm the disk cache once, not measured
for _ in $(seq "$rounds"); do
  bare+=("$(ms "${pwsh[@]}" -NoProfile -NonInteractive -Command 'exit 0')")
  full+=("$(ms "${pwsh[@]}" -NoProfile -NonInteractive -Command "$diagnose")")
  [[ -z $before ]] || prior+=("$(ms "${pwsh[@]}" -NoProfile -NonInteractive -Command "$(script "$before")")")
  ossl+=("$(ms sh -c "openssl s_client -connect $endpoint -CAfile '$cafile' -verify_return_error -alpn h2 </dev/null")")
done
b=$(wall "${bare[@]}"); f=$(wall "${full[@]}"); o=$(wall "${ossl[@]}")
bc=$(cpu "${bare[@]}"); fc=$(cpu "${full[@]}"); oc=$(cpu "${ossl[@]}")
echo "Cold start, $rounds interleaved rounds, scenario $scenario at $endpoint; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| run | median wall ms | median CPU ms |"
echo "|---|---:|---:|"
echo "| bare pwsh -NoProfile (exit 0) | $b | $bc |"
echo "| fresh pwsh: Import-Module + one Test-OtlpTlsEndpoint | $f | $fc |"
[[ -z $before ]] || echo "| fresh pwsh, module $before | $(wall "${prior[@]}") | $(cpu "${prior[@]}") |"
echo "| openssl s_client, one handshake | $o | $oc |"
echo
echo "First diagnosis over a bare pwsh start: $(( f - b )) ms wall, $(( fc - bc )) ms CPU"
[[ -z $before ]] || echo "Before (module $before): $(( $(wall "${prior[@]}") - b )) ms wall, $(( $(cpu "${prior[@]}") - bc )) ms CPU"
