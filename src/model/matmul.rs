//! Strided matrix products for the training ops, on the `gemm` crate (the kernels candle's own
//! matmul runs): reading operands through strides spares the transposed and head-split copies
//! that candle's graph would make, and each of those copies' gradient buffers.

/// A matrix read in place: element `(i, j)` sits at `ptr[i * rows + j * cols]`.
#[derive(Clone, Copy)]
pub struct View {
    pub ptr: *const f32,
    pub rows: isize,
    pub cols: isize,
}

impl View {
    /// A row-major matrix whose rows start `stride` elements apart.
    pub fn rows(data: &[f32], stride: usize) -> View {
        View {
            ptr: data.as_ptr(),
            rows: stride as isize,
            cols: 1,
        }
    }

    /// The transpose of a row-major matrix whose rows start `stride` elements apart.
    pub fn transposed(data: &[f32], stride: usize) -> View {
        View {
            ptr: data.as_ptr(),
            rows: 1,
            cols: stride as isize,
        }
    }
}

/// How a product shares the CPU.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Threads {
    /// On the calling thread: the caller already runs many products in parallel.
    One,
    /// Over rayon's pool.
    All,
}

/// `dst = scale * a · b` (or `dst += scale * a · b` when `accumulate`), `a` being `m x k`, `b`
/// `k x n`, and `dst` `m x n` row-major with rows `dst_stride` apart.
///
/// # Safety
/// `a` and `b` must address `m x k` and `k x n` readable elements through their strides, and
/// `dst` must address `m` rows of `n` writable elements, `dst_stride` apart, that no other
/// thread touches during the call.
#[allow(clippy::too_many_arguments)]
pub unsafe fn product(
    (m, n, k): (usize, usize, usize),
    dst: *mut f32,
    dst_stride: usize,
    a: View,
    b: View,
    scale: f32,
    accumulate: bool,
    threads: Threads,
) {
    if m == 0 || n == 0 {
        return;
    }
    if k == 0 {
        if !accumulate {
            for i in 0..m {
                std::slice::from_raw_parts_mut(dst.add(i * dst_stride), n).fill(0.0);
            }
        }
        return;
    }
    let parallelism = match threads {
        Threads::One => gemm::Parallelism::None,
        Threads::All => gemm::Parallelism::Rayon(rayon::current_num_threads()),
    };
    gemm::gemm(
        m,
        n,
        k,
        dst,
        1,
        dst_stride as isize,
        accumulate,
        a.ptr,
        a.cols,
        a.rows,
        b.ptr,
        b.cols,
        b.rows,
        1.0,
        scale,
        false,
        false,
        false,
        parallelism,
    );
}

/// `a · b` (`m x k` by `k x n`) as a new `m x n` row-major vector, over rayon's pool.
///
/// # Safety
/// As for `product`: `a` and `b` must address `m x k` and `k x n` readable elements.
pub unsafe fn new_product((m, n, k): (usize, usize, usize), a: View, b: View) -> Vec<f32> {
    let mut out: Vec<f32> = Vec::with_capacity(m * n);
    // The product writes every value of its `m x n` rows (it does not read them).
    product(
        (m, n, k),
        out.as_mut_ptr(),
        n,
        a,
        b,
        1.0,
        false,
        Threads::All,
    );
    out.set_len(m * n);
    out
}

/// A pointer that tasks writing disjoint parts of one buffer may share.
#[derive(Clone, Copy)]
pub struct Shared(pub *mut f32);

// SAFETY: every user writes through it only to parts of the buffer no other task touches.
unsafe impl Send for Shared {}
unsafe impl Sync for Shared {}

impl Shared {
    /// The pointer `offset` elements in. A method, so that closures capture the whole `Shared`
    /// (which is `Send`) rather than its raw pointer field (which is not).
    ///
    /// # Safety
    /// `offset` must lie inside the buffer.
    pub unsafe fn add(self, offset: usize) -> *mut f32 {
        self.0.add(offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(m: usize, n: usize, k: usize, a: &[f32], b: &[f32]) -> Vec<f32> {
        let mut out = vec![0f32; m * n];
        for i in 0..m {
            for j in 0..n {
                out[i * n + j] = (0..k).map(|p| a[i * k + p] * b[p * n + j]).sum();
            }
        }
        out
    }

    #[test]
    fn strided_products_match_a_naive_loop() {
        let (m, n, k) = (7, 5, 9);
        let a: Vec<f32> = (0..m * k).map(|i| (i as f32 * 0.37).sin()).collect();
        let b: Vec<f32> = (0..k * n).map(|i| (i as f32 * 0.71).cos()).collect();
        let expected = naive(m, n, k, &a, &b);
        // b read as the transpose of its transpose, stored n x k.
        let bt: Vec<f32> = (0..n * k).map(|i| b[(i % k) * n + i / k]).collect();
        let mut out = vec![1f32; m * n];
        unsafe {
            product(
                (m, n, k),
                out.as_mut_ptr(),
                n,
                View::rows(&a, k),
                View::transposed(&bt, k),
                2.0,
                false,
                Threads::All,
            )
        };
        for (o, e) in out.iter().zip(&expected) {
            assert!((o - 2.0 * e).abs() < 1e-4, "{o} vs {}", 2.0 * e);
        }
        unsafe {
            product(
                (m, n, k),
                out.as_mut_ptr(),
                n,
                View::rows(&a, k),
                View::rows(&b, n),
                1.0,
                true,
                Threads::One,
            )
        };
        for (o, e) in out.iter().zip(&expected) {
            assert!((o - 3.0 * e).abs() < 1e-4, "{o} vs {}", 3.0 * e);
        }
    }
}
