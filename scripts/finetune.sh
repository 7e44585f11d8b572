#!/usr/bin/env bash
# The whole recipe behind models/default: fetch the base; stage 1 fine-tunes the entity, quote and
# syntax heads (UPOS, lemma, dependencies) jointly for 4 epochs; stage 2 continues on CoNLL and
# the treebanks for one epoch at a lower rate.
# Each stage keeps its best epoch (dev F1) in f16. Corpora are read where they are, never copied.
# Usage: scripts/finetune.sh [CORPORA_DIR] [OUTPUT_DIR]
#   OUTPUT_DIR/joint holds stage 1, OUTPUT_DIR itself the final model.
#   RESUME=1 resumes an interrupted stage from its checkpoint; THREADS sets the threads (2);
#   PRECISION=f32 trains with f32 products instead of bf16.
set -euo pipefail
cd "$(dirname "$0")/.."
corpora="${1:-../shared/corpora}"
out="${2:-runs/default}"
threads="${THREADS:-2}"
precision="${PRECISION:-bf16}"  # of the products; f32 for the reference arithmetic
[ -f base-model/model.safetensors ] || scripts/fetch-base-model.sh base-model
cargo build --release --locked
newsevents=./target/release/newsevents

ud="$corpora/ud_english"
treebanks=(--ud-train "$ud/ewt/en_ewt-ud-train.conllu" --ud-train "$ud/gum/en_gum-ud-train.conllu"
  --ud-dev "$ud/ewt/en_ewt-ud-dev.conllu" --ud-batch 32)

# Stage 1: all heads, mixed batches (~15 min an epoch on 2 idle cores, bf16).
if [ ! -f "$out/joint/training.json" ] || [ -n "${RESUME:-}" ]; then
  "$newsevents" --threads "$threads" --precision "$precision" train \
    --init base-model --output "$out/joint" \
    --conll-train "$corpora/conll2003/eng.train" --conll-dev "$corpora/conll2003/eng.testa" \
    --brat-train "$corpora/polnear/data/train" --brat-dev "$corpora/polnear/data/dev" \
    --lr 1e-4 --warmup 0.1 --weight-decay 0.01 --clip 1.0 --seed 13 \
    --conll-batch 32 --brat-batch 16 --window 254 --stride 254 "${treebanks[@]}" \
    --epochs 4 --case-embedding --f16 ${RESUME:+--resume}
fi

# Stage 2: the entity and syntax heads and the encoder one more epoch on CoNLL and the treebanks;
# the quote head is carried over (see models/README.md for what it costs the quotes).
"$newsevents" --threads "$threads" --precision "$precision" train \
  --init "$out/joint" --output "$out" \
  --conll-train "$corpora/conll2003/eng.train" --conll-dev "$corpora/conll2003/eng.testa" \
  --epochs 1 --lr 3e-5 --warmup 0.1 --weight-decay 0.01 --clip 1.0 --seed 13 \
  --conll-batch 32 "${treebanks[@]}" --f16 ${RESUME:+--resume}
# The lemmas of the training treebanks' forms, which the model prefers to its lemma head's scripts.
"$newsevents" models lemmas --treebank "$ud/ewt/en_ewt-ud-train.conllu" \
  --treebank "$ud/gum/en_gum-ud-train.conllu" --model "$out"
echo "model written to $out; copy it to models/default once evaluated (see models/README.md)"
