//! Scores a model's head on gold-labelled texts: the same windows, inference and decoding as
//! `extract`, compared span by span.

use super::{bio_spans, SpanScores};
use crate::corpus::LabeledText;
use crate::document::{Document, WindowOptions};
use crate::inference::{predict, Windows};
use crate::model::TokenClassifier;
use crate::model::QUOTES;
use crate::tagging::{decode_spans, decode_spans_within, LabelSet};

/// Strict span scores of head `head` over `texts`, with per-text predicted spans (word ranges).
pub fn score_head(
    model: &TokenClassifier,
    head: &str,
    texts: &[LabeledText],
    windows: WindowOptions,
    batch_size: usize,
) -> Result<SpanScores, crate::pipeline::PipelineError> {
    let Some(index) = model.heads.iter().position(|h| h.name == head) else {
        return Err(crate::model::ModelError::Config {
            path: "config.json".into(),
            reason: format!("the model has no {head} head"),
        }
        .into());
    };
    let labels = LabelSet::new(&model.heads[index].labels);
    let mut scores = SpanScores::default();
    // Bounded groups keep memory flat on large evaluation sets.
    for group in texts.chunks(64) {
        let docs = group
            .iter()
            .map(|t| {
                Document::from_words(t.text.clone(), t.words.clone(), &model.tokenizer, windows)
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(crate::model::ModelError::from)?;
        // Each head reads the windows `extract` gives it (see `Pipeline::analyze`).
        let windows = if head == QUOTES {
            Windows::Document
        } else {
            Windows::Sentences
        };
        let probs = predict(model, &docs, batch_size, windows)?;
        for ((text, doc), p) in group.iter().zip(&docs).zip(probs) {
            let spans = if head == QUOTES {
                decode_spans(&p.probs[index], &labels)
            } else {
                let sentences: Vec<_> = doc.sentences.iter().map(|s| s.words.clone()).collect();
                decode_spans_within(&p.probs[index], &labels, &sentences)
            };
            let predicted: Vec<_> = spans.into_iter().map(|s| (s.words, s.label)).collect();
            scores.add(&bio_spans(&text.tags), &predicted);
        }
    }
    Ok(scores)
}
