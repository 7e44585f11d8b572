//! Dropout from a seeded random source: candle's CPU random numbers cannot be seeded, and
//! training must be deterministic.

use candle_core::{Result, Tensor};
use rand::{rngs::StdRng, Rng, SeedableRng};
use std::sync::Mutex;

/// The random source of one training run.
pub struct DropoutRng(Mutex<StdRng>);

impl DropoutRng {
    pub fn seeded(seed: u64) -> Self {
        DropoutRng(Mutex::new(StdRng::seed_from_u64(seed)))
    }

    fn keep_mask(&self, n: usize, keep: f64) -> Vec<f32> {
        let mut rng = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let scale = (1.0 / keep) as f32;
        (0..n)
            .map(|_| if rng.random::<f64>() < keep { scale } else { 0.0 })
            .collect()
    }
}

/// Dropout at one rate, active only while training.
pub struct Dropout<'r> {
    rng: Option<&'r DropoutRng>,
    p: f64,
}

impl<'r> Dropout<'r> {
    pub fn new(rng: Option<&'r DropoutRng>, p: f64) -> Self {
        Dropout { rng, p }
    }

    pub fn apply(&self, xs: &Tensor) -> Result<Tensor> {
        match self.rng {
            Some(rng) if self.p > 0.0 => {
                let mask = rng.keep_mask(xs.elem_count(), 1.0 - self.p);
                let mask = Tensor::from_vec(mask, xs.shape(), xs.device())?.to_dtype(xs.dtype())?;
                xs * mask
            }
            _ => Ok(xs.clone()),
        }
    }
}
