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
            prop_assert!(e.start < e.end && e.end <= n);
            prop_assert_eq!(slice(&text, e.start, e.end), e.text.clone());
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
