#!/usr/bin/env bash
# Throughput of `newsevents extract` end to end, and of our encoder alone, against PyTorch on
# the same weights, 1 and 2 threads, median of RUNS. Prints markdown tables for BENCHMARKS.md.
# Usage: scripts/bench.sh [MODEL_DIR]
#   env: ARTICLES=500 PARAGRAPHS=12 RUNS=5 TORCH=1 MEMORY_MB=0 (a dump of that many MB for peak RSS)
#   The Python package's rows come when `bash python/tests/run.sh` has built its venv and wheel.
set -euo pipefail
cd "$(dirname "$0")/.."
model="${1:-models/default}"
articles="${ARTICLES:-500}"; per="${PARAGRAPHS:-12}"; runs="${RUNS:-5}"
work=target/bench; mkdir -p "$work"
cargo build --release --locked -q
cargo bench --locked --no-run -q --bench encoder_throughput 2> /dev/null
python3 scripts/make-bench-dump.py "$articles" "$per" > "$work/dump.jsonl"
cache="${BENCH_CACHE:-$HOME/.cache/newsevents-bench}"
if [ "${TORCH:-1}" = 1 ] && [ ! -x "$cache/venv/bin/python" ]; then
  python3 -m venv "$cache/venv" && "$cache/venv/bin/pip" install -q torch transformers \
    || echo "PyTorch could not be installed: reporting newsevents alone" >&2
fi
py="$cache/venv/bin/python"
: > "$work/rates.jsonl"

# One JSON line per engine and thread count, in bench_torch.py's schema: the whole process
# (start-up and model load included), which must print "N subword tokens" on stderr.
time_process() { # ENGINE THREADS COMMAND...
  local engine=$1 threads=$2 rates=() tokens start end
  shift 2
  for _ in $(seq "$runs"); do
    start=$(date +%s.%N)
    /usr/bin/time -f "%M" -o "$work/rss" "$@" 2> "$work/stderr"
    end=$(date +%s.%N)
    tokens=$(grep -o '[0-9]* subword tokens' "$work/stderr" | cut -d' ' -f1)
    rates+=("$(python3 -c "print($tokens / ($end - $start))")")
  done
  python3 - "$engine" "$threads" "$tokens" "$(cat "$work/rss")" "${rates[@]}" <<'PY'
import json, statistics, sys
engine, threads, tokens, rss, *rates = sys.argv[1:]
r = sorted(float(x) for x in rates)
print(json.dumps({"engine": engine, "threads": int(threads),
                  "median": statistics.median(r), "min": r[0], "max": r[-1], "tokens": int(tokens), "rss_kb": int(rss)}))
PY
}

time_extract() { # THREADS PRECISION
  time_process "newsevents extract --precision $2" "$1" ./target/release/newsevents --threads "$1" \
    --precision "$2" extract --stats --model "$model" "$work/dump.jsonl" -o "$work/out.jsonl"
}

# The Python package, when python/tests/run.sh has built and installed its wheel.
pyvenv=target/python-tests/venv/bin/python
time_python() { # THREADS PRECISION
  time_process "newsevents Python Pipeline.analyze_json --precision $2" "$1" "$pyvenv" \
    scripts/bench_python.py "$work/dump.jsonl" "$work/out.py.jsonl" "$1" "$2" "$model"
}

for threads in 1 2; do
  for precision in f32 bf16 int8; do
    time_extract "$threads" "$precision" >> "$work/rates.jsonl"
    if [ -x "$pyvenv" ] && "$pyvenv" -c "import newsevents" 2> /dev/null; then
      time_python "$threads" "$precision" >> "$work/rates.jsonl"
    fi
  done
  cargo bench --locked -q --bench encoder_throughput -- "$model" "$work/dump.jsonl" "$threads" 256 32 "$runs" \
    2> /dev/null >> "$work/rates.jsonl"
  if [ -x "$py" ]; then
    "$py" scripts/bench_torch.py "$model" "$work/dump.jsonl" "$threads" 256 32 "$runs" 2> /dev/null >> "$work/rates.jsonl"
  fi
done

echo 'x' > "$work/one.txt"
loads=()
for _ in $(seq "$runs"); do
  start=$(date +%s.%N); ./target/release/newsevents --threads 2 extract --model "$model" "$work/one.txt" > /dev/null; end=$(date +%s.%N)
  loads+=("$(python3 -c "print($end - $start)")")
done
if [ "${MEMORY_MB:-0}" -gt 0 ]; then
  python3 scripts/make-bench-dump.py $((MEMORY_MB * 1000000 / 3300)) "$per" > "$work/memory.jsonl"
  /usr/bin/time -f "%M" -o "$work/memory.rss" ./target/release/newsevents --threads 2 --precision bf16 \
    extract --model "$model" "$work/memory.jsonl" -o "$work/memory.out" 2> /dev/null
fi

python3 - "$work" "$articles" "$model" "${loads[@]}" <<'PY'
import json, os, statistics, sys
work, articles, model, *loads = sys.argv[1:]
# Heads that read the same windows share an encoder pass (absent: quotes read documents).
heads = json.load(open(f"{model}/config.json")).get("heads", {})
passes = len({h.get("windows", "document" if n == "quotes" else "sentences") for n, h in heads.items()})
passes = "one encoder pass" if passes == 1 else f"{passes} encoder passes"
rows = [json.loads(l) for l in open(f"{work}/rates.jsonl") if l.strip()]
peaks = {k: v for r in rows for k, v in r.items() if k.startswith("peak_")}
engines = [r for r in rows if "engine" in r]
print("| engine | what is timed | threads | subword tokens/s (median) | min | max | articles/s | model GFLOP/s (share of peak) | peak RSS |")
print("|---|---|---|---|---|---|---|---|---|")
for r in engines:
    what = (f"process start to last record: read, tokenize, {passes}, decode, link, write"
            if "extract" in r["engine"] or "Python" in r["engine"]
            else "tokenize, windows, encoder + heads, one pass")
    arts = f"{r['median'] / r['tokens'] * int(articles):.1f}" if "tokens" in r else ""
    share = ""
    if "gflops" in r and "int8" not in r["engine"]:
        peak = peaks.get("peak_bf16_gflops" if "bf16" in r["engine"] else "peak_f32_gflops", 0) / 2 * r["threads"]
        share = f"{r['gflops']:.0f} ({r['gflops'] / peak:.0%})" if peak else f"{r['gflops']:.0f}"
    rss = f"{r['rss_kb'] / 1024:.0f} MB" if "rss_kb" in r else ""
    print(f"| {r['engine']} | {what} | {r['threads']} | {r['median']:,.0f} | {r['min']:,.0f} | {r['max']:,.0f} | {arts} | {share} | {rss} |")
print()
for threads in (1, 2):
    torch = [r for r in engines if r["threads"] == threads and r["engine"].startswith("pytorch")]
    ours = [r for r in engines if r["threads"] == threads and r["engine"].startswith("newsevents")]
    if not torch:
        continue
    print(f"ratios at {threads} thread(s), ours / PyTorch:")
    for o in ours:
        print("- " + o["engine"] + ": " + ", ".join(f"{o['median'] / t['median']:.2f}x {t['engine'].split()[-1]}" for t in torch))
for precision in ("f32", "bf16", "int8"):
    for threads in (1, 2):
        cli = [r["median"] for r in engines if r["engine"] == f"newsevents extract --precision {precision}" and r["threads"] == threads]
        py = [r["median"] for r in engines if r["engine"] == f"newsevents Python Pipeline.analyze_json --precision {precision}" and r["threads"] == threads]
        if cli and py:
            print(f"Python / command line, {precision}, {threads} thread(s): {py[0] / cli[0]:.2f}x")
for name in ("newsevents extract --precision int8", "newsevents int8-vnni"):
    one = [r["median"] for r in engines if r["engine"] == name and r["threads"] == 1]
    two = [r["median"] for r in engines if r["engine"] == name and r["threads"] == 2]
    if one and two:
        print(f"\n2 threads / 1 thread, {name}: {two[0] / one[0]:.2f}x")
print(f"\nmachine peaks on 2 threads: f32 {peaks.get('peak_f32_gflops', 0):.0f} GFLOP/s, bf16 {peaks.get('peak_bf16_gflops', 0):.0f} GFLOP/s")
print(f"load to first output (one-word article, 2 threads): median {statistics.median(float(x) for x in loads):.2f} s")
tokens = next((r["tokens"] for r in engines if "tokens" in r), 0)
print(f"dump: {articles} articles, {tokens} subword tokens")
if os.path.exists(f"{work}/memory.rss"):
    size = os.path.getsize(f"{work}/memory.jsonl") / 1e6
    print(f"peak RSS on a {size:.1f} MB dump (bf16, 2 threads): {int(open(f'{work}/memory.rss').read()) / 1024:.0f} MB")
PY
