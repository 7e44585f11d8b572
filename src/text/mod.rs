//! Text preparation: words with code point offsets, sentences, subword encoding and windows.

mod encode;
mod interval;
mod sentences;
mod windows;
mod words;

pub use encode::{EncodeError, SubwordEncoder};
pub use interval::Interval;
pub use sentences::{split_sentences, Sentence};
pub use windows::{Window, WindowPlan};
pub use words::{split_words, CaseShape, Word};
