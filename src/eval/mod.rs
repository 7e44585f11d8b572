//! Scoring predictions against gold: strict span metrics, quote and event scores, syntax
//! (UPOS, lemma, UAS, LAS), reports.

pub mod coref;
pub mod events;
pub mod gold;
mod heads;
pub mod parse;
pub mod quotes;
mod spans;

pub use coref::{score_coref, CorefScores};
pub use events::{score_petrarch, EventScores};
pub use gold::{score_analyses, score_linker_on_gold, GoldRecord, GoldReport};
pub use heads::score_head;
pub use parse::{score_parse, ParseScores};
pub use spans::{bio_spans, SpanScores, TypeScores};
