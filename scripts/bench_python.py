"""The Python API over a JSONL dump, as `newsevents extract DUMP -o OUT` does it: read the
records, analyse them in batches, write each record's line. Run as a whole process by
scripts/bench.sh beside the command line, so both rates count start-up and model loading.

Usage: python scripts/bench_python.py DUMP OUT THREADS PRECISION [MODEL]
Prints the subword tokens read (the benchmarks' unit) on stderr.
"""

import json
import sys

import newsevents

dump, out, threads, precision = sys.argv[1:5]
model = sys.argv[5] if len(sys.argv) > 5 else "default"
pipeline = newsevents.Pipeline(model, threads=int(threads), precision=precision)
with open(dump, encoding="utf-8") as lines, open(out, "w", encoding="utf-8") as output:
    batch, first = [], 1
    for line in lines:
        batch.append(json.loads(line))
        if len(batch) == 64:
            output.writelines(record + "\n" for record in pipeline.analyze_json(batch, first=first))
            first += len(batch)
            batch = []
    output.writelines(record + "\n" for record in pipeline.analyze_json(batch, first=first))
print(f"{pipeline.tokens_read} subword tokens", file=sys.stderr)
