//! `x · Wᵀ + b` as one differentiable node, for training on the CPU.
//!
//! As plain ops a dense layer was four nodes (reshape, matmul, broadcast bias, reshape back),
//! and candle's backward gives every node a zeroed gradient buffer and an add; the bias
//! gradient was a single-threaded reduction. Here the forward pass starts the output at the
//! bias and runs one product; the backward pass runs two products and a parallel column sum.

use super::kernels::{add_in_order, contiguous, ROWS_PER_PARTIAL};
use super::matmul::{new_product, product, Threads, View};
use super::packed::{Kernel, PackedLinear};
use candle_core::{CpuStorage, CustomOp1, CustomOp2, CustomOp3, Layout, Result, Shape, Tensor};
use rayon::prelude::*;

/// `x · Wᵀ + b` over the last dimension of `x`, differentiable in all three. The three
/// products (forward, and the input's and weight's gradients) run on `kernel`, packing their
/// right operands per call (one pass over each); on `gemm`'s f32 kernels for
/// `Kernel::Reference` or where the CPU lacks `kernel`.
pub fn dense(xs: &Tensor, weight: &Tensor, bias: &Tensor, kernel: Kernel) -> Result<Tensor> {
    xs.contiguous()?
        .apply_op3(&weight.contiguous()?, &bias.contiguous()?, Dense { kernel })
}

#[derive(Clone, Copy)]
struct Dense {
    kernel: Kernel,
}

/// The sizes of a product of `rows x input` by `(output x input)ᵀ`.
fn sizes(x: &Layout, w: &Layout) -> Result<(usize, usize, usize)> {
    let (output, input) = w.shape().dims2()?;
    let last = *x.shape().dims().last().unwrap_or(&0);
    if last != input {
        candle_core::bail!("dense: input width {last}, weight {output}x{input}");
    }
    Ok((x.shape().elem_count() / input.max(1), input, output))
}

fn with_last(shape: &Shape, last: usize) -> Shape {
    let mut dims = shape.dims().to_vec();
    if let Some(d) = dims.last_mut() {
        *d = last;
    }
    Shape::from(dims)
}

impl CustomOp3 for Dense {
    fn name(&self) -> &'static str {
        "dense"
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
        let x = contiguous(s1, l1, "dense input")?;
        let w = contiguous(s2, l2, "dense weight")?;
        let b = contiguous(s3, l3, "dense bias")?;
        let (rows, input, output) = sizes(l1, l2)?;
        if b.len() != output {
            candle_core::bail!("dense: bias of {} for {output} outputs", b.len());
        }
        if let Some(packed) = PackedLinear::weights(w, b, output, input, self.kernel) {
            return Ok((
                CpuStorage::F32(packed.product(x)),
                with_last(l1.shape(), output),
            ));
        }
        let mut out: Vec<f32> = b.repeat(rows);
        // SAFETY: `x` is `rows x input`, `w` `output x input` (read transposed), and `out`
        // `rows x output`, all owned or borrowed for the call.
        unsafe {
            product(
                (rows, output, input),
                out.as_mut_ptr(),
                output,
                View::rows(x, input),
                View::transposed(w, input),
                1.0,
                true,
                Threads::All,
            )
        };
        Ok((CpuStorage::F32(out), with_last(l1.shape(), output)))
    }

    fn bwd(
        &self,
        x: &Tensor,
        w: &Tensor,
        _: &Tensor,
        _: &Tensor,
        grad: &Tensor,
    ) -> Result<(Option<Tensor>, Option<Tensor>, Option<Tensor>)> {
        let grad = grad.contiguous()?;
        let dx = grad.apply_op2_no_bwd(w, &InputGrad(*self))?;
        let dw = grad.apply_op2_no_bwd(x, &WeightGrad(*self))?;
        let db = grad.apply_op1_no_bwd(&ColumnSums)?;
        Ok((Some(dx), Some(dw), Some(db)))
    }
}

/// `grad · W`: the input's gradient, `rows x input`.
struct InputGrad(Dense);

impl CustomOp2 for InputGrad {
    fn name(&self) -> &'static str {
        "dense-input-grad"
    }

    fn cpu_fwd(
        &self,
        s1: &CpuStorage,
        l1: &Layout,
        s2: &CpuStorage,
        l2: &Layout,
    ) -> Result<(CpuStorage, Shape)> {
        let g = contiguous(s1, l1, "dense grad")?;
        let w = contiguous(s2, l2, "dense weight")?;
        let (output, input) = l2.shape().dims2()?;
        let rows = g.len() / output.max(1);
        if let Some(packed) = PackedLinear::right_operand(w, output, input, self.0.kernel) {
            return Ok((
                CpuStorage::F32(packed.product(g)),
                with_last(l1.shape(), input),
            ));
        }
        // SAFETY: `g` is `rows x output`, `w` `output x input`.
        let out = unsafe {
            new_product(
                (rows, input, output),
                View::rows(g, output),
                View::rows(w, input),
            )
        };
        Ok((CpuStorage::F32(out), with_last(l1.shape(), input)))
    }
}

/// `gradᵀ · x`: the weight's gradient, `output x input`, summed over every row.
struct WeightGrad(Dense);

impl CustomOp2 for WeightGrad {
    fn name(&self) -> &'static str {
        "dense-weight-grad"
    }

    fn cpu_fwd(
        &self,
        s1: &CpuStorage,
        l1: &Layout,
        s2: &CpuStorage,
        l2: &Layout,
    ) -> Result<(CpuStorage, Shape)> {
        let g = contiguous(s1, l1, "dense grad")?;
        let x = contiguous(s2, l2, "dense input")?;
        let output = *l1.shape().dims().last().unwrap_or(&0);
        let input = *l2.shape().dims().last().unwrap_or(&0);
        let rows = g.len() / output.max(1);
        if let Some(packed) = PackedLinear::right_operand(x, rows, input, self.0.kernel) {
            let gt = transpose(g, rows, output);
            return Ok((
                CpuStorage::F32(packed.product(&gt)),
                Shape::from((output, input)),
            ));
        }
        // SAFETY: `g` is `rows x output` (read transposed), `x` `rows x input`.
        let out = unsafe {
            new_product(
                (output, input, rows),
                View::transposed(g, output),
                View::rows(x, input),
            )
        };
        Ok((CpuStorage::F32(out), Shape::from((output, input))))
    }
}

/// The sum of every row: the bias's gradient.
struct ColumnSums;

impl CustomOp1 for ColumnSums {
    fn name(&self) -> &'static str {
        "column-sums"
    }

    fn cpu_fwd(&self, s: &CpuStorage, l: &Layout) -> Result<(CpuStorage, Shape)> {
        let g = contiguous(s, l, "dense grad")?;
        let width = *l.shape().dims().last().unwrap_or(&0);
        Ok((CpuStorage::F32(column_sums(g, width)), Shape::from(width)))
    }
}

/// The `cols x rows` transpose of a `rows x cols` row-major matrix. Each task writes eight
/// output rows; 8 x 8 blocks go through AVX registers (a scalar transpose of the gradients
/// took 7% of a training step), the edges element by element.
fn transpose(values: &[f32], rows: usize, cols: usize) -> Vec<f32> {
    let mut out = vec![0f32; values.len()];
    if rows == 0 || cols == 0 {
        return out;
    }
    #[cfg(target_arch = "x86_64")]
    let avx = super::cpu::cpu().avx;
    out.par_chunks_mut(8 * rows)
        .enumerate()
        .for_each(|(block, dst)| {
            let c0 = block * 8;
            let width = dst.len() / rows;
            let mut r0 = 0;
            #[cfg(target_arch = "x86_64")]
            if avx && width == 8 {
                while r0 + 8 <= rows {
                    // SAFETY: the CPU has AVX; rows r0..r0+8 and columns c0..c0+8 lie inside
                    // `values`, and output rows 0..8, columns r0..r0+8 inside `dst`.
                    unsafe {
                        transpose_8x8(
                            values.as_ptr().add(r0 * cols + c0),
                            cols,
                            dst.as_mut_ptr().add(r0),
                            rows,
                        )
                    };
                    r0 += 8;
                }
            }
            for r in r0..rows {
                for c in 0..width {
                    dst[c * rows + r] = values[r * cols + c0 + c];
                }
            }
        });
    out
}

/// Transposes the 8 x 8 block at `src` (rows `lds` apart) into `dst` (rows `ldd` apart).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx")]
unsafe fn transpose_8x8(src: *const f32, lds: usize, dst: *mut f32, ldd: usize) {
    use std::arch::x86_64::*;
    let r: [__m256; 8] = std::array::from_fn(|i| _mm256_loadu_ps(src.add(i * lds)));
    let t = [
        _mm256_unpacklo_ps(r[0], r[1]),
        _mm256_unpackhi_ps(r[0], r[1]),
        _mm256_unpacklo_ps(r[2], r[3]),
        _mm256_unpackhi_ps(r[2], r[3]),
        _mm256_unpacklo_ps(r[4], r[5]),
        _mm256_unpackhi_ps(r[4], r[5]),
        _mm256_unpacklo_ps(r[6], r[7]),
        _mm256_unpackhi_ps(r[6], r[7]),
    ];
    let u = [
        _mm256_shuffle_ps::<0x44>(t[0], t[2]),
        _mm256_shuffle_ps::<0xEE>(t[0], t[2]),
        _mm256_shuffle_ps::<0x44>(t[1], t[3]),
        _mm256_shuffle_ps::<0xEE>(t[1], t[3]),
        _mm256_shuffle_ps::<0x44>(t[4], t[6]),
        _mm256_shuffle_ps::<0xEE>(t[4], t[6]),
        _mm256_shuffle_ps::<0x44>(t[5], t[7]),
        _mm256_shuffle_ps::<0xEE>(t[5], t[7]),
    ];
    for i in 0..4 {
        _mm256_storeu_ps(
            dst.add(i * ldd),
            _mm256_permute2f128_ps::<0x20>(u[i], u[i + 4]),
        );
        _mm256_storeu_ps(
            dst.add((i + 4) * ldd),
            _mm256_permute2f128_ps::<0x31>(u[i], u[i + 4]),
        );
    }
}

/// Sums `rows x width` values down each column, in the same order on any number of threads.
pub fn column_sums(values: &[f32], width: usize) -> Vec<f32> {
    if width == 0 {
        return Vec::new();
    }
    let partials = values
        .par_chunks(ROWS_PER_PARTIAL * width)
        .map(|chunk| {
            let mut sums = vec![0f32; width];
            for row in chunk.chunks_exact(width) {
                sums.iter_mut().zip(row).for_each(|(s, v)| *s += v);
            }
            sums
        })
        .collect();
    add_in_order(partials, width)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::kernels::tests::{grads_of, max_diff, rand};
    use crate::model::packed::Precision;
    use candle_core::Var;

    #[test]
    fn dense_matches_plain_ops_forward_and_backward() {
        let x = Var::from_tensor(&rand(&[3, 50, 70], 1)).unwrap();
        let w = Var::from_tensor(&rand(&[45, 70], 2)).unwrap();
        let b = Var::from_tensor(&rand(&[45], 3)).unwrap();
        // int8 is inference only (`train_on` trains an int8 model with bf16 products).
        let training = |k: &Kernel| k.supported() && *k != Kernel::Int8Vnni;
        for kernel in Kernel::ALL.into_iter().filter(training) {
            let fused = dense(x.as_tensor(), w.as_tensor(), b.as_tensor(), kernel).unwrap();
            // bf16 rounds both operands of each product: about 3 significant digits.
            let tolerance = match kernel.precision() {
                Precision::F32 => 1e-4,
                Precision::Bf16 | Precision::Int8 => 0.1,
            };
            check(&x, &w, &b, fused, tolerance);
        }
    }

    fn check(x: &Var, w: &Var, b: &Var, fused: Tensor, tolerance: f32) {
        let up = rand(&[3, 50, 45], 4);
        let plain = x
            .as_tensor()
            .broadcast_matmul(&w.as_tensor().t().unwrap())
            .unwrap()
            .broadcast_add(b.as_tensor())
            .unwrap();
        assert_eq!(fused.dims(), &[3, 50, 45]);
        let d = max_diff(&fused, &plain);
        assert!(d < tolerance, "forward differs by {d}");
        let g1 = grads_of(fused, &up);
        let g2 = grads_of(plain, &up);
        for v in [x, w, b] {
            let d = max_diff(g1.get(v).unwrap(), g2.get(v).unwrap());
            assert!(d < tolerance, "gradient differs by {d}");
        }
    }

    #[test]
    fn transpose_moves_every_value() {
        for (rows, cols) in [(37, 70), (64, 16), (3, 5), (9, 8)] {
            let values: Vec<f32> = (0..rows * cols).map(|i| i as f32).collect();
            let t = transpose(&values, rows, cols);
            for r in 0..rows {
                for c in 0..cols {
                    assert_eq!(t[c * rows + r], values[r * cols + c]);
                }
            }
        }
    }

    #[test]
    fn column_sums_add_every_row() {
        let values: Vec<f32> = (0..300 * 3).map(|i| (i % 3) as f32 + 1.0).collect();
        assert_eq!(column_sums(&values, 3), vec![300.0, 600.0, 900.0]);
    }
}
