//! CAMEO verb lexicon: verbs and their inflections, phrase patterns, event nouns.

mod inflect;
mod pattern;
mod reader;

use std::collections::HashMap;
use std::sync::OnceLock;

use super::error::{read_lenient, read_strict, ParseReport};
use super::event_code::EventCode;
use super::nouns::{NounMatch, NounTable};
use super::words::WordRange;
use super::LexiconError;
use inflect::base_candidates;
use pattern::{Literal, Pattern, PatternHit, Sentence};

/// A verb (with its pattern, if one matched) found at a sentence position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerbMatch {
    /// CAMEO event code, e.g. "190", "0234", "112".
    pub code: String,
    /// For TABARI paired codes ("042:043"), what the target does in return.
    pub reverse_code: Option<String>,
    /// The verb's dictionary form, e.g. "FIRE" or "CLEAR UP".
    pub verb: String,
    /// The verb block (synonym set) the verb belongs to, e.g. "EXPLOSIVE_DESTRUCTION".
    pub block: String,
    /// The verb and the pattern words matched around it ("opened fire on").
    pub range: WordRange,
    /// Whether a pattern with words besides actor slots matched.
    pub phrase: bool,
    /// The matched pattern as written in the dictionary, if any.
    pub pattern: Option<String>,
}

#[derive(Debug, Clone)]
struct VerbBlock {
    name: String,
    code: Option<EventCode>,
    patterns: Vec<Pattern>,
}

#[derive(Debug, Clone)]
struct VerbEntry {
    /// Dictionary form with fixed words, "CLEAR UP".
    base: String,
    /// The inflecting word of the base form, "CLEAR".
    head: String,
    block: usize,
    /// `Some` when the verb line has its own `[code]` (which may be null).
    code: Option<Option<EventCode>>,
}

/// One spelling of a verb, keyed in the lexicon by its inflected head word.
#[derive(Debug, Clone, PartialEq, Eq)]
struct VerbForm {
    verb: u32,
    before: Vec<Box<str>>,
    after: Vec<Box<str>>,
}

impl VerbForm {
    fn new(verb: u32, before: Vec<String>, after: Vec<String>) -> Self {
        Self {
            verb,
            before: before.into_iter().map(String::into_boxed_str).collect(),
            after: after.into_iter().map(String::into_boxed_str).collect(),
        }
    }

    fn fixed_words(&self) -> usize {
        self.before.len() + self.after.len()
    }

    /// The words of the verb phrase if its fixed words surround `head` in `sentence`.
    fn span_at(&self, sentence: &Sentence, head: usize) -> Option<WordRange> {
        let start = head.checked_sub(self.before.len())?;
        let before_ok = self
            .before
            .iter()
            .enumerate()
            .all(|(i, w)| sentence.words.get(start + i).is_some_and(|s| s == &**w));
        let after_ok = self
            .after
            .iter()
            .enumerate()
            .all(|(i, w)| sentence.words.get(head + 1 + i).is_some_and(|s| s == &**w));
        (before_ok && after_ok).then(|| WordRange::new(start, head + 1 + self.after.len()))
    }
}

/// Verbs, their patterns and event nouns, read from CAMEO verb pattern files.
#[derive(Debug, Clone, Default)]
pub struct VerbLexicon {
    blocks: Vec<VerbBlock>,
    verbs: Vec<VerbEntry>,
    forms: HashMap<Box<str>, Vec<VerbForm>>,
    synsets: Vec<Vec<Vec<Literal>>>,
    nouns: NounTable,
}

impl VerbLexicon {
    /// Reads a CAMEO verb pattern file; the first bad line is an error. The
    /// result has no event nouns; see [`with_nouns`](Self::with_nouns).
    pub fn parse(text: &str, origin: &str) -> Result<Self, LexiconError> {
        read_strict(reader::read, text, origin)
    }

    /// Reads a CAMEO verb pattern file, skipping (and reporting) bad lines.
    pub fn parse_lenient(text: &str, origin: &str) -> ParseReport<Self> {
        read_lenient(reader::read, text, origin)
    }

    /// The embedded CAMEO verb patterns with the curated event nouns, parsed once.
    pub fn builtin() -> &'static Self {
        static BUILTIN: OnceLock<VerbLexicon> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            Self::parse_lenient(include_str!("../data/verbs.txt"), "builtin verbs.txt")
                .dictionary
                .with_nouns(NounTable::builtin().clone())
        })
    }

    /// Replaces the event nouns used by [`lookup_noun`](Self::lookup_noun).
    pub fn with_nouns(mut self, nouns: NounTable) -> Self {
        self.nouns = nouns;
        self
    }

    pub fn nouns(&self) -> &NounTable {
        &self.nouns
    }

    /// Adds `other`'s verbs, patterns and nouns; for a spelling both know,
    /// `other`'s verb wins.
    pub fn extend(&mut self, other: VerbLexicon) {
        let block_offset = self.blocks.len();
        let verb_offset = self.verbs.len() as u32;
        let synset_offset = self.synsets.len();
        for mut block in other.blocks {
            for pattern in &mut block.patterns {
                pattern.shift_synsets(synset_offset);
            }
            self.blocks.push(block);
        }
        self.verbs.extend(other.verbs.into_iter().map(|mut verb| {
            verb.block += block_offset;
            verb
        }));
        for (head, forms) in other.forms {
            let mine = self.forms.entry(head).or_default();
            let mut merged: Vec<VerbForm> = forms
                .into_iter()
                .map(|mut form| {
                    form.verb += verb_offset;
                    form
                })
                .collect();
            merged.append(mine);
            *mine = merged;
        }
        self.synsets.extend(other.synsets);
        self.nouns.extend(other.nouns);
    }

    /// Number of verbs (base forms) in the lexicon.
    pub fn len(&self) -> usize {
        self.verbs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.verbs.is_empty()
    }

    /// Whether `word`, in any inflection, is a verb of the lexicon.
    pub fn is_verb(&self, word: &str) -> bool {
        let sentence = Sentence::new(&[word]);
        self.identify(&sentence, 0).is_some()
    }

    /// The event coded by the verb at `words[head]` (any inflection). The
    /// pattern anchored on most words around the verb decides the code; without
    /// one, the verb's own code does. `None` when the word is not a known verb
    /// or the dictionary codes it (here) as no event (`---`).
    pub fn lookup(&self, words: &[&str], head: usize) -> Option<VerbMatch> {
        if head >= words.len() {
            return None;
        }
        let sentence = Sentence::new(words);
        let (verb_id, span) = self.identify(&sentence, head)?;
        let verb = self.verbs.get(verb_id)?;
        let block = self.blocks.get(verb.block)?;
        let mut best: Option<(&Pattern, PatternHit)> = None;
        for pattern in &block.patterns {
            if let Some(hit) = pattern.find(&sentence, span, &self.synsets) {
                if best.is_none_or(|(_, b)| hit.anchored_words > b.anchored_words) {
                    best = Some((pattern, hit));
                }
            }
        }
        let (code, range, phrase, text) = match best {
            Some((pattern, hit)) => (
                pattern.code.as_ref(),
                hit.range,
                hit.anchored_words > 0,
                Some(pattern.text.clone()),
            ),
            None => {
                let code = match &verb.code {
                    Some(own) => own.as_ref(),
                    None => block.code.as_ref(),
                };
                (code, span, false, None)
            }
        };
        let code = code?;
        Some(VerbMatch {
            code: code.code.clone(),
            reverse_code: code.reverse.clone(),
            verb: verb.base.clone(),
            block: block.name.clone(),
            range,
            phrase,
            pattern: text,
        })
    }

    /// The CAMEO code of an event noun ("airstrikes" -> "195").
    pub fn lookup_noun(&self, word: &str) -> Option<String> {
        self.nouns.lookup(word)
    }

    /// The longest event noun phrase in `words` ("peace talks", "car bomb").
    pub fn lookup_noun_phrase(&self, words: &[&str]) -> Option<NounMatch> {
        self.nouns.lookup_phrase(words)
    }

    fn add_form(&mut self, head: String, form: VerbForm) {
        let forms = self.forms.entry(head.into_boxed_str()).or_default();
        // The first definition of a spelling wins, as in PETRARCH.
        if !forms
            .iter()
            .any(|f| f.before == form.before && f.after == form.after)
        {
            forms.push(form);
        }
    }

    /// The verb at `head` and the words its phrase covers; multi-word verbs
    /// ("fight back") are preferred when their fixed words are present.
    fn identify(&self, sentence: &Sentence, head: usize) -> Option<(usize, WordRange)> {
        let word = sentence.words.get(head)?;
        if let Some(found) = self.fit(self.forms.get(word.as_str()), sentence, head, None) {
            return Some(found);
        }
        // Inflections the dictionary does not list ("stopped", "carried"):
        // accept a candidate base only if it is some verb's dictionary form.
        base_candidates(word)
            .into_iter()
            .find_map(|base| self.fit(self.forms.get(base.as_str()), sentence, head, Some(&base)))
    }

    fn fit(
        &self,
        forms: Option<&Vec<VerbForm>>,
        sentence: &Sentence,
        head: usize,
        base: Option<&str>,
    ) -> Option<(usize, WordRange)> {
        let mut best: Option<(usize, usize, WordRange)> = None;
        for form in forms? {
            let verb = form.verb as usize;
            if let Some(base) = base {
                if self.verbs.get(verb).is_none_or(|v| v.head != base) {
                    continue;
                }
            }
            if let Some(span) = form.span_at(sentence, head) {
                if best.is_none_or(|(fixed, _, _)| form.fixed_words() > fixed) {
                    best = Some((form.fixed_words(), verb, span));
                }
            }
        }
        best.map(|(_, verb, span)| (verb, span))
    }
}

#[cfg(test)]
mod tests;
