//! From spans to records: quotes attributed to speakers, actor-action-target events.

use crate::document::Document;
use crate::record::{Entity, Event, Quote};
use crate::tagging::LabeledSpan;

/// The quote head's spans of one document, by role (word ranges).
#[derive(Debug, Clone, Default)]
pub struct QuoteSpans {
    pub contents: Vec<LabeledSpan>,
    pub sources: Vec<LabeledSpan>,
    pub cues: Vec<LabeledSpan>,
}

impl QuoteSpans {
    pub fn from_labeled(spans: Vec<LabeledSpan>) -> QuoteSpans {
        let mut out = QuoteSpans::default();
        for s in spans {
            match s.label.to_ascii_uppercase().as_str() {
                "CONTENT" => out.contents.push(s),
                "SOURCE" => out.sources.push(s),
                "CUE" => out.cues.push(s),
                _ => {}
            }
        }
        out
    }
}

/// Links spans into quotes and events.
#[derive(Debug, Clone, Default)]
pub struct Linker {}

impl Linker {
    pub fn link(&self, _doc: &Document, _entities: &[Entity], _quotes: &QuoteSpans) -> (Vec<Quote>, Vec<Event>) {
        (Vec::new(), Vec::new())
    }
}
