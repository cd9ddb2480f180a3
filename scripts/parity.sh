#!/usr/bin/env bash
# Stack parity: one suite and setup on the embedded stack, then on the real Llama Stack server (both
# replaying the same recordings), then reports/parity-<setup>.{json,md}: per test the outcome on each
# stack, whether they agree, and each disagreement's class from parity/<setup>.json.
# Usage: scripts/parity.sh [--suite=base] [--setup=embedded] [--port=8361] [--recordings-dir=DIR]
set -uo pipefail
cd "$(dirname "$0")/.."
suite=base setup=embedded port=8361 recordings=()
. scripts/lib/usage.sh
for arg in "$@"; do
  case "$arg" in
    -h|--help) print_usage; exit 0 ;;
    --suite=*) suite="${arg#*=}" ;;
    --setup=*) setup="${arg#*=}" ;;
    --port=*) port="${arg#*=}" ;;
    --recordings-dir=*) recordings=("$arg") ;;
    *) echo "parity: unknown option '$arg' (valid: --suite=NAME --setup=NAME --port=N --recordings-dir=DIR)" >&2; exit 2 ;;
  esac
done
. scripts/lib/real-server-run.sh
if real_server_missing; then
  echo "parity: skipped: the real server is not installed (bash scripts/setup.sh --real-server)"
  exit 0
fi
apis=$(node -e 'const s=require("./suites.json").suites[process.argv[1]]; if(!s){console.error("parity: unknown suite "+process.argv[1]);process.exit(2)} console.log(s.packages.join(","))' "$suite") || exit 2
server="server:stacks/run.yaml:$port"

run() { # label stack-config
  local start=$SECONDS code
  if [ "$1" = real-server ]; then
    real_server_suite "$port" --suite="$suite" --setup="$setup" --inference-mode=replay "${recordings[@]}"
  else
    pnpm --silent suite --suite="$suite" --setup="$setup" --stack-config="$2" --inference-mode=replay "${recordings[@]}"
  fi
  code=$?
  node packages/parity/dist/cli.js snapshot --stack "$1" --stack-config "$2" --setup "$setup" --suite "$suite" \
    --apis "$apis" --wall-seconds "$((SECONDS - start))" || return 2
  return $code
}
run embedded embedded; embedded_code=$?
run real-server "$server"; server_code=$?
[ $embedded_code -le 1 ] && [ $server_code -le 1 ] || { echo "parity: a run could not report (exit $embedded_code / $server_code)" >&2; exit 2; }
node packages/parity/dist/cli.js compare --suite "$suite" --setup "$setup" --left embedded --right real-server
