//! The dependency head (Dozat & Manning 2017): each word's first-subword vector, and a learned
//! root vector, go through small arc and relation MLPs; a biaffine product scores every
//! (dependent, head) pair of a sentence, and a relation classifier labels the chosen arcs.

use super::encoder::Linear;
use super::packed::{Activation, Kernel};
use super::Windows;
use candle_core::{DType, Device, Result, Tensor, D};
use candle_nn::VarBuilder;

/// Width of the arc MLPs' output.
const ARC: usize = 256;
/// Width of the relation MLPs' output.
const REL: usize = 128;

/// Sentences of a batch laid out for the head: each sentence a row of `width` slots, slot 0
/// its root, then its words, then padding.
pub struct SentenceBatch {
    /// `(sentences * width)` rows of the word matrix (extended by the root and a padding row).
    gather: Tensor,
    /// `(sentences, 1, width)`: 0 on a possible head, a large negative number on padding.
    head_mask: Tensor,
    pub sentences: usize,
    pub width: usize,
}

impl SentenceBatch {
    /// `words[s]` lists the rows of sentence `s`'s words in a word matrix of `rows` rows.
    pub fn new(words: &[Vec<u32>], rows: usize, device: &Device) -> Result<SentenceBatch> {
        let width = words.iter().map(Vec::len).max().unwrap_or(0) + 1;
        let (root, pad) = (rows as u32, rows as u32 + 1);
        let mut gather = vec![pad; words.len() * width];
        let mut mask = vec![-1e9f32; words.len() * width];
        for (s, sentence) in words.iter().enumerate() {
            let row = &mut gather[s * width..(s + 1) * width];
            row[0] = root;
            row[1..=sentence.len()].copy_from_slice(sentence);
            mask[s * width..s * width + sentence.len() + 1].fill(0.0);
        }
        Ok(SentenceBatch {
            gather: Tensor::from_vec(gather, words.len() * width, device)?,
            head_mask: Tensor::from_vec(mask, (words.len(), 1, width), device)?,
            sentences: words.len(),
            width,
        })
    }

    /// The flat slot of word `word` (1-based; 0 = root) of sentence `sentence`.
    pub fn slot(&self, sentence: usize, word: usize) -> u32 {
        (sentence * self.width + word) as u32
    }
}

/// What the head computes for a batch of sentences before any arc is chosen.
pub struct ArcOutput {
    /// `(sentences, width, width)`: score of each (dependent row, head column).
    pub scores: Tensor,
    rel_dep: Tensor,
    rel_head: Tensor,
}

pub struct DependencyHead {
    pub relations: Vec<String>,
    /// The windows it reads (those it was trained on).
    pub windows: Windows,
    root: Tensor,
    arc_dep: Linear,
    arc_head: Linear,
    arc_weight: Tensor,
    arc_prior: Tensor,
    rel_dep: Linear,
    rel_head: Linear,
    rel_out: Linear,
}

impl DependencyHead {
    pub fn load(
        vb: VarBuilder,
        relations: Vec<String>,
        windows: Windows,
        hidden: usize,
    ) -> Result<Self> {
        let normal = candle_nn::Init::Randn {
            mean: 0.0,
            stdev: 0.02,
        };
        Ok(DependencyHead {
            root: vb.get_with_hints(hidden, "root", normal)?,
            arc_dep: Linear::load(vb.pp("arc_dep"), hidden, ARC)?,
            arc_head: Linear::load(vb.pp("arc_head"), hidden, ARC)?,
            arc_weight: vb.get_with_hints((ARC, ARC), "arc_weight", normal)?,
            arc_prior: vb.get_with_hints((ARC, 1), "arc_prior", normal)?,
            rel_dep: Linear::load(vb.pp("rel_dep"), hidden, REL)?,
            rel_head: Linear::load(vb.pp("rel_head"), hidden, REL)?,
            rel_out: Linear::load(vb.pp("rel_out"), 3 * REL, relations.len())?,
            relations,
            windows,
        })
    }

    pub fn linears_mut(&mut self) -> impl Iterator<Item = &mut Linear> {
        [
            &mut self.arc_dep,
            &mut self.arc_head,
            &mut self.rel_dep,
            &mut self.rel_head,
            &mut self.rel_out,
        ]
        .into_iter()
    }

    /// Arc scores of every sentence of `batch`, whose words are rows of `words` `(rows, hidden)`.
    pub fn arcs(&self, words: &Tensor, batch: &SentenceBatch) -> Result<ArcOutput> {
        let hidden = words.dim(1)?;
        let extended = Tensor::cat(
            &[
                words,
                &self.root.reshape((1, hidden))?,
                &Tensor::zeros((1, hidden), DType::F32, words.device())?,
            ],
            0,
        )?;
        // The MLPs run once per word, before the words are laid out in padded sentence rows.
        let mlp = |linear: &Linear| -> Result<Tensor> {
            linear
                .forward_with(&extended, Activation::Gelu)?
                .index_select(&batch.gather, 0)
        };
        let (s, w) = (batch.sentences, batch.width);
        let dep = mlp(&self.arc_dep)?;
        let head = mlp(&self.arc_head)?;
        let left = dep.matmul(&self.arc_weight)?.reshape((s, w, ARC))?;
        let right = head.reshape((s, w, ARC))?.transpose(1, 2)?.contiguous()?;
        let prior = head.matmul(&self.arc_prior)?.reshape((s, 1, w))?;
        let scores = left
            .matmul(&right)?
            .broadcast_add(&(prior + &batch.head_mask)?)?;
        Ok(ArcOutput {
            scores,
            rel_dep: mlp(&self.rel_dep)?,
            rel_head: mlp(&self.rel_head)?,
        })
    }

    /// Relation logits `(arcs, relations)` of the arcs from slot `dependents[k]` to slot `heads[k]`.
    pub fn relation_logits(
        &self,
        arcs: &ArcOutput,
        dependents: &Tensor,
        heads: &Tensor,
    ) -> Result<Tensor> {
        let d = arcs.rel_dep.index_select(dependents, 0)?;
        let h = arcs.rel_head.index_select(heads, 0)?;
        let both = (&d * &h)?;
        self.rel_out.forward(&Tensor::cat(&[&d, &h, &both], 1)?)
    }

    /// Training loss: cross-entropy of each word's gold head among its sentence's words and the
    /// root, plus that of its gold relation.
    pub fn loss(&self, words: &Tensor, batch: &SentenceBatch, gold: &GoldArcs) -> Result<Tensor> {
        let arcs = self.arcs(words, batch)?;
        let flat = arcs.scores.reshape(((), batch.width))?;
        let picked = flat.index_select(&gold.dependents, 0)?;
        let arc_loss = candle_nn::loss::cross_entropy(&picked, &gold.heads)?;
        let rel = self.relation_logits(&arcs, &gold.dependents, &gold.head_slots)?;
        let rel_loss = candle_nn::loss::cross_entropy(&rel, &gold.relations)?;
        arc_loss + rel_loss
    }

    /// The tree of each sentence (Eisner over log-softmax arc scores) and each arc's relation:
    /// per sentence, per word, `(head, relation)` with head 0 the root and words 1-based.
    pub fn parse(&self, words: &Tensor, batch: &SentenceBatch) -> Result<Vec<Vec<(usize, usize)>>> {
        let arcs = self.arcs(words, batch)?;
        let log_probs = candle_nn::ops::log_softmax(&arcs.scores, D::Minus1)?;
        let values = log_probs.flatten_all()?.to_vec1::<f32>()?;
        let w = batch.width;
        let lengths = batch_lengths(batch)?;
        let mut trees = Vec::with_capacity(batch.sentences);
        let (mut dependents, mut heads) = (Vec::new(), Vec::new());
        for (s, &n) in lengths.iter().enumerate() {
            let mut square = vec![0f32; (n + 1) * (n + 1)];
            for dep in 1..=n {
                let row = &values[(s * w + dep) * w..(s * w + dep) * w + n + 1];
                square[dep * (n + 1)..(dep + 1) * (n + 1)].copy_from_slice(row);
            }
            let tree = crate::tagging::best_tree(&crate::tagging::ArcScores {
                values: &square,
                words: n,
            });
            for (i, &h) in tree.iter().enumerate() {
                dependents.push(batch.slot(s, i + 1));
                heads.push(batch.slot(s, h));
            }
            trees.push(tree);
        }
        if dependents.is_empty() {
            return Ok(trees.into_iter().map(|_| Vec::new()).collect());
        }
        let device = words.device();
        let count = dependents.len();
        let logits = self.relation_logits(
            &arcs,
            &Tensor::from_vec(dependents, count, device)?,
            &Tensor::from_vec(heads, count, device)?,
        )?;
        let logits = logits.to_vec2::<f32>()?;
        let root = self.relations.iter().position(|r| r == "root");
        let families: Vec<Option<u8>> = self.relations.iter().map(|r| unique_family(r)).collect();
        let mut k = 0;
        Ok(trees
            .into_iter()
            .map(|tree| {
                let rows = &logits[k..k + tree.len()];
                k += tree.len();
                let mut arcs: Vec<(usize, usize)> = tree
                    .iter()
                    .zip(rows)
                    .map(|(&head, row)| {
                        let relation = match root {
                            Some(r) if head == 0 => r,
                            _ => argmax_except(row, |i| Some(i) == root),
                        };
                        (head, relation)
                    })
                    .collect();
                one_of_each_family(&mut arcs, rows, &families, root);
                arcs
            })
            .collect())
    }
}

/// Relations of which a word may have at most one dependent, as the UD validator checks
/// ("too many subjects", "too many objects"): 0 for subjects (`nsubj`, `csubj` and their
/// subtypes but `:outer`), 1 for `obj`, 2 for `iobj`.
fn unique_family(relation: &str) -> Option<u8> {
    let base = relation.split(':').next().unwrap_or(relation);
    match base {
        _ if relation.ends_with(":outer") => None,
        "nsubj" | "csubj" => Some(0),
        "obj" => Some(1),
        "iobj" => Some(2),
        _ => None,
    }
}

/// Where a head got two dependents of one family ("Qatar praised Israel" read with two
/// subjects), the dependent whose relation scores highest keeps it and the others take their
/// best relation outside the family.
fn one_of_each_family(
    arcs: &mut [(usize, usize)],
    rows: &[Vec<f32>],
    families: &[Option<u8>],
    root: Option<usize>,
) {
    for i in 0..arcs.len() {
        let Some(family) = families[arcs[i].1] else {
            continue;
        };
        for j in i + 1..arcs.len() {
            if arcs[j].0 != arcs[i].0 || families[arcs[j].1] != Some(family) {
                continue;
            }
            let sure = |k: usize| rows[k][arcs[k].1] - log_sum_exp(&rows[k]);
            let loser = if sure(i) >= sure(j) { j } else { i };
            arcs[loser].1 = argmax_except(&rows[loser], |r| {
                Some(r) == root || families[r] == Some(family)
            });
        }
    }
}

/// Gold arcs of a batch, as slots of its `SentenceBatch`.
pub struct GoldArcs {
    /// Slot of each word that has a gold head.
    pub dependents: Tensor,
    /// Its gold head's position in its sentence's row (0 = root).
    pub heads: Tensor,
    /// Its gold head's slot.
    pub head_slots: Tensor,
    pub relations: Tensor,
}

/// Word counts of the sentences of `batch`, read from the head mask.
fn batch_lengths(batch: &SentenceBatch) -> Result<Vec<usize>> {
    let mask = batch.head_mask.flatten_all()?.to_vec1::<f32>()?;
    Ok(mask
        .chunks(batch.width)
        .map(|row| row.iter().filter(|&&v| v == 0.0).count() - 1)
        .collect())
}

fn log_sum_exp(row: &[f32]) -> f32 {
    let max = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    max + row.iter().map(|v| (v - max).exp()).sum::<f32>().ln()
}

fn argmax_except(row: &[f32], except: impl Fn(usize) -> bool) -> usize {
    let mut best = (0, f32::NEG_INFINITY);
    for (i, &v) in row.iter().enumerate() {
        if !except(i) && v > best.1 {
            best = (i, v);
        }
    }
    best.0
}

impl DependencyHead {
    /// Packs the dense layers for `kernel` (inference) or runs their products on it (training).
    pub fn use_kernel(&mut self, kernel: Kernel, training: bool) -> Result<()> {
        for linear in self.linears_mut() {
            if training {
                linear.train_on(kernel);
            } else {
                linear.pack(kernel)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_nn::VarMap;

    #[test]
    fn a_head_keeps_one_subject_and_one_object() {
        let families: Vec<Option<u8>> = ["root", "nsubj", "obj", "nsubj:pass", "punct"]
            .iter()
            .map(|r| unique_family(r))
            .collect();
        // "Qatar praised Israel ." read with two subjects of "praised" (word 2).
        let rows = vec![
            vec![0.0, 5.0, 1.0, 0.0, 0.0],
            vec![9.0, 0.0, 0.0, 0.0, 0.0],
            vec![0.0, 3.0, 2.5, 0.0, 0.0],
            vec![0.0, 0.0, 0.0, 0.0, 6.0],
        ];
        let mut arcs = vec![(2, 1), (0, 0), (2, 1), (2, 4)];
        one_of_each_family(&mut arcs, &rows, &families, Some(0));
        assert_eq!(arcs, vec![(2, 1), (0, 0), (2, 2), (2, 4)]);
        // Subjects of different heads stay.
        let mut arcs = vec![(2, 1), (0, 0), (4, 1), (2, 4)];
        one_of_each_family(&mut arcs, &rows, &families, Some(0));
        assert_eq!(arcs, vec![(2, 1), (0, 0), (4, 1), (2, 4)]);
    }

    #[test]
    fn parses_every_sentence_into_a_tree_with_a_root_relation() -> Result<()> {
        let device = Device::Cpu;
        let varmap = VarMap::new();
        let vb = VarBuilder::from_varmap(&varmap, DType::F32, &device);
        let relations = vec!["nsubj".to_string(), "root".to_string(), "obj".to_string()];
        let head = DependencyHead::load(vb, relations, Windows::Sentences, 8)?;
        let words = Tensor::randn(0f32, 1.0, (7, 8), &device)?;
        let batch = SentenceBatch::new(&[vec![0, 1, 2], vec![3, 4, 5, 6], vec![]], 7, &device)?;
        let trees = head.parse(&words, &batch)?;
        assert_eq!(trees.iter().map(Vec::len).collect::<Vec<_>>(), [3, 4, 0]);
        for tree in &trees[..2] {
            let heads: Vec<usize> = tree.iter().map(|a| a.0).collect();
            assert!(crate::tagging::is_tree(&heads), "{heads:?}");
            for &(h, r) in tree {
                assert_eq!(h == 0, r == 1, "the root arc and only it is labelled root");
            }
        }
        Ok(())
    }

    #[test]
    fn the_loss_falls_as_the_head_learns_a_fixed_tree() -> Result<()> {
        let device = Device::Cpu;
        let varmap = VarMap::new();
        let vb = VarBuilder::from_varmap(&varmap, DType::F32, &device);
        let head =
            DependencyHead::load(vb, vec!["dep".into(), "root".into()], Windows::Sentences, 8)?;
        let words = Tensor::randn(0f32, 1.0, (3, 8), &device)?;
        let batch = SentenceBatch::new(&[vec![0, 1, 2]], 3, &device)?;
        // word 1 <- 2, word 2 root, word 3 <- 2
        let gold = GoldArcs {
            dependents: Tensor::new(&[1u32, 2, 3], &device)?,
            heads: Tensor::new(&[2u32, 0, 2], &device)?,
            head_slots: Tensor::new(&[2u32, 0, 2], &device)?,
            relations: Tensor::new(&[0u32, 1, 0], &device)?,
        };
        use candle_nn::Optimizer;
        let mut sgd = candle_nn::SGD::new(varmap.all_vars(), 0.5)?;
        let first = head.loss(&words, &batch, &gold)?.to_scalar::<f32>()?;
        for _ in 0..30 {
            let loss = head.loss(&words, &batch, &gold)?;
            sgd.backward_step(&loss)?;
        }
        let last = head.loss(&words, &batch, &gold)?.to_scalar::<f32>()?;
        assert!(last < first * 0.5, "loss {first} -> {last}");
        let tree = head.parse(&words, &batch)?;
        assert_eq!(tree[0], [(2, 0), (0, 1), (2, 0)]);
        Ok(())
    }
}
