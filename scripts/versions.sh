#!/usr/bin/env bash
# Version matrix: one suite and setup on each installed server target (llama-stack@0.4.0, the latest
# 0.7.x, ogx 1.x), each on its own run config and venv, then reports/version-matrix-<suite>-<setup>.
# {json,md,html}: per API and test, the outcome on each target.
#   --write-inputs   also saves each run's snapshot as versions/<suite>-<setup>-<target>.json (committed)
#   --from-inputs    runs nothing: the matrix of the committed snapshots in versions/
# A target that is not installed is skipped with its install command; fewer than two runs is an error.
# Usage: scripts/versions.sh [--suite=base] [--setup=embedded] [--targets=T,T,...] [--port=8400]
#        [--inference-mode=replay] [--write-inputs | --from-inputs]
set -uo pipefail
cd "$(dirname "$0")/.."
suite=base setup=embedded port=8400 mode=replay write_inputs=0 from_inputs=0
targets="llama-stack@0.4.0,llama-stack@0.7.x,ogx@1.x"
. scripts/lib/usage.sh
for arg in "$@"; do
  case "$arg" in
    -h|--help) print_usage; exit 0 ;;
    --suite=*) suite="${arg#*=}" ;;
    --setup=*) setup="${arg#*=}" ;;
    --targets=*) targets="${arg#*=}" ;;
    --port=*) port="${arg#*=}" ;;
    --inference-mode=*) mode="${arg#*=}" ;;
    --write-inputs) write_inputs=1 ;;
    --from-inputs) from_inputs=1 ;;
    *) echo "versions: unknown option '$arg' (valid: --suite=NAME --setup=NAME --targets=T,T --port=N --inference-mode=MODE --write-inputs --from-inputs)" >&2; exit 2 ;;
  esac
done

# target -> "id venv cli runConfig" from the stack package's table (packages/stack/src/server-targets.ts).
resolve() {
  node --input-type=module -e 'import { parseServerTarget } from "./packages/stack/dist/lifecycle.js";
    try { const t = parseServerTarget(process.argv[1]); console.log([t.id, t.venv, t.cli, t.runConfig].join(" ")); }
    catch (e) { console.error(`versions: ${e.message}`); process.exit(2); }' "$1"
}

ran=()
if [ "$from_inputs" -eq 1 ]; then
  for target in ${targets//,/ }; do
    read -r id _ _ _ < <(resolve "$target") || exit 2
    [ -n "${id:-}" ] || exit 2
    ran+=("$id")
  done
  snapshots=versions
else
  apis=$(node -e 'const s=require("./suites.json").suites[process.argv[1]]; if(!s){console.error("versions: unknown suite "+process.argv[1]);process.exit(2)} console.log(s.packages.join(","))' "$suite") || exit 2
  for target in ${targets//,/ }; do
    read -r id venv cli config < <(resolve "$target") || exit 2
    [ -n "${id:-}" ] || exit 2
    if [ ! -x ".venvs/$venv/bin/$cli" ]; then
      echo "versions: $id skipped: .venvs/$venv is not installed (bash scripts/setup.sh --install-only --real-server=$id)"
      continue
    fi
    start=$SECONDS
    pnpm --silent suite --suite="$suite" --setup="$setup" --stack-config="server:$config:$port" --target="$id" --inference-mode="$mode"
    code=$?
    [ "$code" -le 1 ] || { echo "versions: the $id run could not report (exit $code)" >&2; exit 2; }
    node packages/parity/dist/cli.js snapshot --stack "$id" --stack-config "server:$config:$port" --setup "$setup" --suite "$suite" \
      --apis "$apis" --wall-seconds "$((SECONDS - start))" || exit 2
    if [ "$write_inputs" -eq 1 ]; then mkdir -p versions && cp "reports/parity/$suite-$setup-$id.json" "versions/$suite-$setup-$id.json"; fi
    ran+=("$id")
  done
  snapshots=reports/parity
fi
if [ "${#ran[@]}" -lt 2 ]; then
  echo "versions: a matrix needs at least two targets; ran ${#ran[@]} (${ran[*]:-none})" >&2
  exit 2
fi
node packages/parity/dist/cli.js matrix --suite "$suite" --setup "$setup" --stacks "$(IFS=,; echo "${ran[*]}")" --snapshots "$snapshots"
