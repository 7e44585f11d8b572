"""newsevents.Pipeline against the command line: same records, bad inputs, the model, threads
and fork()."""

import json
import os
import signal

import pytest

import newsevents
from conftest import CLI, REPO, run_cli


@pytest.fixture(scope="module")
def pipeline():
    return newsevents.Pipeline(threads=2)


def test_records_are_the_command_lines_bytes(pipeline, articles, cli_lines):
    assert len(cli_lines) == len(articles)
    assert pipeline.analyze_json(articles) == cli_lines
    # As dicts: the same records once written back as JSON.
    assert [newsevents.to_json(r) for r in pipeline.analyze(articles[:40])] == cli_lines[:40]


def test_records_carry_input_fields_and_unicode(pipeline, tmp_path):
    records = [
        {"id": "u1", "text": "“We will not retreat,” Kenya’s president said in Nairobi.", "source": "wire", "n": 3},
        {"id": 17, "text": "Rebels seized the town of Kafr Nabl on Monday.", "quotes": ["a gold list"]},
        {"id": "e1", "text": ""},
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    expected = run_cli("--threads", 2, "extract", path).splitlines()
    got = pipeline.analyze_json(records)
    assert got == expected
    parsed = [json.loads(line) for line in got]
    assert parsed[0]["source"] == "wire" and parsed[0]["n"] == 3
    assert parsed[1]["id"] == "17" and parsed[1]["input_quotes"] == ["a gold list"]
    assert parsed[2]["errors"] == ["empty text: nothing to analyse"]


def test_a_plain_text_is_one_article_named_by_its_place(pipeline):
    text = (REPO / "examples" / "border-clash.txt").read_text(encoding="utf-8")
    from_cli = json.loads(run_cli("--threads", 2, "extract", REPO / "examples" / "border-clash.txt"))
    record = pipeline.analyze(text)[0]
    assert record["id"] == "input:1"
    del record["id"], from_cli["id"]
    assert record == from_cli
    assert record["events"], "the example article has events"


def test_bad_inputs_come_back_as_records_with_errors(pipeline):
    inputs = ["Rebels seized the town.", {"id": "no-text"}, 42, b"\xff\xfe", {"text": 5}, {"id": "ok", "text": "Fine."}]
    records = pipeline.analyze(inputs)
    assert [r["id"] for r in records] == ["input:1", "no-text", "input:3", "input:4", "input:5", "ok"]
    assert records[0]["errors"] == [] and records[5]["errors"] == []
    assert records[1]["errors"] == ['input:2: record has no "text"']
    assert records[2]["errors"] == ['input:3: expected a str or a dict with "text", not int']
    assert records[3]["errors"] == ["input:4: invalid UTF-8 at byte 0"]
    assert records[4]["errors"] == ['input:5: "text" is not a string']


def test_analyze_iter_streams_in_order_with_running_positions(pipeline, articles, cli_lines):
    texts = ["Rebels seized the town."] * 5
    assert [r["id"] for r in pipeline.analyze_iter(texts, batch_size=2)] == [f"input:{i}" for i in range(1, 6)]
    streamed = (newsevents.to_json(r) for r in pipeline.analyze_iter(iter(articles[:50]), batch_size=7))
    assert list(streamed) == cli_lines[:50]
    with pytest.raises(ValueError):
        next(pipeline.analyze_iter(texts, batch_size=0))


def test_threads_do_not_change_the_records(articles, cli_lines):
    one = newsevents.Pipeline(threads=1)
    assert one.threads == 1
    assert one.analyze_json(articles[:60]) == cli_lines[:60]


def test_syntax_adds_the_parse(articles):
    pipeline = newsevents.Pipeline(threads=2, syntax=True)
    record = pipeline.analyze(articles[0])[0]
    tokens = record["sentences"][0]["tokens"]
    assert {"upos", "lemma", "head", "deprel"} <= set(tokens[0])
    assert sum(t["head"] == -1 for t in tokens) == 1


def test_a_missing_model_raises_model_error_with_the_cli_message(tmp_path):
    with pytest.raises(newsevents.ModelError, match="model directory not found"):
        newsevents.Pipeline(tmp_path / "nothing-here")


def test_a_hub_id_loads_from_the_cache_under_hf_home_offline(tmp_path, monkeypatch, articles, cli_lines):
    # The hub cache layout hf-hub reads: refs/main names the snapshot that holds the files.
    commit = "0123456789abcdef0123456789abcdef01234567"
    repo = tmp_path / "hub" / "models--acme--newsevents-default"
    snapshot = repo / "snapshots" / commit
    snapshot.mkdir(parents=True)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text(commit)
    for name in ("config.json", "model.safetensors", "tokenizer.json", "lemmas.tsv"):
        (snapshot / name).symlink_to(newsevents.default_model_path() / name)
    monkeypatch.setenv("HF_HOME", str(tmp_path))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    pipeline = newsevents.Pipeline("acme/newsevents-default", threads=2)
    assert pipeline.model == "acme/newsevents-default@main"
    assert pipeline.analyze_json(articles[:5]) == cli_lines[:5]


def test_an_uncached_hub_model_offline_raises_model_error(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HOME", str(tmp_path))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(newsevents.ModelError, match="loading model"):
        newsevents.Pipeline("someone/not-cached")


def test_bad_options_raise_value_error(tmp_path):
    with pytest.raises(ValueError, match="precision"):
        newsevents.Pipeline(precision="fp8")
    with pytest.raises(ValueError, match="threads"):
        newsevents.Pipeline(threads=0)
    with pytest.raises(ValueError, match="reading dictionaries"):
        newsevents.Pipeline(actors=[tmp_path / "missing.actors.txt"])


def test_precision_and_kernel_are_reported():
    pipeline = newsevents.Pipeline(threads=1, precision="f32")
    assert pipeline.precision == "f32"
    assert pipeline.kernel in ("f32-avx512", "reference")
    assert "kernel=" in repr(pipeline)


def test_the_default_model_is_the_one_inside_the_package():
    assert (newsevents.default_model_path() / "model.safetensors").is_file()
    assert os.path.dirname(newsevents.__file__) in str(newsevents.default_model_path())


def test_a_forked_child_gets_its_own_threads(pipeline, articles, cli_lines):
    # The parent has used its pool; a child of fork() has none of its threads. Before the
    # per-process pool, the child would wait forever on them.
    assert pipeline.analyze_json(articles[:3]) == cli_lines[:3]
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(read)
            signal.alarm(120)
            lines = pipeline.analyze_json(articles[3:8])
            os.write(write, json.dumps(lines).encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as f:
        got = f.read()
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status) and not os.WIFSIGNALED(status)
    assert json.loads(got) == cli_lines[3:8]


def test_help_teaches():
    doc = newsevents.Pipeline.__doc__
    for word in ("model", "threads", "precision", "ModelError", "errors", "HF_HUB_OFFLINE"):
        assert word in doc
    assert newsevents.Pipeline.analyze.__doc__ and newsevents.Pipeline.analyze_iter.__doc__
