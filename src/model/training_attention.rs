//! Differentiable self-attention from the fused query-key-value product, for training on the
//! CPU: one node in candle's graph instead of the dozen of the plain-op path (head splits,
//! transposes, scores, scaling, softmax, dropout, context, merge), none of their copies or
//! gradient buffers, and no `(batch, heads, seq, seq)` tensor kept for the backward pass.
//!
//! Per (window, head) it runs on the window's real tokens only: padding comes after them (as
//! batches are built), padded keys get no weight, and padded rows get zeros, which nothing
//! past the attention reads into the loss. The backward pass recomputes the probabilities from
//! the queries and keys (as flash attention does) and the dropout mask from its seed.

use super::dropout::Mask;
use super::kernels::contiguous;
use super::matmul::{product, Shared, Threads, View};
use candle_core::{CpuStorage, CustomOp1, CustomOp2, Layout, Result, Shape, Tensor};
use rayon::prelude::*;
use std::cell::RefCell;

/// `dropout(softmax(q kᵀ / sqrt(d))) v` per head, from `qkv` `(batch, seq, 3 * hidden)` into
/// `(batch, seq, hidden)`, differentiable in `qkv`. `lengths` holds each window's real tokens,
/// which come first.
pub fn attention(
    qkv: &Tensor,
    heads: usize,
    lengths: &[usize],
    dropout: Option<Mask>,
) -> Result<Tensor> {
    qkv.contiguous()?.apply_op1(Attention {
        heads,
        lengths: lengths.to_vec(),
        dropout,
    })
}

struct Attention {
    heads: usize,
    lengths: Vec<usize>,
    dropout: Option<Mask>,
}

/// Where one (window, head) task reads and writes.
struct Task {
    window: usize,
    head: usize,
    len: usize,
}

/// The sizes of one call.
#[derive(Clone, Copy)]
struct Sizes {
    batch: usize,
    seq: usize,
    hidden: usize,
    d: usize,
}

impl Sizes {
    fn width(&self) -> usize {
        3 * self.hidden
    }
}

thread_local! {
    /// Probabilities, dropped probabilities, and their gradient: `len x len` each.
    static SCRATCH: RefCell<[Vec<f32>; 3]> = RefCell::new(Default::default());
}

impl Attention {
    fn sizes(&self, l: &Layout) -> Result<Sizes> {
        let (batch, seq, width) = l.shape().dims3()?;
        let hidden = width / 3;
        if width % 3 != 0
            || self.heads == 0
            || hidden % self.heads != 0
            || self.lengths.len() != batch
        {
            candle_core::bail!(
                "attention: width {width}, {} heads, {} lengths for batch {batch}",
                self.heads,
                self.lengths.len()
            );
        }
        Ok(Sizes {
            batch,
            seq,
            hidden,
            d: hidden / self.heads,
        })
    }

    fn tasks(&self, sizes: Sizes) -> Vec<Task> {
        (0..sizes.batch)
            .flat_map(|window| {
                let len = self.lengths[window].min(sizes.seq);
                (0..self.heads).map(move |head| Task { window, head, len })
            })
            .collect()
    }

    /// Fills `probs` with the task's `len x len` attention probabilities and, under dropout,
    /// `dropped` with them masked; returns whether the context is made from `dropped`.
    fn probabilities(
        &self,
        qkv: &[f32],
        sizes: Sizes,
        task: &Task,
        probs: &mut Vec<f32>,
        dropped: &mut Vec<f32>,
    ) -> bool {
        let (len, width, d) = (task.len, sizes.width(), sizes.d);
        let rows = &qkv[task.window * sizes.seq * width..];
        let q = &rows[task.head * d..];
        let k = &rows[sizes.hidden + task.head * d..];
        probs.resize(len * len, 0.0);
        // SAFETY: `q` and `k` hold `len` rows of `d` values, `width` apart; `probs` is
        // `len x len`.
        unsafe {
            product(
                (len, len, d),
                probs.as_mut_ptr(),
                len,
                View::rows(q, width),
                View::transposed(k, width),
                1.0 / (d as f32).sqrt(),
                false,
                Threads::One,
            )
        };
        for row in probs.chunks_exact_mut(len) {
            let max = super::fastmath::fold_lanes(row, f32::NEG_INFINITY, f32::max, f32::max);
            row.iter_mut().for_each(|v| *v -= max);
            super::fastmath::exp_in_place(row);
            let inv = 1.0 / super::fastmath::sum(row);
            row.iter_mut().for_each(|v| *v *= inv);
        }
        let Some(mask) = self.dropout else {
            return false;
        };
        dropped.clear();
        dropped.extend_from_slice(probs);
        for (i, row) in dropped.chunks_exact_mut(len).enumerate() {
            mask.apply_at(row, self.mask_offset(sizes, task, i));
        }
        true
    }

    /// Where row `i` of a task's probabilities starts in the mask's index space, which spans
    /// the full `(batch, heads, seq, seq)` shape so that it does not depend on the lengths.
    fn mask_offset(&self, sizes: Sizes, task: &Task, i: usize) -> usize {
        ((task.window * self.heads + task.head) * sizes.seq + i) * sizes.seq
    }
}

impl CustomOp1 for Attention {
    fn name(&self) -> &'static str {
        "attention"
    }

    fn cpu_fwd(&self, s: &CpuStorage, l: &Layout) -> Result<(CpuStorage, Shape)> {
        let qkv = contiguous(s, l, "attention input")?;
        let sizes = self.sizes(l)?;
        let (seq, hidden, d) = (sizes.seq, sizes.hidden, sizes.d);
        let mut out = vec![0f32; sizes.batch * seq * hidden];
        let shared = Shared(out.as_mut_ptr());
        self.tasks(sizes).par_iter().for_each(|task| {
            SCRATCH.with(|scratch| {
                let [probs, dropped, _] = &mut *scratch.borrow_mut();
                let p: &[f32] = match self.probabilities(qkv, sizes, task, probs, dropped) {
                    true => &dropped[..],
                    false => &probs[..],
                };
                let v = &qkv[task.window * seq * sizes.width() + 2 * hidden + task.head * d..];
                // SAFETY: this task alone writes its head's `d` columns of its window's first
                // `len` rows of `out`; `p` is `len x len` and `v` holds `len` rows of `d`.
                unsafe {
                    product(
                        (task.len, d, task.len),
                        shared.add(task.window * seq * hidden + task.head * d),
                        hidden,
                        View::rows(p, task.len),
                        View::rows(v, sizes.width()),
                        1.0,
                        false,
                        Threads::One,
                    )
                };
            })
        });
        Ok((
            CpuStorage::F32(out),
            Shape::from((sizes.batch, seq, hidden)),
        ))
    }

    fn bwd(&self, qkv: &Tensor, _: &Tensor, grad: &Tensor) -> Result<Option<Tensor>> {
        let grad = grad.contiguous()?;
        Ok(Some(qkv.apply_op2_no_bwd(&grad, &AttentionGrad(self))?))
    }
}

/// The gradient of `Attention` with respect to `qkv`, given the output's gradient.
struct AttentionGrad<'a>(&'a Attention);

impl CustomOp2 for AttentionGrad<'_> {
    fn name(&self) -> &'static str {
        "attention-grad"
    }

    fn cpu_fwd(
        &self,
        s1: &CpuStorage,
        l1: &Layout,
        s2: &CpuStorage,
        l2: &Layout,
    ) -> Result<(CpuStorage, Shape)> {
        let op = self.0;
        let qkv = contiguous(s1, l1, "attention input")?;
        let grad = contiguous(s2, l2, "attention grad")?;
        let sizes = op.sizes(l1)?;
        let (seq, hidden, d, width) = (sizes.seq, sizes.hidden, sizes.d, sizes.width());
        let scale = 1.0 / (d as f32).sqrt();
        let mut out = vec![0f32; qkv.len()];
        let shared = Shared(out.as_mut_ptr());
        op.tasks(sizes).par_iter().for_each(|task| {
            SCRATCH.with(|scratch| {
                let [probs, dropped, dprobs] = &mut *scratch.borrow_mut();
                let len = task.len;
                let p: &[f32] = match op.probabilities(qkv, sizes, task, probs, dropped) {
                    true => &dropped[..],
                    false => &probs[..],
                };
                let rows = &qkv[task.window * seq * width..];
                let (q, k, v) = (
                    &rows[task.head * d..],
                    &rows[hidden + task.head * d..],
                    &rows[2 * hidden + task.head * d..],
                );
                let dc = &grad[task.window * seq * hidden + task.head * d..];
                let dst = |part: usize| {
                    // SAFETY: inside `out`, which has the shape of `qkv`.
                    unsafe { shared.add(task.window * seq * width + part * hidden + task.head * d) }
                };
                dprobs.resize(len * len, 0.0);
                // SAFETY (all four products): the operands address `len` rows of `d` values
                // `width` (or `hidden`) apart, or `len x len` scratch; this task alone writes
                // its head's columns of its window's first `len` rows of each third of `out`.
                unsafe {
                    // d(dropped probs) = dC · Vᵀ; dV = (dropped probs)ᵀ · dC.
                    product(
                        (len, len, d),
                        dprobs.as_mut_ptr(),
                        len,
                        View::rows(dc, hidden),
                        View::transposed(v, width),
                        1.0,
                        false,
                        Threads::One,
                    );
                    product(
                        (len, d, len),
                        dst(2),
                        width,
                        View::transposed(p, len),
                        View::rows(dc, hidden),
                        1.0,
                        false,
                        Threads::One,
                    );
                }
                // Through the dropout, then the softmax: dS = P ⊙ (dP − rowsum(P ⊙ dP)).
                for (i, (ds, p)) in dprobs
                    .chunks_exact_mut(len)
                    .zip(probs.chunks_exact(len))
                    .enumerate()
                {
                    if let Some(mask) = op.dropout {
                        mask.apply_at(ds, op.mask_offset(sizes, task, i));
                    }
                    let dot = dot_product(p, ds);
                    ds.iter_mut().zip(p).for_each(|(g, p)| *g = p * (*g - dot));
                }
                unsafe {
                    // dQ = scale · dS · K; dK = scale · dSᵀ · Q.
                    product(
                        (len, d, len),
                        dst(0),
                        width,
                        View::rows(dprobs, len),
                        View::rows(k, width),
                        scale,
                        false,
                        Threads::One,
                    );
                    product(
                        (len, d, len),
                        dst(1),
                        width,
                        View::transposed(dprobs, len),
                        View::rows(q, width),
                        scale,
                        false,
                        Threads::One,
                    );
                }
            })
        });
        Ok((CpuStorage::F32(out), l1.shape().clone()))
    }
}

fn dot_product(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0f32; 16];
    let mut ca = a.chunks_exact(16);
    let mut cb = b.chunks_exact(16);
    for (x, y) in (&mut ca).zip(&mut cb) {
        for l in 0..16 {
            acc[l] += x[l] * y[l];
        }
    }
    let tail: f32 = ca
        .remainder()
        .iter()
        .zip(cb.remainder())
        .map(|(x, y)| x * y)
        .sum();
    acc.iter().sum::<f32>() + tail
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::dropout::{Dropout, DropoutRng};
    use crate::model::kernels::tests::{grads_of, max_diff, rand};
    use candle_core::{DType, Device, Var, D};

    /// The same attention as plain differentiable ops, the dropout mask as a tensor.
    fn plain(qkv: &Tensor, heads: usize, lengths: &[usize], mask: Option<Mask>) -> Tensor {
        let (b, s, w) = qkv.dims3().unwrap();
        let h = w / 3;
        let d = h / heads;
        let split = |part: usize| {
            qkv.narrow(2, part * h, h)
                .unwrap()
                .reshape((b, s, heads, d))
                .unwrap()
                .transpose(1, 2)
                .unwrap()
                .contiguous()
                .unwrap()
        };
        let (q, k, v) = (split(0), split(1), split(2));
        let additive: Vec<f32> = lengths
            .iter()
            .flat_map(|&len| (0..s).map(move |j| if j < len { 0.0 } else { -1e9 }))
            .collect();
        let additive = Tensor::from_vec(additive, (b, 1, 1, s), &Device::Cpu).unwrap();
        let scores = (q.matmul(&k.t().unwrap()).unwrap() / (d as f64).sqrt()).unwrap();
        let mut probs =
            candle_nn::ops::softmax(&scores.broadcast_add(&additive).unwrap(), D::Minus1).unwrap();
        if let Some(mask) = mask {
            let factors: Vec<f32> = (0..b * heads * s * s).map(|i| mask.factor(i)).collect();
            let factors = Tensor::from_vec(factors, (b, heads, s, s), &Device::Cpu).unwrap();
            probs = (probs * factors).unwrap();
        }
        probs
            .matmul(&v)
            .unwrap()
            .transpose(1, 2)
            .unwrap()
            .reshape((b, s, h))
            .unwrap()
    }

    #[test]
    fn matches_plain_ops_forward_and_backward_with_and_without_dropout() {
        let (b, s, heads, d) = (3, 9, 2, 4);
        let lengths = [9, 5, 1];
        // The upstream gradient is zero on padded rows, which the fused op leaves as zeros.
        let real: Vec<f32> = lengths
            .iter()
            .flat_map(|&len| (0..s).flat_map(move |i| [(i < len) as u8 as f32; 8]))
            .collect();
        let real = Tensor::from_vec(real, (b, s, heads * d), &Device::Cpu).unwrap();
        let up = (rand(&[b, s, heads * d], 2) * &real).unwrap();
        let rng = DropoutRng::seeded(9);
        for mask in [None, Dropout::new(Some(&rng), 0.3).mask()] {
            let qkv = Var::from_tensor(&(rand(&[b, s, 3 * heads * d], 1) * 2.0).unwrap()).unwrap();
            let fused = attention(qkv.as_tensor(), heads, &lengths, mask).unwrap();
            let reference = plain(qkv.as_tensor(), heads, &lengths, mask);
            let diff = max_diff(&(&fused * &real).unwrap(), &(&reference * &real).unwrap());
            assert!(diff < 1e-5, "forward differs by {diff}");
            let g1 = grads_of(fused, &up);
            let g2 = grads_of(reference, &up);
            let diff = max_diff(g1.get(&qkv).unwrap(), g2.get(&qkv).unwrap());
            assert!(diff < 1e-5, "gradient differs by {diff}");
            let total = g1.get(&qkv).unwrap().abs().unwrap().sum_all().unwrap();
            assert!(
                total
                    .to_dtype(DType::F32)
                    .unwrap()
                    .to_scalar::<f32>()
                    .unwrap()
                    > 0.0
            );
        }
    }
}
