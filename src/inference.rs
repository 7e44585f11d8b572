//! Runs the model over the windows of many documents at once: windows sorted by length,
//! padded per batch, each word's label probabilities taken from the window that owns it.

use crate::document::Document;
pub use crate::model::Windows;
use crate::model::{Batch, TokenClassifier};
use crate::text::CaseShape;
use candle_core::Tensor;
use rayon::prelude::*;

/// Label probabilities of every word of one document, for each head: `probs[head]` holds
/// `labels` values per word, word after word, for the heads that read this pass (empty for
/// the others); and, when the dependency head reads this pass,
/// each word's first-subword vector (`hidden` values per word), which it reads.
pub struct WordProbs {
    pub probs: Vec<Vec<f32>>,
    pub vectors: Vec<f32>,
}

struct Item {
    doc: usize,
    window: usize,
    len: usize,
}

/// The plan of `windows` in `doc`.
fn plan_of(windows: Windows, doc: &Document) -> &crate::text::WindowPlan {
    match windows {
        Windows::Document => &doc.plan,
        Windows::Sentences => &doc.sentence_plan,
    }
}

/// Label probabilities for every word of every document, read through `windows`.
pub fn predict(
    model: &TokenClassifier,
    docs: &[Document],
    batch_size: usize,
    windows: Windows,
) -> candle_core::Result<Vec<WordProbs>> {
    // Only the heads that read these windows run on them.
    let label_counts: Vec<usize> = model
        .heads
        .iter()
        .map(|h| {
            if h.windows == windows {
                h.labels.len()
            } else {
                0
            }
        })
        .collect();
    let hidden = match &model.parser {
        Some(p) if p.windows == windows => model.config.hidden_size,
        _ => 0,
    };
    let mut out: Vec<WordProbs> = docs
        .iter()
        .map(|d| WordProbs {
            probs: label_counts
                .iter()
                .map(|&n| vec![0.0; n * d.words.len()])
                .collect(),
            vectors: vec![0.0; hidden * d.words.len()],
        })
        .collect();
    let mut items: Vec<Item> = docs
        .iter()
        .enumerate()
        .flat_map(|(di, d)| {
            plan_of(windows, d)
                .windows
                .iter()
                .enumerate()
                .map(move |(wi, w)| Item {
                    doc: di,
                    window: wi,
                    len: d.subwords[w.words.clone()]
                        .iter()
                        .map(Vec::len)
                        .sum::<usize>()
                        + 2,
                })
        })
        .collect();
    items.sort_by_key(|i| std::cmp::Reverse(i.len));
    // Whole batches in parallel, one per thread. The ops inside a batch split their work over
    // the pool as well, but with every thread busy on a batch of its own those splits mostly run
    // where they were made, so threads no longer wait for each other at the end of every op.
    // Neighbouring batches (of similar lengths, as sorted) form a group.
    let batches: Vec<&[Item]> = items.chunks(batch_size.max(1)).collect();
    for group in batches.chunks(rayon::current_num_threads().max(1)) {
        let group_probs = group
            .par_iter()
            .map(|chunk| batch_probs(model, docs, chunk, windows, hidden > 0))
            .collect::<candle_core::Result<Vec<_>>>()?;
        for (chunk, (heads, vectors, first_subword)) in group.iter().zip(group_probs) {
            for (row, item) in chunk.iter().enumerate() {
                let Some(vectors) = &vectors else { break };
                let plan = plan_of(windows, &docs[item.doc]);
                let window = &plan.windows[item.window];
                for (k, word) in window.words.clone().enumerate() {
                    if plan.owner[word] == item.window {
                        let v = &vectors[row][first_subword[row][k]];
                        out[item.doc].vectors[word * hidden..(word + 1) * hidden]
                            .copy_from_slice(v);
                    }
                }
            }
            for (head, probs) in heads.iter().enumerate() {
                let n = label_counts[head];
                if n == 0 {
                    continue;
                }
                for (row, item) in chunk.iter().enumerate() {
                    let plan = plan_of(windows, &docs[item.doc]);
                    let window = &plan.windows[item.window];
                    for (k, word) in window.words.clone().enumerate() {
                        if plan.owner[word] == item.window {
                            let p = &probs[row][first_subword[row][k]];
                            out[item.doc].probs[head][word * n..(word + 1) * n].copy_from_slice(p);
                        }
                    }
                }
            }
        }
    }
    Ok(out)
}

/// Per head, the label probabilities of every position of every window of a batch
/// (`[head][row][position]`), the hidden vectors if asked (`[row][position]`), and each
/// window's first-subword positions.
type BatchProbs = (
    Vec<Vec<Vec<Vec<f32>>>>,
    Option<Vec<Vec<Vec<f32>>>>,
    Vec<Vec<usize>>,
);

fn batch_probs(
    model: &TokenClassifier,
    docs: &[Document],
    chunk: &[Item],
    windows: Windows,
    with_vectors: bool,
) -> candle_core::Result<BatchProbs> {
    let (batch, first_subword) = build_batch(model, docs, chunk, windows)?;
    let hidden = model.encode(&batch, None)?;
    let heads = model
        .heads
        .iter()
        .map(|head| {
            if head.windows != windows {
                return Ok(Vec::new());
            }
            candle_nn::ops::softmax_last_dim(&head.forward(&hidden)?)?.to_vec3()
        })
        .collect::<candle_core::Result<Vec<_>>>()?;
    let vectors = with_vectors.then(|| hidden.to_vec3()).transpose()?;
    Ok((heads, vectors, first_subword))
}

/// Pads a batch of windows; returns the inputs and, per window, each word's first subword position.
fn build_batch(
    model: &TokenClassifier,
    docs: &[Document],
    items: &[Item],
    windows: Windows,
) -> candle_core::Result<(Batch, Vec<Vec<usize>>)> {
    let tok = &model.tokenizer;
    let seq = items.iter().map(|i| i.len).max().unwrap_or(2);
    let mut ids = vec![tok.pad; items.len() * seq];
    let mut shapes = vec![CaseShape::Other as u32; items.len() * seq];
    let mut mask = vec![0u32; items.len() * seq];
    let mut firsts = Vec::with_capacity(items.len());
    for (row, item) in items.iter().enumerate() {
        let doc = &docs[item.doc];
        let base = row * seq;
        let mut pos = 0;
        let mut push = |id: u32, shape: u32, pos: &mut usize| {
            ids[base + *pos] = id;
            shapes[base + *pos] = shape;
            mask[base + *pos] = 1;
            *pos += 1;
        };
        push(tok.cls, CaseShape::Other as u32, &mut pos);
        let mut first = Vec::new();
        for word in plan_of(windows, doc).windows[item.window].words.clone() {
            first.push(pos);
            for &id in &doc.subwords[word] {
                push(id, doc.words[word].shape as u32, &mut pos);
            }
        }
        push(tok.sep, CaseShape::Other as u32, &mut pos);
        firsts.push(first);
    }
    let device = model.device();
    let shape = (items.len(), seq);
    Ok((
        Batch {
            ids: Tensor::from_vec(ids, shape, device)?,
            shapes: Tensor::from_vec(shapes, shape, device)?,
            mask: Tensor::from_vec(mask, shape, device)?,
        },
        firsts,
    ))
}
