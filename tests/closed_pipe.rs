//! A closed pipe (`newsevents extract dump.jsonl | head`) is a normal, silent end: status 0,
//! nothing on stderr, as in ripgrep.

mod common;

use common::{write_tiny_model, Layout};
use std::process::{Command, Stdio};

#[test]
fn extract_into_a_closed_pipe_ends_silently_with_status_0() {
    let model = tempfile::tempdir().unwrap();
    write_tiny_model(model.path(), Layout::Ours, 3);
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("dump.jsonl");
    let lines: Vec<String> = (0..200)
        .map(|i| {
            serde_json::json!({"id": format!("a{i}"), "text": "Russia fired missiles at Syria, officials said."})
                .to_string()
        })
        .collect();
    std::fs::write(&input, lines.join("\n")).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_newsevents"))
        .arg("extract")
        .arg("--model")
        .arg(model.path())
        .arg(&input)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Close the reading end before the first record is written, as `head` does after its lines.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "stderr: {stderr}");
    assert!(stderr.is_empty(), "stderr: {stderr}");
}

#[test]
fn a_run_that_finishes_prints_nothing_on_stderr_unless_asked_for_stats() {
    let model = tempfile::tempdir().unwrap();
    write_tiny_model(model.path(), Layout::Ours, 4);
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("a1.txt");
    std::fs::write(&input, "Russia fired missiles at Syria, officials said.").unwrap();
    let run = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_newsevents"))
            .arg("extract")
            .arg("--model")
            .arg(model.path())
            .args(extra)
            .arg(&input)
            .output()
            .unwrap()
    };
    let quiet = run(&[]);
    assert!(quiet.status.success());
    assert_eq!(String::from_utf8_lossy(&quiet.stdout).lines().count(), 1);
    assert!(
        quiet.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&quiet.stderr)
    );
    let stats = run(&["--stats"]);
    let stderr = String::from_utf8_lossy(&stats.stderr);
    assert!(
        stderr.contains("1 articles, ") && stderr.contains("tokens/s"),
        "{stderr}"
    );
}
