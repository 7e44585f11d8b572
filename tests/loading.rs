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

/// The whole error chain, as `main` prints it.
fn load_err(dir: &Path) -> String {
    let err = load(dir).err().expect("must fail");
    format!("{:#}", anyhow::Error::new(err))
}

fn entities_of(dir: &Path, text: &str) -> Vec<newsevents::Entity> {
    let pipeline = Pipeline::load(&ModelSource::Dir(dir.to_path_buf())).unwrap();
    pipeline
        .analyze(&[Article::new("t", text)])
        .unwrap()
        .remove(0)
        .entities
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
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("head entities (Sentences windows): O B-PER I-PER"),
        "{stdout}"
    );
    assert!(stdout.contains("kernel: "), "{stdout}");

    let missing = Command::new(env!("CARGO_BIN_EXE_newsevents"))
        .args(["models", "info", "acme/not-there"])
        .env("HF_HOME", home.path())
        .env("HF_HUB_OFFLINE", "1")
        .output()
        .unwrap();
    assert!(!missing.status.success());
    let err = String::from_utf8_lossy(&missing.stderr);
    assert!(
        err.contains("acme/not-there") && err.contains("HF_HUB_OFFLINE"),
        "{err}"
    );
    let cache = home.path().join("hub").join("models--acme--not-there");
    assert!(err.contains(&cache.display().to_string()), "{err}");
}

fn edit_config(dir: &Path, f: impl FnOnce(&mut serde_json::Value)) {
    let path = dir.join("config.json");
    let mut cfg: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
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
    let err = load_err(dir.path());
    assert!(
        err.contains("heads.quotes.weight") && err.contains("model.safetensors"),
        "{err}"
    );
}

#[test]
fn config_that_does_not_match_weights_names_the_tensor() {
    let dir = tempfile::tempdir().unwrap();
    write_tiny_model(dir.path(), Layout::Ours, 1);
    edit_config(dir.path(), |c| c["intermediate_size"] = 48.into());
    let err = load_err(dir.path());
    assert!(err.contains("intermediate.dense.weight"), "{err}");
}

#[test]
fn missing_tensor_is_named() {
    let dir = tempfile::tempdir().unwrap();
    write_tiny_model(dir.path(), Layout::Ours, 1);
    edit_config(dir.path(), |c| c["num_hidden_layers"] = 3.into());
    let err = load_err(dir.path());
    assert!(err.contains("encoder.layer.2"), "{err}");
}

#[test]
fn truncated_weights_are_reported_as_corrupt() {
    let dir = tempfile::tempdir().unwrap();
    write_tiny_model(dir.path(), Layout::Ours, 1);
    let path = dir.path().join("model.safetensors");
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    let err = load_err(dir.path());
    assert!(
        err.contains("model.safetensors") && err.contains("truncated"),
        "{err}"
    );
    std::fs::write(&path, b"not a model at all").unwrap();
    let err = load_err(dir.path());
    assert!(err.contains("corrupt"), "{err}");
}

#[test]
fn tokenizer_larger_than_embeddings_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    write_tiny_model(dir.path(), Layout::Ours, 1);
    edit_config(dir.path(), |c| c["vocab_size"] = 20.into());
    let err = load_err(dir.path());
    assert!(
        err.contains("tokenizer.json") && err.contains("vocab_size"),
        "{err}"
    );
}

/// `tests/fixtures/tiny-bin` holds the weights of `write_tiny_model(Layout::HuggingFace, 7)`
/// saved by PyTorch (`torch.save` of the state dict, zip format; see its README).
#[test]
fn pytorch_bin_checkpoint_matches_its_safetensors_twin() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tiny-bin");
    let twin = tempfile::tempdir().unwrap();
    write_tiny_model(twin.path(), Layout::HuggingFace, 7);
    if std::env::var_os("WRITE_BIN_FIXTURE_SOURCE").is_some() {
        // Regeneration: copy the safetensors twin where the conversion script reads it.
        let dest = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/tiny-bin-source");
        std::fs::create_dir_all(&dest).unwrap();
        for f in ["config.json", "tokenizer.json", "model.safetensors"] {
            std::fs::copy(twin.path().join(f), dest.join(f)).unwrap();
        }
    }
    let bin = load(&fixture).unwrap();
    assert_eq!(bin.heads[0].labels, common::entity_labels());
    assert_eq!(entities_of(&fixture, TEXT), entities_of(twin.path(), TEXT));
}

#[test]
fn a_bin_that_is_not_a_state_dict_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    write_tiny_model(dir.path(), Layout::HuggingFace, 1);
    std::fs::remove_file(dir.path().join("model.safetensors")).unwrap();
    // A zip that is no torch archive, then plain junk: both refused, naming the file.
    for junk in [
        &b"PK\x03\x04 not really a zip"[..],
        b"\x80\x02cos\nsystem\n.",
    ] {
        std::fs::write(dir.path().join("pytorch_model.bin"), junk).unwrap();
        let err = load_err(dir.path());
        assert!(err.contains("pytorch_model.bin"), "{err}");
    }
}

#[test]
fn an_unreadable_config_prints_its_cause_once() {
    let dir = tempfile::tempdir().unwrap();
    write_tiny_model(dir.path(), Layout::Ours, 1);
    // A directory given as config.json: reading it fails with an OS error.
    let files = newsevents::model::ModelFiles {
        config: dir.path().to_path_buf(),
        tokenizer: dir.path().join("tokenizer.json"),
        weights: dir.path().join("model.safetensors"),
        lemmas: None,
    };
    let err =
        TokenClassifier::from_files(&files, &Device::Cpu, newsevents::model::Kernel::fastest())
            .err()
            .expect("must fail");
    let cause = std::error::Error::source(&err)
        .expect("the OS error is kept as the source")
        .to_string();
    let chain = format!("{:#}", anyhow::Error::new(err));
    assert!(chain.starts_with("cannot read "), "{chain}");
    assert_eq!(chain.matches(&cause).count(), 1, "{chain}");
}

#[test]
fn a_weights_mismatch_prints_its_cause_once() {
    let dir = tempfile::tempdir().unwrap();
    write_tiny_model(dir.path(), Layout::Ours, 1);
    edit_config(dir.path(), |c| c["intermediate_size"] = 48.into());
    let err = load(dir.path()).err().expect("must fail");
    let cause = std::error::Error::source(&err)
        .expect("candle's error is kept as the source")
        .to_string();
    let chain = format!("{:#}", anyhow::Error::new(err));
    assert_eq!(chain.matches(&cause).count(), 1, "{chain}");
}

#[test]
fn a_hidden_act_other_than_erf_gelu_is_refused_naming_config_json_and_the_value() {
    for act in ["gelu_new", "gelu_pytorch_tanh", "relu"] {
        let dir = tempfile::tempdir().unwrap();
        write_tiny_model(dir.path(), Layout::Ours, 1);
        edit_config(dir.path(), |c| c["hidden_act"] = act.into());
        let err = load_err(dir.path());
        assert!(
            err.contains("config.json") && err.contains(&format!("hidden_act \"{act}\"")),
            "{err}"
        );
    }
}

#[test]
fn an_unknown_hidden_act_is_refused_naming_config_json_and_the_value() {
    let dir = tempfile::tempdir().unwrap();
    write_tiny_model(dir.path(), Layout::Ours, 1);
    edit_config(dir.path(), |c| c["hidden_act"] = "swish".into());
    let err = load_err(dir.path());
    assert!(
        err.contains("config.json") && err.contains("swish"),
        "{err}"
    );
}

#[test]
fn a_missing_model_directory_names_the_files_it_needs() {
    let dir = tempfile::tempdir().unwrap();
    let err = load_err(&dir.path().join("nowhere"));
    for needed in [
        "config.json",
        "model.safetensors",
        "pytorch_model.bin",
        "tokenizer.json",
        "--model OWNER/NAME",
    ] {
        assert!(err.contains(needed), "{needed} in {err}");
    }
}
