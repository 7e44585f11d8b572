//! Constrained Viterbi over per-word label probabilities.
//!
//! The path maximises the sum of log-probabilities subject to the BIO constraints, so an `I-X`
//! never appears without its `B-X`: where the unconstrained argmax says `O I-PER`, the decoder
//! picks whichever legal reading (`O B-PER`, `O O`, ...) the model finds likelier. A span's
//! score is the mean probability the model gave to the chosen label of each of its words.

use super::{BioLabel, LabelSet};
use std::ops::Range;

/// A labelled run of words.
#[derive(Debug, Clone, PartialEq)]
pub struct LabeledSpan {
    pub words: Range<usize>,
    pub label: String,
    pub score: f32,
}

/// Decodes `probs` (label probabilities, `labels.len()` per word, word after word) into spans
/// over word indices.
pub fn decode_spans(probs: &[f32], labels: &LabelSet) -> Vec<LabeledSpan> {
    let n = labels.len().max(1);
    let probs: Vec<&[f32]> = probs.chunks_exact(n).collect();
    let path = viterbi(&probs, labels);
    let mut spans = Vec::new();
    let mut i = 0;
    while i < path.len() {
        let BioLabel::Begin(kind) = &labels.tags[path[i]] else {
            i += 1;
            continue;
        };
        let mut j = i + 1;
        while j < path.len() && matches!(&labels.tags[path[j]], BioLabel::Inside(k) if k == kind) {
            j += 1;
        }
        let score = (i..j).map(|w| probs[w][path[w]]).sum::<f32>() / (j - i) as f32;
        spans.push(LabeledSpan {
            words: i..j,
            label: kind.clone(),
            score,
        });
        i = j;
    }
    spans
}

/// Decodes each word range of `ranges` (sentences) on its own, so no span crosses one.
pub fn decode_spans_within(
    probs: &[f32],
    labels: &LabelSet,
    ranges: &[Range<usize>],
) -> Vec<LabeledSpan> {
    let n = labels.len().max(1);
    ranges
        .iter()
        .flat_map(|r| {
            decode_spans(&probs[r.start * n..r.end * n], labels)
                .into_iter()
                .map(move |mut s| {
                    s.words = s.words.start + r.start..s.words.end + r.start;
                    s
                })
        })
        .collect()
}

fn viterbi(probs: &[&[f32]], labels: &LabelSet) -> Vec<usize> {
    let n = labels.len();
    if probs.is_empty() || n == 0 {
        return Vec::new();
    }
    let log = |p: f32| (p.max(1e-12)).ln();
    let mut score: Vec<f32> = (0..n)
        .map(|t| {
            if labels.allowed(None, t) {
                log(probs[0][t])
            } else {
                f32::NEG_INFINITY
            }
        })
        .collect();
    let mut back: Vec<Vec<usize>> = Vec::with_capacity(probs.len());
    back.push(vec![0; n]);
    for row in &probs[1..] {
        let mut next = vec![f32::NEG_INFINITY; n];
        let mut from = vec![0; n];
        for to in 0..n {
            for (prev, &s) in score.iter().enumerate() {
                if s > f32::NEG_INFINITY && labels.allowed(Some(prev), to) && s > next[to] {
                    next[to] = s;
                    from[to] = prev;
                }
            }
            next[to] += log(row[to]);
        }
        score = next;
        back.push(from);
    }
    let mut best = (0..n)
        .max_by(|&a, &b| score[a].total_cmp(&score[b]))
        .unwrap_or(0);
    let mut path = vec![0; probs.len()];
    for i in (0..probs.len()).rev() {
        path[i] = best;
        best = back[i][best];
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set() -> LabelSet {
        LabelSet::new(&["O", "B-PER", "I-PER", "B-LOC", "I-LOC"].map(String::from))
    }

    fn one_hot_ish(ids: &[usize]) -> Vec<f32> {
        ids.iter()
            .flat_map(|&i| (0..5).map(move |j| if j == i { 0.8 } else { 0.05 }))
            .collect()
    }

    fn rows(flat: &[f32]) -> Vec<&[f32]> {
        flat.chunks_exact(5).collect()
    }

    #[test]
    fn decodes_legal_spans() {
        let spans = decode_spans(&one_hot_ish(&[1, 2, 0, 3]), &set());
        assert_eq!(spans.len(), 2);
        assert_eq!(spans[0].words, 0..2);
        assert_eq!(spans[0].label, "PER");
        assert_eq!(spans[1].words, 3..4);
        assert!((spans[0].score - 0.8).abs() < 1e-6);
    }

    #[test]
    fn never_emits_inside_without_begin() {
        // argmax would be O I-PER I-PER: the decoder must not start a span with I-PER.
        let probs = vec![
            0.9, 0.02, 0.04, 0.02, 0.02, //
            0.1, 0.35, 0.45, 0.05, 0.05, //
            0.1, 0.1, 0.7, 0.05, 0.05,
        ];
        let path = viterbi(&rows(&probs), &set());
        assert_eq!(path, vec![0, 1, 2]);
        let spans = decode_spans(&probs, &set());
        assert_eq!(spans[0].words, 1..3);
    }

    #[test]
    fn inside_of_other_type_breaks_the_span() {
        let probs = one_hot_ish(&[1, 4]);
        for w in viterbi(&rows(&probs), &set()).windows(2) {
            assert!(set().allowed(Some(w[0]), w[1]));
        }
    }
}
