//! Developer reports on the linker alone (gold entity and quote spans, no model), for tuning its
//! rules: `cargo run --release --example linker_report -- COMMAND ...`
//!
//! - `dev [GOLD.jsonl] [--only ID]`: each record's gold and predicted quotes and events, then the
//!   scores (a held-out file, any but `dev.jsonl`, is only scored, never shown record by record);
//! - `attribution [GOLD.jsonl] [--mode contents|none] [--verbose]`: attribution without the
//!   head's help: `contents` keeps the gold contents only (cues and speakers from the rules),
//!   `none` drops every quote span (quotes from quotation marks alone);
//! - `petrarch DATA_DIR [--validate-verbs] [--verbose]`: the PETRARCH unit records with their
//!   own dictionaries (DATA_DIR: `petrarch2/data` of the shared corpora);
//! - `html GOLD.jsonl OUT.html [--only ID]`: a page of the linked records;
//! - `text "TEXT" [--validate DATA_DIR]`: the quotes and events of one text, without entities;
//! - `time`: linking time over the whole dev set as one long article.

use newsevents::document::Document;
use newsevents::eval::gold::{link_gold, read_gold, score_linker_on_gold, GoldRecord};
use newsevents::eval::score_petrarch;
use newsevents::io::petrarch::parse_records;
use newsevents::linking::{Linker, QuoteSpans};
use newsevents::pipeline::Reading;
use newsevents::record::Participant;
use newsevents::text::{split_sentences, split_words, WindowPlan};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str| args.iter().any(|a| a == name);
    let value = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1).cloned())
    };
    // Flags that take a value: the value is not positional.
    let valued =
        |i: usize| i > 0 && ["--only", "--mode", "--validate"].contains(&args[i - 1].as_str());
    let positional: Vec<&String> = args
        .iter()
        .enumerate()
        .filter(|(i, a)| !a.starts_with("--") && !valued(*i))
        .map(|(_, a)| a)
        .collect();
    let dev = Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/gold/dev.jsonl");
    let gold = |k: usize| positional.get(k).map_or(dev.clone(), PathBuf::from);
    let result = match positional.first().map(|s| s.as_str()) {
        Some("dev") => dev_report(&gold(1), value("--only")),
        Some("attribution") => attribution_report(
            &gold(1),
            &value("--mode").unwrap_or("contents".into()),
            flag("--verbose"),
        ),
        Some("petrarch") if positional.len() > 1 => petrarch_report(
            Path::new(positional[1]),
            flag("--validate-verbs"),
            flag("--verbose"),
        ),
        Some("html") if positional.len() > 2 => html_page(
            Path::new(positional[1]),
            Path::new(positional[2]),
            value("--only"),
        ),
        Some("text") if positional.len() > 1 => {
            show_text(positional[1], value("--validate").map(PathBuf::from))
        }
        Some("time") => long_article_time(&dev),
        _ => Err("usage: linker_report dev|attribution|petrarch|html|text|time ... (see the file's doc comment)".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

type Result = std::result::Result<(), Box<dyn std::error::Error>>;

fn doc(text: &str) -> Document {
    let words = split_words(text);
    let sentences = split_sentences(text, &words);
    Document {
        text: text.to_string(),
        words,
        sentences,
        subwords: Vec::new(),
        plan: WindowPlan::new(&[], 1, 1),
        sentence_plan: WindowPlan::new(&[], 1, 1),
    }
}

fn records(path: &Path) -> std::result::Result<Vec<GoldRecord>, Box<dyn std::error::Error>> {
    Ok(read_gold(path)?)
}

fn participant(p: &Option<Participant>) -> String {
    p.as_ref()
        .map(|p| {
            format!(
                "{}[{}]{}",
                p.span.text,
                p.code.clone().unwrap_or_default(),
                p.entity.map(|e| format!("={e}")).unwrap_or_default()
            )
        })
        .unwrap_or("-".into())
}

/// Each record's gold and predicted quotes and events, then the scores.
fn dev_report(path: &Path, only: Option<String>) -> Result {
    let linker = Linker::default();
    let records = records(path)?;
    // Held-out files are scored, never shown record by record.
    let quiet = path.file_name() != Some("dev.jsonl".as_ref());
    for r in &records {
        if quiet || only.as_deref().is_some_and(|o| !r.id.contains(o)) {
            continue;
        }
        let a = link_gold(&linker, r);
        println!("=== {} {}", r.id, r.text);
        let gshow = |p: &Option<newsevents::eval::gold::GoldParticipant>| {
            p.as_ref()
                .map(|p| {
                    format!(
                        "{}[{}]{}",
                        p.text,
                        p.code.clone().unwrap_or_default(),
                        p.entity.map(|e| format!("={e}")).unwrap_or_default()
                    )
                })
                .unwrap_or("-".into())
        };
        for q in &r.quotes {
            println!(
                "  GQ {:?} | {} | {}",
                q.content.text.chars().take(40).collect::<String>(),
                q.source
                    .as_ref()
                    .map(|s| format!("{}={:?}", s.text, s.entity))
                    .unwrap_or("-".into()),
                q.cue.as_ref().map(|c| c.text.clone()).unwrap_or("-".into())
            );
        }
        for q in &a.quotes {
            println!(
                "  PQ {:?} | {} | {} direct={}",
                q.content.text.chars().take(40).collect::<String>(),
                q.source
                    .as_ref()
                    .map(|s| format!("{}={:?}", s.span.text, s.entity))
                    .unwrap_or("-".into()),
                q.cue.as_ref().map(|c| c.text.clone()).unwrap_or("-".into()),
                q.direct
            );
        }
        for e in &r.events {
            println!(
                "  GE {} {}({}) {} neg={} mod={:?} q={:?}",
                gshow(&e.actor),
                e.action.text,
                e.action.cameo,
                gshow(&e.target),
                e.negated,
                e.modality,
                e.quote
            );
        }
        for e in &a.events {
            println!(
                "  PE {} {}({}) {} neg={} mod={:?} q={:?}",
                participant(&e.actor),
                e.action.span.text,
                e.action.cameo,
                participant(&e.target),
                e.negated,
                e.modality,
                e.quote
            );
        }
    }
    let report = score_linker_on_gold(&linker, &records);
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}

/// Attribution without the head's help: `contents` keeps only the gold contents (cues and
/// speakers found by the rules), `none` drops all quote spans (quotes found by quotation marks
/// alone).
fn attribution_report(path: &Path, mode: &str, verbose: bool) -> Result {
    let linker = Linker::default();
    let records = records(path)?;
    let analyses: Vec<newsevents::Analysis> = records
        .iter()
        .map(|r| {
            let d = r.document();
            let mut spans = r.quote_spans(&d);
            spans.sources.clear();
            spans.cues.clear();
            if mode == "none" {
                spans.contents.clear();
            }
            let entities = r.entity_records();
            let (quotes, events) = linker.link(&d, &entities, &spans, None);
            if verbose {
                for (g, q) in r.quotes.iter().zip(quotes.iter()) {
                    println!(
                        "{} {:?} | gold {:?} / {:?} | pred {:?} / {:?}",
                        r.id,
                        g.content.text.chars().take(30).collect::<String>(),
                        g.source.as_ref().map(|s| &s.text),
                        g.cue.as_ref().map(|c| &c.text),
                        q.source.as_ref().map(|s| &s.span.text),
                        q.cue.as_ref().map(|c| &c.text)
                    );
                }
            }
            newsevents::Analysis {
                id: r.id.clone(),
                entities,
                quotes,
                events,
                ..Default::default()
            }
        })
        .collect();
    let report = newsevents::eval::score_analyses(&records, &analyses);
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}

/// The PETRARCH unit records scored with their own dictionaries.
fn petrarch_report(dir: &Path, validate_verbs: bool, verbose: bool) -> Result {
    let linker = Linker::with_dictionaries(
        &[dir.join("dictionaries/PETR.Validate.actors.txt")],
        &[dir.join("dictionaries/PETR.Validate.agents.txt")],
    )?;
    let linker = if validate_verbs {
        let (linker, skipped) =
            linker.with_verbs(&[dir.join("dictionaries/PETR.Validate.verbs.txt")])?;
        eprintln!("skipped verb lines: {skipped:?}");
        linker
    } else {
        linker
    };
    let xml = std::fs::read_to_string(dir.join("text/PETR.UnitTest.records.xml"))?;
    let records = parse_records(&xml, "PETR.UnitTest.records.xml")?;
    if verbose {
        for r in &records {
            let gold = newsevents::eval::events::gold_triples(r);
            let pred = newsevents::eval::events::predicted_triples(&linker, &Reading::default(), r);
            let mark = if gold == pred { "OK " } else { "XX " };
            println!(
                "{mark}{} {}\n   gold {:?}\n   pred {:?}",
                r.id, r.text, gold, pred
            );
        }
    }
    let scores = score_petrarch(&linker, &|_| Reading::default(), &records);
    println!("{}", serde_json::to_string_pretty(&scores)?);
    Ok(())
}

/// A page of the linked records whose id contains `only` (all without it).
fn html_page(path: &Path, out: &Path, only: Option<String>) -> Result {
    let linker = Linker::default();
    let records: Vec<_> = records(path)?
        .into_iter()
        .filter(|r| only.as_ref().is_none_or(|o| r.id.contains(o)))
        .collect();
    let analyses: Vec<_> = records.iter().map(|r| link_gold(&linker, r)).collect();
    let items: Vec<(&str, &newsevents::Analysis)> = records
        .iter()
        .map(|r| r.text.as_str())
        .zip(analyses.iter())
        .collect();
    std::fs::write(out, newsevents::io::html::render_html(&items))?;
    Ok(())
}

/// Linking time on the whole dev set as one long article.
fn long_article_time(dev: &Path) -> Result {
    let text: String = records(dev)?
        .iter()
        .map(|r| r.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let text = text.repeat(4);
    let d = doc(&text);
    let started = std::time::Instant::now();
    let (quotes, events) = Linker::default().link(&d, &[], &QuoteSpans::default(), None);
    println!(
        "{} chars, {} words: {} quotes, {} events in {:?}",
        text.chars().count(),
        d.words.len(),
        quotes.len(),
        events.len(),
        started.elapsed()
    );
    Ok(())
}

/// The quotes and events of one text (no entities), with PETRARCH's validation dictionaries
/// when `validate` names its data folder.
fn show_text(text: &str, validate: Option<PathBuf>) -> Result {
    let d = doc(text);
    let linker = match validate {
        Some(data) => {
            let dir = data.join("dictionaries");
            Linker::with_dictionaries(
                &[dir.join("PETR.Validate.actors.txt")],
                &[dir.join("PETR.Validate.agents.txt")],
            )?
            .with_verbs(&[dir.join("PETR.Validate.verbs.txt")])?
            .0
        }
        None => Linker::default(),
    };
    let (quotes, events) = linker.link(&d, &[], &QuoteSpans::default(), None);
    for q in &quotes {
        println!(
            "Q {:?} | {:?} | {:?}",
            q.content.text,
            q.source.as_ref().map(|s| &s.span.text),
            q.cue.as_ref().map(|c| &c.text)
        );
    }
    for e in &events {
        println!(
            "E {} {}({}) {} neg={} mod={:?}",
            participant(&e.actor),
            e.action.span.text,
            e.action.cameo,
            participant(&e.target),
            e.negated,
            e.modality
        );
    }
    Ok(())
}
