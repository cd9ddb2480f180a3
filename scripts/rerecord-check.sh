#!/usr/bin/env bash
# Recording reproducibility: records the given API packages twice with the project's own model
# (embedded setup, record mode) into two fresh directories and fails if the two trees differ in any
# byte. A re-record of unchanged tests must write the same files. With --committed, records them once
# into a copy of recordings/ instead and fails if any file differs from the committed one or is new,
# so the committed tree is what a re-record writes; it also fails on a committed recording of those
# packages that no request of the re-record named (stale: delete it), except model lists and the real
# servers' own (stacks/server-only-recordings.txt). --all checks every API package of suites.json
# (CI runs `--committed --all`).
# Usage: scripts/rerecord-check.sh [--filter=inference | --all] [--committed]
set -uo pipefail
cd "$(dirname "$0")/.."
filter=inference
committed=0
. scripts/lib/usage.sh
. scripts/lib/rerecord-check.sh
all=0
for arg in "$@"; do
  case "$arg" in
    -h|--help) print_usage; exit 0 ;;
    --filter=*) all=0; filter="${arg#*=}" ;;
    --all) all=1; filter=$(node -p 'const s = require("./suites.json").suites; [...new Set(Object.values(s).flatMap((x) => x.packages))].join(",")') || exit 2 ;;
    --committed) committed=1 ;;
    *) echo "rerecord-check: unknown option '$arg' (valid: --filter=API[,API...], --all, --committed)" >&2; exit 2 ;;
  esac
done
start=$SECONDS
work=$(mktemp -d "${TMPDIR:-/tmp}/rerecord-check-XXXXXX")
trap 'rm -rf "$work"' EXIT
record() { # dir run: one record run of the packages into dir
  if ! record_run "$1" "$work/run$2.log"; then
    echo "rerecord-check: record run $2 failed; its log:" >&2
    tail -n 30 "$work/run$2.log" >&2
    exit 1
  fi
}

if [ "$committed" -eq 1 ]; then
  # The API folders the run covers: its packages', and the session-level common/ when it runs them all.
  folders=$filter
  [ "$all" -eq 1 ] && folders="$folders,common"
  committed_check "$folders" || exit 1
  echo "rerecord-check: re-recording '$filter' left the $(find recordings -type f -name '*.json' | wc -l) committed recordings as they are, and requested every one of them but model lists and the real servers' own ($((SECONDS - start)) s)"
  exit 0
fi

for run in 1 2; do record "$work/run$run" "$run"; done
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
echo "rerecord-check: two records of '$filter' wrote the same $files files ($((SECONDS - start)) s)"
