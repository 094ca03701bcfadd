#!/usr/bin/env bash
# The floor under the cold-start goal (issue 12): what the .NET 10 TLS and HTTP/2 stack costs on first use in a fresh
# process with no PowerShell and no OtelTls. Times, in interleaved rounds against a lab server (the RSA-2048-intermediate
# scenario by default): a bare start of a tiny .NET program; the same program making one SslStream handshake (what the
# platform check does); and one empty OTLP/gRPC export over HttpClient and HTTP/2 (what the export stage does).
#   tests/perf/platform-floor.sh [rounds] [scenario]      (build first: dotnet build OtelTls.sln -c Release)
set -euo pipefail
rounds=${1:-9}
scenario=${2:-rsa2048-intermediate}
root=$(cd "$(dirname "$0")/../.." && pwd)
lab="$root/tests/OtelTls.Lab/bin/Release/net10.0/OtelTls.Lab.dll"
[[ -f $lab ]] || { echo "Build first: dotnet build OtelTls.sln -c Release" >&2; exit 1; }
dotnet build "$root/tests/perf/PlatformFloor" -c Release -v quiet -nologo >/dev/null
floor="$root/tests/perf/PlatformFloor/bin/Release/net10.0/PlatformFloor.dll"

source "$root/tests/perf/timing.sh"
start_lab

bare=(); hand=(); export=()
ms dotnet "$floor" export "$endpoint" "$cafile" >/dev/null   # warm the disk cache once, not measured
for _ in $(seq "$rounds"); do
  bare+=("$(ms dotnet "$floor" bare)")
  hand+=("$(ms dotnet "$floor" handshake "$endpoint" "$cafile")")
  export+=("$(ms dotnet "$floor" export "$endpoint" "$cafile")")
done
b=$(wall "${bare[@]}"); bc=$(cpu "${bare[@]}")
echo "Platform floor, $rounds interleaved rounds, scenario $scenario at $endpoint; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| fresh .NET 10 process | median wall ms | median CPU ms | over a bare start, wall / CPU |"
echo "|---|---:|---:|---:|"
echo "| bare start | $b | $bc | |"
echo "| one SslStream handshake | $(wall "${hand[@]}") | $(cpu "${hand[@]}") | $(( $(wall "${hand[@]}") - b )) / $(( $(cpu "${hand[@]}") - bc )) |"
echo "| one OTLP/gRPC export over HttpClient (HTTP/2) | $(wall "${export[@]}") | $(cpu "${export[@]}") | $(( $(wall "${export[@]}") - b )) / $(( $(cpu "${export[@]}") - bc )) |"
