//! PETRARCH agent dictionaries: generic roles ("army", "rebels") and their codes.

use std::sync::OnceLock;

use super::error::{read_lenient, read_strict, At, ParseReport, Problems};
use super::phrase_file::{read_phrase_file, PhraseRecord};
use super::phrase_index::{Found, PhraseDictionary};
use super::words::{display_name, phrase_pieces, WordRange};
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
    phrases: PhraseDictionary<AgentEntry>,
}

impl AgentDictionary {
    /// Reads a PETRARCH agent file; the first bad line is an error.
    pub fn parse(text: &str, origin: &str) -> Result<Self, LexiconError> {
        read_strict(read, text, origin)
    }

    /// Reads a PETRARCH agent file, skipping (and reporting) bad lines.
    pub fn parse_lenient(text: &str, origin: &str) -> ParseReport<Self> {
        read_lenient(read, text, origin)
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
        self.phrases.extend(other.phrases);
    }

    /// The entries in file order (plural spellings of agents are entries of their own).
    pub fn entries(&self) -> &[AgentEntry] {
        self.phrases.entries()
    }

    pub fn len(&self) -> usize {
        self.entries().len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries().is_empty()
    }

    /// The longest agent phrase in `words` (case-insensitive; plurals included).
    pub fn lookup(&self, words: &[&str]) -> Option<AgentMatch> {
        self.phrases
            .longest(words, |_, _| true, Some)
            .map(agent_match)
    }

    /// All agents in `words`, left to right, longest phrase first at each point.
    pub fn scan(&self, words: &[&str]) -> Vec<AgentMatch> {
        self.phrases
            .scan(words, |_, _| true, Some)
            .into_iter()
            .map(agent_match)
            .collect()
    }
}

fn agent_match(found: Found<&AgentEntry>) -> AgentMatch {
    AgentMatch {
        code: found.value.code.clone(),
        position: found.value.position,
        range: found.range,
        name: found.value.name.clone(),
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
        let id = dictionary.phrases.push(AgentEntry {
            name: display_name(form),
            code: code.clone(),
            position,
        });
        dictionary.phrases.spell(&pieces, id);
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
