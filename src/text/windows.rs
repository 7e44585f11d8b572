//! Windows of at most `max_tokens` subwords over a document's words, overlapping so that
//! every word is read with context on both sides; nothing is ever dropped.

use std::ops::Range;

/// A run of whole words whose subwords fit in one encoder input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    pub words: Range<usize>,
}

/// The windows of one document and, for each word, the window that labels it.
#[derive(Debug, Clone)]
pub struct WindowPlan {
    pub windows: Vec<Window>,
    /// For each word, the index of the window where it sits farthest from an edge.
    pub owner: Vec<usize>,
}

impl WindowPlan {
    /// `lengths[i]` is the subword count of word `i`; `max_tokens` excludes `[CLS]`/`[SEP]`.
    /// Consecutive windows start `stride` subwords apart (at a word boundary), so the overlap is
    /// `max_tokens - stride`.
    pub fn new(lengths: &[usize], max_tokens: usize, stride: usize) -> WindowPlan {
        let max_tokens = max_tokens.max(1);
        let stride = stride.clamp(1, max_tokens);
        let mut windows = Vec::new();
        let mut start = 0;
        while start < lengths.len() {
            let mut end = start;
            let mut used = 0;
            while end < lengths.len() && (end == start || used + lengths[end] <= max_tokens) {
                used += lengths[end];
                end += 1;
            }
            windows.push(Window { words: start..end });
            if end == lengths.len() {
                break;
            }
            // Next start: the first word at least `stride` subwords in, but always progress.
            let mut next = start;
            let mut advanced = 0;
            while next < end && advanced < stride {
                advanced += lengths[next];
                next += 1;
            }
            start = next.max(start + 1);
        }
        let mut owner = vec![0; lengths.len()];
        let mut best = vec![-1i64; lengths.len()];
        for (wi, window) in windows.iter().enumerate() {
            let total: usize = lengths[window.words.clone()].iter().sum();
            let mut offset = 0;
            for word in window.words.clone() {
                let margin = offset.min(total - offset - lengths[word]) as i64;
                if margin > best[word] {
                    best[word] = margin;
                    owner[word] = wi;
                }
                offset += lengths[word];
            }
        }
        WindowPlan { windows, owner }
    }
}

impl WindowPlan {
    /// Windows that never cross a sentence: each sentence (a word range) is planned on its own,
    /// split as `new` splits a document when it is longer than `max_tokens`.
    pub fn by_sentences(
        lengths: &[usize],
        sentences: &[Range<usize>],
        max_tokens: usize,
        stride: usize,
    ) -> WindowPlan {
        let mut windows = Vec::new();
        let mut owner = vec![0; lengths.len()];
        for sentence in sentences {
            let inner = WindowPlan::new(&lengths[sentence.clone()], max_tokens, stride);
            let base = windows.len();
            for (k, o) in inner.owner.iter().enumerate() {
                owner[sentence.start + k] = base + o;
            }
            windows.extend(inner.windows.into_iter().map(|w| Window {
                words: sentence.start + w.words.start..sentence.start + w.words.end,
            }));
        }
        WindowPlan { windows, owner }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn covers_every_word_within_the_limit() {
        let lengths: Vec<usize> = (0..1000).map(|i| 1 + i % 3).collect();
        let plan = WindowPlan::new(&lengths, 50, 30);
        let mut seen = vec![false; lengths.len()];
        for w in &plan.windows {
            assert!(lengths[w.words.clone()].iter().sum::<usize>() <= 50);
            for i in w.words.clone() {
                seen[i] = true;
            }
        }
        assert!(seen.iter().all(|&s| s));
        assert_eq!(plan.windows.last().unwrap().words.end, 1000);
        for (word, &owner) in plan.owner.iter().enumerate() {
            assert!(plan.windows[owner].words.contains(&word));
        }
    }

    #[test]
    fn owner_is_the_window_with_most_context() {
        let lengths = vec![1; 10];
        let plan = WindowPlan::new(&lengths, 6, 3);
        // windows: 0..6, 3..9, 6..10
        assert_eq!(plan.windows.len(), 3);
        assert_eq!(plan.owner[5], 1);
        assert_eq!(plan.owner[1], 0);
        assert_eq!(plan.owner[9], 2);
    }

    #[test]
    fn sentence_windows_never_cross_a_sentence() {
        let lengths = vec![1; 12];
        let plan = WindowPlan::by_sentences(&lengths, &[0..3, 3..10, 10..12], 4, 2);
        for w in &plan.windows {
            assert!([0..3, 3..10, 10..12]
                .iter()
                .any(|s| s.start <= w.words.start && w.words.end <= s.end));
        }
        for (word, &o) in plan.owner.iter().enumerate() {
            assert!(plan.windows[o].words.contains(&word));
        }
    }

    #[test]
    fn oversized_word_gets_its_own_window() {
        let plan = WindowPlan::new(&[2, 100, 2], 10, 5);
        assert!(plan.windows.iter().any(|w| w.words == (1..2)));
        assert_eq!(plan.owner.len(), 3);
    }
}
