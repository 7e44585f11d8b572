//! Event nouns ("airstrikes", "talks") to CAMEO codes, from the curated nouns.txt.

use std::sync::OnceLock;

use super::error::{read_lenient, read_strict, At, ParseReport, Problems};
use super::event_code::EventCode;
use super::phrase_file::read_phrase_file;
use super::phrase_index::PhraseDictionary;
use super::words::{display_name, phrase_pieces, WordRange};
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
    phrases: PhraseDictionary<NounEntry>,
}

impl NounTable {
    /// Reads a noun table (`PHRASE {PLURALS} [CODE]` lines); the first bad line is an error.
    pub fn parse(text: &str, origin: &str) -> Result<Self, LexiconError> {
        read_strict(read, text, origin)
    }

    /// Reads a noun table, skipping (and reporting) bad lines.
    pub fn parse_lenient(text: &str, origin: &str) -> ParseReport<Self> {
        read_lenient(read, text, origin)
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
        self.phrases.extend(other.phrases);
    }

    pub fn len(&self) -> usize {
        self.phrases.entries().len()
    }

    pub fn is_empty(&self) -> bool {
        self.phrases.entries().is_empty()
    }

    /// The CAMEO code of a single-word event noun ("airstrikes" -> "195").
    pub fn lookup(&self, word: &str) -> Option<String> {
        let found = self.lookup_phrase(&[word])?;
        (found.range.len() == 1).then_some(found.code)
    }

    /// The longest event noun phrase in `words` ("peace talks", "car bomb").
    pub fn lookup_phrase(&self, words: &[&str]) -> Option<NounMatch> {
        let found = self.phrases.longest(words, |_, _| true, Some)?;
        Some(NounMatch {
            code: found.value.code.clone(),
            range: found.range,
            name: found.value.name.clone(),
        })
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
            let id = table.phrases.push(NounEntry {
                name: display_name(form),
                code: code.clone(),
            });
            table.phrases.spell(&pieces, id);
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
