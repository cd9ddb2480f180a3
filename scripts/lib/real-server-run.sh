# Sourced by the scripts that run suites on the real Llama Stack server.
#
# real_server_suite PORT ARGS...: `pnpm suite ARGS... --stack-config=server:stacks/run.yaml:PORT`, run once
# more on a fresh server when the server's log shows its SQLite connection pool exhausted during the
# first ("QueuePool limit ... reached"), whatever its exit code. That is a Llama Stack 0.4.0 defect (its
# chat-completion store leaks pooled connections, then every later request waits 30 s and times out),
# which makes the run unable to judge the tests; the retry is announced, and a second failure stands.
real_server_suite() {
  local port="$1"
  shift
  local log=".llama-stack-tests/logs/llama-stack-$port.log"
  local attempt code from
  for attempt in 1 2; do
    from=$(stat -c %s "$log" 2>/dev/null || echo 0)
    pnpm --silent suite "$@" --stack-config="server:stacks/run.yaml:$port"
    code=$?
    # A run that exhausted the pool is retried even when it exited 0 (a --write-fidelity-baseline run
    # does): its failures say nothing about the tests, so nothing may be written from them.
    # grep reads to the end (no -q): under pipefail an early exit would fail tail with SIGPIPE on a long
    # log and hide the match.
    if [ "$attempt" -eq 1 ] && tail -c +"$((from + 1))" "$log" 2>/dev/null | grep "QueuePool limit" >/dev/null; then
      echo "real server: its SQLite connection pool ran out during this run (Llama Stack 0.4.0 defect, see $log); running it once more on a fresh server"
      continue
    fi
    return "$code"
  done
  return "$code"
}

# The real server must be installed in CI; elsewhere its runs are skipped with this reason.
real_server_missing() {
  [ -x .venvs/llama-stack-0.4.0/bin/llama ] && return 1
  if [ "${CI:-}" = "true" ]; then
    echo "real server: .venvs/llama-stack-0.4.0 is missing: CI must run bash scripts/setup.sh --install-only --real-server first" >&2
    exit 1
  fi
  return 0
}
