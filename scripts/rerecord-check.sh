#!/usr/bin/env bash
# Recording reproducibility: records the given API packages twice with the project's own model
# (embedded setup, record mode) into two fresh directories and fails if the two trees differ in any
# byte. A re-record of unchanged tests must write the same files.
# Usage: scripts/rerecord-check.sh [--filter=inference]
set -uo pipefail
cd "$(dirname "$0")/.."
filter=inference
. scripts/lib/usage.sh
for arg in "$@"; do
  case "$arg" in
    -h|--help) print_usage; exit 0 ;;
    --filter=*) filter="${arg#*=}" ;;
    *) echo "rerecord-check: unknown option '$arg' (valid: --filter=API[,API...])" >&2; exit 2 ;;
  esac
done
work=$(mktemp -d "${TMPDIR:-/tmp}/rerecord-check-XXXXXX")
trap 'rm -rf "$work"' EXIT
for run in 1 2; do
  if ! node packages/stack/dist/cli.js --setup=embedded --inference-mode=record --filter="$filter" --recordings-dir="$work/run$run" >"$work/run$run.log" 2>&1; then
    echo "rerecord-check: record run $run failed; its log:" >&2
    tail -n 30 "$work/run$run.log" >&2
    exit 1
  fi
done
files=$(find "$work/run1" -type f | wc -l)
if [ "$files" -eq 0 ]; then
  echo "rerecord-check: the record runs wrote no recordings for '$filter'; nothing was checked" >&2
  exit 1
fi
if ! diff -r "$work/run1" "$work/run2" >"$work/diff.txt"; then
  echo "rerecord-check: two records of '$filter' differ ($(grep -c '^diff\|^Only' "$work/diff.txt") files):" >&2
  head -n 40 "$work/diff.txt" >&2
  exit 1
fi
echo "rerecord-check: two records of '$filter' wrote the same $files files"
