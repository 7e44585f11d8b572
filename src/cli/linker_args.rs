//! The dictionary options shared by `extract` and `eval`.

use anyhow::Context;
use clap::Args;
use newsevents::linking::Linker;
use std::path::PathBuf;

/// User dictionaries in PETRARCH format; they take precedence over the built-in ones.
#[derive(Args, Clone, Default)]
pub struct LinkerArgs {
    /// Actor dictionary (PETRARCH format: names -> CAMEO actor codes); repeatable.
    #[arg(long = "actors", value_name = "FILE")]
    actors: Vec<PathBuf>,
    /// Agent dictionary (PETRARCH format: army -> MIL, ...); repeatable.
    #[arg(long = "agents", value_name = "FILE")]
    agents: Vec<PathBuf>,
    /// CAMEO verb pattern file (PETRARCH format); repeatable.
    #[arg(long = "verbs", value_name = "FILE")]
    verbs: Vec<PathBuf>,
}

impl LinkerArgs {
    pub fn linker(&self) -> anyhow::Result<Linker> {
        let linker = Linker::with_dictionaries(&self.actors, &self.agents)
            .context("reading dictionaries")?;
        let (linker, skipped) = linker
            .with_verbs(&self.verbs)
            .context("reading verb patterns")?;
        for line in skipped {
            eprintln!("warning: skipped {line}");
        }
        Ok(linker)
    }
}
