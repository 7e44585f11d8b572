//! The event rules' regression suite: each line of `tests/fixtures/events.jsonl` is a composed
//! sentence with the events the shipped model and linker must write for it (actor, action and
//! target as text; a null target must be absent) and, under `absent`, events it must not
//! write. A new rule adds a line.

mod common;

use std::path::Path;

use serde_json::Value;

/// Whether a predicted role's text agrees with the expected one: the same words, or the
/// expected name inside a longer phrase ("Dhaka" in "Dhaka’s cooperation").
fn agrees(predicted: &Value, expected: &Value) -> bool {
    match (
        predicted.get("text").and_then(Value::as_str),
        expected.as_str(),
    ) {
        (None, None) => predicted.is_null(),
        (Some(p), Some(e)) => p.contains(e),
        _ => false,
    }
}

#[test]
fn every_sentence_of_the_suite_gets_its_events() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/events.jsonl");
    let cases: Vec<Value> = std::fs::read_to_string(&path)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let input: String = cases
        .iter()
        .enumerate()
        .map(|(i, c)| {
            format!(
                "{}\n",
                serde_json::json!({"id": i.to_string(), "text": c["text"]})
            )
        })
        .collect();
    let out = common::newsevents(&["extract", "-"], &input);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let records: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), cases.len());
    let mut failures = Vec::new();
    for (case, record) in cases.iter().zip(&records) {
        let events = record["events"].as_array().unwrap();
        let written = |want: &Value| {
            events.iter().any(|e| {
                e["action"]["text"] == want["action"]
                    && agrees(&e["actor"], &want["actor"])
                    && agrees(&e["target"], &want["target"])
            })
        };
        for unwanted in case["absent"].as_array().into_iter().flatten() {
            if written(unwanted) {
                failures.push(format!(
                    "{} ({}): wrote {unwanted}: {}",
                    case["text"], case["rule"], record["events"]
                ));
            }
        }
        for want in case["events"].as_array().unwrap() {
            if !written(want) {
                failures.push(format!(
                    "{} ({}): no event {want}; written: {}",
                    case["text"], case["rule"], record["events"]
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
