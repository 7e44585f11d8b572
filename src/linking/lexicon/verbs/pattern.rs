//! Verb phrase patterns (`- SAID * FIRE ON + [193]`) matched around a verb, TABARI-style:
//! `_` joins consecutive words, a blank lets a few intervene, `+ $ ^ %` are actor phrases.

use std::cell::Cell;

use crate::linking::lexicon::event_code::EventCode;
use crate::linking::lexicon::words::WordRange;

/// Words a blank between two pattern words may skip.
const MAX_GAP: usize = 3;
/// Longest noun phrase an actor slot may cover.
const MAX_SLOT: usize = 8;
/// Matching steps allowed per pattern, so no input can make a lookup slow.
const STEP_BUDGET: usize = 20_000;

/// A pattern word. Without a trailing `_` it also matches inflected and
/// TABARI-stemmed forms ("RESUM" matches "resumed").
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Literal {
    pub text: Box<str>,
    pub exact: bool,
}

impl Literal {
    pub(crate) fn matches(&self, word: &str) -> bool {
        let text: &str = &self.text;
        if word == text {
            return true;
        }
        if self.exact || text.chars().count() < 3 {
            return false;
        }
        if let Some(rest) = word.strip_prefix(text) {
            if ["S", "ES", "D", "ED", "ING", "'S", "\u{2019}S"].contains(&rest) {
                return true;
            }
            let stem_ok = text.chars().count() >= 4;
            return stem_ok && rest.chars().count() <= 5 && rest.chars().all(char::is_alphabetic);
        }
        if let Some(stem) = text.strip_suffix('Y') {
            if word
                .strip_prefix(stem)
                .is_some_and(|rest| rest == "IES" || rest == "IED")
            {
                return true;
            }
        }
        if let Some(stem) = text.strip_suffix('E') {
            return word.strip_prefix(stem).is_some_and(|rest| rest == "ING");
        }
        false
    }
}

/// What one position of a pattern matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Element {
    Word(Literal),
    /// Index into the lexicon's resolved synsets.
    Synset(usize),
    /// `+` target, `$` source, `^` skipped or `%` compound actor: a noun phrase.
    Slot,
}

/// An element and whether it must touch its neighbour towards the verb.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Step {
    pub element: Element,
    pub tight: bool,
}

/// A compiled pattern: steps walking away from the verb on each side.
#[derive(Debug, Clone)]
pub(crate) struct Pattern {
    /// Before the verb, nearest first.
    pub pre: Vec<Step>,
    /// After the verb, nearest first.
    pub post: Vec<Step>,
    /// `None` for the null code `---`: "in this context, not an event".
    pub code: Option<EventCode>,
    /// The pattern as written, for explanations.
    pub text: String,
}

/// The words of a sentence as the matcher sees them.
pub(crate) struct Sentence {
    pub words: Vec<String>,
    /// Clause-ending punctuation that neither gaps nor slots may cross.
    pub boundary: Vec<bool>,
}

impl Sentence {
    pub(crate) fn new(words: &[&str]) -> Self {
        const WRAPPING: &[char] = &[
            '"', '\u{201c}', '\u{201d}', '(', ')', '[', ']', ',', ';', ':', '!', '?',
        ];
        let mut upper = Vec::with_capacity(words.len());
        let mut boundary = Vec::with_capacity(words.len());
        for word in words {
            let trimmed = word.trim();
            boundary.push(!trimmed.is_empty() && trimmed.chars().all(|c| ".;:!?".contains(c)));
            let mut core = trimmed.trim_matches(WRAPPING);
            if let Some(stem) = core.strip_suffix('.') {
                if !stem.contains('.') {
                    core = stem;
                }
            }
            upper.push(core.to_uppercase());
        }
        Self {
            words: upper,
            boundary,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.words.len()
    }
}

/// Where a pattern matched: how many words it anchored on and the span from
/// its outermost matched word before the verb to the outermost after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PatternHit {
    pub anchored_words: usize,
    pub range: WordRange,
}

/// A partial match on one side of the verb.
#[derive(Clone, Copy)]
struct Side {
    /// Literal words matched.
    words: usize,
    /// Positions walked up to the last literal word (0 if none).
    reach: usize,
}

struct Walk<'a> {
    steps: &'a [Step],
    /// Word indices walking away from the verb.
    order: &'a [usize],
    sentence: &'a Sentence,
    synsets: &'a [Vec<Vec<Literal>>],
    backward: bool,
    budget: Cell<usize>,
}

impl Walk<'_> {
    fn word(&self, position: usize) -> Option<(&str, bool)> {
        let index = *self.order.get(position)?;
        let word = self.sentence.words.get(index)?;
        let boundary = self.sentence.boundary.get(index).copied().unwrap_or(false);
        Some((word.as_str(), boundary))
    }

    /// First match of steps `k..` from `position`, trying the smallest gaps and
    /// shortest slots first so the match stays close to the verb.
    fn from(&self, k: usize, position: usize, after_slot: bool, done: Side) -> Option<Side> {
        let left = self.budget.get();
        if left == 0 {
            return None;
        }
        self.budget.set(left - 1);
        let Some(step) = self.steps.get(k) else {
            return Some(done);
        };
        match &step.element {
            Element::Slot => self.slot(k, position, done),
            Element::Word(literal) => {
                let runs = [std::slice::from_ref(literal)];
                self.runs(k, step.tight || after_slot, position, done, &runs)
            }
            Element::Synset(id) => {
                let runs: Vec<&[Literal]> =
                    self.synsets.get(*id)?.iter().map(Vec::as_slice).collect();
                self.runs(k, step.tight || after_slot, position, done, &runs)
            }
        }
    }

    /// Matches one of `runs` (each a run of consecutive words) after an
    /// optional gap, then the rest of the steps.
    fn runs(
        &self,
        k: usize,
        tight: bool,
        position: usize,
        done: Side,
        runs: &[&[Literal]],
    ) -> Option<Side> {
        let max_gap = if tight { 0 } else { MAX_GAP };
        for gap in 0..=max_gap {
            let start = position + gap;
            if gap > 0 {
                // The word skipped last must exist and not end the clause.
                let (_, boundary) = self.word(start - 1)?;
                if boundary {
                    return None;
                }
            }
            self.word(start)?;
            for run in runs {
                if self.run_matches(run, start) {
                    let next = start + run.len();
                    let side = Side {
                        words: done.words + run.len(),
                        reach: next,
                    };
                    if let Some(found) = self.from(k + 1, next, false, side) {
                        return Some(found);
                    }
                }
            }
        }
        None
    }

    /// Whether `run` matches consecutive words from `start`, in sentence order.
    fn run_matches(&self, run: &[Literal], start: usize) -> bool {
        let length = run.len();
        (0..length).all(|offset| {
            // Walking backwards meets a multi-word run from its end.
            let literal = if self.backward {
                run.get(length - 1 - offset)
            } else {
                run.get(offset)
            };
            match (literal, self.word(start + offset)) {
                (Some(literal), Some((word, _))) => literal.matches(word),
                _ => false,
            }
        }) && length > 0
    }

    /// An actor slot: one to `MAX_SLOT` words inside the clause.
    fn slot(&self, k: usize, position: usize, done: Side) -> Option<Side> {
        for length in 1..=MAX_SLOT {
            let (_, boundary) = self.word(position + length - 1)?;
            if boundary {
                return None;
            }
            if let Some(found) = self.from(k + 1, position + length, true, done) {
                return Some(found);
            }
        }
        None
    }
}

impl Pattern {
    /// Renumbers synset references after the lexicon's synsets moved by `offset`.
    pub(crate) fn shift_synsets(&mut self, offset: usize) {
        for step in self.pre.iter_mut().chain(self.post.iter_mut()) {
            if let Element::Synset(id) = &mut step.element {
                *id += offset;
            }
        }
    }

    /// Matches the pattern around the verb occupying `verb` in `sentence`.
    pub(crate) fn find(
        &self,
        sentence: &Sentence,
        verb: WordRange,
        synsets: &[Vec<Vec<Literal>>],
    ) -> Option<PatternHit> {
        let before: Vec<usize> = (0..verb.start.min(sentence.len())).rev().collect();
        let after: Vec<usize> = (verb.end..sentence.len()).collect();
        let side = |steps: &[Step], order: &[usize], backward: bool| {
            Walk {
                steps,
                order,
                sentence,
                synsets,
                backward,
                budget: Cell::new(STEP_BUDGET),
            }
            .from(0, 0, false, Side { words: 0, reach: 0 })
        };
        let pre = side(&self.pre, &before, true)?;
        let post = side(&self.post, &after, false)?;
        Some(PatternHit {
            anchored_words: pre.words + post.words,
            range: WordRange::new(
                verb.start - pre.reach.min(verb.start),
                verb.end + post.reach,
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(text: &str) -> Step {
        Step {
            element: Element::Word(Literal {
                text: text.into(),
                exact: false,
            }),
            tight: false,
        }
    }

    fn slot() -> Step {
        Step {
            element: Element::Slot,
            tight: false,
        }
    }

    fn pattern(pre: Vec<Step>, post: Vec<Step>) -> Pattern {
        Pattern {
            pre,
            post,
            code: None,
            text: String::new(),
        }
    }

    #[test]
    fn literals_match_inflections_and_stems() {
        let lit = |t: &str, exact| Literal {
            text: t.into(),
            exact,
        };
        assert!(lit("ATTACK", false).matches("ATTACKS"));
        assert!(lit("RESUM", false).matches("RESUMED"));
        assert!(lit("ALLY", false).matches("ALLIES"));
        assert!(!lit("CASH", true).matches("CASHED"));
        assert!(!lit("ON", false).matches("ONS"));
    }

    #[test]
    fn matches_slots_gaps_and_boundaries() {
        let words = [
            "Turkey", "accused", "the", "Syrian", "army", "of", "shelling", ".",
        ];
        let sentence = Sentence::new(&words);
        let verb = WordRange::new(1, 2);
        let of = pattern(vec![], vec![slot(), word("OF")]);
        let hit = of.find(&sentence, verb, &[]).unwrap();
        assert_eq!((hit.anchored_words, hit.range), (1, WordRange::new(1, 6)));
        let sourced = pattern(vec![slot()], vec![word("OF")]);
        assert_eq!(
            sourced.find(&sentence, verb, &[]).unwrap().range,
            WordRange::new(1, 6)
        );
        let beyond = pattern(vec![], vec![word("SHELLING"), slot()]);
        assert!(beyond.find(&sentence, verb, &[]).is_none());
        let tight = pattern(
            vec![],
            vec![Step {
                element: Element::Word(Literal {
                    text: "ARMY".into(),
                    exact: false,
                }),
                tight: true,
            }],
        );
        assert!(tight.find(&sentence, verb, &[]).is_none());
    }

    #[test]
    fn synsets_match_multiword_members_both_ways() {
        let synsets = vec![vec![vec![
            Literal {
                text: "IS".into(),
                exact: true,
            },
            Literal {
                text: "TO".into(),
                exact: true,
            },
        ]]];
        let sentence = Sentence::new(&["Arnor", "is", "to", "restore", "ties", "is", "to"]);
        let verb = WordRange::new(3, 4);
        let step = Step {
            element: Element::Synset(0),
            tight: false,
        };
        let pre = pattern(vec![step.clone()], vec![]);
        assert_eq!(
            pre.find(&sentence, verb, &synsets).unwrap().range,
            WordRange::new(1, 4)
        );
        let post = pattern(vec![], vec![step]);
        assert_eq!(
            post.find(&sentence, verb, &synsets).unwrap().range,
            WordRange::new(3, 7)
        );
    }
}
