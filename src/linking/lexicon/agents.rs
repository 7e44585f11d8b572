//! PETRARCH agent dictionaries: generic roles ("army", "rebels") and their codes.

use std::sync::OnceLock;

use super::error::{At, ParseReport, Problems};
use super::phrase_file::{read_phrase_file, PhraseRecord};
use super::phrase_index::PhraseIndex;
use super::words::{display_name, input_pieces, phrase_pieces, Piece, WordRange};
use super::LexiconError;

/// Where an agent code goes when combined with an actor code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AgentPosition {
    /// `[~MIL]`: after the actor code, "RUS" + "MIL" = "RUSMIL".
    AfterActor,
    /// `[NGO~]`: before the actor code, "NGO" + "USA" = "NGOUSA".
    BeforeActor,
}

/// One agent phrase and its code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentEntry {
    pub name: String,
    pub code: String,
    pub position: AgentPosition,
}

/// An agent found in a phrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentMatch {
    /// CAMEO agent code without the `~`, e.g. "MIL", "GOV", "REB", "COP".
    pub code: String,
    pub position: AgentPosition,
    pub range: WordRange,
    /// The dictionary phrase that matched, e.g. "SOLDIERS".
    pub name: String,
}

/// Agent phrases (with their plurals) to CAMEO agent codes.
#[derive(Debug, Clone, Default)]
pub struct AgentDictionary {
    entries: Vec<AgentEntry>,
    index: PhraseIndex,
}

impl AgentDictionary {
    /// Reads a PETRARCH agent file; the first bad line is an error.
    pub fn parse(text: &str, origin: &str) -> Result<Self, LexiconError> {
        read(text, origin, &mut Problems::strict())
    }

    /// Reads a PETRARCH agent file, skipping (and reporting) bad lines.
    pub fn parse_lenient(text: &str, origin: &str) -> ParseReport<Self> {
        let mut problems = Problems::lenient();
        let dictionary = read(text, origin, &mut problems).unwrap_or_default();
        ParseReport {
            dictionary,
            skipped: problems.into_skipped(),
        }
    }

    /// The embedded Phoenix agents, parsed once on first use.
    pub fn builtin() -> &'static Self {
        static BUILTIN: OnceLock<AgentDictionary> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            Self::parse_lenient(include_str!("data/agents.txt"), "builtin agents.txt").dictionary
        })
    }

    /// Adds `other`'s entries; where both name the same phrase, `other` wins.
    pub fn extend(&mut self, other: AgentDictionary) {
        let offset = self.entries.len() as u32;
        for (phrase, value) in other.index.phrases() {
            self.index.insert(&phrase, value + offset);
        }
        self.entries.extend(other.entries);
    }

    /// The entries in file order (plural spellings of agents are entries of their own).
    pub fn entries(&self) -> &[AgentEntry] {
        &self.entries
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The longest agent phrase in `words` (case-insensitive; plurals included).
    pub fn lookup(&self, words: &[&str]) -> Option<AgentMatch> {
        let pieces = input_pieces(words);
        let mut best: Option<(usize, AgentMatch)> = None;
        for start in 0..pieces.len() {
            if let Some((length, found)) = self.longest_from(&pieces, start) {
                if best.as_ref().is_none_or(|(l, _)| length > *l) {
                    best = Some((length, found));
                }
            }
        }
        best.map(|(_, found)| found)
    }

    /// All agents in `words`, left to right, longest phrase first at each point.
    pub fn scan(&self, words: &[&str]) -> Vec<AgentMatch> {
        let pieces = input_pieces(words);
        let mut found = Vec::new();
        let mut start = 0;
        while start < pieces.len() {
            match self.longest_from(&pieces, start) {
                Some((length, agent)) => {
                    start += length;
                    found.push(agent);
                }
                None => start += 1,
            }
        }
        found
    }

    fn longest_from(&self, pieces: &[Piece], start: usize) -> Option<(usize, AgentMatch)> {
        let first = pieces.get(start)?;
        if !first.word_start {
            return None;
        }
        let hit = *self.index.hits_from(pieces, start).last()?;
        let entry = self.entries.get(hit.value as usize)?;
        let last = pieces.get(hit.end.checked_sub(1)?)?;
        Some((
            hit.end - hit.start,
            AgentMatch {
                code: entry.code.clone(),
                position: entry.position,
                range: WordRange::new(first.word, last.word + 1),
                name: entry.name.clone(),
            },
        ))
    }
}

fn read(
    text: &str,
    origin: &str,
    problems: &mut Problems,
) -> Result<AgentDictionary, LexiconError> {
    let mut dictionary = AgentDictionary::default();
    for record in read_phrase_file(text, origin, problems)? {
        let at = At {
            origin,
            line: record.line,
        };
        if let Err(error) = add_record(&mut dictionary, &record, at) {
            problems.report(error)?;
        }
    }
    Ok(dictionary)
}

fn add_record(
    dictionary: &mut AgentDictionary,
    record: &PhraseRecord,
    at: At<'_>,
) -> Result<(), LexiconError> {
    let (code, position) = agent_code(&record.code, at)?;
    for form in &record.forms {
        let pieces = phrase_pieces(form);
        if pieces.is_empty() {
            return Err(at.malformed(format!("agent '{form}' has no words")));
        }
        let value = dictionary.entries.len() as u32;
        dictionary.entries.push(AgentEntry {
            name: display_name(form),
            code: code.clone(),
            position,
        });
        dictionary.index.insert(&pieces, value);
    }
    Ok(())
}

/// `~MIL` -> ("MIL", after); `NGO~` -> ("NGO", before). PETRARCH requires the
/// tilde; a bare code is read as a suffix, the common case.
fn agent_code(raw: &str, at: At<'_>) -> Result<(String, AgentPosition), LexiconError> {
    let raw = raw.trim();
    let (code, position) = if let Some(code) = raw.strip_prefix('~') {
        (code, AgentPosition::AfterActor)
    } else if let Some(code) = raw.strip_suffix('~') {
        (code, AgentPosition::BeforeActor)
    } else {
        (raw, AgentPosition::AfterActor)
    };
    let code = code.trim();
    if code.is_empty() {
        return Err(at.empty_code());
    }
    if code
        .chars()
        .any(|c| c.is_whitespace() || "[]{}~".contains(c))
    {
        return Err(at.bad_code(raw));
    }
    Ok((code.to_uppercase(), position))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "\
!PERSON! = MAN, MEN, WOMAN, WOMEN, PERSON
ARMY [~MIL]
SOLDIER [~MIL]
REBEL [~REB]
POLICE {} [~COP]
HUMAN_RIGHTS_BODY  [NGO~]
CONGRESS!PERSON! [~LEG]
ANTI-GOVERNMENT_INSURGENT [~REB]
";

    fn code(words: &[&str]) -> Option<String> {
        let d = AgentDictionary::parse(SAMPLE, "sample.agents").unwrap();
        d.lookup(words).map(|m| m.code)
    }

    #[test]
    fn finds_agents_and_plurals() {
        assert_eq!(code(&["the", "army"]).as_deref(), Some("MIL"));
        assert_eq!(code(&["armies"]).as_deref(), Some("MIL"));
        assert_eq!(code(&["soldiers"]).as_deref(), Some("MIL"));
        assert_eq!(code(&["police"]).as_deref(), Some("COP"));
        assert_eq!(code(&["Congresswomen"]).as_deref(), Some("LEG"));
        assert_eq!(code(&["anti-government", "rebels"]).as_deref(), Some("REB"));
        assert_eq!(
            code(&["anti", "government", "insurgents"]).as_deref(),
            Some("REB")
        );
        let d = AgentDictionary::parse(SAMPLE, "sample.agents").unwrap();
        let body = d.lookup(&["a", "human", "rights", "body"]).unwrap();
        assert_eq!(body.position, AgentPosition::BeforeActor);
        assert_eq!(body.range, WordRange::new(1, 4));
    }

    #[test]
    fn malformed_lines_name_their_line() {
        let error = AgentDictionary::parse("ARMY [~MIL]\nNAVY [~]\n", "a").unwrap_err();
        assert_eq!(error.line(), 2);
        let error = AgentDictionary::parse("ARMY [~MIL]\nNAVY [~MI L]\n", "a").unwrap_err();
        assert!(matches!(error, LexiconError::BadCode { line: 2, .. }));
    }

    #[test]
    fn builtin_agents() {
        let report = AgentDictionary::parse_lenient(include_str!("data/agents.txt"), "agents.txt");
        assert!(report.skipped.is_empty(), "{:?}", report.skipped.first());
        let d = AgentDictionary::builtin();
        for (word, expected) in [
            ("rebels", "REB"),
            ("soldiers", "MIL"),
            ("militants", "UAF"),
            ("army", "MIL"),
            ("police", "COP"),
            ("government", "GOV"),
        ] {
            assert_eq!(
                d.lookup(&[word]).map(|m| m.code).as_deref(),
                Some(expected),
                "{word}"
            );
        }
    }
}
