#!/usr/bin/env bash
# One-command set-up on a machine with only node and npm: brings the pinned pnpm, installs the
# workspace, builds the shared packages, then runs the main job (the base suite against the
# embedded stack, replay mode). `--install-only` stops after the build (CI runs `pnpm test` next);
# `--real-server` also installs the real Llama Stack 0.4.0 server into .venvs/ (needs Python >= 3.12).
set -euo pipefail
cd "$(dirname "$0")/.."

install_only=0
real_server=0
for arg in "$@"; do
  case "$arg" in
    --install-only) install_only=1 ;;
    --real-server) real_server=1 ;;
    *) echo "setup: unknown option '$arg' (valid: --install-only, --real-server)" >&2; exit 2 ;;
  esac
done

pnpm_version=$(node -p 'require("./package.json").packageManager.split("@")[1]')
if [ "$(pnpm --version 2>/dev/null || true)" != "$pnpm_version" ]; then
  echo "setup: installing pnpm $pnpm_version with npm"
  npm install --global --silent "pnpm@$pnpm_version"
fi

# better-sqlite3 compiles against Node's headers; point node-gyp at the ones shipped with this
# Node instead of letting it try to download them (there is no network but the registries).
node_prefix=$(dirname "$(dirname "$(command -v node)")")
if [ -z "${npm_config_nodedir:-}" ] && [ -f "$node_prefix/include/node/node.h" ]; then
  export npm_config_nodedir="$node_prefix"
fi

pnpm install --frozen-lockfile
pnpm build
if [ "$real_server" -eq 1 ]; then bash scripts/install-real-server.sh; fi

if [ "$install_only" -eq 1 ]; then exit 0; fi
pnpm suite --suite=base --setup=embedded --stack-config=embedded --inference-mode=replay
