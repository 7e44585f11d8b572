//! The dictionaries a linker codes actors with: the built-in Phoenix ones plus the user's
//! PETRARCH-format files, which take precedence.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use thiserror::Error;

use super::lexicon::{ActorDictionary, AgentDictionary, LexiconError, VerbLexicon};
use super::news_lexicon::news_lexicon;

/// A user dictionary that cannot be used.
#[derive(Debug, Error)]
pub enum LinkError {
    #[error("cannot read dictionary {path}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}:{line}: {message}")]
    Dictionary {
        path: PathBuf,
        line: usize,
        message: String,
    },
}

impl LinkError {
    fn from_lexicon(path: &Path, error: LexiconError) -> LinkError {
        let line = error.line();
        // The lexicon's message starts with "origin:line: "; keep only what follows.
        let text = error.to_string();
        let prefix = format!("{}:{line}: ", error.origin());
        let message = text.strip_prefix(&prefix).unwrap_or(&text).to_string();
        LinkError::Dictionary {
            path: path.to_path_buf(),
            line,
            message,
        }
    }
}

fn read(path: &Path) -> Result<String, LinkError> {
    std::fs::read_to_string(path).map_err(|source| LinkError::Read {
        path: path.to_path_buf(),
        source,
    })
}

/// Actor, agent and verb dictionaries, borrowed from the built-ins unless the user added files.
#[derive(Debug, Clone)]
pub(crate) struct Dictionaries {
    pub actors: Cow<'static, ActorDictionary>,
    pub agents: Cow<'static, AgentDictionary>,
    pub verbs: Cow<'static, VerbLexicon>,
}

impl Default for Dictionaries {
    fn default() -> Self {
        Dictionaries {
            actors: Cow::Borrowed(ActorDictionary::builtin()),
            agents: Cow::Borrowed(AgentDictionary::builtin()),
            verbs: Cow::Borrowed(news_lexicon()),
        }
    }
}

impl Dictionaries {
    /// The built-ins extended with `actor_files` and `agent_files`, later files winning.
    pub(crate) fn with_files(
        actor_files: &[PathBuf],
        agent_files: &[PathBuf],
    ) -> Result<Dictionaries, LinkError> {
        let mut out = Dictionaries::default();
        for path in actor_files {
            let text = read(path)?;
            let origin = path.display().to_string();
            let user = ActorDictionary::parse(&text, &origin)
                .map_err(|e| LinkError::from_lexicon(path, e))?;
            out.actors.to_mut().extend(user);
        }
        for path in agent_files {
            let text = read(path)?;
            let origin = path.display().to_string();
            let user = AgentDictionary::parse(&text, &origin)
                .map_err(|e| LinkError::from_lexicon(path, e))?;
            out.agents.to_mut().extend(user);
        }
        Ok(out)
    }

    /// Adds CAMEO verb pattern files (PETRARCH format); their spellings win over the built-ins.
    /// Lines PETRARCH would skip are skipped too and returned as `file:line: problem`.
    pub(crate) fn add_verb_files(
        &mut self,
        verb_files: &[PathBuf],
    ) -> Result<Vec<String>, LinkError> {
        let mut skipped = Vec::new();
        for path in verb_files {
            let text = read(path)?;
            let origin = path.display().to_string();
            let report = VerbLexicon::parse_lenient(&text, &origin);
            skipped.extend(report.skipped.iter().map(ToString::to_string));
            self.verbs.to_mut().extend(report.dictionary);
        }
        Ok(skipped)
    }
}
