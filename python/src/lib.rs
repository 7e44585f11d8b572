//! `newsevents._newsevents`: the Rust engine under the Python package.
//!
//! The Python layer (`python/newsevents/__init__.py`) turns strings and dicts into JSON lines and
//! parses the records back; this module runs the same reader, pipeline and record writer as
//! `newsevents extract`, so a record is the same bytes whichever way it was made.

use newsevents::document::WindowOptions;
use newsevents::io::{parse_record, BadRecord, InputItem, Location};
use newsevents::model::{Kernel, Precision};
use newsevents::TokenClassifier;
use newsevents::{Analysis, Article, Linker, ModelSource, Pipeline, PipelineOptions};
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use rayon::{ThreadPool, ThreadPoolBuilder};
use std::error::Error;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

create_exception!(
    _newsevents,
    ModelError,
    PyException,
    "The model could not be loaded: a missing directory or file, a corrupt file, a hub id that \
     is not cached while offline. The message is the command line's."
);

/// The place name of records given to the Python API: a record without an id is named
/// `input:N` by its 1-based position, as a JSONL line without one is named `FILE:LINE`.
const PLACE: &str = "input";

/// `error` and each of its causes, once each, as the command line prints them.
fn chain(error: &dyn Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}

/// A thread pool that belongs to one process. Rayon's worker threads do not survive `fork()`
/// (a Spark or multiprocessing worker forked from a parent that already used the pipeline):
/// a child that found its parent's pool would wait forever on threads it does not have, so a
/// process that is not the pool's builder gets a new pool.
struct ProcessPool {
    threads: usize,
    current: Mutex<Option<(u32, Arc<ThreadPool>)>>,
}

impl ProcessPool {
    fn new(threads: usize) -> Self {
        ProcessPool {
            threads,
            current: Mutex::new(None),
        }
    }

    fn get(&self) -> PyResult<Arc<ThreadPool>> {
        let pid = std::process::id();
        let mut current = self.current.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((owner, pool)) = current.as_ref() {
            if *owner == pid {
                return Ok(pool.clone());
            }
        }
        if let Some((_, inherited)) = current.take() {
            // Its threads are the parent's: dropping it would signal threads that do not exist
            // here. A forked child leaks this one small struct instead.
            std::mem::forget(inherited);
        }
        let pool = ThreadPoolBuilder::new()
            .num_threads(self.threads)
            .thread_name(|i| format!("newsevents-{i}"))
            .build()
            .map_err(|e| PyRuntimeError::new_err(format!("cannot start threads: {e}")))?;
        let pool = Arc::new(pool);
        *current = Some((pid, pool.clone()));
        Ok(pool)
    }
}

/// One input as the Python layer hands it over: a JSON record (a JSONL line), or an input it
/// could not make one of (a number, undecodable bytes), with its id if it had one and why.
#[derive(FromPyObject)]
enum Input {
    Line(String),
    Bad(Option<String>, String),
}

/// The loaded model and linker. Made by `newsevents.Pipeline`; see its documentation.
#[pyclass(module = "newsevents._newsevents", frozen)]
struct Engine {
    pipeline: Pipeline,
    pool: ProcessPool,
    source: String,
    skipped: Vec<String>,
}

#[pymethods]
impl Engine {
    #[new]
    #[pyo3(signature = (model, threads=None, precision=None, syntax=false, batch_size=16,
                        window=254, actors=Vec::new(), agents=Vec::new(), verbs=Vec::new()))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        model: &str,
        threads: Option<usize>,
        precision: Option<&str>,
        syntax: bool,
        batch_size: usize,
        window: usize,
        actors: Vec<PathBuf>,
        agents: Vec<PathBuf>,
        verbs: Vec<PathBuf>,
    ) -> PyResult<Engine> {
        let precision = precision
            .map(str::parse::<Precision>)
            .transpose()
            .map_err(PyValueError::new_err)?;
        let threads =
            threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
        if threads == 0 {
            return Err(PyValueError::new_err("threads must be at least 1"));
        }
        if batch_size == 0 {
            return Err(PyValueError::new_err("batch_size must be at least 1"));
        }
        let pool = ProcessPool::new(threads);
        let workers = pool.get()?;
        let source = ModelSource::parse(model);
        let (pipeline, skipped) = py.detach(|| {
            workers.install(|| -> Result<(Pipeline, Vec<String>), PyErr> {
                let classifier = TokenClassifier::load_on(
                    &source,
                    &candle_core::Device::Cpu,
                    Kernel::chosen(precision),
                )
                .map_err(|e| {
                    ModelError::new_err(format!("loading model {source}: {}", chain(&e)))
                })?;
                if syntax && classifier.parser.is_none() {
                    return Err(ModelError::new_err(format!(
                        "model {source} has no syntax heads (upos, lemma, deps): syntax=True needs \
                         them; the default model has them"
                    )));
                }
                let (linker, skipped) = linker(&actors, &agents, &verbs)?;
                let window = window.clamp(8, 510);
                let options = PipelineOptions {
                    batch_size,
                    windows: WindowOptions {
                        max_tokens: window,
                        stride: window * 3 / 4,
                    },
                    syntax,
                    ..Default::default()
                };
                Ok((Pipeline::new(classifier, linker, options), skipped))
            })
        })?;
        Ok(Engine {
            pipeline,
            pool,
            source: source.to_string(),
            skipped,
        })
    }

    /// Analyses inputs (JSON records, one object per string as the lines of a JSONL file, or
    /// `(id, problem)` pairs), the first being input number `first` (1-based). Returns one JSON
    /// record per input, in order: a record that cannot be read comes back with its `errors`.
    fn analyze_inputs(
        &self,
        py: Python<'_>,
        inputs: Vec<Input>,
        first: usize,
    ) -> PyResult<Vec<String>> {
        let pool = self.pool.get()?;
        py.detach(|| pool.install(|| self.analyze(&inputs, first)))
    }

    /// The kernel of the dense products, as `newsevents models info` prints it.
    #[getter]
    fn kernel(&self) -> &'static str {
        self.pipeline.model().kernel().name()
    }

    /// `f32`, `bf16` or `int8`.
    #[getter]
    fn precision(&self) -> &'static str {
        match self.pipeline.model().kernel().precision() {
            Precision::F32 => "f32",
            Precision::Bf16 => "bf16",
            Precision::Int8 => "int8",
        }
    }

    /// Threads of this pipeline's pool.
    #[getter]
    fn threads(&self) -> usize {
        self.pool.threads
    }

    /// Where the model came from (a directory or a hub id).
    #[getter]
    fn model(&self) -> &str {
        &self.source
    }

    /// Lines of the verb pattern files that could not be read and were skipped, as
    /// `FILE:LINE: problem` (the command line prints them as warnings).
    #[getter]
    fn skipped_patterns(&self) -> Vec<String> {
        self.skipped.clone()
    }

    /// Subword tokens read so far (the unit of the benchmarks' throughput).
    #[getter]
    fn tokens_read(&self) -> u64 {
        self.pipeline.tokens_read()
    }
}

impl Engine {
    fn analyze(&self, inputs: &[Input], first: usize) -> PyResult<Vec<String>> {
        let place = Path::new(PLACE);
        let items: Vec<InputItem> = inputs
            .iter()
            .enumerate()
            .map(|(i, input)| match input {
                Input::Line(line) => parse_record(place, first + i, line.as_bytes()),
                Input::Bad(id, reason) => InputItem::Bad(BadRecord {
                    location: Location {
                        file: PLACE.into(),
                        line: Some(first + i),
                    },
                    id: id.clone(),
                    reason: reason.clone(),
                }),
            })
            .collect();
        let articles: Vec<Article> = items
            .iter()
            .filter_map(|item| match item {
                InputItem::Article(article, _) => Some(article.clone()),
                InputItem::Bad(_) => None,
            })
            .collect();
        let mut analyses = self
            .pipeline
            .analyze(&articles)
            .map_err(|e| PyRuntimeError::new_err(chain(&e)))?
            .into_iter();
        items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let analysis = match item {
                    InputItem::Article(..) => analyses.next().expect("one analysis per article"),
                    InputItem::Bad(record) => {
                        let mut analysis = Analysis {
                            id: record
                                .id
                                .clone()
                                .unwrap_or_else(|| format!("{PLACE}:{}", first + i)),
                            ..Default::default()
                        };
                        analysis
                            .errors
                            .push(format!("{}: {}", record.location, record.reason));
                        analysis
                    }
                };
                serde_json::to_string(&analysis).map_err(|e| {
                    PyRuntimeError::new_err(format!("cannot write record {}: {e}", analysis.id))
                })
            })
            .collect()
    }
}

/// The built-in dictionaries extended with the user's PETRARCH files, as `--actors`,
/// `--agents` and `--verbs` make them.
fn linker(
    actors: &[PathBuf],
    agents: &[PathBuf],
    verbs: &[PathBuf],
) -> PyResult<(Linker, Vec<String>)> {
    let linker = Linker::with_dictionaries(actors, agents)
        .map_err(|e| PyValueError::new_err(format!("reading dictionaries: {}", chain(&e))))?;
    linker
        .with_verbs(verbs)
        .map_err(|e| PyValueError::new_err(format!("reading verb patterns: {}", chain(&e))))
}

#[pymodule]
fn _newsevents(m: &Bound<'_, PyModule>) -> PyResult<()> {
    // candle runs large element-wise operations on a process-wide pool of its own threads,
    // sized from the environment, made once: it would ignore `threads=` (a Spark task given
    // one core would run on all), and after `fork()` the child would wait forever on the
    // parent's threads. With one thread that pool is empty and candle works on the calling
    // thread, one of the pipeline's own pool, which is parallel across windows already.
    // Before any candle operation of this process: module import is the first moment.
    std::env::set_var("CANDLE_NUM_THREADS", "1");
    m.add_class::<Engine>()?;
    m.add("ModelError", m.py().get_type::<ModelError>())?;
    Ok(())
}
