//! The project's gold set (datasets/gold/*.jsonl, format in datasets/README.md): reading it,
//! and scoring quotes and events against it, from the linker on gold spans or from analyses.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::document::Document;
use crate::linking::{Linker, QuoteSpans};
use crate::record::{Analysis, Entity, Event, Quote, Span, TextSpan};
use crate::tagging::LabeledSpan;
use crate::text::Interval;
use crate::text::{split_sentences, split_words, WindowPlan};

/// A span of the gold text (code point offsets).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoldSpan {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

impl GoldSpan {
    pub fn span(&self) -> Span {
        Span::new(self.start, self.end)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoldEntity {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub label: String,
}

/// A quote's speaker with the entity it refers to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoldSource {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub entity: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoldQuote {
    pub content: GoldSpan,
    pub source: Option<GoldSource>,
    pub cue: Option<GoldSpan>,
    pub direct: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoldParticipant {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub code: Option<String>,
    pub entity: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoldAction {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub cameo: String,
    pub root: String,
    pub plover: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoldEvent {
    pub actor: Option<GoldParticipant>,
    pub action: GoldAction,
    pub target: Option<GoldParticipant>,
    #[serde(default)]
    pub negated: bool,
    #[serde(default)]
    pub modality: Option<String>,
    #[serde(default)]
    pub quote: Option<usize>,
}

/// One paragraph of the gold set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoldRecord {
    pub id: String,
    pub text: String,
    #[serde(default)]
    pub phenomena: Vec<String>,
    #[serde(default)]
    pub entities: Vec<GoldEntity>,
    #[serde(default)]
    pub quotes: Vec<GoldQuote>,
    #[serde(default)]
    pub events: Vec<GoldEvent>,
}

impl GoldRecord {
    /// The gold entities as entity records (score 1).
    pub fn entity_records(&self) -> Vec<Entity> {
        self.entities
            .iter()
            .map(|e| Entity {
                span: TextSpan::new(e.start, e.end, e.text.clone()),
                label: e.label.clone(),
                score: 1.0,
            })
            .collect()
    }

    /// The record's text as a document of words and sentences only (no subwords): what the
    /// linker needs.
    pub fn document(&self) -> Document {
        let words = split_words(&self.text);
        let sentences = split_sentences(&self.text, &words);
        Document {
            text: self.text.clone(),
            words,
            sentences,
            subwords: Vec::new(),
            plan: WindowPlan::new(&[], 1, 1),
            sentence_plan: WindowPlan::new(&[], 1, 1),
        }
    }

    /// The gold quotes' content, source and cue spans as the quote head would give them.
    pub fn quote_spans(&self, doc: &Document) -> QuoteSpans {
        let labeled = |span: Span, label: &str| {
            words_over(doc, span).map(|words| LabeledSpan {
                words,
                label: label.to_string(),
                score: 1.0,
            })
        };
        let mut out = QuoteSpans::default();
        for q in &self.quotes {
            out.contents.extend(labeled(q.content.span(), "CONTENT"));
            if let Some(s) = &q.source {
                out.sources
                    .extend(labeled(Span::new(s.start, s.end), "SOURCE"));
            }
            if let Some(c) = &q.cue {
                out.cues.extend(labeled(c.span(), "CUE"));
            }
        }
        // The same speaker span serves several quotes in the gold; the head marks it once.
        out.sources.dedup_by(|a, b| a.words == b.words);
        out.sources.sort_by_key(|s| s.words.start);
        out.sources.dedup_by(|a, b| a.words == b.words);
        out.cues.sort_by_key(|s| s.words.start);
        out.cues.dedup_by(|a, b| a.words == b.words);
        out
    }
}

fn words_over(doc: &Document, span: Span) -> Option<Range<usize>> {
    let first = doc.words.iter().position(|w| w.span.overlaps(&span))?;
    let last = doc.words.iter().rposition(|w| w.span.overlaps(&span))?;
    Some(first..last + 1)
}

/// A gold file that cannot be read.
#[derive(Debug, Error)]
pub enum GoldError {
    #[error("cannot read {path}")]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{origin}:{line}: invalid gold record")]
    Json {
        origin: String,
        line: usize,
        #[source]
        source: serde_json::Error,
    },
}

/// Reads gold records from JSONL text; `origin` names it in errors.
pub fn parse_gold(text: &str, origin: &str) -> Result<Vec<GoldRecord>, GoldError> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| {
            serde_json::from_str(line).map_err(|source| GoldError::Json {
                origin: origin.to_string(),
                line: i + 1,
                source,
            })
        })
        .collect()
}

pub fn read_gold(path: &Path) -> Result<Vec<GoldRecord>, GoldError> {
    let text = std::fs::read_to_string(path).map_err(|source| GoldError::Read {
        path: path.display().to_string(),
        source,
    })?;
    parse_gold(&text, &path.display().to_string())
}

/// Share with its counts; 0 when there is nothing to count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Share {
    pub count: usize,
    pub of: usize,
    pub share: f64,
}

impl Share {
    fn new(count: usize, of: usize) -> Share {
        Share {
            count,
            of,
            share: if of == 0 {
                0.0
            } else {
                count as f64 / of as f64
            },
        }
    }
}

/// How the quotes compare with the gold.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct QuoteReport {
    pub gold: usize,
    pub predicted: usize,
    /// Gold quotes whose content a predicted content overlaps.
    pub found: Share,
    /// Among found quotes: the predicted speaker overlaps the gold speaker, or both resolve to
    /// the same entity (an absent gold speaker needs an absent prediction).
    pub right_speaker: Share,
    /// Among found quotes with a gold speaker entity: the predicted speaker's entity is it.
    pub right_entity: Share,
    /// Among found quotes: the predicted cue overlaps the gold cue (both absent counts).
    pub right_cue: Share,
    /// Among found quotes: `direct` agrees.
    pub right_direct: Share,
    /// Predicted contents that overlap some gold content.
    pub precision: Share,
}

/// How the events compare with the gold (matching: see `score_events`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct EventReport {
    pub gold: usize,
    pub predicted: usize,
    /// Gold events matched with the right actor, action and target (the recall).
    pub right: Share,
    /// Predicted events matched to a gold event.
    pub precision: Share,
    pub f1: f64,
    /// Gold events whose action some predicted action overlaps.
    pub action_found: Share,
    /// Among right events: the CAMEO root agrees.
    pub right_root: Share,
    /// Among right events: actor and target codes both agree (absent = absent).
    pub right_codes: Share,
    /// Among right events: `negated` and `modality` both agree.
    pub right_factuality: Share,
    /// Among right events that are statements in the gold: linked to the gold's quote.
    pub right_quote_link: Share,
}

/// Scores of the records tagged with one phenomenon.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PhenomenonReport {
    pub records: usize,
    pub quotes_found: Share,
    pub right_speaker: Share,
    pub events_right: Share,
}

/// Quote and event scores over a gold set, in total and per phenomenon.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct GoldReport {
    pub records: usize,
    pub quotes: QuoteReport,
    pub events: EventReport,
    pub phenomena: BTreeMap<String, PhenomenonReport>,
}

/// Runs the linker on each record's gold entities and gold quote spans (linking tested apart
/// from the model) and scores its quotes and events.
pub fn score_linker_on_gold(linker: &Linker, records: &[GoldRecord]) -> GoldReport {
    let analyses: Vec<Analysis> = records.iter().map(|r| link_gold(linker, r)).collect();
    score_analyses(records, &analyses)
}

/// The linker's analysis of a gold record from its gold entities and quote spans.
pub fn link_gold(linker: &Linker, record: &GoldRecord) -> Analysis {
    let doc = record.document();
    let entities = record.entity_records();
    let spans = record.quote_spans(&doc);
    let (quotes, events) = linker.link(&doc, &entities, &spans, None);
    Analysis {
        id: record.id.clone(),
        entities,
        quotes,
        events,
        ..Default::default()
    }
}

/// Scores full-pipeline analyses (same order as `records`; missing ones count as empty).
pub fn score_analyses(records: &[GoldRecord], analyses: &[Analysis]) -> GoldReport {
    let mut report = GoldReport {
        records: records.len(),
        ..Default::default()
    };
    let mut totals = Counts::default();
    let mut by_phenomenon: BTreeMap<String, (usize, Counts)> = BTreeMap::new();
    let empty = Analysis::default();
    for (i, record) in records.iter().enumerate() {
        let analysis = analyses.get(i).unwrap_or(&empty);
        let counts = score_record(record, analysis);
        totals.add(&counts);
        for p in &record.phenomena {
            let entry = by_phenomenon.entry(p.clone()).or_default();
            entry.0 += 1;
            entry.1.add(&counts);
        }
    }
    report.quotes = totals.quote_report();
    report.events = totals.event_report();
    report.phenomena = by_phenomenon
        .into_iter()
        .map(|(name, (n, c))| {
            let quotes = c.quote_report();
            let events = c.event_report();
            (
                name,
                PhenomenonReport {
                    records: n,
                    quotes_found: quotes.found,
                    right_speaker: quotes.right_speaker,
                    events_right: events.right,
                },
            )
        })
        .collect();
    report
}

/// Raw counts of one or more records.
#[derive(Debug, Clone, Copy, Default)]
struct Counts {
    gold_quotes: usize,
    predicted_quotes: usize,
    found: usize,
    right_speaker: usize,
    entity_gold: usize,
    right_entity: usize,
    right_cue: usize,
    right_direct: usize,
    precise_quotes: usize,
    gold_events: usize,
    predicted_events: usize,
    right_events: usize,
    matched_predictions: usize,
    action_found: usize,
    right_root: usize,
    right_codes: usize,
    right_factuality: usize,
    statements: usize,
    right_quote_link: usize,
}

impl Counts {
    fn add(&mut self, o: &Counts) {
        self.gold_quotes += o.gold_quotes;
        self.predicted_quotes += o.predicted_quotes;
        self.found += o.found;
        self.right_speaker += o.right_speaker;
        self.entity_gold += o.entity_gold;
        self.right_entity += o.right_entity;
        self.right_cue += o.right_cue;
        self.right_direct += o.right_direct;
        self.precise_quotes += o.precise_quotes;
        self.gold_events += o.gold_events;
        self.predicted_events += o.predicted_events;
        self.right_events += o.right_events;
        self.matched_predictions += o.matched_predictions;
        self.action_found += o.action_found;
        self.right_root += o.right_root;
        self.right_codes += o.right_codes;
        self.right_factuality += o.right_factuality;
        self.statements += o.statements;
        self.right_quote_link += o.right_quote_link;
    }

    fn quote_report(&self) -> QuoteReport {
        QuoteReport {
            gold: self.gold_quotes,
            predicted: self.predicted_quotes,
            found: Share::new(self.found, self.gold_quotes),
            right_speaker: Share::new(self.right_speaker, self.found),
            right_entity: Share::new(self.right_entity, self.entity_gold),
            right_cue: Share::new(self.right_cue, self.found),
            right_direct: Share::new(self.right_direct, self.found),
            precision: Share::new(self.precise_quotes, self.predicted_quotes),
        }
    }

    fn event_report(&self) -> EventReport {
        let right = Share::new(self.right_events, self.gold_events);
        let precision = Share::new(self.matched_predictions, self.predicted_events);
        let f1 = if right.share + precision.share == 0.0 {
            0.0
        } else {
            2.0 * right.share * precision.share / (right.share + precision.share)
        };
        EventReport {
            gold: self.gold_events,
            predicted: self.predicted_events,
            right,
            precision,
            f1,
            action_found: Share::new(self.action_found, self.gold_events),
            right_root: Share::new(self.right_root, self.right_events),
            right_codes: Share::new(self.right_codes, self.right_events),
            right_factuality: Share::new(self.right_factuality, self.right_events),
            right_quote_link: Share::new(self.right_quote_link, self.statements),
        }
    }
}

/// Whether predicted entity `p` (of `predicted`) and gold entity `g` are the same mention set:
/// their spans overlap. Compared by span so that full-pipeline entities can differ from gold.
fn same_entity(
    predicted: &[Entity],
    p: Option<usize>,
    gold: &[GoldEntity],
    g: Option<usize>,
) -> bool {
    match (
        p.and_then(|p| predicted.get(p)),
        g.and_then(|g| gold.get(g)),
    ) {
        (Some(p), Some(g)) => {
            p.span.text == g.text || p.span.offsets().overlaps(&Span::new(g.start, g.end))
        }
        _ => false,
    }
}

fn score_record(record: &GoldRecord, analysis: &Analysis) -> Counts {
    let mut c = Counts {
        gold_quotes: record.quotes.len(),
        predicted_quotes: analysis.quotes.len(),
        ..Default::default()
    };
    score_quotes(record, analysis, &mut c);
    score_events(record, analysis, &mut c);
    c
}

/// The predicted quote overlapping a gold content most.
fn best_quote(quotes: &[Quote], content: Span) -> Option<&Quote> {
    quotes
        .iter()
        .filter(|q| q.content_span().overlaps(&content))
        .max_by_key(|q| q.content_span().overlap(&content))
}

trait ContentSpan {
    fn content_span(&self) -> Span;
}

impl ContentSpan for Quote {
    fn content_span(&self) -> Span {
        Span::new(self.content.start, self.content.end)
    }
}

fn score_quotes(record: &GoldRecord, analysis: &Analysis, c: &mut Counts) {
    for predicted in &analysis.quotes {
        if record
            .quotes
            .iter()
            .any(|g| g.content.span().overlaps(&predicted.content_span()))
        {
            c.precise_quotes += 1;
        }
    }
    for gold in &record.quotes {
        let Some(predicted) = best_quote(&analysis.quotes, gold.content.span()) else {
            continue;
        };
        c.found += 1;
        let speaker = match (&gold.source, &predicted.source) {
            (None, None) => true,
            (Some(g), Some(p)) => {
                Span::new(g.start, g.end).overlaps(&Span::new(p.span.start, p.span.end))
                    || same_entity(&analysis.entities, p.entity, &record.entities, g.entity)
            }
            _ => false,
        };
        c.right_speaker += speaker as usize;
        if let Some(g) = gold.source.as_ref().filter(|g| g.entity.is_some()) {
            c.entity_gold += 1;
            let p = predicted.source.as_ref().and_then(|p| p.entity);
            c.right_entity +=
                same_entity(&analysis.entities, p, &record.entities, g.entity) as usize;
        }
        let cue = match (&gold.cue, &predicted.cue) {
            (None, None) => true,
            (Some(g), Some(p)) => g.span().overlaps(&Span::new(p.start, p.end)),
            _ => false,
        };
        c.right_cue += cue as usize;
        c.right_direct += (gold.direct == predicted.direct) as usize;
    }
}

/// Whether a predicted role matches a gold role: both absent, or their spans overlap, or they
/// refer to the same entity.
fn role_matches(
    predicted: &Option<crate::record::Participant>,
    gold: &Option<GoldParticipant>,
    entities: &[Entity],
    gold_entities: &[GoldEntity],
) -> bool {
    match (predicted, gold) {
        (None, None) => true,
        (Some(p), Some(g)) => {
            Span::new(p.span.start, p.span.end).overlaps(&Span::new(g.start, g.end))
                || same_entity(entities, p.entity, gold_entities, g.entity)
        }
        _ => false,
    }
}

/// Events are matched one to one, gold events in order, each taking the first unmatched
/// predicted event whose action span overlaps the gold action span and whose actor and
/// target each match the gold's: both absent, or spans overlapping, or the same entity.
/// Codes, negation and modality are scored among the matched events, not for matching.
fn score_events(record: &GoldRecord, analysis: &Analysis, c: &mut Counts) {
    c.gold_events = record.events.len();
    c.predicted_events = analysis.events.len();
    let mut used = vec![false; analysis.events.len()];
    for gold in &record.events {
        let action = Span::new(gold.action.start, gold.action.end);
        let overlapping =
            |e: &Event| Span::new(e.action.span.start, e.action.span.end).overlaps(&action);
        if analysis.events.iter().any(overlapping) {
            c.action_found += 1;
        }
        let matched = analysis.events.iter().enumerate().find(|(i, e)| {
            !used[*i]
                && overlapping(e)
                && role_matches(&e.actor, &gold.actor, &analysis.entities, &record.entities)
                && role_matches(
                    &e.target,
                    &gold.target,
                    &analysis.entities,
                    &record.entities,
                )
        });
        let Some((i, e)) = matched else { continue };
        used[i] = true;
        c.right_events += 1;
        c.matched_predictions += 1;
        c.right_root += (e.action.root == gold.action.root) as usize;
        let code = |p: &Option<crate::record::Participant>| p.as_ref().and_then(|p| p.code.clone());
        let gold_code = |p: &Option<GoldParticipant>| p.as_ref().and_then(|p| p.code.clone());
        c.right_codes += (code(&e.actor) == gold_code(&gold.actor)
            && code(&e.target) == gold_code(&gold.target)) as usize;
        c.right_factuality += (e.negated == gold.negated && e.modality == gold.modality) as usize;
        if gold.quote.is_some() {
            c.statements += 1;
            let linked = e
                .quote
                .and_then(|q| analysis.quotes.get(q))
                .is_some_and(|q| {
                    gold.quote
                        .and_then(|g| record.quotes.get(g))
                        .is_some_and(|g| g.content.span().overlaps(&q.content_span()))
                });
            c.right_quote_link += linked as usize;
        }
    }
}
