//! `newsevents models`: what a model is and predicts.

use anyhow::Context;
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
    /// Write the lemma lexicon of CoNLL-U treebanks (each form and UPOS to its most frequent
    /// lemma) to a model directory's `lemmas.tsv`: the model then takes a known form's lemma
    /// from it and the lemma head's script for the rest.
    Lemmas {
        /// A CoNLL-U treebank (repeatable): the ones the model was trained on.
        #[arg(long = "treebank", required = true)]
        treebanks: Vec<std::path::PathBuf>,
        /// The model directory to write `lemmas.tsv` into.
        #[arg(long)]
        model: std::path::PathBuf,
    },
}

pub fn run(args: ModelsArgs, precision: Option<Precision>) -> anyhow::Result<ExitCode> {
    match args.command {
        ModelsCommand::Lemmas { treebanks, model } => {
            let mut banks = Vec::new();
            for path in &treebanks {
                let bank = newsevents::io::conllu::read_conllu(path)?;
                for skipped in &bank.skipped {
                    eprintln!("warning: skipped {skipped}");
                }
                banks.push(bank);
            }
            let words = banks
                .iter()
                .flat_map(|b| &b.sentences)
                .flat_map(|s| &s.words)
                .map(|w| (w.form.as_str(), w.upos.as_str(), w.lemma.as_str()));
            let lexicon = newsevents::tagging::LemmaLexicon::from_words(words);
            let path = model.join(newsevents::model::LEMMAS);
            std::fs::write(&path, lexicon.to_tsv())
                .with_context(|| format!("writing {}", path.display()))?;
            println!("{} forms written to {}", lexicon.len(), path.display());
            Ok(ExitCode::SUCCESS)
        }
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
