//! Fine-tuning a tiny random model on a tiny corpus the test writes: every trainable tensor
//! gets a gradient, the loss goes down, the model reloads and predicts, resume continues.

mod common;

use candle_core::{DType, Device};
use candle_nn::{VarBuilder, VarMap};
use common::{write_tiny_model, Layout};
use newsevents::document::WindowOptions;
use newsevents::model::{Batch, DropoutRng, Precision, Windows};
use newsevents::train::{train, HeadData, TrainConfig};
use newsevents::{Article, ModelSource, Pipeline, TokenClassifier};
use std::path::Path;

fn write_corpus(dir: &Path) {
    let mut conll = String::from("-DOCSTART- -X- O O\n\n");
    for i in 0..24 {
        let (who, place) = if i % 2 == 0 {
            ("Russia", "Aleppo")
        } else {
            ("Iran", "Syria")
        };
        conll += &format!("{who} X X B-LOC\nfired X X O\nmissiles X X O\nat X X O\n{place} X X B-LOC\n. X X O\n\nthe X X O\narmy X X O\nsaid X X O\n\n");
    }
    std::fs::write(dir.join("train.conll"), &conll).unwrap();
    let half: Vec<&str> = conll.split("\n\n").take(24).collect();
    std::fs::write(dir.join("dev.conll"), half.join("\n\n") + "\n").unwrap();
    let brat = dir.join("brat");
    std::fs::create_dir_all(brat.join("text")).unwrap();
    std::fs::create_dir_all(brat.join("attributions")).unwrap();
    for i in 0..4 {
        let text =
            "Officials said rebels fled the city. He told reporters that Russia fired missiles.";
        std::fs::write(brat.join(format!("text/a{i}.txt")), text).unwrap();
        let ann = "T1\tSource 0 9\tOfficials\nT2\tCue 10 14\tsaid\nT3\tContent 15 35\trebels fled the city\nT4\tAttribution 10 14\tsaid\nE1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n";
        std::fs::write(brat.join(format!("attributions/a{i}_x.ann")), ann).unwrap();
    }
}

fn config(dir: &Path, base: &Path, out: &str, epochs: usize) -> TrainConfig {
    TrainConfig {
        init: base.to_path_buf(),
        output: dir.join(out),
        entities: Some(HeadData {
            train: dir.join("train.conll"),
            dev: Some(dir.join("dev.conll")),
            batch_size: 4,
        }),
        quotes: Some(HeadData {
            train: dir.join("brat"),
            dev: Some(dir.join("brat")),
            batch_size: 2,
        }),
        syntax: None,
        epochs,
        lr: 2e-2,
        warmup: 0.1,
        weight_decay: 0.01,
        clip: 1.0,
        seed: 13,
        case_embedding: true,
        one_pass: false,
        windows: WindowOptions {
            max_tokens: 16,
            stride: 12,
        },
        max_steps: None,
        limit: None,
        resume: false,
        f16: true,
        precision: Precision::F32,
    }
}

#[test]
fn every_trainable_tensor_gets_a_gradient() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = write_tiny_model(dir.path(), Layout::Ours, 4);
    let tokenizer =
        newsevents::text::SubwordEncoder::from_file(&dir.path().join("tokenizer.json")).unwrap();
    let varmap = VarMap::new();
    let vb = VarBuilder::from_varmap(&varmap, DType::F32, &Device::Cpu);
    let model = TokenClassifier::build(vb, cfg, tokenizer).unwrap();
    // The case embedding starts at zero; give every tensor a non-trivial value first.
    for (i, var) in varmap.all_vars().iter().enumerate() {
        let t = (var.as_tensor().randn_like(0.0, 0.1).unwrap() + 0.01 * i as f64).unwrap();
        var.set(&t).unwrap();
    }
    let ids = candle_core::Tensor::new(&[[2u32, 10, 11, 12, 3], [2, 13, 14, 3, 0]], &Device::Cpu)
        .unwrap();
    let shapes =
        candle_core::Tensor::new(&[[5u32, 1, 0, 2, 5], [5, 3, 4, 5, 5]], &Device::Cpu).unwrap();
    let mask =
        candle_core::Tensor::new(&[[1u32, 1, 1, 1, 1], [1, 1, 1, 1, 0]], &Device::Cpu).unwrap();
    let batch = Batch { ids, shapes, mask };
    let rng = DropoutRng::seeded(1);
    let logits = model.forward(&batch, Some(&rng)).unwrap();
    let mut loss = logits[0].sqr().unwrap().mean_all().unwrap();
    for l in &logits[1..] {
        loss = (loss + l.sqr().unwrap().mean_all().unwrap()).unwrap();
    }
    let grads = loss.backward().unwrap();
    let data = varmap.data().lock().unwrap();
    assert!(data.len() > 30);
    for (name, var) in data.iter() {
        let g = grads
            .get(var)
            .unwrap_or_else(|| panic!("{name} has no gradient"));
        let norm = g
            .sqr()
            .unwrap()
            .sum_all()
            .unwrap()
            .to_scalar::<f32>()
            .unwrap();
        assert!(norm > 0.0, "{name} has a zero gradient");
    }
}

#[test]
fn trains_reloads_and_resumes() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base");
    write_tiny_model(&base, Layout::Base, 9);
    write_corpus(dir.path());
    let mut log = Vec::new();
    let report = train(&config(dir.path(), &base, "m", 10), &mut |l| {
        log.push(l.to_string())
    })
    .unwrap();
    let losses: Vec<f64> = report.epochs.iter().map(|e| e.loss).collect();
    assert_eq!(losses.len(), 10);
    assert!(
        losses[9] < losses[0] * 0.6,
        "loss did not go down: {losses:?}"
    );
    assert!(
        report.epochs[9].dev_f1["entities"] > 0.5,
        "{:?}",
        report.epochs[9].dev_f1
    );

    // The best model reloads as a model directory (f16 on disk) and predicts.
    let pipeline = Pipeline::load(&ModelSource::Dir(dir.path().join("m"))).unwrap();
    let out = pipeline
        .analyze(&[Article::new("t", "Russia fired missiles at Aleppo .")])
        .unwrap();
    assert!(
        out[0].entities.iter().any(|e| e.label == "LOC"),
        "{:?}",
        out[0].entities
    );

    // Stopped after four epochs (as a kill would leave it), then resumed: the same result as
    // six in one go.
    let mut first = config(dir.path(), &base, "r", 10);
    first.max_steps = Some(report_steps_after(&log, 6));
    train(&first, &mut |_| {}).unwrap();
    let mut resumed_cfg = config(dir.path(), &base, "r", 10);
    resumed_cfg.resume = true;
    let resumed = train(&resumed_cfg, &mut |_| {}).unwrap();
    assert_eq!(resumed.epochs.len(), 10);
    assert!(
        (resumed.epochs[9].loss - report.epochs[9].loss).abs() < 1e-4,
        "{} vs {}",
        resumed.epochs[9].loss,
        report.epochs[9].loss
    );
}

/// Optimiser steps taken by the end of epoch `epochs`, read from the training log.
fn report_steps_after(log: &[String], epochs: usize) -> usize {
    let per_epoch: usize = log
        .iter()
        .find_map(|l| {
            l.split_once("step ")
                .and_then(|(_, r)| r.split_once('/'))
                .and_then(|(_, r)| r.split_whitespace().next()?.parse::<usize>().ok())
        })
        .expect("a step line")
        / 10;
    per_epoch * epochs
}

/// Seeded runs give the same bits whatever the number of threads: dropout masks come from a
/// hash of each element's index, and every reduction adds its partial sums in a fixed order.
#[test]
fn training_is_deterministic_across_thread_counts() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base");
    write_tiny_model(&base, Layout::Base, 9);
    write_corpus(dir.path());
    let run = |threads: usize, out: &str| {
        let mut cfg = config(dir.path(), &base, out, 2);
        // Batches of several hundred rows, so that the reductions over rows split in parts.
        cfg.entities.as_mut().unwrap().batch_size = 24;
        cfg.f16 = false;
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let report = pool.install(|| train(&cfg, &mut |_| {})).unwrap();
        let weights = std::fs::read(dir.path().join(out).join("model.safetensors")).unwrap();
        (
            report.epochs.iter().map(|e| e.loss).collect::<Vec<_>>(),
            weights,
        )
    };
    let (one_loss, one) = run(1, "one");
    let (three_loss, three) = run(3, "three");
    assert_eq!(one_loss, three_loss);
    assert!(one == three, "the weights differ between 1 and 3 threads");
}

/// With `one_pass` the entity head trains on windows across a CoNLL document's
/// sentences; its config says so, so that `extract` reads it from the quote head's pass.
#[test]
fn entity_head_trained_on_documents_reads_document_windows() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base");
    write_tiny_model(&base, Layout::Base, 9);
    write_corpus(dir.path());
    let mut cfg = config(dir.path(), &base, "d", 6);
    cfg.one_pass = true;
    let mut log = Vec::new();
    let report = train(&cfg, &mut |l| log.push(l.to_string())).unwrap();
    // The one CoNLL document of 48 sentences becomes windows of at most 16 subwords.
    assert!(
        log.iter()
            .any(|l| l.starts_with("entities: 1 training texts")),
        "{log:?}"
    );
    let losses: Vec<f64> = report.epochs.iter().map(|e| e.loss).collect();
    assert!(
        losses[5] < losses[0] * 0.8,
        "loss did not go down: {losses:?}"
    );
    assert!(report.epochs[5].dev_f1.contains_key("entities"));

    let config: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("d/config.json")).unwrap())
            .unwrap();
    assert_eq!(config["heads"]["entities"]["windows"], "document");
    assert_eq!(config["heads"]["quotes"]["windows"], "document");
    let model =
        TokenClassifier::load(&ModelSource::Dir(dir.path().join("d")), &Device::Cpu).unwrap();
    assert!(model.heads.iter().all(|h| h.windows == Windows::Document));
}
