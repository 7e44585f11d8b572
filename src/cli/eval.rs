//! `newsevents eval`: scores on labelled data, as a table or JSON.

use anyhow::Context;
use clap::{Args, Subcommand};
use newsevents::corpus::from_conll;
use newsevents::document::{Document, WindowOptions};
use newsevents::eval::parse::{parse_sentences, treebank_conllu};
use newsevents::eval::quotes::score_quotes;
use newsevents::eval::{score_coref, score_head, ParseScores, SpanScores};
use newsevents::io::brat::read_brat_folder;
use newsevents::io::conll::{read_conll, ConllDocument};
use newsevents::io::conllu::read_conllu;
use newsevents::linking::Linker;
use newsevents::model::{Precision, Windows, ENTITIES};
use newsevents::pipeline::Reading;
use newsevents::{Article, ModelSource, Pipeline, PipelineOptions, TokenClassifier};
use std::path::PathBuf;
use std::process::ExitCode;

/// Score a model on labelled data: entities (CoNLL), quotes (PolNeAR-style brat folders),
/// syntax (CoNLL-U treebanks), events (PETRARCH records), the project's gold set.
#[derive(Args)]
#[command(after_help = "Examples:
  newsevents eval entities --data ../shared/corpora/conll2003/eng.testb
  newsevents eval quotes --data ../shared/corpora/polnear/data/test --json
  newsevents eval parse --data ../shared/corpora/ud_english/ewt/en_ewt-ud-test.conllu
  newsevents eval coref --data ../shared/corpora/ud_english/gum/en_gum-ud-test.conllu")]
pub struct EvalArgs {
    #[command(subcommand)]
    task: Task,
}

#[derive(Args)]
struct Common {
    /// Model directory, hub id or `default`.
    #[arg(long, default_value = "default", global = true)]
    model: String,
    /// Print a JSON report instead of a table.
    #[arg(long, global = true)]
    json: bool,
    /// Windows per encoder call.
    #[arg(long, default_value_t = 16, global = true)]
    batch_size: usize,
}

#[derive(Subcommand)]
enum Task {
    /// Strict span precision / recall / F1 per type and micro (seqeval's default mode) on a
    /// CoNLL file, read as the entity head was trained: whole documents for a head trained
    /// on document windows, else sentence by sentence.
    Entities {
        #[arg(long)]
        data: PathBuf,
        /// Read each CoNLL document whole even when the head was trained on sentences (as
        /// `extract` reads an article; it then reads sentence windows of our own splitter).
        #[arg(long)]
        documents: bool,
        #[command(flatten)]
        common: Common,
    },
    /// Quote contents (character-overlap and exact F1) and source accuracy on a brat folder.
    Quotes {
        #[arg(long)]
        data: PathBuf,
        #[command(flatten)]
        common: Common,
    },
    /// UPOS, lemma accuracy, UAS and LAS on a CoNLL-U file over its own words (gold
    /// tokenisation and sentences), as the CoNLL 2018 shared task's script counts them:
    /// punctuation included, LAS without relation subtypes.
    Parse {
        #[arg(long)]
        data: PathBuf,
        /// Also write the parse as CoNLL-U over the file's own words and sentence ids, for
        /// other tools (the CoNLL 2018 evaluation script, error analysis).
        #[arg(long)]
        output: Option<PathBuf>,
        #[command(flatten)]
        common: Common,
    },
    /// Pronoun resolution on a CorefUD CoNLL-U file (GUM: gold coreference in MISC's
    /// `Entity=`): of the third-person personal pronouns whose entity was mentioned before
    /// them, the share whose antecedent is a mention of that entity. Over the file's own words
    /// and sentences, each document whole.
    Coref {
        #[arg(long)]
        data: PathBuf,
        #[command(flatten)]
        common: Common,
    },
    /// Events on PETRARCH unit-test records: precision / recall of (source code, target code,
    /// CAMEO root). Give the records' own dictionaries with --actors / --agents / --verbs.
    Events {
        #[arg(long)]
        data: PathBuf,
        /// Find participants with the dictionaries alone, without the model's entities.
        #[arg(long)]
        no_model: bool,
        /// Also print each record whose written triples differ from its codings: its text,
        /// the gold and the written triples (a missing code is empty), for error analysis.
        #[arg(long)]
        records: bool,
        #[command(flatten)]
        dictionaries: super::linker_args::LinkerArgs,
        #[command(flatten)]
        common: Common,
    },
    /// The project's gold set (datasets/gold/*.jsonl): quotes found, right speakers, events with
    /// the right actor, action and target, per phenomenon; the full pipeline by default.
    Gold {
        #[arg(long)]
        data: PathBuf,
        /// Link the gold entities and quote spans instead of the model's (the linker alone).
        #[arg(long)]
        gold_spans: bool,
        #[command(flatten)]
        common: Common,
    },
}

fn load(common: &Common, precision: Option<Precision>) -> anyhow::Result<TokenClassifier> {
    super::load_model(&ModelSource::parse(&common.model), precision)
}

pub fn run(args: EvalArgs, precision: Option<Precision>) -> anyhow::Result<ExitCode> {
    match args.task {
        Task::Entities {
            data,
            documents,
            common,
        } => {
            let model = load(&common, precision)?;
            let mut docs = read_conll(&data)?;
            let reads_documents = model
                .head(ENTITIES)
                .is_some_and(|h| h.windows == Windows::Document);
            if !documents && !reads_documents {
                docs = docs
                    .into_iter()
                    .flat_map(|d| {
                        d.sentences
                            .into_iter()
                            .map(|s| ConllDocument { sentences: vec![s] })
                    })
                    .collect();
            }
            let texts: Vec<_> = docs
                .iter()
                .enumerate()
                .map(|(i, d)| from_conll(&i.to_string(), d, ENTITIES))
                .collect();
            let scores = score_head(
                &model,
                ENTITIES,
                &texts,
                WindowOptions::default(),
                common.batch_size,
            )?;
            print_spans(&scores, common.json, &data)?;
        }
        Task::Quotes { data, common } => {
            let model = load(&common, precision)?;
            let articles = read_brat_folder(&data)?;
            let pipeline = Pipeline::new(
                model,
                Linker::default(),
                PipelineOptions {
                    batch_size: common.batch_size,
                    ..Default::default()
                },
            );
            let inputs: Vec<Article> = articles
                .iter()
                .map(|a| Article::new(a.name.clone(), a.text.clone()))
                .collect();
            let analyses = pipeline.analyze(&inputs)?;
            let s = score_quotes(&articles, &analyses);
            if common.json {
                println!("{}", serde_json::to_string_pretty(&s)?);
            } else {
                println!("quotes on {} ({} articles)", data.display(), articles.len());
                println!(
                    "content overlap  P {:.4}  R {:.4}  F1 {:.4}",
                    s.overlap_precision, s.overlap_recall, s.overlap_f1
                );
                println!(
                    "content exact    P {:.4}  R {:.4}  F1 {:.4}  ({} predicted, {} gold)",
                    s.exact_precision, s.exact_recall, s.exact_f1, s.predicted, s.gold
                );
                println!(
                    "right source     {:.4} of {} found quotes",
                    s.source_accuracy, s.found
                );
            }
        }
        Task::Parse {
            data,
            output,
            common,
        } => {
            let model = load(&common, precision)?;
            let bank = read_conllu(&data)?;
            for skipped in &bank.skipped {
                eprintln!("skipped a sentence: {skipped}");
            }
            let parsed = parse_sentences(
                &model,
                &bank.sentences,
                WindowOptions::default(),
                common.batch_size,
            )?;
            let s = ParseScores::of(&bank.sentences, &parsed);
            if let Some(path) = &output {
                std::fs::write(path, treebank_conllu(&bank.sentences, &parsed))
                    .with_context(|| format!("writing {}", path.display()))?;
            }
            if common.json {
                let report = serde_json::json!({
                    "data": data.display().to_string(),
                    "sentences": bank.sentences.len(),
                    "skipped": bank.skipped.len(),
                    "words": s.words,
                    "upos": s.upos_accuracy(),
                    "lemma": s.lemma_accuracy(),
                    "uas": s.uas_score(),
                    "las": s.las_score(),
                });
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                println!(
                    "syntax on {} ({} sentences, {} words)",
                    data.display(),
                    bank.sentences.len(),
                    s.words
                );
                println!("UPOS   {:.4}", s.upos_accuracy());
                println!("lemma  {:.4}", s.lemma_accuracy());
                println!("UAS    {:.4}", s.uas_score());
                println!("LAS    {:.4}", s.las_score());
            }
        }
        Task::Coref { data, common } => {
            let bank = read_conllu(&data)?;
            for skipped in &bank.skipped {
                eprintln!("skipped a sentence: {skipped}");
            }
            let options = PipelineOptions {
                batch_size: common.batch_size,
                ..Default::default()
            };
            let pipeline = Pipeline::new(load(&common, precision)?, Linker::default(), options);
            let s = score_coref(&pipeline, &bank.sentences, options.windows)?;
            if common.json {
                let report = serde_json::json!({
                    "data": data.display().to_string(),
                    "documents": s.documents,
                    "skipped_documents": s.skipped,
                    "pronouns": s.pronouns,
                    "resolved": s.resolved,
                    "right": s.right,
                    "accuracy": s.accuracy(),
                    "precision": s.precision(),
                });
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                println!(
                    "pronouns on {} ({} documents, {} skipped)",
                    data.display(),
                    s.documents,
                    s.skipped
                );
                println!("third-person pronouns mentioned before  {}", s.pronouns);
                println!("given an antecedent                     {}", s.resolved);
                println!(
                    "resolved to a mention of their entity   {} ({:.4})",
                    s.right,
                    s.accuracy()
                );
                println!(
                    "right of those given one                {:.4}",
                    s.precision()
                );
            }
        }
        Task::Events {
            data,
            no_model,
            records: show_records,
            dictionaries,
            common,
        } => {
            let linker = dictionaries.linker()?;
            let xml = std::fs::read_to_string(&data)
                .with_context(|| format!("reading {}", data.display()))?;
            let records =
                newsevents::io::petrarch::parse_records(&xml, &data.display().to_string())?;
            let pipeline = if no_model {
                None
            } else {
                Some(Pipeline::new(
                    load(&common, precision)?,
                    Linker::default(),
                    PipelineOptions::default(),
                ))
            };
            // The entities and the parse the model reads in each record, as `extract` reads
            // it: read once, for the scores and the --records listing alike.
            let read = |text: &str| -> Reading {
                let Some(p) = &pipeline else {
                    return Reading::default();
                };
                Document::prepare(
                    text.to_string(),
                    &p.model().tokenizer,
                    WindowOptions::default(),
                )
                .ok()
                .and_then(|doc| p.read_documents(&[doc]).ok())
                .and_then(|mut readings| readings.pop())
                .unwrap_or_default()
            };
            let readings: std::collections::HashMap<&str, Reading> = records
                .iter()
                .map(|r| (r.text.as_str(), read(&r.text)))
                .collect();
            let reader = |text: &str| readings.get(text).cloned().unwrap_or_default();
            if show_records {
                for record in &records {
                    let gold = newsevents::eval::events::gold_triples(record);
                    let written = newsevents::eval::events::written_triples(
                        &linker,
                        &reader(&record.text),
                        record,
                    );
                    if gold != written {
                        println!(
                            "{} {}\n  gold    {gold:?}\n  written {written:?}",
                            record.id, record.text
                        );
                    }
                }
            }
            let s = newsevents::eval::score_petrarch(&linker, &reader, &records);
            if common.json {
                println!("{}", serde_json::to_string_pretty(&s)?);
            } else {
                println!("events on {} ({} records)", data.display(), s.records);
                println!("events with a coded actor and target (PETRARCH's require_dyad):");
                println!("{}", serde_json::to_string_pretty(&s.total)?);
                println!("every event written (one without a code counts against precision):");
                println!("{}", serde_json::to_string_pretty(&s.all_events)?);
            }
        }
        Task::Gold {
            data,
            gold_spans,
            common,
        } => {
            let records = newsevents::eval::gold::read_gold(&data)?;
            let report = if gold_spans {
                newsevents::eval::score_linker_on_gold(&Linker::default(), &records)
            } else {
                let pipeline = Pipeline::new(
                    load(&common, precision)?,
                    Linker::default(),
                    PipelineOptions {
                        batch_size: common.batch_size,
                        ..Default::default()
                    },
                );
                let inputs: Vec<Article> = records
                    .iter()
                    .map(|r| Article::new(r.id.clone(), r.text.clone()))
                    .collect();
                newsevents::eval::score_analyses(&records, &pipeline.analyze(&inputs)?)
            };
            if common.json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                let (q, e) = (&report.quotes, &report.events);
                println!(
                    "gold set {} ({} records{})",
                    data.display(),
                    report.records,
                    if gold_spans { ", gold spans" } else { "" }
                );
                println!(
                    "quotes found     {:.3} ({}/{})",
                    q.found.share, q.found.count, q.found.of
                );
                println!(
                    "right speaker    {:.3} of found ({}/{})",
                    q.right_speaker.share, q.right_speaker.count, q.right_speaker.of
                );
                println!(
                    "events right     {:.3} ({}/{}), precision {:.3}, F1 {:.3}",
                    e.right.share, e.right.count, e.right.of, e.precision.share, e.f1
                );
                println!(
                    "phenomena (events right): {}",
                    report
                        .phenomena
                        .iter()
                        .map(|(k, v)| format!("{k} {:.2}", v.events_right.share))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_spans(scores: &SpanScores, json: bool, data: &std::path::Path) -> anyhow::Result<()> {
    if json {
        let report = serde_json::json!({"data": data.display().to_string(), "micro": scores.micro(), "per_type": scores.per_type()});
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    println!("entities on {}", data.display());
    println!(
        "{:<8} {:>9} {:>9} {:>9} {:>8}",
        "type", "precision", "recall", "f1", "support"
    );
    for (t, s) in scores.per_type() {
        println!(
            "{:<8} {:>9.4} {:>9.4} {:>9.4} {:>8}",
            t, s.precision, s.recall, s.f1, s.support
        );
    }
    let m = scores.micro();
    println!(
        "{:<8} {:>9.4} {:>9.4} {:>9.4} {:>8}",
        "micro", m.precision, m.recall, m.f1, m.support
    );
    Ok(())
}
