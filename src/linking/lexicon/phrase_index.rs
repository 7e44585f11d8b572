//! A word trie for longest-match phrase lookup, and the phrase dictionary over it that the
//! actor, agent and noun dictionaries are.

use std::collections::HashMap;

use super::words::{final_variants, input_pieces, Piece, WordRange};

#[derive(Debug, Clone, Default)]
struct Node {
    children: HashMap<Box<str>, u32>,
    value: Option<u32>,
}

/// Maps phrases (sequences of upper-case pieces) to values; a later insert of
/// the same phrase replaces the earlier value, as in PETRARCH.
#[derive(Debug, Clone)]
pub(crate) struct PhraseIndex {
    nodes: Vec<Node>,
}

impl Default for PhraseIndex {
    fn default() -> Self {
        Self {
            nodes: vec![Node::default()],
        }
    }
}

/// A phrase found in the input: pieces `start..end` carry `value`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Hit {
    pub start: usize,
    pub end: usize,
    pub value: u32,
}

impl PhraseIndex {
    pub(crate) fn insert(&mut self, pieces: &[String], value: u32) {
        if pieces.is_empty() {
            return;
        }
        let mut node = 0usize;
        for piece in pieces {
            let existing = self
                .nodes
                .get(node)
                .and_then(|n| n.children.get(piece.as_str()).copied());
            node = match existing {
                Some(child) => child as usize,
                None => {
                    let child = self.nodes.len();
                    self.nodes.push(Node::default());
                    if let Some(parent) = self.nodes.get_mut(node) {
                        parent.children.insert(piece.as_str().into(), child as u32);
                    }
                    child
                }
            };
        }
        if let Some(last) = self.nodes.get_mut(node) {
            last.value = Some(value);
        }
    }

    fn child(&self, node: usize, piece: &str) -> Option<usize> {
        self.nodes
            .get(node)?
            .children
            .get(piece)
            .map(|&c| c as usize)
    }

    fn value(&self, node: usize) -> Option<u32> {
        self.nodes.get(node)?.value
    }

    /// Every phrase and its value, for merging one index into another.
    pub(crate) fn phrases(&self) -> Vec<(Vec<String>, u32)> {
        let mut found = Vec::new();
        let mut stack: Vec<(usize, Vec<String>)> = vec![(0, Vec::new())];
        while let Some((node, path)) = stack.pop() {
            if let Some(value) = self.value(node) {
                found.push((path.clone(), value));
            }
            if let Some(n) = self.nodes.get(node) {
                for (piece, &child) in &n.children {
                    let mut next = path.clone();
                    next.push(piece.to_string());
                    stack.push((child as usize, next));
                }
            }
        }
        found
    }

    /// All phrases starting at piece `start`, shortest first. The last piece of a
    /// phrase may be a possessive, plural or full-stopped spelling of the entry.
    pub(crate) fn hits_from(&self, pieces: &[Piece], start: usize) -> Vec<Hit> {
        let mut hits = Vec::new();
        let mut node = 0usize;
        for (offset, piece) in pieces.iter().skip(start).enumerate() {
            let end = start + offset + 1;
            for variant in final_variants(&piece.text) {
                if let Some(value) = self.child(node, &variant).and_then(|c| self.value(c)) {
                    hits.push(Hit { start, end, value });
                    break;
                }
            }
            match self.child(node, &piece.text) {
                Some(next) => node = next,
                None => break,
            }
        }
        hits
    }

    /// Whether the index holds no phrase.
    pub(crate) fn is_empty(&self) -> bool {
        self.nodes.len() <= 1
    }
}

/// Entries found by their phrases (each entry may have several spellings): the storage,
/// merging and longest-match search the actor, agent and noun dictionaries share.
#[derive(Debug, Clone)]
pub(crate) struct PhraseDictionary<E> {
    entries: Vec<E>,
    index: PhraseIndex,
}

impl<E> Default for PhraseDictionary<E> {
    fn default() -> Self {
        Self {
            entries: Vec::new(),
            index: PhraseIndex::default(),
        }
    }
}

/// A phrase found in looked-up words: its words and what the dictionary made of its entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Found<M> {
    pub range: WordRange,
    /// Its length in pieces, which decides between overlapping phrases.
    pub pieces: usize,
    pub value: M,
}

impl<E> PhraseDictionary<E> {
    /// Adds an entry, findable by no phrase yet; its id for `spell`.
    pub(crate) fn push(&mut self, entry: E) -> u32 {
        self.entries.push(entry);
        (self.entries.len() - 1) as u32
    }

    /// Makes entry `id` findable by `pieces`; a phrase spelled before now leads here.
    pub(crate) fn spell(&mut self, pieces: &[String], id: u32) {
        self.index.insert(pieces, id);
    }

    pub(crate) fn entry_mut(&mut self, id: u32) -> Option<&mut E> {
        self.entries.get_mut(id as usize)
    }

    /// Adds `other`'s entries; where both spell the same phrase, `other` wins.
    pub(crate) fn extend(&mut self, other: PhraseDictionary<E>) {
        let offset = self.entries.len() as u32;
        for (phrase, value) in other.index.phrases() {
            self.index.insert(&phrase, value + offset);
        }
        self.entries.extend(other.entries);
    }

    /// The entries in the order they were added.
    pub(crate) fn entries(&self) -> &[E] {
        &self.entries
    }

    /// Whether no phrase leads to an entry.
    pub(crate) fn is_empty(&self) -> bool {
        self.entries.is_empty() || self.index.is_empty()
    }

    /// The longest phrase in `words`, anywhere (see `at`).
    pub(crate) fn longest<'s, M>(
        &'s self,
        words: &[&str],
        usable: impl Fn(&[Piece], &Hit) -> bool,
        make: impl Fn(&'s E) -> Option<M>,
    ) -> Option<Found<M>> {
        let pieces = input_pieces(words);
        let mut best: Option<Found<M>> = None;
        for start in 0..pieces.len() {
            if let Some(found) = self.at(&pieces, start, &usable, &make) {
                if best.as_ref().is_none_or(|b| found.pieces > b.pieces) {
                    best = Some(found);
                }
            }
        }
        best
    }

    /// The phrases of `words` from left to right, the longest at each point, not overlapping.
    pub(crate) fn scan<'s, M>(
        &'s self,
        words: &[&str],
        usable: impl Fn(&[Piece], &Hit) -> bool,
        make: impl Fn(&'s E) -> Option<M>,
    ) -> Vec<Found<M>> {
        let pieces = input_pieces(words);
        let mut found = Vec::new();
        let mut start = 0;
        while start < pieces.len() {
            match self.at(&pieces, start, &usable, &make) {
                Some(f) => {
                    start += f.pieces;
                    found.push(f);
                }
                None => start += 1,
            }
        }
        found
    }

    /// The longest `usable` phrase starting at word-start piece `start`, made into a match. An
    /// entry that makes nothing hides the shorter phrases there: PETRARCH uses null-coded
    /// entries to say "this phrase is not an actor".
    fn at<'s, M>(
        &'s self,
        pieces: &[Piece],
        start: usize,
        usable: &impl Fn(&[Piece], &Hit) -> bool,
        make: &impl Fn(&'s E) -> Option<M>,
    ) -> Option<Found<M>> {
        let first = pieces.get(start)?;
        if !first.word_start {
            return None;
        }
        let hits = self.index.hits_from(pieces, start);
        let hit = hits.iter().rev().find(|hit| usable(pieces, hit))?;
        let value = make(self.entries.get(hit.value as usize)?)?;
        let last = pieces.get(hit.end.checked_sub(1)?)?;
        Some(Found {
            range: WordRange::new(first.word, last.word + 1),
            pieces: hit.end - hit.start,
            value,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::linking::lexicon::words::{input_pieces, phrase_pieces};

    #[test]
    fn finds_all_phrases_from_a_start() {
        let mut index = PhraseIndex::default();
        index.insert(&phrase_pieces("RUSSIAN"), 1);
        index.insert(&phrase_pieces("RUSSIAN_FEDERATION"), 2);
        index.insert(&phrase_pieces("RUSSIAN"), 3);
        let pieces = input_pieces(&["Russian", "Federation's", "army"]);
        let hits = index.hits_from(&pieces, 0);
        let values: Vec<(usize, u32)> = hits.iter().map(|h| (h.end, h.value)).collect();
        assert_eq!(values, vec![(1, 3), (2, 2)]);
        assert!(index.hits_from(&pieces, 2).is_empty());
        let mut phrases = index.phrases();
        phrases.sort();
        assert_eq!(phrases.len(), 2);
    }
}
