//! The whole job for a batch of articles: prepare, run the model, decode spans, link.

use crate::document::{Document, WindowOptions};
use crate::inference::{predict, Windows, WordProbs};
use crate::io::Article;
use crate::linking::{Linker, QuoteSpans};
use crate::model::{ModelError, ModelSource, TokenClassifier, ENTITIES, QUOTES};
use crate::record::{Analysis, Entity};
use crate::tagging::{decode_spans, decode_spans_within, LabelSet, LabeledSpan};
use candle_core::Device;
use rayon::prelude::*;
use std::sync::atomic::{AtomicU64, Ordering};

/// Settings of a pipeline run.
#[derive(Debug, Clone, Copy)]
pub struct PipelineOptions {
    /// Windows per encoder call.
    pub batch_size: usize,
    pub windows: WindowOptions,
}

impl Default for PipelineOptions {
    fn default() -> Self {
        PipelineOptions {
            batch_size: 16,
            windows: WindowOptions::default(),
        }
    }
}

/// A loaded model plus the linker: turns articles into analyses.
pub struct Pipeline {
    model: TokenClassifier,
    labels: Vec<LabelSet>,
    linker: Linker,
    options: PipelineOptions,
    /// Subword tokens read so far, the unit of throughput.
    tokens: AtomicU64,
}

#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error(transparent)]
    Model(#[from] ModelError),
    #[error("model inference failed: {0}")]
    Inference(#[from] candle_core::Error),
}

impl Pipeline {
    /// Loads the model from `source` onto the CPU, with default options.
    pub fn load(source: &ModelSource) -> Result<Pipeline, PipelineError> {
        let model = TokenClassifier::load(source, &Device::Cpu)?;
        Ok(Pipeline::new(
            model,
            Linker::default(),
            PipelineOptions::default(),
        ))
    }

    pub fn new(model: TokenClassifier, linker: Linker, options: PipelineOptions) -> Pipeline {
        let labels = model
            .heads
            .iter()
            .map(|h| LabelSet::new(&h.labels))
            .collect();
        let mut options = options;
        // Positions beyond the model's table do not exist: keep windows inside it.
        options.windows.max_tokens = options
            .windows
            .max_tokens
            .min(model.config.max_position_embeddings - 2);
        options.windows.stride = options.windows.stride.min(options.windows.max_tokens);
        Pipeline {
            model,
            labels,
            linker,
            options,
            tokens: AtomicU64::new(0),
        }
    }

    /// Subword tokens of all articles analysed so far.
    pub fn tokens_read(&self) -> u64 {
        self.tokens.load(Ordering::Relaxed)
    }

    pub fn model(&self) -> &TokenClassifier {
        &self.model
    }

    pub fn set_linker(&mut self, linker: Linker) {
        self.linker = linker;
    }

    /// Analyses `articles`, one `Analysis` per article in the same order. A failure confined to
    /// one article lands in its `errors`; only a model failure fails the call.
    pub fn analyze(&self, articles: &[Article]) -> Result<Vec<Analysis>, PipelineError> {
        let prepared: Vec<Result<Document, String>> = articles
            .par_iter()
            .map(|a| {
                Document::prepare(a.text.clone(), &self.model.tokenizer, self.options.windows)
                    .map_err(|e| format!("cannot tokenize: {e}"))
            })
            .collect();
        let mut failed: Vec<Option<String>> = Vec::with_capacity(articles.len());
        let mut docs = Vec::with_capacity(articles.len());
        for p in prepared {
            match p {
                Ok(doc) => {
                    docs.push(doc);
                    failed.push(None);
                }
                Err(e) => failed.push(Some(e)),
            }
        }
        // The entity head was trained on sentences and reads windows within them; the quote
        // head reads windows across sentences. A model with both heads runs the encoder twice.
        let by_sentence = predict(
            &self.model,
            &docs,
            self.options.batch_size,
            Windows::Sentences,
        )?;
        let by_document: Vec<Option<WordProbs>> =
            if self.model.heads.iter().any(|h| h.name == QUOTES) {
                predict(
                    &self.model,
                    &docs,
                    self.options.batch_size,
                    Windows::Document,
                )?
                .into_iter()
                .map(Some)
                .collect()
            } else {
                docs.iter().map(|_| None).collect()
            };
        self.tokens.fetch_add(
            docs.iter().map(|d| d.subword_count() as u64).sum(),
            Ordering::Relaxed,
        );
        let mut docs = docs
            .into_iter()
            .zip(by_sentence.into_iter().zip(by_document));
        let analyses = articles
            .iter()
            .zip(failed)
            .map(|(article, failure)| {
                let mut analysis = Analysis::carrying(article.id.clone(), &article.extra);
                if let Some(e) = failure {
                    analysis.errors.push(e);
                    return analysis;
                }
                let (doc, (by_sentence, by_document)) =
                    docs.next().expect("one prediction per prepared document");
                if doc.words.is_empty() {
                    analysis
                        .errors
                        .push("empty text: nothing to analyse".into());
                }
                let sentences: Vec<_> = doc.sentences.iter().map(|s| s.words.clone()).collect();
                let spans_of = |head: &str| -> Vec<LabeledSpan> {
                    let Some(i) = self.model.heads.iter().position(|h| h.name == head) else {
                        return Vec::new();
                    };
                    match (head, &by_document) {
                        (QUOTES, Some(WordProbs { probs })) => {
                            decode_spans(&probs[i], &self.labels[i])
                        }
                        _ => {
                            decode_spans_within(&by_sentence.probs[i], &self.labels[i], &sentences)
                        }
                    }
                };
                analysis.entities = spans_of(ENTITIES)
                    .into_iter()
                    .map(|s| {
                        let span = doc.span_of(s.words.clone());
                        Entity {
                            start: span.start,
                            end: span.end,
                            text: doc.text_of(s.words).to_string(),
                            label: s.label,
                            score: s.score,
                        }
                    })
                    .collect();
                let quote_spans = QuoteSpans::from_labeled(spans_of(QUOTES));
                let (quotes, events) = self.linker.link(&doc, &analysis.entities, &quote_spans);
                analysis.quotes = quotes;
                analysis.events = events;
                analysis
            })
            .collect();
        Ok(analyses)
    }
}
