//! Tiny BERT models with random weights, written by the tests: a WordPiece vocabulary, a
//! tokenizer.json, a config and safetensors in our layout or Hugging Face's.
#![allow(dead_code)]

use candle_core::{DType, Device};
use candle_nn::{VarBuilder, VarMap};
use newsevents::model::{save_model, HeadConfig, ModelConfig};
use newsevents::text::SubwordEncoder;
use newsevents::TokenClassifier;
use serde_json::json;
use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

pub const WORDS: &[&str] = &[
    "the",
    "russia",
    "russian",
    "syria",
    "syrian",
    "fired",
    "missiles",
    "at",
    "targets",
    "said",
    "officials",
    "pentagon",
    "aleppo",
    "iran",
    "army",
    "rebels",
    "he",
    "she",
    "they",
    "told",
    "reporters",
    "ministry",
    "attack",
    "on",
    "in",
    "and",
    "of",
    "a",
    "to",
    "was",
    "by",
    "cafe",
];

pub fn entity_labels() -> Vec<String> {
    [
        "O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC",
    ]
    .map(String::from)
    .to_vec()
}

pub fn quote_labels() -> Vec<String> {
    [
        "O",
        "B-SOURCE",
        "I-SOURCE",
        "B-CUE",
        "I-CUE",
        "B-CONTENT",
        "I-CONTENT",
    ]
    .map(String::from)
    .to_vec()
}

/// A BERT tokenizer.json over `WORDS`, single characters and their `##` forms.
pub fn tokenizer_json() -> serde_json::Value {
    let mut vocab: Vec<String> = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
        .map(String::from)
        .to_vec();
    vocab.extend(WORDS.iter().map(|w| w.to_string()));
    for c in "abcdefghijklmnopqrstuvwxyz0123456789".chars() {
        vocab.push(c.to_string());
        vocab.push(format!("##{c}"));
    }
    vocab.extend(
        [
            ".", ",", "\"", "'", "“", "”", "’", "(", ")", "-", "!", "?", ":", "é", "##é", "ü",
            "##ü",
        ]
        .map(String::from),
    );
    let ids: serde_json::Map<String, serde_json::Value> = vocab
        .iter()
        .enumerate()
        .map(|(i, t)| (t.clone(), json!(i)))
        .collect();
    let added: Vec<_> = (0..5)
        .map(|i| json!({"id": i, "special": true, "content": vocab[i], "single_word": false, "lstrip": false, "rstrip": false, "normalized": false}))
        .collect();
    json!({
        "version": "1.0", "truncation": {"max_length": 16, "strategy": "LongestFirst", "stride": 0},
        "padding": null, "added_tokens": added,
        "normalizer": {"type": "BertNormalizer", "clean_text": true, "handle_chinese_chars": true, "strip_accents": null, "lowercase": true},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {"type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "[SEP]", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}}, {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
            "special_tokens": {"[CLS]": {"id": "[CLS]", "ids": [2], "tokens": ["[CLS]"]}, "[SEP]": {"id": "[SEP]", "ids": [3], "tokens": ["[SEP]"]}}},
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": true},
        "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##", "max_input_chars_per_word": 100, "vocab": ids}
    })
}

pub fn tiny_config(heads: &[(&str, Vec<String>)], case_embedding: bool) -> ModelConfig {
    let vocab_size = tokenizer_json()["model"]["vocab"]
        .as_object()
        .unwrap()
        .len();
    let mut cfg: ModelConfig = serde_json::from_value(json!({
        "vocab_size": vocab_size, "hidden_size": 16, "num_hidden_layers": 2, "num_attention_heads": 2,
        "intermediate_size": 32, "max_position_embeddings": 64, "model_type": "bert"
    }))
    .unwrap();
    cfg.case_embedding = case_embedding;
    cfg.heads = heads
        .iter()
        .map(|(n, l)| {
            (
                n.to_string(),
                HeadConfig {
                    id2label: l.clone(),
                    windows: None,
                },
            )
        })
        .collect::<BTreeMap<_, _>>();
    cfg
}

/// How the weights are named on disk.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Layout {
    /// `bert.*` plus `heads.<name>.*`, heads listed in config.json.
    Ours,
    /// `bert.*` plus one `classifier.*`, labels in `id2label`: `BertForTokenClassification`.
    HuggingFace,
    /// An encoder alone, with no `bert.` prefix: the fine-tuning base.
    Base,
}

/// Writes a tiny random model into `dir` and returns its config.
pub fn write_tiny_model(dir: &Path, layout: Layout, seed: u64) -> ModelConfig {
    write_tiny_model_biased(dir, layout, seed, 0.0)
}

/// A tiny random model whose heads lean towards `O` by `outside` in the logits: random heads
/// tag most words, which makes output (and linking) of huge articles far larger than a real
/// model's; a bias of 4 leaves a few spans per sentence.
pub fn write_tiny_model_biased(dir: &Path, layout: Layout, seed: u64, outside: f32) -> ModelConfig {
    write_model(dir, layout, seed, outside, |_| {})
}

/// A small random model whose attention heads are 32 wide, as the shipped model's: the width
/// the AVX-512 attention kernel takes.
pub fn write_small_model(dir: &Path, seed: u64) -> ModelConfig {
    write_model(dir, Layout::Ours, seed, 0.0, |c| {
        c.hidden_size = 64;
        c.num_attention_heads = 2;
        c.intermediate_size = 128;
    })
}

fn write_model(
    dir: &Path,
    layout: Layout,
    seed: u64,
    outside: f32,
    shape: impl Fn(&mut ModelConfig),
) -> ModelConfig {
    std::fs::create_dir_all(dir).unwrap();
    let tok_path = dir.join("tokenizer.json");
    std::fs::write(&tok_path, tokenizer_json().to_string()).unwrap();
    let heads: Vec<(&str, Vec<String>)> = match layout {
        Layout::Ours => vec![("entities", entity_labels()), ("quotes", quote_labels())],
        Layout::HuggingFace => vec![("entities", entity_labels())],
        Layout::Base => vec![],
    };
    let mut config = tiny_config(&heads, layout == Layout::Ours);
    shape(&mut config);
    let device = Device::Cpu;
    device.set_seed(seed).ok();
    let varmap = VarMap::new();
    let vb = VarBuilder::from_varmap(&varmap, DType::F32, &device);
    let tokenizer = SubwordEncoder::from_file(&tok_path).unwrap();
    TokenClassifier::build(vb, config.clone(), tokenizer).unwrap();
    let mut tensors: HashMap<String, candle_core::Tensor> = HashMap::new();
    for (name, var) in varmap.data().lock().unwrap().iter() {
        // Random values seeded by name so that every layout gets the same weights.
        let t = var.as_tensor();
        let n = t.elem_count();
        let mut state = seed
            ^ name.bytes().fold(0xcbf29ce484222325u64, |h, b| {
                (h ^ b as u64).wrapping_mul(0x100000001b3)
            });
        let vals: Vec<f32> = (0..n)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                ((state % 2001) as f32 / 1000.0 - 1.0) * 0.3
            })
            .collect();
        // Layer norms start as BERT's do (identity); the rest is random.
        let t = if name.contains("LayerNorm.weight") {
            candle_core::Tensor::ones(t.shape(), DType::F32, &device).unwrap()
        } else if name.starts_with("heads.") && name.ends_with(".bias") {
            // Label 0 is `O` in both heads' label lists.
            let mut bias = vec![0f32; n];
            bias[0] = outside;
            candle_core::Tensor::from_vec(bias, t.shape(), &device).unwrap()
        } else if name.ends_with(".bias") {
            candle_core::Tensor::zeros(t.shape(), DType::F32, &device).unwrap()
        } else {
            candle_core::Tensor::from_vec(vals, t.shape(), &device).unwrap()
        };
        let name = match layout {
            Layout::Ours => name.clone(),
            Layout::HuggingFace => name.replace("heads.entities.", "classifier."),
            Layout::Base => name.trim_start_matches("bert.").to_string(),
        };
        tensors.insert(name, t);
    }
    let mut written = config.clone();
    if layout == Layout::HuggingFace {
        written.heads.clear();
        written.id2label = Some(entity_labels());
    }
    save_model(dir, &written, &tok_path, &tensors, DType::F32).unwrap();
    written
}

/// Runs the `newsevents` binary with `args`, `stdin` on its standard input (closed after), and
/// returns its status and both outputs.
pub fn newsevents(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_newsevents"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}
