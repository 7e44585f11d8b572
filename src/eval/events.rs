//! Event coding on PETRARCH validation records: precision and recall of (source code, target
//! code, CAMEO root) triples, micro-averaged over the records.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::io::petrarch::PetrarchRecord;
use crate::linking::lexicon::{cameo_root, Date};
use crate::linking::{LinkOptions, Linker, QuoteSpans};
use crate::pipeline::Reading;
use crate::text::{split_sentences, split_words, WindowPlan};

/// Triple counts with precision, recall and F1.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct TripleScores {
    pub gold: usize,
    pub predicted: usize,
    pub correct: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl TripleScores {
    fn add(&mut self, gold: usize, predicted: usize, correct: usize) {
        self.gold += gold;
        self.predicted += predicted;
        self.correct += correct;
        self.precision = if self.predicted == 0 {
            0.0
        } else {
            self.correct as f64 / self.predicted as f64
        };
        self.recall = if self.gold == 0 {
            0.0
        } else {
            self.correct as f64 / self.gold as f64
        };
        let (p, r) = (self.precision, self.recall);
        self.f1 = if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        };
    }
}

/// Scores over all records and per record category (DEMO, AGENT, COMPOUND ...).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct EventScores {
    pub records: usize,
    /// Events with a coded actor and target (PETRARCH's `require_dyad`).
    #[serde(flatten)]
    pub total: TripleScores,
    /// Every event written, an event without an actor or target code counting with an empty
    /// code (so against precision): the linker issue's scoring.
    pub all_events: TripleScores,
    pub categories: BTreeMap<String, TripleScores>,
}

/// A (source, target, root) triple.
pub type Triple = (String, String, String);

/// An actor code as PETRARCH compares it: upper case, without the "---" that stands for an
/// unknown country ("---GOV" -> "GOV"); "---" alone is no actor.
fn normalize(code: &str) -> String {
    let code = code.trim().trim_matches('"').to_uppercase();
    code.trim_start_matches("---").to_string()
}

/// The gold triples of a record.
pub fn gold_triples(record: &PetrarchRecord) -> BTreeSet<Triple> {
    record
        .codings
        .iter()
        .map(|c| {
            (
                normalize(&c.source),
                normalize(&c.target),
                cameo_root(c.event.trim()).to_string(),
            )
        })
        .collect()
}

/// The linker's triples for a record. Like PETRARCH (`require_dyad`), only events with both a
/// coded actor and a coded target count; a code naming several actors ("FRO/BIL") gives one
/// triple per actor, and a paired code ("042:043") gives the target's event in return too.
pub fn predicted_triples(
    linker: &Linker,
    reading: &Reading,
    record: &PetrarchRecord,
) -> BTreeSet<Triple> {
    triples(&coded_events(linker, reading, record), Written::Dyads)
}

/// Every event the linker writes for a record as a triple, a missing code as an empty one (what
/// the all-events score counts).
pub fn written_triples(
    linker: &Linker,
    reading: &Reading,
    record: &PetrarchRecord,
) -> BTreeSet<Triple> {
    triples(&coded_events(linker, reading, record), Written::All)
}

/// Which events written count as triples.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Written {
    /// Only events with a coded actor and a coded target, as PETRARCH's `require_dyad`.
    Dyads,
    /// Every event: a missing actor or target code is an empty code, so an event without an
    /// actor code counts against precision (how the linker issue, #17, scores its bar).
    All,
}

/// The linker's events for a record, from what the model read in its text (entities and, with
/// the syntax heads, the parse the linker reads; nothing without a model).
fn coded_events(
    linker: &Linker,
    reading: &Reading,
    record: &PetrarchRecord,
) -> Vec<crate::linking::CodedEvent> {
    let text = record.text.clone();
    let words = split_words(&text);
    let sentences = split_sentences(&text, &words);
    let doc = crate::document::Document {
        text,
        words,
        sentences,
        subwords: Vec::new(),
        plan: WindowPlan::new(&[], 1, 1),
        sentence_plan: WindowPlan::new(&[], 1, 1),
    };
    let options = LinkOptions {
        date: Date::parse(&record.date),
        infer_country: false,
    };
    linker
        .link_with(
            &doc,
            &reading.entities,
            &QuoteSpans::default(),
            reading.syntax.as_deref(),
            options,
        )
        .1
}

/// The (actor, target, root) triples of `events`.
fn triples(events: &[crate::linking::CodedEvent], written: Written) -> BTreeSet<Triple> {
    let codes = |code: Option<String>| -> Vec<String> {
        let mut codes: Vec<String> = code
            .unwrap_or_default()
            .split('/')
            .map(normalize)
            .filter(|c| !c.is_empty())
            .collect();
        if codes.is_empty() && written == Written::All {
            codes.push(String::new());
        }
        codes
    };
    let mut out = BTreeSet::new();
    for coded in events {
        let event = &coded.event;
        let actors = codes(event.actor.as_ref().and_then(|a| a.code.clone()));
        let targets = codes(event.target.as_ref().and_then(|t| t.code.clone()));
        for a in &actors {
            for t in &targets {
                out.insert((a.clone(), t.clone(), event.action.root.clone()));
                if let Some(reverse) = coded
                    .reverse
                    .as_ref()
                    .filter(|_| !a.is_empty() && !t.is_empty())
                {
                    out.insert((t.clone(), a.clone(), cameo_root(reverse).to_string()));
                }
            }
        }
    }
    out
}

/// Precision and recall of (source code, target code, CAMEO root) over `records`, micro over
/// triples. `reader` gives what a model reads in each record's text (`Reading::default()`
/// without one).
pub fn score_petrarch(
    linker: &Linker,
    reader: &dyn Fn(&str) -> Reading,
    records: &[PetrarchRecord],
) -> EventScores {
    let mut scores = EventScores {
        records: records.len(),
        ..Default::default()
    };
    for record in records {
        let gold = gold_triples(record);
        let events = coded_events(linker, &reader(&record.text), record);
        let all = triples(&events, Written::All);
        scores
            .all_events
            .add(gold.len(), all.len(), all.intersection(&gold).count());
        let predicted = triples(&events, Written::Dyads);
        let correct = predicted.intersection(&gold).count();
        scores.total.add(gold.len(), predicted.len(), correct);
        let category = if record.category.is_empty() {
            "none".to_string()
        } else {
            record.category.clone()
        };
        scores
            .categories
            .entry(category)
            .or_default()
            .add(gold.len(), predicted.len(), correct);
    }
    scores
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::linking::CodedEvent;
    use crate::record::{Action, Event, Participant, Span, TextSpan};

    fn event(actor: Option<&str>, target: Option<&str>) -> CodedEvent {
        let participant = |code: Option<&str>| Participant {
            span: TextSpan::new(0, 1, "x"),
            code: code.map(str::to_string),
            entity: None,
        };
        CodedEvent {
            event: Event {
                actor: Some(participant(actor)),
                action: Action {
                    span: TextSpan::new(2, 3, "y"),
                    cameo: "042".into(),
                    root: "04".into(),
                    plover: None,
                },
                target: Some(participant(target)),
                sentence: Span::new(0, 3),
                quote: None,
                negated: false,
                modality: None,
                score: 1.0,
            },
            reverse: Some("043".into()),
        }
    }

    #[test]
    fn an_event_without_an_actor_code_counts_only_among_all_events() {
        let events = [
            event(None, Some("GON")),
            event(Some("ARN/BRE"), Some("GON")),
        ];
        let triple = |a: &str, t: &str, r: &str| (a.to_string(), t.to_string(), r.to_string());
        let dyads = triples(&events, Written::Dyads);
        assert_eq!(
            dyads,
            BTreeSet::from([
                triple("ARN", "GON", "04"),
                triple("BRE", "GON", "04"),
                triple("GON", "ARN", "04"),
                triple("GON", "BRE", "04"),
            ])
        );
        let all = triples(&events, Written::All);
        assert_eq!(all.len(), 5);
        assert!(all.contains(&triple("", "GON", "04")));
        assert!(
            !all.contains(&triple("GON", "", "04")),
            "no return event without an actor"
        );
    }
}
