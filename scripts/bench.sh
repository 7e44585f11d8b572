#!/usr/bin/env bash
# Throughput of `newsevents extract` end to end against PyTorch on the same weights, 1 and 2
# threads, median of RUNS. Prints a markdown table for BENCHMARKS.md.
# Usage: scripts/bench.sh [MODEL_DIR]   (env: ARTICLES=500 PARAGRAPHS=6 RUNS=5 TORCH=1)
set -euo pipefail
cd "$(dirname "$0")/.."
model="${1:-models/default}"
articles="${ARTICLES:-500}"; per="${PARAGRAPHS:-6}"; runs="${RUNS:-5}"
work=target/bench; mkdir -p "$work"
cargo build --release --locked -q
python3 scripts/make-bench-dump.py "$articles" "$per" > "$work/dump.jsonl"
cache="${BENCH_CACHE:-$HOME/.cache/newsevents-bench}"
if [ "${TORCH:-1}" = 1 ] && [ ! -x "$cache/venv/bin/python" ]; then
  python3 -m venv "$cache/venv" && "$cache/venv/bin/pip" install -q torch transformers \
    || echo "PyTorch could not be installed: reporting newsevents alone" >&2
fi
py="$cache/venv/bin/python"
echo "| engine | threads | subword tokens/s (median) | min | max | articles/s | peak RSS |"
echo "|---|---|---|---|---|---|---|"
for threads in 1 2; do
  rates=(); rss=0
  for _ in $(seq "$runs"); do
    start=$(date +%s.%N)
    /usr/bin/time -f "%M" -o "$work/rss" ./target/release/newsevents --threads "$threads" extract --model "$model" "$work/dump.jsonl" -o "$work/out.jsonl" 2> "$work/stderr"
    end=$(date +%s.%N)
    tokens=$(grep -o '[0-9]* subword tokens' "$work/stderr" | cut -d' ' -f1)
    rates+=("$(python3 -c "print($tokens / ($end - $start))")")
    rss=$(cat "$work/rss")
  done
  python3 - "$threads" "$tokens" "$articles" "$rss" "${rates[@]}" <<'PY'
import statistics, sys
threads, tokens, articles, rss, *rates = sys.argv[1:]
r = sorted(float(x) for x in rates)
med = statistics.median(r)
print(f"| newsevents extract (end to end) | {threads} | {med:,.0f} | {r[0]:,.0f} | {r[-1]:,.0f} | {med / int(tokens) * int(articles):.1f} | {int(rss) / 1024:.0f} MB |")
PY
  if [ -x "$py" ]; then
    "$py" scripts/bench_torch.py "$model" "$work/dump.jsonl" "$threads" 256 32 "$runs" | python3 -c "
import json, sys
for l in sys.stdin:
    d = json.loads(l)
    print(f\"| {d['engine']} (encoder + head) | {d['threads']} | {d['median']:,.0f} | {d['min']:,.0f} | {d['max']:,.0f} | | |\")"
  fi
done
echo 'x' > "$work/one.txt"
start=$(date +%s.%N); ./target/release/newsevents --threads 2 extract --model "$model" "$work/one.txt" > /dev/null; end=$(date +%s.%N)
python3 -c "print(f'\nload to first output: {($end - $start):.2f} s; dump: $articles articles, $tokens subword tokens')"
