#!/usr/bin/env python3
"""Writes a JSONL dump of news-like articles for benchmarks, from the project's own gold
paragraphs (datasets/gold/*.jsonl): each article is PARAGRAPHS paragraphs drawn with a fixed seed.
Usage: make-bench-dump.py ARTICLES PARAGRAPHS > dump.jsonl"""
import json, random, sys
from pathlib import Path

articles, per = int(sys.argv[1]), int(sys.argv[2])
root = Path(__file__).resolve().parent.parent / "datasets" / "gold"
paragraphs = [json.loads(l)["text"] for f in ("dev.jsonl", "test.jsonl") for l in open(root / f) if l.strip()]
rng = random.Random(13)
for i in range(articles):
    text = "\n".join(rng.choice(paragraphs) for _ in range(per))
    print(json.dumps({"id": f"bench-{i:05d}", "text": text}, ensure_ascii=False))
