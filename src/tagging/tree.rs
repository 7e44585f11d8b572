//! Arc scores -> one well-formed dependency tree per sentence: Eisner's algorithm (projective,
//! exactly one word attached to the root), never a greedy head pick that can leave cycles.

/// Arc scores of a sentence of `n` words: `score(dep, head)` for words `1..=n`, head `0` the root.
pub struct ArcScores<'a> {
    /// Row-major `(n + 1) x (n + 1)`: `values[dep * (n + 1) + head]`. Row 0 is unused.
    pub values: &'a [f32],
    pub words: usize,
}

impl ArcScores<'_> {
    fn get(&self, dep: usize, head: usize) -> f32 {
        self.values[dep * (self.words + 1) + head]
    }
}

/// The highest-scoring projective tree with a single root word: `heads[i]` is the head of word
/// `i + 1` (0 = the root).
pub fn best_tree(scores: &ArcScores) -> Vec<usize> {
    let n = scores.words;
    if n == 0 {
        return Vec::new();
    }
    // Spans over words 1..=n, indexed [s][t] with s <= t; direction 0: head at t, 1: head at s.
    let size = n + 1;
    let at = |s: usize, t: usize| s * size + t;
    let mut complete = [vec![0f32; size * size], vec![0f32; size * size]];
    let mut incomplete = [
        vec![f32::NEG_INFINITY; size * size],
        vec![f32::NEG_INFINITY; size * size],
    ];
    let mut complete_split = [vec![0usize; size * size], vec![0usize; size * size]];
    let mut incomplete_split = [vec![0usize; size * size], vec![0usize; size * size]];
    for width in 1..n {
        for s in 1..=n - width {
            let t = s + width;
            let (mut best, mut arg) = (f32::NEG_INFINITY, s);
            for r in s..t {
                let v = complete[1][at(s, r)] + complete[0][at(r + 1, t)];
                if v > best {
                    (best, arg) = (v, r);
                }
            }
            incomplete[0][at(s, t)] = best + scores.get(s, t);
            incomplete[1][at(s, t)] = best + scores.get(t, s);
            incomplete_split[0][at(s, t)] = arg;
            incomplete_split[1][at(s, t)] = arg;

            let (mut best, mut arg) = (f32::NEG_INFINITY, s);
            for r in s..t {
                let v = complete[0][at(s, r)] + incomplete[0][at(r, t)];
                if v > best {
                    (best, arg) = (v, r);
                }
            }
            complete[0][at(s, t)] = best;
            complete_split[0][at(s, t)] = arg;

            let (mut best, mut arg) = (f32::NEG_INFINITY, t);
            for r in s + 1..=t {
                let v = incomplete[1][at(s, r)] + complete[1][at(r, t)];
                if v > best {
                    (best, arg) = (v, r);
                }
            }
            complete[1][at(s, t)] = best;
            complete_split[1][at(s, t)] = arg;
        }
    }
    // The root takes one word r, which heads everything to its left and right.
    let root = (1..=n)
        .map(|r| {
            let v = complete[0][at(1, r)] + complete[1][at(r, n)] + scores.get(r, 0);
            (r, v)
        })
        .fold((1, f32::NEG_INFINITY), |a, b| if b.1 > a.1 { b } else { a })
        .0;
    let mut heads = vec![0usize; n + 1];
    let tables = Tables {
        complete_split: &complete_split,
        incomplete_split: &incomplete_split,
        size,
    };
    tables.complete(1, root, 0, &mut heads);
    tables.complete(root, n, 1, &mut heads);
    heads.remove(0);
    heads
}

struct Tables<'a> {
    complete_split: &'a [Vec<usize>; 2],
    incomplete_split: &'a [Vec<usize>; 2],
    size: usize,
}

impl Tables<'_> {
    fn complete(&self, s: usize, t: usize, dir: usize, heads: &mut [usize]) {
        if s >= t {
            return;
        }
        let r = self.complete_split[dir][s * self.size + t];
        if dir == 0 {
            self.complete(s, r, 0, heads);
            self.incomplete(r, t, 0, heads);
        } else {
            self.incomplete(s, r, 1, heads);
            self.complete(r, t, 1, heads);
        }
    }

    fn incomplete(&self, s: usize, t: usize, dir: usize, heads: &mut [usize]) {
        if s >= t {
            return;
        }
        if dir == 0 {
            heads[s] = t;
        } else {
            heads[t] = s;
        }
        let r = self.incomplete_split[dir][s * self.size + t];
        self.complete(s, r, 1, heads);
        self.complete(r + 1, t, 0, heads);
    }
}

/// Whether `heads` (as `best_tree` returns them) form one tree: a single root word, no cycles.
pub fn is_tree(heads: &[usize]) -> bool {
    let n = heads.len();
    if heads.iter().filter(|&&h| h == 0).count() != 1 || heads.iter().any(|&h| h > n) {
        return false;
    }
    (1..=n).all(|start| {
        let (mut node, mut steps) = (start, 0);
        while node != 0 {
            node = heads[node - 1];
            steps += 1;
            if steps > n {
                return false;
            }
        }
        true
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Scores that favour `gold` arcs strongly and everything else by a seeded pattern.
    fn scores_for(gold: &[usize], noise: u64) -> Vec<f32> {
        let n = gold.len();
        let mut values = vec![0f32; (n + 1) * (n + 1)];
        let mut state = noise;
        for dep in 1..=n {
            for head in 0..=n {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let v = ((state >> 33) % 100) as f32 / 100.0;
                values[dep * (n + 1) + head] = if gold[dep - 1] == head { 5.0 } else { v };
            }
        }
        values
    }

    #[test]
    fn recovers_a_projective_tree_its_scores_favour() {
        // "American forces killed the preacher": amod, nsubj, root, det, obj
        let gold = [2, 3, 0, 5, 3];
        let values = scores_for(&gold, 7);
        let heads = best_tree(&ArcScores {
            values: &values,
            words: 5,
        });
        assert_eq!(heads, gold);
    }

    #[test]
    fn one_root_even_when_several_words_prefer_the_root() {
        let n = 4;
        let mut values = vec![0f32; (n + 1) * (n + 1)];
        for dep in 1..=n {
            values[dep * (n + 1)] = 10.0; // every word wants the root
        }
        let heads = best_tree(&ArcScores {
            values: &values,
            words: n,
        });
        assert!(is_tree(&heads), "{heads:?}");
    }

    #[test]
    fn random_scores_always_decode_to_trees() {
        for seed in 0..50u64 {
            let n = 1 + (seed as usize % 17);
            let gold = vec![0; n];
            let values: Vec<f32> = scores_for(&gold, seed)
                .into_iter()
                .map(|v| if v == 5.0 { 0.3 } else { v })
                .collect();
            let heads = best_tree(&ArcScores {
                values: &values,
                words: n,
            });
            assert_eq!(heads.len(), n);
            assert!(is_tree(&heads), "seed {seed}: {heads:?}");
        }
    }

    #[test]
    fn is_tree_rejects_cycles_and_extra_roots() {
        assert!(is_tree(&[2, 0]));
        assert!(!is_tree(&[0, 0]));
        assert!(!is_tree(&[2, 3, 2, 0][..3]));
        assert!(!is_tree(&[3, 0, 1]));
    }
}
