//! Event-coding lexicons: PETRARCH actor, agent and CAMEO verb dictionaries,
//! curated event nouns and the CAMEO-to-PLOVER table, with embedded defaults.

mod actors;
mod agents;
mod coding;
mod dates;
mod error;
mod event_code;
mod nouns;
mod phrase_file;
mod phrase_index;
mod plover;
mod source;
mod verbs;
mod words;

pub use actors::{ActorDictionary, ActorEntry, ActorMatch};
pub use agents::{AgentDictionary, AgentEntry, AgentMatch, AgentPosition};
pub use coding::{code_phrase, code_phrase_at};
pub use dates::{Date, DatedCode, Validity};
pub use error::{LexiconError, ParseReport};
pub use nouns::{NounMatch, NounTable};
pub use plover::{cameo_root, plover, plover_mapping, PloverMapping};
pub use verbs::{VerbLexicon, VerbMatch};
pub use words::WordRange;
