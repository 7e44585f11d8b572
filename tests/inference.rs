//! Long documents are read in windows with nothing dropped: every word of a long article gets a
//! label distribution from the window that owns it.

mod common;

use candle_core::Device;
use common::{write_tiny_model, Layout};
use newsevents::document::{Document, WindowOptions};
use newsevents::inference::{predict, Windows};
use newsevents::{ModelSource, TokenClassifier};

#[test]
fn every_word_of_a_long_article_is_labelled() {
    let dir = tempfile::tempdir().unwrap();
    write_tiny_model(dir.path(), Layout::Ours, 2);
    let model = TokenClassifier::load(&ModelSource::Dir(dir.path().into()), &Device::Cpu).unwrap();
    let text = "Russia fired missiles at Syrian targets, officials said. ".repeat(300) + "Aleppo.";
    let windows = WindowOptions {
        max_tokens: 30,
        stride: 20,
    };
    let doc = Document::prepare(text, &model.tokenizer, windows).unwrap();
    assert!(doc.plan.windows.len() > 50);
    let probs = predict(&model, std::slice::from_ref(&doc), 8, Windows::Document).unwrap();
    for (head, h) in model.heads.iter().enumerate() {
        let n = h.labels.len();
        for (w, row) in probs[0].probs[head].chunks_exact(n).enumerate() {
            let sum: f32 = row.iter().sum();
            assert!(
                (sum - 1.0).abs() < 1e-3,
                "word {w} of head {} has no distribution",
                h.name
            );
        }
    }
}

#[test]
fn batching_does_not_change_predictions() {
    let dir = tempfile::tempdir().unwrap();
    write_tiny_model(dir.path(), Layout::Ours, 2);
    let model = TokenClassifier::load(&ModelSource::Dir(dir.path().into()), &Device::Cpu).unwrap();
    let windows = WindowOptions {
        max_tokens: 30,
        stride: 20,
    };
    let docs: Vec<Document> = [
        "Iran said.",
        "Russia fired missiles at Syrian targets in Aleppo, officials said on Monday.",
    ]
    .iter()
    .map(|t| Document::prepare(t.to_string(), &model.tokenizer, windows).unwrap())
    .collect();
    let together = predict(&model, &docs, 8, Windows::Sentences).unwrap();
    for (i, doc) in docs.iter().enumerate() {
        let alone = predict(&model, std::slice::from_ref(doc), 1, Windows::Sentences).unwrap();
        for (a, b) in alone[0].probs[0].iter().zip(&together[i].probs[0]) {
            assert!(
                (a - b).abs() < 1e-4,
                "padding changed a prediction: {a} vs {b}"
            );
        }
    }
}
