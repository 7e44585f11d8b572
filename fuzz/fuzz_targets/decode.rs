//! Constrained Viterbi span decoding on arbitrary probabilities, label sets and sentence cuts.
#![no_main]

#[path = "../../tests/invariants/mod.rs"]
mod invariants;

libfuzzer_sys::fuzz_target!(|data: &[u8]| invariants::decode(data));
