"""Shared inputs: a few hundred articles (the gold paragraphs the repository ships, each twice
under two ids) and the records `newsevents extract` writes for them."""

import json
import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(os.environ.get("NEWSEVENTS_REPO", Path(__file__).resolve().parents[2]))
CLI = os.environ.get("NEWSEVENTS_CLI", str(REPO / "target" / "release" / "newsevents"))


def run_cli(*args, cwd=None):
    """Runs the command line; returns its stdout, failing the test on a non-zero exit."""
    done = subprocess.run([CLI, *map(str, args)], cwd=cwd, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="session")
def articles():
    """298 records {"id", "text"}: the gold paragraphs, then each again as `ID-again`."""
    gold = []
    for name in ("test.jsonl", "dev.jsonl"):
        with open(REPO / "datasets" / "gold" / name, encoding="utf-8") as f:
            gold.extend(json.loads(line) for line in f if line.strip())
    first = [{"id": r["id"], "text": r["text"]} for r in gold]
    return first + [{"id": r["id"] + "-again", "text": r["text"]} for r in gold]


@pytest.fixture(scope="session")
def articles_file(articles, tmp_path_factory):
    path = tmp_path_factory.mktemp("inputs") / "articles.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        for record in articles:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


@pytest.fixture(scope="session")
def cli_lines(articles_file):
    """The JSONL lines of `newsevents extract` over `articles_file`, in input order."""
    return run_cli("--threads", 2, "extract", articles_file).splitlines()
