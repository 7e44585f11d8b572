//! `newsevents extract`: articles in, one JSON record per article out.

use anyhow::Context;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use newsevents::document::WindowOptions;
use newsevents::io::{read_inputs, InputItem, JsonlWriter, Location, Shard};
use newsevents::model::Precision;
use newsevents::{Analysis, Article, ModelSource, Pipeline, PipelineOptions};
use std::collections::HashSet;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

/// Extract entities, quotes and events from articles, one JSON record per article.
#[derive(Args)]
#[command(
    after_help = "Inputs: .txt files (one article each, id = file name), directories \
(searched recursively for .txt/.jsonl/.jsonl.gz), .jsonl or .jsonl.gz files with {\"id\", \"text\", ...} \
per line (other fields pass through), or - for stdin.

Bad records (malformed JSON, no text, invalid UTF-8) are reported on stderr as FILE:LINE: reason \
and, when their id is known, written with an `errors` entry; the run goes on and exits 0 unless \
--strict.

Examples:
  newsevents extract article.txt
  newsevents extract news/ -o out.jsonl --threads 2
  newsevents extract dump.jsonl.gz -o out.jsonl --resume     # continue after an interruption
  newsevents extract dump.jsonl.gz --shard 3/8 -o out.3.jsonl  # job 3 of 8 over one dump
  newsevents extract --model dslim/bert-base-NER article.txt  # a hub model (HF_HOME, HF_HUB_OFFLINE)"
)]
pub struct ExtractArgs {
    /// Files, directories, or - for stdin.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Write records here instead of stdout.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Continue an interrupted run: keep the records in --output and skip their ids.
    #[arg(long, requires = "output")]
    resume: bool,
    /// Analyse only shard K of N (1 <= K <= N): the records whose id hashes to K, the same on
    /// every run and machine, so N jobs (a Slurm array, a Kubernetes job) cover a dump exactly
    /// once; each is resumable with --resume. Bad records without an id are reported by shard 1.
    #[arg(long, value_name = "K/N")]
    shard: Option<Shard>,
    /// Model directory (config.json, model.safetensors or pytorch_model.bin, tokenizer.json),
    /// Hugging Face hub id (owner/name[@revision], cached under $HF_HOME) or `default`
    /// (models/default of the source tree, or $NEWSEVENTS_MODEL).
    #[arg(long, default_value = "default")]
    model: String,
    /// Windows per encoder call.
    #[arg(long, default_value_t = 16)]
    batch_size: usize,
    /// Subword tokens per window (at most 510); long articles are read in overlapping windows.
    #[arg(long, default_value_t = 254)]
    window: usize,
    /// Exit with status 1 if any record was bad.
    #[arg(long)]
    strict: bool,
    /// Print a summary at the end on stderr: articles, subword tokens, seconds, tokens/s.
    #[arg(long)]
    stats: bool,
    /// `jsonl` (one record per line), `conllu` (the parse of every sentence as CoNLL-U, for UD
    /// tools, spaCy's spacy-conll, Stanza) or `html` (a page with the spans highlighted, the
    /// events as a table and each sentence's tree, for people; keeps all records in memory).
    #[arg(long, value_enum, default_value_t = Format::Jsonl)]
    format: Format,
    /// Add each sentence's parse to the records: `sentences: [{start, end, tokens: [{start,
    /// end, text, upos, lemma, head, deprel}]}]` (`head` indexes the sentence's tokens, -1 for
    /// the root). Needs a model with syntax heads (models/default has them).
    #[arg(long)]
    syntax: bool,
    #[command(flatten)]
    dictionaries: super::linker_args::LinkerArgs,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Jsonl,
    Conllu,
    Html,
}

/// Articles analysed per pipeline call: enough windows to fill batches, few enough to stream.
const ARTICLES_PER_CHUNK: usize = 64;
const CHARS_PER_CHUNK: usize = 1 << 20;

pub fn run(args: ExtractArgs, precision: Option<Precision>) -> anyhow::Result<ExitCode> {
    let source = ModelSource::parse(&args.model);
    let model = super::load_model(&source, precision)
        .context("see `newsevents extract --help` for --model")?;
    let options = PipelineOptions {
        batch_size: args.batch_size,
        windows: WindowOptions {
            max_tokens: args.window.clamp(8, 510),
            stride: args.window.clamp(8, 510) * 3 / 4,
        },
        syntax: args.syntax || args.format != Format::Jsonl,
        ..Default::default()
    };
    if options.syntax && model.parser.is_none() {
        anyhow::bail!(
            "model {} has no syntax heads (upos, lemma, deps): --syntax and --format conllu need them; \
             models/default has them",
            args.model
        );
    }
    let pipeline = Pipeline::new(model, args.dictionaries.linker()?, options);
    match args.format {
        Format::Html => return write_html(&args, &pipeline),
        Format::Conllu => return write_conllu(&args, &pipeline),
        Format::Jsonl => {}
    }
    let (mut writer, done) = match (&args.output, args.resume) {
        (Some(path), true) => JsonlWriter::resume(path)?,
        (Some(path), false) => (JsonlWriter::create(path)?, HashSet::new()),
        (None, _) => (JsonlWriter::stdout(), HashSet::new()),
    };
    let progress = if std::io::stderr().is_terminal() {
        let bar = ProgressBar::new_spinner();
        bar.set_style(ProgressStyle::with_template(
            "{spinner} {elapsed} {pos} articles ({per_sec}) {msg}",
        )?);
        bar
    } else {
        ProgressBar::hidden()
    };
    let started = std::time::Instant::now();
    let mut articles = 0usize;
    let mut bad = 0usize;
    // Ids written by this run; `done` holds those of an interrupted one (--resume).
    let mut seen: HashSet<String> = HashSet::new();
    let mut chunk: Vec<Article> = Vec::new();
    let mut places: Vec<Location> = Vec::new();
    let mut chunk_chars = 0;
    // Writes the chunk's records; problems found in an article (an empty text) are reported
    // by its place like a bad record's. Returns how many articles had one.
    let flush = |chunk: &mut Vec<Article>,
                 places: &mut Vec<Location>,
                 writer: &mut JsonlWriter|
     -> anyhow::Result<usize> {
        if chunk.is_empty() {
            return Ok(0);
        }
        let mut troubled = 0;
        for (analysis, place) in pipeline.analyze(chunk)?.iter().zip(places.iter()) {
            for error in &analysis.errors {
                progress.suspend(|| eprintln!("{place}: {error} (id {})", analysis.id));
            }
            troubled += usize::from(!analysis.errors.is_empty());
            writer.write(analysis)?;
        }
        writer.flush()?;
        progress.inc(chunk.len() as u64);
        chunk.clear();
        places.clear();
        Ok(troubled)
    };
    for item in read_inputs(&args.inputs).filter(|item| in_shard(args.shard, item)) {
        match item {
            InputItem::Article(article, place) => {
                if done.contains(&article.id) {
                    continue;
                }
                if !seen.insert(article.id.clone()) {
                    // A second record with the same id would make --resume skip both; say so.
                    bad += 1;
                    progress.suspend(|| {
                        eprintln!(
                            "{place}: id {} repeats an earlier record's: skipped",
                            article.id
                        )
                    });
                    continue;
                }
                articles += 1;
                chunk_chars += article.text.len();
                chunk.push(article);
                places.push(place);
                if chunk.len() >= ARTICLES_PER_CHUNK || chunk_chars >= CHARS_PER_CHUNK {
                    bad += flush(&mut chunk, &mut places, &mut writer)?;
                    chunk_chars = 0;
                }
            }
            InputItem::Bad(record) => {
                bad += 1;
                progress.suspend(|| eprintln!("{record}"));
                if let Some(id) = record.id.clone() {
                    if !done.contains(&id) && seen.insert(id.clone()) {
                        let mut analysis = Analysis {
                            id,
                            ..Default::default()
                        };
                        analysis
                            .errors
                            .push(format!("{}: {}", record.location, record.reason));
                        writer.write(&analysis)?;
                    }
                }
            }
        }
    }
    bad += flush(&mut chunk, &mut places, &mut writer)?;
    progress.finish_and_clear();
    if args.stats {
        let seconds = started.elapsed().as_secs_f64();
        let tokens = pipeline.tokens_read();
        eprintln!(
            "{articles} articles, {tokens} subword tokens in {seconds:.2} s ({:.0} tokens/s)",
            tokens as f64 / seconds.max(1e-9)
        );
    }
    if bad > 0 {
        eprintln!("{bad} bad record(s) reported above; every good record was written");
    }
    Ok(if args.strict && bad > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Whether `item` belongs to `shard` (every item when there is none).
fn in_shard(shard: Option<Shard>, item: &InputItem) -> bool {
    let Some(shard) = shard else { return true };
    match item {
        InputItem::Article(article, _) => shard.holds(&article.id),
        InputItem::Bad(record) => match &record.id {
            Some(id) => shard.holds(id),
            None => shard.is_first(),
        },
    }
}

/// Writes the parse of every article as CoNLL-U (to stdout or --output), article by article.
fn write_conllu(args: &ExtractArgs, pipeline: &Pipeline) -> anyhow::Result<ExitCode> {
    use std::io::Write;
    let mut out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout())),
    };
    let mut bad = 0;
    let mut chunk: Vec<Article> = Vec::new();
    let write_chunk = |chunk: &mut Vec<Article>, out: &mut Box<dyn Write>| -> anyhow::Result<()> {
        for (article, analysis) in chunk.iter().zip(pipeline.analyze(chunk)?) {
            for error in &analysis.errors {
                eprintln!("{}: {error}", article.id);
            }
            let sentences = analysis.sentences.unwrap_or_default();
            let page = newsevents::io::conllu::write_conllu(&article.id, &article.text, &sentences);
            out.write_all(page.as_bytes())?;
        }
        chunk.clear();
        Ok(())
    };
    for item in read_inputs(&args.inputs).filter(|item| in_shard(args.shard, item)) {
        match item {
            InputItem::Article(article, _) => {
                chunk.push(article);
                if chunk.len() >= ARTICLES_PER_CHUNK {
                    write_chunk(&mut chunk, &mut out)?;
                }
            }
            InputItem::Bad(record) => {
                bad += 1;
                eprintln!("{record}");
            }
        }
    }
    write_chunk(&mut chunk, &mut out)?;
    out.flush()?;
    Ok(if args.strict && bad > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Renders every article into one HTML page (to stdout or --output).
fn write_html(args: &ExtractArgs, pipeline: &Pipeline) -> anyhow::Result<ExitCode> {
    let mut texts = Vec::new();
    let mut analyses = Vec::new();
    let mut bad = 0;
    for item in read_inputs(&args.inputs) {
        match item {
            InputItem::Article(article, _) => {
                analyses.extend(pipeline.analyze(std::slice::from_ref(&article))?);
                texts.push(article.text);
            }
            InputItem::Bad(record) => {
                bad += 1;
                eprintln!("{record}");
            }
        }
    }
    let items: Vec<(&str, &Analysis)> = texts
        .iter()
        .map(String::as_str)
        .zip(analyses.iter())
        .collect();
    let page = newsevents::io::html::render_html(&items);
    match &args.output {
        Some(path) => {
            std::fs::write(path, page).with_context(|| format!("writing {}", path.display()))?
        }
        None => {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            out.write_all(page.as_bytes())
                .and_then(|()| out.flush())
                .context("writing <stdout>")?
        }
    }
    Ok(if args.strict && bad > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
