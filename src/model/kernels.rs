//! Fused CPU kernels with their own backward passes, for the ops whose plain-op versions
//! dominated a training step: masked softmax over attention scores and layer normalisation.
//! Each replaces a chain of a dozen full-size temporaries (and as many gradient buffers) with
//! one pass forward and one backward.

use candle_core::{CpuStorage, CustomOp2, CustomOp3, Layout, Result, Shape, Tensor};
use rayon::prelude::*;

pub(super) fn contiguous<'a>(s: &'a CpuStorage, l: &Layout, what: &str) -> Result<&'a [f32]> {
    match l.contiguous_offsets() {
        Some((a, b)) => Ok(&s.as_slice::<f32>()?[a..b]),
        None => candle_core::bail!("{what}: input must be contiguous"),
    }
}

/// `softmax(scores + mask)` over the last dimension; `mask` is `(batch, 1, 1, keys)` and
/// broadcasts over heads and queries.
struct MaskedSoftmax;

impl CustomOp2 for MaskedSoftmax {
    fn name(&self) -> &'static str {
        "masked-softmax"
    }

    fn cpu_fwd(
        &self,
        s1: &CpuStorage,
        l1: &Layout,
        s2: &CpuStorage,
        l2: &Layout,
    ) -> Result<(CpuStorage, Shape)> {
        let x = contiguous(s1, l1, "masked-softmax scores")?;
        let mask = contiguous(s2, l2, "masked-softmax mask")?;
        let dims = l1.shape().dims();
        let keys = dims[dims.len() - 1];
        let rows_per_batch = x.len() / dims[0].max(1) / keys.max(1);
        let mut out = vec![0f32; x.len()];
        out.par_chunks_mut(keys)
            .zip(x.par_chunks(keys))
            .enumerate()
            .for_each(|(row, (o, x))| {
                let m = &mask[(row / rows_per_batch) * keys..][..keys];
                let mut max = f32::NEG_INFINITY;
                for (v, mk) in x.iter().zip(m) {
                    max = max.max(v + mk);
                }
                for ((o, v), mk) in o.iter_mut().zip(x).zip(m) {
                    *o = v + mk - max;
                }
                super::fastmath::exp_in_place(o);
                let inv = 1.0 / o.iter().sum::<f32>();
                o.iter_mut().for_each(|o| *o *= inv);
            });
        Ok((CpuStorage::F32(out), l1.shape().clone()))
    }

    fn bwd(
        &self,
        _: &Tensor,
        _: &Tensor,
        res: &Tensor,
        grad: &Tensor,
    ) -> Result<(Option<Tensor>, Option<Tensor>)> {
        let grad = grad.contiguous()?;
        Ok((Some(res.apply_op2_no_bwd(&grad, &SoftmaxGrad)?), None))
    }
}

/// `p * (g - sum(g * p))` per row: the gradient of softmax given its output `p`.
struct SoftmaxGrad;

impl CustomOp2 for SoftmaxGrad {
    fn name(&self) -> &'static str {
        "softmax-grad"
    }

    fn cpu_fwd(
        &self,
        s1: &CpuStorage,
        l1: &Layout,
        s2: &CpuStorage,
        l2: &Layout,
    ) -> Result<(CpuStorage, Shape)> {
        let p = contiguous(s1, l1, "softmax-grad probs")?;
        let g = contiguous(s2, l2, "softmax-grad grad")?;
        let keys = l1.shape().dims()[l1.shape().rank() - 1];
        let mut out = vec![0f32; p.len()];
        out.par_chunks_mut(keys)
            .zip(p.par_chunks(keys).zip(g.par_chunks(keys)))
            .for_each(|(o, (p, g))| {
                let dot: f32 = p.iter().zip(g).map(|(a, b)| a * b).sum();
                for ((o, p), g) in o.iter_mut().zip(p).zip(g) {
                    *o = p * (g - dot);
                }
            });
        Ok((CpuStorage::F32(out), l1.shape().clone()))
    }
}

/// Softmax of `scores + mask` over the last dimension, differentiable in `scores`.
pub fn masked_softmax(scores: &Tensor, mask: &Tensor) -> Result<Tensor> {
    if !scores.device().is_cpu() {
        return candle_nn::ops::softmax_last_dim(&scores.broadcast_add(mask)?);
    }
    scores
        .contiguous()?
        .apply_op2(&mask.contiguous()?, MaskedSoftmax)
}

/// BERT's GELU, differentiable: the vectorised `fastmath` GELU forward, and its derivative
/// applied to the gradient in one pass backward (candle's `gelu_erf` calls libm's scalar
/// `erf`, and its backward is a chain of a dozen element-wise ops).
struct Gelu;

impl candle_core::CustomOp1 for Gelu {
    fn name(&self) -> &'static str {
        "gelu"
    }

    fn cpu_fwd(&self, s: &CpuStorage, l: &Layout) -> Result<(CpuStorage, Shape)> {
        let x = contiguous(s, l, "gelu input")?;
        let mut out = x.to_vec();
        out.par_chunks_mut(1 << 14)
            .for_each(super::fastmath::gelu_in_place);
        Ok((CpuStorage::F32(out), l.shape().clone()))
    }

    fn bwd(&self, x: &Tensor, _: &Tensor, grad: &Tensor) -> Result<Option<Tensor>> {
        Ok(Some(grad.contiguous()?.apply_op2_no_bwd(x, &GeluGrad)?))
    }
}

/// `grad * gelu'(x)`.
struct GeluGrad;

impl CustomOp2 for GeluGrad {
    fn name(&self) -> &'static str {
        "gelu-grad"
    }

    fn cpu_fwd(
        &self,
        s1: &CpuStorage,
        l1: &Layout,
        s2: &CpuStorage,
        l2: &Layout,
    ) -> Result<(CpuStorage, Shape)> {
        let g = contiguous(s1, l1, "gelu-grad grad")?;
        let x = contiguous(s2, l2, "gelu-grad input")?;
        let mut out = g.to_vec();
        out.par_chunks_mut(1 << 14)
            .zip(x.par_chunks(1 << 14))
            .for_each(|(g, x)| super::fastmath::gelu_grad_in_place(g, x));
        Ok((CpuStorage::F32(out), l1.shape().clone()))
    }
}

/// GELU (BERT's, with `erf`), differentiable.
pub fn gelu(xs: &Tensor) -> Result<Tensor> {
    if !xs.device().is_cpu() || xs.dtype() != candle_core::DType::F32 {
        return xs.gelu_erf();
    }
    xs.contiguous()?.apply_op1(Gelu)
}

/// Layer normalisation over the last dimension with affine weight and bias.
struct LayerNormOp {
    eps: f32,
}

/// Per-row mean and inverse standard deviation.
fn row_stats(x: &[f32], eps: f32) -> (f32, f32) {
    let n = x.len() as f32;
    let mean = super::fastmath::sum(x) / n;
    let deviation = |a: f32, v: f32| a + (v - mean) * (v - mean);
    let var = super::fastmath::fold_lanes(x, 0.0, deviation, |a, b| a + b) / n;
    (mean, 1.0 / (var + eps).sqrt())
}

impl CustomOp3 for LayerNormOp {
    fn name(&self) -> &'static str {
        "layer-norm"
    }

    fn cpu_fwd(
        &self,
        s1: &CpuStorage,
        l1: &Layout,
        s2: &CpuStorage,
        l2: &Layout,
        s3: &CpuStorage,
        l3: &Layout,
    ) -> Result<(CpuStorage, Shape)> {
        let x = contiguous(s1, l1, "layer-norm input")?;
        let w = contiguous(s2, l2, "layer-norm weight")?;
        let b = contiguous(s3, l3, "layer-norm bias")?;
        let h = w.len();
        let mut out = vec![0f32; x.len()];
        out.par_chunks_mut(h)
            .zip(x.par_chunks(h))
            .for_each(|(o, x)| {
                let (mean, inv) = row_stats(x, self.eps);
                for i in 0..h {
                    o[i] = (x[i] - mean) * inv * w[i] + b[i];
                }
            });
        Ok((CpuStorage::F32(out), l1.shape().clone()))
    }

    fn bwd(
        &self,
        x: &Tensor,
        w: &Tensor,
        _b: &Tensor,
        _res: &Tensor,
        grad: &Tensor,
    ) -> Result<(Option<Tensor>, Option<Tensor>, Option<Tensor>)> {
        let grad = grad.contiguous()?;
        let x = x.contiguous()?;
        let dx = x.apply_op3_no_bwd(&w.contiguous()?, &grad, &LayerNormGrad { eps: self.eps })?;
        let h = w.dim(0)?;
        // Both parameter gradients in one pass: row 0 the weight's, row 1 the bias's.
        let params = x.apply_op2_no_bwd(&grad, &LayerNormParamGrad { eps: self.eps })?;
        Ok((
            Some(dx),
            Some(params.narrow(0, 0, 1)?.reshape(h)?),
            Some(params.narrow(0, 1, 1)?.reshape(h)?),
        ))
    }
}

/// `dx = inv/h * (h*gw - sum(gw) - xhat * sum(gw * xhat))` with `gw = grad * w`, per row.
struct LayerNormGrad {
    eps: f32,
}

impl CustomOp3 for LayerNormGrad {
    fn name(&self) -> &'static str {
        "layer-norm-grad"
    }

    fn cpu_fwd(
        &self,
        s1: &CpuStorage,
        l1: &Layout,
        s2: &CpuStorage,
        l2: &Layout,
        s3: &CpuStorage,
        l3: &Layout,
    ) -> Result<(CpuStorage, Shape)> {
        let x = contiguous(s1, l1, "layer-norm-grad input")?;
        let w = contiguous(s2, l2, "layer-norm-grad weight")?;
        let g = contiguous(s3, l3, "layer-norm-grad grad")?;
        let h = w.len();
        let mut out = vec![0f32; x.len()];
        out.par_chunks_mut(h)
            .zip(x.par_chunks(h).zip(g.par_chunks(h)))
            .for_each(|(o, (x, g))| {
                let (mean, inv) = row_stats(x, self.eps);
                let (mut sum_gw, mut sum_gw_xhat) = (0f32, 0f32);
                for i in 0..h {
                    let gw = g[i] * w[i];
                    sum_gw += gw;
                    sum_gw_xhat += gw * (x[i] - mean) * inv;
                }
                let n = h as f32;
                for i in 0..h {
                    let xhat = (x[i] - mean) * inv;
                    o[i] = inv / n * (n * g[i] * w[i] - sum_gw - xhat * sum_gw_xhat);
                }
            });
        Ok((CpuStorage::F32(out), l1.shape().clone()))
    }
}

/// The layer norm's weight and bias gradients, `(2, h)`: the sums over rows of
/// `grad * (x - mean) / std` and of `grad`. Rows are split over threads, each summing its own.
struct LayerNormParamGrad {
    eps: f32,
}

impl CustomOp2 for LayerNormParamGrad {
    fn name(&self) -> &'static str {
        "layer-norm-param-grad"
    }

    fn cpu_fwd(
        &self,
        s1: &CpuStorage,
        l1: &Layout,
        s2: &CpuStorage,
        l2: &Layout,
    ) -> Result<(CpuStorage, Shape)> {
        let x = contiguous(s1, l1, "layer-norm input")?;
        let g = contiguous(s2, l2, "layer-norm grad")?;
        let h = l1.shape().dims()[l1.shape().rank() - 1];
        let partials = x
            .par_chunks(ROWS_PER_PARTIAL * h)
            .zip(g.par_chunks(ROWS_PER_PARTIAL * h))
            .map(|(x, g)| {
                let mut sums = vec![0f32; 2 * h];
                let (dw, db) = sums.split_at_mut(h);
                for (x, g) in x.chunks_exact(h).zip(g.chunks_exact(h)) {
                    let (mean, inv) = row_stats(x, self.eps);
                    for i in 0..h {
                        dw[i] += g[i] * (x[i] - mean) * inv;
                        db[i] += g[i];
                    }
                }
                sums
            })
            .collect();
        Ok((
            CpuStorage::F32(add_in_order(partials, 2 * h)),
            Shape::from((2, h)),
        ))
    }
}

/// Rows per partial sum of a reduction over rows. Fixed, and the partials added in order, so
/// that a training run gives the same bits on any number of threads (rayon's own `reduce`
/// splits where work is stolen, which changes the order of float additions from run to run).
pub(super) const ROWS_PER_PARTIAL: usize = 64;

/// The element-wise sum of `partials`, each `width` long, first to last.
pub(super) fn add_in_order(partials: Vec<Vec<f32>>, width: usize) -> Vec<f32> {
    partials.into_iter().fold(vec![0f32; width], |mut acc, p| {
        acc.iter_mut().zip(&p).for_each(|(a, b)| *a += b);
        acc
    })
}

/// Layer norm over the last dimension, differentiable in all three inputs.
pub fn layer_norm(xs: &Tensor, weight: &Tensor, bias: &Tensor, eps: f64) -> Result<Tensor> {
    if !xs.device().is_cpu() || xs.dtype() != candle_core::DType::F32 {
        return candle_nn::ops::layer_norm_slow(xs, weight, bias, eps as f32);
    }
    xs.contiguous()?
        .apply_op3(weight, bias, LayerNormOp { eps: eps as f32 })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use candle_core::{Device, Var, D};

    /// Uniform in [-1, 1), from a seeded generator so that failures reproduce.
    pub(crate) fn rand(shape: &[usize], seed: u64) -> Tensor {
        let n: usize = shape.iter().product();
        let mut s = seed;
        let v: Vec<f32> = (0..n)
            .map(|_| {
                s = s
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                ((s >> 33) as f32 / (1u64 << 31) as f32) * 2.0 - 1.0
            })
            .collect();
        Tensor::from_vec(v, shape, &Device::Cpu).unwrap()
    }

    /// The largest absolute difference between two tensors of one shape.
    pub(crate) fn max_diff(a: &Tensor, b: &Tensor) -> f32 {
        (a - b)
            .unwrap()
            .abs()
            .unwrap()
            .max_all()
            .unwrap()
            .to_scalar::<f32>()
            .unwrap()
    }

    /// The gradients of `sum(out * up)`: `up` stands for the gradient from above.
    pub(crate) fn grads_of(out: Tensor, up: &Tensor) -> candle_core::backprop::GradStore {
        (out * up).unwrap().sum_all().unwrap().backward().unwrap()
    }

    fn close(a: &Tensor, b: &Tensor) {
        let d = max_diff(a, b);
        assert!(d < 1e-4, "max difference {d}");
    }

    #[test]
    fn masked_softmax_matches_plain_ops_forward_and_backward() {
        let x = Var::from_tensor(&rand(&[2, 3, 4, 5], 1)).unwrap();
        let mask = Tensor::new(
            &[0f32, 0., 0., -1e4, -1e4, 0., 0., 0., 0., -1e4],
            &Device::Cpu,
        )
        .unwrap()
        .reshape((2, 1, 1, 5))
        .unwrap();
        let w = rand(&[2, 3, 4, 5], 2);
        let fused = masked_softmax(x.as_tensor(), &mask).unwrap();
        let plain =
            candle_nn::ops::softmax(&x.as_tensor().broadcast_add(&mask).unwrap(), D::Minus1)
                .unwrap();
        close(&fused, &plain);
        let g1 = (fused * &w).unwrap().sum_all().unwrap().backward().unwrap();
        let g2 = (plain * &w).unwrap().sum_all().unwrap().backward().unwrap();
        close(g1.get(&x).unwrap(), g2.get(&x).unwrap());
    }

    #[test]
    fn gelu_matches_candle_forward_and_backward() {
        let x = Var::from_tensor(&(rand(&[4, 300], 7) * 4.0).unwrap()).unwrap();
        let up = rand(&[4, 300], 8);
        let fused = gelu(x.as_tensor()).unwrap();
        let plain = x.as_tensor().gelu_erf().unwrap();
        close(&fused, &plain);
        let g1 = grads_of(fused, &up);
        let g2 = grads_of(plain, &up);
        close(g1.get(&x).unwrap(), g2.get(&x).unwrap());
    }

    #[test]
    fn layer_norm_matches_plain_ops_forward_and_backward() {
        let x = Var::from_tensor(&rand(&[3, 4, 8], 3)).unwrap();
        let w = Var::from_tensor(&rand(&[8], 4)).unwrap();
        let b = Var::from_tensor(&rand(&[8], 5)).unwrap();
        let up = rand(&[3, 4, 8], 6);
        let fused = layer_norm(x.as_tensor(), w.as_tensor(), b.as_tensor(), 1e-12).unwrap();
        let plain =
            candle_nn::ops::layer_norm_slow(x.as_tensor(), w.as_tensor(), b.as_tensor(), 1e-12)
                .unwrap();
        close(&fused, &plain);
        let g1 = grads_of(fused, &up);
        let g2 = grads_of(plain, &up);
        for v in [&x, &w, &b] {
            close(g1.get(v).unwrap(), g2.get(v).unwrap());
        }
    }
}
