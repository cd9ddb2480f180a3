#!/usr/bin/env bash
# Share of the real server's provider requests whose recording the embedded stack made.
#
#   bash scripts/real-server-hash-share.sh [RECORDS_LOG] [REV]
#
# RECORDS_LOG: the record log of a `--stack-config=server:...` run with the builtin recorder
# (default .llama-stack-tests/logs/llama-stack-8351.records.log; its recorder debug lines carry each
# request's test id, endpoint and hash). REV: the commit whose recordings/ holds only the embedded
# stack's recordings (default HEAD). A request "hits" when REV has a recording of that file name, i.e.
# the embedded stack sent the provider the byte-identical request for the same test id.
# Prints the totals, the figures per API folder, then every miss (test id, endpoint, hash) for diffing.
set -euo pipefail
log="${1:-.llama-stack-tests/logs/llama-stack-8351.records.log}"
rev="${2:-HEAD}"
[[ -f "$log" ]] || { echo "no record log at $log: run a suite with --stack-config=server:<config>:<port> first" >&2; exit 2; }

known="$(mktemp)"
requests="$(mktemp)"
trap 'rm -f "$known" "$requests"' EXIT
# File names of REV's recordings: <hash>.json, or models-<hash>-<digest>.json for model lists.
git ls-tree -r --name-only "$rev" -- recordings | sed -E 's#.*/(models-)?([0-9a-f]{64})(-[0-9a-f]+)?\.json$#\2#' | sort -u >"$known"

# One line per distinct request: hash, endpoint, test id (the recorder logs them in this order).
awk '
  /api_recorder:167 .* Test ID:/ { sub(/.*Test ID: /, ""); test = $0 }
  /api_recorder:169 .* Endpoint:/ { sub(/.*Endpoint: /, ""); endpoint = $0 }
  /api_recorder:171 .* Computed hash:/ { sub(/.*Computed hash: /, ""); print $0 "\t" endpoint "\t" test }
' "$log" | sort -u -k1,1 >"$requests"

awk -F'\t' -v known="$known" '
  BEGIN { while ((getline h < known) > 0) seen[h] = 1 }
  {
    api = $3; sub(/^tests\/integration\//, "", api); sub(/\/.*/, "", api)
    if ($3 == "None") api = "(no test: model lists)"
    total++; per[api]++
    if ($1 in seen) { hits++; hit[api]++ } else misses[++n] = $3 "\t" $2 "\t" $1
  }
  END {
    printf "real-server provider requests: %d distinct; identical to an embedded-stack recording: %d (%.1f%%); new: %d\n",
      total, hits, total ? 100 * hits / total : 0, total - hits
    for (a in per) printf "  %-28s %4d / %4d identical\n", a, hit[a], per[a]
    print "misses (test id, endpoint, hash):"
    for (i = 1; i <= n; i++) print "  " misses[i]
  }
' "$requests"
