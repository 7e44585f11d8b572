//! Strict span precision / recall / F1 per type and micro, as seqeval's default mode: a
//! predicted span counts only if its type, start and end all match a gold span.

use serde::Serialize;
use std::collections::{BTreeMap, HashSet};
use std::ops::Range;

/// Counts and scores for one type (or all types, micro-averaged).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct TypeScores {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub support: usize,
    pub predicted: usize,
    pub correct: usize,
}

impl TypeScores {
    fn from_counts(correct: usize, predicted: usize, support: usize) -> TypeScores {
        let precision = if predicted == 0 {
            0.0
        } else {
            correct as f64 / predicted as f64
        };
        let recall = if support == 0 {
            0.0
        } else {
            correct as f64 / support as f64
        };
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        TypeScores {
            precision,
            recall,
            f1,
            support,
            predicted,
            correct,
        }
    }
}

/// Accumulates gold and predicted spans over many sequences.
#[derive(Debug, Clone, Default)]
pub struct SpanScores {
    counts: BTreeMap<String, (usize, usize, usize)>,
}

impl SpanScores {
    /// Adds one sequence's spans; `(sequence-local range, type)` pairs.
    pub fn add(&mut self, gold: &[(Range<usize>, String)], predicted: &[(Range<usize>, String)]) {
        let gold_set: HashSet<(usize, usize, &str)> = gold
            .iter()
            .map(|(r, t)| (r.start, r.end, t.as_str()))
            .collect();
        for (_, t) in gold {
            self.counts.entry(t.clone()).or_default().2 += 1;
        }
        for (r, t) in predicted {
            let c = self.counts.entry(t.clone()).or_default();
            c.1 += 1;
            if gold_set.contains(&(r.start, r.end, t.as_str())) {
                c.0 += 1;
            }
        }
    }

    pub fn per_type(&self) -> BTreeMap<String, TypeScores> {
        self.counts
            .iter()
            .map(|(t, &(c, p, s))| (t.clone(), TypeScores::from_counts(c, p, s)))
            .collect()
    }

    pub fn micro(&self) -> TypeScores {
        let (c, p, s) = self
            .counts
            .values()
            .fold((0, 0, 0), |a, &(c, p, s)| (a.0 + c, a.1 + p, a.2 + s));
        TypeScores::from_counts(c, p, s)
    }
}

/// Spans of an IOB2 tag sequence, read leniently as seqeval does: an `I-X` that does not
/// continue an `X` span starts one.
pub fn bio_spans(tags: &[String]) -> Vec<(Range<usize>, String)> {
    let mut out = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (i, tag) in tags.iter().enumerate() {
        let (prefix, kind) = match tag.split_once('-') {
            Some((p, k)) => (p, k),
            None => ("O", ""),
        };
        let continues = prefix == "I" && current.as_ref().is_some_and(|(_, k)| k == kind);
        if !continues {
            if let Some((start, k)) = current.take() {
                out.push((start..i, k));
            }
            if prefix == "B" || prefix == "I" {
                current = Some((i, kind.to_string()));
            }
        }
    }
    if let Some((start, k)) = current {
        out.push((start..tags.len(), k));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn hand_computed_seqeval_case() {
        // gold: PER 0..2, LOC 3..4, ORG 5..6 ; predicted: PER 0..2 (right), LOC 3..5 (wrong end),
        // ORG 5..6 is missed, MISC 6..7 is spurious.
        let gold = tags("B-PER I-PER O B-LOC O B-ORG O");
        let pred = tags("B-PER I-PER O B-LOC I-LOC O B-MISC");
        let mut s = SpanScores::default();
        s.add(&bio_spans(&gold), &bio_spans(&pred));
        let m = s.micro();
        assert_eq!((m.correct, m.predicted, m.support), (1, 3, 3));
        assert!((m.precision - 1.0 / 3.0).abs() < 1e-9);
        assert!((m.f1 - 1.0 / 3.0).abs() < 1e-9);
        let t = s.per_type();
        assert_eq!(t["PER"].f1, 1.0);
        assert_eq!(t["LOC"].f1, 0.0);
        assert_eq!(t["MISC"].support, 0);
    }

    #[test]
    fn stray_inside_starts_a_span_like_seqeval() {
        assert_eq!(
            bio_spans(&tags("O I-PER I-PER B-LOC I-PER")),
            vec![
                (1..3, "PER".into()),
                (3..4, "LOC".into()),
                (4..5, "PER".into())
            ]
        );
    }
}
