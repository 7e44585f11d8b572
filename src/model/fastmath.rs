//! `exp`, `erf` and GELU as branch-free polynomials that the compiler vectorises over a slice:
//! libm's scalar `expf` and `erff` took 16% of an inference profile.
//!
//! `exp` has a relative error below 2e-7 and `erf` an absolute error below 5e-7 (Abramowitz and
//! Stegun 7.1.26), close to f32 rounding; `tests` compares both with libm.

/// `e^x`, saturating to about 2^-126 below x = -87.3 and to e^88 above 88.
#[inline(always)]
pub fn exp(x: f32) -> f32 {
    const LOG2E: f32 = std::f32::consts::LOG2_E;
    // ln 2 in two parts, so that `n * LN2_HI` is exact for every n in range.
    const LN2_HI: f32 = 0.693_359_4;
    const LN2_LO: f32 = -2.121_944_4e-4;
    let x = x.clamp(-87.3, 88.0);
    let n = (x * LOG2E + 0.5).floor();
    let r = x - n * LN2_HI - n * LN2_LO;
    // Taylor series of e^r on |r| <= ln2 / 2, Horner form.
    let mut p = 1.0 / 720.0;
    p = p * r + 1.0 / 120.0;
    p = p * r + 1.0 / 24.0;
    p = p * r + 1.0 / 6.0;
    p = p * r + 0.5;
    p = p * r + 1.0;
    p = p * r + 1.0;
    // 2^n without a float-to-int conversion, which would not vectorise: n + 127 lands in the
    // low mantissa bits of `biased`, and the shift moves it into the exponent field.
    let biased = n + (127.0 + 8_388_608.0);
    p * f32::from_bits(biased.to_bits() << 23)
}

/// The error function.
#[inline(always)]
pub fn erf(x: f32) -> f32 {
    const P: f32 = 0.327_591_1;
    const A: [f32; 5] = [
        0.254_829_6,
        -0.284_496_74,
        1.421_413_8,
        -1.453_152,
        1.061_405_4,
    ];
    let ax = x.abs();
    let t = 1.0 / (1.0 + P * ax);
    let mut poly = A[4];
    poly = poly * t + A[3];
    poly = poly * t + A[2];
    poly = poly * t + A[1];
    poly = poly * t + A[0];
    let y = 1.0 - poly * t * exp(-ax * ax);
    y.copysign(x)
}

/// GELU as BERT defines it, `x/2 * (1 + erf(x / sqrt 2))`.
#[inline(always)]
pub fn gelu(x: f32) -> f32 {
    0.5 * x * (1.0 + erf(x * std::f32::consts::FRAC_1_SQRT_2))
}

/// Folds `xs` with `step` in 16 lanes, then merges the lanes: a shape the compiler
/// vectorises, where a single running value would stay scalar to keep the order of float
/// operations.
#[inline(always)]
pub fn fold_lanes(
    xs: &[f32],
    init: f32,
    step: impl Fn(f32, f32) -> f32,
    merge: impl Fn(f32, f32) -> f32,
) -> f32 {
    let mut acc = [init; 16];
    let mut chunks = xs.chunks_exact(16);
    for chunk in &mut chunks {
        for (a, x) in acc.iter_mut().zip(chunk) {
            *a = step(*a, *x);
        }
    }
    let tail = chunks.remainder().iter().fold(init, |a, x| step(a, *x));
    acc.into_iter().fold(tail, merge)
}

/// The sum of `xs`, in 16 lanes.
#[inline(always)]
pub fn sum(xs: &[f32]) -> f32 {
    fold_lanes(xs, 0.0, |a, b| a + b, |a, b| a + b)
}

/// Whether this CPU runs the AVX-512 builds of the slice functions.
fn has_avx512() -> bool {
    super::cpu::cpu().avx512f
}

macro_rules! vectorised {
    ($(#[$doc:meta])* $name:ident, $wide:ident, |$v:ident| $body:expr) => {
        $(#[$doc])*
        pub fn $name(xs: &mut [f32]) {
            #[cfg(target_arch = "x86_64")]
            if has_avx512() {
                // SAFETY: the CPU has AVX-512F, checked just above.
                unsafe { $wide(xs) };
                return;
            }
            xs.iter_mut().for_each(|$v| *$v = $body);
        }

        #[cfg(target_arch = "x86_64")]
        #[target_feature(enable = "avx512f,avx512vl,fma")]
        unsafe fn $wide(xs: &mut [f32]) {
            xs.iter_mut().for_each(|$v| *$v = $body);
        }
    };
}

vectorised!(
    /// GELU of every element, in place.
    gelu_in_place,
    gelu_avx512,
    |x| gelu(*x)
);

vectorised!(
    /// `e^x` of every element, in place.
    exp_in_place,
    exp_avx512,
    |x| exp(*x)
);

/// The derivative of GELU, `Φ(x) + x φ(x)`.
#[inline(always)]
pub fn gelu_derivative(x: f32) -> f32 {
    const INV_SQRT_2PI: f32 = 0.398_942_3;
    0.5 * (1.0 + erf(x * std::f32::consts::FRAC_1_SQRT_2)) + x * INV_SQRT_2PI * exp(-0.5 * x * x)
}

/// `grads[i] *= gelu'(xs[i])`: GELU's backward pass.
pub fn gelu_grad_in_place(grads: &mut [f32], xs: &[f32]) {
    #[cfg(target_arch = "x86_64")]
    if has_avx512() {
        // SAFETY: the CPU has AVX-512F, checked just above.
        unsafe { gelu_grad_avx512(grads, xs) };
        return;
    }
    grads
        .iter_mut()
        .zip(xs)
        .for_each(|(g, x)| *g *= gelu_derivative(*x));
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512vl,fma")]
unsafe fn gelu_grad_avx512(grads: &mut [f32], xs: &[f32]) {
    grads
        .iter_mut()
        .zip(xs)
        .for_each(|(g, x)| *g *= gelu_derivative(*x));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid() -> impl Iterator<Item = f32> {
        (-20_000..=20_000).map(|i| i as f32 * 1e-3)
    }

    #[test]
    fn exp_matches_libm_to_a_few_ulp() {
        for x in grid().chain([-80.0, -60.0, 40.0, 80.0, 88.0]) {
            let (ours, libm) = (exp(x), x.exp());
            assert!(
                ((ours - libm) / libm).abs() < 3e-7,
                "exp({x}) = {ours}, libm {libm}"
            );
        }
        assert!(exp(-1e4) < 1e-37 && exp(-1e4) >= 0.0);
        assert!(exp(88.0) > 1e38 && exp(1e4) == exp(88.0));
        assert!(exp(1e4).is_finite());
    }

    #[test]
    fn erf_and_gelu_match_libm() {
        for x in grid() {
            let libm = erf_reference(x as f64);
            assert!(
                (erf(x) as f64 - libm).abs() < 5e-7,
                "erf({x}) = {}, reference {libm}",
                erf(x)
            );
            let g = 0.5 * x as f64 * (1.0 + erf_reference(x as f64 / 2f64.sqrt()));
            assert!((gelu(x) as f64 - g).abs() < 1e-6 * (1.0 + g.abs()));
        }
    }

    #[test]
    fn lane_folds_match_plain_folds() {
        let xs: Vec<f32> = (0..37).map(|i| (i as f32 * 0.7).sin()).collect();
        for n in [0, 5, 16, 37] {
            let xs = &xs[..n];
            let plain: f32 = xs.iter().sum();
            assert!((sum(xs) - plain).abs() < 1e-5);
            let max = fold_lanes(xs, f32::NEG_INFINITY, f32::max, f32::max);
            assert_eq!(max, xs.iter().copied().fold(f32::NEG_INFINITY, f32::max));
            let squares = fold_lanes(xs, 0.0, |a, v| a + v * v, |a, b| a + b);
            assert!((squares - xs.iter().map(|v| v * v).sum::<f32>()).abs() < 1e-5);
        }
    }

    #[test]
    fn slice_versions_agree_with_the_scalar_ones() {
        let xs: Vec<f32> = grid().step_by(37).collect();
        let mut g = xs.clone();
        gelu_in_place(&mut g);
        let mut e = xs.clone();
        exp_in_place(&mut e);
        for ((x, g), e) in xs.iter().zip(&g).zip(&e) {
            assert_eq!(*g, gelu(*x));
            assert_eq!(*e, exp(*x));
        }
    }

    #[test]
    fn gelu_derivative_matches_a_central_difference() {
        let gelu64 = |x: f64| 0.5 * x * (1.0 + erf_reference(x / std::f64::consts::SQRT_2));
        for x in grid().step_by(11) {
            let h = 1e-4;
            let x64 = x as f64;
            let numeric = (gelu64(x64 + h) - gelu64(x64 - h)) / (2.0 * h);
            let d = gelu_derivative(x) as f64;
            assert!((d - numeric).abs() < 2e-6, "x {x}: {d} vs {numeric}");
        }
        let xs: Vec<f32> = grid().step_by(13).collect();
        let mut g = vec![2.0f32; xs.len()];
        gelu_grad_in_place(&mut g, &xs);
        for (g, x) in g.iter().zip(&xs) {
            assert_eq!(*g, 2.0 * gelu_derivative(*x));
        }
    }

    /// erf in f64 by its Taylor series (|x| < 3) or the continued fraction of erfc.
    fn erf_reference(x: f64) -> f64 {
        let a = x.abs();
        let v = if a < 3.0 {
            let (mut term, mut sum, mut n) = (a, a, 0.0);
            while term.abs() > 1e-17 {
                n += 1.0;
                term *= -a * a / n;
                sum += term / (2.0 * n + 1.0);
            }
            sum * 2.0 / std::f64::consts::PI.sqrt()
        } else {
            let mut f = 0.0;
            for k in (1..60).rev() {
                f = (k as f64 / 2.0) / (a + f);
            }
            1.0 - (-a * a).exp() / std::f64::consts::PI.sqrt() / (a + f)
        };
        v.copysign(x)
    }
}
