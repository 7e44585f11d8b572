//! AdamW (decoupled weight decay, none on biases and layer norms) with a linear warmup and
//! decay schedule and global gradient-norm clipping; its state saves for resuming.

use candle_core::backprop::GradStore;
use candle_core::{Result, Storage, Tensor, Var};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::Path;

/// One parameter with its moments. The update runs over plain slices in one fused pass:
/// as tensor ops it was a dozen full-size temporaries per parameter per step.
struct Param {
    name: String,
    var: Var,
    theta: Vec<f32>,
    m: Vec<f32>,
    v: Vec<f32>,
    decay: bool,
}

/// Hyper-parameters of the optimiser.
#[derive(Debug, Clone, Copy)]
pub struct AdamWConfig {
    pub lr: f64,
    pub beta1: f64,
    pub beta2: f64,
    pub eps: f64,
    pub weight_decay: f64,
}

pub struct AdamW {
    params: Vec<Param>,
    config: AdamWConfig,
    pub step: usize,
}

/// Runs `f` over the f32 values of a contiguous CPU tensor without copying.
fn with_slice<R>(t: &Tensor, f: impl FnOnce(&[f32]) -> R) -> Result<R> {
    let t = if t.is_contiguous() {
        t.clone()
    } else {
        t.contiguous()?
    };
    let (storage, layout) = t.storage_and_layout();
    match &*storage {
        Storage::Cpu(cpu) => {
            let all = cpu.as_slice::<f32>()?;
            let start = layout.start_offset();
            Ok(f(&all[start..start + t.elem_count()]))
        }
        _ => candle_core::bail!("the optimiser runs on CPU tensors"),
    }
}

const CHUNK: usize = 1 << 14;

impl AdamW {
    /// `vars` by name; biases and layer norms get no weight decay.
    pub fn new(vars: Vec<(String, Var)>, config: AdamWConfig) -> Result<Self> {
        let params = vars
            .into_iter()
            .map(|(name, var)| {
                let decay = !(name.ends_with(".bias") || name.contains("LayerNorm"));
                let theta = var.as_tensor().flatten_all()?.to_vec1::<f32>()?;
                let n = theta.len();
                Ok(Param {
                    theta,
                    m: vec![0.0; n],
                    v: vec![0.0; n],
                    name,
                    var,
                    decay,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(AdamW {
            params,
            config,
            step: 0,
        })
    }

    /// Re-reads the parameters' values (after they were set from a checkpoint).
    pub fn sync_from_vars(&mut self) -> Result<()> {
        for p in &mut self.params {
            p.theta = p.var.as_tensor().flatten_all()?.to_vec1::<f32>()?;
        }
        Ok(())
    }

    /// Global L2 norm of the gradients.
    pub fn grad_norm(&self, grads: &GradStore) -> Result<f64> {
        let mut total = 0f64;
        for p in &self.params {
            if let Some(g) = grads.get(&p.var) {
                // Chunk sums collected and added in order: the same bits on any thread count.
                let chunks: Vec<f64> = with_slice(g, |g| {
                    g.par_chunks(CHUNK)
                        .map(|c| c.iter().map(|&x| (x as f64) * (x as f64)).sum::<f64>())
                        .collect()
                })?;
                total += chunks.iter().sum::<f64>();
            }
        }
        Ok(total.sqrt())
    }

    /// One update at learning rate `lr`, gradients scaled by `grad_scale` (clipping).
    pub fn step(&mut self, grads: &GradStore, lr: f64, grad_scale: f64) -> Result<()> {
        self.step += 1;
        let c = self.config;
        let t = self.step as i32;
        let bias1 = 1.0 - c.beta1.powi(t);
        let bias2 = 1.0 - c.beta2.powi(t);
        let (b1, b2) = (c.beta1 as f32, c.beta2 as f32);
        let step_size = (lr / bias1) as f32;
        let inv_sqrt_bias2 = (1.0 / bias2.sqrt()) as f32;
        let eps = c.eps as f32;
        let scale = grad_scale as f32;
        for p in &mut self.params {
            let Some(g) = grads.get(&p.var) else { continue };
            let shrink = if p.decay {
                (1.0 - lr * c.weight_decay) as f32
            } else {
                1.0
            };
            let (theta, m, v) = (&mut p.theta, &mut p.m, &mut p.v);
            with_slice(g, |g| {
                theta
                    .par_chunks_mut(CHUNK)
                    .zip(m.par_chunks_mut(CHUNK))
                    .zip(v.par_chunks_mut(CHUNK))
                    .zip(g.par_chunks(CHUNK))
                    .for_each(|(((theta, m), v), g)| {
                        for i in 0..theta.len() {
                            let gi = g[i] * scale;
                            m[i] = b1 * m[i] + (1.0 - b1) * gi;
                            v[i] = b2 * v[i] + (1.0 - b2) * gi * gi;
                            let denom = v[i].sqrt() * inv_sqrt_bias2 + eps;
                            theta[i] = theta[i] * shrink - step_size * m[i] / denom;
                        }
                    })
            })?;
            let shape = p.var.shape().clone();
            p.var
                .set(&Tensor::from_slice(&p.theta, shape, p.var.device())?)?;
        }
        Ok(())
    }

    pub fn save(&self, path: &Path) -> Result<()> {
        let mut map: HashMap<String, Tensor> = HashMap::new();
        let dev = candle_core::Device::Cpu;
        for p in &self.params {
            map.insert(
                format!("m.{}", p.name),
                Tensor::from_slice(&p.m, p.m.len(), &dev)?,
            );
            map.insert(
                format!("v.{}", p.name),
                Tensor::from_slice(&p.v, p.v.len(), &dev)?,
            );
        }
        candle_core::safetensors::save(&map, path)
    }

    pub fn load(&mut self, path: &Path, step: usize) -> Result<()> {
        let map = candle_core::safetensors::load(path, &candle_core::Device::Cpu)?;
        for p in &mut self.params {
            let get = |k: String| -> Result<Vec<f32>> {
                map.get(&k)
                    .ok_or_else(|| candle_core::Error::Msg(format!("{}: no {k}", path.display())))?
                    .to_vec1::<f32>()
            };
            p.m = get(format!("m.{}", p.name))?;
            p.v = get(format!("v.{}", p.name))?;
        }
        self.sync_from_vars()?;
        self.step = step;
        Ok(())
    }
}

/// Linear warmup over the first `warmup` steps, then linear decay to 0 at `total`.
pub fn learning_rate(peak: f64, step: usize, warmup: usize, total: usize) -> f64 {
    if step < warmup {
        peak * (step + 1) as f64 / warmup.max(1) as f64
    } else {
        peak * (total.saturating_sub(step)) as f64 / (total - warmup).max(1) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedule_warms_up_then_decays_to_zero() {
        assert!((learning_rate(1.0, 0, 10, 100) - 0.1).abs() < 1e-9);
        assert!((learning_rate(1.0, 9, 10, 100) - 1.0).abs() < 1e-9);
        assert!((learning_rate(1.0, 55, 10, 100) - 0.5).abs() < 1e-9);
        assert_eq!(learning_rate(1.0, 100, 10, 100), 0.0);
    }

    #[test]
    fn adamw_moves_against_the_gradient() {
        let var = Var::new(&[1.0f32, -1.0], &candle_core::Device::Cpu).unwrap();
        let mut opt = AdamW::new(
            vec![("w.weight".into(), var.clone())],
            AdamWConfig {
                lr: 0.1,
                beta1: 0.9,
                beta2: 0.999,
                eps: 1e-8,
                weight_decay: 0.0,
            },
        )
        .unwrap();
        let loss = var.as_tensor().sqr().unwrap().sum_all().unwrap();
        let grads = loss.backward().unwrap();
        opt.step(&grads, 0.1, 1.0).unwrap();
        let v: Vec<f32> = var.as_tensor().to_vec1().unwrap();
        // First Adam step moves each weight by lr toward zero.
        assert!(
            (v[0] - 0.9).abs() < 1e-5 && (v[1] + 0.9).abs() < 1e-5,
            "{v:?}"
        );
    }
}
