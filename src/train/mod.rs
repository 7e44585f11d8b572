//! Fine-tuning the encoder and heads with candle: AdamW, warmup and linear decay, clipping,
//! dropout, dev evaluation every epoch, best model kept, resumable, seeded.

mod examples;
mod optimizer;

pub use examples::{collate, encode_sentences, encode_text, Example, SyntaxLabels, IGNORE};
pub use optimizer::{learning_rate, AdamW, AdamWConfig};

use crate::corpus::{from_attributions, from_conll, from_treebank, label_list, LabeledText};
use crate::document::WindowOptions;
use crate::eval::score_head;
use crate::eval::score_parse;
use crate::io::conllu::{read_conllu, UdSentence};
use crate::io::{brat::read_brat_folder, conll::read_conll};
use crate::model::{
    save_model, weights, DropoutRng, HeadConfig, Kernel, ModelSource, Precision, TokenClassifier,
    Windows, DEPS, ENTITIES, LEMMA, QUOTES, UPOS,
};
use crate::tagging::LabelSet;
use crate::text::SubwordEncoder;
use candle_core::{DType, Device, Tensor};
use candle_nn::{VarBuilder, VarMap};
use rand::seq::SliceRandom;
use rand::{rngs::StdRng, SeedableRng};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// One head's data: train and dev sets, how to cut them, and its batch size.
#[derive(Debug, Clone)]
pub struct HeadData {
    pub train: PathBuf,
    pub dev: Option<PathBuf>,
    pub batch_size: usize,
}

/// Treebanks for the syntax heads (UPOS, lemma, dependencies).
#[derive(Debug, Clone)]
pub struct SyntaxData {
    /// CoNLL-U files, read one after the other.
    pub train: Vec<PathBuf>,
    pub dev: Option<PathBuf>,
    /// Sentences per batch.
    pub batch_size: usize,
}

/// Everything a training run needs.
#[derive(Debug, Clone)]
pub struct TrainConfig {
    /// The model to start from: a base encoder, one of ours, or a Hugging Face checkpoint.
    pub init: PathBuf,
    pub output: PathBuf,
    /// CoNLL files for the entity head.
    pub entities: Option<HeadData>,
    /// PolNeAR-style brat folders for the quote head.
    pub quotes: Option<HeadData>,
    /// CoNLL-U treebanks for the syntax heads.
    pub syntax: Option<SyntaxData>,
    pub epochs: usize,
    pub lr: f64,
    pub warmup: f64,
    pub weight_decay: f64,
    pub clip: f64,
    pub seed: u64,
    pub case_embedding: bool,
    /// Windows for long texts (PolNeAR articles; CoNLL and treebank documents when `one_pass`).
    pub windows: WindowOptions,
    /// Train every head on document windows, as the quote head reads articles: the entity head
    /// on whole CoNLL documents cut into windows across sentences, the syntax heads on treebank
    /// documents with whole sentences packed into windows. A model whose heads all read the
    /// same windows needs one encoder pass at inference instead of two.
    pub one_pass: bool,
    /// Stop after this many optimiser steps (quick checks).
    pub max_steps: Option<usize>,
    /// Use at most this many training texts per head (quick checks).
    pub limit: Option<usize>,
    pub resume: bool,
    /// Store the best model's weights as f16 (the shipped format).
    pub f16: bool,
    /// The arithmetic of the dense products (master weights, optimiser and gradients' sums
    /// stay f32 either way).
    pub precision: Precision,
}

/// What `train` reports when done.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TrainReport {
    pub epochs: Vec<EpochReport>,
    pub best_epoch: Option<usize>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EpochReport {
    pub epoch: usize,
    pub loss: f64,
    pub seconds: f64,
    pub tokens_per_second: f64,
    /// Strict micro F1 on the dev split, per head.
    pub dev_f1: BTreeMap<String, f64>,
}

/// Saved beside the checkpoint, to resume.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct TrainState {
    epoch_done: usize,
    step: usize,
    best: Option<(usize, f64)>,
    report: TrainReport,
}

#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    #[error(transparent)]
    Model(#[from] crate::model::ModelError),
    #[error(transparent)]
    Conll(#[from] crate::io::conll::ConllError),
    #[error(transparent)]
    Brat(#[from] crate::io::brat::BratError),
    #[error(transparent)]
    Conllu(#[from] crate::io::conllu::ConlluError),
    #[error(transparent)]
    Pipeline(#[from] crate::pipeline::PipelineError),
    #[error("training failed")]
    Candle(#[from] candle_core::Error),
    #[error("cannot read or write {path}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{0}")]
    Invalid(String),
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> TrainError + '_ {
    move |e| TrainError::Io {
        path: path.display().to_string(),
        source: e,
    }
}

struct HeadSets {
    name: &'static str,
    /// The windows this head trains on and will read.
    windows: Windows,
    train: Vec<LabeledText>,
    dev: Vec<LabeledText>,
    batch_size: usize,
}

/// CoNLL texts: one per sentence, or one per document when `whole`.
fn conll_texts(
    path: &Path,
    whole: bool,
    limit: Option<usize>,
) -> Result<Vec<LabeledText>, TrainError> {
    let docs = read_conll(path)?;
    let mut out = Vec::new();
    for (d, doc) in docs.iter().enumerate() {
        if whole {
            out.push(from_conll(&d.to_string(), doc, ENTITIES));
            continue;
        }
        for (s, sentence) in doc.sentences.iter().enumerate() {
            let one = crate::io::conll::ConllDocument {
                sentences: vec![sentence.clone()],
            };
            out.push(from_conll(&format!("{d}.{s}"), &one, ENTITIES));
        }
    }
    out.truncate(limit.unwrap_or(usize::MAX));
    Ok(out)
}

fn brat_texts(path: &Path, limit: Option<usize>) -> Result<Vec<LabeledText>, TrainError> {
    let mut out: Vec<LabeledText> = read_brat_folder(path)?
        .iter()
        .map(|a| from_attributions(a, QUOTES))
        .collect();
    out.truncate(limit.unwrap_or(usize::MAX));
    Ok(out)
}

/// One head's train and dev texts, read with `read`.
fn head_sets(
    name: &'static str,
    windows: Windows,
    data: &HeadData,
    limit: Option<usize>,
    read: impl Fn(&Path, Option<usize>) -> Result<Vec<LabeledText>, TrainError>,
) -> Result<HeadSets, TrainError> {
    Ok(HeadSets {
        name,
        windows,
        train: read(&data.train, limit)?,
        dev: data
            .dev
            .as_deref()
            .map(|p| read(p, None))
            .transpose()?
            .unwrap_or_default(),
        batch_size: data.batch_size,
    })
}

/// The windows that heads trained on sentence data (CoNLL, treebanks) read, as their examples
/// were cut: documents with `one_pass`, else sentences.
fn sentence_data_windows(config: &TrainConfig) -> Windows {
    if config.one_pass {
        Windows::Document
    } else {
        Windows::Sentences
    }
}

fn load_sets(config: &TrainConfig) -> Result<Vec<HeadSets>, TrainError> {
    let mut sets = Vec::new();
    if let Some(h) = &config.entities {
        sets.push(head_sets(
            ENTITIES,
            sentence_data_windows(config),
            h,
            config.limit,
            |p, l| conll_texts(p, config.one_pass, l),
        )?);
    }
    if let Some(h) = &config.quotes {
        sets.push(head_sets(
            QUOTES,
            Windows::Document,
            h,
            config.limit,
            brat_texts,
        )?);
    }
    if sets.is_empty() && config.syntax.is_none() {
        return Err(TrainError::Invalid(
            "no training data: give entity (CoNLL), quote (brat) or syntax (CoNLL-U) data".into(),
        ));
    }
    Ok(sets)
}

/// The syntax heads' data: train and dev sentences and the label sets read off the training set.
struct Treebanks {
    train: Vec<UdSentence>,
    dev: Vec<UdSentence>,
    batch_size: usize,
    upos: Vec<String>,
    lemma_scripts: Vec<String>,
    relations: Vec<String>,
}

/// Edit scripts seen fewer times than this are left out of the lemma head's labels (the words
/// that need them train nothing): one-off scripts are typos and foreign words.
const MIN_SCRIPT_COUNT: usize = 2;

fn read_treebank(path: &Path, log: &mut dyn FnMut(&str)) -> Result<Vec<UdSentence>, TrainError> {
    let bank = read_conllu(path)?;
    for e in &bank.skipped {
        log(&format!("skipped a sentence: {e}"));
    }
    Ok(bank.sentences)
}

fn load_treebanks(
    config: &TrainConfig,
    log: &mut dyn FnMut(&str),
) -> Result<Option<Treebanks>, TrainError> {
    let Some(data) = &config.syntax else {
        return Ok(None);
    };
    let mut train = Vec::new();
    for path in &data.train {
        train.extend(read_treebank(path, log)?);
    }
    train.truncate(config.limit.unwrap_or(usize::MAX));
    let dev = match &data.dev {
        Some(path) => read_treebank(path, log)?,
        None => Vec::new(),
    };
    let words = || train.iter().flat_map(|s| s.words.iter());
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v.dedup();
        v
    };
    let mut counts: HashMap<String, usize> = HashMap::new();
    for w in words() {
        *counts
            .entry(crate::tagging::LemmaScript::between(&w.form, &w.lemma).label())
            .or_default() += 1;
    }
    let mut scripts: Vec<(String, usize)> = counts
        .into_iter()
        .filter(|(_, n)| *n >= MIN_SCRIPT_COUNT)
        .collect();
    scripts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(Some(Treebanks {
        upos: sorted(words().map(|w| w.upos.clone()).collect()),
        relations: sorted(words().map(|w| w.deprel.clone()).collect()),
        lemma_scripts: scripts.into_iter().map(|(s, _)| s).collect(),
        train,
        dev,
        batch_size: data.batch_size,
    }))
}

/// Builds the trainable model: config from `init` with our heads, weights from `init` where
/// names match (heads and the case embedding start fresh when `init` lacks them).
fn build_model(
    config: &TrainConfig,
    sets: &[HeadSets],
    treebanks: Option<&Treebanks>,
    varmap: &VarMap,
    device: &Device,
) -> Result<(TokenClassifier, PathBuf), TrainError> {
    let files = ModelSource::Dir(config.init.clone()).resolve()?;
    let mut model_config = crate::model::read_config(&files.config)?;
    model_config.case_embedding |= config.case_embedding;
    for set in sets {
        let labels = label_list(set.train.iter().flat_map(|t| t.tags.iter()));
        // A head whose labels match `init`'s keeps its weights (see below), whatever it read.
        model_config
            .heads
            .insert(set.name.to_string(), HeadConfig::new(labels, set.windows));
    }
    if let Some(t) = treebanks {
        let windows = sentence_data_windows(config);
        for (name, labels) in [
            (UPOS, &t.upos),
            (LEMMA, &t.lemma_scripts),
            (DEPS, &t.relations),
        ] {
            model_config
                .heads
                .insert(name.to_string(), HeadConfig::new(labels.clone(), windows));
        }
    }
    let tokenizer =
        SubwordEncoder::from_file(&files.tokenizer).map_err(crate::model::ModelError::from)?;
    let vb = VarBuilder::from_varmap(varmap, DType::F32, device);
    let model = TokenClassifier::build(vb, model_config, tokenizer)?;
    let pretrained = weights::load_tensors(&files.weights, device)?;
    let prefixed = pretrained.contains_key("bert.embeddings.word_embeddings.weight");
    let mut vars: Vec<(String, candle_core::Var)> = varmap
        .data()
        .lock()
        .expect("varmap lock")
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    vars.sort_by(|a, b| a.0.cmp(&b.0));
    let mut rng = StdRng::seed_from_u64(config.seed);
    for (name, var) in &vars {
        // Fresh tensors (heads, a new case embedding) get a seeded start: candle's own CPU
        // initialisers draw from an unseeded source. BERT's: N(0, 0.02) weights, zero biases,
        // and a zero case embedding so that it starts as a no-op on the base.
        let fresh = if name.ends_with(".bias") || name.contains("case_embeddings") {
            Tensor::zeros(var.shape(), DType::F32, device)?
        } else {
            let normal = rand_distr::Normal::new(0.0f32, 0.02).expect("valid normal");
            let values: Vec<f32> = (0..var.elem_count())
                .map(|_| rand::Rng::sample(&mut rng, normal))
                .collect();
            Tensor::from_vec(values, var.shape(), device)?
        };
        var.set(&fresh)?;
        let mut source = if prefixed {
            name.clone()
        } else {
            name.trim_start_matches("bert.").to_string()
        };
        if !pretrained.contains_key(&source) && name.starts_with("heads.entities.") {
            // A Hugging Face token classifier: its `classifier` is our entity head.
            source = name.replace("heads.entities.", "classifier.");
        }
        if let Some(t) = pretrained.get(&source) {
            if t.dims() == var.dims() {
                var.set(t)?;
            }
        }
    }
    Ok((model, files.tokenizer))
}

/// Trains as `config` says, calling `log` with progress lines; returns the per-epoch report.
///
/// ```no_run
/// use newsevents::train::{train, SyntaxData, TrainConfig};
/// use newsevents::Precision;
/// let config = TrainConfig {
///     init: "base-model".into(),
///     output: "runs/parser".into(),
///     entities: None,
///     quotes: None,
///     syntax: Some(SyntaxData {
///         train: vec!["en_ewt-ud-train.conllu".into()],
///         dev: Some("en_ewt-ud-dev.conllu".into()),
///         batch_size: 32,
///     }),
///     epochs: 3,
///     lr: 1e-4,
///     warmup: 0.1,
///     weight_decay: 0.01,
///     clip: 1.0,
///     seed: 13,
///     case_embedding: true,
///     windows: Default::default(),
///     one_pass: false,
///     max_steps: None,
///     limit: None,
///     resume: false,
///     f16: true,
///     precision: Precision::Bf16,
/// };
/// let report = train(&config, &mut |line| eprintln!("{line}"))?;
/// println!("best epoch {:?}", report.best_epoch);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn train(config: &TrainConfig, log: &mut dyn FnMut(&str)) -> Result<TrainReport, TrainError> {
    let device = Device::Cpu;
    let sets = load_sets(config)?;
    let treebanks = load_treebanks(config, log)?;
    let varmap = VarMap::new();
    let (mut model, tokenizer_path) =
        build_model(config, &sets, treebanks.as_ref(), &varmap, &device)?;
    model.train_on(Kernel::best(config.precision));
    let head_index = |name: &str| {
        model
            .heads
            .iter()
            .position(|h| h.name == name)
            .expect("head was configured")
    };
    for s in &sets {
        log(&format!(
            "{}: {} training texts, {} dev texts",
            s.name,
            s.train.len(),
            s.dev.len()
        ));
    }

    let mut examples: Vec<Vec<Example>> = Vec::new();
    for set in &sets {
        let h = head_index(set.name);
        let labels = LabelSet::new(&model.heads[h].labels);
        let mut all = Vec::new();
        for t in &set.train {
            all.extend(
                encode_text(
                    t,
                    h,
                    &labels,
                    &model.tokenizer,
                    config.windows.max_tokens,
                    config.windows.stride,
                )
                .map_err(crate::model::ModelError::from)?,
            );
        }
        log(&format!(
            "{}: {} windows, {} subword tokens per epoch",
            set.name,
            all.len(),
            all.iter().map(|e| e.ids.len()).sum::<usize>()
        ));
        examples.push(all);
    }
    let mut batch_sizes: Vec<usize> = sets.iter().map(|s| s.batch_size).collect();
    if let Some(t) = &treebanks {
        let upos = LabelSet::new(&t.upos);
        let lemma = LabelSet::new(&t.lemma_scripts);
        let relations = LabelSet::new(&t.relations);
        let labels = SyntaxLabels {
            upos: (head_index(UPOS), &upos),
            lemma: (head_index(LEMMA), &lemma),
            relations: &relations,
        };
        let mut all = Vec::new();
        // Sentences are packed into windows only within their document.
        for document in crate::io::conllu::documents(&t.train) {
            all.extend(
                encode_sentences(
                    &from_treebank(document),
                    &labels,
                    &model.tokenizer,
                    config.windows.max_tokens,
                    config.one_pass,
                )
                .map_err(crate::model::ModelError::from)?,
            );
        }
        log(&format!(
            "syntax: {} examples of {} sentences ({} with a gold tree in a window), {} subword tokens per epoch; {} UPOS, {} lemma scripts, {} relations",
            all.len(),
            t.train.len(),
            all.iter().map(|e| e.arcs.len()).sum::<usize>(),
            all.iter().map(|e| e.ids.len()).sum::<usize>(),
            t.upos.len(),
            t.lemma_scripts.len(),
            t.relations.len()
        ));
        examples.push(all);
        batch_sizes.push(t.batch_size);
    }

    let mut named_vars: Vec<(String, candle_core::Var)> = varmap
        .data()
        .lock()
        .expect("varmap lock")
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    named_vars.sort_by(|a, b| a.0.cmp(&b.0));
    let mut optimizer = AdamW::new(
        named_vars.clone(),
        AdamWConfig {
            lr: config.lr,
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
            weight_decay: config.weight_decay,
        },
    )?;

    let steps_per_epoch: usize = batch_sizes
        .iter()
        .zip(&examples)
        .map(|(&size, e)| e.len().div_ceil(size.max(1)))
        .sum();
    // The schedule spans every epoch; `max_steps` only stops early, so a stopped run resumed
    // later follows the same schedule as one that never stopped.
    let total_steps = steps_per_epoch * config.epochs;
    let stop_at = config.max_steps.unwrap_or(usize::MAX).min(total_steps);
    let warmup = (total_steps as f64 * config.warmup).round() as usize;

    std::fs::create_dir_all(&config.output).map_err(io_err(&config.output))?;
    let checkpoint = config.output.join("checkpoint");
    let mut state = TrainState {
        epoch_done: 0,
        step: 0,
        best: None,
        report: TrainReport {
            epochs: Vec::new(),
            best_epoch: None,
        },
    };
    if config.resume && checkpoint.join("state.json").exists() {
        let text =
            std::fs::read_to_string(checkpoint.join("state.json")).map_err(io_err(&checkpoint))?;
        state = serde_json::from_str(&text)
            .map_err(|e| TrainError::Invalid(format!("{}: {e}", checkpoint.display())))?;
        let saved = weights::load_tensors(&checkpoint.join("model.safetensors"), &device)?;
        for (name, var) in &named_vars {
            let t = saved
                .get(name)
                .ok_or_else(|| TrainError::Invalid(format!("checkpoint has no tensor {name}")))?;
            var.set(t)?;
        }
        optimizer.load(&checkpoint.join("optimizer.safetensors"), state.step)?;
        log(&format!(
            "resumed after epoch {} (step {})",
            state.epoch_done, state.step
        ));
    }

    for epoch in state.epoch_done..config.epochs {
        if state.step >= stop_at {
            break;
        }
        let started = Instant::now();
        let mut rng = StdRng::seed_from_u64(config.seed.wrapping_add(epoch as u64));
        let dropout = DropoutRng::seeded(config.seed.wrapping_mul(31).wrapping_add(epoch as u64));
        let batches = plan_batches(&batch_sizes, &examples, &mut rng);
        let (mut loss_sum, mut loss_n, mut tokens) = (0f64, 0usize, 0usize);
        for (bi, batch_refs) in batches.iter().enumerate() {
            if state.step >= stop_at {
                break;
            }
            let refs: Vec<&Example> = batch_refs.iter().map(|&(s, i)| &examples[s][i]).collect();
            let batch = collate(&refs, model.heads.len(), model.tokenizer.pad, &device)?;
            let (hidden, logits) = model.forward_hidden(&batch.inputs, Some(&dropout))?;
            let mut loss: Option<Tensor> = None;
            if let (Some((sentences, gold)), Some(parser)) = (&batch.arcs, &model.parser) {
                let words = hidden.reshape(((), model.config.hidden_size))?;
                loss = Some(parser.loss(&words, sentences, gold)?);
            }
            for (h, target) in batch.targets.iter().enumerate() {
                let Some((positions, labels)) = target else {
                    continue;
                };
                let n = model.heads[h].labels.len();
                let flat = logits[h].reshape(((), n))?;
                let picked = flat.index_select(positions, 0)?;
                let l = candle_nn::loss::cross_entropy(&picked, labels)?;
                loss = Some(match loss {
                    Some(acc) => (acc + l)?,
                    None => l,
                });
            }
            let Some(loss) = loss else { continue };
            let grads = loss.backward()?;
            let norm = optimizer.grad_norm(&grads)?;
            let scale = if norm > config.clip && config.clip > 0.0 {
                config.clip / (norm + 1e-6)
            } else {
                1.0
            };
            let lr = learning_rate(config.lr, state.step, warmup, total_steps);
            optimizer.step(&grads, lr, scale)?;
            state.step += 1;
            let value = loss.to_scalar::<f32>()? as f64;
            loss_sum += value;
            loss_n += 1;
            tokens += batch.tokens;
            if bi % 50 == 0 {
                let rate = tokens as f64 / started.elapsed().as_secs_f64().max(1e-9);
                log(&format!(
                    "epoch {} step {}/{} batch {}/{} loss {:.4} lr {:.2e} grad-norm {:.2} {:.0} tokens/s",
                    epoch + 1, state.step, total_steps, bi + 1, batches.len(), value, lr, norm, rate
                ));
            }
        }
        let seconds = started.elapsed().as_secs_f64();
        let trained = TokenClassifier::build(
            VarBuilder::from_varmap(&varmap, DType::F32, &device),
            model.config.clone(),
            model.tokenizer.clone(),
        )?;
        let mut dev_f1 = BTreeMap::new();
        for set in &sets {
            if set.dev.is_empty() {
                continue;
            }
            let scores = score_head(&trained, set.name, &set.dev, config.windows, 16)?;
            dev_f1.insert(set.name.to_string(), scores.micro().f1);
        }
        if let Some(t) = treebanks.as_ref().filter(|t| !t.dev.is_empty()) {
            let scores = score_parse(&trained, &t.dev, config.windows, 16)?;
            log(&format!(
                "epoch {} dev syntax: UPOS {:.4} lemma {:.4} UAS {:.4} LAS {:.4}",
                epoch + 1,
                scores.upos_accuracy(),
                scores.lemma_accuracy(),
                scores.uas_score(),
                scores.las_score()
            ));
            // LAS stands for the syntax heads when the best epoch is picked.
            dev_f1.insert(DEPS.to_string(), scores.las_score());
        }
        let report = EpochReport {
            epoch: epoch + 1,
            loss: loss_sum / loss_n.max(1) as f64,
            seconds,
            tokens_per_second: tokens as f64 / seconds.max(1e-9),
            dev_f1: dev_f1.clone(),
        };
        log(&format!(
            "epoch {} done: mean loss {:.4}, {:.0} s, {:.0} tokens/s, dev F1 {:?}",
            report.epoch, report.loss, report.seconds, report.tokens_per_second, report.dev_f1
        ));
        state.report.epochs.push(report);
        // Mean dev F1 over heads picks the best epoch; without dev data the last one is best.
        let score = if dev_f1.is_empty() {
            epoch as f64
        } else {
            dev_f1.values().sum::<f64>() / dev_f1.len() as f64
        };
        let tensors = var_tensors(&named_vars);
        if state.best.is_none_or(|(_, b)| score > b) {
            state.best = Some((epoch + 1, score));
            state.report.best_epoch = Some(epoch + 1);
            let dtype = if config.f16 { DType::F16 } else { DType::F32 };
            save_model(
                &config.output,
                &model.config,
                &tokenizer_path,
                &tensors,
                dtype,
            )?;
            log(&format!(
                "epoch {}: best so far, saved to {}",
                epoch + 1,
                config.output.display()
            ));
        }
        state.epoch_done = epoch + 1;
        save_model(
            &checkpoint,
            &model.config,
            &tokenizer_path,
            &tensors,
            DType::F32,
        )?;
        optimizer.save(&checkpoint.join("optimizer.safetensors"))?;
        let json = serde_json::to_string_pretty(&state).expect("state serialises");
        std::fs::write(checkpoint.join("state.json"), json).map_err(io_err(&checkpoint))?;
        std::fs::write(
            config.output.join("training.json"),
            serde_json::to_string_pretty(&state.report).expect("report serialises"),
        )
        .map_err(io_err(&config.output))?;
    }
    Ok(state.report)
}

fn var_tensors(vars: &[(String, candle_core::Var)]) -> HashMap<String, Tensor> {
    vars.iter()
        .map(|(k, v)| (k.clone(), v.as_tensor().detach()))
        .collect()
}

/// One epoch's batches: each corpus shuffled, cut into length-sorted groups so batches carry
/// little padding, batched by its own size; then all batches shuffled together.
fn plan_batches(
    batch_sizes: &[usize],
    examples: &[Vec<Example>],
    rng: &mut StdRng,
) -> Vec<Vec<(usize, usize)>> {
    let mut batches = Vec::new();
    for (s, (&size, ex)) in batch_sizes.iter().zip(examples).enumerate() {
        let size = size.max(1);
        let mut order: Vec<usize> = (0..ex.len()).collect();
        order.shuffle(rng);
        for group in order.chunks(size * 50) {
            let mut group = group.to_vec();
            group.sort_by_key(|&i| ex[i].ids.len());
            for b in group.chunks(size) {
                batches.push(b.iter().map(|&i| (s, i)).collect::<Vec<_>>());
            }
        }
    }
    batches.shuffle(rng);
    batches
}
