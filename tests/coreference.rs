//! Pronouns resolved over the shipped model's parse: `eval coref` on a composed CorefUD
//! document, and a pronoun actor coded from an antecedent that has no name.

mod common;

use common::newsevents;
use std::path::Path;

#[test]
fn eval_coref_scores_each_third_person_pronoun_mentioned_before() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/coref.conllu");
    let out = newsevents(
        &["eval", "coref", "--json", "--data", data.to_str().unwrap()],
        "",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // She, them, It, they, her: each refers back to an entity of an earlier sentence; the
    // agreeing antecedents are unambiguous (a woman named, plural ministers, a ministry).
    assert_eq!(report["pronouns"], 5, "{report}");
    assert_eq!(report["right"], 5, "{report}");
}

#[test]
fn a_pronoun_actor_takes_the_code_of_an_antecedent_without_a_name() {
    let record = r#"{"id": "a", "text": "The Sudanese army said on Wednesday it had targeted RSF positions in Nyala."}"#;
    let out = newsevents(&["extract", "-"], record);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let record: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let events = record["events"].as_array().unwrap();
    let targeted = events
        .iter()
        .find(|e| e["action"]["text"] == "targeted")
        .unwrap_or_else(|| panic!("no event for 'targeted': {record}"));
    assert_eq!(targeted["actor"]["text"], "it", "{record}");
    assert_eq!(targeted["actor"]["code"], "SDNMIL", "{record}");
}
