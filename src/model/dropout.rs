//! Dropout from a seeded random source: candle's CPU random numbers cannot be seeded, and
//! training must be deterministic.
//!
//! Each dropout draws one seed; element `i` is kept or dropped by a hash of `(seed, i)`. So the
//! mask is never stored: the backward pass recomputes it, threads draw any part of it in any
//! order, and a run gives the same result on any number of threads.

use super::kernels::contiguous;
use candle_core::{CpuStorage, CustomOp1, CustomOp2, Layout, Result, Shape, Tensor};
use rayon::prelude::*;
use std::sync::Mutex;

/// The random source of one training run: hands each dropout a fresh seed.
pub struct DropoutRng(Mutex<u64>);

impl DropoutRng {
    pub fn seeded(seed: u64) -> Self {
        DropoutRng(Mutex::new(seed))
    }

    fn next_seed(&self) -> u64 {
        let mut state = self.0.lock().unwrap_or_else(|e| e.into_inner());
        // splitmix64: consecutive states give unrelated seeds.
        *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = *state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// One dropout's mask: which elements survive, and the factor that rescales them.
#[derive(Clone, Copy, Debug)]
pub struct Mask {
    seed: u64,
    /// An element survives when its 32-bit hash falls below this.
    threshold: u32,
    scale: f32,
}

/// A 32-bit integer hash with full avalanche (Chris Wellons' `lowbias32`); 32-bit multiplies
/// vectorise where 64-bit ones mostly do not.
#[inline(always)]
fn mix(mut x: u32) -> u32 {
    x ^= x >> 16;
    x = x.wrapping_mul(0x7feb_352d);
    x ^= x >> 15;
    x = x.wrapping_mul(0x846c_a68b);
    x ^ (x >> 16)
}

impl Mask {
    fn new(seed: u64, p: f64) -> Mask {
        let keep = 1.0 - p;
        Mask {
            seed,
            threshold: (keep * u32::MAX as f64) as u32,
            scale: (1.0 / keep) as f32,
        }
    }

    /// The factor of element `i`: `1 / keep` if it survives, else 0.
    #[inline(always)]
    pub fn factor(&self, i: usize) -> f32 {
        let (lo, hi) = (self.seed as u32, (self.seed >> 32) as u32);
        let h = mix(mix((i as u32) ^ lo).wrapping_add(hi ^ ((i >> 32) as u32)));
        if h < self.threshold {
            self.scale
        } else {
            0.0
        }
    }

    /// Multiplies `xs`, the elements from `offset` on, by their factors.
    pub fn apply_at(&self, xs: &mut [f32], offset: usize) {
        #[cfg(target_arch = "x86_64")]
        if super::cpu::cpu().avx512f {
            // SAFETY: the CPU has AVX-512F, checked just above.
            unsafe { self.apply_at_avx512(xs, offset) };
            return;
        }
        self.apply_at_any(xs, offset);
    }

    #[inline(always)]
    fn apply_at_any(&self, xs: &mut [f32], offset: usize) {
        xs.iter_mut()
            .enumerate()
            .for_each(|(i, x)| *x *= self.factor(offset + i));
    }

    /// The same loop compiled for 16 lanes: the baseline x86-64 target has no 32-bit vector
    /// multiply, which left the hash scalar (6% of a training step).
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f,avx512vl")]
    unsafe fn apply_at_avx512(&self, xs: &mut [f32], offset: usize) {
        self.apply_at_any(xs, offset)
    }
}

/// Dropout at one rate, active only while training.
pub struct Dropout<'r> {
    rng: Option<&'r DropoutRng>,
    p: f64,
}

const CHUNK: usize = 1 << 14;

impl<'r> Dropout<'r> {
    pub fn new(rng: Option<&'r DropoutRng>, p: f64) -> Self {
        Dropout { rng, p }
    }

    /// Whether `apply` leaves its input as it is (inference, or a rate of 0).
    pub fn is_identity(&self) -> bool {
        self.rng.is_none() || self.p <= 0.0
    }

    /// A fresh mask, for an op that applies dropout inside; `None` when inactive.
    pub fn mask(&self) -> Option<Mask> {
        match self.rng {
            Some(rng) if self.p > 0.0 => Some(Mask::new(rng.next_seed(), self.p)),
            _ => None,
        }
    }

    pub fn apply(&self, xs: &Tensor) -> Result<Tensor> {
        let Some(mask) = self.mask() else {
            return Ok(xs.clone());
        };
        if xs.device().is_cpu() && xs.dtype() == candle_core::DType::F32 {
            return xs.contiguous()?.apply_op1(DropoutOp(mask));
        }
        xs * mask_tensor(mask, xs)?
    }

    /// `dropout(xs) + residual` in one pass (the residual is not dropped).
    pub fn apply_add(&self, xs: &Tensor, residual: &Tensor) -> Result<Tensor> {
        let Some(mask) = self.mask() else {
            return xs + residual;
        };
        if xs.device().is_cpu() && xs.dtype() == candle_core::DType::F32 {
            return xs
                .contiguous()?
                .apply_op2(&residual.contiguous()?, DropoutAdd(mask));
        }
        (xs * mask_tensor(mask, xs)?)? + residual
    }
}

/// The mask as a tensor of factors shaped like `xs`, for devices without the fused ops.
fn mask_tensor(mask: Mask, xs: &Tensor) -> Result<Tensor> {
    let factors: Vec<f32> = (0..xs.elem_count()).map(|i| mask.factor(i)).collect();
    Tensor::from_vec(factors, xs.shape(), &candle_core::Device::Cpu)?
        .to_dtype(xs.dtype())?
        .to_device(xs.device())
}

/// `x * factor` per element; its own backward (the same mask on the gradient).
struct DropoutOp(Mask);

impl CustomOp1 for DropoutOp {
    fn name(&self) -> &'static str {
        "dropout"
    }

    fn cpu_fwd(&self, s: &CpuStorage, l: &Layout) -> Result<(CpuStorage, Shape)> {
        let mut out = contiguous(s, l, "dropout input")?.to_vec();
        out.par_chunks_mut(CHUNK)
            .enumerate()
            .for_each(|(c, xs)| self.0.apply_at(xs, c * CHUNK));
        Ok((CpuStorage::F32(out), l.shape().clone()))
    }

    fn bwd(&self, _: &Tensor, _: &Tensor, grad: &Tensor) -> Result<Option<Tensor>> {
        Ok(Some(grad.contiguous()?.apply_op1_no_bwd(self)?))
    }
}

/// `x * factor + residual` per element.
struct DropoutAdd(Mask);

impl CustomOp2 for DropoutAdd {
    fn name(&self) -> &'static str {
        "dropout-add"
    }

    fn cpu_fwd(
        &self,
        s1: &CpuStorage,
        l1: &Layout,
        s2: &CpuStorage,
        l2: &Layout,
    ) -> Result<(CpuStorage, Shape)> {
        let x = contiguous(s1, l1, "dropout-add input")?;
        let r = contiguous(s2, l2, "dropout-add residual")?;
        if x.len() != r.len() {
            candle_core::bail!(
                "dropout-add: {} values and a residual of {}",
                x.len(),
                r.len()
            );
        }
        let mut out = x.to_vec();
        out.par_chunks_mut(CHUNK)
            .zip(r.par_chunks(CHUNK))
            .enumerate()
            .for_each(|(c, (o, r))| {
                self.0.apply_at(o, c * CHUNK);
                o.iter_mut().zip(r).for_each(|(o, r)| *o += r);
            });
        Ok((CpuStorage::F32(out), l1.shape().clone()))
    }

    fn bwd(
        &self,
        _: &Tensor,
        _: &Tensor,
        _: &Tensor,
        grad: &Tensor,
    ) -> Result<(Option<Tensor>, Option<Tensor>)> {
        let dx = grad.contiguous()?.apply_op1_no_bwd(&DropoutOp(self.0))?;
        Ok((Some(dx), Some(grad.clone())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_core::{Device, Var};

    #[test]
    fn keeps_about_the_right_share_and_rescales() {
        let mask = Mask::new(DropoutRng::seeded(1).next_seed(), 0.1);
        let factors: Vec<f32> = (0..100_000).map(|i| mask.factor(i)).collect();
        let kept = factors.iter().filter(|&&m| m > 0.0).count() as f64 / factors.len() as f64;
        assert!((kept - 0.9).abs() < 0.01, "{kept}");
        assert!(factors
            .iter()
            .all(|&m| m == 0.0 || (m - 1.0 / 0.9).abs() < 1e-6));
        // Neighbouring elements are not correlated: runs of drops are as short as chance says.
        let both_dropped = factors.windows(2).filter(|w| w[0] == 0.0 && w[1] == 0.0);
        let share = both_dropped.count() as f64 / factors.len() as f64;
        assert!((share - 0.01).abs() < 0.003, "{share}");
    }

    #[test]
    fn seeds_repeat_per_source_and_differ_per_draw() {
        let (a, b) = (DropoutRng::seeded(5), DropoutRng::seeded(5));
        let first = a.next_seed();
        assert_eq!(first, b.next_seed());
        assert_ne!(first, a.next_seed());
    }

    #[test]
    fn dropout_and_its_gradient_use_one_mask() {
        let rng = DropoutRng::seeded(3);
        let drop = Dropout::new(Some(&rng), 0.5);
        let x = Var::from_tensor(
            &Tensor::ones((40, 50), candle_core::DType::F32, &Device::Cpu).unwrap(),
        )
        .unwrap();
        let r = Var::from_tensor(
            &Tensor::zeros((40, 50), candle_core::DType::F32, &Device::Cpu).unwrap(),
        )
        .unwrap();
        let out = drop.apply_add(x.as_tensor(), r.as_tensor()).unwrap();
        let grads = out.sum_all().unwrap().backward().unwrap();
        // d out / d x is the mask itself, which `out` also is for an input of ones.
        let forward = out.flatten_all().unwrap().to_vec1::<f32>().unwrap();
        let dx = grads
            .get(&x)
            .unwrap()
            .flatten_all()
            .unwrap()
            .to_vec1::<f32>()
            .unwrap();
        assert_eq!(forward, dx);
        let dr = grads
            .get(&r)
            .unwrap()
            .flatten_all()
            .unwrap()
            .to_vec1::<f32>()
            .unwrap();
        assert!(dr.iter().all(|&g| g == 1.0));
        assert!(forward.contains(&0.0) && forward.contains(&2.0));
        let alone = drop.apply(x.as_tensor()).unwrap();
        let g = alone.sum_all().unwrap().backward().unwrap();
        assert_eq!(
            alone.flatten_all().unwrap().to_vec1::<f32>().unwrap(),
            g.get(&x)
                .unwrap()
                .flatten_all()
                .unwrap()
                .to_vec1::<f32>()
                .unwrap()
        );
    }
}
