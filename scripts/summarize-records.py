#!/usr/bin/env python3
"""One line per quote and event of `newsevents extract` records, as the README's worked example
shows them. Usage: newsevents extract ARTICLE | python3 scripts/summarize-records.py"""
import json
import sys

for line in sys.stdin:
    record = json.loads(line)
    for q in record["quotes"]:
        source = q["source"] or {}
        cue = q["cue"] or {}
        print(f"Q {q['content']['text'][:50]!r} | {source.get('text')} | ent {source.get('entity')} | "
              f"{cue.get('text')} {q['direct']}")
    for e in record["events"]:
        who = lambda p: (p["text"], p["code"]) if p else None
        a = e["action"]
        flags = " ".join(x for x in ["neg" if e.get("negated") else "", e.get("modality") or ""] if x)
        print(f"E {who(e['actor'])} {a['text']} {a['cameo']} {a['plover']} {who(e['target'])} {flags}".rstrip())
