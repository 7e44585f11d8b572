//! The Python package (`python/`): `python/tests/run.sh` builds the wheel with maturin into a
//! venv of its own (with pytest, pandas, Spark and Ray, installed from PyPI on first run),
//! installs it and runs `python/tests`: the records of `newsevents.Pipeline` against this
//! build's `newsevents extract`, bad inputs, threads, `fork()`, and the README's Python, Spark
//! (`local[2]`) and Ray (`num_cpus=2`) examples.

use std::process::Command;

#[test]
fn python_package_spark_and_ray() {
    let root = env!("CARGO_MANIFEST_DIR");
    let status = Command::new("bash")
        .arg(format!("{root}/python/tests/run.sh"))
        .env("NEWSEVENTS_CLI", env!("CARGO_BIN_EXE_newsevents"))
        .current_dir(root)
        .status()
        .expect("bash runs python/tests/run.sh");
    assert!(
        status.success(),
        "python/tests/run.sh failed: see its output above"
    );
}
