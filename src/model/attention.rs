//! Self-attention for inference in one pass per (window, head), straight from the fused
//! query-key-value product: no head-split copies, no score tensor, and padded keys and
//! queries skipped instead of masked. Training keeps the differentiable ops in `encoder.rs`.

use super::fastmath;
use super::packed::Precision;
use candle_core::{CpuStorage, CustomOp1, Layout, Result, Shape, Tensor};
use rayon::prelude::*;

/// The attention op over a `(batch, seq, 3 * hidden)` tensor of queries, keys and values.
struct FusedAttention<'a> {
    heads: usize,
    /// Real tokens per window; the rest of each window is padding.
    lengths: &'a [usize],
    precision: Precision,
}

/// `softmax(q kᵀ / sqrt(d)) v` per head, from `qkv` `(batch, seq, 3 * hidden)` (queries, keys,
/// values side by side, heads in order within each) into `(batch, seq, hidden)`. Rows of
/// padding come out as zeros. Under bf16 both products round their operands to bf16 (where the
/// CPU has AVX-512 BF16 and the head width is a multiple of 32); softmax stays f32.
pub fn fused_attention(
    qkv: &Tensor,
    heads: usize,
    lengths: &[usize],
    precision: Precision,
) -> Result<Tensor> {
    qkv.contiguous()?.apply_op1_no_bwd(&FusedAttention {
        heads,
        lengths,
        precision,
    })
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
            *context = head_attention(rows, width, hidden, *h * d, d, len, self.precision);
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
    precision: Precision,
) -> Vec<f32> {
    let head = Head {
        rows,
        width,
        hidden,
        col,
        len,
    };
    #[cfg(target_arch = "x86_64")]
    // int8 is for the dense products; attention's two products run in bf16 beside them.
    if matches!(precision, Precision::Bf16 | Precision::Int8) && has_bf16() {
        // SAFETY: the CPU has AVX-512 F, BW and BF16, checked just above.
        match d {
            32 => return unsafe { attend_bf16::<2>(&head) },
            64 => return unsafe { attend_bf16::<4>(&head) },
            _ => {}
        }
    }
    #[cfg(target_arch = "x86_64")]
    if super::cpu::cpu().avx512f && super::cpu::cpu().fma {
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

#[cfg(target_arch = "x86_64")]
fn has_bf16() -> bool {
    let c = super::cpu::cpu();
    c.avx512bf16 && c.avx512bw
}

/// A head dimension of `16 * NV` (NV even) in bf16 pairs (`vdpbf16ps`): scores sum over pairs of
/// dimensions, the context over pairs of keys. Each 32-value chunk is rounded to bf16 by one
/// `vcvtne2ps2bf16`; sums are f32.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bw,avx512bf16")]
unsafe fn attend_bf16<const NV: usize>(head: &Head) -> Vec<f32> {
    use std::arch::x86_64::*;
    let nc = NV / 2;
    let d = 32 * nc;
    let pairs = d / 2;
    let len = head.len;
    let padded = len.div_ceil(KEYS) * KEYS;
    let scale = _mm512_set1_ps(1.0 / (d as f32).sqrt());
    // 32 f32 from `src` (times `by`) as 16 words of bf16 pairs, in order.
    let convert = |src: *const f32, by: __m512| -> __m512i {
        let lo = _mm512_mul_ps(_mm512_loadu_ps(src), by);
        let hi = _mm512_mul_ps(_mm512_loadu_ps(src.add(16)), by);
        std::mem::transmute::<__m512bh, __m512i>(_mm512_cvtne2ps_pbh(hi, lo))
    };
    let one = _mm512_set1_ps(1.0);
    // Keys as `[pair of dimensions][key]` words, zeros past `len`.
    let mut keys_t = vec![0u32; pairs * padded];
    let mut words = [0u32; 16];
    for j in 0..len {
        let k = head.key(j, d).as_ptr();
        for c in 0..nc {
            _mm512_storeu_si512(words.as_mut_ptr() as *mut _, convert(k.add(32 * c), one));
            for (w, word) in words.iter().enumerate() {
                keys_t[(16 * c + w) * padded + j] = *word;
            }
        }
    }
    // Values as `[pair of keys][dimension]` words: key 2m in the low half, 2m + 1 in the high.
    let key_pairs = len.div_ceil(2);
    let mut values = vec![0u32; key_pairs * d];
    let zeros = [0f32; 64];
    let low = _mm512_set_epi16(
        47, 15, 46, 14, 45, 13, 44, 12, 43, 11, 42, 10, 41, 9, 40, 8, 39, 7, 38, 6, 37, 5, 36, 4,
        35, 3, 34, 2, 33, 1, 32, 0,
    );
    let high = _mm512_add_epi16(low, _mm512_set1_epi16(16));
    for m in 0..key_pairs {
        let a = head.value(2 * m, d).as_ptr();
        let b = if 2 * m + 1 < len {
            head.value(2 * m + 1, d).as_ptr()
        } else {
            zeros.as_ptr()
        };
        for c in 0..nc {
            let (va, vb) = (convert(a.add(32 * c), one), convert(b.add(32 * c), one));
            let out = values.as_mut_ptr().add(m * d + 32 * c);
            _mm512_storeu_si512(out as *mut _, _mm512_permutex2var_epi16(va, low, vb));
            _mm512_storeu_si512(
                out.add(16) as *mut _,
                _mm512_permutex2var_epi16(va, high, vb),
            );
        }
    }
    let mut context = vec![0f32; len * d];
    let mut scores = vec![0f32; padded.max(32)];
    let mut query = [0u32; 32];
    let mut probs = vec![0u32; padded.max(32) / 2];
    for i in 0..len {
        let q = head.query(i, d).as_ptr();
        for c in 0..nc {
            _mm512_storeu_si512(
                query.as_mut_ptr().add(16 * c) as *mut _,
                convert(q.add(32 * c), scale),
            );
        }
        for block in 0..padded / KEYS {
            let mut acc = [_mm512_setzero_ps(); KEYS / 16];
            for (p, word) in query[..pairs].iter().enumerate() {
                let qv: __m512bh = std::mem::transmute(_mm512_set1_epi32(*word as i32));
                let k = keys_t.as_ptr().add(p * padded + block * KEYS);
                for (r, acc) in acc.iter_mut().enumerate() {
                    let kv: __m512bh =
                        std::mem::transmute(_mm512_loadu_si512(k.add(16 * r) as *const _));
                    *acc = _mm512_dpbf16_ps(*acc, kv, qv);
                }
            }
            for (r, acc) in acc.iter().enumerate() {
                _mm512_storeu_ps(scores.as_mut_ptr().add(block * KEYS + 16 * r), *acc);
            }
        }
        softmax_in_place(&mut scores[..len]);
        // Padding keys get probability 0, and so do the odd slot of a last unpaired key.
        scores[len..].fill(0.0);
        for (chunk, out) in probs
            .chunks_exact_mut(16)
            .enumerate()
            .take(key_pairs.div_ceil(16))
        {
            _mm512_storeu_si512(
                out.as_mut_ptr() as *mut _,
                convert(scores.as_ptr().add(32 * chunk), one),
            );
        }
        let (mut even, mut odd) = ([_mm512_setzero_ps(); NV], [_mm512_setzero_ps(); NV]);
        let step = |acc: &mut [__m512; NV], m: usize| {
            let p: __m512bh = std::mem::transmute(_mm512_set1_epi32(probs[m] as i32));
            let v = values.as_ptr().add(m * d);
            for (r, acc) in acc.iter_mut().enumerate() {
                let vv: __m512bh =
                    std::mem::transmute(_mm512_loadu_si512(v.add(16 * r) as *const _));
                *acc = _mm512_dpbf16_ps(*acc, vv, p);
            }
        };
        for m in (0..key_pairs - key_pairs % 2).step_by(2) {
            step(&mut even, m);
            step(&mut odd, m + 1);
        }
        if key_pairs % 2 == 1 {
            step(&mut even, key_pairs - 1);
        }
        for r in 0..NV {
            _mm512_storeu_ps(
                context.as_mut_ptr().add(i * d + 16 * r),
                _mm512_add_ps(even[r], odd[r]),
            );
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
        for d in [4, 32, 64] {
            for precision in [Precision::F32, Precision::Bf16] {
                check_against_masked_softmax(d, precision);
            }
        }
    }

    fn check_against_masked_softmax(d: usize, precision: Precision) {
        let (batch, seq, heads) = (3, 70, 2);
        let hidden = heads * d;
        let lengths = [70, 4, 1];
        let n = batch * seq * 3 * hidden;
        let v: Vec<f32> = (0..n)
            .map(|i| ((i * 37 % 101) as f32 / 50.0) - 1.0)
            .collect();
        let qkv = Tensor::from_vec(v, (batch, seq, 3 * hidden), &Device::Cpu).unwrap();
        let got = fused_attention(&qkv, heads, &lengths, precision).unwrap();

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
                        // bf16 rounds q, k, v and the probabilities to 8 significant bits.
                        let tolerance = match precision {
                            Precision::F32 => 1e-5,
                            Precision::Bf16 | Precision::Int8 => 2e-2,
                        };
                        let w = want[b][i][c];
                        assert!(
                            (g - w).abs() < tolerance,
                            "{precision:?} d {d}: {b} {i} {c}: {g} vs {w}"
                        );
                    } else {
                        assert_eq!(g, 0.0, "padding row {b} {i}");
                    }
                }
            }
        }
    }
}
