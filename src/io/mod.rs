//! Reading articles and corpora, writing records.

mod arcs;
mod article;
pub mod brat;
pub mod conll;
pub mod conllu;
pub mod corefud;
pub mod html;
mod input;
mod output;
pub mod petrarch;
mod shard;

pub use article::Article;
pub use input::{parse_record, read_inputs, read_jsonl, BadRecord, InputItem, Location};
pub use output::{JsonlWriter, OutputError};
pub use shard::Shard;
