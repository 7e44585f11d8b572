//! `newsevents train`: fine-tune the encoder and heads on CoNLL and/or brat data.

use anyhow::Context;
use clap::Args;
use newsevents::document::WindowOptions;
use newsevents::model::{Kernel, Precision};
use newsevents::train::{train, HeadData, SyntaxData, TrainConfig};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Fine-tune a model: the entity head on CoNLL files, the quote head on PolNeAR-style brat
/// folders (text/ + attributions/), the syntax heads (UPOS, lemma, dependencies) on CoNLL-U
/// treebanks; jointly when several are given.
#[derive(Args)]
#[command(
    after_help = "Writes OUTPUT/ as a model directory (config.json, model.safetensors, \
tokenizer.json) holding the epoch with the best dev F1, OUTPUT/checkpoint/ after every epoch \
(resume with --resume), OUTPUT/train.log and OUTPUT/training.json.

Example (the recipe of models/default, see scripts/finetune.sh):
  newsevents train --init base-model --output runs/m \\
      --conll-train eng.train --conll-dev eng.testa \\
      --brat-train polnear/data/train --brat-dev polnear/data/dev \\
      --ud-train ud_english/ewt/en_ewt-ud-train.conllu --ud-dev ud_english/ewt/en_ewt-ud-dev.conllu \\
      --epochs 3 --case-embedding --f16"
)]
pub struct TrainArgs {
    /// Model directory to start from (the base encoder, or a model to fine-tune further).
    #[arg(long)]
    init: PathBuf,
    /// Output model directory.
    #[arg(long)]
    output: PathBuf,
    /// CoNLL training file for the entity head.
    #[arg(long)]
    conll_train: Option<PathBuf>,
    /// CoNLL dev file, scored after each epoch.
    #[arg(long)]
    conll_dev: Option<PathBuf>,
    /// Sentences (or document windows, with --one-pass) per entity batch.
    #[arg(long, default_value_t = 32)]
    conll_batch: usize,
    /// Train every head on --window document windows, as articles are read: the entity head
    /// on whole CoNLL documents cut across sentences, the syntax heads on treebank documents
    /// with whole sentences packed into windows (give --conll-batch and --ud-batch in windows
    /// then). The model reads a text in one encoder pass instead of two.
    #[arg(long)]
    one_pass: bool,
    /// brat folder (text/ + attributions/) for the quote head.
    #[arg(long)]
    brat_train: Option<PathBuf>,
    /// brat dev folder, scored after each epoch.
    #[arg(long)]
    brat_dev: Option<PathBuf>,
    /// Windows per quote batch.
    #[arg(long, default_value_t = 16)]
    brat_batch: usize,
    /// CoNLL-U treebank for the syntax heads (repeat for several: EWT, GUM).
    #[arg(long)]
    ud_train: Vec<PathBuf>,
    /// CoNLL-U dev treebank, scored (UPOS, lemma, UAS, LAS) after each epoch.
    #[arg(long)]
    ud_dev: Option<PathBuf>,
    /// Sentences per syntax batch.
    #[arg(long, default_value_t = 32)]
    ud_batch: usize,
    #[arg(long, default_value_t = 3)]
    epochs: usize,
    /// Peak learning rate (AdamW).
    #[arg(long, default_value_t = 1e-4)]
    lr: f64,
    /// Share of steps spent warming up linearly.
    #[arg(long, default_value_t = 0.1)]
    warmup: f64,
    #[arg(long, default_value_t = 0.01)]
    weight_decay: f64,
    /// Gradient norm clip (0 = off).
    #[arg(long, default_value_t = 1.0)]
    clip: f64,
    #[arg(long, default_value_t = 13)]
    seed: u64,
    /// Add a learned case-shape embedding (restores capitalisation to an uncased base).
    #[arg(long)]
    case_embedding: bool,
    /// Subwords per window for long texts.
    #[arg(long, default_value_t = 254)]
    window: usize,
    /// Subwords between window starts.
    #[arg(long, default_value_t = 192)]
    stride: usize,
    /// Stop after this many steps (quick checks).
    #[arg(long)]
    max_steps: Option<usize>,
    /// Use at most this many training texts per head (quick checks).
    #[arg(long)]
    limit: Option<usize>,
    /// Continue from OUTPUT/checkpoint.
    #[arg(long)]
    resume: bool,
    /// Store the best model's weights in f16 (half the size; loaded as f32).
    #[arg(long)]
    f16: bool,
}

pub fn run(args: TrainArgs, precision: Option<Precision>) -> anyhow::Result<ExitCode> {
    if precision == Some(Precision::Int8) {
        anyhow::bail!("--precision int8 is for inference: train with f32 or bf16 products");
    }
    let config = TrainConfig {
        init: args.init,
        output: args.output.clone(),
        entities: args.conll_train.map(|train| HeadData {
            train,
            dev: args.conll_dev,
            batch_size: args.conll_batch,
        }),
        quotes: args.brat_train.map(|train| HeadData {
            train,
            dev: args.brat_dev,
            batch_size: args.brat_batch,
        }),
        syntax: (!args.ud_train.is_empty()).then_some(SyntaxData {
            train: args.ud_train,
            dev: args.ud_dev,
            batch_size: args.ud_batch,
        }),
        epochs: args.epochs,
        lr: args.lr,
        warmup: args.warmup,
        weight_decay: args.weight_decay,
        clip: args.clip,
        seed: args.seed,
        case_embedding: args.case_embedding,
        one_pass: args.one_pass,
        windows: WindowOptions {
            max_tokens: args.window.clamp(8, 510),
            stride: args.stride.max(1),
        },
        max_steps: args.max_steps,
        limit: args.limit,
        resume: args.resume,
        f16: args.f16,
        // Training products run where inference is fastest unless --precision says otherwise.
        precision: precision.unwrap_or_else(|| Kernel::fastest().for_training().precision()),
    };
    std::fs::create_dir_all(&args.output)
        .with_context(|| format!("creating {}", args.output.display()))?;
    let log_path = args.output.join("train.log");
    let mut log_file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&log_path)
        .with_context(|| format!("opening {}", log_path.display()))?;
    let mut log = |line: &str| {
        eprintln!("{line}");
        let _ = writeln!(log_file, "{line}");
    };
    let report = train(&config, &mut log).context("training")?;
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(ExitCode::SUCCESS)
}
