//! Memory stays bounded: a 20 MB article is analysed in segments with exact offsets, and the
//! peak memory of `extract` does not grow with the number of records in a dump. Peak RSS is
//! the child's own, from `wait4`.

mod common;

use common::{write_tiny_model_biased, Layout};
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Stdio};

/// Runs `newsevents extract --model MODEL ARGS`; returns whether it succeeded and its peak
/// resident memory in MB.
fn extract_peak_mb(model: &Path, args: &[&str]) -> (bool, f64) {
    // Reaped by wait4 below, which std's `wait` cannot do (it gives no rusage).
    #[allow(clippy::zombie_processes)]
    let child = Command::new(env!("CARGO_BIN_EXE_newsevents"))
        .arg("extract")
        .arg("--model")
        .arg(model)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value; wait4 fills it for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for (and reaps) the child we spawned; `child` is not waited on again.
    let pid = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as i32, "wait4 failed");
    let ok = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    // ru_maxrss is in kilobytes on Linux.
    (ok, usage.ru_maxrss as f64 / 1024.0)
}

/// Sentences of function words and made-up words, about `bytes` long: as dense in words,
/// sentences and paragraphs as news, but cheap for the linker (its lexicons code none of them)
/// and for the tiny tokenizer (function words are one subword each).
fn filler(bytes: usize, seed: u64) -> String {
    const WORDS: [&str; 11] = [
        "the", "at", "on", "in", "and", "of", "a", "to", "was", "by", "cafe",
    ];
    const SYLLABLES: [&str; 10] = ["ka", "lo", "mi", "ne", "ru", "ta", "si", "po", "de", "va"];
    let mut state = seed.wrapping_add(0x9e3779b97f4a7c15);
    let mut next = move |n: usize| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as usize % n
    };
    let mut text = String::with_capacity(bytes + 100);
    while text.len() < bytes {
        text.push_str("Ve");
        for _ in 0..12 {
            text.push(' ');
            if next(10) < 7 {
                text.push_str(WORDS[next(WORDS.len())]);
            } else {
                for _ in 0..1 + next(3) {
                    text.push_str(SYLLABLES[next(10)]);
                }
            }
        }
        text.push_str(if next(4) == 0 { ".\n\n" } else { ". " });
    }
    text
}

const PARAGRAPH: &str = "Russia fired missiles at Syrian targets in Aleppo, Pentagon officials \
said on Thursday. \"The army will attack the rebels,\" he told reporters. Iran said the \
ministry was to blame.";

/// `text[start:end]` of every span in `record` equals its text; returns the largest end seen.
fn check_spans(record: &Value, chars: &[char]) -> usize {
    let mut last = 0;
    let mut check = |span: &Value| {
        if span.is_null() {
            return;
        }
        let (s, e) = (
            span["start"].as_u64().unwrap() as usize,
            span["end"].as_u64().unwrap() as usize,
        );
        assert!(s < e && e <= chars.len(), "{span}");
        let text: String = chars[s..e].iter().collect();
        if let Some(t) = span["text"].as_str() {
            assert_eq!(text, t, "{span}");
        }
        last = last.max(e);
    };
    for e in record["entities"].as_array().unwrap() {
        check(e);
    }
    for q in record["quotes"].as_array().unwrap() {
        check(&q["content"]);
        check(&q["source"]);
        check(&q["cue"]);
    }
    for e in record["events"].as_array().unwrap() {
        check(&e["actor"]);
        check(&e["action"]);
        check(&e["target"]);
        check(&e["sentence"]);
    }
    last
}

#[test]
fn a_20_mb_article_is_analysed_in_segments_with_bounded_memory() {
    let model = tempfile::tempdir().unwrap();
    // The entity head alone: the encoder runs once, which keeps the test's time modest.
    write_tiny_model_biased(model.path(), Layout::HuggingFace, 7, 3.0);
    let dir = tempfile::tempdir().unwrap();
    // Paragraphs of made-up words with news and non-ASCII text (code point and byte offsets
    // differ) every 40 KB, one paragraph of 300 KB without a break, news at the very end.
    let mut text = String::with_capacity(21 << 20);
    let mut i = 0u64;
    while text.len() < 20 << 20 {
        text.push_str(&filler(40 << 10, i));
        if i == 100 {
            text.push_str(&filler(300 << 10, i).replace('\n', " "));
        }
        text.push_str(PARAGRAPH);
        text.push_str(" Café “Zürich” 😀 — said the ministry.\n\n");
        i += 1;
    }
    text.push_str(PARAGRAPH);
    let input = dir.path().join("huge.txt");
    std::fs::write(&input, &text).unwrap();
    let out = dir.path().join("out.jsonl");
    let started = std::time::Instant::now();
    let (ok, peak) = extract_peak_mb(
        model.path(),
        &[input.to_str().unwrap(), "-o", out.to_str().unwrap()],
    );
    eprintln!(
        "20 MB article: peak RSS {peak:.0} MB in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    assert!(ok);
    let out = std::fs::read_to_string(&out).unwrap();
    let records: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["errors"], serde_json::json!([]));
    let chars: Vec<char> = text.chars().collect();
    let last = check_spans(&records[0], &chars);
    assert!(
        last + 1000 > chars.len(),
        "spans reach the end: last at {last} of {}",
        chars.len()
    );
    assert!(peak < 600.0, "peak RSS {peak:.0} MB");
}

#[test]
fn peak_memory_does_not_grow_with_the_dump() {
    let model = tempfile::tempdir().unwrap();
    write_tiny_model_biased(model.path(), Layout::Ours, 7, 3.0);
    let dir = tempfile::tempdir().unwrap();
    let dump = |n: usize| {
        let path = dir.path().join(format!("dump{n}.jsonl"));
        let lines: Vec<String> = (0..n)
            .map(|i| {
                let text = format!("{} {PARAGRAPH}", filler(200 + 200 * (i % 9), i as u64));
                serde_json::json!({"id": format!("r{i}"), "text": text, "n": i}).to_string()
            })
            .collect();
        std::fs::write(&path, lines.join("\n")).unwrap();
        path
    };
    let n = 300;
    let mut peaks = Vec::new();
    for records in [n, 8 * n] {
        let input = dump(records);
        let out = dir.path().join("out.jsonl");
        let started = std::time::Instant::now();
        let (ok, peak) = extract_peak_mb(
            model.path(),
            &[input.to_str().unwrap(), "-o", out.to_str().unwrap()],
        );
        eprintln!(
            "{records} records ({:.1} MB): peak RSS {peak:.0} MB in {:.1} s",
            std::fs::metadata(&input).unwrap().len() as f64 / 1e6,
            started.elapsed().as_secs_f64()
        );
        assert!(ok);
        assert_eq!(
            std::fs::read_to_string(&out).unwrap().lines().count(),
            records
        );
        peaks.push(peak);
    }
    assert!(
        peaks[1] < peaks[0] * 1.2 + 20.0,
        "peak RSS grew with the dump: {peaks:?} MB"
    );
}
