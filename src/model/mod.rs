//! The token-classification model: one BERT encoder, several linear token heads, its tokenizer.

mod attention;
mod config;
mod cpu;
mod dense;
mod dropout;
mod encoder;
pub mod fastmath;
mod kernels;
mod matmul;
mod packed;
mod parser;
mod save;
mod source;
mod training_attention;
pub mod weights;

pub use config::{HeadConfig, HiddenAct, ModelConfig, Windows};
pub use cpu::{cpu, CpuFeatures, Vendor};
pub use dropout::DropoutRng;
pub use encoder::{Encoder, Linear};
pub use packed::{Activation, Kernel, PackedLinear, Precision};
pub use parser::{ArcOutput, DependencyHead, GoldArcs, SentenceBatch};
pub use save::save_model;
pub use source::{ModelFiles, ModelSource, LEMMAS};

use crate::tagging::LemmaLexicon;
use crate::text::{EncodeError, SubwordEncoder};
use candle_core::{Device, Tensor};
use candle_nn::VarBuilder;
use std::path::Path;

/// Name of the entity head; Hugging Face's single `classifier` loads under it.
pub const ENTITIES: &str = "entities";
/// Name of the quote head (BIO over SOURCE, CUE, CONTENT).
pub const QUOTES: &str = "quotes";
/// Name of the UPOS head (the 17 Universal POS tags).
pub const UPOS: &str = "upos";
/// Name of the lemma head (edit scripts, `tagging::LemmaScript`).
pub const LEMMA: &str = "lemma";
/// Name of the dependency head; its labels are the relations.
pub const DEPS: &str = "deps";

/// What a model directory holds and where one comes from, for errors that miss one.
pub const MODEL_FILES: &str = "A model is a directory with config.json, model.safetensors \
(or pytorch_model.bin) and tokenizer.json: the shipped one is models/default of the source \
tree (or $NEWSEVENTS_MODEL); `--model OWNER/NAME` fetches a Hugging Face hub model (e.g. \
dslim/bert-base-NER) into its cache; `newsevents train` writes one.";

#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("{what} not found at {path}. {MODEL_FILES}")]
    NotFound { what: String, path: String },
    #[error("cannot read {path}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: {reason}")]
    Config { path: String, reason: String },
    #[error("{path}: corrupt weights: {reason}")]
    Corrupt { path: String, reason: String },
    #[error("{path}: {reason}")]
    Mismatch { path: String, reason: String },
    /// The weights file disagrees with config.json; the source names the tensor.
    #[error("{path}: the weights do not match config.json")]
    WeightsMismatch {
        path: String,
        #[source]
        source: Box<candle_core::Error>,
    },
    /// candle could not read the weights file; the source says why.
    #[error("{path}: corrupt weights")]
    Unreadable {
        path: String,
        #[source]
        source: Box<candle_core::Error>,
    },
    #[error("hub model {repo}, file {file}: {reason}")]
    Hub {
        repo: String,
        file: String,
        reason: String,
    },
    #[error(transparent)]
    Tokenizer(#[from] EncodeError),
    #[error("tensor computation failed")]
    Candle(#[from] candle_core::Error),
}

/// One token-classification head: a linear layer over the encoder's last hidden states.
pub struct Head {
    pub name: String,
    pub labels: Vec<String>,
    /// The windows it reads (those it was trained on).
    pub windows: Windows,
    linear: Linear,
}

impl Head {
    pub fn load(
        vb: VarBuilder,
        name: &str,
        config: &HeadConfig,
        hidden: usize,
    ) -> candle_core::Result<Self> {
        let linear = Linear::load(vb, hidden, config.id2label.len())?;
        Ok(Head {
            name: name.to_string(),
            labels: config.id2label.clone(),
            windows: config.windows(name),
            linear,
        })
    }
}

impl Head {
    /// Logits `(batch, seq, labels)` from the encoder's hidden states.
    pub fn forward(&self, hidden: &Tensor) -> candle_core::Result<Tensor> {
        self.linear.forward(hidden)
    }
}

/// Encoder inputs for a padded batch of windows, all `(batch, seq)` u32.
pub struct Batch {
    pub ids: Tensor,
    pub shapes: Tensor,
    pub mask: Tensor,
}

/// Where the encoder and heads sit in a weights file.
struct Layout {
    encoder: &'static str,
    /// Name, tensor prefix and config of each linear head.
    heads: Vec<(String, String, HeadConfig)>,
    /// The dependency head's config, if the model has one (under `heads.deps`).
    parser: Option<HeadConfig>,
}

/// A BERT encoder with token heads, ready to label windows.
pub struct TokenClassifier {
    pub config: ModelConfig,
    pub tokenizer: SubwordEncoder,
    encoder: Encoder,
    pub heads: Vec<Head>,
    /// The dependency head, if the model parses.
    pub parser: Option<DependencyHead>,
    /// The lemmas of the training treebanks' forms, which outrank the lemma head's scripts.
    pub lemmas: Option<LemmaLexicon>,
    device: Device,
    kernel: Kernel,
}

impl TokenClassifier {
    /// Loads a model from a directory or the hub, onto `device`, as f32, its dense layers
    /// packed for the fastest kernel of this CPU family (`Kernel::fastest`).
    pub fn load(source: &ModelSource, device: &Device) -> Result<Self, ModelError> {
        Self::load_on(source, device, Kernel::fastest())
    }

    /// Loads a model with its dense layers packed, once, for `kernel`.
    pub fn load_on(
        source: &ModelSource,
        device: &Device,
        kernel: Kernel,
    ) -> Result<Self, ModelError> {
        Self::from_files(&source.resolve()?, device, kernel)
    }

    pub fn from_files(
        files: &ModelFiles,
        device: &Device,
        kernel: Kernel,
    ) -> Result<Self, ModelError> {
        let config = read_config(&files.config)?;
        let tokenizer = SubwordEncoder::from_file(&files.tokenizer)?;
        if tokenizer.vocab_size() > config.vocab_size {
            return Err(ModelError::Mismatch {
                path: files.tokenizer.display().to_string(),
                reason: format!(
                    "tokenizer has {} tokens but the embeddings (vocab_size in config.json) only {}",
                    tokenizer.vocab_size(),
                    config.vocab_size
                ),
            });
        }
        let (vb, index) = weights::open(&files.weights, device)?;
        let layout = find_layout(&config, &index, &files.weights)?;
        let mismatch = |source: candle_core::Error| ModelError::WeightsMismatch {
            path: files.weights.display().to_string(),
            source: Box::new(source),
        };
        let encoder_vb = if layout.encoder.is_empty() {
            vb.clone()
        } else {
            vb.pp(layout.encoder)
        };
        let encoder = Encoder::load(encoder_vb, &config).map_err(mismatch)?;
        let heads = layout
            .heads
            .into_iter()
            .map(|(name, prefix, head)| Head::load(vb.pp(prefix), &name, &head, config.hidden_size))
            .collect::<candle_core::Result<Vec<_>>>()
            .map_err(mismatch)?;
        let parser = layout
            .parser
            .map(|head| load_parser(&vb, &head, config.hidden_size))
            .transpose()
            .map_err(mismatch)?;
        let lemmas = files
            .lemmas
            .as_ref()
            .map(|path| {
                let text = std::fs::read_to_string(path).map_err(|source| ModelError::Io {
                    path: path.display().to_string(),
                    source,
                })?;
                LemmaLexicon::from_tsv(&text).map_err(|reason| ModelError::Config {
                    path: path.display().to_string(),
                    reason,
                })
            })
            .transpose()?;
        let mut model = TokenClassifier {
            config,
            tokenizer,
            encoder,
            heads,
            parser,
            lemmas,
            device: device.clone(),
            kernel: Kernel::Reference,
        };
        model.set_kernel(kernel).map_err(mismatch)?;
        Ok(model)
    }

    /// The kernel of the dense products.
    pub fn kernel(&self) -> Kernel {
        self.kernel
    }

    /// Runs the dense products on `kernel` from now on (the reference where the CPU lacks it),
    /// on weights packed now. Inference only: a model being trained uses `train_on`.
    pub fn set_kernel(&mut self, kernel: Kernel) -> candle_core::Result<()> {
        let kernel = if kernel.supported() && self.device.is_cpu() {
            kernel
        } else {
            Kernel::Reference
        };
        self.encoder.pack(kernel)?;
        for head in &mut self.heads {
            head.linear.pack(kernel)?;
        }
        if let Some(parser) = &mut self.parser {
            parser.use_kernel(kernel, false)?;
        }
        self.kernel = kernel;
        Ok(())
    }

    /// Runs the products of training on `kernel` (the reference where the CPU lacks it). Unlike
    /// `set_kernel` nothing is packed ahead: each product packs the weights as they are then.
    pub fn train_on(&mut self, kernel: Kernel) {
        let kernel = kernel.for_training();
        let kernel = if kernel.supported() && self.device.is_cpu() {
            kernel
        } else {
            Kernel::Reference
        };
        let heads = self.heads.iter_mut().map(|h| &mut h.linear);
        let parser = self.parser.iter_mut().flat_map(|p| p.linears_mut());
        for linear in self.encoder.linears_mut().chain(heads).chain(parser) {
            linear.train_on(kernel);
        }
    }

    /// Builds a model from a `VarBuilder` with canonical names (`bert.`, `heads.<name>`): the
    /// trainer's path, where the builder is backed by a `VarMap`.
    pub fn build(
        vb: VarBuilder,
        config: ModelConfig,
        tokenizer: SubwordEncoder,
    ) -> candle_core::Result<Self> {
        let device = vb.device().clone();
        let encoder = Encoder::load(vb.pp("bert"), &config)?;
        let heads = config
            .heads
            .iter()
            .filter(|(name, _)| name.as_str() != DEPS)
            .map(|(name, head)| {
                Head::load(
                    vb.pp(format!("heads.{name}")),
                    name,
                    head,
                    config.hidden_size,
                )
            })
            .collect::<candle_core::Result<Vec<_>>>()?;
        let parser = config
            .heads
            .get(DEPS)
            .map(|head| load_parser(&vb, head, config.hidden_size))
            .transpose()?;
        Ok(TokenClassifier {
            config,
            tokenizer,
            encoder,
            heads,
            parser,
            lemmas: None,
            device,
            kernel: Kernel::Reference,
        })
    }

    pub fn device(&self) -> &Device {
        &self.device
    }

    pub fn head(&self, name: &str) -> Option<&Head> {
        self.heads.iter().find(|h| h.name == name)
    }

    /// Logits `(batch, seq, labels)` of every head, in `self.heads` order.
    pub fn forward(
        &self,
        batch: &Batch,
        train: Option<&DropoutRng>,
    ) -> candle_core::Result<Vec<Tensor>> {
        Ok(self.forward_hidden(batch, train)?.1)
    }

    /// The encoder's last hidden states `(batch, seq, hidden)` (after dropout when training),
    /// which the dependency head reads, and the linear heads' logits.
    pub fn forward_hidden(
        &self,
        batch: &Batch,
        train: Option<&DropoutRng>,
    ) -> candle_core::Result<(Tensor, Vec<Tensor>)> {
        let hidden = self.encode(batch, train)?;
        let logits = self
            .heads
            .iter()
            .map(|h| h.forward(&hidden))
            .collect::<candle_core::Result<Vec<_>>>()?;
        Ok((hidden, logits))
    }

    /// The encoder's last hidden states `(batch, seq, hidden)`, after dropout when training.
    pub fn encode(&self, batch: &Batch, train: Option<&DropoutRng>) -> candle_core::Result<Tensor> {
        let hidden = self
            .encoder
            .forward(&batch.ids, &batch.shapes, &batch.mask, train)?;
        let hidden = match train {
            Some(rng) => {
                dropout::Dropout::new(Some(rng), self.config.hidden_dropout_prob).apply(&hidden)?
            }
            None => hidden,
        };
        Ok(hidden)
    }
}

/// The dependency head under `heads.deps`, its relations the config's labels.
fn load_parser(
    vb: &VarBuilder,
    head: &HeadConfig,
    hidden: usize,
) -> candle_core::Result<DependencyHead> {
    DependencyHead::load(
        vb.pp(format!("heads.{DEPS}")),
        head.id2label.clone(),
        head.windows(DEPS),
        hidden,
    )
}

pub fn read_config(path: &Path) -> Result<ModelConfig, ModelError> {
    let text = std::fs::read_to_string(path).map_err(|e| ModelError::Io {
        path: path.display().to_string(),
        source: e,
    })?;
    let config: ModelConfig = serde_json::from_str(&text).map_err(|e| ModelError::Config {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    if config.hidden_act != HiddenAct::Gelu {
        return Err(ModelError::Config {
            path: path.display().to_string(),
            reason: format!(
                "hidden_act \"{}\" is not supported: the encoder computes erf GELU \
                 (hidden_act \"gelu\"); use a checkpoint trained with it",
                config.hidden_act.name()
            ),
        });
    }
    Ok(config)
}

fn find_layout(
    config: &ModelConfig,
    index: &weights::WeightsIndex,
    path: &Path,
) -> Result<Layout, ModelError> {
    let encoder = if index.contains("bert.embeddings.word_embeddings.weight") {
        "bert"
    } else if index.contains("embeddings.word_embeddings.weight") {
        ""
    } else {
        return Err(ModelError::Mismatch {
            path: path.display().to_string(),
            reason: "no tensor bert.embeddings.word_embeddings.weight (nor embeddings.word_embeddings.weight): not a BERT checkpoint".into(),
        });
    };
    let mut heads: Vec<(String, String, HeadConfig)> = config
        .heads
        .iter()
        .filter(|(name, _)| name.as_str() != DEPS)
        .map(|(name, h)| (name.clone(), format!("heads.{name}"), h.clone()))
        .collect();
    let parser = config.heads.get(DEPS).cloned();
    if heads.is_empty() {
        if let Some(labels) = &config.id2label {
            if index.contains("classifier.weight") {
                heads.push((
                    ENTITIES.to_string(),
                    "classifier".to_string(),
                    HeadConfig {
                        id2label: labels.clone(),
                        windows: None,
                    },
                ));
            }
        }
    }
    Ok(Layout {
        encoder,
        heads,
        parser,
    })
}
