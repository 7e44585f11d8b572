//! Sentence boundaries over words: terminal punctuation followed by a likely sentence start,
//! or a line break between words (news paragraphs are lines).

use super::Word;
use crate::record::Span;
use std::ops::Range;

/// A sentence: its code point span and the range of its words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    pub span: Span,
    pub words: Range<usize>,
}

fn is_terminal(w: &str) -> bool {
    matches!(w, "." | "!" | "?" | "…" | "...")
}

fn is_closing(w: &str) -> bool {
    matches!(w, "\"" | "”" | "’" | "'" | ")" | "]" | "»")
}

fn starts_sentence(w: &str) -> bool {
    w.chars().next().is_some_and(|c| {
        c.is_uppercase() || c.is_numeric() || matches!(c, '"' | '“' | '‘' | '(' | '«' | '\'')
    })
}

/// Groups `words` of `text` into sentences; every word belongs to exactly one sentence.
pub fn split_sentences(text: &str, words: &[Word]) -> Vec<Sentence> {
    let mut sentences = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < words.len() {
        let mut end = i + 1;
        let mut boundary = false;
        if is_terminal(words[i].text(text)) {
            while end < words.len()
                && is_closing(words[end].text(text))
                && !line_break_between(text, &words[end - 1], &words[end])
            {
                end += 1;
            }
            boundary = end == words.len()
                || starts_sentence(words[end].text(text))
                || line_break_between(text, &words[end - 1], &words[end]);
        } else if end < words.len() && line_break_between(text, &words[i], &words[end]) {
            boundary = true;
        }
        if boundary || end == words.len() {
            sentences.push(Sentence {
                span: Span::new(words[start].span.start, words[end - 1].span.end),
                words: start..end,
            });
            start = end;
        }
        i = end;
    }
    sentences
}

fn line_break_between(text: &str, a: &Word, b: &Word) -> bool {
    text[a.bytes.end..b.bytes.start].contains('\n')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::split_words;

    fn sentence_texts(text: &str) -> Vec<String> {
        let words = split_words(text);
        let chars: Vec<char> = text.chars().collect();
        split_sentences(text, &words)
            .iter()
            .map(|s| chars[s.span.start..s.span.end].iter().collect())
            .collect()
    }

    #[test]
    fn splits_on_terminals_and_lines_keeping_abbreviations() {
        let text = "Mr. Assad spoke in the U.S. on Monday. “We will win,” he said.\nRebels fled\nAleppo fell";
        assert_eq!(
            sentence_texts(text),
            vec![
                "Mr. Assad spoke in the U.S. on Monday.",
                "“We will win,” he said.",
                "Rebels fled",
                "Aleppo fell"
            ]
        );
    }

    #[test]
    fn closing_quote_stays_with_its_sentence() {
        assert_eq!(
            sentence_texts("He said “No.” Then left."),
            vec!["He said “No.”", "Then left."]
        );
    }
}
