//! Training examples: labelled texts cut into encoder windows, and padded batches of them.

use crate::corpus::LabeledText;
use crate::model::Batch;
use crate::tagging::LabelSet;
use crate::text::{CaseShape, EncodeError, SubwordEncoder, WindowPlan};
use candle_core::{Device, Result, Tensor};

/// Marks a position the loss ignores (padding, specials, non-first subwords).
pub const IGNORE: i64 = -1;

/// One encoder input with the gold label of each first subword, for one head.
#[derive(Debug, Clone)]
pub struct Example {
    pub head: usize,
    pub ids: Vec<u32>,
    pub shapes: Vec<u32>,
    pub targets: Vec<i64>,
}

/// Cuts `text` into windows and labels each word's first subword with its tag's id.
pub fn encode_text(
    text: &LabeledText,
    head: usize,
    labels: &LabelSet,
    tokenizer: &SubwordEncoder,
    max_tokens: usize,
    stride: usize,
) -> std::result::Result<Vec<Example>, EncodeError> {
    let words: Vec<&str> = text.words.iter().map(|w| w.text(&text.text)).collect();
    let subwords = tokenizer.encode_words(&words)?;
    let lengths: Vec<usize> = subwords.iter().map(Vec::len).collect();
    let plan = WindowPlan::new(&lengths, max_tokens, stride);
    let other = CaseShape::Other as u32;
    Ok(plan
        .windows
        .iter()
        .map(|window| {
            let mut ex = Example {
                head,
                ids: vec![tokenizer.cls],
                shapes: vec![other],
                targets: vec![IGNORE],
            };
            for w in window.words.clone() {
                let target = labels.id(&text.tags[w]).map_or(IGNORE, |id| id as i64);
                for (k, &id) in subwords[w].iter().enumerate() {
                    ex.ids.push(id);
                    ex.shapes.push(text.words[w].shape as u32);
                    ex.targets.push(if k == 0 { target } else { IGNORE });
                }
            }
            ex.ids.push(tokenizer.sep);
            ex.shapes.push(other);
            ex.targets.push(IGNORE);
            ex
        })
        .collect())
}

/// A padded batch with, per head, the flat positions that carry a label and those labels.
pub struct TrainBatch {
    pub inputs: Batch,
    pub targets: Vec<Option<(Tensor, Tensor)>>,
    pub tokens: usize,
}

pub fn collate(
    examples: &[&Example],
    heads: usize,
    pad: u32,
    device: &Device,
) -> Result<TrainBatch> {
    let seq = examples.iter().map(|e| e.ids.len()).max().unwrap_or(1);
    let n = examples.len();
    let mut ids = vec![pad; n * seq];
    let mut shapes = vec![CaseShape::Other as u32; n * seq];
    let mut mask = vec![0u32; n * seq];
    let mut positions: Vec<Vec<u32>> = vec![Vec::new(); heads];
    let mut labels: Vec<Vec<u32>> = vec![Vec::new(); heads];
    let mut tokens = 0;
    for (row, ex) in examples.iter().enumerate() {
        let base = row * seq;
        ids[base..base + ex.ids.len()].copy_from_slice(&ex.ids);
        shapes[base..base + ex.shapes.len()].copy_from_slice(&ex.shapes);
        mask[base..base + ex.ids.len()].fill(1);
        tokens += ex.ids.len();
        for (k, &t) in ex.targets.iter().enumerate() {
            if t >= 0 {
                positions[ex.head].push((base + k) as u32);
                labels[ex.head].push(t as u32);
            }
        }
    }
    let targets = positions
        .into_iter()
        .zip(labels)
        .map(|(p, l)| {
            if p.is_empty() {
                return Ok(None);
            }
            let len = p.len();
            Ok(Some((
                Tensor::from_vec(p, len, device)?,
                Tensor::from_vec(l, len, device)?,
            )))
        })
        .collect::<Result<Vec<_>>>()?;
    let shape = (n, seq);
    Ok(TrainBatch {
        inputs: Batch {
            ids: Tensor::from_vec(ids, shape, device)?,
            shapes: Tensor::from_vec(shapes, shape, device)?,
            mask: Tensor::from_vec(mask, shape, device)?,
        },
        targets,
        tokens,
    })
}
