//! The model's dependency parse of a document as the linker walks it: each word's head,
//! relation, part of speech, lemma and children, by document word index.

use crate::parsing::WordSyntax;

/// The parse of every word of a document, with each word's children.
pub(crate) struct DependencyTree<'a> {
    words: &'a [WordSyntax],
    children: Vec<Vec<usize>>,
}

impl<'a> DependencyTree<'a> {
    pub(crate) fn new(words: &'a [WordSyntax]) -> DependencyTree<'a> {
        let mut children = vec![Vec::new(); words.len()];
        for (w, word) in words.iter().enumerate() {
            if let Some(slot) = word.head.and_then(|h| children.get_mut(h)) {
                slot.push(w);
            }
        }
        DependencyTree { words, children }
    }

    pub(crate) fn upos(&self, w: usize) -> &str {
        &self.words[w].upos
    }

    pub(crate) fn lemma(&self, w: usize) -> &str {
        &self.words[w].lemma
    }

    pub(crate) fn head(&self, w: usize) -> Option<usize> {
        self.words[w].head
    }

    /// The children of `w` whose relation, without its subtype, is `relation`.
    pub(crate) fn dependents<'t>(
        &'t self,
        w: usize,
        relation: &'t str,
    ) -> impl Iterator<Item = usize> + 't {
        self.children[w]
            .iter()
            .copied()
            .filter(move |&c| self.base_relation(c) == relation)
    }

    /// The lemma of the preposition marking `w` ("to" in "to Denmark"), lower case.
    pub(crate) fn case_marker(&self, w: usize) -> Option<String> {
        self.dependents(w, "case")
            .next()
            .map(|c| self.lemma(c).to_lowercase())
    }

    /// The first conjunct of the coordination `w` is in (`w` itself when it is in none).
    pub(crate) fn first_conjunct(&self, w: usize) -> usize {
        let mut top = w;
        while self.base_relation(top) == "conj" {
            match self.head(top) {
                Some(h) if h != top => top = h,
                _ => break,
            }
        }
        top
    }

    /// `w` and the words coordinated with it ("Gondor and Osgiliath"), in text order.
    pub(crate) fn with_conjuncts(&self, w: usize) -> Vec<usize> {
        let mut out = vec![w];
        let mut i = 0;
        while i < out.len() {
            out.extend(self.dependents(out[i], "conj"));
            i += 1;
        }
        out.sort_unstable();
        out
    }

    /// The relation to the head, with its subtype ("nsubj:pass").
    pub(crate) fn relation(&self, w: usize) -> &str {
        &self.words[w].deprel
    }

    /// The relation without its subtype ("nsubj" for "nsubj:pass").
    pub(crate) fn base_relation(&self, w: usize) -> &str {
        let r = self.relation(w);
        r.split(':').next().unwrap_or(r)
    }

    /// The words of the noun phrase headed by `w` that name it: the head with its compounds,
    /// flat names, adjectives, numbers and possessor, without determiners, clauses,
    /// appositions, prepositional modifiers or conjuncts. A contiguous range.
    pub(crate) fn name_words(&self, w: usize) -> std::ops::Range<usize> {
        let mut kept = vec![w];
        let mut i = 0;
        while i < kept.len() {
            let x = kept[i];
            for &c in &self.children[x] {
                let keep = matches!(
                    self.relation(c),
                    "compound"
                        | "flat"
                        | "flat:name"
                        | "amod"
                        | "nummod"
                        | "nmod:poss"
                        | "nmod:desc"
                        | "fixed"
                        | "goeswith"
                ) || (x != w && self.relation(c) == "case");
                if keep {
                    kept.push(c);
                }
            }
            i += 1;
        }
        // Only the run of kept words around the head: a modifier across a gap is not part of it.
        let (mut start, mut end) = (w, w + 1);
        while start > 0 && kept.contains(&(start - 1)) {
            start -= 1;
        }
        while kept.contains(&end) {
            end += 1;
        }
        start..end
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Words from CoNLL-U-like rows "form upos lemma head deprel" (head 1-based, 0 the root).
    pub(crate) fn words(rows: &str) -> Vec<WordSyntax> {
        rows.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|l| {
                let f: Vec<&str> = l.split_whitespace().collect();
                let head: usize = f[3].parse().expect("head index");
                WordSyntax {
                    upos: f[1].to_string(),
                    lemma: f[2].to_string(),
                    head: head.checked_sub(1),
                    deprel: f[4].to_string(),
                }
            })
            .collect()
    }

    #[test]
    fn names_come_off_the_tree() {
        // "Chilean President Ana Ruiz and Peru 's leader met in Lima"
        let w = words(
            "Chilean ADJ Chilean 2 amod
             President PROPN President 4 compound
             Ana PROPN Ana 4 compound
             Ruiz PROPN Ruiz 9 nsubj
             and CCONJ and 8 cc
             Peru PROPN Peru 8 nmod:poss
             's PART 's 6 case
             leader NOUN leader 4 conj
             met VERB meet 0 root
             in ADP in 11 case
             Lima PROPN Lima 9 obl",
        );
        let tree = DependencyTree::new(&w);
        assert_eq!(tree.name_words(3), 0..4);
        assert_eq!(tree.name_words(7), 5..8);
        assert_eq!(tree.base_relation(6), "case");
        assert_eq!(tree.head(3), Some(8));
    }
}
