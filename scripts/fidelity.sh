#!/usr/bin/env bash
# Fidelity runs: the suite replayed over upstream's real-model recordings, one run per setup that made
# them. Each run must keep hitting and passing every test its baseline (fidelity/<setup>.json) lists;
# reports go to reports/fidelity-<setup>.{json,md}. Skipped, with a note, when the recordings are absent
# (a user's clone has no ../shared). Pass --write-baselines to record the current state as the baselines.
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
printf 'fidelity baselines: %s\n' "${summary[@]}"
exit $status
