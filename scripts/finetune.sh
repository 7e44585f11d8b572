#!/usr/bin/env bash
# The whole recipe behind models/default: fetch the base, fine-tune the entity and quote heads
# jointly, store the best epoch (dev F1) in f16. Corpora are read where they are, never copied.
# Usage: scripts/finetune.sh [CORPORA_DIR] [OUTPUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
corpora="${1:-../shared/corpora}"
out="${2:-runs/default}"
[ -f base-model/model.safetensors ] || scripts/fetch-base-model.sh base-model
cargo build --release --locked
./target/release/newsevents --threads "${THREADS:-2}" train \
  --init base-model --output "$out" \
  --conll-train "$corpora/conll2003/eng.train" --conll-dev "$corpora/conll2003/eng.testa" \
  --brat-train "$corpora/polnear/data/train" --brat-dev "$corpora/polnear/data/dev" \
  --epochs 2 --lr 1e-4 --warmup 0.1 --weight-decay 0.01 --clip 1.0 --seed 13 \
  --conll-batch 32 --brat-batch 16 --window 254 --stride 254 \
  --case-embedding --f16 ${RESUME:+--resume}
echo "model written to $out; copy it to models/default once evaluated (see models/README.md)"
