#!/usr/bin/env bash
# Fidelity runs: the suite replayed over upstream's real-model recordings, one run per setup that made
# them. Each run must keep hitting and passing every test its baseline (fidelity/<setup>.json) lists;
# reports go to reports/fidelity-<setup>.{json,md}. Skipped, with a note, when the recordings are absent
# (a user's clone has no ../shared). Pass --write-baselines to record the current state as the baselines.
# Then, when the real server is installed (scripts/install-real-server.sh), the same pairs against the
# Python Llama Stack 0.4.0 replaying upstream's 0.4.0 recordings with its own recorder, held to
# fidelity/real-server/<setup>.json; each on its own port (REAL_SERVER_PORT, then the next ones).
# Usage: bash scripts/fidelity.sh [--write-baselines] [--scheduled] [--help]
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/usage.sh
flag="--fidelity-baseline"
scheduled=0
for arg in "$@"; do
  case "$arg" in
    --write-baselines) flag="--write-fidelity-baseline" ;;
    --scheduled) scheduled=1 ;;
    -h|--help) print_usage; exit 0 ;;
    *) echo "fidelity: unknown argument '$arg' (valid: --write-baselines, --scheduled, --help)" >&2; exit 2 ;;
  esac
done
upstream="${LLAMA_STACK_UPSTREAM_DIR:-../shared/llama-stack-upstream}"
recordings="$upstream/tests/integration"
if [ ! -d "$recordings" ]; then
  echo "fidelity: skipped: no upstream recordings at $recordings (set LLAMA_STACK_UPSTREAM_DIR to a checkout of upstream's test data)"
  exit 0
fi

# suite:setup pairs of upstream's CI matrix (tests/integration/ci_matrix.json), the runs that made the recordings.
# BEGIN GENERATED upstream-pairs
# from upstream's ci_matrix.json and ci-pairs.json by `pnpm ci-matrix`; do not edit
# not run: base / ollama-postgres: needs PostgreSQL and upstream's ci-tests distribution (server:ci-tests::run-with-postgres-store.yaml, server clients only), neither of which exists here; its provider requests are those of base / ollama, which runs
# not run: base / vllm (upstream's schedule 1 0 * * 0): upstream recorded vLLM only for the inference package (base-vllm-subset, which runs); the other 15 packages of base have no vLLM recordings to replay
# not run: vision / embedded: the embedded setup has no vision model, so the vision suite would run 0 tests
PAIRS="base:ollama vision:ollama-vision responses:gpt base-vllm-subset:vllm"
SCHEDULED_PAIRS=""
# END GENERATED upstream-pairs
# --scheduled: upstream's scheduled pairs instead of its default ones.
if [ "$scheduled" = 1 ]; then
  PAIRS="$SCHEDULED_PAIRS"
  [ -n "$PAIRS" ] || echo "fidelity: no scheduled pair runs here (see the not-run lines above in this script)"
fi
# Pairs run against the real server too (each adds a server start and a suite run to CI).
REAL_SERVER_RUNS="${REAL_SERVER_RUNS:-$PAIRS}"
status=0
summary=()
for run in $PAIRS; do
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
