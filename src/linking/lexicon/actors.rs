//! PETRARCH actor dictionaries: names with synonyms and date-restricted codes.

use std::sync::OnceLock;

use super::dates::{code_on, current_code, Date, DatedCode, Validity, NULL_CODE};
use super::error::{read_lenient, read_strict, At, ParseReport, Problems};
use super::phrase_index::{Found, Hit, PhraseDictionary};
use super::source::{content_lines, split_groups};
use super::words::{case_allows, display_name, phrase_pieces, Piece, WordRange};
use super::LexiconError;

/// One actor: its canonical name (the entry's first line) and its codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActorEntry {
    pub name: String,
    pub codes: Vec<DatedCode>,
}

/// An actor found in a phrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActorMatch {
    /// CAMEO actor code, e.g. "RUS" or "USAGOV"; an entry naming several
    /// actors at once has them separated by `/` ("FRO/BIL/SAM"), see [`codes`](Self::codes).
    pub code: String,
    /// The words that named the actor.
    pub range: WordRange,
    /// The dictionary entry's canonical name, e.g. "RUSSIAN FEDERATION".
    pub name: String,
}

impl ActorMatch {
    /// The individual actor codes of [`code`](Self::code).
    pub fn codes(&self) -> Vec<&str> {
        self.code.split('/').filter(|c| !c.is_empty()).collect()
    }
}

/// Actor names to CAMEO actor codes, read from PETRARCH `.actors` files.
#[derive(Debug, Clone, Default)]
pub struct ActorDictionary {
    phrases: PhraseDictionary<ActorEntry>,
}

/// Which of an entry's dated codes a lookup wants.
#[derive(Clone, Copy)]
enum When {
    Now,
    On(Date),
}

impl ActorDictionary {
    /// Reads a PETRARCH actor file; the first bad line is an error.
    pub fn parse(text: &str, origin: &str) -> Result<Self, LexiconError> {
        read_strict(read, text, origin)
    }

    /// Reads a PETRARCH actor file, skipping (and reporting) bad lines.
    pub fn parse_lenient(text: &str, origin: &str) -> ParseReport<Self> {
        read_lenient(read, text, origin)
    }

    /// The embedded Phoenix actors (countries, adjectives, capitals, current office
    /// holders, IGOs, NGOs, armed groups), parsed once on first use.
    pub fn builtin() -> &'static Self {
        static BUILTIN: OnceLock<ActorDictionary> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            let mut actors =
                Self::parse_lenient(include_str!("data/actors.txt"), "builtin actors.txt")
                    .dictionary;
            actors.extend(
                Self::parse_lenient(include_str!("data/demonyms.txt"), "builtin demonyms.txt")
                    .dictionary,
            );
            actors
        })
    }

    /// Adds `other`'s entries; where both name the same phrase, `other` wins,
    /// so user dictionaries take precedence over the built-in one.
    pub fn extend(&mut self, other: ActorDictionary) {
        self.phrases.extend(other.phrases);
    }

    /// The entries in file order (plural spellings of agents are entries of their own).
    pub fn entries(&self) -> &[ActorEntry] {
        self.phrases.entries()
    }

    pub fn len(&self) -> usize {
        self.entries().len()
    }

    pub fn is_empty(&self) -> bool {
        self.phrases.is_empty()
    }

    /// The longest actor name in `words` (case-insensitive), with the code in force now.
    pub fn lookup(&self, words: &[&str]) -> Option<ActorMatch> {
        self.best(words, When::Now)
    }

    /// As [`lookup`](Self::lookup), with the code that applied on `date`.
    pub fn lookup_at(&self, words: &[&str], date: Date) -> Option<ActorMatch> {
        self.best(words, When::On(date))
    }

    /// All actors in `words`, left to right, taking the longest name at each point.
    pub fn scan(&self, words: &[&str]) -> Vec<ActorMatch> {
        self.scan_when(words, When::Now)
    }

    /// As [`scan`](Self::scan), with the codes that applied on `date`.
    pub fn scan_at(&self, words: &[&str], date: Date) -> Vec<ActorMatch> {
        self.scan_when(words, When::On(date))
    }

    fn best(&self, words: &[&str], when: When) -> Option<ActorMatch> {
        self.phrases
            .longest(words, accepts_case(words), code_when(when))
            .map(actor_match)
    }

    fn scan_when(&self, words: &[&str], when: When) -> Vec<ActorMatch> {
        self.phrases
            .scan(words, accepts_case(words), code_when(when))
            .into_iter()
            .map(actor_match)
            .collect()
    }
}

/// The entry's code on `when`; none for a null code, which hides the shorter names there
/// (PETRARCH's way of saying "this phrase is not an actor").
fn code_when(when: When) -> impl Fn(&ActorEntry) -> Option<(String, String)> {
    move |entry| {
        let code = match when {
            When::Now => current_code(&entry.codes),
            When::On(date) => code_on(&entry.codes, date),
        }?;
        (code.code != NULL_CODE).then(|| (code.code.clone(), entry.name.clone()))
    }
}

fn actor_match(found: Found<(String, String)>) -> ActorMatch {
    let (code, name) = found.value;
    ActorMatch {
        code,
        range: found.range,
        name,
    }
}

/// Short acronym entries only match words written in capitals ("US", not "us").
fn accepts_case<'w>(words: &'w [&str]) -> impl Fn(&[Piece], &Hit) -> bool + 'w {
    move |pieces, hit| {
        let matched: Vec<String> = pieces
            .get(hit.start..hit.end)
            .unwrap_or_default()
            .iter()
            .map(|p| p.text.clone())
            .collect();
        pieces
            .get(hit.start)
            .and_then(|p| words.get(p.word))
            .is_some_and(|word| case_allows(&matched, word))
    }
}

fn read(
    text: &str,
    origin: &str,
    problems: &mut Problems,
) -> Result<ActorDictionary, LexiconError> {
    let mut dictionary = ActorDictionary::default();
    // Whether the current entry was read, so its synonyms and codes may follow.
    let mut current: Option<u32> = None;
    for line in content_lines(text) {
        let at = At {
            origin,
            line: line.number,
        };
        if let Err(error) = read_line(&line.text, at, &mut dictionary, &mut current) {
            problems.report(error)?;
        }
    }
    Ok(dictionary)
}

/// One line: `NAME [codes]`, `+SYNONYM [codes]` or `[CODE dates]`.
fn read_line(
    text: &str,
    at: At<'_>,
    dictionary: &mut ActorDictionary,
    current: &mut Option<u32>,
) -> Result<(), LexiconError> {
    let groups = split_groups(text, '[', ']', at)?;
    let codes = groups
        .inside
        .iter()
        .map(|body| dated_code(body, at))
        .collect::<Result<Vec<_>, _>>()?;
    let name = groups.outside.trim();
    if let Some(synonym) = name.strip_prefix('+') {
        let entry = current.ok_or(LexiconError::OrphanSynonym {
            origin: at.origin.to_string(),
            line: at.line,
        })?;
        add_phrase(dictionary, synonym, entry, at)?;
    } else if !name.is_empty() {
        let pieces = phrase_pieces(name);
        if pieces.is_empty() {
            return Err(at.malformed(format!("actor '{name}' has no words")));
        }
        let entry = dictionary.phrases.push(ActorEntry {
            name: display_name(name),
            codes: Vec::new(),
        });
        dictionary.phrases.spell(&pieces, entry);
        *current = Some(entry);
    }
    if !codes.is_empty() {
        let entry = current.ok_or(LexiconError::OrphanCode {
            origin: at.origin.to_string(),
            line: at.line,
        })?;
        if let Some(entry) = dictionary.phrases.entry_mut(entry) {
            entry.codes.extend(codes);
        }
    }
    Ok(())
}

fn add_phrase(
    dictionary: &mut ActorDictionary,
    phrase: &str,
    entry: u32,
    at: At<'_>,
) -> Result<(), LexiconError> {
    let pieces = phrase_pieces(phrase);
    if pieces.is_empty() {
        return Err(at.malformed("synonym has no words"));
    }
    dictionary.phrases.spell(&pieces, entry);
    Ok(())
}

/// `USAGOV 19970101-20010120` -> code and validity.
fn dated_code(body: &str, at: At<'_>) -> Result<DatedCode, LexiconError> {
    let body = body.trim();
    let (code, restriction) = match body.split_once(char::is_whitespace) {
        Some((code, rest)) => (code, rest),
        None => (body, ""),
    };
    if code.is_empty() {
        return Err(at.empty_code());
    }
    let validity = Validity::parse(restriction).ok_or_else(|| LexiconError::BadDate {
        origin: at.origin.to_string(),
        line: at.line,
        text: restriction.trim().to_string(),
    })?;
    Ok(DatedCode {
        code: code.to_uppercase(),
        validity,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "\
<!-- test actors -->
RUSSIAN_FEDERATION_  [RUS]
+RUSSIA_
+RUSSIAN
+MOSCOW_   # capital
KREMLIN_
\t[RUSGOV]
GOLLUM  # dated
+SLINKER
\t[HOB < 950601]
\t[HOBGOV 19950601 - 19990815]
\t[HOBREB > 990816]
UNITED_STATES [USA]
+US_
+U.S.
PRINCE OF DOL AMROTH
\t[--- <950630]
\t[DOL]
";

    fn sample() -> ActorDictionary {
        ActorDictionary::parse(SAMPLE, "sample.actors").unwrap()
    }

    fn code(d: &ActorDictionary, words: &[&str]) -> Option<String> {
        d.lookup(words).map(|m| m.code)
    }

    #[test]
    fn finds_longest_name_with_range_and_canonical_name() {
        let d = sample();
        let found = d.lookup(&["troops", "from", "Russia's", "army"]).unwrap();
        assert_eq!(found.code, "RUS");
        assert_eq!(found.range, WordRange::new(2, 3));
        assert_eq!(found.name, "RUSSIAN FEDERATION");
        assert_eq!(code(&d, &["the", "Kremlin"]).as_deref(), Some("RUSGOV"));
        assert_eq!(code(&d, &["Russians"]).as_deref(), Some("RUS"));
        assert_eq!(
            code(&d, &["the", "prince", "of", "Dol", "Amroth"]).as_deref(),
            Some("DOL")
        );
    }

    #[test]
    fn resolves_dates() {
        let d = sample();
        assert_eq!(code(&d, &["Slinker"]).as_deref(), Some("HOBREB"));
        let on = |s| {
            d.lookup_at(&["Slinker"], Date::parse(s).unwrap())
                .map(|m| m.code)
        };
        assert_eq!(on("19940101").as_deref(), Some("HOB"));
        assert_eq!(on("19980101").as_deref(), Some("HOBGOV"));
        let prince = d.lookup_at(
            &["Prince", "of", "Dol", "Amroth"],
            Date::parse("19900101").unwrap(),
        );
        assert_eq!(prince, None);
    }

    #[test]
    fn acronyms_need_capitals() {
        let d = sample();
        assert_eq!(code(&d, &["the", "US", "said"]).as_deref(), Some("USA"));
        assert_eq!(code(&d, &["they", "told", "us"]), None);
        assert_eq!(code(&d, &["U.S.", "forces"]).as_deref(), Some("USA"));
    }

    #[test]
    fn scan_and_extend() {
        let mut d = sample();
        let all = d.scan(&["Russia", "and", "the", "United", "States"]);
        let codes: Vec<&str> = all.iter().map(|m| m.code.as_str()).collect();
        assert_eq!(codes, vec!["RUS", "USA"]);
        let user = ActorDictionary::parse("KREMLIN [RUSELI]\nGONDOR [GON]\n", "user").unwrap();
        d.extend(user);
        assert_eq!(code(&d, &["Kremlin"]).as_deref(), Some("RUSELI"));
        assert_eq!(code(&d, &["Gondor"]).as_deref(), Some("GON"));
        assert_eq!(code(&d, &["Moscow"]).as_deref(), Some("RUS"));
    }

    #[test]
    fn malformed_lines_name_their_line() {
        let cases = [
            ("+ORPHAN\n", 1),
            ("A [X]\n\n[Y 2011-13-45]\n", 3),
            ("A [X\n", 1),
            ("[X]\n", 1),
            ("A [X]\nB []\n", 2),
            ("A [X]\n+FAEROYENE]_\n", 2),
        ];
        for (text, line) in cases {
            let error = ActorDictionary::parse(text, "bad.actors").unwrap_err();
            assert_eq!(
                (error.origin(), error.line()),
                ("bad.actors", line),
                "{text:?}"
            );
        }
        let report = ActorDictionary::parse_lenient("A [X]\nB [Y\nC [Z]\n", "l");
        assert_eq!(report.skipped.len(), 1);
        assert_eq!(report.dictionary.len(), 2);
    }

    #[test]
    fn reads_several_codes_on_one_line() {
        let d = ActorDictionary::parse(
            "JAVIER_DE_CUELLAR_\t[IGOUNO 820101-911231] [ELI]# IGOrulers.txt\n",
            "intl",
        )
        .unwrap();
        assert_eq!(
            code(&d, &["Javier", "de", "Cuellar"]).as_deref(),
            Some("ELI")
        );
        let in_office = d.lookup_at(
            &["Javier", "de", "Cuellar"],
            Date::parse("19900101").unwrap(),
        );
        assert_eq!(in_office.map(|m| m.code).as_deref(), Some("IGOUNO"));
        assert_eq!(d.entries()[0].codes.len(), 2);
    }

    #[test]
    fn builtin_data_reads_cleanly() {
        for (text, origin) in [
            (include_str!("data/actors.txt"), "actors.txt"),
            (include_str!("data/demonyms.txt"), "demonyms.txt"),
        ] {
            let report = ActorDictionary::parse_lenient(text, origin);
            assert!(report.skipped.is_empty(), "{:?}", report.skipped.first());
        }
    }

    #[test]
    fn builtin_codes_countries_adjectives_and_institutions() {
        let d = ActorDictionary::builtin();
        let expect = [
            (&["Russia"][..], "RUS"),
            (&["Russian"][..], "RUS"),
            (&["Syrian"][..], "SYR"),
            (&["Iranian"][..], "IRN"),
            (&["Iraqi"][..], "IRQ"),
            (&["Turkish"][..], "TUR"),
            (&["American"][..], "USA"),
            (&["British"][..], "GBR"),
            (&["Chinese"][..], "CHN"),
            (&["Swedish"][..], "SWE"),
            (&["Syrians"][..], "SYR"),
            (&["Moscow"][..], "RUS"),
            (&["the", "Kremlin"][..], "RUSGOV"),
            (&["the", "Pentagon"][..], "USAMIL"),
            (&["the", "United", "Nations"][..], "IGOUNO"),
        ];
        for (words, code) in expect {
            assert_eq!(
                d.lookup(words).map(|m| m.code).as_deref(),
                Some(code),
                "{words:?}"
            );
        }
        assert_eq!(d.lookup(&["they", "told", "us"]), None);
        assert_eq!(d.lookup(&["Kim", "Jong", "Un"]).map(|m| m.code), None);
    }
}
