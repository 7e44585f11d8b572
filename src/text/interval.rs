//! Half-open intervals of positions, code points (`Span`) or word indices (`Range<usize>`,
//! `WordRange`): one definition of what overlapping means for all of them.

use std::ops::Range;

use crate::linking::lexicon::WordRange;
use crate::record::Span;

/// A half-open interval `start..end` of positions.
pub trait Interval {
    /// `(start, end)`, end exclusive.
    fn bounds(&self) -> (usize, usize);

    /// Whether the two share a position.
    fn overlaps<I: Interval + ?Sized>(&self, other: &I) -> bool {
        self.overlap(other) > 0
    }

    /// How many positions the two share.
    fn overlap<I: Interval + ?Sized>(&self, other: &I) -> usize {
        let ((a, b), (c, d)) = (self.bounds(), other.bounds());
        b.min(d).saturating_sub(a.max(c))
    }
}

impl<T: Interval + ?Sized> Interval for &T {
    fn bounds(&self) -> (usize, usize) {
        (**self).bounds()
    }
}

impl Interval for Range<usize> {
    fn bounds(&self) -> (usize, usize) {
        (self.start, self.end)
    }
}

impl Interval for Span {
    fn bounds(&self) -> (usize, usize) {
        (self.start, self.end)
    }
}

impl Interval for WordRange {
    fn bounds(&self) -> (usize, usize) {
        (self.start, self.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn touching_intervals_do_not_overlap_and_shared_positions_are_counted() {
        assert!(!(0..3).overlaps(&(3..5)));
        assert!((0..4).overlaps(&(3..5)));
        assert_eq!(Span::new(2, 10).overlap(&Span::new(5, 20)), 5);
        assert!(
            !(2..2).overlaps(&(0..5)),
            "an empty interval overlaps nothing"
        );
        assert!(WordRange::new(1, 2).overlaps(&(0..5)));
    }
}
