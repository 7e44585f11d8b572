//! The JSONL reader on arbitrary bytes, plain and gzipped.
#![no_main]

#[path = "../../tests/invariants/mod.rs"]
mod invariants;

libfuzzer_sys::fuzz_target!(|data: &[u8]| invariants::jsonl(data));
