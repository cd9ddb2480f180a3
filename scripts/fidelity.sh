#!/usr/bin/env bash
# Fidelity runs: the suite replayed over upstream's real-model recordings, one run per setup that made
# them. Each run must keep hitting and passing every test its baseline (fidelity/<setup>.json) lists;
# reports go to reports/fidelity-<setup>.{json,md}. Skipped, with a note, when the recordings are absent
# (a user's clone has no ../shared). Pass --write-baselines to record the current state as the baselines.
# Then, when the real server is installed (scripts/install-real-server.sh), the same pairs against the
# Python Llama Stack 0.4.0 replaying upstream's 0.4.0 recordings with its own recorder, held to
# fidelity/real-server/<setup>.json; each on its own port (REAL_SERVER_PORT, then the next ones).
set -uo pipefail
cd "$(dirname "$0")/.."
upstream="${LLAMA_STACK_UPSTREAM_DIR:-../shared/llama-stack-upstream}"
recordings="$upstream/tests/integration"
if [ ! -d "$recordings" ]; then
  echo "fidelity: skipped: no upstream recordings at $recordings (set LLAMA_STACK_UPSTREAM_DIR to a checkout of upstream's test data)"
  exit 0
fi
flag="--fidelity-baseline"
[ "${1:-}" = "--write-baselines" ] && flag="--write-fidelity-baseline"

# Pairs run against the real server too (each adds a server start and a suite run to CI).
REAL_SERVER_RUNS="${REAL_SERVER_RUNS:-base:ollama vision:ollama-vision base-vllm-subset:vllm responses:gpt}"
status=0
summary=()
# suite:setup pairs of upstream's CI matrix (tests/integration/ci_matrix.json), the runs that made the recordings.
for run in base:ollama vision:ollama-vision responses:gpt base-vllm-subset:vllm; do
  suite="${run%%:*}"
  setup="${run##*:}"
  echo "fidelity: suite $suite, setup $setup"
  pnpm --silent suite --suite="$suite" --setup="$setup" --recordings-dir="$recordings" "$flag=fidelity/$setup.json"
  code=$?
  summary+=("$setup: $([ $code -eq 0 ] && echo held || echo "FAILED (exit $code)")")
  [ $code -eq 0 ] || status=1
done

. scripts/lib/real-server-run.sh
real_recordings="${LLAMA_STACK_UPSTREAM_040_DIR:-../shared/llama-stack-upstream-0.4.0}/tests/integration"
if real_server_missing; then
  echo "fidelity: real server skipped: .venvs/llama-stack-0.4.0 is not installed (bash scripts/setup.sh --real-server)"
elif [ ! -d "$real_recordings" ]; then
  echo "fidelity: real server skipped: no upstream 0.4.0 recordings at $real_recordings (set LLAMA_STACK_UPSTREAM_040_DIR)"
else
  port="${REAL_SERVER_PORT:-8341}"
  for run in $REAL_SERVER_RUNS; do
    suite="${run%%:*}"
    setup="${run##*:}"
    echo "fidelity: real server on port $port, suite $suite, setup $setup"
    real_server_suite "$port" --suite="$suite" --setup="$setup" \
      --recordings-dir="$real_recordings" "$flag=fidelity/real-server/$setup.json"
    code=$?
    summary+=("real server $setup: $([ $code -eq 0 ] && echo held || echo "FAILED (exit $code)")")
    [ $code -eq 0 ] || status=1
    port=$((port + 1))
  done
fi
printf 'fidelity baselines: %s\n' "${summary[@]}"
exit $status
