//! newsevents: who did what to whom, and who said what, in news articles.
//!
//! A [`Pipeline`] runs a model (one BERT encoder with entity, quote and syntax heads) and a
//! [`Linker`] over [`Article`]s and returns one [`Analysis`] per article: the JSON record of
//! `newsevents extract`, with code point offsets into the article's text.
//!
//! ```no_run
//! use newsevents::{Article, ModelSource, Pipeline};
//! let pipeline = Pipeline::load(&ModelSource::default_model())?;
//! let analyses = pipeline.analyze(&[Article::new("a1", "Russia fired missiles at Syrian targets.")])?;
//! for event in &analyses[0].events {
//!     println!("{} {} ({})", event.action.span.text, event.action.cameo, event.action.root);
//! }
//! println!("{}", serde_json::to_string(&analyses[0])?);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The surface, by task:
//! - analysing: [`Pipeline`], [`PipelineOptions`] (`syntax: true` adds each sentence's parse),
//!   [`Article`], [`ModelSource`], [`Linker`], and the records ([`Analysis`], [`Entity`],
//!   [`Quote`], [`Event`], [`SentenceSyntax`], [`Token`], [`Span`]);
//! - reading and writing: [`read_inputs`], [`JsonlWriter`], [`Shard`], [`write_conllu`];
//! - the model and its kernels: [`TokenClassifier`], [`Kernel`], [`Precision`], [`cpu`];
//! - training: [`train()`](fn@train) with a [`TrainConfig`];
//! - evaluation: [`score_head`], [`score_parse`], [`score_quotes`], [`score_petrarch`],
//!   [`score_analyses`].
//!
//! The modules behind these are public for the command line and the tests but hidden from these
//! docs: their items may change between versions. `ARCHITECTURE.md` maps them.

#[doc(hidden)]
pub mod corpus;
#[doc(hidden)]
pub mod document;
#[doc(hidden)]
pub mod eval;
#[doc(hidden)]
pub mod inference;
#[doc(hidden)]
pub mod io;
#[doc(hidden)]
pub mod linking;
#[doc(hidden)]
pub mod memory;
#[doc(hidden)]
pub mod model;
#[doc(hidden)]
pub mod parsing;
#[doc(hidden)]
pub mod pipeline;
#[doc(hidden)]
pub mod record;
#[doc(hidden)]
pub mod segments;
#[doc(hidden)]
pub mod tagging;
#[doc(hidden)]
pub mod text;
#[doc(hidden)]
pub mod train;

pub use eval::quotes::{score_quotes, QuoteScores};
pub use eval::{
    score_analyses, score_head, score_parse, score_petrarch, EventScores, GoldReport, ParseScores,
    SpanScores,
};
pub use io::conllu::write_conllu;
pub use io::{read_inputs, Article, InputItem, JsonlWriter, OutputError, Shard};
pub use linking::{LinkError, Linker};
pub use model::{cpu, CpuFeatures, Kernel, ModelError, ModelSource, Precision, TokenClassifier};
pub use pipeline::{Pipeline, PipelineError, PipelineOptions};
pub use record::{
    Action, Analysis, Entity, Event, Participant, Quote, SentenceSyntax, Source, Span, TextSpan,
    Token,
};
pub use text::Interval;
pub use train::{train, HeadData, SyntaxData, TrainConfig, TrainError, TrainReport};
