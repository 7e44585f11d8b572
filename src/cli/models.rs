//! `newsevents models`: what a model is and predicts.

use anyhow::Context;
use clap::{Args, Subcommand};
use newsevents::{ModelSource, TokenClassifier};
use std::process::ExitCode;

/// Inspect models: heads, labels, size.
#[derive(Args)]
#[command(
    after_help = "Example:\n  newsevents models info default\n  HF_HUB_OFFLINE=1 newsevents models info dslim/bert-base-NER"
)]
pub struct ModelsArgs {
    #[command(subcommand)]
    command: ModelsCommand,
}

#[derive(Subcommand)]
enum ModelsCommand {
    /// Load a model (directory, `default` or hub id) and print its heads and labels.
    Info { model: String },
}

pub fn run(args: ModelsArgs) -> anyhow::Result<ExitCode> {
    match args.command {
        ModelsCommand::Info { model } => {
            let source = ModelSource::parse(&model);
            let m = TokenClassifier::load(&source, &candle_core::Device::Cpu)
                .with_context(|| format!("loading model {source}"))?;
            let c = &m.config;
            println!("model: {source}");
            println!(
                "encoder: {} layers, hidden {}, {} heads, vocab {}, case embedding: {}",
                c.num_hidden_layers,
                c.hidden_size,
                c.num_attention_heads,
                c.vocab_size,
                c.case_embedding
            );
            for h in &m.heads {
                println!("head {}: {}", h.name, h.labels.join(" "));
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
