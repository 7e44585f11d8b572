//! Self-attention for inference in one pass per (window, head), straight from the fused
//! query-key-value product: no head-split copies, no score tensor, and padded keys and
//! queries skipped instead of masked. Training keeps the differentiable ops in `encoder.rs`.

use super::fastmath;
use candle_core::{CpuStorage, CustomOp1, Layout, Result, Shape, Tensor};
use rayon::prelude::*;

/// The attention op over a `(batch, seq, 3 * hidden)` tensor of queries, keys and values.
struct FusedAttention<'a> {
    heads: usize,
    /// Real tokens per window; the rest of each window is padding.
    lengths: &'a [usize],
}

/// `softmax(q kᵀ / sqrt(d)) v` per head, from `qkv` `(batch, seq, 3 * hidden)` (queries, keys,
/// values side by side, heads in order within each) into `(batch, seq, hidden)`. Rows of
/// padding come out as zeros.
pub fn fused_attention(qkv: &Tensor, heads: usize, lengths: &[usize]) -> Result<Tensor> {
    qkv.contiguous()?
        .apply_op1_no_bwd(&FusedAttention { heads, lengths })
}

impl CustomOp1 for FusedAttention<'_> {
    fn name(&self) -> &'static str {
        "fused-attention"
    }

    fn cpu_fwd(&self, s: &CpuStorage, l: &Layout) -> Result<(CpuStorage, Shape)> {
        let qkv = match l.contiguous_offsets() {
            Some((a, b)) => &s.as_slice::<f32>()?[a..b],
            None => candle_core::bail!("fused-attention: input must be contiguous"),
        };
        let (batch, seq, width) = l.shape().dims3()?;
        let hidden = width / 3;
        if width % 3 != 0 || hidden % self.heads != 0 || self.lengths.len() != batch {
            candle_core::bail!(
                "fused-attention: width {width}, {} heads, {} lengths for batch {batch}",
                self.heads,
                self.lengths.len()
            );
        }
        let d = hidden / self.heads;
        let mut out = vec![0f32; batch * seq * hidden];
        // One task per window and head; each writes its head's columns of its window's rows.
        let mut tasks: Vec<(usize, usize, Vec<f32>)> = (0..batch)
            .flat_map(|b| (0..self.heads).map(move |h| (b, h, Vec::new())))
            .collect();
        tasks.par_iter_mut().for_each(|(b, h, context)| {
            let len = self.lengths[*b].min(seq);
            let rows = &qkv[*b * seq * width..][..seq * width];
            *context = head_attention(rows, width, hidden, *h * d, d, len);
        });
        for (b, h, context) in tasks {
            let len = self.lengths[b].min(seq);
            for i in 0..len {
                out[(b * seq + i) * hidden + h * d..][..d].copy_from_slice(&context[i * d..][..d]);
            }
        }
        Ok((CpuStorage::F32(out), Shape::from((batch, seq, hidden))))
    }
}

/// The `len x d` context of one head over the first `len` rows of a window.
fn head_attention(
    rows: &[f32],
    width: usize,
    hidden: usize,
    col: usize,
    d: usize,
    len: usize,
) -> Vec<f32> {
    let head = Head {
        rows,
        width,
        hidden,
        col,
        len,
    };
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx512f") && std::is_x86_feature_detected!("fma") {
        // SAFETY: the CPU has AVX-512F and FMA, checked just above.
        match d {
            32 => return unsafe { attend_avx512::<2>(&head) },
            64 => return unsafe { attend_avx512::<4>(&head) },
            _ => {}
        }
    }
    attend_any(&head, d)
}

/// One head of one window: where its queries, keys and values sit in the fused rows.
struct Head<'a> {
    rows: &'a [f32],
    width: usize,
    hidden: usize,
    col: usize,
    len: usize,
}

impl Head<'_> {
    fn query(&self, i: usize, d: usize) -> &[f32] {
        &self.rows[i * self.width + self.col..][..d]
    }
    fn key(&self, j: usize, d: usize) -> &[f32] {
        &self.rows[j * self.width + self.hidden + self.col..][..d]
    }
    fn value(&self, j: usize, d: usize) -> &[f32] {
        &self.rows[j * self.width + 2 * self.hidden + self.col..][..d]
    }
}

/// Keys per block of scores: four 16-lane registers, summed over the head dimension.
const KEYS: usize = 64;

/// A head dimension of `16 * NV`, in registers: a query's scores over blocks of `KEYS` keys,
/// then its context as two interleaved partial sums over the values.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,fma")]
unsafe fn attend_avx512<const NV: usize>(head: &Head) -> Vec<f32> {
    use std::arch::x86_64::*;
    let d = 16 * NV;
    let len = head.len;
    let padded = len.div_ceil(KEYS) * KEYS;
    let scale = 1.0 / (d as f32).sqrt();
    // Keys transposed, `d x padded`, zeros past `len`.
    let mut keys_t = vec![0f32; d * padded];
    for j in 0..len {
        for (t, v) in head.key(j, d).iter().enumerate() {
            keys_t[t * padded + j] = *v;
        }
    }
    let mut context = vec![0f32; len * d];
    let mut scores = vec![0f32; padded];
    for i in 0..len {
        let q = head.query(i, d);
        for block in 0..padded / KEYS {
            let mut acc = [_mm512_setzero_ps(); KEYS / 16];
            for (t, qv) in q.iter().enumerate() {
                let qv = _mm512_set1_ps(qv * scale);
                let k = keys_t.as_ptr().add(t * padded + block * KEYS);
                for (r, acc) in acc.iter_mut().enumerate() {
                    *acc = _mm512_fmadd_ps(qv, _mm512_loadu_ps(k.add(16 * r)), *acc);
                }
            }
            for (r, acc) in acc.iter().enumerate() {
                _mm512_storeu_ps(scores.as_mut_ptr().add(block * KEYS + 16 * r), *acc);
            }
        }
        let scores = &mut scores[..len];
        softmax_in_place(scores);
        // Two chains of sums, so that each add waits on the one before last, not the last.
        let (mut even, mut odd) = ([_mm512_setzero_ps(); NV], [_mm512_setzero_ps(); NV]);
        let step = |acc: &mut [__m512; NV], j: usize| {
            let p = _mm512_set1_ps(scores[j]);
            let v = head.value(j, d).as_ptr();
            for (r, acc) in acc.iter_mut().enumerate() {
                *acc = _mm512_fmadd_ps(p, _mm512_loadu_ps(v.add(16 * r)), *acc);
            }
        };
        for j in (0..len - len % 2).step_by(2) {
            step(&mut even, j);
            step(&mut odd, j + 1);
        }
        if len % 2 == 1 {
            step(&mut even, len - 1);
        }
        for r in 0..NV {
            let sum = _mm512_add_ps(even[r], odd[r]);
            _mm512_storeu_ps(context.as_mut_ptr().add(i * d + 16 * r), sum);
        }
    }
    context
}

/// Any head dimension, for models other than the shipped one.
fn attend_any(head: &Head, d: usize) -> Vec<f32> {
    let scale = 1.0 / (d as f32).sqrt();
    let mut context = vec![0f32; head.len * d];
    let mut scores = vec![0f32; head.len];
    for i in 0..head.len {
        let q = head.query(i, d);
        for (j, s) in scores.iter_mut().enumerate() {
            *s = q
                .iter()
                .zip(head.key(j, d))
                .map(|(a, b)| a * b)
                .sum::<f32>()
                * scale;
        }
        softmax_in_place(&mut scores);
        let out = &mut context[i * d..][..d];
        for (j, p) in scores.iter().enumerate() {
            for (o, v) in out.iter_mut().zip(head.value(j, d)) {
                *o = p.mul_add(*v, *o);
            }
        }
    }
    context
}

#[inline(always)]
fn softmax_in_place(scores: &mut [f32]) {
    let max = fastmath::fold_lanes(scores, f32::NEG_INFINITY, f32::max, f32::max);
    scores.iter_mut().for_each(|s| *s -= max);
    fastmath::exp_in_place(scores);
    let inv = 1.0 / fastmath::sum(scores);
    scores.iter_mut().for_each(|s| *s *= inv);
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_core::{Device, D};

    #[test]
    fn matches_masked_softmax_attention_on_real_rows() {
        for d in [4, 32] {
            check_against_masked_softmax(d);
        }
    }

    fn check_against_masked_softmax(d: usize) {
        let (batch, seq, heads) = (3, 70, 2);
        let hidden = heads * d;
        let lengths = [70, 4, 1];
        let n = batch * seq * 3 * hidden;
        let v: Vec<f32> = (0..n)
            .map(|i| ((i * 37 % 101) as f32 / 50.0) - 1.0)
            .collect();
        let qkv = Tensor::from_vec(v, (batch, seq, 3 * hidden), &Device::Cpu).unwrap();
        let got = fused_attention(&qkv, heads, &lengths).unwrap();

        let split = |i: usize| {
            qkv.narrow(2, i * hidden, hidden)
                .unwrap()
                .reshape((batch, seq, heads, d))
                .unwrap()
                .transpose(1, 2)
                .unwrap()
                .contiguous()
                .unwrap()
        };
        let (q, k, vv) = (split(0), split(1), split(2));
        let mask: Vec<f32> = lengths
            .iter()
            .flat_map(|&l| (0..seq).map(move |j| if j < l { 0.0 } else { -1e4 }))
            .collect();
        let mask = Tensor::from_vec(mask, (batch, 1, 1, seq), &Device::Cpu).unwrap();
        let scores = (q.matmul(&k.t().unwrap()).unwrap() / (d as f64).sqrt())
            .unwrap()
            .broadcast_add(&mask)
            .unwrap();
        let probs = candle_nn::ops::softmax(&scores, D::Minus1).unwrap();
        let want = probs
            .matmul(&vv)
            .unwrap()
            .transpose(1, 2)
            .unwrap()
            .reshape((batch, seq, hidden))
            .unwrap();
        let (got, want) = (
            got.to_vec3::<f32>().unwrap(),
            want.to_vec3::<f32>().unwrap(),
        );
        for b in 0..batch {
            for i in 0..seq {
                for c in 0..hidden {
                    let g = got[b][i][c];
                    if i < lengths[b] {
                        assert!((g - want[b][i][c]).abs() < 1e-5, "{b} {i} {c}");
                    } else {
                        assert_eq!(g, 0.0, "padding row {b} {i}");
                    }
                }
            }
        }
    }
}
