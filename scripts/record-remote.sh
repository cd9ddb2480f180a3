#!/usr/bin/env bash
# Dispatches the record workflow (.github/workflows/record.yml) on GitHub: it records the given API
# packages with a real provider, keys from the repository's secrets, and opens a pull request with the
# new recordings. Needs the GitHub CLI (gh), logged in, and the branch pushed.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
  cat <<'USAGE'
Usage: scripts/record-remote.sh --apis=API[,API] [--setup=SETUP] [--mode=record|record-if-missing] [--ref=BRANCH]
  --apis   packages/apis names to record (required), e.g. inference,agents
  --setup  setup whose provider answers (default gpt; embedded records with the project's offline model)
  --mode   record (overwrite) or record-if-missing (default)
  --ref    branch the workflow runs on and the pull request targets (default: the current branch)
Offline, on this machine, with the project's model instead: pnpm suite --inference-mode=record --filter=API
USAGE
}

apis="" setup="gpt" mode="record-if-missing" ref=""
for arg in "$@"; do
  case "$arg" in
    --apis=*) apis="${arg#*=}" ;;
    --setup=*) setup="${arg#*=}" ;;
    --mode=*) mode="${arg#*=}" ;;
    --ref=*) ref="${arg#*=}" ;;
    -h|--help) usage; exit 0 ;;
    *) echo "record-remote: unknown argument '$arg' (see --help)" >&2; exit 2 ;;
  esac
done
if [ -z "$apis" ]; then echo "record-remote: --apis is required (e.g. --apis=inference,agents)" >&2; exit 2; fi
IFS=',' read -r -a names <<< "$apis"
for api in "${names[@]}"; do
  if [ ! -f "packages/apis/$api/package.json" ]; then
    echo "record-remote: '$api' is not an API package; valid: $(ls packages/apis | tr '\n' ' ')" >&2
    exit 2
  fi
done
case "$mode" in record|record-if-missing) ;; *) echo "record-remote: --mode must be record or record-if-missing, not '$mode'" >&2; exit 2 ;; esac
if ! command -v gh >/dev/null; then echo "record-remote: the GitHub CLI (gh) is not installed: https://cli.github.com" >&2; exit 2; fi
[ -n "$ref" ] || ref="$(git rev-parse --abbrev-ref HEAD)"

gh workflow run record.yml --ref "$ref" -f apis="$apis" -f setup="$setup" -f mode="$mode"
echo "record-remote: dispatched record.yml on $ref (apis $apis, setup $setup, $mode); follow it with: gh run watch \$(gh run list --workflow=record.yml --limit=1 --json databaseId -q '.[0].databaseId')"
