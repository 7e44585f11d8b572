//! The whole job for a batch of articles: prepare, run the model, decode spans, link.

use crate::document::{Document, WindowOptions};
use crate::inference::{predict, WordProbs};
use crate::io::Article;
use crate::linking::{Linker, QuoteSpans};
use crate::model::{ModelError, ModelSource, TokenClassifier, Windows, ENTITIES, QUOTES};
use crate::parsing::{parse_document, sentence_tokens, HeadOutputs, WordSyntax};
use crate::record::{Analysis, Entity, SentenceSyntax, TextSpan};
use crate::segments::{self, Segment, SEGMENT_BYTES};
use crate::tagging::{decode_spans, decode_spans_within, LabelSet, LabeledSpan};
use candle_core::Device;
use rayon::prelude::*;
use std::sync::atomic::{AtomicU64, Ordering};

/// Text prepared at once: bounds the words, subwords and label probabilities held in memory.
const ROUND_BYTES: usize = 1 << 20;

/// Settings of a pipeline run.
#[derive(Debug, Clone, Copy)]
pub struct PipelineOptions {
    /// Windows per encoder call.
    pub batch_size: usize,
    pub windows: WindowOptions,
    /// Longer articles are analysed in segments of at most this many bytes.
    pub segment_bytes: usize,
    /// Write each sentence's parse into the records (`sentences`): needs the syntax heads.
    pub syntax: bool,
}

impl Default for PipelineOptions {
    fn default() -> Self {
        PipelineOptions {
            batch_size: 16,
            windows: WindowOptions::default(),
            segment_bytes: SEGMENT_BYTES,
            syntax: false,
        }
    }
}

/// A loaded model plus the linker: turns articles into analyses.
///
/// ```no_run
/// use newsevents::{Article, Linker, ModelSource, Pipeline, PipelineOptions, TokenClassifier};
/// let model = TokenClassifier::load(&ModelSource::default_model(), &candle_core::Device::Cpu)?;
/// let options = PipelineOptions { syntax: true, ..Default::default() };
/// let pipeline = Pipeline::new(model, Linker::default(), options);
/// let analysis = pipeline.analyze(&[Article::new("a1", "Rebels seized the town.")])?.remove(0);
/// for sentence in analysis.sentences.unwrap_or_default() {
///     for token in &sentence.tokens {
///         println!("{} {} {} {}", token.span.text, token.upos, token.head, token.deprel);
///     }
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
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
    #[error("model inference failed")]
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
    ///
    /// Memory stays bounded whatever the input: articles over `segment_bytes` are analysed in
    /// segments (a span never crosses a cut), and at most `ROUND_BYTES` of text is prepared
    /// at once.
    pub fn analyze(&self, articles: &[Article]) -> Result<Vec<Analysis>, PipelineError> {
        let mut analyses: Vec<Analysis> = articles
            .iter()
            .map(|a| Analysis::carrying(a.id.clone(), &a.extra))
            .collect();
        let mut words = vec![0usize; articles.len()];
        let pieces = articles.iter().enumerate().flat_map(|(i, a)| {
            segments::cut(&a.text, self.options.segment_bytes)
                .into_iter()
                .map(move |s| (i, s))
        });
        let mut round: Vec<(usize, Segment)> = Vec::new();
        let mut round_bytes = 0;
        for (i, segment) in pieces {
            round_bytes += segment.bytes.len();
            round.push((i, segment));
            if round_bytes >= ROUND_BYTES {
                self.analyze_round(articles, &round, &mut analyses, &mut words)?;
                round.clear();
                round_bytes = 0;
            }
        }
        self.analyze_round(articles, &round, &mut analyses, &mut words)?;
        for (analysis, &n) in analyses.iter_mut().zip(&words) {
            if n == 0 && analysis.errors.is_empty() {
                analysis
                    .errors
                    .push("empty text: nothing to analyse".into());
            }
        }
        Ok(analyses)
    }

    /// Analyses the segments of one round and appends their records to their articles'.
    fn analyze_round(
        &self,
        articles: &[Article],
        round: &[(usize, Segment)],
        analyses: &mut [Analysis],
        words: &mut [usize],
    ) -> Result<(), PipelineError> {
        if round.is_empty() {
            return Ok(());
        }
        let texts = round
            .iter()
            .map(|(i, s)| articles[*i].text[s.bytes.clone()].to_string())
            .collect();
        for ((i, segment), (part, n)) in round.iter().zip(self.analyze_texts(texts)?) {
            segments::append(&mut analyses[*i], part, segment);
            words[*i] += n;
        }
        Ok(())
    }

    /// The records of each text (without id) and its word count.
    fn analyze_texts(&self, texts: Vec<String>) -> Result<Vec<(Analysis, usize)>, PipelineError> {
        let prepared: Vec<Result<Document, String>> = texts
            .into_par_iter()
            .map(|text| {
                Document::prepare(text, &self.model.tokenizer, self.options.windows)
                    .map_err(|e| format!("cannot tokenize: {e}"))
            })
            .collect();
        let mut failed: Vec<Option<String>> = Vec::with_capacity(prepared.len());
        let mut docs = Vec::with_capacity(prepared.len());
        for p in prepared {
            match p {
                Ok(doc) => {
                    docs.push(doc);
                    failed.push(None);
                }
                Err(e) => failed.push(Some(e)),
            }
        }
        let passes = self.passes();
        let probs = self.predict_passes(&docs, &passes)?;
        self.tokens.fetch_add(
            docs.iter().map(|d| d.subword_count() as u64).sum(),
            Ordering::Relaxed,
        );
        let mut docs = docs.into_iter().zip(probs);
        let work: Vec<Result<_, String>> = failed
            .into_iter()
            .map(|failure| match failure {
                Some(e) => Err(e),
                None => Ok(docs.next().expect("one prediction per prepared document")),
            })
            .collect();
        // Linking is the costliest step on the CPU after the encoder: documents in parallel.
        let analyses = work
            .into_par_iter()
            .map(|work| {
                let mut analysis = Analysis::default();
                let (doc, probs) = match work {
                    Ok(work) => work,
                    Err(e) => {
                        analysis.errors.push(e);
                        return (analysis, 0);
                    }
                };
                let reading = self.read(&doc, &probs, &passes);
                if self.options.syntax {
                    analysis.sentences = Some(match &reading.syntax {
                        Some(syntax) => sentence_records(&doc, syntax),
                        None => Vec::new(),
                    });
                }
                analysis.errors.extend(reading.error);
                let (quotes, events) = self.linker.link(
                    &doc,
                    &reading.entities,
                    &reading.quotes,
                    reading.syntax.as_deref(),
                );
                analysis.entities = reading.entities;
                analysis.quotes = quotes;
                analysis.events = events;
                (analysis, doc.words.len())
            })
            .collect();
        Ok(analyses)
    }
}

impl Pipeline {
    /// The encoder passes the model's heads read, each once, in order: each head reads the
    /// windows it was trained on, and heads that read the same kind share one pass.
    fn passes(&self) -> Vec<Windows> {
        let mut passes: Vec<Windows> = self.model.heads.iter().map(|h| h.windows).collect();
        passes.extend(self.model.parser.as_ref().map(|p| p.windows));
        passes.sort();
        passes.dedup();
        passes
    }

    /// Per document, one `WordProbs` per pass.
    fn predict_passes(
        &self,
        docs: &[Document],
        passes: &[Windows],
    ) -> Result<Vec<Vec<WordProbs>>, PipelineError> {
        let mut probs: Vec<Vec<WordProbs>> = docs.iter().map(|_| Vec::new()).collect();
        for &windows in passes {
            let pass = predict(&self.model, docs, self.options.batch_size, windows)?;
            for (doc, p) in probs.iter_mut().zip(pass) {
                doc.push(p);
            }
        }
        Ok(probs)
    }

    /// What the heads read in `doc`: entities, quote spans and, when the model has the syntax
    /// heads, the parse (the linker reads it whether or not the records carry it).
    fn read(&self, doc: &Document, probs: &[WordProbs], passes: &[Windows]) -> Reading {
        let spans_of = |name: &str| -> Vec<LabeledSpan> {
            let Some(i) = self.model.heads.iter().position(|h| h.name == name) else {
                return Vec::new();
            };
            let head = &self.model.heads[i];
            let pass = passes
                .binary_search(&head.windows)
                .expect("head's pass ran");
            decode_head(doc, head.windows, &probs[pass].probs[i], &self.labels[i])
        };
        let entities = spans_of(ENTITIES)
            .into_iter()
            .map(|s| {
                let span = doc.span_of(s.words.clone());
                Entity {
                    span: TextSpan::new(span.start, span.end, doc.text_of(s.words).to_string()),
                    label: s.label,
                    score: s.score,
                }
            })
            .collect();
        let outputs = HeadOutputs {
            model: &self.model,
            passes,
            probs: &probs.iter().collect::<Vec<_>>(),
        };
        let (syntax, error) = match parse_document(doc, &outputs) {
            Ok(syntax) => (syntax, None),
            Err(e) => (None, Some(format!("parse failed: {e}"))),
        };
        Reading {
            entities,
            quotes: QuoteSpans::from_labeled(spans_of(QUOTES)),
            syntax,
            error,
        }
    }

    /// What the heads read in documents prepared elsewhere (a treebank's own words and
    /// sentences), before linking: what `eval coref` resolves pronouns over.
    pub fn read_documents(&self, docs: &[Document]) -> Result<Vec<Reading>, PipelineError> {
        let passes = self.passes();
        let probs = self.predict_passes(docs, &passes)?;
        Ok(docs
            .iter()
            .zip(&probs)
            .map(|(doc, probs)| self.read(doc, probs, &passes))
            .collect())
    }
}

/// What the heads read in one document, before linking.
#[derive(Debug, Clone, Default)]
pub struct Reading {
    pub entities: Vec<Entity>,
    pub quotes: QuoteSpans,
    /// Each word's syntax; `None` for a model without the syntax heads.
    pub syntax: Option<Vec<WordSyntax>>,
    /// A parse that failed; the rest of the reading stands.
    pub error: Option<String>,
}

/// The `sentences` of a record from the syntax of each word of `doc`.
fn sentence_records(doc: &Document, syntax: &[WordSyntax]) -> Vec<SentenceSyntax> {
    doc.sentences
        .iter()
        .map(|sentence| SentenceSyntax {
            start: sentence.span.start,
            end: sentence.span.end,
            tokens: sentence_tokens(doc, syntax, sentence.words.clone()),
        })
        .collect()
}

/// The spans a head labels in `doc` from its word probabilities: a head that reads sentence
/// windows never gets a span across sentences.
pub fn decode_head(
    doc: &Document,
    windows: Windows,
    probs: &[f32],
    labels: &LabelSet,
) -> Vec<LabeledSpan> {
    match windows {
        Windows::Document => decode_spans(probs, labels),
        Windows::Sentences => {
            let sentences: Vec<_> = doc.sentences.iter().map(|s| s.words.clone()).collect();
            decode_spans_within(probs, labels, &sentences)
        }
    }
}
