#!/usr/bin/env python3
"""Where quote extraction goes wrong on a PolNeAR-style brat folder.

Reads `newsevents extract` output for the folder's texts and the gold attributions (first
annotator file of each article in name order, as `newsevents eval quotes` does) and splits the
errors into kinds: for content spans (exact at word level, punctuation trimmed), fragments of a
gold content, merges of several, partial overlaps and spurious ones; for sources of found quotes,
a missing prediction, a gold quote without a source, or a wrong span.

    newsevents extract dev.jsonl -o dev.out.jsonl
    scripts/quote_diagnostics.py ../shared/corpora/polnear/data/dev dev.out.jsonl [--examples N]
"""
import argparse
import collections
import json
import os
import re
import string

PUNCT = set(string.punctuation) | set("“”‘’—–…")


def read_gold(folder):
    anns = {}
    for name in sorted(os.listdir(os.path.join(folder, "attributions"))):
        if not name.endswith(".ann"):
            continue
        stem = name[:-4]
        article = stem.rsplit("_", 1)[0] if "_" in stem else stem
        anns.setdefault(article, os.path.join(folder, "attributions", name))
    gold = {}
    for article, path in anns.items():
        spans, quotes = {}, []
        for line in open(path, encoding="utf-8"):
            parts = line.rstrip("\n").split("\t")
            if line.startswith("T") and len(parts) >= 2:
                kind, *offs = parts[1].split(" ")
                try:
                    spans[parts[0]] = (kind, int(offs[0]), int(offs[-1]))
                except (ValueError, IndexError):
                    pass
            elif line.startswith("E") and len(parts) >= 2:
                roles = dict(r.split(":", 1) for r in parts[1].split(" ") if ":" in r)
                get = lambda role: spans.get(roles.get(role, ""), (None, None, None))[1:]
                content, source = get("Content"), get("Source")
                if content[0] is not None and content[1] > content[0]:
                    quotes.append((content, source if source[0] is not None else None))
        seen, unique = set(), []
        for c, s in quotes:
            if c not in seen:
                seen.add(c)
                unique.append((c, s))
        gold[article] = unique
    return gold


def trim(text, start, end):
    while start < end and (text[start].isspace() or text[start] in PUNCT):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in PUNCT):
        end -= 1
    return start, end


def overlap(a, b):
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder")
    ap.add_argument("output")
    ap.add_argument("--examples", type=int, default=0)
    args = ap.parse_args()
    gold = read_gold(args.folder)
    content_kinds, source_kinds = collections.Counter(), collections.Counter()
    examples = collections.defaultdict(list)
    n_pred = n_gold = exact = 0
    for line in open(args.output, encoding="utf-8"):
        rec = json.loads(line)
        name = rec["id"]
        if name not in gold:
            continue
        text = open(os.path.join(args.folder, "text", name + ".txt"), encoding="utf-8").read()
        g = [(trim(text, *c), s) for c, s in gold[name]]
        g_set = {c for c, _ in g}
        preds = [q for q in rec.get("quotes", [])]
        n_gold += len(g_set)
        p_set = set()
        for q in preds:
            c = trim(text, q["content"]["start"], q["content"]["end"])
            p_set.add(c)
            hits = [gc for gc, _ in g if overlap(gc, c) > 0]
            if c in g_set:
                kind = "exact"
            elif not hits:
                kind = "spurious"
            elif len(hits) > 1:
                kind = "merges several golds"
            elif hits[0][0] <= c[0] and c[1] <= hits[0][1]:
                kind = "fragment of a gold"
            elif c[0] <= hits[0][0] and hits[0][1] <= c[1]:
                kind = "covers one gold and more"
            else:
                kind = "partial overlap"
            content_kinds[kind] += 1
            if kind != "exact" and len(examples[kind]) < args.examples:
                hit = text[hits[0][0]:hits[0][1]] if hits else ""
                examples[kind].append((text[c[0]:c[1]], hit))
            if not hits:
                continue
            best = max(g, key=lambda gs: overlap(gs[0], c))
            gsrc, psrc = best[1], q.get("source")
            if gsrc is None:
                sk = "gold has no source"
            elif psrc is None:
                sk = "no source predicted"
            elif overlap(gsrc, (psrc["start"], psrc["end"])) > 0:
                sk = "right"
            else:
                sk = "wrong span"
            source_kinds[sk] += 1
            if sk in ("wrong span", "no source predicted") and len(examples[sk]) < args.examples:
                examples[sk].append((text[gsrc[0]:gsrc[1]], psrc["text"] if psrc else None,
                                     q.get("cue", {}) and q["cue"]["text"] if q.get("cue") else None,
                                     text[c[0]:c[1]][:80]))
        n_pred += len(p_set)
        exact += len(p_set & g_set)
    p, r = exact / max(n_pred, 1), exact / max(n_gold, 1)
    print(f"contents: {n_pred} predicted, {n_gold} gold, exact P {p:.4f} R {r:.4f} F1 {2*p*r/max(p+r,1e-9):.4f}")
    for k, v in content_kinds.most_common():
        print(f"  {k:28} {v}")
    found = sum(source_kinds.values())
    print(f"sources of {found} found quotes: right {source_kinds['right'] / max(found, 1):.4f}")
    for k, v in source_kinds.most_common():
        print(f"  {k:28} {v}")
    for k, ex in examples.items():
        print(f"\n== {k}")
        for e in ex:
            print("  ", e)


if __name__ == "__main__":
    main()
