//! The encoder alone, measured as `scripts/bench_torch.py` measures PyTorch: one pass over a
//! JSONL dump cut into windows of WINDOW subwords without overlap, length-sorted batches of
//! BATCH, timed from tokenization to label probabilities, median of RUNS; load excluded.
//! Prints one JSON line per kernel, in bench_torch.py's schema plus the model's GFLOP/s, and a
//! last line with this machine's f32 and bf16 multiply-add peaks on THREADS threads: the limits
//! the table in BENCHMARKS.md divides by.
//!
//! Usage: cargo bench --bench encoder_throughput -- MODEL DUMP THREADS [WINDOW BATCH RUNS]

use candle_core::Device;
use newsevents::document::{Document, WindowOptions};
use newsevents::inference::{predict, Windows};
use newsevents::model::{Kernel, Precision};
use newsevents::{ModelSource, TokenClassifier};
use rayon::prelude::*;
use std::time::Instant;

fn main() {
    // As the `newsevents` binary runs: freed tensors stay in the process.
    newsevents::memory::keep_freed_memory();
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    if args.len() < 3 {
        eprintln!("usage: encoder_throughput MODEL DUMP THREADS [WINDOW BATCH RUNS]");
        std::process::exit(2);
    }
    let number = |i: usize, default: usize| {
        args.get(i)
            .map(|a| a.parse().expect("a number"))
            .unwrap_or(default)
    };
    let (threads, window, batch, runs) =
        (number(2, 1), number(3, 256), number(4, 32), number(5, 5));
    std::env::set_var("RAYON_NUM_THREADS", threads.to_string());
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build_global()
        .expect("the first pool");
    let mut model = TokenClassifier::load(&ModelSource::parse(&args[0]), &Device::Cpu)
        .expect("the model loads");
    let texts: Vec<String> = std::fs::read_to_string(&args[1])
        .expect("the dump reads")
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["text"].as_str().map(str::to_string))
        .collect();
    let options = WindowOptions {
        max_tokens: window - 2,
        stride: window - 2,
    };
    let mut kernels = vec![Kernel::best(Precision::F32)];
    kernels.push(Kernel::best(Precision::Bf16));
    kernels.push(Kernel::best(Precision::Int8));
    kernels.dedup();
    for kernel in kernels {
        model.set_kernel(kernel).expect("packs");
        let mut flops_per_token = 0.0;
        let mut rates: Vec<f64> = (0..runs)
            .map(|_| {
                let start = Instant::now();
                let docs: Vec<Document> = texts
                    .par_iter()
                    .map(|t| Document::prepare(t.clone(), &model.tokenizer, options).unwrap())
                    .collect();
                predict(&model, &docs, batch, Windows::Document).expect("inference");
                let tokens: usize = window_lengths(&docs).sum();
                let elapsed = start.elapsed().as_secs_f64();
                flops_per_token = model_flops(&model, &docs) / tokens as f64;
                tokens as f64 / elapsed
            })
            .collect();
        rates.sort_by(f64::total_cmp);
        println!(
            "{}",
            serde_json::json!({
                "engine": format!("newsevents {}", kernel.name()),
                "threads": threads,
                "median": rates[rates.len() / 2],
                "min": rates[0],
                "max": rates[rates.len() - 1],
                "gflops": rates[rates.len() / 2] * flops_per_token / 1e9,
            })
        );
    }
    let (f32_peak, bf16_peak) = peaks(threads);
    println!(
        "{}",
        serde_json::json!({"peak_f32_gflops": f32_peak, "peak_bf16_gflops": bf16_peak})
    );
}

/// Floating-point operations of one pass over the documents' windows: the dense layers and
/// the heads (2 per weight per token) plus attention's two products (4 x length x hidden).
fn model_flops(model: &TokenClassifier, docs: &[Document]) -> f64 {
    let c = &model.config;
    let (h, i) = (c.hidden_size as f64, c.intermediate_size as f64);
    let labels: usize = model.heads.iter().map(|h| h.labels.len()).sum();
    let dense =
        2.0 * (c.num_hidden_layers as f64 * (4.0 * h * h + 2.0 * h * i) + h * labels as f64);
    window_lengths(docs)
        .map(|len| {
            let len = len as f64;
            len * (dense + c.num_hidden_layers as f64 * 4.0 * len * h)
        })
        .sum()
}

/// Tokens of each window the encoder reads, `[CLS]` and `[SEP]` included.
fn window_lengths(docs: &[Document]) -> impl Iterator<Item = usize> + '_ {
    docs.iter().flat_map(|d| {
        d.plan.windows.iter().map(|w| {
            d.subwords[w.words.clone()]
                .iter()
                .map(Vec::len)
                .sum::<usize>()
                + 2
        })
    })
}

/// This machine's multiply-add peaks in GFLOP/s over `threads` threads: independent chains of
/// f32 FMAs and of bf16 pair dot products on 512-bit registers (0 where the CPU lacks them).
fn peaks(threads: usize) -> (f64, f64) {
    #[cfg(target_arch = "x86_64")]
    {
        let rate = |bf16: bool| -> f64 {
            const STEPS: usize = 20_000_000;
            (0..threads)
                .into_par_iter()
                .map(|_| {
                    let start = Instant::now();
                    // SAFETY: both kernels run only where the CPU reports their features.
                    let flops = unsafe {
                        if bf16 {
                            peak::bf16(STEPS)
                        } else {
                            peak::f32(STEPS)
                        }
                    };
                    flops / start.elapsed().as_secs_f64() / 1e9
                })
                .sum()
        };
        let f32_peak = if Kernel::F32Avx512.supported() {
            rate(false)
        } else {
            0.0
        };
        let bf16_peak = if Kernel::Bf16Avx512.supported() {
            rate(true)
        } else {
            0.0
        };
        (f32_peak, bf16_peak)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        let _ = threads;
        (0.0, 0.0)
    }
}

#[cfg(target_arch = "x86_64")]
mod peak {
    use std::arch::x86_64::*;

    /// FLOPs done by `steps` rounds of 12 independent 16-lane FMAs.
    #[target_feature(enable = "avx512f,fma")]
    pub unsafe fn f32(steps: usize) -> f64 {
        let mut c = [_mm512_setzero_ps(); 12];
        let (a, b) = (_mm512_set1_ps(1.0), _mm512_set1_ps(1e-9));
        for _ in 0..steps {
            for c in c.iter_mut() {
                *c = _mm512_fmadd_ps(a, b, *c);
            }
        }
        std::hint::black_box(c);
        (steps * 12 * 16 * 2) as f64
    }

    /// FLOPs done by `steps` rounds of 12 independent 32-pair bf16 dot products.
    #[target_feature(enable = "avx512f,avx512bf16")]
    pub unsafe fn bf16(steps: usize) -> f64 {
        let mut c = [_mm512_setzero_ps(); 12];
        let a: __m512bh = std::mem::transmute(_mm512_set1_epi32(0x3f80_3f80));
        let b: __m512bh = std::mem::transmute(_mm512_set1_epi32(0x0001_0001));
        for _ in 0..steps {
            for c in c.iter_mut() {
                *c = _mm512_dpbf16_ps(*c, a, b);
            }
        }
        std::hint::black_box(c);
        (steps * 12 * 32 * 2) as f64
    }
}
