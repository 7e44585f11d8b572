#!/usr/bin/env bash
# Fine-tuning speed: `newsevents train` from the base encoder on PolNeAR windows (254 subwords,
# batches of 16) and on CoNLL sentences (batches of 32), in f32 and bf16, against PyTorch on the
# same base (scripts/bench_train_torch.py). Subword tokens/s of the training steps (setup and
# saving excluded), median of RUNS. Prints a markdown table for BENCHMARKS.md.
# Usage: scripts/bench_train.sh [CORPORA]   env: THREADS=2 RUNS=3 TORCH=1
set -euo pipefail
cd "$(dirname "$0")/.."
corpora="${1:-../shared/corpora}"
threads="${THREADS:-2}"; runs="${RUNS:-3}"
work=target/bench-train; mkdir -p "$work"
[ -f base-model/model.safetensors ] || scripts/fetch-base-model.sh base-model
cargo build --release --locked -q

# Median tokens/s of RUNS one-epoch runs: PRECISION then the data arguments.
median_rate() {
  local precision="$1"; shift
  for _ in $(seq "$runs"); do
    rm -rf "$work/out"
    ./target/release/newsevents --threads "$threads" --precision "$precision" train \
      --init base-model --output "$work/out" --epochs 1 --case-embedding "$@" 2> /dev/null > /dev/null
    python3 -c "import json,sys; print(round(json.load(open(sys.argv[1]))['epochs'][0]['tokens_per_second']))" \
      "$work/out/training.json"
  done | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

echo "| engine | data | threads | subword tokens/s (median of $runs) |"
echo "|---|---|---|---|"
for precision in f32 bf16; do
  rate=$(median_rate "$precision" --brat-train "$corpora/polnear/data/train" --limit 30 \
    --window 254 --stride 254 --brat-batch 16)
  echo "| newsevents train --precision $precision | PolNeAR train, first 30 articles, 254-subword windows, batch 16 | $threads | $rate |"
  rate=$(median_rate "$precision" --conll-train "$corpora/conll2003/eng.train" --limit 1632 \
    --conll-batch 32)
  echo "| newsevents train --precision $precision | CoNLL eng.train, first 1,632 sentences, batch 32 | $threads | $rate |"
done

cache="${BENCH_CACHE:-$HOME/.cache/newsevents-bench}"
if [ "${TORCH:-1}" = 1 ] && [ ! -x "$cache/venv/bin/python" ]; then
  python3 -m venv "$cache/venv" && "$cache/venv/bin/pip" install -q torch transformers \
    || echo "PyTorch could not be installed: reporting newsevents alone" >&2
fi
if [ "${TORCH:-1}" = 1 ] && [ -x "$cache/venv/bin/python" ]; then
  "$cache/venv/bin/python" scripts/bench_train_torch.py base-model "$threads" 254 16 6 "$runs" 2> /dev/null |
    python3 -c '
import json, sys
for line in sys.stdin:
    r = json.loads(line)
    print("| {engine} | random ids, {window}-subword windows, batch {batch} | {threads} | {median:.0f} |".format(**r))'
fi
