# Shared by the fresh-process benchmarks (cold-start.sh, platform-floor.sh); sourced, not run.

# Starts the lab's $scenario from $lab in the background, stops it when the script exits, and sets $endpoint and $cafile.
start_lab() {
  lablog=$(mktemp)
  dotnet "$lab" --scenario "$scenario" >"$lablog" 2>&1 &
  labpid=$!
  trap 'kill $labpid 2>/dev/null; wait $labpid 2>/dev/null; rm -f "$lablog"' EXIT
  for _ in $(seq 100); do grep -q '^Running' "$lablog" && break; sleep 0.2; done
  endpoint=$(awk '/^Endpoint/ {print $2}' "$lablog")
  cafile=$(awk '/^CA file/ {print $3}' "$lablog")
  [[ -n $endpoint && -n $cafile ]] || { cat "$lablog" >&2; exit 1; }
}

# Wall clock, and CPU time (user + system, the process and its children) as "wall/cpu" in ms: on a machine shared with
# other work the wall clock mostly measures the others; CPU time is what this run itself consumed.
ms() {
  local s e t
  s=$(date +%s%N)
  t=$( { TIMEFORMAT='%3U %3S'; time "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }; } 2>&1 )
  e=$(date +%s%N)
  echo "$(( (e - s) / 1000000 ))/$(awk '{printf "%d", ($1 + $2) * 1000}' <<<"$t")"
}

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
wall() { median $(printf '%s\n' "$@" | cut -d/ -f1); }
cpu() { median $(printf '%s\n' "$@" | cut -d/ -f2); }
