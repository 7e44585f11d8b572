//! Micro-benchmarks of the hot parts of `extract` on `models/default`: tokenization, each
//! product kernel at the encoder's shapes, the encoder forward per batch shape and kernel,
//! span decoding and linking. Run with `cargo bench --bench hot_paths`; the end-to-end
//! benchmark against PyTorch is `scripts/bench.sh`.

use candle_core::{Device, Tensor};
use newsevents::document::{Document, WindowOptions};
use newsevents::inference::{predict, Windows};
use newsevents::linking::{Linker, QuoteSpans};
use newsevents::model::{Activation, Kernel, PackedLinear, ENTITIES, QUOTES};
use newsevents::tagging::{decode_spans, LabelSet};
use newsevents::{Entity, ModelSource, TokenClassifier};
use std::sync::LazyLock;

fn main() {
    divan::main();
}

const MODEL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/models/default");

/// News text the repository ships: the first 20 paragraphs of the gold set, as one article.
static ARTICLE: LazyLock<String> = LazyLock::new(|| {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/datasets/gold/test.jsonl");
    std::fs::read_to_string(path)
        .expect("datasets/gold/test.jsonl")
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["text"].as_str().map(str::to_string))
        .take(20)
        .collect::<Vec<_>>()
        .join("\n")
});

static MODELS: LazyLock<Vec<(Kernel, TokenClassifier)>> = LazyLock::new(|| {
    Kernel::ALL
        .into_iter()
        .filter(|k| k.supported())
        .map(|k| {
            let mut m = TokenClassifier::load(&ModelSource::parse(MODEL), &Device::Cpu)
                .expect("models/default loads");
            m.set_kernel(k).expect("packs");
            (k, m)
        })
        .collect()
});

fn model(kernel: Kernel) -> Option<&'static TokenClassifier> {
    MODELS.iter().find(|(k, _)| *k == kernel).map(|(_, m)| m)
}

static DOCUMENT: LazyLock<Document> = LazyLock::new(|| {
    Document::prepare(
        ARTICLE.clone(),
        &model(Kernel::Reference).unwrap().tokenizer,
        WindowOptions::default(),
    )
    .unwrap()
});

const KERNELS: [&str; 3] = ["reference", "f32-avx512", "bf16-avx512"];

fn kernel(name: &str) -> Kernel {
    Kernel::ALL.into_iter().find(|k| k.name() == name).unwrap()
}

#[divan::bench(sample_count = 10)]
fn tokenize(bencher: divan::Bencher) {
    let tokenizer = &model(Kernel::Reference).unwrap().tokenizer;
    bencher.bench(|| Document::prepare(ARTICLE.clone(), tokenizer, WindowOptions::default()));
}

/// One dense product of 2,048 rows, at the feed-forward's two shapes and attention's one.
#[divan::bench(args = KERNELS, consts = [384, 1536], sample_count = 10)]
fn product<const OUT: usize>(bencher: divan::Bencher, name: &str) {
    let k = kernel(name);
    let input = if OUT == 384 { 1536 } else { 384 };
    let x = Tensor::randn(0f32, 1.0, (2048, input), &Device::Cpu).unwrap();
    let w = Tensor::randn(0f32, 0.05, (OUT, input), &Device::Cpu).unwrap();
    let b = Tensor::zeros(OUT, candle_core::DType::F32, &Device::Cpu).unwrap();
    match PackedLinear::new(&w, &b, k).unwrap() {
        Some(packed) => bencher.bench(|| packed.forward(&x, Activation::Identity).unwrap()),
        None if k == Kernel::Reference => bencher.bench(|| {
            x.matmul(&w.t().unwrap())
                .unwrap()
                .broadcast_add(&b)
                .unwrap()
        }),
        None => {} // not on this CPU
    }
}

/// Both heads over the article's document windows, in batches of 16 (as `extract`).
#[divan::bench(args = KERNELS, sample_count = 5)]
fn encoder(bencher: divan::Bencher, name: &str) {
    if let Some(m) = model(kernel(name)) {
        let docs = std::slice::from_ref(&*DOCUMENT);
        bencher.bench(|| predict(m, docs, 16, Windows::Document).unwrap());
    }
}

fn entities_and_quotes() -> (Vec<Entity>, QuoteSpans, Vec<f32>, LabelSet) {
    let m = model(Kernel::Reference).unwrap();
    let probs = predict(m, std::slice::from_ref(&*DOCUMENT), 16, Windows::Document).unwrap();
    let head = |name| m.heads.iter().position(|h| h.name == name).unwrap();
    let labels = |i: usize| LabelSet::new(&m.heads[i].labels);
    let (e, q) = (head(ENTITIES), head(QUOTES));
    let entities = decode_spans(&probs[0].probs[e], &labels(e))
        .into_iter()
        .map(|s| {
            let span = DOCUMENT.span_of(s.words.clone());
            Entity {
                span: newsevents::TextSpan::new(span.start, span.end, DOCUMENT.text_of(s.words)),
                label: s.label,
                score: s.score,
            }
        })
        .collect();
    let quotes = QuoteSpans::from_labeled(decode_spans(&probs[0].probs[q], &labels(q)));
    (entities, quotes, probs[0].probs[q].clone(), labels(q))
}

#[divan::bench(sample_count = 20)]
fn decode(bencher: divan::Bencher) {
    let (_, _, probs, labels) = entities_and_quotes();
    bencher.bench(|| decode_spans(&probs, &labels));
}

#[divan::bench(sample_count = 10)]
fn link(bencher: divan::Bencher) {
    let (entities, quotes, _, _) = entities_and_quotes();
    let linker = Linker::default();
    bencher.bench(|| linker.link(&DOCUMENT, &entities, &quotes, None));
}
