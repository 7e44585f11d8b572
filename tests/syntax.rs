//! The syntax heads end to end on a tiny random model: it trains on a CoNLL-U file the test
//! writes, reloads, and its parse comes out as one tree per sentence, in the JSONL records
//! (`--syntax`) and as CoNLL-U whose offsets slice the article.

mod common;

use common::{write_tiny_model, Layout};
use newsevents::document::WindowOptions;
use newsevents::io::conllu::{parse_conllu, write_conllu};
use newsevents::model::{Precision, DEPS, LEMMA, UPOS};
use newsevents::tagging::is_tree;
use newsevents::train::{train, SyntaxData, TrainConfig};
use newsevents::{Article, ModelSource, Pipeline, PipelineOptions};
use std::path::Path;

/// Two sentence shapes, many times: "russia fired missiles ." and "the army said it fled ."
fn write_treebank(path: &Path, copies: usize) {
    let mut text = String::new();
    for i in 0..copies {
        text += &format!(
            "# newdoc id = d{i}\n# sent_id = d{i}-1\n\
1\trussia\trussia\tPROPN\t_\t_\t2\tnsubj\t_\t_\n\
2\tfired\tfire\tVERB\t_\t_\t0\troot\t_\t_\n\
3\tmissiles\tmissile\tNOUN\t_\t_\t2\tobj\t_\tSpaceAfter=No\n\
4\t.\t.\tPUNCT\t_\t_\t2\tpunct\t_\t_\n\n\
# sent_id = d{i}-2\n\
1\tthe\tthe\tDET\t_\t_\t2\tdet\t_\t_\n\
2\tarmy\tarmy\tNOUN\t_\t_\t3\tnsubj\t_\t_\n\
3\tsaid\tsay\tVERB\t_\t_\t0\troot\t_\t_\n\
4\tit\tit\tPRON\t_\t_\t5\tnsubj\t_\t_\n\
5\tfled\tflee\tVERB\t_\t_\t3\tccomp\t_\tSpaceAfter=No\n\
6\t.\t.\tPUNCT\t_\t_\t3\tpunct\t_\t_\n\n"
        );
    }
    std::fs::write(path, text).unwrap();
}

fn config(dir: &Path, base: &Path) -> TrainConfig {
    TrainConfig {
        init: base.to_path_buf(),
        output: dir.join("m"),
        entities: None,
        quotes: None,
        syntax: Some(SyntaxData {
            train: vec![dir.join("train.conllu")],
            dev: Some(dir.join("dev.conllu")),
            batch_size: 4,
        }),
        epochs: 12,
        lr: 2e-2,
        warmup: 0.1,
        weight_decay: 0.01,
        clip: 1.0,
        seed: 13,
        case_embedding: false,
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

/// Trains the tiny parser of these tests into `dir/m`.
fn train_tiny_parser(dir: &Path) -> newsevents::train::TrainReport {
    let base = dir.join("base");
    write_tiny_model(&base, Layout::Base, 5);
    write_treebank(&dir.join("train.conllu"), 12);
    write_treebank(&dir.join("dev.conllu"), 2);
    train(&config(dir, &base), &mut |_| {}).unwrap()
}

/// The sentences (`--syntax`) the pipeline writes for `text` with `model`.
fn parsed_sentences(
    model: newsevents::TokenClassifier,
    text: &str,
) -> Vec<newsevents::record::SentenceSyntax> {
    let pipeline = Pipeline::new(
        model,
        newsevents::linking::Linker::default(),
        PipelineOptions {
            syntax: true,
            ..Default::default()
        },
    );
    let analysis = pipeline
        .analyze(&[Article::new("a1", text)])
        .unwrap()
        .remove(0);
    analysis.sentences.expect("--syntax asked for sentences")
}

/// Each sentence's tokens form one tree.
fn assert_trees(sentences: &[newsevents::record::SentenceSyntax]) {
    for sentence in sentences {
        let heads: Vec<usize> = sentence
            .tokens
            .iter()
            .map(|t| (t.head + 1) as usize)
            .collect();
        assert!(is_tree(&heads), "{heads:?}");
    }
}

fn newsevents(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_newsevents"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn extract_writes_syntax_and_conllu_and_refuses_a_model_without_syntax_heads() {
    let dir = tempfile::tempdir().unwrap();
    train_tiny_parser(dir.path());
    let article = dir.path().join("a1.txt");
    let text = "Russia fired missiles. The army said it fled.";
    std::fs::write(&article, text).unwrap();
    let model = dir.path().join("m");
    let (model, article) = (model.to_str().unwrap(), article.to_str().unwrap());

    let out = newsevents(&["extract", "--model", model, "--syntax", article]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let record: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let sentences = record["sentences"].as_array().unwrap();
    assert_eq!(sentences.len(), 2);
    let token = &sentences[0]["tokens"][0];
    assert_eq!(token["text"], "Russia");
    for key in ["start", "end", "upos", "lemma", "head", "deprel"] {
        assert!(!token[key].is_null(), "token has no {key}: {token}");
    }

    let out = newsevents(&["extract", "--model", model, "--format", "conllu", article]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let conllu = String::from_utf8(out.stdout).unwrap();
    assert!(
        conllu.starts_with("# newdoc id = a1\n# sent_id = a1-1\n# text = Russia fired missiles.\n")
    );
    let bank = parse_conllu(&conllu, "stdout");
    assert!(bank.skipped.is_empty(), "{:?}", bank.skipped);
    assert_eq!(bank.sentences.len(), 2);

    // Without --syntax the record has no sentences key (the contract's shape is unchanged).
    let out = newsevents(&["extract", "--model", model, article]);
    let record: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(record.get("sentences").is_none());

    // eval parse scores the dev file and writes its parse over the file's own words.
    let dev = dir.path().join("dev.conllu");
    let written = dir.path().join("parsed.conllu");
    let out = newsevents(&[
        "eval",
        "parse",
        "--model",
        model,
        "--json",
        "--data",
        dev.to_str().unwrap(),
        "--output",
        written.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["words"], 20);
    assert!(report["las"].as_f64().unwrap() > 0.5, "{report}");
    let ours = parse_conllu(&std::fs::read_to_string(&written).unwrap(), "parsed");
    let gold = parse_conllu(&std::fs::read_to_string(&dev).unwrap(), "dev");
    assert!(ours.skipped.is_empty(), "{:?}", ours.skipped);
    assert_eq!(ours.sentences.len(), gold.sentences.len());
    for (o, g) in ours.sentences.iter().zip(&gold.sentences) {
        assert_eq!(o.sent_id, g.sent_id);
        let forms = |s: &newsevents::io::conllu::UdSentence| -> Vec<String> {
            s.words.iter().map(|w| w.form.clone()).collect()
        };
        assert_eq!(forms(o), forms(g));
    }

    let plain = dir.path().join("base");
    let out = newsevents(&[
        "extract",
        "--model",
        plain.to_str().unwrap(),
        "--syntax",
        article,
    ]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no syntax heads"), "{stderr}");
}

#[test]
fn a_tiny_model_learns_to_parse_and_writes_trees() {
    let dir = tempfile::tempdir().unwrap();
    let report = train_tiny_parser(dir.path());
    let losses: Vec<f64> = report.epochs.iter().map(|e| e.loss).collect();
    assert!(
        losses[11] < losses[0] * 0.5,
        "loss did not fall: {losses:?}"
    );
    let las = report.epochs.last().unwrap().dev_f1[DEPS];
    assert!(las > 0.5, "dev LAS {las}");

    let model = newsevents::TokenClassifier::load(
        &ModelSource::Dir(dir.path().join("m")),
        &candle_core::Device::Cpu,
    )
    .unwrap();
    assert!(model.parser.is_some());
    assert!(model.head(UPOS).is_some() && model.head(LEMMA).is_some());
    let text = "Russia fired missiles. The army said it fled.\n\nThe army fired missiles.";
    let sentences = parsed_sentences(model, text);
    assert_eq!(sentences.len(), 3);
    let chars: Vec<char> = text.chars().collect();
    assert_trees(&sentences);
    for sentence in &sentences {
        for t in &sentence.tokens {
            let slice: String = chars[t.span.start..t.span.end].iter().collect();
            assert_eq!(slice, t.span.text);
            assert!(sentence.start <= t.span.start && t.span.end <= sentence.end);
        }
    }
    // The first sentence as trained: "fired" heads it, "Russia" is its subject.
    let first = &sentences[0].tokens;
    assert_eq!(first[1].head, -1);
    assert_eq!((first[0].head, first[0].deprel.as_str()), (1, "nsubj"));
    assert_eq!(first[1].lemma, "fire");
    assert_eq!(first[2].upos, "NOUN");

    // CoNLL-U: every sentence reads back as a tree over the same words.
    let written = write_conllu("a1", text, &sentences);
    let bank = parse_conllu(&written, "written");
    assert!(bank.skipped.is_empty(), "{:?}", bank.skipped);
    assert_eq!(bank.sentences.len(), 3);
    for (read, ours) in bank.sentences.iter().zip(&sentences) {
        let forms: Vec<&str> = read.words.iter().map(|w| w.form.as_str()).collect();
        let texts: Vec<&str> = ours.tokens.iter().map(|t| t.span.text.as_str()).collect();
        assert_eq!(forms, texts);
        let heads: Vec<usize> = read.words.iter().map(|w| w.head).collect();
        assert!(is_tree(&heads));
    }
}

/// With `one_pass` the syntax heads train on a treebank document's whole sentences packed
/// into windows, and their config says so: the model then reads a text in one encoder pass,
/// and the parse still comes out one tree per sentence.
#[test]
fn one_pass_packs_treebank_sentences_into_document_windows() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base");
    write_tiny_model(&base, Layout::Base, 5);
    write_treebank(&dir.path().join("train.conllu"), 12);
    write_treebank(&dir.path().join("dev.conllu"), 2);
    let mut cfg = config(dir.path(), &base);
    cfg.one_pass = true;
    cfg.windows.max_tokens = 32;
    cfg.syntax.as_mut().unwrap().batch_size = 2;
    let mut log = Vec::new();
    let report = train(&cfg, &mut |l| log.push(l.to_string())).unwrap();
    // Each document's two sentences (12 subwords with the specials) share one window.
    assert!(
        log.iter()
            .any(|l| l.starts_with("syntax: 12 examples of 24 sentences (24 with a gold tree")),
        "{log:?}"
    );
    let losses: Vec<f64> = report.epochs.iter().map(|e| e.loss).collect();
    assert!(
        losses[11] < losses[0] * 0.5,
        "loss did not fall: {losses:?}"
    );

    let model = newsevents::TokenClassifier::load(
        &ModelSource::Dir(dir.path().join("m")),
        &candle_core::Device::Cpu,
    )
    .unwrap();
    let parser = model.parser.as_ref().expect("syntax heads");
    assert_eq!(parser.windows, newsevents::model::Windows::Document);
    assert!(model
        .heads
        .iter()
        .all(|h| h.windows == newsevents::model::Windows::Document));
    let sentences = parsed_sentences(model, "Russia fired missiles. The army said it fled.");
    assert_eq!(sentences.len(), 2);
    assert_trees(&sentences);
}

/// The trees of `text` under `kernel`, as (head, relation) per token.
fn trees_on(model_dir: &Path, kernel: newsevents::model::Kernel, text: &str) -> Vec<(i64, String)> {
    let model = newsevents::TokenClassifier::load_on(
        &ModelSource::Dir(model_dir.to_path_buf()),
        &candle_core::Device::Cpu,
        kernel,
    )
    .unwrap();
    assert_eq!(model.kernel(), kernel);
    parsed_sentences(model, text)
        .iter()
        .flat_map(|s| s.tokens.iter().map(|t| (t.head, t.deprel.clone())))
        .collect()
}

#[test]
fn every_kernel_the_cpu_has_parses_as_the_reference() {
    use newsevents::model::Kernel;
    let dir = tempfile::tempdir().unwrap();
    train_tiny_parser(dir.path());
    let text = "Russia fired missiles. The army said it fled. The army fired missiles at Aleppo.";
    let model = dir.path().join("m");
    let reference = trees_on(&model, Kernel::Reference, text);
    for kernel in Kernel::ALL.into_iter().filter(|k| *k != Kernel::Reference) {
        if !kernel.supported() {
            eprintln!("skipped {}: this CPU lacks it", kernel.name());
            continue;
        }
        assert_eq!(
            trees_on(&model, kernel, text),
            reference,
            "{}",
            kernel.name()
        );
    }
}

/// `models lemmas` writes the treebank's lemmas beside the weights, and the parse then takes a
/// known form's lemma from them rather than from the lemma head's script.
#[test]
fn a_lemma_lexicon_beside_the_weights_outranks_the_scripts() {
    let dir = tempfile::tempdir().unwrap();
    train_tiny_parser(dir.path());
    let model = dir.path().join("m");
    let article = dir.path().join("a1.txt");
    std::fs::write(&article, "The army said it fled.").unwrap();
    // Each token's (text, upos, lemma) as `extract --syntax` gives them.
    let tokens = || -> Vec<(String, String, String)> {
        let out = newsevents(&[
            "extract",
            "--model",
            model.to_str().unwrap(),
            "--syntax",
            article.to_str().unwrap(),
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let record: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        record["sentences"][0]["tokens"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                let field = |k: &str| t[k].as_str().unwrap().to_string();
                (field("text"), field("upos"), field("lemma"))
            })
            .collect()
    };
    let before = tokens();
    let bank = dir.path().join("lexicon.conllu");
    std::fs::write(
        &bank,
        "# sent_id = x\n1\tfled\tflee-from-the-lexicon\tVERB\t_\t_\t0\troot\t_\t_\n\n",
    )
    .unwrap();
    let out = newsevents(&[
        "models",
        "lemmas",
        "--treebank",
        bank.to_str().unwrap(),
        "--model",
        model.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(model.join("lemmas.tsv").is_file());
    let after = tokens();
    assert_eq!(before.len(), after.len());
    for (b, a) in before.iter().zip(&after) {
        if a.0 == "fled" && a.1 == "VERB" {
            assert_eq!(a.2, "flee-from-the-lexicon");
        } else {
            assert_eq!(a, b, "a form the lexicon lacks keeps its script's lemma");
        }
    }
    assert!(
        after.iter().any(|t| t.2 == "flee-from-the-lexicon"),
        "{after:?}"
    );
}
