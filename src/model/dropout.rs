//! Dropout from a seeded random source: candle's CPU random numbers cannot be seeded, and
//! training must be deterministic.

use candle_core::{Result, Tensor};
use std::sync::Mutex;

/// The random source of one training run: xorshift64*, fast enough to draw a mask per element.
pub struct DropoutRng(Mutex<u64>);

impl DropoutRng {
    pub fn seeded(seed: u64) -> Self {
        // Zero is xorshift's fixed point.
        DropoutRng(Mutex::new(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1))
    }

    fn keep_mask(&self, n: usize, keep: f64) -> Vec<f32> {
        let mut state = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let threshold = (keep * u32::MAX as f64) as u32;
        let scale = (1.0 / keep) as f32;
        let mut s = *state;
        let mask = (0..n)
            .map(|_| {
                s ^= s >> 12;
                s ^= s << 25;
                s ^= s >> 27;
                let r = (s.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 32) as u32;
                if r < threshold {
                    scale
                } else {
                    0.0
                }
            })
            .collect();
        *state = s;
        mask
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

    /// Whether `apply` leaves its input as it is (inference, or a rate of 0).
    pub fn is_identity(&self) -> bool {
        self.rng.is_none() || self.p <= 0.0
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_about_the_right_share_and_rescales() {
        let rng = DropoutRng::seeded(1);
        let mask = rng.keep_mask(100_000, 0.9);
        let kept = mask.iter().filter(|&&m| m > 0.0).count() as f64 / mask.len() as f64;
        assert!((kept - 0.9).abs() < 0.01, "{kept}");
        assert!(mask
            .iter()
            .all(|&m| m == 0.0 || (m - 1.0 / 0.9).abs() < 1e-6));
        assert_eq!(
            DropoutRng::seeded(5).keep_mask(64, 0.5),
            DropoutRng::seeded(5).keep_mask(64, 0.5)
        );
    }
}
