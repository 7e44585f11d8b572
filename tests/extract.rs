//! `newsevents extract` end to end on a tiny random model: every good record written once with
//! code point offsets, bad records reported by file and line, long articles read to the end.

mod common;

use common::{write_tiny_model, Layout};
use serde_json::Value;
use std::path::Path;

fn extract(model: &Path, args: &[&str], stdin: Option<&str>) -> (bool, Vec<Value>, String) {
    let model = model.to_str().unwrap();
    let all: Vec<&str> = ["extract", "--model", model]
        .into_iter()
        .chain(args.iter().copied())
        .collect();
    let out = common::newsevents(&all, stdin.unwrap_or(""));
    let records = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (
        out.status.success(),
        records,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `text[start:end]` in code points, as Python slices.
fn slice(text: &str, start: u64, end: u64) -> String {
    text.chars()
        .skip(start as usize)
        .take((end - start) as usize)
        .collect()
}

fn check_offsets(record: &Value, text: &str) {
    for e in record["entities"].as_array().unwrap() {
        let s = slice(
            text,
            e["start"].as_u64().unwrap(),
            e["end"].as_u64().unwrap(),
        );
        assert_eq!(s, e["text"].as_str().unwrap());
    }
}

#[test]
fn jsonl_with_bad_lines_keeps_every_good_record() {
    let model = tempfile::tempdir().unwrap();
    write_tiny_model(model.path(), Layout::Ours, 11);
    let dir = tempfile::tempdir().unwrap();
    let emoji = "Café “Zürich” 😀 — Russia fired missiles at Syrian targets.\r\nHe said: ‘no’.";
    let long = "Pentagon officials said Russia fired missiles at Aleppo. ".repeat(400);
    let lines = [
        serde_json::json!({"id": "seed", "text": TEXT, "source": "wire"}).to_string(),
        "{this is not json".to_string(),
        serde_json::json!({"id": "empty", "text": ""}).to_string(),
        serde_json::json!({"id": "emoji", "text": emoji}).to_string(),
        serde_json::json!({"id": "notext"}).to_string(),
        serde_json::json!({"id": "long", "text": long}).to_string(),
    ];
    let input = dir.path().join("in.jsonl");
    std::fs::write(&input, lines.join("\n") + "\n").unwrap();
    let (ok, records, stderr) = extract(model.path(), &[input.to_str().unwrap()], None);
    assert!(ok, "{stderr}");
    assert!(stderr.contains("in.jsonl:2: malformed JSON"), "{stderr}");
    assert!(
        stderr.contains("in.jsonl:5: record has no \"text\""),
        "{stderr}"
    );
    let ids: Vec<&str> = records.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, vec!["notext", "seed", "empty", "emoji", "long"]);
    let seed = &records[1];
    assert_eq!(seed["source"], "wire", "extra fields pass through");
    assert_eq!(seed["quotes"], serde_json::json!([]));
    check_offsets(seed, TEXT);
    check_offsets(&records[3], emoji);
    check_offsets(&records[4], &long);
    assert!(records[0]["errors"][0]
        .as_str()
        .unwrap()
        .contains("no \"text\""));
    assert!(records[2]["errors"][0].as_str().unwrap().contains("empty"));

    let (strict_ok, _, _) = extract(model.path(), &["--strict", input.to_str().unwrap()], None);
    assert!(!strict_ok, "--strict fails when a record was bad");
}

#[test]
fn stdin_text_and_directories() {
    let model = tempfile::tempdir().unwrap();
    write_tiny_model(model.path(), Layout::HuggingFace, 5);
    let (ok, records, _) = extract(model.path(), &["-"], Some(TEXT));
    assert!(ok);
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["id"], "stdin");

    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("sub")).unwrap();
    std::fs::write(dir.path().join("a.txt"), TEXT).unwrap();
    std::fs::write(dir.path().join("sub/b.txt"), "Russia fired.").unwrap();
    std::fs::write(dir.path().join("sub/bad.txt"), b"\xff\xfe binary").unwrap();
    std::fs::write(dir.path().join("notes.md"), "ignored").unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut gz, b"{\"id\": \"z1\", \"text\": \"Iran said.\"}\n").unwrap();
    std::fs::write(dir.path().join("sub/c.jsonl.gz"), gz.finish().unwrap()).unwrap();
    let (ok, records, stderr) = extract(model.path(), &[dir.path().to_str().unwrap()], None);
    assert!(ok);
    let mut ids: Vec<&str> = records.iter().map(|r| r["id"].as_str().unwrap()).collect();
    ids.sort();
    assert_eq!(ids, vec!["a", "b", "bad", "z1"]);
    assert!(
        stderr.contains("bad.txt: invalid UTF-8 at byte 0"),
        "{stderr}"
    );
}

#[test]
fn resume_writes_each_record_once() {
    let model = tempfile::tempdir().unwrap();
    write_tiny_model(model.path(), Layout::HuggingFace, 5);
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    let lines: Vec<String> = (0..10)
        .map(|i| serde_json::json!({"id": format!("a{i}"), "text": TEXT}).to_string())
        .collect();
    std::fs::write(&input, lines.join("\n")).unwrap();
    let out = dir.path().join("out.jsonl");
    // An interrupted earlier run: three whole records and a torn fourth.
    let (_, records, _) = extract(model.path(), &[input.to_str().unwrap()], None);
    let partial: String = records[..3]
        .iter()
        .map(|r| r.to_string() + "\n")
        .collect::<String>()
        + "{\"id\":\"a3\",\"ent";
    std::fs::write(&out, partial).unwrap();
    let (ok, _, stderr) = extract(
        model.path(),
        &[
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--resume",
        ],
        None,
    );
    assert!(ok, "{stderr}");
    let written: Vec<Value> = std::fs::read_to_string(&out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let ids: Vec<&str> = written.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, (0..10).map(|i| format!("a{i}")).collect::<Vec<_>>());
}

const TEXT: &str = "Several of the long-range cruise missiles that Russian Federation fired at Syrian targets landed instead in Iran, Pentagon officials said Thursday.";

#[test]
fn shards_of_one_two_and_three_cover_the_input_exactly_once() {
    let model = tempfile::tempdir().unwrap();
    write_tiny_model(model.path(), Layout::Ours, 12);
    let dir = tempfile::tempdir().unwrap();
    let mut lines: Vec<String> = (0..30)
        .map(|i| {
            serde_json::json!({"id": format!("a{i}"), "text": "Russia fired missiles at Aleppo."})
                .to_string()
        })
        .collect();
    lines.push(serde_json::json!({"id": "bad"}).to_string());
    let input = dir.path().join("in.jsonl");
    std::fs::write(&input, lines.join("\n") + "\n").unwrap();
    let mut all: Vec<String> = (0..30).map(|i| format!("a{i}")).collect();
    all.push("bad".into());
    all.sort();
    for n in 1..=3 {
        let mut ids = Vec::new();
        for k in 1..=n {
            let shard = format!("{k}/{n}");
            let (ok, records, stderr) = extract(
                model.path(),
                &[input.to_str().unwrap(), "--shard", &shard],
                None,
            );
            assert!(ok, "{stderr}");
            if n > 1 {
                assert!(records.len() < all.len(), "shard {shard} took everything");
            }
            ids.extend(
                records
                    .iter()
                    .map(|r| r["id"].as_str().unwrap().to_string()),
            );
        }
        ids.sort();
        assert_eq!(ids, all, "the {n} shards together");
    }
    let (ok, _, stderr) = extract(
        model.path(),
        &[input.to_str().unwrap(), "--shard", "4/3"],
        None,
    );
    assert!(!ok && stderr.contains("K/N"), "{stderr}");
}
