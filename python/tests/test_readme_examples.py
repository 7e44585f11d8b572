"""The README's section "Python, Spark and Ray": each example runs as written, in a folder
holding the shared articles, and writes exactly `newsevents extract`'s records (sorted by id
where the engine does not keep order): one per input, none lost or repeated."""

import json
import os
import re
import subprocess
import sys

import pytest

from conftest import REPO


def examples():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Python, Spark and Ray", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, flags=re.S)


@pytest.fixture(scope="module")
def folder(articles_file, tmp_path_factory):
    folder = tmp_path_factory.mktemp("readme")
    (folder / "articles.jsonl").write_bytes(articles_file.read_bytes())
    return folder


def run_example(code, folder, timeout):
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=folder, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    return done.stdout


def by_id(lines):
    return sorted(lines, key=lambda line: json.loads(line)["id"])


def test_the_readme_has_the_three_examples():
    assert len(examples()) == 3


def test_python_example(folder, cli_lines):
    printed = run_example(examples()[0], folder, timeout=300)
    assert printed.strip(), "the example prints the events of its sentence"
    written = (folder / "records.jsonl").read_text(encoding="utf-8").splitlines()
    assert written == cli_lines


def test_spark_example(folder, cli_lines):
    printed = run_example(examples()[1], folder, timeout=300)
    assert "cameo" in printed, "from_json with RECORD_SCHEMA types the events"
    parts = sorted((folder / "records-spark").glob("part-*"))
    assert len(parts) > 1, "several partitions"
    lines = [line for part in parts for line in part.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == len(cli_lines)
    assert by_id(lines) == by_id(cli_lines)


def test_ray_example(folder, cli_lines):
    run_example(examples()[2], folder, timeout=300)
    lines = (folder / "records-ray.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(cli_lines)
    assert by_id(lines) == by_id(cli_lines)
