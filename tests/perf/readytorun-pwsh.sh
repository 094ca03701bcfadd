#!/usr/bin/env bash
# A ReadyToRun copy of the repository's pinned PowerShell, for cold-start comparisons (docs/performance.md, cold start).
# The powershell dotnet-tool package ships PowerShell's own assemblies as IL only, so `dotnet pwsh` JIT-compiles
# PowerShell itself on every start; a pwsh installed from PowerShell's packages is normally ReadyToRun. This copies the
# tool's files and compiles its main assemblies with the Crossgen2 the build already restored (tools/OtelTls.ReadyToRun):
# an approximation of a packaged pwsh, not the same build. It changes nothing outside the destination folder.
#   tests/perf/readytorun-pwsh.sh [destination]      (build first: dotnet build OtelTls.sln -c Release)
#   DOTNET_ROOT=$(dirname "$(readlink -f "$(command -v dotnet)")") PWSH=<destination>/pwsh tests/perf/cold-start.sh 9
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
dest=${1:-"$root/out/pwsh-readytorun"}
packages=${NUGET_PACKAGES:-$HOME/.nuget/packages}
version=$(grep -A2 '"powershell"' "$root/.config/dotnet-tools.json" | sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' | head -1)
rid=linux-x64
case $(uname -m) in aarch64 | arm64) rid=linux-arm64 ;; esac
[[ $(uname -s) == Darwin ]] && rid=osx-${rid#linux-}
tool="$packages/powershell/$version/tools/net10.0/any/unix"
[[ -d $tool ]] || { echo "No PowerShell $version tool package at $tool: run dotnet tool restore." >&2; exit 1; }
crossgen=$(ls -d "$packages/microsoft.netcore.app.crossgen2.$rid"/*/tools/crossgen2 2>/dev/null | sort -V | tail -1)
runtime=$(ls -d "$packages/microsoft.netcore.app.runtime.$rid"/*/runtimes/$rid/lib/net10.0 2>/dev/null | sort -V | tail -1)
[[ -x $crossgen && -d $runtime ]] || { echo "No Crossgen2 or runtime pack for $rid in $packages: build first." >&2; exit 1; }

rm -rf "$dest"
mkdir -p "$dest"
cp -r "$tool"/. "$dest"
chmod +x "$dest/pwsh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
{ for f in "$runtime"/*.dll "$tool"/*.dll; do echo "-r:$f"; done; } >"$work/references.rsp"
for name in System.Management.Automation Microsoft.PowerShell.ConsoleHost pwsh Microsoft.PowerShell.Commands.Utility \
  Microsoft.PowerShell.Commands.Management Microsoft.PowerShell.Security Microsoft.PowerShell.SDK \
  Microsoft.ApplicationInsights Newtonsoft.Json; do
  "$crossgen" "$tool/$name.dll" -o:"$work/$name.dll" --targetos:"${rid%-*}" --targetarch:"${rid#*-}" -O @"$work/references.rsp" >/dev/null
  cp "$work/$name.dll" "$dest/$name.dll"
  echo "$name: ReadyToRun"
done
echo "PowerShell $version, ReadyToRun for $rid: $dest/pwsh (needs DOTNET_ROOT when dotnet is not installed in a standard place)"
