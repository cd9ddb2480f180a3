#!/usr/bin/env bash
# Installs the real Llama Stack server under test into a project-local venv, .venvs/<target>/
# (git-ignored): a Python >= 3.12 found on PATH, then under pyenv; the pinned requirements under the
# constraints of upstream's lock (stacks/<target>.{requirements,constraints}.txt). A stamp of those
# files' hash makes a re-run with nothing changed a no-op. Usage: install-real-server.sh [target], the
# target as a file stem (llama-stack-0.4.0, llama-stack-0.7.3, ogx-1.5.0) or as product@version.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/usage.sh
case "${1:-}" in
  -h|--help) print_usage; exit 0 ;;
  -*) echo "install-real-server: unknown option '$1' (it takes a target, e.g. llama-stack@0.4.0, or --help)" >&2; exit 2 ;;
esac
[ $# -le 1 ] || { echo "install-real-server: one target at most, got $#" >&2; exit 2; }

target="${1:-llama-stack-0.4.0}"
target="${target/@/-}"
# The server's CLI: `ogx` since the rename, `llama` before it.
case "$target" in ogx-*) cli=ogx ;; *) cli=llama ;; esac
requirements="stacks/$target.requirements.txt"
constraints="stacks/$target.constraints.txt"
venv=".venvs/$target"
min_minor=12

if [ ! -f "$requirements" ] || [ ! -f "$constraints" ]; then
  echo "install-real-server: unknown target '$target': expected $requirements and $constraints" >&2
  exit 2
fi

stamp_value=$( (cat "$requirements" "$constraints" "$0") | sha256sum | cut -d' ' -f1)
if [ -x "$venv/bin/$cli" ] && [ "$(cat "$venv/.stamp" 2>/dev/null || true)" = "$stamp_value" ]; then
  echo "install-real-server: $venv is up to date ($("$venv/bin/$cli" stack --help >/dev/null 2>&1 && echo "$cli ready" || echo "$cli present"))"
  exit 0
fi

# A Python >= 3.12, 3.12 preferred (upstream CI's version): for each minor, PATH first, then pyenv's
# installed versions (a pyenv shim for a version that is not active fails the check and is passed over).
is_new_enough() { "$1" -c "import sys; sys.exit(0 if sys.version_info >= (3, $min_minor) else 1)" 2>/dev/null; }
pyenv_root="${PYENV_ROOT:-$HOME/.pyenv}"
python=""
for minor in 12 13 14 15; do
  for candidate in $(command -v "python3.$minor" 2>/dev/null || true) \
    $(ls -d "$pyenv_root"/versions/3."$minor".*/bin/python3 2>/dev/null | sort -V -r); do
    if is_new_enough "$candidate"; then python="$candidate"; break 2; fi
  done
done
if [ -z "$python" ] && is_new_enough "$(command -v python3 2>/dev/null || echo python3)"; then python=$(command -v python3); fi
if [ -z "$python" ]; then
  echo "install-real-server: no Python >= 3.$min_minor found on PATH or under pyenv; install one (e.g. \`pyenv install 3.12\` or your system's python3.12 package with venv) and re-run" >&2
  exit 1
fi

start=$(date +%s)
echo "install-real-server: creating $venv with $("$python" --version 2>&1)"
# Built in place (venv scripts hard-code their path); the stamp, written last, marks it complete.
rm -rf "$venv"
mkdir -p .venvs
"$python" -m venv "$venv"
log=".venvs/$target.pip.log"
if ! "$venv/bin/python" -m pip install --disable-pip-version-check --no-input \
  -r "$requirements" -c "$constraints" >"$log" 2>&1; then
  echo "install-real-server: pip failed; full log: $log; last lines:" >&2
  grep -v "^WARNING: Location" "$log" | tail -n 15 >&2
  rm -rf "$venv"
  exit 1
fi

# pyenv's CPython may lack loadable SQLite extensions, which sqlite-vec needs: alias sqlite3 to the
# pysqlite3 build (same DB-API) for this venv only, when the interpreter's own cannot load them.
if ! "$venv/bin/python" -c "import sqlite3, sys; sys.exit(0 if hasattr(sqlite3.connect(':memory:'), 'enable_load_extension') else 1)"; then
  site=$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
  cat >"$site/zz_llama_stack_tests_sqlite3.pth" <<'PTH'
import sys; exec("try:\n import pysqlite3, pysqlite3.dbapi2\n sys.modules['sqlite3'] = pysqlite3\n sys.modules['sqlite3.dbapi2'] = pysqlite3.dbapi2\nexcept ImportError:\n pass")
PTH
fi
"$venv/bin/python" -c "import sqlite3, sqlite_vec; c = sqlite3.connect(':memory:'); c.enable_load_extension(True); sqlite_vec.load(c)" || {
  echo "install-real-server: sqlite-vec cannot load into this venv's sqlite3 (see $log)" >&2
  rm -rf "$venv"
  exit 1
}

bash scripts/lib/tiktoken-cache.sh "$venv"

# A resolver may pick a library release the server cannot import (an unpinned mcp did for 0.7.3): the
# venv only counts as installed when its CLI starts.
if ! "$venv/bin/$cli" stack --help >"$venv/cli-check.log" 2>&1; then
  echo "install-real-server: $venv/bin/$cli does not start (pin the failing package in $constraints); last lines:" >&2
  tail -n 5 "$venv/cli-check.log" >&2
  cp "$venv/cli-check.log" ".venvs/$target.cli-check.log"
  rm -rf "$venv"
  exit 1
fi
rm -f "$venv/cli-check.log"

echo "$stamp_value" >"$venv/.stamp"
echo "install-real-server: $venv ready in $(($(date +%s) - start)) s ($("$venv/bin/python" -c 'import importlib.metadata as m; print("'"${target%-*}"'", m.version("'"${target%-*}"'"))'))"
