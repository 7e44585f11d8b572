//! What must hold for any input, checked on bytes: the fuzz targets in `fuzz/` call these, and
//! `tests/fuzz_regressions.rs` replays the fuzzers' crashers through them on every `cargo test`.
//! A broken invariant panics with what broke.
#![allow(dead_code)]

use newsevents::io::{read_jsonl, InputItem};
use newsevents::segments;
use newsevents::tagging::{decode_spans, decode_spans_within, BioLabel, LabelSet, LabeledSpan};
use newsevents::text::{split_sentences, split_words, SubwordEncoder, WindowPlan};
use std::io::{Cursor, Write};
use std::ops::Range;

/// The JSONL reader on `data` as a plain file, as the same bytes gzipped, and as a (mostly
/// corrupt) gzip stream: one item per non-blank line, lines in order, every article with a
/// non-blank id, the gzipped copy read exactly as the plain one.
pub fn jsonl(data: &[u8]) {
    let plain: Vec<InputItem> = read_jsonl("f.jsonl", Cursor::new(data.to_vec()), false).collect();
    let lines: Vec<usize> = data
        .split(|&b| b == b'\n')
        .enumerate()
        .filter(|(_, l)| !l.iter().all(u8::is_ascii_whitespace))
        .map(|(i, _)| i + 1)
        .collect();
    let got: Vec<usize> = plain.iter().map(line_of).collect();
    assert_eq!(got, lines, "one item per non-blank line, in order");
    for item in &plain {
        match item {
            InputItem::Article(a, place) => {
                assert!(!a.id.trim().is_empty(), "{place}: blank id");
                assert!(!a.extra.contains_key("id") && !a.extra.contains_key("text"));
            }
            InputItem::Bad(b) => {
                assert!(!b.reason.is_empty());
                assert!(b.to_string().starts_with("f.jsonl:"), "{b}");
                assert!(b.id.as_ref().is_none_or(|id| !id.trim().is_empty()));
            }
        }
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(data).unwrap();
    let zipped = gz.finish().unwrap();
    let unzipped: Vec<InputItem> = read_jsonl("f.jsonl", Cursor::new(zipped), true).collect();
    assert_eq!(unzipped, plain, "gzip reads as plain");
    // Raw bytes as gzip: a read error at most once, at the end, and no panic.
    let raw: Vec<InputItem> = read_jsonl("f.jsonl", Cursor::new(data.to_vec()), true).collect();
    for (k, item) in raw.iter().enumerate() {
        if let InputItem::Bad(b) = item {
            if b.reason.starts_with("read error") {
                assert_eq!(k + 1, raw.len(), "reading stops at a read error");
            }
        }
    }
}

fn line_of(item: &InputItem) -> usize {
    match item {
        InputItem::Article(_, place) => place.line.expect("JSONL items have lines"),
        InputItem::Bad(b) => b.location.line.expect("JSONL items have lines"),
    }
}

/// Text (`data` as lossy UTF-8, after one byte of sizes) through words, code points, sentences,
/// subwords, windows and segments: every offset in range and on a char boundary, code point
/// and byte offsets agreeing, every visible character in exactly one word, every word in one
/// sentence and owned by a window that holds it, no window over its limit unless one word
/// fills it, segments tiling the text with no word cut where a quiet place existed.
pub fn offsets(data: &[u8], encoder: &SubwordEncoder) {
    let (size, rest) = data.split_first().map_or((0, data), |(s, r)| (*s, r));
    let text = String::from_utf8_lossy(rest).into_owned();
    let cp_at = code_points(&text);
    let words = split_words(&text);
    let mut covered = vec![false; text.len()];
    let mut last_end = 0;
    for w in &words {
        let b = w.bytes.clone();
        assert!(b.start < b.end && b.end <= text.len(), "{b:?}");
        assert!(text.is_char_boundary(b.start) && text.is_char_boundary(b.end));
        assert!(b.start >= last_end, "words in order, apart");
        last_end = b.end;
        assert_eq!((w.span.start, w.span.end), (cp_at[b.start], cp_at[b.end]));
        covered[b.clone()].iter_mut().for_each(|c| *c = true);
        assert!(!w.text(&text).starts_with(char::is_whitespace));
    }
    for (i, c) in text.char_indices() {
        if !c.is_whitespace() && !c.is_control() {
            assert!(covered[i], "char {c:?} at byte {i} in no word");
        }
    }
    let sentences = split_sentences(&text, &words);
    let mut next = 0;
    for s in &sentences {
        assert_eq!(s.words.start, next, "sentences tile the words");
        assert!(s.words.start < s.words.end);
        next = s.words.end;
        assert_eq!(s.span.start, words[s.words.start].span.start);
        assert_eq!(s.span.end, words[s.words.end - 1].span.end);
    }
    assert_eq!(next, words.len());
    let texts: Vec<&str> = words.iter().map(|w| w.text(&text)).collect();
    let subwords = encoder
        .encode_words(&texts)
        .expect("tokenizer never fails on text");
    assert_eq!(subwords.len(), words.len(), "one subword list per word");
    for ids in &subwords {
        assert!(!ids.is_empty() && ids.len() <= 16);
        assert!(ids.iter().all(|&id| (id as usize) < encoder.vocab_size()));
    }
    let lengths: Vec<usize> = subwords.iter().map(Vec::len).collect();
    let max = 4 + usize::from(size % 64);
    let stride = 1 + usize::from(size / 64) * max / 4;
    check_plan(&WindowPlan::new(&lengths, max, stride), &lengths, max);
    let ranges: Vec<Range<usize>> = sentences.iter().map(|s| s.words.clone()).collect();
    let plan = WindowPlan::by_sentences(&lengths, &ranges, max, stride);
    check_plan(&plan, &lengths, max);
    for w in &plan.windows {
        assert!(
            ranges
                .iter()
                .any(|r| r.start <= w.words.start && w.words.end <= r.end),
            "sentence window {:?} crosses a sentence",
            w.words
        );
    }
    check_segments(&text, &cp_at, &words, 8 + usize::from(size));
}

/// Code point index of every byte offset that starts a char (and of `text.len()`).
fn code_points(text: &str) -> Vec<usize> {
    let mut at = vec![usize::MAX; text.len() + 1];
    for (cp, (byte, _)) in text.char_indices().enumerate() {
        at[byte] = cp;
    }
    at[text.len()] = text.chars().count();
    at
}

fn check_plan(plan: &WindowPlan, lengths: &[usize], max: usize) {
    assert_eq!(plan.owner.len(), lengths.len());
    for w in &plan.windows {
        assert!(w.words.start < w.words.end && w.words.end <= lengths.len());
        let tokens: usize = lengths[w.words.clone()].iter().sum();
        assert!(
            tokens <= max || w.words.len() == 1,
            "window of {tokens} > {max}"
        );
    }
    for (word, &owner) in plan.owner.iter().enumerate() {
        assert!(plan.windows[owner].words.contains(&word), "word {word}");
    }
}

fn check_segments(text: &str, cp_at: &[usize], words: &[newsevents::text::Word], max: usize) {
    let segments = segments::cut(text, max);
    let mut next = 0;
    for s in &segments {
        assert_eq!(s.bytes.start, next, "segments tile the text");
        assert!(s.bytes.end > s.bytes.start || text.is_empty());
        assert!(s.bytes.len() <= max.max(8), "{s:?} over {max}");
        assert!(text.is_char_boundary(s.bytes.end));
        assert_eq!(s.chars, cp_at[s.bytes.start]);
        next = s.bytes.end;
        let cut = s.bytes.end;
        if cut == text.len() {
            continue;
        }
        let before = text[..cut].chars().next_back().unwrap();
        let after = text[cut..].chars().next().unwrap();
        let quiet = !is_loud(before) && !is_loud(after);
        if before.is_whitespace() || quiet {
            assert!(
                !words
                    .iter()
                    .any(|w| w.bytes.start < cut && cut < w.bytes.end),
                "cut at byte {cut} ({before:?}|{after:?}) splits a word"
            );
        }
    }
    assert_eq!(next, text.len());
}

/// Letters, digits and the combining marks that cling to them: a cut next to one may split a word.
fn is_loud(c: char) -> bool {
    c.is_alphanumeric()
        || matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x20D0..=0x20FF | 0xFE00..=0xFE2F | 0x200C | 0x200D)
}

/// Label sets the decoder must cope with, including odd ones (no `O`, an `I-` without its `B-`).
fn label_set(choice: u8) -> LabelSet {
    let names: &[&str] = match choice % 6 {
        0 => &[
            "O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC",
        ],
        1 => &[
            "O",
            "B-SOURCE",
            "I-SOURCE",
            "B-CUE",
            "I-CUE",
            "B-CONTENT",
            "I-CONTENT",
        ],
        2 => &["O"],
        3 => &["I-X", "O", "I-Y"],
        4 => &["B-X", "I-X"],
        _ => &["LOC", "I-LOC", "S-PER", "E-PER", "O"],
    };
    LabelSet::new(&names.iter().map(|s| s.to_string()).collect::<Vec<_>>())
}

/// Span decoding on `data`: a label set, sentence cuts and per-word probabilities from bytes.
/// Spans are in range, in order, disjoint, start on a `B-` (or bare) label of their kind, have
/// a score within the probabilities' range, and with sentences never cross one.
pub fn decode(data: &[u8]) {
    let Some((&choice, rest)) = data.split_first() else {
        return;
    };
    let labels = label_set(choice);
    let n = labels.len();
    // Each word: one byte of sentence cut, then `n` bytes of probabilities.
    let rows: Vec<&[u8]> = rest.chunks_exact(n + 1).collect();
    let probs: Vec<f32> = rows
        .iter()
        .flat_map(|r| r[1..].iter().map(|&b| f32::from(b) / 255.0))
        .collect();
    let mut ranges: Vec<Range<usize>> = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        if i == 0 || r[0] & 0b11 == 0 {
            ranges.push(i..i + 1);
        } else {
            ranges.last_mut().unwrap().end = i + 1;
        }
    }
    let spans = decode_spans(&probs, &labels);
    check_spans(&spans, &labels, rows.len());
    let within = decode_spans_within(&probs, &labels, &ranges);
    check_spans(&within, &labels, rows.len());
    for s in &within {
        assert!(
            ranges
                .iter()
                .any(|r| r.start <= s.words.start && s.words.end <= r.end),
            "span {:?} crosses a sentence",
            s.words
        );
    }
}

fn check_spans(spans: &[LabeledSpan], labels: &LabelSet, words: usize) {
    let mut last = 0;
    for s in spans {
        assert!(s.words.start < s.words.end && s.words.end <= words, "{s:?}");
        assert!(s.words.start >= last, "spans in order and disjoint");
        last = s.words.end;
        assert!(
            labels
                .tags
                .iter()
                .any(|t| matches!(t, BioLabel::Begin(k) if *k == s.label)),
            "span {s:?} has no B- label of its kind"
        );
        assert!(
            s.score.is_finite() && (0.0..=1.0).contains(&s.score),
            "{s:?}"
        );
    }
}
