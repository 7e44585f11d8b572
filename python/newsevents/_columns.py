"""The columns that ``newsevents.spark`` and ``newsevents.ray`` give each record: the JSONL line
itself plus typed columns for the fields most jobs filter or count on."""

from __future__ import annotations

import json
from typing import Any, Dict, Iterable, List, Optional

#: Column names, in order, with their Spark SQL types (the DDL of ``newsevents.spark.SCHEMA``).
COLUMNS = (
    ("id", "string"),
    ("record", "string"),
    ("entities", "int"),
    ("quotes", "int"),
    ("events", "int"),
    ("errors", "array<string>"),
)


def inputs(ids: Optional[Iterable[Any]], texts: Iterable[Any]) -> List[Any]:
    """Records for ``Pipeline.analyze_json`` from an id column (or none) and a text column:
    a missing (None or NaN) id leaves the record to be named by its place, a missing text
    makes a record without ``"text"`` (so an ``errors`` entry, as in the command line)."""
    texts = list(texts)
    ids = [None] * len(texts) if ids is None else list(ids)
    out: List[Any] = []
    for ident, text in zip(ids, texts):
        record: Dict[str, Any] = {}
        if ident is not None and ident == ident:  # NaN is the one value unequal to itself
            record["id"] = ident if isinstance(ident, str) else str(ident)
        if text is not None and text == text:
            record["text"] = text
        out.append(record)
    return out


def columns(lines: List[str]) -> Dict[str, list]:
    """The typed columns of records written as JSONL lines."""
    out: Dict[str, list] = {name: [] for name, _ in COLUMNS}
    for line in lines:
        record = json.loads(line)
        out["id"].append(record["id"])
        out["record"].append(line)
        out["entities"].append(len(record["entities"]))
        out["quotes"].append(len(record["quotes"]))
        out["events"].append(len(record["events"]))
        out["errors"].append(list(record["errors"]))
    return out
