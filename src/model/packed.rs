//! Inference products `x · Wᵀ + b` on weights packed once at load, the bias and GELU fused into
//! the store. candle's CPU matmul runs AVX2 kernels only; these use AVX-512 (f32 FMA, bf16
//! dot products with f32 accumulation, or int8 dot products with i32 accumulation) when the CPU
//! has it, and candle's product otherwise.
//!
//! Weights are cut into panels of `NR` output columns, laid out so that one register load
//! gives one input step of the whole panel; a register tile holds `MR` rows of a panel.

use super::cpu::{cpu, Vendor};
use super::fastmath;
use candle_core::{CpuStorage, CustomOp1, CustomOp2, Layout, Result, Shape, Tensor};
use rayon::prelude::*;
use std::cell::RefCell;
use std::mem::MaybeUninit;
use std::str::FromStr;

/// Output columns per panel: two 16-lane registers.
const NR: usize = 32;
/// Rows per register tile: 12 rows x 2 registers = 24 accumulators of the 32 registers.
const MR: usize = 12;
/// Most rows per parallel task: each weight panel is read from cache for this many rows.
const TASK_ROWS: usize = MR * 8;

/// Arithmetic of the encoder's dense layers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Precision {
    /// f32 throughout: the reference.
    F32,
    /// Weights and activations rounded to bf16 for the products, sums in f32.
    Bf16,
    /// Dense products in int8: each weight column and each activation row scaled to 8 bits
    /// (symmetric, by its largest magnitude), sums in i32; attention as bf16 where the CPU has
    /// it. Inference only.
    Int8,
}

impl FromStr for Precision {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s {
            "f32" => Ok(Precision::F32),
            "bf16" => Ok(Precision::Bf16),
            "int8" => Ok(Precision::Int8),
            other => Err(format!("unknown precision {other:?}: f32, bf16 or int8")),
        }
    }
}

/// Which code computes the dense products.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kernel {
    /// candle's matmul on the f32 weights: every CPU, and the oracle in tests.
    Reference,
    /// f32 FMA on AVX-512F registers.
    F32Avx512,
    /// bf16 pair dot products (`vdpbf16ps`) on AVX-512 BF16, f32 accumulators.
    Bf16Avx512,
    /// u8 x i8 quadruple dot products (`vpdpbusd`) on AVX-512 VNNI, i32 accumulators.
    Int8Vnni,
}

impl Kernel {
    pub const ALL: [Kernel; 4] = [
        Kernel::Reference,
        Kernel::F32Avx512,
        Kernel::Bf16Avx512,
        Kernel::Int8Vnni,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kernel::Reference => "reference",
            Kernel::F32Avx512 => "f32-avx512",
            Kernel::Bf16Avx512 => "bf16-avx512",
            Kernel::Int8Vnni => "int8-vnni",
        }
    }

    pub fn precision(self) -> Precision {
        match self {
            Kernel::Bf16Avx512 => Precision::Bf16,
            Kernel::Int8Vnni => Precision::Int8,
            _ => Precision::F32,
        }
    }

    /// Whether this CPU can run the kernel.
    pub fn supported(self) -> bool {
        let c = cpu();
        match self {
            Kernel::Reference => true,
            Kernel::F32Avx512 => c.avx512f && c.fma,
            Kernel::Bf16Avx512 => c.avx512f && c.avx512bf16,
            Kernel::Int8Vnni => c.avx512f && c.avx512bw && c.avx512vnni,
        }
    }

    /// ```
    /// use newsevents::{cpu, Kernel};
    /// let kernel = Kernel::fastest();
    /// assert!(kernel.supported());
    /// println!("{} runs {}", cpu().brand, kernel.name());
    /// ```
    ///
    /// The fastest kernel on this CPU, from the measurements per CPU family in BENCHMARKS.md:
    /// on AMD Zen 4 int8 quads (`vpdpbusd`) run `extract` 1.4x faster than bf16 pairs
    /// (`vdpbf16ps`), themselves 1.6x faster than f32 FMA, every score within 0.003 of f32; on
    /// Intel Xeons (Sapphire Rapids) `vdpbf16ps` issues at 78 GFLOP/s a thread against f32
    /// FMA's 130, so f32 is faster there (int8 is not yet measured on them). Elsewhere: f32
    /// where the CPU has AVX-512, else the reference.
    pub fn fastest() -> Kernel {
        let c = cpu();
        match c.vendor {
            Vendor::Amd if Kernel::Int8Vnni.supported() => Kernel::Int8Vnni,
            Vendor::Amd if Kernel::Bf16Avx512.supported() => Kernel::Bf16Avx512,
            _ => Kernel::best(Precision::F32),
        }
    }

    /// The kernel that trains a model meant for this one: int8 has no gradients, so an int8
    /// model trains with bf16 products (f32 where the CPU lacks bf16).
    pub fn for_training(self) -> Kernel {
        match self {
            Kernel::Int8Vnni => Kernel::best(Precision::Bf16),
            other => other,
        }
    }

    /// The kernel for a requested precision: the fastest at it, or on this CPU family when
    /// none is requested (what `--precision` and the Python `precision=` mean).
    pub fn chosen(precision: Option<Precision>) -> Kernel {
        precision.map_or_else(Kernel::fastest, Kernel::best)
    }

    /// The fastest kernel this CPU has at `precision`; bf16 and int8 fall back to f32 where
    /// the CPU has no bf16 or VNNI instructions, since emulating them would be slower than f32.
    pub fn best(precision: Precision) -> Kernel {
        let order: &[Kernel] = match precision {
            Precision::Bf16 => &[Kernel::Bf16Avx512, Kernel::F32Avx512],
            Precision::Int8 => &[Kernel::Int8Vnni, Kernel::F32Avx512],
            Precision::F32 => &[Kernel::F32Avx512],
        };
        order
            .iter()
            .copied()
            .find(|k| k.supported())
            .unwrap_or(Kernel::Reference)
    }
}

/// What the store applies after adding the bias.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Activation {
    Identity,
    Gelu,
}

enum Panels {
    /// `[panel][k][NR]`.
    F32(Vec<f32>),
    /// `[panel][k / 2][NR][2]`: each 32-bit lane holds the bf16 weights of inputs `2j, 2j + 1`.
    Bf16(Vec<u16>),
    Int8(Int8Panels),
}

/// Weights quantised per output column: `weight ≈ q * scale`, `q` in -127..=127.
struct Int8Panels {
    /// `[panel][k / 4][NR][4]`: each 32-bit lane holds the weights of inputs `4j .. 4j + 3`
    /// (zeros past `k`).
    q: Vec<i8>,
    /// Per column, padded to whole panels.
    scale: Vec<f32>,
    /// Per column, 128 times the sum of its `q`: activations are stored as `u + 128` (u8), so
    /// the i32 sum holds this much more than the product of the signed values.
    offset: Vec<i32>,
}

/// A dense layer's weights packed for one kernel.
pub struct PackedLinear {
    in_dim: usize,
    out_dim: usize,
    panels: Panels,
    /// The bias padded to whole panels.
    bias: Vec<f32>,
}

impl PackedLinear {
    /// Packs `weight` `(out, in)` and `bias` `(out)`; `None` for the reference kernel or an
    /// unsupported one.
    pub fn new(weight: &Tensor, bias: &Tensor, kernel: Kernel) -> Result<Option<Self>> {
        if !weight.device().is_cpu() {
            return Ok(None);
        }
        let (out_dim, in_dim) = weight.dims2()?;
        let w: Vec<f32> = weight
            .to_dtype(candle_core::DType::F32)?
            .flatten_all()?
            .to_vec1()?;
        let b: Vec<f32> = bias.to_dtype(candle_core::DType::F32)?.to_vec1()?;
        Ok(Self::weights(&w, &b, out_dim, in_dim, kernel))
    }

    /// Packs `weight` (`out x in`, row-major) and `bias` as the right operand of `x · Wᵀ + b`;
    /// `None` for the reference kernel, an unsupported one, or sizes that do not match.
    pub fn weights(
        weight: &[f32],
        bias: &[f32],
        out: usize,
        input: usize,
        kernel: Kernel,
    ) -> Option<Self> {
        if weight.len() != out * input || bias.len() != out {
            return None;
        }
        // Element (k, column) of the right operand is weight[column][k].
        let panels = Self::pack(input, out, kernel, |k, col| weight[col * input + k])?;
        let mut padded = bias.to_vec();
        padded.resize(out.div_ceil(NR) * NR, 0.0);
        Some(PackedLinear {
            in_dim: input,
            out_dim: out,
            panels,
            bias: padded,
        })
    }

    /// Packs `b`, a `k x n` row-major matrix, as the right operand of `x · b` (no bias); `None`
    /// for the reference kernel or an unsupported one. For the training products, which pack
    /// a weight, a gradient or an activation per call: one pass over `b`.
    pub fn right_operand(b: &[f32], k: usize, n: usize, kernel: Kernel) -> Option<Self> {
        if b.len() != k * n {
            return None;
        }
        let panels = Self::pack(k, n, kernel, |i, j| b[i * n + j])?;
        Some(PackedLinear {
            in_dim: k,
            out_dim: n,
            panels,
            bias: vec![0.0; n.div_ceil(NR) * NR],
        })
    }

    /// Panels of the `k x n` right operand whose element `(i, j)` is `at(i, j)`, one panel per
    /// task; the last panel's missing columns are zeros.
    fn pack(
        k: usize,
        n: usize,
        kernel: Kernel,
        at: impl Fn(usize, usize) -> f32 + Sync,
    ) -> Option<Panels> {
        if kernel == Kernel::Reference || !kernel.supported() {
            return None;
        }
        let panels = n.div_ceil(NR);
        let columns = |panel: usize| (panel * NR..(panel * NR + NR).min(n)).enumerate();
        Some(match kernel {
            Kernel::F32Avx512 => {
                let mut p = vec![0f32; panels * k * NR];
                p.par_chunks_mut(k * NR)
                    .enumerate()
                    .for_each(|(panel, dst)| {
                        for (i, row) in dst.chunks_exact_mut(NR).enumerate() {
                            for (c, j) in columns(panel) {
                                row[c] = at(i, j);
                            }
                        }
                    });
                Panels::F32(p)
            }
            Kernel::Bf16Avx512 => {
                let pairs = k.div_ceil(2);
                let mut p = vec![0u16; panels * pairs * NR * 2];
                p.par_chunks_mut(pairs * NR * 2)
                    .enumerate()
                    .for_each(|(panel, dst)| {
                        for i in 0..k {
                            let row = &mut dst[(i / 2) * NR * 2..][..NR * 2];
                            for (c, j) in columns(panel) {
                                row[c * 2 + i % 2] = half::bf16::from_f32(at(i, j)).to_bits();
                            }
                        }
                    });
                Panels::Bf16(p)
            }
            Kernel::Int8Vnni => Panels::Int8(pack_int8(k, n, at)),
            Kernel::Reference => unreachable!("returned above"),
        })
    }

    /// `x · Wᵀ + b` for `x` of `rows x in` values: `rows x out` values.
    pub fn product(&self, x: &[f32]) -> Vec<f32> {
        self.run(x, None, Activation::Identity)
    }

    /// `activation(x · Wᵀ + b)` for `x` of shape `(..., in)`.
    pub fn forward(&self, xs: &Tensor, activation: Activation) -> Result<Tensor> {
        xs.contiguous()?.apply_op1_no_bwd(&Product {
            packed: self,
            activation,
        })
    }

    /// `x · Wᵀ + b + residual`, the residual of the output's shape added in the same pass.
    pub fn forward_residual(&self, xs: &Tensor, residual: &Tensor) -> Result<Tensor> {
        xs.contiguous()?.apply_op2_no_bwd(
            &residual.contiguous()?,
            &Product {
                packed: self,
                activation: Activation::Identity,
            },
        )
    }

    /// The output of `x` (`rows * in_dim`): `rows * out_dim` values, each written once.
    fn run(&self, x: &[f32], residual: Option<&[f32]>, activation: Activation) -> Vec<f32> {
        let (k, n) = (self.in_dim, self.out_dim);
        let rows = x.len() / k.max(1);
        // At least four tasks per thread where the rows allow, so that no thread idles at the
        // end of a short batch.
        let per_task = rows
            .div_ceil(4 * rayon::current_num_threads())
            .next_multiple_of(MR)
            .clamp(MR, TASK_ROWS);
        // Left uninitialised: zeroing it first would be a serial pass as long as the writes.
        let mut out: Vec<f32> = Vec::with_capacity(rows * n);
        out.spare_capacity_mut()
            .par_chunks_mut(per_task * n)
            .zip(x.par_chunks(per_task * k))
            .enumerate()
            .for_each(|(i, (out, x))| {
                let rows = x.len() / k.max(1);
                let residual = residual.map(|r| &r[i * per_task * n..][..rows * n]);
                SCRATCH.with(|scratch| {
                    let mut scratch = scratch.borrow_mut();
                    self.task(x, rows, residual, out, activation, &mut scratch)
                })
            });
        // SAFETY: the tasks' chunks cover all `rows * n` values, and `task` writes every value
        // of its chunk (every row, every column of every panel).
        unsafe { out.set_len(rows * n) };
        out
    }

    /// One task's rows: each panel, then each register tile of rows.
    fn task(
        &self,
        x: &[f32],
        rows: usize,
        residual: Option<&[f32]>,
        out: &mut [MaybeUninit<f32>],
        activation: Activation,
        scratch: &mut Scratch,
    ) {
        let (k, n) = (self.in_dim, self.out_dim);
        let tiles = rows.div_ceil(MR);
        // Rows are padded to whole tiles with zeros; bf16 also converts them.
        let a = scratch.prepare(&self.panels, x, rows, tiles * MR, k);
        for p in 0..self.bias.len() / NR {
            let cols = NR.min(n - p * NR);
            for t in 0..tiles {
                let at = t * MR * n + p * NR;
                let store = Store {
                    out: out[at..].as_mut_ptr() as *mut f32,
                    ldo: n,
                    residual: residual.map_or(std::ptr::null(), |r| r[at..].as_ptr()),
                    bias: self.bias[p * NR..].as_ptr(),
                    rows: MR.min(rows - t * MR),
                    cols,
                };
                // SAFETY: `supported()` was checked when the panels were packed for this kernel;
                // `a` holds `tiles * MR` rows of `lda` elements; `store` addresses `rows` rows
                // of `cols` values inside this task's output (and residual) rows.
                unsafe {
                    match (&self.panels, &a) {
                        (Panels::F32(w), Operand::F32(a, lda)) => f32_tile(
                            a[t * MR * lda..].as_ptr(),
                            *lda,
                            w[p * k * NR..].as_ptr(),
                            k,
                            &store,
                        ),
                        (Panels::Bf16(w), Operand::Bf16(a, lda)) => bf16_tile(
                            a[t * MR * lda..].as_ptr(),
                            *lda,
                            w[p * lda * NR * 2..].as_ptr(),
                            *lda,
                            &store,
                        ),
                        (Panels::Int8(w), Operand::Int8(a, lda, scales)) => int8_tile(
                            a[t * MR * lda..].as_ptr(),
                            *lda,
                            w.q[p * lda * NR * 4..].as_ptr(),
                            &Dequantise {
                                rows: scales[t * MR..].as_ptr(),
                                columns: w.scale[p * NR..].as_ptr(),
                                offsets: w.offset[p * NR..].as_ptr(),
                            },
                            &store,
                        ),
                        _ => unreachable!("the operand is prepared for the panels' kernel"),
                    }
                }
            }
        }
        // Over the whole task at once: per tile row, 32 values are too few for the wide loop.
        if activation == Activation::Gelu {
            // SAFETY: the tiles above wrote every value of the task's rows.
            let written =
                unsafe { &mut *(&mut out[..rows * n] as *mut [MaybeUninit<f32>] as *mut [f32]) };
            fastmath::gelu_in_place(written);
        }
    }
}

/// The left operand of one task, padded to whole tiles.
enum Operand<'a> {
    /// Rows of `lda` f32.
    F32(&'a [f32], usize),
    /// Rows of `lda` bf16 pairs.
    Bf16(&'a [u32], usize),
    /// Rows of `lda` words of four u8 (`round(x / scale) + 128`), and each row's scale.
    Int8(&'a [u32], usize, &'a [f32]),
}

#[derive(Default)]
struct Scratch {
    f32: Vec<f32>,
    bf16: Vec<u32>,
    int8: Vec<u32>,
    scales: Vec<f32>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

impl Scratch {
    fn prepare<'a>(
        &'a mut self,
        panels: &Panels,
        x: &'a [f32],
        rows: usize,
        padded: usize,
        k: usize,
    ) -> Operand<'a> {
        match panels {
            Panels::F32(_) if rows == padded => Operand::F32(x, k),
            Panels::F32(_) => {
                self.f32.clear();
                self.f32.extend_from_slice(&x[..rows * k]);
                self.f32.resize(padded * k, 0.0);
                Operand::F32(&self.f32, k)
            }
            Panels::Bf16(_) => {
                let pairs = k.div_ceil(2);
                self.bf16.clear();
                self.bf16.resize(padded * pairs, 0);
                for (src, dst) in x.chunks_exact(k).zip(self.bf16.chunks_exact_mut(pairs)) {
                    to_bf16_pairs(src, dst);
                }
                Operand::Bf16(&self.bf16, pairs)
            }
            Panels::Int8(_) => {
                let groups = k.div_ceil(4);
                self.int8.clear();
                self.int8.resize(padded * groups, 0x8080_8080);
                self.scales.clear();
                self.scales.resize(padded, 0.0);
                let quads = x
                    .chunks_exact(k)
                    .zip(self.int8.chunks_exact_mut(groups))
                    .zip(self.scales.iter_mut());
                for ((src, dst), scale) in quads {
                    *scale = to_u8_quads(src, dst);
                }
                Operand::Int8(&self.int8, groups, &self.scales)
            }
        }
    }
}

/// Packs the `k x n` right operand `at` for the int8 kernel: each column scaled by its largest
/// magnitude to -127..=127.
fn pack_int8(k: usize, n: usize, at: impl Fn(usize, usize) -> f32 + Sync) -> Int8Panels {
    let panels = n.div_ceil(NR);
    let groups = k.div_ceil(4);
    let mut scale = vec![0f32; panels * NR];
    let mut offset = vec![0i32; panels * NR];
    scale[..n]
        .par_iter_mut()
        .enumerate()
        .for_each(|(j, s)| *s = (0..k).map(|i| at(i, j).abs()).fold(0.0, f32::max) / 127.0);
    let mut q = vec![0i8; panels * groups * NR * 4];
    q.par_chunks_mut(groups * NR * 4)
        .zip(offset.par_chunks_mut(NR))
        .enumerate()
        .for_each(|(panel, (dst, offsets))| {
            for c in 0..NR.min(n - panel * NR) {
                let j = panel * NR + c;
                let inverse = if scale[j] > 0.0 { 1.0 / scale[j] } else { 0.0 };
                let mut sum = 0i32;
                for i in 0..k {
                    let v = (at(i, j) * inverse).round().clamp(-127.0, 127.0) as i8;
                    dst[(i / 4) * NR * 4 + c * 4 + i % 4] = v;
                    sum += v as i32;
                }
                offsets[c] = 128 * sum;
            }
        });
    Int8Panels { q, scale, offset }
}

/// Quantises one row to u8 quads (`round(x / scale) + 128`, four per word, the first in the
/// low byte; `dst` arrives filled with 128s) and returns the scale, the row's largest
/// magnitude over 127.
fn to_u8_quads(src: &[f32], dst: &mut [u32]) -> f32 {
    let max = src.iter().fold(0f32, |m, v| m.max(v.abs()));
    if max == 0.0 || !max.is_finite() {
        return if max.is_finite() { 0.0 } else { f32::NAN };
    }
    let scale = max / 127.0;
    let inverse = 127.0 / max;
    let whole = src.len() / 16;
    #[cfg(target_arch = "x86_64")]
    if cpu().avx512f {
        // SAFETY: the CPU has AVX-512 F; `dst` holds `src.len() / 4` words and more.
        unsafe { to_u8_quads_avx512(&src[..whole * 16], &mut dst[..whole * 4], inverse) };
    } else {
        scalar_quads(&src[..whole * 16], &mut dst[..whole * 4], inverse);
    }
    #[cfg(not(target_arch = "x86_64"))]
    scalar_quads(&src[..whole * 16], &mut dst[..whole * 4], inverse);
    scalar_quads(&src[whole * 16..], &mut dst[whole * 4..], inverse);
    scale
}

fn scalar_quads(src: &[f32], dst: &mut [u32], inverse: f32) {
    for (quad, d) in src.chunks(4).zip(dst) {
        let mut word = 0x8080_8080u32;
        for (b, v) in quad.iter().enumerate() {
            let u = ((v * inverse).round_ties_even().clamp(-127.0, 127.0) as i32 + 128) as u32;
            word = word & !(0xff << (8 * b)) | u << (8 * b);
        }
        *d = word;
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn to_u8_quads_avx512(src: &[f32], dst: &mut [u32], inverse: f32) {
    use std::arch::x86_64::*;
    let inverse = _mm512_set1_ps(inverse);
    let bias = _mm512_set1_epi32(128);
    for (s, d) in src.chunks_exact(16).zip(dst.chunks_exact_mut(4)) {
        // Round to nearest even (the default mode), as the scalar tail does; |x| <= max keeps
        // the values in -127..=127 before the offset.
        let v = _mm512_cvtps_epi32(_mm512_mul_ps(_mm512_loadu_ps(s.as_ptr()), inverse));
        let u = _mm512_add_epi32(v, bias);
        _mm_storeu_si128(d.as_mut_ptr() as *mut __m128i, _mm512_cvtusepi32_epi8(u));
    }
}

/// Rounds `src` to bf16 (nearest even), two values per 32-bit word, the first in the low half.
fn to_bf16_pairs(src: &[f32], dst: &mut [u32]) {
    let whole = src.len() / 32;
    #[cfg(target_arch = "x86_64")]
    if cpu().avx512bf16 {
        // SAFETY: the CPU has AVX-512 BF16; `dst` holds `src.len() / 2` words and more.
        unsafe { to_bf16_pairs_avx512(&src[..whole * 32], &mut dst[..whole * 16]) };
    } else {
        scalar_pairs(&src[..whole * 32], &mut dst[..whole * 16]);
    }
    #[cfg(not(target_arch = "x86_64"))]
    scalar_pairs(&src[..whole * 32], &mut dst[..whole * 16]);
    scalar_pairs(&src[whole * 32..], &mut dst[whole * 16..]);
}

fn scalar_pairs(src: &[f32], dst: &mut [u32]) {
    for (pair, d) in src.chunks(2).zip(dst) {
        let lo = half::bf16::from_f32(pair[0]).to_bits() as u32;
        let hi = pair
            .get(1)
            .map_or(0, |v| half::bf16::from_f32(*v).to_bits() as u32);
        *d = lo | hi << 16;
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bf16")]
unsafe fn to_bf16_pairs_avx512(src: &[f32], dst: &mut [u32]) {
    use std::arch::x86_64::*;
    for (s, d) in src.chunks_exact(32).zip(dst.chunks_exact_mut(16)) {
        let lo = _mm512_loadu_ps(s.as_ptr());
        let hi = _mm512_loadu_ps(s.as_ptr().add(16));
        let v = _mm512_cvtne2ps_pbh(hi, lo);
        _mm512_storeu_si512(
            d.as_mut_ptr() as *mut _,
            std::mem::transmute::<__m512bh, __m512i>(v),
        )
    }
}

/// Where a register tile goes: `rows` rows of `cols` values at `out` (row stride `ldo`), each
/// the product plus the bias plus, unless null, the residual at the same place.
struct Store {
    out: *mut f32,
    ldo: usize,
    residual: *const f32,
    bias: *const f32,
    rows: usize,
    cols: usize,
}

#[cfg(not(target_arch = "x86_64"))]
unsafe fn f32_tile(_: *const f32, _: usize, _: *const f32, _: usize, _: &Store) {
    unreachable!("no AVX-512 kernels off x86_64")
}

#[cfg(not(target_arch = "x86_64"))]
unsafe fn bf16_tile(_: *const u32, _: usize, _: *const u16, _: usize, _: &Store) {
    unreachable!("no AVX-512 kernels off x86_64")
}

#[cfg(target_arch = "x86_64")]
use std::arch::x86_64::__m512;

/// The bias of a panel in the accumulators' first state.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn bias_tile(bias: *const f32) -> [[__m512; 2]; MR] {
    use std::arch::x86_64::*;
    [[_mm512_loadu_ps(bias), _mm512_loadu_ps(bias.add(16))]; MR]
}

/// Writes the tile's rows and columns, adding the residual where there is one.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn store_tile(c: &[[__m512; 2]; MR], s: &Store) {
    use std::arch::x86_64::*;
    let mask = |half: usize| -> __mmask16 {
        let cols = s.cols.saturating_sub(16 * half).min(16);
        ((1u32 << cols) - 1) as __mmask16
    };
    let masks = [mask(0), mask(1)];
    for (r, c) in c.iter().enumerate().take(s.rows) {
        for (h, v) in c.iter().enumerate() {
            let at = r * s.ldo + 16 * h;
            let v = if s.residual.is_null() {
                *v
            } else {
                _mm512_add_ps(*v, _mm512_maskz_loadu_ps(masks[h], s.residual.add(at)))
            };
            _mm512_mask_storeu_ps(s.out.add(at), masks[h], v);
        }
    }
}

/// `MR x NR` of `A · panel` in f32: `a` has `MR` rows of stride `lda`, the panel `k` steps of `NR`.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,fma")]
unsafe fn f32_tile(a: *const f32, lda: usize, w: *const f32, k: usize, store: &Store) {
    use std::arch::x86_64::*;
    let mut c = bias_tile(store.bias);
    for s in 0..k {
        let w0 = _mm512_loadu_ps(w.add(s * NR));
        let w1 = _mm512_loadu_ps(w.add(s * NR + 16));
        for (r, c) in c.iter_mut().enumerate() {
            let av = _mm512_set1_ps(*a.add(r * lda + s));
            c[0] = _mm512_fmadd_ps(av, w0, c[0]);
            c[1] = _mm512_fmadd_ps(av, w1, c[1]);
        }
    }
    store_tile(&c, store);
}

/// `MR x NR` of `A · panel` in bf16 pairs: `a` has `MR` rows of `lda` pairs, the panel `pairs`
/// steps of `NR` pairs.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bf16")]
unsafe fn bf16_tile(a: *const u32, lda: usize, w: *const u16, pairs: usize, store: &Store) {
    use std::arch::x86_64::*;
    let mut c = bias_tile(store.bias);
    for s in 0..pairs {
        let w0: __m512bh = std::mem::transmute(_mm512_loadu_si512(w.add(s * NR * 2) as *const _));
        let w1: __m512bh =
            std::mem::transmute(_mm512_loadu_si512(w.add(s * NR * 2 + NR) as *const _));
        for (r, c) in c.iter_mut().enumerate() {
            let av: __m512bh = std::mem::transmute(_mm512_set1_epi32(*a.add(r * lda + s) as i32));
            c[0] = _mm512_dpbf16_ps(c[0], w0, av);
            c[1] = _mm512_dpbf16_ps(c[1], w1, av);
        }
    }
    store_tile(&c, store);
}

/// What turns an int8 tile's i32 sums back into values: per row and per column scales, and
/// the columns' offsets (see `Int8Panels::offset`).
struct Dequantise {
    rows: *const f32,
    columns: *const f32,
    offsets: *const i32,
}

#[cfg(not(target_arch = "x86_64"))]
unsafe fn int8_tile(_: *const u32, _: usize, _: *const i8, _: &Dequantise, _: &Store) {
    unreachable!("no AVX-512 kernels off x86_64")
}

/// `MR x NR` of `A · panel` in int8 quads: `a` has `MR` rows of `groups` words of four u8,
/// the panel `groups` steps of `NR` words of four i8; then `(sum - offset) * row scale *
/// column scale + bias`.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bw,avx512vnni")]
unsafe fn int8_tile(a: *const u32, groups: usize, w: *const i8, d: &Dequantise, store: &Store) {
    use std::arch::x86_64::*;
    let mut c = [[_mm512_setzero_si512(); 2]; MR];
    for g in 0..groups {
        let w0 = _mm512_loadu_si512(w.add(g * NR * 4) as *const _);
        let w1 = _mm512_loadu_si512(w.add(g * NR * 4 + 64) as *const _);
        for (r, c) in c.iter_mut().enumerate() {
            let av = _mm512_set1_epi32(*a.add(r * groups + g) as i32);
            c[0] = _mm512_dpbusd_epi32(c[0], av, w0);
            c[1] = _mm512_dpbusd_epi32(c[1], av, w1);
        }
    }
    let scale = [
        _mm512_loadu_ps(d.columns),
        _mm512_loadu_ps(d.columns.add(16)),
    ];
    let offset = [
        _mm512_loadu_si512(d.offsets as *const _),
        _mm512_loadu_si512(d.offsets.add(16) as *const _),
    ];
    let mut values = bias_tile(store.bias);
    for (r, (v, c)) in values.iter_mut().zip(&c).enumerate() {
        let row = _mm512_set1_ps(*d.rows.add(r));
        for h in 0..2 {
            let sum = _mm512_cvtepi32_ps(_mm512_sub_epi32(c[h], offset[h]));
            v[h] = _mm512_fmadd_ps(sum, _mm512_mul_ps(scale[h], row), v[h]);
        }
    }
    store_tile(&values, store);
}

/// The candle op around one packed product.
struct Product<'a> {
    packed: &'a PackedLinear,
    activation: Activation,
}

impl Product<'_> {
    fn input<'s>(&self, s: &'s CpuStorage, l: &Layout) -> Result<&'s [f32]> {
        let x = match l.contiguous_offsets() {
            Some((a, b)) => &s.as_slice::<f32>()?[a..b],
            None => candle_core::bail!("packed-linear: input must be contiguous"),
        };
        let dims = l.shape().dims();
        if dims.last() != Some(&self.packed.in_dim) {
            candle_core::bail!(
                "packed-linear: input {:?} does not end in {}",
                dims,
                self.packed.in_dim
            );
        }
        Ok(x)
    }

    fn output_shape(&self, l: &Layout) -> Shape {
        let mut shape = l.shape().dims().to_vec();
        *shape.last_mut().expect("checked in input") = self.packed.out_dim;
        Shape::from(shape)
    }
}

impl CustomOp1 for Product<'_> {
    fn name(&self) -> &'static str {
        "packed-linear"
    }

    fn cpu_fwd(&self, s: &CpuStorage, l: &Layout) -> Result<(CpuStorage, Shape)> {
        let out = self.packed.run(self.input(s, l)?, None, self.activation);
        Ok((CpuStorage::F32(out), self.output_shape(l)))
    }
}

/// With a residual as the second input.
impl CustomOp2 for Product<'_> {
    fn name(&self) -> &'static str {
        "packed-linear-residual"
    }

    fn cpu_fwd(
        &self,
        s1: &CpuStorage,
        l1: &Layout,
        s2: &CpuStorage,
        l2: &Layout,
    ) -> Result<(CpuStorage, Shape)> {
        let x = self.input(s1, l1)?;
        let shape = self.output_shape(l1);
        let residual = match l2.contiguous_offsets() {
            Some((a, b)) if l2.shape() == &shape => &s2.as_slice::<f32>()?[a..b],
            _ => candle_core::bail!(
                "packed-linear: residual {:?} is not a contiguous {:?}",
                l2.shape(),
                shape
            ),
        };
        let out = self.packed.run(x, Some(residual), self.activation);
        Ok((CpuStorage::F32(out), shape))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::kernels::tests::max_diff;

    /// Uniform in [-2, 2), seeded: the kernels tests' generator, doubled.
    fn rand(shape: &[usize], seed: u64) -> Tensor {
        (crate::model::kernels::tests::rand(shape, seed) * 2.0).unwrap()
    }

    /// Every supported kernel against candle's product, over shapes that leave partial tiles,
    /// partial panels and an odd input size.
    #[test]
    fn each_kernel_matches_the_reference_product() {
        for (rows, k, n) in [
            (1, 3, 1),
            (13, 7, 33),
            (100, 64, 9),
            (200, 384, 96),
            (97, 1536, 40),
        ] {
            let x = rand(&[rows, k], 1);
            let w = rand(&[n, k], 2);
            let b = rand(&[n], 3);
            let reference = x
                .matmul(&w.t().unwrap())
                .unwrap()
                .broadcast_add(&b)
                .unwrap();
            for kernel in Kernel::ALL.into_iter().filter(|k| k.supported()) {
                let Some(packed) = PackedLinear::new(&w, &b, kernel).unwrap() else {
                    continue;
                };
                let got = packed.forward(&x, Activation::Identity).unwrap();
                let tolerance = match kernel.precision() {
                    Precision::F32 => 1e-6 * k as f32,
                    // Two bf16 roundings of inputs of size ~1: relative 2^-8 each, over
                    // sqrt(k) of accumulated error.
                    Precision::Bf16 => 0.03 * (k as f32).sqrt(),
                    // Each operand rounded to 1/254 of its row's (column's) largest magnitude,
                    // here 2: errors of about 0.005 a term, over sqrt(k) terms.
                    Precision::Int8 => 0.05 * (k as f32).sqrt(),
                };
                let diff = max_diff(&got, &reference);
                assert!(
                    diff < tolerance,
                    "{} on {rows}x{k}x{n}: max difference {diff}",
                    kernel.name()
                );
            }
        }
    }

    #[test]
    fn fused_gelu_matches_candle_gelu() {
        let x = rand(&[50, 40], 4);
        let w = rand(&[70, 40], 5);
        let b = rand(&[70], 6);
        let reference = x
            .matmul(&w.t().unwrap())
            .unwrap()
            .broadcast_add(&b)
            .unwrap()
            .gelu_erf()
            .unwrap();
        if let Some(packed) = PackedLinear::new(&w, &b, Kernel::F32Avx512).unwrap() {
            let got = packed.forward(&x, Activation::Gelu).unwrap();
            let diff = max_diff(&got, &reference);
            assert!(diff < 1e-4, "max difference {diff}");
        }
    }

    #[test]
    fn fused_residual_matches_an_add() {
        let x = rand(&[30, 40], 7);
        let w = rand(&[50, 40], 8);
        let b = rand(&[50], 9);
        let residual = rand(&[30, 50], 10);
        for kernel in Kernel::ALL.into_iter().filter(|k| k.supported()) {
            if let Some(packed) = PackedLinear::new(&w, &b, kernel).unwrap() {
                let want = (packed.forward(&x, Activation::Identity).unwrap() + &residual).unwrap();
                let got = packed.forward_residual(&x, &residual).unwrap();
                let diff = max_diff(&got, &want);
                assert!(diff < 1e-5, "{}: max difference {diff}", kernel.name());
            }
        }
        let packed = PackedLinear::new(&w, &b, Kernel::best(Precision::F32)).unwrap();
        if let Some(packed) = packed {
            assert!(packed.forward_residual(&x, &rand(&[30, 49], 11)).is_err());
        }
    }

    #[test]
    fn best_kernel_is_supported_and_keeps_the_precision_it_can() {
        for precision in [Precision::F32, Precision::Bf16] {
            let k = Kernel::best(precision);
            assert!(k.supported());
            if precision == Precision::F32 {
                assert_eq!(k.precision(), Precision::F32);
            }
        }
        assert_eq!("bf16".parse::<Precision>(), Ok(Precision::Bf16));
        assert!("f16".parse::<Precision>().is_err());
    }
}
