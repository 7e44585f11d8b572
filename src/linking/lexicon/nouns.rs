//! Event nouns ("airstrikes", "talks") to CAMEO codes, from the curated nouns.txt.

use std::sync::OnceLock;

use super::error::{At, ParseReport, Problems};
use super::event_code::EventCode;
use super::phrase_file::read_phrase_file;
use super::phrase_index::PhraseIndex;
use super::words::{display_name, input_pieces, phrase_pieces, Piece, WordRange};
use super::LexiconError;

/// An event noun found in a phrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NounMatch {
    /// CAMEO event code, e.g. "195".
    pub code: String,
    pub range: WordRange,
    /// The table's phrase, e.g. "AIRSTRIKES".
    pub name: String,
}

#[derive(Debug, Clone)]
struct NounEntry {
    name: String,
    code: String,
}

/// Nouns that name events, in the agent-file format with CAMEO codes.
#[derive(Debug, Clone, Default)]
pub struct NounTable {
    entries: Vec<NounEntry>,
    index: PhraseIndex,
}

impl NounTable {
    /// Reads a noun table (`PHRASE {PLURALS} [CODE]` lines); the first bad line is an error.
    pub fn parse(text: &str, origin: &str) -> Result<Self, LexiconError> {
        read(text, origin, &mut Problems::strict())
    }

    /// Reads a noun table, skipping (and reporting) bad lines.
    pub fn parse_lenient(text: &str, origin: &str) -> ParseReport<Self> {
        let mut problems = Problems::lenient();
        let dictionary = read(text, origin, &mut problems).unwrap_or_default();
        ParseReport {
            dictionary,
            skipped: problems.into_skipped(),
        }
    }

    /// The embedded curated table (data/nouns.txt), parsed once on first use.
    pub fn builtin() -> &'static Self {
        static BUILTIN: OnceLock<NounTable> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            Self::parse_lenient(include_str!("data/nouns.txt"), "builtin nouns.txt").dictionary
        })
    }

    /// Adds `other`'s nouns; where both name the same phrase, `other` wins.
    pub fn extend(&mut self, other: NounTable) {
        let offset = self.entries.len() as u32;
        for (phrase, value) in other.index.phrases() {
            self.index.insert(&phrase, value + offset);
        }
        self.entries.extend(other.entries);
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The CAMEO code of a single-word event noun ("airstrikes" -> "195").
    pub fn lookup(&self, word: &str) -> Option<String> {
        let found = self.lookup_phrase(&[word])?;
        (found.range.len() == 1).then_some(found.code)
    }

    /// The longest event noun phrase in `words` ("peace talks", "car bomb").
    pub fn lookup_phrase(&self, words: &[&str]) -> Option<NounMatch> {
        let pieces = input_pieces(words);
        let mut best: Option<(usize, NounMatch)> = None;
        for start in 0..pieces.len() {
            if let Some((length, found)) = self.longest_from(&pieces, start) {
                if best.as_ref().is_none_or(|(l, _)| length > *l) {
                    best = Some((length, found));
                }
            }
        }
        best.map(|(_, found)| found)
    }

    fn longest_from(&self, pieces: &[Piece], start: usize) -> Option<(usize, NounMatch)> {
        let first = pieces.get(start)?;
        if !first.word_start {
            return None;
        }
        let hit = *self.index.hits_from(pieces, start).last()?;
        let entry = self.entries.get(hit.value as usize)?;
        let last = pieces.get(hit.end.checked_sub(1)?)?;
        Some((
            hit.end - hit.start,
            NounMatch {
                code: entry.code.clone(),
                range: WordRange::new(first.word, last.word + 1),
                name: entry.name.clone(),
            },
        ))
    }
}

fn read(text: &str, origin: &str, problems: &mut Problems) -> Result<NounTable, LexiconError> {
    let mut table = NounTable::default();
    for record in read_phrase_file(text, origin, problems)? {
        let at = At {
            origin,
            line: record.line,
        };
        // Nouns always name an event, so a null code makes no sense here.
        let code = match EventCode::parse(&record.code, at) {
            Ok(Some(code)) => code.code,
            Ok(None) => {
                problems.report(at.bad_code(&record.code))?;
                continue;
            }
            Err(error) => {
                problems.report(error)?;
                continue;
            }
        };
        for form in &record.forms {
            let pieces = phrase_pieces(form);
            if pieces.is_empty() {
                continue;
            }
            let value = table.entries.len() as u32;
            table.entries.push(NounEntry {
                name: display_name(form),
                code: code.clone(),
            });
            table.index.insert(&pieces, value);
        }
    }
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_looks_up_nouns() {
        let table =
            NounTable::parse("AIRSTRIKE [195]\nTALKS {} [046]\nCAR_BOMB [1832]\n", "n").unwrap();
        assert_eq!(table.lookup("airstrikes").as_deref(), Some("195"));
        assert_eq!(table.lookup("talks").as_deref(), Some("046"));
        assert_eq!(table.lookup("car"), None);
        let bomb = table
            .lookup_phrase(&["a", "car", "bomb", "exploded"])
            .unwrap();
        assert_eq!(
            (bomb.code.as_str(), bomb.range),
            ("1832", WordRange::new(1, 3))
        );
        let error = NounTable::parse("ATTACK [190]\nRAID [---]\n", "n").unwrap_err();
        assert_eq!(error.line(), 2);
    }

    #[test]
    fn builtin_table_reads_cleanly() {
        let report = NounTable::parse_lenient(include_str!("data/nouns.txt"), "nouns.txt");
        assert!(report.skipped.is_empty(), "{:?}", report.skipped);
        let nouns = NounTable::builtin();
        for (word, code) in [
            ("airstrikes", "195"),
            ("offensive", "190"),
            ("attack", "190"),
            ("invasion", "192"),
            ("protests", "140"),
            ("talks", "046"),
            ("sanctions", "163"),
            ("visit", "042"),
            ("accusations", "112"),
        ] {
            assert_eq!(nouns.lookup(word).as_deref(), Some(code), "{word}");
        }
    }
}
