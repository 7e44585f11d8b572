//! The BERT encoder, candle-shaped, on three paths through the same weights:
//! - inference on the CPU: products on weights packed at load (`packed.rs`), attention straight
//!   from one query-key-value product (`attention.rs`);
//! - training on the CPU: each dense layer, GELU, dropout with its residual, layer norm and
//!   attention is one differentiable node with its own backward pass (`dense.rs`, `kernels.rs`,
//!   `dropout.rs`, `training_attention.rs`). candle's own fused layer norm and softmax have no
//!   backward and silently cut the gradient, and its backward gives every node a zeroed
//!   buffer and an add, so fewer nodes is most of the speed;
//! - other devices, or masks whose padding does not come last: plain tensor ops.

use super::config::ModelConfig;
use super::dropout::Dropout;
use super::packed::{Activation, Kernel, PackedLinear, Precision};
use candle_core::{DType, Module, Result, Tensor};
use candle_nn::{embedding, Embedding, VarBuilder};

/// A dense layer applied to `(batch, seq, in)` as one `(batch * seq, in)` matrix product:
/// candle's `Linear` broadcasts the weight per batch row instead, which runs many small
/// products and, in training, sums the weight's gradient back over the batch.
pub struct Linear {
    weight: Tensor,
    bias: Tensor,
    /// The weights packed for a fast inference kernel; `None` runs `products` instead.
    packed: Option<PackedLinear>,
    /// The kernel of the differentiable product, which packs the weights at every call and so
    /// follows them as they train.
    products: Kernel,
}

impl Linear {
    pub fn load(vb: VarBuilder, in_dim: usize, out_dim: usize) -> Result<Self> {
        let bound = 1.0 / (in_dim as f64).sqrt();
        Ok(Linear {
            weight: vb.get_with_hints(
                (out_dim, in_dim),
                "weight",
                candle_nn::Init::Randn {
                    mean: 0.0,
                    stdev: 0.02,
                },
            )?,
            bias: vb.get_with_hints(
                out_dim,
                "bias",
                candle_nn::Init::Uniform {
                    lo: -bound,
                    up: bound,
                },
            )?,
            packed: None,
            products: Kernel::best(Precision::F32),
        })
    }

    /// Packs the current weights for `kernel`, or drops the packing for the reference kernel.
    /// Only for inference: the packed copy does not follow later changes to the weights.
    /// With the reference kernel, the products run on `gemm`, independent of our kernels.
    pub fn pack(&mut self, kernel: Kernel) -> Result<()> {
        self.packed = PackedLinear::new(&self.weight, &self.bias, kernel)?;
        self.products = kernel;
        Ok(())
    }

    /// Runs the differentiable products (training) on `kernel`.
    pub fn train_on(&mut self, kernel: Kernel) {
        self.products = kernel;
    }

    pub fn forward(&self, xs: &Tensor) -> Result<Tensor> {
        self.forward_with(xs, Activation::Identity)
    }

    /// `activation(xs · Wᵀ + b)`, fused into the product on the packed path.
    pub fn forward_with(&self, xs: &Tensor, activation: Activation) -> Result<Tensor> {
        if let Some(packed) = &self.packed {
            if xs.device().is_cpu() && xs.dtype() == DType::F32 && !xs.track_op() {
                return packed.forward(xs, activation);
            }
        }
        let out = self.product(xs)?;
        match activation {
            Activation::Identity => Ok(out),
            Activation::Gelu => super::kernels::gelu(&out),
        }
    }

    /// `xs · Wᵀ + b + residual`, in one pass on the packed path.
    pub fn forward_residual(&self, xs: &Tensor, residual: &Tensor) -> Result<Tensor> {
        if let Some(packed) = &self.packed {
            if xs.device().is_cpu() && xs.dtype() == DType::F32 && !xs.track_op() {
                return packed.forward_residual(xs, residual);
            }
        }
        self.product(xs)? + residual
    }

    fn product(&self, xs: &Tensor) -> Result<Tensor> {
        if xs.device().is_cpu() && xs.dtype() == DType::F32 {
            return super::dense::dense(xs, &self.weight, &self.bias, self.products);
        }
        let dims = xs.dims();
        let in_dim = dims[dims.len() - 1];
        let rows = xs.elem_count() / in_dim.max(1);
        let flat = xs.reshape((rows, in_dim))?;
        let out = flat.matmul(&self.weight.t()?)?.broadcast_add(&self.bias)?;
        let mut shape = dims.to_vec();
        *shape.last_mut().expect("at least one dimension") = self.weight.dim(0)?;
        out.reshape(shape)
    }
}

fn linear(in_dim: usize, out_dim: usize, vb: VarBuilder) -> Result<Linear> {
    Linear::load(vb, in_dim, out_dim)
}

/// Layer normalisation over the last dimension.
pub struct LayerNorm {
    weight: Tensor,
    bias: Tensor,
    eps: f64,
}

impl LayerNorm {
    pub fn load(vb: VarBuilder, size: usize, eps: f64) -> Result<Self> {
        Ok(LayerNorm {
            weight: vb.get(size, "weight")?,
            bias: vb.get(size, "bias")?,
            eps,
        })
    }

    pub fn forward(&self, xs: &Tensor) -> Result<Tensor> {
        // Ours in inference too: candle's runs on its own spinning thread pool, which takes a
        // core from the product kernels' pool.
        super::kernels::layer_norm(xs, &self.weight, &self.bias, self.eps)
    }
}

/// Word, position, token-type and (optionally) case-shape embeddings.
pub struct Embeddings {
    word: Embedding,
    position: Embedding,
    token_type: Embedding,
    case: Option<Embedding>,
    norm: LayerNorm,
}

impl Embeddings {
    pub fn load(vb: VarBuilder, cfg: &ModelConfig) -> Result<Self> {
        let h = cfg.hidden_size;
        let case = if cfg.case_embedding {
            // Zero-initialised so that a fresh case embedding starts as a no-op on the base.
            let w = vb.pp("case_embeddings").get_with_hints(
                (crate::text::CaseShape::COUNT, h),
                "weight",
                candle_nn::Init::Const(0.0),
            )?;
            Some(Embedding::new(w, h))
        } else {
            None
        };
        Ok(Embeddings {
            word: embedding(cfg.vocab_size, h, vb.pp("word_embeddings"))?,
            position: embedding(cfg.max_position_embeddings, h, vb.pp("position_embeddings"))?,
            token_type: embedding(cfg.type_vocab_size, h, vb.pp("token_type_embeddings"))?,
            case,
            norm: LayerNorm::load(vb.pp("LayerNorm"), h, cfg.layer_norm_eps)?,
        })
    }

    /// `ids` and `shapes` are `(batch, seq)` u32.
    pub fn forward(&self, ids: &Tensor, shapes: &Tensor, dropout: &Dropout) -> Result<Tensor> {
        let (_, seq) = ids.dims2()?;
        let positions = Tensor::arange(0u32, seq as u32, ids.device())?.unsqueeze(0)?;
        let mut xs = self.word.forward(ids)?;
        xs = xs.broadcast_add(&self.position.forward(&positions)?)?;
        // Every input is a single segment: type 0.
        let type0 = self.token_type.embeddings().get(0)?;
        xs = xs.broadcast_add(&type0)?;
        if let Some(case) = &self.case {
            xs = (xs + case.forward(shapes)?)?;
        }
        dropout.apply(&self.norm.forward(&xs)?)
    }
}

struct SelfAttention {
    query: Linear,
    key: Linear,
    value: Linear,
    output: Linear,
    norm: LayerNorm,
    heads: usize,
    head_dim: usize,
    /// Query, key and value weights side by side, packed for one product at inference.
    fused: Option<PackedLinear>,
    /// The arithmetic of the packed kernel, which attention follows.
    precision: Precision,
}

impl SelfAttention {
    fn load(vb: VarBuilder, cfg: &ModelConfig) -> Result<Self> {
        let h = cfg.hidden_size;
        let heads = cfg.num_attention_heads;
        if heads == 0 || !h.is_multiple_of(heads) {
            candle_core::bail!("hidden_size {h} is not a multiple of num_attention_heads {heads}");
        }
        let self_vb = vb.pp("self");
        let out_vb = vb.pp("output");
        Ok(SelfAttention {
            query: linear(h, h, self_vb.pp("query"))?,
            key: linear(h, h, self_vb.pp("key"))?,
            value: linear(h, h, self_vb.pp("value"))?,
            output: linear(h, h, out_vb.pp("dense"))?,
            norm: LayerNorm::load(out_vb.pp("LayerNorm"), h, cfg.layer_norm_eps)?,
            heads,
            head_dim: h / heads,
            fused: None,
            precision: Precision::F32,
        })
    }

    fn split_heads(&self, xs: &Tensor) -> Result<Tensor> {
        let (b, s, _) = xs.dims3()?;
        xs.reshape((b, s, self.heads, self.head_dim))?
            .transpose(1, 2)?
            .contiguous()
    }

    fn forward(&self, xs: &Tensor, mask: &Mask, dropout: &Dropout) -> Result<Tensor> {
        if let (Some(fused), Some(lengths)) = (&self.fused, &mask.lengths) {
            if xs.device().is_cpu() && !xs.track_op() {
                let qkv = fused.forward(xs, Activation::Identity)?;
                let context =
                    super::attention::fused_attention(&qkv, self.heads, lengths, self.precision)?;
                return self
                    .norm
                    .forward(&self.output.forward_residual(&context, xs)?);
            }
        }
        if let Some(lengths) = &mask.lengths {
            if xs.device().is_cpu() && xs.dtype() == DType::F32 {
                // One product for queries, keys and values, then attention in one node.
                let parts = [&self.query, &self.key, &self.value];
                let weight = Tensor::cat(&parts.map(|l| &l.weight), 0)?;
                let bias = Tensor::cat(&parts.map(|l| &l.bias), 0)?;
                let qkv = super::dense::dense(xs, &weight, &bias, self.query.products)?;
                let context = super::training_attention::attention(
                    &qkv,
                    self.heads,
                    lengths,
                    dropout.mask(),
                )?;
                let out = self.output.forward(&context)?;
                return self.norm.forward(&dropout.apply_add(&out, xs)?);
            }
        }
        let mask = &mask.additive;
        let (b, s, h) = xs.dims3()?;
        let q = self.split_heads(&self.query.forward(xs)?)?;
        let k = self.split_heads(&self.key.forward(xs)?)?;
        let v = self.split_heads(&self.value.forward(xs)?)?;
        let scale = 1.0 / (self.head_dim as f64).sqrt();
        let scores = (q.matmul(&k.t()?)? * scale)?;
        let probs = dropout.apply(&super::kernels::masked_softmax(&scores, mask)?)?;
        let context = probs.matmul(&v)?.transpose(1, 2)?.reshape((b, s, h))?;
        let out = dropout.apply(&self.output.forward(&context)?)?;
        self.norm.forward(&(out + xs)?)
    }
}

impl SelfAttention {
    fn pack(&mut self, kernel: Kernel) -> Result<()> {
        let parts = [&self.query, &self.key, &self.value];
        let weight = Tensor::cat(&parts.map(|l| &l.weight), 0)?;
        let bias = Tensor::cat(&parts.map(|l| &l.bias), 0)?;
        self.fused = PackedLinear::new(&weight, &bias, kernel)?;
        self.precision = kernel.precision();
        self.output.pack(kernel)
    }
}

/// Each row's count of real tokens, when they all come before its padding (as batches are
/// built); `None` otherwise, which keeps the general masked path.
fn prefix_lengths(mask: &[Vec<u32>]) -> Option<Vec<usize>> {
    mask.iter()
        .map(|row| {
            let len = row.iter().take_while(|&&m| m != 0).count();
            row[len..].iter().all(|&m| m == 0).then_some(len)
        })
        .collect()
}

/// Which keys each query may attend to.
pub struct Mask {
    /// `(batch, 1, 1, seq)`: 0 on real tokens, a large negative number on padding.
    additive: Tensor,
    /// Real tokens per window, when they all come first (as batches are built).
    lengths: Option<Vec<usize>>,
}

struct FeedForward {
    intermediate: Linear,
    output: Linear,
    norm: LayerNorm,
}

impl FeedForward {
    fn load(vb: VarBuilder, cfg: &ModelConfig) -> Result<Self> {
        let (h, i) = (cfg.hidden_size, cfg.intermediate_size);
        Ok(FeedForward {
            intermediate: linear(h, i, vb.pp("intermediate").pp("dense"))?,
            output: linear(i, h, vb.pp("output").pp("dense"))?,
            norm: LayerNorm::load(vb.pp("output").pp("LayerNorm"), h, cfg.layer_norm_eps)?,
        })
    }

    fn forward(&self, xs: &Tensor, dropout: &Dropout) -> Result<Tensor> {
        let hidden = self.intermediate.forward_with(xs, Activation::Gelu)?;
        if dropout.is_identity() {
            return self
                .norm
                .forward(&self.output.forward_residual(&hidden, xs)?);
        }
        let out = self.output.forward(&hidden)?;
        self.norm.forward(&dropout.apply_add(&out, xs)?)
    }
}

impl FeedForward {
    fn pack(&mut self, kernel: Kernel) -> Result<()> {
        self.intermediate.pack(kernel)?;
        self.output.pack(kernel)
    }
}

struct Layer {
    attention: SelfAttention,
    feed_forward: FeedForward,
}

/// Embeddings plus the transformer layers; weight names mirror Hugging Face's `BertModel`.
pub struct Encoder {
    embeddings: Embeddings,
    layers: Vec<Layer>,
    hidden_dropout: f64,
    attention_dropout: f64,
}

impl Encoder {
    pub fn load(vb: VarBuilder, cfg: &ModelConfig) -> Result<Self> {
        if cfg.hidden_act != super::HiddenAct::Gelu {
            candle_core::bail!(
                "unsupported hidden_act {:?}: only \"gelu\" (erf) is",
                cfg.hidden_act.name()
            );
        }
        let layers = (0..cfg.num_hidden_layers)
            .map(|i| {
                let vb = vb.pp(format!("encoder.layer.{i}"));
                Ok(Layer {
                    attention: SelfAttention::load(vb.pp("attention"), cfg)?,
                    feed_forward: FeedForward::load(vb, cfg)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Encoder {
            embeddings: Embeddings::load(vb.pp("embeddings"), cfg)?,
            layers,
            hidden_dropout: cfg.hidden_dropout_prob,
            attention_dropout: cfg.attention_probs_dropout_prob,
        })
    }

    /// Packs every dense layer's weights for `kernel` (inference only).
    pub fn pack(&mut self, kernel: Kernel) -> Result<()> {
        for layer in &mut self.layers {
            layer.attention.pack(kernel)?;
            layer.feed_forward.pack(kernel)?;
        }
        Ok(())
    }

    /// Every dense layer, for `Linear::train_on`.
    pub fn linears_mut(&mut self) -> impl Iterator<Item = &mut Linear> {
        self.layers.iter_mut().flat_map(|l| {
            let a = &mut l.attention;
            let f = &mut l.feed_forward;
            [
                &mut a.query,
                &mut a.key,
                &mut a.value,
                &mut a.output,
                &mut f.intermediate,
                &mut f.output,
            ]
        })
    }

    /// Hidden states `(batch, seq, hidden)`. `mask` is `(batch, seq)` with 1 for real tokens.
    /// `train` carries the dropout random source; `None` is inference.
    pub fn forward(
        &self,
        ids: &Tensor,
        shapes: &Tensor,
        mask: &Tensor,
        train: Option<&super::dropout::DropoutRng>,
    ) -> Result<Tensor> {
        let hidden = Dropout::new(train, self.hidden_dropout);
        let attention = Dropout::new(train, self.attention_dropout);
        let (b, s) = mask.dims2()?;
        // 0 where attended, a large negative number on padding.
        let additive = ((mask.to_dtype(DType::F32)? - 1.0)? * 1e4)?.reshape((b, 1, 1, s))?;
        let lengths = prefix_lengths(&mask.to_dtype(DType::U32)?.to_vec2::<u32>()?);
        let mask = Mask { additive, lengths };
        let mut xs = self.embeddings.forward(ids, shapes, &hidden)?;
        for layer in &self.layers {
            xs = layer.attention.forward(&xs, &mask, &attention)?;
            // The same residual dropout rate applies inside the feed-forward block.
            xs = layer.feed_forward.forward(&xs, &hidden)?;
        }
        Ok(xs)
    }
}
