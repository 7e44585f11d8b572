//! One document as the linking rules read it: sentences with their shallow parses, entities
//! mapped onto words, and the words each span covers.

use std::ops::Range;

use super::anaphora::Antecedents;
use super::dependency_tree::DependencyTree;
use super::lexicon::{ActorDictionary, Date, VerbLexicon};
use super::syntax::Parse;
use crate::document::Document;
use crate::record::{Entity, Span, TextSpan};
use crate::text::Interval;

/// A document with everything the rules look up more than once.
pub(crate) struct ParsedDocument<'d> {
    pub doc: &'d Document,
    pub entities: &'d [Entity],
    /// The words of each entity (None when it covers no word).
    pub entity_words: Vec<Option<Range<usize>>>,
    /// The entity each word belongs to.
    pub entity_at: Vec<Option<usize>>,
    /// Word ranges of the sentences, covering every word once.
    pub sentences: Vec<Range<usize>>,
    pub sentence_of: Vec<usize>,
    pub parses: Vec<Parse>,
    /// Each third-person pronoun's antecedent, when the model parsed the document.
    pub antecedents: Option<Antecedents>,
    /// The model's parse of every word, when it parsed the document.
    pub tree: Option<DependencyTree<'d>>,
}

/// Labels that name an agent who can speak or act.
pub(crate) fn is_agent_label(label: &str) -> bool {
    matches!(label, "PER" | "ORG")
}

impl<'d> ParsedDocument<'d> {
    pub(crate) fn new(
        doc: &'d Document,
        entities: &'d [Entity],
        actors: &ActorDictionary,
        verbs: &VerbLexicon,
        date: Option<Date>,
    ) -> ParsedDocument<'d> {
        let n = doc.words.len();
        let entity_words: Vec<Option<Range<usize>>> = entities
            .iter()
            .map(|e| words_of(doc, e.span.offsets()))
            .collect();
        let mut entity_at = vec![None; n];
        for (i, range) in entity_words.iter().enumerate() {
            for slot in range
                .clone()
                .and_then(|r| entity_at.get_mut(r))
                .into_iter()
                .flatten()
            {
                slot.get_or_insert(i);
            }
        }
        let sentences = sentence_ranges(doc);
        let mut sentence_of = vec![0; n];
        for (s, range) in sentences.iter().enumerate() {
            for slot in sentence_of.get_mut(range.clone()).into_iter().flatten() {
                *slot = s;
            }
        }
        let parses = sentences
            .iter()
            .map(|range| {
                let words: Vec<&str> = range
                    .clone()
                    .map(|w| doc.words[w].text(&doc.text))
                    .collect();
                let mut locked: Vec<bool> = range.clone().map(|w| entity_at[w].is_some()).collect();
                let misc: Vec<bool> = range
                    .clone()
                    .map(|w| entity_at[w].is_some_and(|e| entities[e].label == "MISC"))
                    .collect();
                let found = match date {
                    Some(date) => actors.scan_at(&words, date),
                    None => actors.scan(&words),
                };
                for actor in found {
                    // Only written names are kept whole: a lower-case dictionary hit may be a verb.
                    let named = words
                        .get(actor.range.start..actor.range.end)
                        .is_some_and(|ws| {
                            ws.iter()
                                .any(|w| w.chars().next().is_some_and(char::is_uppercase))
                        });
                    if named {
                        for slot in locked
                            .get_mut(actor.range.start..actor.range.end)
                            .into_iter()
                            .flatten()
                        {
                            *slot = true;
                        }
                    }
                }
                Parse::new(&words, &locked, &misc, verbs)
            })
            .collect();
        ParsedDocument {
            doc,
            entities,
            entity_words,
            entity_at,
            sentences,
            sentence_of,
            parses,
            antecedents: None,
            tree: None,
        }
    }

    pub(crate) fn word_count(&self) -> usize {
        self.doc.words.len()
    }

    pub(crate) fn word_text(&self, w: usize) -> &str {
        self.doc
            .words
            .get(w)
            .map(|word| word.text(&self.doc.text))
            .unwrap_or("")
    }

    pub(crate) fn texts(&self, words: Range<usize>) -> Vec<&str> {
        words
            .filter(|&w| w < self.word_count())
            .map(|w| self.word_text(w))
            .collect()
    }

    /// Code point span of a non-empty word range.
    pub(crate) fn span(&self, words: &Range<usize>) -> Span {
        let n = self.word_count();
        if n == 0 || words.start >= words.end {
            return Span::new(0, 0);
        }
        let start = words.start.min(n - 1);
        let end = words.end.clamp(start + 1, n);
        self.doc.span_of(start..end)
    }

    pub(crate) fn text_span(&self, words: &Range<usize>) -> TextSpan {
        let span = self.span(words);
        let n = self.word_count();
        let text = if n == 0 || words.start >= words.end {
            String::new()
        } else {
            let start = words.start.min(n - 1);
            self.doc
                .text_of(start..words.end.clamp(start + 1, n))
                .to_string()
        };
        TextSpan {
            start: span.start,
            end: span.end,
            text,
        }
    }

    /// Whether a line break separates word `a` from the word after it.
    pub(crate) fn line_break_after(&self, a: usize) -> bool {
        match (self.doc.words.get(a), self.doc.words.get(a + 1)) {
            (Some(x), Some(y)) => self
                .doc
                .text
                .get(x.bytes.end..y.bytes.start)
                .is_some_and(|gap| gap.contains('\n')),
            _ => false,
        }
    }

    /// The sentence a word is in.
    pub(crate) fn sentence(&self, w: usize) -> usize {
        self.sentence_of.get(w).copied().unwrap_or(0)
    }

    /// The parse and token index of a document word.
    pub(crate) fn token(&self, w: usize) -> Option<(usize, usize)> {
        let s = *self.sentence_of.get(w)?;
        let range = self.sentences.get(s)?;
        Some((s, w.checked_sub(range.start)?))
    }

    /// Entities whose words overlap `words`, in text order.
    pub(crate) fn entities_in(&self, words: &Range<usize>) -> Vec<usize> {
        let mut found: Vec<usize> = Vec::new();
        for w in words.clone() {
            if let Some(e) = self.entity_at.get(w).copied().flatten() {
                if !found.contains(&e) {
                    found.push(e);
                }
            }
        }
        found
    }

    pub(crate) fn label(&self, e: usize) -> &str {
        self.entities.get(e).map(|e| e.label.as_str()).unwrap_or("")
    }
}

/// The words a code point span overlaps.
pub(crate) fn words_of(doc: &Document, span: Span) -> Option<Range<usize>> {
    // Words are in text order and never overlap: both their starts and their ends ascend, so
    // two binary searches find the run (a linear scan per entity made long articles quadratic).
    let first = doc.words.partition_point(|w| w.span.end <= span.start);
    let end = doc.words.partition_point(|w| w.span.start < span.end);
    let run = first..end;
    (!run.is_empty() && doc.words[first].span.overlaps(&span)).then_some(run)
}

/// Sentence word ranges, repaired so that every word is in exactly one (documents built by
/// hand may come without sentences).
fn sentence_ranges(doc: &Document) -> Vec<Range<usize>> {
    let n = doc.words.len();
    let mut out = Vec::new();
    let mut next = 0;
    for s in &doc.sentences {
        let start = s.words.start.max(next).min(n);
        let end = s.words.end.min(n);
        if start > next {
            out.push(next..start);
        }
        if end > start {
            out.push(start..end);
            next = end;
        }
    }
    if next < n {
        out.push(next..n);
    }
    out
}
