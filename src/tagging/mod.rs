//! From per-word label scores to labels: BIO label sets and constrained Viterbi decoding to
//! spans, lemma edit scripts, arc scores to dependency trees.

mod bio;
mod decode;
mod lemma;
mod tree;

pub use bio::{BioLabel, LabelSet};
pub use decode::{decode_spans, decode_spans_within, LabeledSpan};
pub use lemma::{LemmaLexicon, LemmaScript};
pub use tree::{best_tree, is_tree, ArcScores};
