//! Scoring predictions against gold: strict span metrics, quote and event scores, reports.

mod heads;
pub mod quotes;
mod spans;

pub use heads::score_head;
pub use spans::{bio_spans, SpanScores, TypeScores};
