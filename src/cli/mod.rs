//! Argument parsing and the subcommands.

mod eval;
mod extract;
mod linker_args;
mod models;
mod train;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

const ABOUT: &str = "Who did what to whom, and who said what: entities, attributed quotes and \
CAMEO/PLOVER-coded events from news articles.";

const EXAMPLES: &str = "Examples:
  newsevents extract article.txt                    one article, JSONL on stdout
  newsevents extract dump.jsonl.gz -o out.jsonl     a dump, resumable with --resume
  cat article.txt | newsevents extract -            stdin
  newsevents eval entities --data eng.testb         scores on a labelled set
  newsevents models info default                    what a model predicts";

#[derive(Parser)]
#[command(name = "newsevents", version, about = ABOUT, after_help = EXAMPLES)]
pub struct Cli {
    /// CPU threads for the encoder and tokenization (default: all cores).
    #[arg(long, global = true)]
    pub threads: Option<usize>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    Extract(extract::ExtractArgs),
    Eval(eval::EvalArgs),
    Train(train::TrainArgs),
    Models(models::ModelsArgs),
}

/// Sizes the thread pools before any of them starts: candle reads `RAYON_NUM_THREADS`.
pub fn set_threads(threads: usize) {
    let threads = threads.max(1);
    std::env::set_var("RAYON_NUM_THREADS", threads.to_string());
    let _ = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build_global();
}

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Extract(args) => extract::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Train(args) => train::run(args),
        Command::Models(args) => models::run(args),
    }
}
