"""newsevents on Spark: records of a DataFrame of articles with ``mapInPandas``.

::

    from pyspark.sql import SparkSession
    import newsevents.spark

    spark = SparkSession.builder.master("local[2]").getOrCreate()
    articles = spark.read.json("dump.jsonl")                  # columns id, text, ...
    records = articles.mapInPandas(newsevents.spark.analyze_partitions(), newsevents.spark.SCHEMA)
    records.select("record").write.text("out/")               # the JSONL of `newsevents extract`
    events = records.selectExpr(f"from_json(record, '{newsevents.spark.RECORD_SCHEMA}') AS r")

Each Python worker loads the model once (on its first batch, not in the driver) and keeps it
for the tasks it runs; each pipeline has its own thread pool of ``threads`` (default one per
task, as Spark schedules one task per core), made in the worker process itself: Rust thread
pools do not survive ``fork()``, and Spark forks its Python workers.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Iterator, Optional, Tuple

from . import Pipeline
from ._columns import COLUMNS, columns, inputs

#: The output schema of ``analyze_partitions`` (a DDL string for ``mapInPandas``):
#: ``id`` the record's id, ``record`` the JSON record exactly as ``newsevents extract``
#: writes it, ``entities``/``quotes``/``events`` how many the record holds, ``errors`` what
#: went wrong with the input (empty when nothing did).
SCHEMA = ", ".join(f"{name} {kind}" for name, kind in COLUMNS)

_SPAN = "start: bigint, end: bigint, text: string"
_PARTICIPANT = f"struct<{_SPAN}, code: string, entity: bigint>"

#: The record's fields as a DDL type for ``from_json(record, RECORD_SCHEMA)``: typed access to
#: every entity, quote and event (the input's passed-through fields are left out).
RECORD_SCHEMA = (
    "id string, "
    f"entities array<struct<{_SPAN}, label: string, score: double>>, "
    "quotes array<struct<"
    f"content: struct<{_SPAN}>, source: struct<{_SPAN}, entity: bigint>, "
    f"cue: struct<{_SPAN}>, direct: boolean, score: double>>, "
    "events array<struct<"
    f"actor: {_PARTICIPANT}, "
    f"action: struct<{_SPAN}, cameo: string, root: string, plover: string>, "
    f"target: {_PARTICIPANT}, "
    "sentence: struct<start: bigint, end: bigint>, quote: bigint, negated: boolean, "
    "modality: string, score: double>>, "
    "errors array<string>"
)

# One pipeline per worker process and settings: Spark runs many tasks in one Python worker.
_PIPELINES: Dict[Tuple, Pipeline] = {}


def _pipeline(key: Tuple, settings: Dict[str, Any]) -> Pipeline:
    pipeline = _PIPELINES.get(key)
    if pipeline is None:
        pipeline = _PIPELINES[key] = Pipeline(**settings)
    return pipeline


def analyze_partitions(
    model: str = "default",
    *,
    threads: int = 1,
    precision: Optional[str] = None,
    text_column: str = "text",
    id_column: Optional[str] = "id",
    batch_size: int = 16,
) -> Callable[[Iterator[Any]], Iterator[Any]]:
    """A function for ``DataFrame.mapInPandas(fn, newsevents.spark.SCHEMA)``: one output row
    per input row (see ``SCHEMA``), in order within each batch.

    ``model``, ``threads`` and ``precision`` are ``newsevents.Pipeline``'s; the model must be
    readable on every worker (the default is inside the package). ``id_column=None`` names
    each record by its place in its batch (``input:N``), which repeats across batches: give
    ids for output you mean to join or resume."""
    settings = dict(model=model, threads=threads, precision=precision, batch_size=batch_size)
    key = tuple(sorted(settings.items()))

    def analyze(batches: Iterator[Any]) -> Iterator[Any]:
        import pandas as pd

        pipeline = _pipeline(key, settings)
        for frame in batches:
            ids = frame[id_column] if id_column is not None else None
            lines = pipeline.analyze_json(inputs(ids, frame[text_column]))
            yield pd.DataFrame(columns(lines), columns=[name for name, _ in COLUMNS])

    return analyze
