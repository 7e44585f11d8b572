//! From per-word label scores to labelled spans: BIO label sets, constrained Viterbi decoding.

mod bio;
mod decode;

pub use bio::{BioLabel, LabelSet};
pub use decode::{decode_spans, decode_spans_within, LabeledSpan};
