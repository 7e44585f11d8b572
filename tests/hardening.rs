//! Bad input never panics and never loses good records: arbitrary text keeps exact offsets,
//! a killed run resumes to exactly one record per input, junk inputs are reported by location.

mod common;

use common::{write_tiny_model, Layout};
use newsevents::{Article, ModelSource, Pipeline};
use proptest::prelude::*;
use std::collections::HashMap;
use std::process::{Command, Stdio};
use std::sync::OnceLock;

fn pipeline() -> &'static Pipeline {
    static PIPELINE: OnceLock<(tempfile::TempDir, Pipeline)> = OnceLock::new();
    &PIPELINE
        .get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            write_tiny_model(dir.path(), Layout::Ours, 21);
            let p = Pipeline::load(&ModelSource::Dir(dir.path().into())).unwrap();
            (dir, p)
        })
        .1
}

fn slice(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// For any text, every output span is `text[start:end]` in code points.
    #[test]
    fn spans_slice_the_text_exactly(text in "(\\PC|[\\r\\n\\t \u{0}\u{200d}\u{fe0f}])*") {
        let analysis = pipeline().analyze(&[Article::new("p", text.clone())]).unwrap().remove(0);
        let n = text.chars().count();
        for e in &analysis.entities {
            prop_assert!(e.span.start < e.span.end && e.span.end <= n);
            prop_assert_eq!(slice(&text, e.span.start, e.span.end), e.span.text.clone());
        }
        for q in &analysis.quotes {
            prop_assert_eq!(slice(&text, q.content.start, q.content.end), q.content.text.clone());
        }
    }

    /// Words cover every visible character once, in order, with matching byte and code point offsets.
    #[test]
    fn words_map_bytes_to_code_points(text in "\\PC*") {
        let words = newsevents::text::split_words(&text);
        let mut last = 0;
        for w in &words {
            prop_assert!(w.span.start >= last);
            last = w.span.end;
            prop_assert_eq!(slice(&text, w.span.start, w.span.end), w.text(&text).to_string());
        }
    }
}

#[test]
fn junk_texts_give_records_not_panics() {
    let texts = [
        String::new(),
        "   \n\t ".into(),
        "?!... ;;; --- ,,,".into(),
        "\n".repeat(10_000),
        "مرحبا بالعالم. قالت الحكومة إن".into(),
        "\u{0}\u{0}abc\u{0}".into(),
        "x".repeat(100_000),
        "😀".repeat(5_000),
    ];
    let articles: Vec<Article> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| Article::new(i.to_string(), t.clone()))
        .collect();
    let out = pipeline().analyze(&articles).unwrap();
    assert_eq!(out.len(), texts.len());
}

#[test]
fn killed_run_resumes_to_exactly_one_record_per_input() {
    let model = tempfile::tempdir().unwrap();
    write_tiny_model(model.path(), Layout::Ours, 3);
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    let text =
        "Russia fired missiles at Syrian targets in Aleppo, Pentagon officials said. ".repeat(20);
    let lines: Vec<String> = (0..3000)
        .map(|i| serde_json::json!({"id": format!("a{i}"), "text": text}).to_string())
        .collect();
    std::fs::write(&input, lines.join("\n")).unwrap();
    let out = dir.path().join("out.jsonl");
    let args = |resume: bool| {
        let mut a = vec![
            "extract".to_string(),
            "--model".into(),
            model.path().display().to_string(),
        ];
        a.extend([
            input.display().to_string(),
            "-o".into(),
            out.display().to_string(),
        ]);
        if resume {
            a.push("--resume".into());
        }
        a
    };
    let mut child = Command::new(env!("CARGO_BIN_EXE_newsevents"))
        .args(args(false))
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Kill it once some records are out but (almost surely) not all.
    let started = std::time::Instant::now();
    loop {
        let written = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
        if written > 0 || started.elapsed().as_secs() > 120 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL on Unix: no chance to clean up
    child.wait().unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_newsevents"))
        .args(args(true))
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let mut counts: HashMap<String, usize> = HashMap::new();
    for line in std::fs::read_to_string(&out).unwrap().lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("every line is whole JSON");
        *counts
            .entry(v["id"].as_str().unwrap().to_string())
            .or_default() += 1;
    }
    assert_eq!(counts.len(), 3000);
    assert!(counts.values().all(|&c| c == 1));
}

#[test]
fn truncated_gzip_keeps_the_records_before_the_damage() {
    let model = tempfile::tempdir().unwrap();
    write_tiny_model(model.path(), Layout::HuggingFace, 3);
    let dir = tempfile::tempdir().unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    for i in 0..2000 {
        let line =
            serde_json::json!({"id": format!("g{i}"), "text": format!("Iran said {i} things.")})
                .to_string()
                + "\n";
        std::io::Write::write_all(&mut gz, line.as_bytes()).unwrap();
    }
    let bytes = gz.finish().unwrap();
    let path = dir.path().join("dump.jsonl.gz");
    std::fs::write(&path, &bytes[..bytes.len() * 2 / 3]).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_newsevents"))
        .args([
            "extract",
            "--model",
            model.path().to_str().unwrap(),
            path.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("dump.jsonl.gz:") && stderr.contains("read error"),
        "{stderr}"
    );
    let records = String::from_utf8_lossy(&out.stdout).lines().count();
    assert!(records > 500 && records < 2000, "{records}");
}

/// Runs `extract --model MODEL INPUTS`: (success, records, stderr).
fn extract(
    model: &std::path::Path,
    inputs: &[&std::path::Path],
) -> (bool, Vec<serde_json::Value>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_newsevents"))
        .arg("extract")
        .arg("--model")
        .arg(model)
        .args(inputs)
        .output()
        .unwrap();
    let records = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("every line is whole JSON"))
        .collect();
    (
        out.status.success(),
        records,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn fifty_megabyte_lines_next_to_good_records() {
    let model = tempfile::tempdir().unwrap();
    write_tiny_model(model.path(), Layout::Ours, 4);
    let dir = tempfile::tempdir().unwrap();
    // A whole 50 MB record (mostly blank lines and spaces, a sentence at each end) and a 50 MB
    // line that never closes its string, between good records.
    let blank = " \n".repeat(25 << 20);
    let big_text = format!("Iran said.{blank}Russia fired missiles at Aleppo.");
    let torn = format!("{{\"id\": \"torn\", \"text\": \"{}", "x".repeat(50 << 20));
    let lines = [
        serde_json::json!({"id": "first", "text": "Pentagon officials said."}).to_string(),
        serde_json::json!({"id": "big", "text": big_text}).to_string(),
        torn,
        serde_json::json!({"id": "last", "text": "Russia fired missiles."}).to_string(),
    ];
    let input = dir.path().join("big.jsonl");
    std::fs::write(&input, lines.join("\n")).unwrap();
    drop(lines);
    let (ok, records, stderr) = extract(model.path(), &[&input]);
    assert!(ok, "{stderr}");
    assert!(stderr.contains("big.jsonl:3: malformed JSON"), "{stderr}");
    assert!(stderr.len() < 10_000, "the reason is short, not the line");
    let ids: Vec<&str> = records.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, vec!["first", "big", "last"]);
    let chars: Vec<char> = big_text.chars().collect();
    let big = &records[1];
    for e in big["entities"].as_array().unwrap() {
        let (s, t) = (
            e["start"].as_u64().unwrap() as usize,
            e["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(
            chars[s..t].iter().collect::<String>(),
            e["text"].as_str().unwrap()
        );
    }
}

#[test]
fn junk_and_empty_files_in_a_directory_keep_their_ids() {
    let model = tempfile::tempdir().unwrap();
    write_tiny_model(model.path(), Layout::Ours, 4);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("a.txt"), "Russia fired missiles at Syrian targets.").unwrap();
    let junk: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    std::fs::write(d.join("junk.txt"), &junk).unwrap();
    std::fs::write(d.join("empty.txt"), "").unwrap();
    std::fs::write(d.join("blank.txt"), " \n\t\n").unwrap();
    std::fs::write(d.join("nul.txt"), "Iran\0 said \0\0 no.").unwrap();
    std::fs::write(d.join("photo.png"), &junk).unwrap();
    std::fs::write(
        d.join("z.jsonl"),
        "{\"id\": \"z1\", \"text\": \"Iran said.\"}\n{\"id\": \"a\", \"text\": \"Again.\"}\n",
    )
    .unwrap();
    let (ok, records, stderr) = extract(model.path(), &[d]);
    assert!(ok, "{stderr}");
    let by_id: HashMap<&str, &serde_json::Value> = records
        .iter()
        .map(|r| (r["id"].as_str().unwrap(), r))
        .collect();
    let mut ids: Vec<&str> = by_id.keys().copied().collect();
    ids.sort();
    assert_eq!(ids, ["a", "blank", "empty", "junk", "nul", "z1"]);
    assert_eq!(records.len(), 6, "one record per input");
    for (id, reason) in [
        ("junk", "junk.txt: invalid UTF-8 at byte"),
        ("empty", "empty.txt: empty text"),
        ("blank", "blank.txt: empty text"),
    ] {
        assert!(stderr.contains(reason), "{reason} in {stderr}");
        assert_eq!(by_id[id]["errors"].as_array().unwrap().len(), 1, "{id}");
    }
    assert!(
        stderr.contains("z.jsonl:2: id a repeats an earlier record's"),
        "{stderr}"
    );
    for id in ["a", "nul", "z1"] {
        assert_eq!(by_id[id]["errors"], serde_json::json!([]), "{id}");
    }
    assert!(
        !stderr.contains("photo"),
        "non-article files are skipped: {stderr}"
    );
}

#[test]
fn segments_put_every_offset_back_onto_the_whole_text() {
    let model = tempfile::tempdir().unwrap();
    common::write_tiny_model_biased(model.path(), Layout::Ours, 9, 2.5);
    let load = |segment_bytes| {
        let m = newsevents::TokenClassifier::load(
            &ModelSource::Dir(model.path().into()),
            &candle_core::Device::Cpu,
        )
        .unwrap();
        let options = newsevents::PipelineOptions {
            segment_bytes,
            ..Default::default()
        };
        Pipeline::new(m, Default::default(), options)
    };
    let text: String = (0..60)
        .map(|i| {
            format!(
                "Café “Zürich” {i}: Russia fired missiles at Syrian targets in Aleppo, Pentagon \
                 officials said. \"The army will attack,\" he told reporters.\n\n"
            )
        })
        .collect();
    let whole = load(usize::MAX)
        .analyze(&[Article::new("w", text.clone())])
        .unwrap();
    let cut = load(700)
        .analyze(&[Article::new("w", text.clone())])
        .unwrap();
    let (whole, cut) = (&whole[0], &cut[0]);
    // Cuts fall on paragraph breaks, which are sentence breaks: the entity head (which reads
    // sentences) finds exactly the same entities at the same offsets.
    assert!(!whole.entities.is_empty());
    assert_eq!(cut.entities, whole.entities);
    let chars: Vec<char> = text.chars().collect();
    let slice = |s: usize, e: usize| chars[s..e].iter().collect::<String>();
    for q in &cut.quotes {
        assert_eq!(slice(q.content.start, q.content.end), q.content.text);
        if let Some(s) = &q.source {
            assert_eq!(slice(s.span.start, s.span.end), s.span.text);
            assert!(s.entity.is_none_or(|i| i < cut.entities.len()));
        }
    }
    for e in &cut.events {
        assert_eq!(
            slice(e.action.span.start, e.action.span.end),
            e.action.span.text
        );
        assert!(e.sentence.start <= e.action.span.start && e.action.span.end <= e.sentence.end);
        for p in [&e.actor, &e.target].into_iter().flatten() {
            assert_eq!(slice(p.span.start, p.span.end), p.span.text);
            assert!(p.entity.is_none_or(|i| i < cut.entities.len()));
        }
        if let Some(q) = e.quote {
            assert!(q < cut.quotes.len());
        }
    }
    assert!(!cut.quotes.is_empty() && !cut.events.is_empty());
}

/// int8 has no gradients: asking `train` for it is an error that says so, before any work.
#[test]
fn train_refuses_int8_products() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_newsevents"))
        .args([
            "--precision",
            "int8",
            "train",
            "--init",
            "base-model",
            "--output",
        ])
        .arg(dir.path().join("model"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("int8 is for inference"), "{stderr}");
    assert!(!dir.path().join("model").exists());
}
