//! Replays every input the fuzzers (`fuzz/`) ever failed on through the same invariant
//! checks, on the stable toolchain, on every `cargo test`: `fuzz/regressions/<target>/`.

mod invariants;

use newsevents::text::SubwordEncoder;
use std::path::{Path, PathBuf};

fn cases(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/regressions")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{} holds no cases", dir.display());
    files
}

fn replay(target: &str, check: impl Fn(&[u8])) {
    for path in cases(target) {
        let data = std::fs::read(&path).unwrap();
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(&data)));
        assert!(result.is_ok(), "{} fails again", path.display());
    }
}

#[test]
fn jsonl_regressions() {
    replay("jsonl", invariants::jsonl);
}

#[test]
fn offsets_regressions() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("models/default/tokenizer.json");
    let encoder = SubwordEncoder::from_file(&path).unwrap();
    replay("offsets", |data| invariants::offsets(data, &encoder));
}

#[test]
fn decode_regressions() {
    replay("decode", invariants::decode);
}
