//! Scores a model's head on gold-labelled texts: the same windows, inference and decoding as
//! `extract`, compared span by span.

use super::{bio_spans, SpanScores};
use crate::corpus::LabeledText;
use crate::document::{Document, WindowOptions};
use crate::inference::predict;
use crate::model::TokenClassifier;
use crate::pipeline::decode_head;
use crate::tagging::LabelSet;

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
        // The head reads the windows `extract` gives it (see `Pipeline::analyze`).
        let windows = model.heads[index].windows;
        let probs = predict(model, &docs, batch_size, windows)?;
        for ((text, doc), p) in group.iter().zip(&docs).zip(probs) {
            let spans = decode_head(doc, windows, &p.probs[index], &labels);
            let predicted: Vec<_> = spans.into_iter().map(|s| (s.words, s.label)).collect();
            scores.add(&bio_spans(&text.tags), &predicted);
        }
    }
    Ok(scores)
}
