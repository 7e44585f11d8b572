#!/usr/bin/env python3
"""Regenerate the embedded lexicon data of newsevents (src/linking/lexicon/data/).

Reads the PETRARCH2 / Phoenix dictionaries (MIT licence) and the CAMEO2PLOVER
table (CC BY-SA 4.0) and writes compact copies in the same text formats, so the
Rust parsers read the embedded files and user-supplied dictionaries alike.
The output depends only on the inputs: no dates, no hashing, source order kept.

Usage:
    scripts/derive-lexicon.py [PETRARCH2_DIR] [--plover FILE] [--out DIR]

PETRARCH2_DIR defaults to ../shared/corpora/petrarch2 (relative to the
repository root) and must contain petrarch2/data/dictionaries/. --plover
defaults to ../shared/corpora/plover/CAMEO2PLOVER-2021.txt, --out to
src/linking/lexicon/data. nouns.txt, demonyms.txt and NOTICE in the output
folder are written by hand and left alone.
"""

import argparse
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ACTOR_FILES = [
    "Phoenix.Countries.actors.txt",
    "Phoenix.International.actors.txt",
    "Phoenix.MilNonState.actors.txt",
]
AGENT_FILE = "Phoenix.agents.txt"
VERB_FILE = "CAMEO.verbpatterns.150430.txt"
CODE_RE = re.compile(r"\[([^\]\[]*)\]")
# Open-ended date restrictions mark codes still in force when the dictionary was made.
OPEN_RE = re.compile(r"^\s*>\s*(\d{6,})\s*$")


def warn(origin, line, message):
    print(f"{origin}:{line}: skipped: {message}", file=sys.stderr)


def content_lines(path):
    """Yields (line number, text) with comments and blank lines removed.

    Mirrors PETRARCH's reader: lines starting with '#' or '<!' are skipped,
    '<!-- ... -->' blocks are removed and '#' starts a comment anywhere.
    """
    in_comment = False
    with open(path, encoding="utf-8", errors="replace") as handle:
        for number, raw in enumerate(handle, 1):
            line = raw.rstrip("\n").replace("\ufeff", "")
            if in_comment:
                if "-->" in line:
                    in_comment = False
                continue
            if line.startswith("<!--") and "-->" not in line:
                in_comment = True
                continue
            if line.startswith("#") or line.startswith("<!"):
                continue
            line = re.sub(r"<!--.*?-->", "", line)
            if "#" in line:
                line = line[: line.index("#")]
            if line.strip():
                yield number, line


def norm_date(text):
    digits = text.strip()
    if len(digits) <= 7:
        year = int(digits[:2])
        year += 2000 if year <= 30 else 1900
        return f"{year:04d}{digits[2:6]}"
    return digits[:8]


def current_codes(codes):
    """Keeps undated codes and open-ended (>date) codes, dropping ended ranges."""
    kept = []
    for body in codes:
        parts = body.split(None, 1)
        if not parts:
            continue
        if len(parts) == 1:
            kept.append(parts[0])
            continue
        match = OPEN_RE.match(parts[1])
        if match:
            kept.append(f"{parts[0]} >{norm_date(match.group(1))}")
    return kept


def read_actor_blocks(path):
    origin = path.name
    blocks = []
    block = None
    for number, line in content_lines(path):
        codes = CODE_RE.findall(line)
        name = CODE_RE.sub(" ", line).strip()
        if "[" in name or "]" in name:
            warn(origin, number, f"stray bracket in {line.strip()!r}")
            continue
        if name.startswith("+"):
            if block is None:
                warn(origin, number, "synonym before any actor")
                continue
            if name[1:].strip():
                block["names"].append(name[1:].strip())
        elif name:
            block = {"names": [name], "codes": []}
            blocks.append(block)
        if codes:
            if block is None:
                warn(origin, number, "code before any actor")
                continue
            block["codes"].extend(codes)
    return blocks


def derive_actors(dictionaries, out):
    lines = [
        "# Actors derived from " + ", ".join(ACTOR_FILES),
        "# by scripts/derive-lexicon.py: only codes in force (undated or open-ended),",
        "# multinational corporations (MNC) left out. See NOTICE.",
    ]
    for file_name in ACTOR_FILES:
        for block in read_actor_blocks(dictionaries / file_name):
            codes = current_codes(block["codes"])
            if not codes or any(code.startswith("MNC") for code in codes):
                continue
            names = [re.sub(r"\s+", " ", n) for n in block["names"]]
            if len(codes) == 1:
                lines.append(f"{names[0]} [{codes[0]}]")
                lines.extend("+" + n for n in names[1:])
            else:
                lines.append(names[0])
                lines.extend("+" + n for n in names[1:])
                lines.extend(f"[{code}]" for code in codes)
    (out / "actors.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def derive_agents(dictionaries, out):
    origin = AGENT_FILE
    lines = ["# Agents derived from " + AGENT_FILE + " by scripts/derive-lexicon.py. See NOTICE."]
    for number, line in content_lines(dictionaries / AGENT_FILE):
        text = re.sub(r"\s+", " ", line.strip())
        if "!" in text and "=" in text:
            lines.append(text)
            continue
        if not CODE_RE.search(text):
            warn(origin, number, f"no [code] in {text!r}")
            continue
        if text.count("{") != text.count("}"):
            warn(origin, number, f"unbalanced braces in {text!r}")
            continue
        lines.append(text)
    (out / "agents.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def verb_code(text):
    """The [code] of a verb-file line, or None."""
    found = CODE_RE.findall(text)
    return found[-1].strip() if found else None


def derive_verbs(dictionaries, out):
    origin = VERB_FILE
    kept = ["# Verb patterns derived from " + VERB_FILE + " by scripts/derive-lexicon.py.",
            "# Comments and patterns that cannot change a lookup are left out. See NOTICE."]
    block = None  # {"header", "code", "verbs", "patterns"}
    blocks_out = []

    def flush():
        if block is None:
            return
        effective = {block["code"]} | {c for c in block["verb_codes"]}
        lines = [block["header"]] + block["verbs"]
        for pattern, code in block["patterns"]:
            literal = [t for t in re.split(r"[\s_]+", pattern[1:]) if t and t not in "*+$^%"]
            # A pattern that gives every verb of the block its own code and has no
            # words to anchor it changes nothing; null patterns in null blocks neither.
            if code == "---" and effective == {"---"}:
                continue
            if not literal and effective == {code}:
                continue
            lines.append(pattern)
        blocks_out.append(lines)

    in_synset = False  # '+' lines after '&NAME' are synset members, not verbs
    for number, line in content_lines(dictionaries / VERB_FILE):
        text = line.split(";")[0].rstrip() if not line.startswith("-") else line.rstrip()
        stripped = text.strip()
        if not stripped:
            continue
        if stripped.startswith("&") or (in_synset and stripped.startswith("+")):
            in_synset = True
            # Synsets may be defined anywhere; the reader resolves them after the
            # whole file, so they can all go before the first block.
            kept.append(re.sub(r"\s+", " ", stripped))
            continue
        in_synset = False
        if stripped.startswith("---"):
            flush()
            code = verb_code(stripped) or "---"
            name = stripped.strip("- ").split("[")[0].strip()
            block = {"header": f"--- {name} [{code}] ---", "code": code,
                     "verbs": [], "verb_codes": set(), "patterns": []}
        elif stripped.startswith("-"):
            body = stripped[1:]
            code = verb_code(body)
            if code is None:
                warn(origin, number, f"pattern without [code]: {stripped!r}")
                continue
            words = CODE_RE.sub(" ", body)
            if words.count("*") != 1:
                warn(origin, number, f"pattern needs exactly one '*': {stripped!r}")
                continue
            if block is None:
                warn(origin, number, "pattern outside a verb block")
                continue
            words = re.sub(r"[{}()]", " ", words)
            words = re.sub(r"\s+", " ", words).strip()
            block["patterns"].append((f"- {words} [{code}]", code.rstrip("!").split(":")[0]))
        elif block is None:
            warn(origin, number, f"verb outside a block: {stripped!r}")
        else:
            if stripped.count("{") != stripped.count("}"):
                warn(origin, number, f"unbalanced braces: {stripped!r}")
                continue
            code = verb_code(stripped)
            if code:
                block["verb_codes"].add(code.rstrip("!").split(":")[0])
            block["verbs"].append(re.sub(r"\s+", " ", stripped))
    flush()
    for lines in blocks_out:
        kept.extend(lines)
    (out / "verbs.txt").write_text("\n".join(kept) + "\n", encoding="utf-8")


def derive_plover(plover, out):
    lines = ["# CAMEO to PLOVER, derived from " + plover.name + " (Open Event Data Alliance,",
             "# CC BY-SA 4.0) by scripts/derive-lexicon.py. Columns: CAMEO, event, mode,",
             "# context, description. See NOTICE."]
    with open(plover, encoding="utf-8") as handle:
        for number, raw in enumerate(handle, 1):
            line = raw.strip()
            if not line or line.startswith("#") or line.startswith("~"):
                continue
            match = re.match(r"^(\d{2,4}):\s*(.*)$", line)
            if not match:
                warn(plover.name, number, f"not a mapping: {line!r}")
                continue
            rest, _, description = match.group(2).partition("#")
            fields = [f.strip() for f in rest.split(",")] + ["", "", ""]
            cells = [match.group(1), fields[0], fields[1], fields[2], description.strip()]
            lines.append("\t".join(cells))
    (out / "plover.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("petrarch2", nargs="?", default=str(REPO / "../shared/corpora/petrarch2"))
    parser.add_argument("--plover", default=str(REPO / "../shared/corpora/plover/CAMEO2PLOVER-2021.txt"))
    parser.add_argument("--out", default=str(REPO / "src/linking/lexicon/data"))
    args = parser.parse_args()
    dictionaries = Path(args.petrarch2) / "petrarch2" / "data" / "dictionaries"
    if not dictionaries.is_dir():
        sys.exit(f"no dictionaries under {dictionaries}")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    derive_actors(dictionaries, out)
    derive_agents(dictionaries, out)
    derive_verbs(dictionaries, out)
    derive_plover(Path(args.plover), out)


if __name__ == "__main__":
    main()
