//! Splits text into CoNLL-style words, each with code point and byte offsets and a case shape.
//!
//! Words are what the heads label (the first subword of each word), so training on CoNLL tokens
//! and inference on raw text must cut text the same way: punctuation apart, "U.S." and "Mr."
//! whole, clitics ("'s", "n't") apart, hyphenated words whole.

use crate::record::Span;
use std::ops::Range;

/// The capitalisation pattern of a word, which the uncased base vocabulary loses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CaseShape {
    Lower = 0,
    Title = 1,
    Upper = 2,
    Mixed = 3,
    Digits = 4,
    Other = 5,
}

impl CaseShape {
    pub const COUNT: usize = 6;

    pub fn of(word: &str) -> CaseShape {
        let mut letters = 0usize;
        let mut uppers = 0usize;
        let mut digits = 0usize;
        let mut first_upper = false;
        for (i, c) in word.chars().filter(|c| c.is_alphanumeric()).enumerate() {
            if c.is_numeric() {
                digits += 1;
            } else {
                letters += 1;
                if c.is_uppercase() {
                    uppers += 1;
                    if i == 0 {
                        first_upper = true;
                    }
                }
            }
        }
        match (letters, digits) {
            (0, 0) => CaseShape::Other,
            (0, _) => CaseShape::Digits,
            _ if uppers == 0 => CaseShape::Lower,
            _ if first_upper && uppers == 1 => CaseShape::Title,
            _ if uppers == letters => CaseShape::Upper,
            _ => CaseShape::Mixed,
        }
    }
}

/// One word of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Code point offsets into the text.
    pub span: Span,
    /// Byte offsets into the text, for slicing.
    pub bytes: Range<usize>,
    pub shape: CaseShape,
}

impl Word {
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        &text[self.bytes.clone()]
    }
}

const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "jr", "sr", "gen", "col", "lt", "sgt", "gov", "sen", "rep",
    "inc", "corp", "ltd", "co", "jan", "feb", "mar", "apr", "aug", "sept", "sep", "oct", "nov",
    "dec", "prof", "capt", "maj", "adm", "cmdr", "pres", "vs", "etc", "rev", "fig", "ft",
];

/// Characters that join letters or digits into one word when they stand between them.
fn is_joiner(c: char) -> bool {
    matches!(
        c,
        '-' | '\'' | '’' | '.' | '&' | '_' | '@' | '/' | '\u{2011}'
    )
}

/// A char with its byte offset and code point index.
#[derive(Clone, Copy)]
struct At {
    byte: usize,
    cp: usize,
    c: char,
}

/// Splits `text` into words. Every non-whitespace character belongs to exactly one word.
pub fn split_words(text: &str) -> Vec<Word> {
    let chars: Vec<At> = text
        .char_indices()
        .enumerate()
        .map(|(cp, (byte, c))| At { byte, cp, c })
        .collect();
    let end_of = |i: usize| -> (usize, usize) {
        chars
            .get(i)
            .map(|a| (a.byte, a.cp))
            .unwrap_or((text.len(), chars.len()))
    };
    let mut words = Vec::new();
    let push = |from: usize, to: usize, words: &mut Vec<Word>| {
        let (b0, c0) = end_of(from);
        let (b1, c1) = end_of(to);
        let slice = &text[b0..b1];
        words.push(Word {
            span: Span::new(c0, c1),
            bytes: b0..b1,
            shape: CaseShape::of(slice),
        });
    };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i].c;
        if c.is_whitespace() || c.is_control() {
            i += 1;
            continue;
        }
        if !c.is_alphanumeric() {
            push(i, i + 1, &mut words);
            i += 1;
            continue;
        }
        // An alphanumeric run, with joiners kept when letters or digits follow them.
        let start = i;
        let mut j = i + 1;
        while j < chars.len() {
            let cj = chars[j].c;
            if cj.is_alphanumeric() || is_combining(cj) {
                j += 1;
            } else if (is_joiner(cj) && chars.get(j + 1).is_some_and(|n| n.c.is_alphanumeric()))
                || (cj == ','
                    && chars[j - 1].c.is_ascii_digit()
                    && chars.get(j + 1).is_some_and(|n| n.c.is_ascii_digit()))
            {
                j += 2;
            } else {
                break;
            }
        }
        let body: String = chars[start..j].iter().map(|a| a.c).collect();
        // "U.S." and "Mr." keep their final period.
        if chars.get(j).is_some_and(|a| a.c == '.')
            && (body.contains('.') && body.chars().all(|c| c == '.' || c.is_alphabetic())
                || ABBREVIATIONS.contains(&body.to_lowercase().as_str())
                || body.chars().count() == 1 && body.chars().all(|c| c.is_uppercase()))
        {
            j += 1;
        }
        // Clitics stand apart, as in CoNLL and the Penn Treebank.
        let lower = body.to_lowercase();
        let clitic = [
            "'s", "’s", "n't", "n’t", "'re", "’re", "'ve", "’ve", "'ll", "’ll", "'d", "’d", "'m",
            "’m",
        ]
        .iter()
        .find(|cl| lower.ends_with(*cl) && lower.len() > cl.len())
        .map(|cl| cl.chars().count());
        match clitic {
            Some(n) if j - start > n && chars[j - 1].c != '.' => {
                push(start, j - n, &mut words);
                push(j - n, j, &mut words);
            }
            _ => push(start, j, &mut words),
        }
        i = j;
    }
    words
}

fn is_combining(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F | 0x200D | 0xFE0F)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<String> {
        split_words(text)
            .iter()
            .map(|w| w.text(text).to_string())
            .collect()
    }

    #[test]
    fn splits_punctuation_but_keeps_abbreviations_and_hyphens() {
        assert_eq!(
            texts("Mr. Assad's anti-government U.S. rebels, (\"hi\") 1,000."),
            vec![
                "Mr.",
                "Assad",
                "'s",
                "anti-government",
                "U.S.",
                "rebels",
                ",",
                "(",
                "\"",
                "hi",
                "\"",
                ")",
                "1,000",
                "."
            ]
        );
    }

    #[test]
    fn offsets_are_code_points() {
        let text = "“Café” 😀 Zürich\r\nok";
        let words = split_words(text);
        let chars: Vec<char> = text.chars().collect();
        for w in &words {
            let by_cp: String = chars[w.span.start..w.span.end].iter().collect();
            assert_eq!(by_cp, w.text(text));
        }
        assert_eq!(texts(text), vec!["“", "Café", "”", "😀", "Zürich", "ok"]);
        assert_eq!(words[4].span, Span::new(9, 15));
    }

    #[test]
    fn case_shapes() {
        assert_eq!(CaseShape::of("rebels"), CaseShape::Lower);
        assert_eq!(CaseShape::of("Aleppo"), CaseShape::Title);
        assert_eq!(CaseShape::of("ISIS"), CaseShape::Upper);
        assert_eq!(CaseShape::of("McDonald"), CaseShape::Mixed);
        assert_eq!(CaseShape::of("1996"), CaseShape::Digits);
        assert_eq!(CaseShape::of("--"), CaseShape::Other);
    }
}
