//! Arbitrary text through words, code points, sentences, subwords (the shipped tokenizer),
//! windows and segments.
#![no_main]

#[path = "../../tests/invariants/mod.rs"]
mod invariants;

use newsevents::text::SubwordEncoder;
use std::sync::OnceLock;

fn encoder() -> &'static SubwordEncoder {
    static ENCODER: OnceLock<SubwordEncoder> = OnceLock::new();
    ENCODER.get_or_init(|| {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../models/default/tokenizer.json");
        SubwordEncoder::from_file(std::path::Path::new(path)).expect("shipped tokenizer loads")
    })
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| invariants::offsets(data, encoder()));
