//! Argument parsing and the subcommands.

mod eval;
mod extract;
mod linker_args;
mod models;
mod train;

use anyhow::Context;
use clap::{Parser, Subcommand};
use newsevents::model::{Kernel, Precision};
use newsevents::{ModelSource, TokenClassifier};
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
    /// Arithmetic of the encoder's dense layers; by default the fastest on this CPU family
    /// (`newsevents models info` says which): int8 on AMD Zen 4, where it runs `extract` 1.4x
    /// faster than bf16 and 2.3x faster than f32, f32 on Intel Xeons, where AVX-512 BF16
    /// issues slower than f32 FMA (BENCHMARKS.md). `bf16` rounds weights and activations to
    /// bfloat16 and sums in f32; `int8` scales each weight column and each activation row to
    /// 8 bits and sums in i32 (attention in bf16); every score in models/README.md stays within
    /// 0.003 of f32 under both. CPUs without AVX-512 BF16 (VNNI) run f32 for bf16 (int8). `f32`
    /// is the reference: the scores in models/README.md are its. In `train`, bf16 applies to
    /// the products only (weights, optimiser and sums stay f32); int8 is for inference.
    #[arg(long, global = true)]
    pub precision: Option<Precision>,
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

/// Loads a model for inference, its weights packed once for the kernel of `precision`.
fn load_model(
    source: &ModelSource,
    precision: Option<Precision>,
) -> anyhow::Result<TokenClassifier> {
    TokenClassifier::load_on(source, &candle_core::Device::Cpu, Kernel::chosen(precision))
        .with_context(|| format!("loading model {source}"))
}

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Extract(args) => extract::run(args, cli.precision),
        Command::Eval(args) => eval::run(args, cli.precision),
        Command::Train(args) => train::run(args, cli.precision),
        Command::Models(args) => models::run(args, cli.precision),
    }
}
