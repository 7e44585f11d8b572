//! Quote extraction scored against brat attributions (PolNeAR): content spans by character
//! overlap and exactly at word granularity, and the share of found quotes with the right source.

use crate::io::brat::AttributedArticle;
use crate::record::{Analysis, Span};
use crate::text::split_words;
use crate::text::Interval;
use serde::Serialize;
use std::collections::BTreeSet;

/// Quote scores over a set of articles.
#[derive(Debug, Clone, Default, Serialize)]
pub struct QuoteScores {
    /// Character-level precision / recall / F1 of content text.
    pub overlap_precision: f64,
    pub overlap_recall: f64,
    pub overlap_f1: f64,
    /// Content spans that match a gold content exactly, compared as runs of whole words.
    pub exact_precision: f64,
    pub exact_recall: f64,
    pub exact_f1: f64,
    pub predicted: usize,
    pub gold: usize,
    /// Predicted quotes whose content overlaps a gold content.
    pub found: usize,
    /// Of the found quotes, the share whose source overlaps the matched gold source.
    pub source_accuracy: f64,
}

#[derive(Default)]
struct Counts {
    chars_pred: usize,
    chars_gold: usize,
    chars_both: usize,
    exact: usize,
    predicted: usize,
    gold: usize,
    found: usize,
    right_source: usize,
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Scores `analyses` (same order as `articles`) against the gold attributions.
pub fn score_quotes(articles: &[AttributedArticle], analyses: &[Analysis]) -> QuoteScores {
    let mut c = Counts::default();
    for (article, analysis) in articles.iter().zip(analyses) {
        let words = split_words(&article.text);
        // A span as the run of words it touches: the granularity of the quote head.
        let word_run = |s: Span| -> Option<(usize, usize)> {
            let first = words
                .iter()
                .position(|w| w.span.end > s.start && w.span.start < s.end)?;
            let last = words
                .iter()
                .rposition(|w| w.span.end > s.start && w.span.start < s.end)?;
            Some((first, last))
        };
        let gold: Vec<(Span, Option<Span>)> = {
            let mut seen = BTreeSet::new();
            article
                .attributions
                .iter()
                .filter_map(|a| a.content.filter(|s| !s.is_empty()).map(|s| (s, a.source)))
                .filter(|(s, _)| seen.insert(*s))
                .collect()
        };
        let gold_chars: BTreeSet<usize> = gold.iter().flat_map(|(s, _)| s.start..s.end).collect();
        let gold_runs: BTreeSet<(usize, usize)> =
            gold.iter().filter_map(|(s, _)| word_run(*s)).collect();
        let mut pred_chars = BTreeSet::new();
        let mut pred_runs = BTreeSet::new();
        for q in &analysis.quotes {
            let content = q.content.offsets();
            pred_chars.extend(content.start..content.end);
            if let Some(run) = word_run(content) {
                pred_runs.insert(run);
            }
            // The gold quote it found: the one it overlaps most.
            let best = gold
                .iter()
                .max_by_key(|(g, _)| g.overlap(&content))
                .filter(|(g, _)| g.overlap(&content) > 0);
            if let Some((_, gold_source)) = best {
                c.found += 1;
                let right = match (gold_source, &q.source) {
                    (Some(g), Some(p)) => g.overlaps(&Span::new(p.span.start, p.span.end)),
                    _ => false,
                };
                c.right_source += right as usize;
            }
        }
        c.chars_pred += pred_chars.len();
        c.chars_gold += gold_chars.len();
        c.chars_both += pred_chars.intersection(&gold_chars).count();
        c.exact += pred_runs.intersection(&gold_runs).count();
        c.predicted += pred_runs.len();
        c.gold += gold_runs.len();
    }
    let (op, or) = (
        ratio(c.chars_both, c.chars_pred),
        ratio(c.chars_both, c.chars_gold),
    );
    let (ep, er) = (ratio(c.exact, c.predicted), ratio(c.exact, c.gold));
    QuoteScores {
        overlap_precision: op,
        overlap_recall: or,
        overlap_f1: f1(op, or),
        exact_precision: ep,
        exact_recall: er,
        exact_f1: f1(ep, er),
        predicted: c.predicted,
        gold: c.gold,
        found: c.found,
        source_accuracy: ratio(c.right_source, c.found),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::brat::Attribution;
    use crate::record::{Quote, Source, TextSpan};

    fn quote(content: (usize, usize), source: Option<(usize, usize)>) -> Quote {
        Quote {
            content: TextSpan {
                start: content.0,
                end: content.1,
                text: String::new(),
            },
            source: source.map(|(s, e)| Source {
                span: TextSpan::new(s, e, String::new()),
                entity: None,
            }),
            cue: None,
            direct: false,
            score: 1.0,
        }
    }

    #[test]
    fn hand_computed_scores() {
        // "Rebels fled the city , officials said ." words: 0..6 7..11 12..15 16..20 ...
        let text = "Rebels fled the city , officials said . Iran won .";
        let article = AttributedArticle {
            name: "a".into(),
            text: text.into(),
            attributions: vec![
                Attribution {
                    source: Some(Span::new(23, 32)),
                    cue: Some(Span::new(33, 37)),
                    content: Some(Span::new(0, 20)),
                },
                Attribution {
                    source: None,
                    cue: None,
                    content: Some(Span::new(40, 48)),
                },
            ],
        };
        // One exact content with the right source, one spurious content (10 chars, 5 of gold).
        let analysis = Analysis {
            quotes: vec![quote((0, 20), Some((23, 32))), quote((44, 50), None)],
            ..Default::default()
        };
        let s = score_quotes(&[article], &[analysis]);
        assert_eq!((s.predicted, s.gold), (2, 2));
        assert!((s.exact_f1 - 0.5).abs() < 1e-9);
        // predicted chars: 20 + 6 = 26, gold chars: 20 + 8 = 28, shared: 20 + 4 = 24.
        assert!((s.overlap_precision - 24.0 / 26.0).abs() < 1e-9);
        assert!((s.overlap_recall - 24.0 / 28.0).abs() < 1e-9);
        assert_eq!(s.found, 2);
        assert!((s.source_accuracy - 0.5).abs() < 1e-9);
    }
}
