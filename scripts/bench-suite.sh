#!/usr/bin/env bash
# Suite benchmark: times `TURBO_FORCE=true pnpm suite --suite=NAME` (builds and tests forced, replay,
# embedded stack, the defaults) and prints per run its wall and CPU seconds (user + sys of every
# process of the run), the machine's load average when it started, the conformance line, and the
# packages that took longest (the critical path), and the run's Node processes' CPU by kind (each
# package's vitest main and worker, the stacks, the builds). A benchmark to read, never a test: it
# fails only when the suite run itself fails.
# Usage: scripts/bench-suite.sh [--suite=base] [--runs=1]
set -uo pipefail
cd "$(dirname "$0")/.."
suite=base
runs=1
. scripts/lib/usage.sh
for arg in "$@"; do
  case "$arg" in
    -h|--help) print_usage; exit 0 ;;
    --suite=*) suite="${arg#*=}" ;;
    --runs=*) runs="${arg#*=}" ;;
    *) echo "bench-suite: unknown option '$arg' (valid: --suite=NAME, --runs=N)" >&2; exit 2 ;;
  esac
done
if ! [[ "$runs" =~ ^[1-9][0-9]*$ ]]; then
  echo "bench-suite: --runs must be a positive integer, got '$runs'" >&2
  exit 2
fi
if [ ! -f packages/stack/dist/cli.js ]; then
  echo "bench-suite: the harness is not built; run bash scripts/setup.sh --install-only first" >&2
  exit 2
fi
log=$(mktemp "${TMPDIR:-/tmp}/bench-suite-XXXXXX")
trap 'rm -f "$log" "$log.time" "$log.cpu"' EXIT
for run in $(seq 1 "$runs"); do
  load=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo "?")
  TIMEFORMAT="%R %U %S"
  : >"$log.cpu"
  { time BENCH_CPU_LOG="$log.cpu" NODE_OPTIONS="${NODE_OPTIONS:+$NODE_OPTIONS }--require $PWD/scripts/lib/cpu-by-process.cjs" \
    TURBO_FORCE=true node packages/stack/dist/cli.js --suite="$suite" >"$log" 2>&1; } 2>"$log.time"
  code=$?
  read -r wall user sys <"$log.time"
  if [ "$code" -ne 0 ]; then
    echo "bench-suite: run $run of suite $suite failed (exit $code); its log's last lines:" >&2
    tail -n 30 "$log" >&2
    exit 1
  fi
  cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.1f", u + s }')
  echo "run $run: suite $suite ${wall} s wall, ${cpu} s CPU (user + sys), load average ${load} at start; $(grep -m1 '^conformance:' "$log")"
  # Each package's vitest prints "<api>:test:    Duration  12.3s (...)": the slowest are the critical path.
  slowest=$(sed -n 's/^\([A-Za-z0-9_]*\):test: *Duration *\([0-9.]*\)s.*/\2 \1/p' "$log" | sort -rn | head -n 5 | awk '{ printf "%s%s %s s", (NR > 1 ? ", " : ""), $2, $1 }')
  echo "  slowest packages (vitest's own duration): ${slowest:-none}"
  node scripts/lib/cpu-by-process-summary.mjs "$log.cpu"
done
