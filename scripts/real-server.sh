#!/usr/bin/env bash
# The real Llama Stack 0.4.0 server under the suite, offline, on the project's own model (setup
# embedded, replay from recordings/): base through scripts/parity.sh (the embedded stack first, then
# the real server, then reports/parity-embedded.{json,md}), then responses. Each real-server run is held
# to its outcome baseline, fidelity/real-server/embedded-<suite>.json: a test that passed there and no
# longer does fails. Upstream's recordings on the real server run in scripts/fidelity.sh.
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/usage.sh
for arg in "$@"; do
  case "$arg" in
    -h|--help) print_usage; exit 0 ;;
    *) echo "real-server: unknown argument '$arg' (it takes none but --help)" >&2; exit 2 ;;
  esac
done
. scripts/lib/real-server-run.sh
if real_server_missing; then
  echo "real-server: skipped: the real server is not installed (bash scripts/setup.sh --real-server)"
  exit 0
fi
port="${LLAMA_STACK_TEST_REAL_SERVER_PORT:-8371}"
status=0
summary=()
check() { # suite: the real server's snapshot of that suite against its outcome baseline
  node packages/parity/dist/cli.js baseline --suite "$1" --setup embedded --stack real-server \
    --check "fidelity/real-server/embedded-$1.json"
  local code=$?
  summary+=("$1: $([ $code -eq 0 ] && echo held || echo "FAILED (exit $code)")")
  [ $code -eq 0 ] || status=1
}

echo "real-server: suite base, setup embedded, both stacks (parity)"
bash scripts/parity.sh --suite=base --setup=embedded --port="$port" || status=1
check base
echo "real-server: suite responses, setup embedded"
start=$SECONDS
real_server_suite "$port" --suite=responses --setup=embedded --inference-mode=replay
node packages/parity/dist/cli.js snapshot --stack real-server --stack-config "server:stacks/run.yaml:$port" --setup embedded \
  --suite responses --apis "$(node -p 'require("./suites.json").suites.responses.packages.join(",")')" --wall-seconds "$((SECONDS - start))" || status=1
check responses
printf 'real-server baselines: %s\n' "${summary[@]}"
exit $status
