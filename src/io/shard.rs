//! Splitting a dump over N independent jobs (Slurm arrays, Kubernetes jobs): shard K of N holds
//! the records whose id hashes to K, the same on every run and machine, so N jobs cover the
//! dump exactly once and each can be resumed on its own.

use std::fmt;
use std::str::FromStr;

/// Shard `index` (1-based, as GNU `split -n l/K/N` counts) of `count`.
///
/// ```
/// use newsevents::Shard;
/// let shards: Vec<Shard> = ["1/3", "2/3", "3/3"].iter().map(|s| s.parse().unwrap()).collect();
/// // Every id lands in exactly one shard, the same one on every machine.
/// assert_eq!(shards.iter().filter(|s| s.holds("article-17")).count(), 1);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    index: u64,
    count: u64,
}

impl Shard {
    /// Whether the record `id` belongs to this shard: FNV-1a (64-bit) of the id's bytes, modulo
    /// the shard count. A fixed hash, not std's seeded one, so every process agrees.
    pub fn holds(&self, id: &str) -> bool {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for b in id.bytes() {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
        hash % self.count == self.index - 1
    }

    /// Whether this is the first shard, which reports the bad records that have no id.
    pub fn is_first(&self) -> bool {
        self.index == 1
    }
}

impl FromStr for Shard {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("shard {s:?}: expected K/N with 1 <= K <= N, e.g. 2/8");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let (index, count): (u64, u64) = (
            k.trim().parse().map_err(|_| bad())?,
            n.trim().parse().map_err(|_| bad())?,
        );
        if index == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shards_of_n_cover_every_id_exactly_once() {
        for n in 1..=5u64 {
            let shards: Vec<Shard> = (1..=n)
                .map(|k| format!("{k}/{n}").parse().unwrap())
                .collect();
            let mut sizes = vec![0; n as usize];
            for i in 0..1000 {
                let id = format!("article-{i}");
                let owners: Vec<usize> = (0..shards.len())
                    .filter(|&k| shards[k].holds(&id))
                    .collect();
                assert_eq!(owners.len(), 1, "{id} in {owners:?} of {n}");
                sizes[owners[0]] += 1;
            }
            // The hash spreads ids evenly enough that no shard is starved.
            assert!(
                sizes.iter().all(|&s| s > 1000 / n as usize / 2),
                "{sizes:?}"
            );
        }
    }

    #[test]
    fn shard_specs_are_checked() {
        assert_eq!("2/3".parse::<Shard>().unwrap().to_string(), "2/3");
        for bad in ["0/3", "4/3", "3", "a/b", "1/0"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
        // Fixed across runs and machines: a known id's shard never moves.
        let s: Shard = "1/2".parse().unwrap();
        assert_eq!(s.holds("a1"), !"2/2".parse::<Shard>().unwrap().holds("a1"));
    }
}
