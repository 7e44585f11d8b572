//! Word normalisation shared by dictionary entries and looked-up phrases.

/// A half-open range of word indices, `start..end`, into the words given to a lookup.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct WordRange {
    pub start: usize,
    pub end: usize,
}

impl WordRange {
    pub fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }

    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Characters that wrap words in running text but never belong to a dictionary word.
const WRAPPING: &[char] = &[
    '"', '\u{201c}', '\u{201d}', '\u{201e}', '\u{2018}', '`', '(', ')', '[', ']', '{', '}', ',',
    ';', ':', '!', '?', '\u{ab}', '\u{bb}',
];

/// Hyphens split words into pieces so "anti-government" and "ANTI_GOVERNMENT"
/// meet; an underscore in running text ("Dol_Amroth") joins words the same way.
const HYPHENS: &[char] = &['-', '_', '\u{2010}', '\u{2011}', '\u{2013}'];

/// One hyphen-separated, upper-cased part of an input word.
#[derive(Debug, Clone)]
pub(crate) struct Piece {
    pub text: String,
    /// Index of the input word this piece belongs to.
    pub word: usize,
    /// Whether this is the first piece of its word; matches start only there,
    /// so "GOVERNMENT" is not found inside "anti-government".
    pub word_start: bool,
}

/// Upper-cased pieces of one word, without wrapping punctuation.
fn word_pieces(word: &str) -> impl Iterator<Item = String> + '_ {
    word.trim_matches(WRAPPING)
        .split(HYPHENS)
        .filter(|part| !part.is_empty())
        .map(str::to_uppercase)
}

/// The pieces of a phrase given as words; words that are only punctuation give none.
pub(crate) fn input_pieces(words: &[&str]) -> Vec<Piece> {
    let mut pieces = Vec::new();
    for (index, word) in words.iter().enumerate() {
        for (position, text) in word_pieces(word).enumerate() {
            pieces.push(Piece {
                text,
                word: index,
                word_start: position == 0,
            });
        }
    }
    pieces
}

/// The pieces of a dictionary phrase, where `_` and blanks separate words.
pub(crate) fn phrase_pieces(phrase: &str) -> Vec<String> {
    phrase
        .split(|c: char| c == '_' || c.is_whitespace())
        .flat_map(word_pieces)
        .collect()
}

/// A dictionary phrase as people write it: "RUSSIAN_FEDERATION_" -> "RUSSIAN FEDERATION".
pub(crate) fn display_name(phrase: &str) -> String {
    phrase
        .split(|c: char| c == '_' || c.is_whitespace())
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Spellings a phrase-final word may have in text beyond its dictionary form:
/// possessives ("Russia's"), a sentence-final full stop and regular plurals
/// ("Syrians", "rebels"). The word itself comes first.
pub(crate) fn final_variants(word: &str) -> Vec<String> {
    let mut variants = vec![word.to_string()];
    let push = |candidate: String, variants: &mut Vec<String>| {
        if !candidate.is_empty() && !variants.contains(&candidate) {
            variants.push(candidate);
        }
    };
    let mut base = word;
    if let Some(stem) = base.strip_suffix('.') {
        // "U.S." keeps its stop: only strip when no other stop is inside.
        if !stem.contains('.') {
            push(stem.to_string(), &mut variants);
            base = stem;
        }
    }
    for suffix in ["'S", "\u{2019}S", "'", "\u{2019}"] {
        if let Some(stem) = base.strip_suffix(suffix) {
            push(stem.to_string(), &mut variants);
            base = stem;
            break;
        }
    }
    if base.chars().count() >= 4 {
        if let Some(stem) = base.strip_suffix("IES") {
            push(format!("{stem}Y"), &mut variants);
        }
        if let Some(stem) = base.strip_suffix("ES") {
            push(stem.to_string(), &mut variants);
        }
        if !base.ends_with("SS") {
            if let Some(stem) = base.strip_suffix('S') {
                push(stem.to_string(), &mut variants);
            }
        }
    }
    variants
}

/// Regular English plural of a phrase's last word (PETRARCH's rule, with
/// vowel+Y and -CH/-SH/-X/-Z handled).
pub(crate) fn regular_plural(phrase: &str) -> String {
    let phrase = phrase.trim_end_matches(|c: char| c == '_' || c.is_whitespace());
    let upper = phrase.to_uppercase();
    let before_last = upper.chars().rev().nth(1);
    let vowel_before = matches!(before_last, Some('A' | 'E' | 'I' | 'O' | 'U'));
    if let Some(stem) = upper.strip_suffix('Y') {
        if !vowel_before {
            return format!("{stem}IES");
        }
    }
    if ["S", "X", "Z", "CH", "SH"]
        .iter()
        .any(|end| upper.ends_with(end))
    {
        return format!("{upper}ES");
    }
    format!("{upper}S")
}

/// Whether a word as written may match a one-piece entry. Short all-caps
/// entries are acronyms, and in lower case they are ordinary words: two
/// letters ("US", "UN") need capitals throughout, so neither "us" nor the "Un"
/// of "Kim Jong Un" matches; three ("IRA", "PLO") need at least a capital.
pub(crate) fn case_allows(matched_pieces: &[String], word: &str) -> bool {
    let [only] = matched_pieces else {
        return true;
    };
    match only.chars().filter(|c| c.is_alphabetic()).count() {
        0..=2 => !word.chars().any(char::is_lowercase),
        3 => word.chars().any(char::is_uppercase),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_split_hyphens_and_mark_word_starts() {
        let pieces = input_pieces(&["anti-government", "\"rebels\"", ","]);
        let texts: Vec<&str> = pieces.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, vec!["ANTI", "GOVERNMENT", "REBELS"]);
        assert_eq!(pieces[1].word, 0);
        assert!(!pieces[1].word_start);
        assert_eq!(pieces[2].word, 1);
    }

    #[test]
    fn phrase_pieces_join_underscores() {
        assert_eq!(
            phrase_pieces("ANTI-GOVERNMENT_FORCE_"),
            vec!["ANTI", "GOVERNMENT", "FORCE"]
        );
        assert_eq!(display_name("RUSSIAN_FEDERATION_"), "RUSSIAN FEDERATION");
    }

    #[test]
    fn final_variants_cover_plurals_and_possessives() {
        assert!(final_variants("SYRIANS").contains(&"SYRIAN".to_string()));
        assert!(final_variants("RUSSIA'S").contains(&"RUSSIA".to_string()));
        assert!(final_variants("MILITIES").contains(&"MILITY".to_string()));
        assert!(final_variants("RUSSIA.").contains(&"RUSSIA".to_string()));
        assert_eq!(final_variants("U.S."), vec!["U.S.".to_string()]);
        assert_eq!(final_variants("US"), vec!["US".to_string()]);
    }

    #[test]
    fn short_acronyms_need_capitals() {
        let us = vec!["US".to_string()];
        assert!(case_allows(&us, "US"));
        assert!(!case_allows(&us, "us"));
        assert!(!case_allows(&us, "Us"));
        let ira = vec!["IRA".to_string()];
        assert!(case_allows(&ira, "Ira"));
        assert!(!case_allows(&ira, "ira"));
        assert!(case_allows(&["CHAD".to_string()], "chad"));
    }

    #[test]
    fn plurals_follow_english_rules() {
        assert_eq!(regular_plural("ARMY"), "ARMIES");
        assert_eq!(regular_plural("ATTORNEY"), "ATTORNEYS");
        assert_eq!(regular_plural("BOSS"), "BOSSES");
        assert_eq!(regular_plural("REBEL"), "REBELS");
        assert_eq!(regular_plural("HAMAS WING"), "HAMAS WINGS");
    }
}
