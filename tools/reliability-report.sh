#!/usr/bin/env bash
# Runs every test tagged [Trait("Reliability", Area)] (one test run per area, results as .trx) and writes the reliability
# table docs/reliability.md from them: the table is what a real run did, never written by hand.
#   tools/reliability-report.sh [--no-build] [OUTPUT.md]
set -uo pipefail
cd "$(dirname "$0")/.."

build=1
if [ "${1:-}" = "--no-build" ]; then build=0; shift; fi
output=${1:-docs/reliability.md}
areas=(HostileServer HostilePki BadInput WriterFault Secret)

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

if [ "$build" -eq 1 ]; then
  dotnet build OtelTls.sln -c Release || exit 1
fi

for area in "${areas[@]}"; do
  # A failing test is a row of the table, not a reason to stop: the exit code is checked through the table below.
  dotnet test OtelTls.sln -c Release --no-build --filter "Reliability=$area" \
    --logger "trx" --results-directory "$results/$area" >"$results/$area.log" 2>&1 || true
  grep -E '(Passed|Failed)! +- +Failed:' "$results/$area.log" | sed "s/^/$area: /"
done

dotnet run --project tools/ReliabilityReport -c Release -- "$results" "$output" "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
