#!/usr/bin/env bash
# The Python package's tests: builds the wheel with maturin (release, as users build it),
# installs it into a venv of its own with pytest, Spark and Ray, and runs python/tests.
# `cargo test` runs this (tests/python.rs); by hand: bash python/tests/run.sh
#
# NEWSEVENTS_CLI: the `newsevents` binary whose records the package must reproduce
# (default: target/release/newsevents, built here if missing).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
work="$root/target/python-tests"
venv="$work/venv"
mkdir -p "$work"

# A fresh venv whenever the requirements change (and on a clean clone); else the last one,
# so a developer's second run does not download Spark and Ray again.
stamp=$(sha256sum python/tests/requirements.txt | cut -d' ' -f1)
if [[ ! -x "$venv/bin/python" || "$(cat "$venv/.requirements" 2>/dev/null)" != "$stamp" ]]; then
    rm -rf "$venv"
    "${PYTHON:-python3}" -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r python/tests/requirements.txt
    echo "$stamp" > "$venv/.requirements"
fi

rm -rf "$work/wheels"
"$venv/bin/maturin" build --release --locked --manifest-path python/Cargo.toml --out "$work/wheels"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps --force-reinstall "$work"/wheels/newsevents-*.whl

cli=${NEWSEVENTS_CLI:-$root/target/release/newsevents}
if [[ ! -x "$cli" ]]; then
    cargo build --release --locked
fi
# The venv first on PATH: Spark starts its Python workers as `python3`.
export PATH="$venv/bin:$PATH" PYSPARK_PYTHON="$venv/bin/python" PYSPARK_DRIVER_PYTHON="$venv/bin/python"
export NEWSEVENTS_CLI="$cli" NEWSEVENTS_REPO="$root"
# Out of the source tree, so `import newsevents` is the installed wheel, never python/newsevents.
cd "$work"
exec "$venv/bin/python" -m pytest -q -p no:cacheprovider "$root/python/tests" "$@"
