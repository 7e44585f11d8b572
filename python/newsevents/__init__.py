"""newsevents: who did what to whom, and who said what, in news articles.

The same pipeline as the ``newsevents`` command line (a BERT encoder with entity, quote and
syntax heads, and a linker that codes events in CAMEO and PLOVER), called from Python::

    import newsevents
    pipeline = newsevents.Pipeline()            # the shipped model, inside this package
    for record in pipeline.analyze(["Russia fired missiles at Syrian targets."]):
        for event in record["events"]:
            print(event["actor"]["text"], event["action"]["cameo"], event["target"]["text"])

Each record is a dict with the keys of ``newsevents extract``'s JSONL records (``id``,
``entities``, ``quotes``, ``events``, ``errors``, the input's other fields, and ``sentences``
with ``syntax=True``); ``json.dumps(record, ensure_ascii=False, separators=(",", ":"))``
gives the bytes ``extract`` writes. ``newsevents.spark`` and ``newsevents.ray`` run it on
Spark and Ray clusters.
"""

from __future__ import annotations

import json
import os
import warnings
from pathlib import Path
from typing import Any, Iterable, Iterator, List, Mapping, Optional, Sequence, Tuple, Union

from ._newsevents import Engine as _Engine
from ._newsevents import ModelError

__all__ = ["Pipeline", "ModelError", "default_model_path", "to_json"]
__version__ = "0.1.0"

#: What ``Pipeline.analyze`` takes: a text, or a record with ``"text"`` and usually ``"id"``.
Input = Union[str, bytes, Mapping[str, Any]]

_PACKAGED_MODEL = Path(__file__).resolve().parent / "model"


def default_model_path() -> Path:
    """The directory of the shipped model: ``$NEWSEVENTS_MODEL`` if set (as for the command
    line), else the copy inside this package, so it loads with no network."""
    override = os.environ.get("NEWSEVENTS_MODEL")
    return Path(override) if override else _PACKAGED_MODEL


def to_json(record: Mapping[str, Any]) -> str:
    """A record as ``newsevents extract`` writes it, one JSONL line without its newline."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


class Pipeline:
    """A loaded model and linker: turns news articles into records of entities, attributed
    quotes and CAMEO/PLOVER-coded events.

    Arguments (each as the command line's option of the same name):

    model
        ``"default"`` (the model shipped in this package, or ``$NEWSEVENTS_MODEL``), a model
        directory (config.json, model.safetensors or pytorch_model.bin, tokenizer.json), or a
        Hugging Face hub id ``owner/name[@revision]``, read from the cache under ``$HF_HOME``
        and fetched only when ``$HF_HUB_OFFLINE`` is not set.
    threads
        Threads of this pipeline's own pool (default: every core). On Spark and Ray give one
        per task or actor. The pool is made in the process that uses it, again after a
        ``fork()``, so a pipeline is safe in forked workers.
    precision
        ``"f32"``, ``"bf16"`` or ``"int8"`` for the encoder's dense layers; by default the
        fastest on this CPU family (``Pipeline.kernel`` says which was chosen).
    syntax
        Add each sentence's parse to the records (``sentences``: tokens with UPOS, lemma, head
        and relation).
    batch_size, window
        Windows per encoder call, and subword tokens per window (long articles are read in
        overlapping windows).
    actors, agents, verbs
        PETRARCH-format dictionaries (paths) that extend the built-in ones.

    Raises ``newsevents.ModelError`` when the model cannot be loaded, with the command line's
    message; ``ValueError`` for a bad option or an unreadable dictionary.

    Inputs: a ``str`` is one article's text (its id is ``input:N``, N its 1-based position);
    a dict is a record as a JSONL line holds it (``{"id", "text", ...}``: its other fields pass
    through into the record; values JSON cannot hold pass as their ``str()``). An input that
    cannot be read (no ``"text"``, a number, bytes that are not UTF-8) comes back as a record
    with an ``errors`` entry, never an exception: one record per input, in order.
    """

    def __init__(
        self,
        model: Union[str, os.PathLike] = "default",
        threads: Optional[int] = None,
        precision: Optional[str] = None,
        *,
        syntax: bool = False,
        batch_size: int = 16,
        window: int = 254,
        actors: Sequence[Union[str, os.PathLike]] = (),
        agents: Sequence[Union[str, os.PathLike]] = (),
        verbs: Sequence[Union[str, os.PathLike]] = (),
    ) -> None:
        spec = str(default_model_path()) if model == "default" else os.fspath(model)
        self._engine = _Engine(
            spec,
            threads=threads,
            precision=precision,
            syntax=syntax,
            batch_size=batch_size,
            window=window,
            actors=[os.fspath(p) for p in actors],
            agents=[os.fspath(p) for p in agents],
            verbs=[os.fspath(p) for p in verbs],
        )
        for line in self._engine.skipped_patterns:
            warnings.warn(f"skipped {line}", stacklevel=2)

    @property
    def kernel(self) -> str:
        """The kernel of the dense products (``f32-avx512``, ``bf16-avx512``, ``int8-vnni``,
        ``reference``)."""
        return self._engine.kernel

    @property
    def precision(self) -> str:
        """``f32``, ``bf16`` or ``int8``: the arithmetic of the chosen kernel."""
        return self._engine.precision

    @property
    def threads(self) -> int:
        """Threads of this pipeline's pool."""
        return self._engine.threads

    @property
    def model(self) -> str:
        """Where the model was loaded from."""
        return self._engine.model

    @property
    def tokens_read(self) -> int:
        """Subword tokens of all articles analysed so far (the benchmarks' unit)."""
        return self._engine.tokens_read

    def analyze(self, texts: Union[Input, Iterable[Input]]) -> List[dict]:
        """The records of ``texts`` (a list of strings or dicts, or one of them), one per
        input, in order. The GIL is released while the model runs."""
        return [json.loads(line) for line in self.analyze_json(texts)]

    def analyze_json(self, texts: Union[Input, Iterable[Input]], *, first: int = 1) -> List[str]:
        """As ``analyze``, but each record as the JSONL line ``newsevents extract`` writes
        (without its newline): no conversion to Python objects, the bytes of the command line.
        ``first`` numbers the inputs for the ids of those without one (``input:N``)."""
        if isinstance(texts, (str, bytes, Mapping)):
            texts = [texts]
        inputs = [_as_input(item) for item in texts]
        return self._engine.analyze_inputs(inputs, first)

    def analyze_iter(
        self, texts: Iterable[Input], batch_size: int = 64
    ) -> Iterator[dict]:
        """Streams the records of an iterable of any length, ``batch_size`` inputs per call
        into the model (so memory stays bounded), in input order."""
        for first, batch in _batches(texts, batch_size):
            for line in self.analyze_json(batch, first=first):
                yield json.loads(line)

    def __repr__(self) -> str:
        return (
            f"Pipeline(model={self.model!r}, threads={self.threads}, "
            f"precision={self.precision!r}, kernel={self.kernel!r})"
        )


def _batches(items: Iterable[Input], size: int) -> Iterator[Tuple[int, List[Input]]]:
    """Consecutive batches of at most ``size`` items, each with its first item's 1-based
    position."""
    if size < 1:
        raise ValueError("batch_size must be at least 1")
    batch: List[Input] = []
    first = 1
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield first, batch
            first += size
            batch = []
    if batch:
        yield first, batch


def _as_input(item: Any) -> Union[str, Tuple[Optional[str], str]]:
    """A JSON record for the engine, or ``(id, problem)`` for an input that cannot be one."""
    if isinstance(item, str):
        return json.dumps({"text": item}, ensure_ascii=False)
    if isinstance(item, (bytes, bytearray)):
        try:
            return json.dumps({"text": bytes(item).decode("utf-8")}, ensure_ascii=False)
        except UnicodeDecodeError as e:
            return (None, f"invalid UTF-8 at byte {e.start}")
    if isinstance(item, Mapping):
        try:
            return json.dumps(dict(item), ensure_ascii=False, default=str, allow_nan=False)
        except (TypeError, ValueError) as e:
            ident = item.get("id")
            ident = str(ident) if isinstance(ident, (str, int)) and not isinstance(ident, bool) else None
            return (ident, f"record cannot be written as JSON: {e}")
    return (None, f'expected a str or a dict with "text", not {type(item).__name__}')
