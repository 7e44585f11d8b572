"""newsevents on Ray Data: a callable class for ``Dataset.map_batches``.

::

    import ray
    from newsevents.ray import Analyzer

    ray.init()
    articles = ray.data.read_json("dump.jsonl")               # columns id, text, ...
    pool = ray.data.ActorPoolStrategy(min_size=1, max_size=8)  # leave CPUs for reading
    records = articles.map_batches(Analyzer, compute=pool, num_cpus=1, batch_size=64)
    records.select_columns(["record"]).write_json("out/")

Each actor loads the model once, in ``__init__``; give each ``num_cpus`` cores and as many
``threads`` (default 1). The output columns are ``newsevents.spark.SCHEMA``'s: ``id``,
``record`` (the JSON record of ``newsevents extract``), ``entities``, ``quotes``, ``events``
(counts) and ``errors``.
"""

from __future__ import annotations

from typing import Any, Dict, Optional

from . import Pipeline
from ._columns import columns, inputs


class Analyzer:
    """Records of a batch of articles, for ``ray.data.Dataset.map_batches(Analyzer, ...)``
    on an actor pool (``compute=ray.data.ActorPoolStrategy(min_size=1, max_size=N)``; a
    fixed pool as large as the cluster leaves no CPU to read the input with, and waits).

    Takes batches as dicts of columns (Ray's default ``numpy`` format) or pandas DataFrames;
    returns a dict of columns, one row per input row, in order. ``model``, ``threads`` and
    ``precision`` are ``newsevents.Pipeline``'s."""

    def __init__(
        self,
        model: str = "default",
        *,
        threads: int = 1,
        precision: Optional[str] = None,
        text_column: str = "text",
        id_column: Optional[str] = "id",
        batch_size: int = 16,
    ) -> None:
        self.pipeline = Pipeline(model, threads=threads, precision=precision, batch_size=batch_size)
        self.text_column = text_column
        self.id_column = id_column

    def __call__(self, batch: Any) -> Dict[str, list]:
        texts = [_plain(t) for t in batch[self.text_column]]
        ids = None
        if self.id_column is not None:
            ids = [_plain(i) for i in batch[self.id_column]]
        return columns(self.pipeline.analyze_json(inputs(ids, texts)))


def _plain(value: Any) -> Any:
    """A numpy scalar as the Python value it holds."""
    return value.item() if hasattr(value, "item") and not isinstance(value, (str, bytes)) else value
