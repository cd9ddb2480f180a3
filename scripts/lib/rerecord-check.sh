# The steps of scripts/rerecord-check.sh, sourced with the checkout as the working directory; its test
# replaces record_run with a test double of the suite's record run.

rerecord_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# Recordings only the real servers request: never reported as unrequested.
server_only_list=stacks/server-only-recordings.txt

# record_run DIR LOG: one record run of the packages in $filter into DIR, its output in LOG.
record_run() {
  node packages/stack/dist/cli.js --setup=embedded --inference-mode=record --filter="$filter" --recordings-dir="$1" >"$2" 2>&1
}

# unrequested_check FOLDERS: the committed recordings in the API folders FOLDERS (comma-separated) whose
# hash no request of the run's traffic logs (reports/<api>/provider-traffic.ndjson) names, one line each.
unrequested_check() {
  local args=() api out
  for api in ${filter//,/ }; do args+=(--traffic "reports/$api/provider-traffic.ndjson"); done
  out=$(node "$rerecord_root/packages/recording/dist/cli.js" unrequested --dir recordings --api "$1" --keep "$server_only_list" "${args[@]}" 2>&1)
  case $? in
    0) return 0 ;;
    1) echo "rerecord-check: committed recordings that the re-record of '$filter' did not request (stale):" >&2
       grep -v '^unrequested: ' <<<"$out" | sed 's/^/rerecord-check: /' >&2 ;;
    *) echo "rerecord-check: could not check for unrequested recordings: $out" >&2 ;;
  esac
  return 1
}

# committed_check FOLDERS: records $filter into a copy of recordings/; fails on a changed or new file,
# then on a committed file in FOLDERS that no request of the run named.
committed_check() {
  cp -r recordings "$work/copy"
  if ! record_run "$work/copy" "$work/run1.log"; then
    echo "rerecord-check: record run 1 failed; its log:" >&2
    tail -n 30 "$work/run1.log" >&2
    return 1
  fi
  # Record mode overwrites what it re-records and leaves the rest (the real server's own recordings).
  if ! diff -r recordings "$work/copy" >"$work/diff.txt"; then
    echo "rerecord-check: re-recording '$filter' changed the committed tree ($(grep -c '^diff\|^Only' "$work/diff.txt") files):" >&2
    grep '^diff\|^Only' "$work/diff.txt" | head -n 40 >&2
    echo "rerecord-check: make the committed tree a re-record's with: pnpm suite --inference-mode=record --filter=$filter" >&2
    return 1
  fi
  unrequested_check "$1" || return 1
}
