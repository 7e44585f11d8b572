"""The Spark and Ray adapters without a cluster: the columns they give, and the schemas."""

import json

import numpy as np
import pandas as pd
import pytest

import newsevents.spark
from newsevents.ray import Analyzer


def test_spark_function_gives_one_row_per_input_with_typed_columns(cli_lines, articles):
    frames = [pd.DataFrame(articles[:5]), pd.DataFrame(articles[5:9])]
    out = list(newsevents.spark.analyze_partitions(threads=2)(iter(frames)))
    assert [len(f) for f in out] == [5, 4]
    frame = pd.concat(out)
    assert list(frame.columns) == [c.split()[0] for c in newsevents.spark.SCHEMA.split(", ")]
    assert list(frame["record"]) == cli_lines[:9]
    first = json.loads(cli_lines[0])
    assert frame["events"].iloc[0] == len(first["events"])
    assert list(frame["errors"].iloc[0]) == []


def test_missing_text_and_id_are_bad_records_not_exceptions():
    frame = pd.DataFrame({"id": ["a", None, "c"], "text": ["Rebels seized the town.", "Fine.", None]})
    out = next(newsevents.spark.analyze_partitions(threads=1)(iter([frame])))
    assert list(out["id"]) == ["a", "input:2", "c"]
    assert list(out["errors"].iloc[2]) == ['input:3: record has no "text"']


def test_ray_analyzer_takes_numpy_and_pandas_batches(cli_lines, articles):
    analyzer = Analyzer(threads=2)
    numpy_batch = {
        "id": np.array([a["id"] for a in articles[:4]], dtype=object),
        "text": np.array([a["text"] for a in articles[:4]]),
    }
    assert analyzer(numpy_batch)["record"] == cli_lines[:4]
    assert analyzer(pd.DataFrame(articles[:4]))["record"] == cli_lines[:4]


def test_the_record_schema_names_every_field_of_a_record():
    for field in ("entities", "quotes", "events", "errors", "actor", "target", "cameo", "plover", "modality"):
        assert field in newsevents.spark.RECORD_SCHEMA


def test_the_spark_function_loads_nothing_in_the_driver():
    # The model is loaded by the worker's first batch: the driver pickles only settings.
    before = dict(newsevents.spark._PIPELINES)
    fn = newsevents.spark.analyze_partitions(threads=1, batch_size=3)
    assert newsevents.spark._PIPELINES == before
    next(fn(iter([pd.DataFrame({"id": ["x"], "text": ["Rebels seized the town."]})])))
    assert len(newsevents.spark._PIPELINES) == len(before) + 1
