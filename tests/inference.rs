//! Long documents are read in windows with nothing dropped: every word of a long article gets a
//! label distribution from the window that owns it.

mod common;

use candle_core::Device;
use common::{write_tiny_model, write_tiny_model_biased, Layout};
use newsevents::document::{Document, WindowOptions};
use newsevents::inference::{predict, Windows};
use newsevents::linking::Linker;
use newsevents::pipeline::decode_head;
use newsevents::tagging::LabelSet;
use newsevents::{Article, ModelSource, Pipeline, PipelineOptions, TokenClassifier};

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

/// A head reads the windows its config names: an entity head trained on document windows is
/// read from the same pass as the quote head, not from sentence windows.
#[test]
fn heads_read_the_windows_their_config_names() {
    let dir = tempfile::tempdir().unwrap();
    write_tiny_model_biased(dir.path(), Layout::Ours, 2, 1.0);
    // The same weights with the entity head on sentence windows, for the other reading (a pass
    // runs only the heads that read it).
    let on_sentences =
        TokenClassifier::load(&ModelSource::Dir(dir.path().into()), &Device::Cpu).unwrap();
    let config_path = dir.path().join("config.json");
    let mut config: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&config_path).unwrap()).unwrap();
    config["heads"]["entities"]["windows"] = "document".into();
    std::fs::write(&config_path, config.to_string()).unwrap();
    let model = TokenClassifier::load(&ModelSource::Dir(dir.path().into()), &Device::Cpu).unwrap();
    assert!(model.heads.iter().all(|h| h.windows == Windows::Document));

    let windows = WindowOptions {
        max_tokens: 12,
        stride: 8,
    };
    let text = "Russia fired missiles at Aleppo. Officials in Syria said Iran protested. \
                The talks in Geneva ended on Monday."
        .to_string();
    let doc = Document::prepare(text.clone(), &model.tokenizer, windows).unwrap();
    let entities = model
        .heads
        .iter()
        .position(|h| h.name == "entities")
        .unwrap();
    let labels = LabelSet::new(&model.heads[entities].labels);
    let expected = |model: &TokenClassifier, w: Windows| -> Vec<(usize, usize, String)> {
        let probs = predict(model, std::slice::from_ref(&doc), 4, w).unwrap();
        decode_head(&doc, w, &probs[0].probs[entities], &labels)
            .into_iter()
            .map(|s| {
                let span = doc.span_of(s.words);
                (span.start, span.end, s.label)
            })
            .collect()
    };
    assert_eq!(on_sentences.heads[entities].windows, Windows::Sentences);
    let by_document = expected(&model, Windows::Document);
    assert_ne!(
        by_document,
        expected(&on_sentences, Windows::Sentences),
        "the text must tell the two readings apart"
    );

    let pipeline = Pipeline::new(
        model,
        Linker::default(),
        PipelineOptions {
            batch_size: 4,
            windows,
            ..Default::default()
        },
    );
    let out = pipeline.analyze(&[Article::new("a", text)]).unwrap();
    let found: Vec<(usize, usize, String)> = out[0]
        .entities
        .iter()
        .map(|e| (e.span.start, e.span.end, e.label.clone()))
        .collect();
    assert_eq!(found, by_document);
}
