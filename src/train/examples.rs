//! Training examples: labelled texts and treebank sentences cut into encoder windows, and
//! padded batches of them.

use crate::corpus::{LabeledText, ParsedText};
use crate::model::{Batch, GoldArcs, SentenceBatch};
use crate::tagging::LabelSet;
use crate::text::{CaseShape, EncodeError, SubwordEncoder, WindowPlan};
use candle_core::{Device, Result, Tensor};

/// Marks a position the loss ignores (padding, specials, non-first subwords).
pub const IGNORE: i64 = -1;

/// One encoder input with the gold label of each first subword for the heads it trains, and
/// the gold arcs of the sentences it holds.
#[derive(Debug, Clone)]
pub struct Example {
    pub ids: Vec<u32>,
    pub shapes: Vec<u32>,
    /// Per head it trains: the head's index and a label per position (`IGNORE` where none).
    pub targets: Vec<(usize, Vec<i64>)>,
    pub arcs: Vec<SentenceArcs>,
}

/// The gold tree of one sentence inside an example.
#[derive(Debug, Clone)]
pub struct SentenceArcs {
    /// Each word's first-subword position in the example.
    pub positions: Vec<usize>,
    /// Each word's head: 0 for the root, else the 1-based index of the head word.
    pub heads: Vec<usize>,
    /// Each word's relation id.
    pub relations: Vec<u32>,
}

/// The heads a treebank trains and their label sets.
pub struct SyntaxLabels<'a> {
    pub upos: (usize, &'a LabelSet),
    pub lemma: (usize, &'a LabelSet),
    pub relations: &'a LabelSet,
}

/// Treebank sentences as examples: one per sentence (syntax heads that read sentence windows),
/// or with `pack` consecutive whole sentences of the text in one example up to `max_tokens`
/// subwords (heads that read document windows, as articles are read). A sentence over
/// `max_tokens` subwords is left out, and so are labels missing from the label sets.
pub fn encode_sentences(
    text: &ParsedText,
    labels: &SyntaxLabels,
    tokenizer: &SubwordEncoder,
    max_tokens: usize,
    pack: bool,
) -> std::result::Result<Vec<Example>, EncodeError> {
    let words: Vec<&str> = text.words.iter().map(|w| w.text(&text.text)).collect();
    let subwords = tokenizer.encode_words(&words)?;
    let length =
        |s: &std::ops::Range<usize>| -> usize { subwords[s.clone()].iter().map(Vec::len).sum() };
    // [CLS] and [SEP] take two of the window's positions.
    let room = max_tokens.saturating_sub(2);
    let mut groups: Vec<Vec<std::ops::Range<usize>>> = Vec::new();
    let mut used = 0;
    for sentence in &text.sentences {
        let n = length(sentence);
        if n > room || sentence.is_empty() {
            continue;
        }
        match groups.last_mut() {
            Some(group) if pack && used + n <= room => {
                group.push(sentence.clone());
                used += n;
            }
            _ => {
                groups.push(vec![sentence.clone()]);
                used = n;
            }
        }
    }
    let other = CaseShape::Other as u32;
    let mut out = Vec::with_capacity(groups.len());
    for group in groups {
        let mut ids = vec![tokenizer.cls];
        let mut shapes = vec![other];
        // Each word's first-subword position, per sentence.
        let mut positions: Vec<Vec<usize>> = Vec::with_capacity(group.len());
        for sentence in &group {
            let mut first = Vec::with_capacity(sentence.len());
            for w in sentence.clone() {
                first.push(ids.len());
                for &id in &subwords[w] {
                    ids.push(id);
                    shapes.push(text.words[w].shape as u32);
                }
            }
            positions.push(first);
        }
        ids.push(tokenizer.sep);
        shapes.push(other);
        let per_position = |set: &LabelSet, gold: &[String]| {
            let mut t = vec![IGNORE; ids.len()];
            for (sentence, first) in group.iter().zip(&positions) {
                for (w, &p) in sentence.clone().zip(first) {
                    t[p] = set.id(&gold[w]).map_or(IGNORE, |id| id as i64);
                }
            }
            t
        };
        let targets = vec![
            (labels.upos.0, per_position(labels.upos.1, &text.upos)),
            (
                labels.lemma.0,
                per_position(labels.lemma.1, &text.lemma_scripts),
            ),
        ];
        let arcs = group
            .iter()
            .zip(positions)
            .filter_map(|(sentence, positions)| {
                let relations: Option<Vec<u32>> = sentence
                    .clone()
                    .map(|w| labels.relations.id(&text.relations[w]).map(|id| id as u32))
                    .collect();
                relations.map(|relations| SentenceArcs {
                    positions,
                    heads: text.heads[sentence.clone()].to_vec(),
                    relations,
                })
            })
            .collect();
        out.push(Example {
            ids,
            shapes,
            targets,
            arcs,
        });
    }
    Ok(out)
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
            let mut ids = vec![tokenizer.cls];
            let mut shapes = vec![other];
            let mut targets = vec![IGNORE];
            for w in window.words.clone() {
                let target = labels.id(&text.tags[w]).map_or(IGNORE, |id| id as i64);
                for (k, &id) in subwords[w].iter().enumerate() {
                    ids.push(id);
                    shapes.push(text.words[w].shape as u32);
                    targets.push(if k == 0 { target } else { IGNORE });
                }
            }
            ids.push(tokenizer.sep);
            shapes.push(other);
            targets.push(IGNORE);
            Example {
                ids,
                shapes,
                targets: vec![(head, targets)],
                arcs: Vec::new(),
            }
        })
        .collect())
}

/// A padded batch with, per head, the flat positions that carry a label and those labels, and
/// the gold trees of its sentences over the flat positions.
pub struct TrainBatch {
    pub inputs: Batch,
    pub targets: Vec<Option<(Tensor, Tensor)>>,
    pub arcs: Option<(SentenceBatch, GoldArcs)>,
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
    let mut sentence_rows: Vec<Vec<u32>> = Vec::new();
    let mut gold: Vec<&SentenceArcs> = Vec::new();
    for (row, ex) in examples.iter().enumerate() {
        let base = row * seq;
        ids[base..base + ex.ids.len()].copy_from_slice(&ex.ids);
        shapes[base..base + ex.shapes.len()].copy_from_slice(&ex.shapes);
        mask[base..base + ex.ids.len()].fill(1);
        tokens += ex.ids.len();
        for (head, targets) in &ex.targets {
            for (k, &t) in targets.iter().enumerate() {
                if t >= 0 {
                    positions[*head].push((base + k) as u32);
                    labels[*head].push(t as u32);
                }
            }
        }
        for sentence in &ex.arcs {
            sentence_rows.push(
                sentence
                    .positions
                    .iter()
                    .map(|&p| (base + p) as u32)
                    .collect(),
            );
            gold.push(sentence);
        }
    }
    let arcs = if gold.is_empty() {
        None
    } else {
        let sentences = SentenceBatch::new(&sentence_rows, n * seq, device)?;
        let (mut dependents, mut heads, mut head_slots, mut relations) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (s, sentence) in gold.iter().enumerate() {
            for (i, (&h, &r)) in sentence.heads.iter().zip(&sentence.relations).enumerate() {
                dependents.push(sentences.slot(s, i + 1));
                heads.push(h as u32);
                head_slots.push(sentences.slot(s, h));
                relations.push(r);
            }
        }
        let count = dependents.len();
        let gold = GoldArcs {
            dependents: Tensor::from_vec(dependents, count, device)?,
            heads: Tensor::from_vec(heads, count, device)?,
            head_slots: Tensor::from_vec(head_slots, count, device)?,
            relations: Tensor::from_vec(relations, count, device)?,
        };
        Some((sentences, gold))
    };
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
        arcs,
        tokens,
    })
}
