//! `config.json` as Hugging Face writes it, plus our `heads` and `case_embedding` keys.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Labels of one token-classification head, in id order, and the windows it was trained on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeadConfig {
    #[serde(with = "id2label")]
    pub id2label: Vec<String>,
    /// Absent in models written before heads said so: see `HeadConfig::windows`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub windows: Option<Windows>,
}

/// Which windows of a document a head reads: the kind it was trained on. Heads that read the
/// same kind share one encoder pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Windows {
    /// Overlapping windows across sentences (`Document::plan`).
    Document,
    /// Windows within sentences (`Document::sentence_plan`).
    Sentences,
}

impl HeadConfig {
    pub fn new(id2label: Vec<String>, windows: Windows) -> HeadConfig {
        HeadConfig {
            id2label,
            windows: Some(windows),
        }
    }

    /// The windows head `name` reads. Older configs do not say: their quote heads were
    /// trained on document windows and every other head on sentences.
    pub fn windows(&self, name: &str) -> Windows {
        self.windows.unwrap_or(if name == super::QUOTES {
            Windows::Document
        } else {
            Windows::Sentences
        })
    }
}

/// The feed-forward activation, as `config.json`'s `hidden_act` names it (the names of
/// Hugging Face's `ACT2FN`, as candle-transformers' BERT reads them). Only `Gelu` runs: the
/// fused kernels compute erf GELU, and `read_config` refuses the others by name.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum HiddenAct {
    /// GELU with the exact erf (`gelu`; Hugging Face's `gelu_python` is the same function).
    #[default]
    #[serde(rename = "gelu", alias = "gelu_python")]
    Gelu,
    /// GELU's tanh approximation, as Hugging Face's `NewGELUActivation` computes it.
    #[serde(rename = "gelu_new")]
    GeluNew,
    /// The same tanh approximation, as PyTorch's `gelu(approximate="tanh")` computes it.
    #[serde(rename = "gelu_pytorch_tanh")]
    GeluPytorchTanh,
    #[serde(rename = "relu")]
    Relu,
}

impl HiddenAct {
    /// The name `config.json` gives it.
    pub fn name(self) -> &'static str {
        match self {
            HiddenAct::Gelu => "gelu",
            HiddenAct::GeluNew => "gelu_new",
            HiddenAct::GeluPytorchTanh => "gelu_pytorch_tanh",
            HiddenAct::Relu => "relu",
        }
    }
}

fn default_layer_norm_eps() -> f64 {
    1e-12
}
fn default_max_position() -> usize {
    512
}
fn default_type_vocab() -> usize {
    2
}
fn default_dropout() -> f64 {
    0.1
}

/// A BERT config. Unknown keys are kept so that a config we rewrite loses nothing.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ModelConfig {
    pub vocab_size: usize,
    pub hidden_size: usize,
    pub num_hidden_layers: usize,
    pub num_attention_heads: usize,
    pub intermediate_size: usize,
    #[serde(default)]
    pub hidden_act: HiddenAct,
    #[serde(default = "default_max_position")]
    pub max_position_embeddings: usize,
    #[serde(default = "default_type_vocab")]
    pub type_vocab_size: usize,
    #[serde(default = "default_layer_norm_eps")]
    pub layer_norm_eps: f64,
    #[serde(default = "default_dropout")]
    pub hidden_dropout_prob: f64,
    #[serde(default = "default_dropout")]
    pub attention_probs_dropout_prob: f64,
    /// Our heads; absent in a Hugging Face token-classification checkpoint.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub heads: BTreeMap<String, HeadConfig>,
    /// Whether the encoder adds a learned case-shape embedding (our base is uncased).
    #[serde(default)]
    pub case_embedding: bool,
    /// Hugging Face's single-head labels (`BertForTokenClassification`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "opt_id2label"
    )]
    pub id2label: Option<Vec<String>>,
    #[serde(flatten)]
    pub rest: serde_json::Map<String, serde_json::Value>,
}

/// `{"0": "O", "1": "B-PER"}` <-> `["O", "B-PER"]`; ids must be 0..n without gaps.
mod id2label {
    use serde::de::Error;
    use serde::{Deserialize, Deserializer, Serializer};
    use std::collections::BTreeMap;

    pub fn serialize<S: Serializer>(labels: &[String], s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(labels.iter().enumerate().map(|(i, l)| (i.to_string(), l)))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
        let map = BTreeMap::<String, String>::deserialize(d)?;
        let mut by_id = BTreeMap::new();
        for (k, v) in map {
            let id: usize = k
                .parse()
                .map_err(|_| D::Error::custom(format!("id2label key {k:?} is not a number")))?;
            by_id.insert(id, v);
        }
        if by_id.keys().enumerate().any(|(i, &k)| i != k) {
            return Err(D::Error::custom("id2label ids must run 0..n without gaps"));
        }
        Ok(by_id.into_values().collect())
    }
}

mod opt_id2label {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(labels: &Option<Vec<String>>, s: S) -> Result<S::Ok, S::Error> {
        match labels {
            Some(l) => super::id2label::serialize(l, s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<String>>, D::Error> {
        #[derive(Deserialize)]
        struct Wrap(#[serde(with = "super::id2label")] Vec<String>);
        Option::<Wrap>::deserialize(d).map(|w| w.map(|w| w.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_hf_and_our_heads() {
        let cfg: ModelConfig = serde_json::from_str(
            r#"{"vocab_size": 10, "hidden_size": 8, "num_hidden_layers": 1, "num_attention_heads": 2,
                "intermediate_size": 16, "id2label": {"1": "B-PER", "0": "O"},
                "heads": {"quotes": {"id2label": {"0": "O", "1": "B-CUE"}}}, "model_type": "bert"}"#,
        )
        .unwrap();
        assert_eq!(
            cfg.id2label.as_deref(),
            Some(&["O".to_string(), "B-PER".to_string()][..])
        );
        assert_eq!(cfg.heads["quotes"].id2label[1], "B-CUE");
        assert_eq!(cfg.heads["quotes"].windows("quotes"), Windows::Document);
        assert_eq!(cfg.rest["model_type"], "bert");
        let back = serde_json::to_value(&cfg).unwrap();
        assert_eq!(back["heads"]["quotes"]["id2label"]["1"], "B-CUE");
        assert!(back["heads"]["quotes"].get("windows").is_none());
    }

    #[test]
    fn head_windows_default_by_name_and_round_trip() {
        let old: HeadConfig = serde_json::from_str(r#"{"id2label": {"0": "O"}}"#).unwrap();
        assert_eq!(old.windows("entities"), Windows::Sentences);
        assert_eq!(old.windows("quotes"), Windows::Document);
        let new = HeadConfig::new(vec!["O".into()], Windows::Document);
        let json = serde_json::to_string(&new).unwrap();
        assert!(json.contains(r#""windows":"document""#), "{json}");
        let back: HeadConfig = serde_json::from_str(&json).unwrap();
        assert_eq!(back.windows("entities"), Windows::Document);
    }

    #[test]
    fn rejects_gaps_in_ids() {
        let r: Result<HeadConfig, _> =
            serde_json::from_str(r#"{"id2label": {"0": "O", "2": "B-X"}}"#);
        assert!(r.unwrap_err().to_string().contains("without gaps"));
    }

    #[test]
    fn reads_hidden_act_by_its_hugging_face_names() {
        let act = |name: &str| serde_json::from_value::<HiddenAct>(name.into()).unwrap();
        assert_eq!(act("gelu"), HiddenAct::Gelu);
        assert_eq!(act("gelu_python"), HiddenAct::Gelu);
        assert_eq!(act("gelu_new"), HiddenAct::GeluNew);
        assert_eq!(act("gelu_pytorch_tanh"), HiddenAct::GeluPytorchTanh);
        assert_eq!(act("relu"), HiddenAct::Relu);
        assert!(serde_json::from_value::<HiddenAct>("swish".into()).is_err());
        assert_eq!(serde_json::to_value(HiddenAct::Gelu).unwrap(), "gelu");
    }
}
