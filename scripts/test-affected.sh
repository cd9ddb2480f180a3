#!/usr/bin/env bash
# The tests of what changed since a git ref, as CI runs them on a pull request: the packages turbo
# sees changed (and their dependents) plus the API packages whose recordings/<api>/ (common/: all) or
# suites.json entries changed, which turbo --affected alone misses; then the merged conformance report.
# Usage: bash scripts/test-affected.sh [--base=REF] [--help]   (REF defaults to main)
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/usage.sh
base=main
for arg in "$@"; do
  case "$arg" in
    -h|--help) print_usage; exit 0 ;;
    --base=?*) base="${arg#--base=}" ;;
    *) echo "test-affected: unknown option '$arg' (valid: --base=REF, --help)" >&2; exit 2 ;;
  esac
done
mapfile -t filters < <(node packages/repo-tools/dist/cli.js affected --base "$base") || exit 2
[ "${#filters[@]}" -gt 0 ] || exit 2
echo "test-affected: turbo run test ${filters[*]}"
node_modules/.bin/turbo run test --continue "${filters[@]}"
status=$?
node packages/report/dist/cli.js || status=1
exit $status
