//! `newsevents models`: what a model is and predicts.

use clap::{Args, Subcommand};
use newsevents::model::Precision;
use newsevents::ModelSource;
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

pub fn run(args: ModelsArgs, precision: Option<Precision>) -> anyhow::Result<ExitCode> {
    match args.command {
        ModelsCommand::Info { model } => {
            let source = ModelSource::parse(&model);
            let m = super::load_model(&source, precision)?;
            let c = &m.config;
            let cpu = newsevents::model::cpu();
            println!("model: {source}");
            println!("cpu: {} ({:?}; {})", cpu.brand, cpu.vendor, cpu.flags());
            println!(
                "kernel: {}{}",
                m.kernel().name(),
                if precision.is_none() {
                    " (the fastest on this CPU family; --precision overrides)"
                } else {
                    " (--precision)"
                }
            );
            println!(
                "encoder: {} layers, hidden {}, {} heads, vocab {}, case embedding: {}",
                c.num_hidden_layers,
                c.hidden_size,
                c.num_attention_heads,
                c.vocab_size,
                c.case_embedding
            );
            for h in &m.heads {
                if h.labels.len() > 60 {
                    println!(
                        "head {} ({:?} windows): {} labels ({} ...)",
                        h.name,
                        h.windows,
                        h.labels.len(),
                        h.labels[..8].join(" ")
                    );
                } else {
                    println!(
                        "head {} ({:?} windows): {}",
                        h.name,
                        h.windows,
                        h.labels.join(" ")
                    );
                }
            }
            if let Some(p) = &m.parser {
                println!(
                    "head deps ({:?} windows): biaffine arcs, {} relations: {}",
                    p.windows,
                    p.relations.len(),
                    p.relations.join(" ")
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
