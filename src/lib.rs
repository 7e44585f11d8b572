//! newsevents: who did what to whom, and who said what, in news articles.
//!
//! ```no_run
//! use newsevents::{Article, ModelSource, Pipeline};
//! let pipeline = Pipeline::load(&ModelSource::default_model())?;
//! let analyses = pipeline.analyze(&[Article::new("a1", "Russia fired missiles at Syrian targets.")])?;
//! println!("{}", serde_json::to_string(&analyses[0])?);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod corpus;
pub mod document;
pub mod eval;
pub mod inference;
pub mod io;
pub mod linking;
pub mod memory;
pub mod model;
pub mod parsing;
pub mod pipeline;
pub mod record;
pub mod segments;
pub mod tagging;
pub mod text;
pub mod train;

pub use io::Article;
pub use model::{ModelSource, TokenClassifier};
pub use pipeline::{Pipeline, PipelineError, PipelineOptions};
pub use record::{Analysis, Entity, Event, Quote, Span};
