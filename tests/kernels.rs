//! Every product kernel this CPU can run gives the reference kernel's labels: the model is
//! packed for each in turn and its label probabilities compared word by word.

mod common;

use candle_core::Device;
use common::write_small_model;
use newsevents::document::{Document, WindowOptions};
use newsevents::inference::{predict, Windows, WordProbs};
use newsevents::model::{Kernel, Precision};
use newsevents::{ModelSource, TokenClassifier};

const TEXTS: [&str; 3] = [
    "Iran said.",
    "Russia fired missiles at Syrian targets in Aleppo, officials said on Monday.",
    "\"We will not negotiate under fire,\" the minister told reporters in Kyiv, as talks with \
     Moscow stalled again and the United Nations called for a ceasefire across the region.",
];

fn probabilities(model: &TokenClassifier, windows: Windows) -> Vec<WordProbs> {
    let options = WindowOptions {
        max_tokens: 24,
        stride: 16,
    };
    let docs: Vec<Document> = TEXTS
        .iter()
        .map(|t| Document::prepare(t.to_string(), &model.tokenizer, options).unwrap())
        .collect();
    predict(model, &docs, 4, windows).unwrap()
}

/// The largest difference in probability, and the words whose best label differs although the
/// reference's best two labels are more than `margin` apart.
fn compare(
    reference: &[WordProbs],
    got: &[WordProbs],
    labels: &[usize],
    margin: f32,
) -> (f32, usize) {
    let (mut max_diff, mut flipped) = (0f32, 0);
    for (r, g) in reference.iter().zip(got) {
        for (head, &n) in labels.iter().enumerate() {
            for (rw, gw) in r.probs[head]
                .chunks_exact(n)
                .zip(g.probs[head].chunks_exact(n))
            {
                for (a, b) in rw.iter().zip(gw) {
                    max_diff = max_diff.max((a - b).abs());
                }
                let best = |w: &[f32]| (0..n).max_by(|&i, &j| w[i].total_cmp(&w[j])).unwrap();
                let mut sorted = rw.to_vec();
                sorted.sort_by(|a, b| b.total_cmp(a));
                if best(rw) != best(gw) && sorted[0] - sorted[1] > margin {
                    flipped += 1;
                }
            }
        }
    }
    (max_diff, flipped)
}

#[test]
fn every_supported_kernel_gives_the_reference_labels() {
    let dir = tempfile::tempdir().unwrap();
    write_small_model(dir.path(), 5);
    let mut model =
        TokenClassifier::load(&ModelSource::Dir(dir.path().into()), &Device::Cpu).unwrap();
    let labels: Vec<usize> = model.heads.iter().map(|h| h.labels.len()).collect();
    model.set_kernel(Kernel::Reference).unwrap();
    assert_eq!(model.kernel(), Kernel::Reference);
    for windows in [Windows::Sentences, Windows::Document] {
        model.set_kernel(Kernel::Reference).unwrap();
        let reference = probabilities(&model, windows);
        for kernel in Kernel::ALL.into_iter().filter(|k| k.supported()) {
            model.set_kernel(kernel).unwrap();
            assert_eq!(model.kernel(), kernel, "the CPU runs {}", kernel.name());
            let got = probabilities(&model, windows);
            // f32 kernels differ from candle's product by summation order only; bf16 rounds
            // every weight and activation to 8 significant bits, int8 to 1/254 of its row's or
            // column's largest magnitude.
            let (tolerance, margin) = match kernel.precision() {
                Precision::F32 => (1e-4, 0.0),
                Precision::Bf16 | Precision::Int8 => (0.05, 0.05),
            };
            let (diff, flipped) = compare(&reference, &got, &labels, margin);
            assert!(
                diff < tolerance,
                "{} {windows:?}: probabilities differ by {diff}",
                kernel.name()
            );
            assert_eq!(flipped, 0, "{} {windows:?}: labels changed", kernel.name());
        }
    }
}

#[test]
fn an_unsupported_kernel_falls_back_to_the_reference() {
    let dir = tempfile::tempdir().unwrap();
    write_small_model(dir.path(), 6);
    let mut model =
        TokenClassifier::load(&ModelSource::Dir(dir.path().into()), &Device::Cpu).unwrap();
    // Loading takes the fastest kernel of this CPU family, one the CPU has.
    assert_eq!(model.kernel(), Kernel::fastest());
    assert!(model.kernel().supported());
    for kernel in Kernel::ALL {
        model.set_kernel(kernel).unwrap();
        let expected = if kernel.supported() {
            kernel
        } else {
            Kernel::Reference
        };
        assert_eq!(model.kernel(), expected);
    }
}
