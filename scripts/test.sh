#!/usr/bin/env bash
# Every package's tests (turbo goes on past a failure), then the merged conformance report,
# which is written even when a test failed; the exit code is turbo's.
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/usage.sh
case "${1:-}" in -h|--help) print_usage; exit 0 ;; esac
turbo run test --continue "$@"
status=$?
node packages/report/dist/cli.js || status=1
exit $status
