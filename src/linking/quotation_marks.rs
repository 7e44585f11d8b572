//! Quoted stretches of a text: quotation marks paired by kind and position (straight and curly,
//! nested single inside double, a quote reopened at the start of the next paragraph).

use std::ops::Range;

use super::parsed::ParsedDocument;

/// Words between an opening mark and its closing mark (marks excluded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct QuotedRegion {
    pub inner: Range<usize>,
    /// 0 for an outer quote, 1 for a quote inside it.
    pub depth: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Double,
    Single,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Open(Kind),
    Close(Kind),
    /// A straight mark: opens or closes depending on what is open.
    Either(Kind),
}

/// What a one-character word does as a quotation mark; `glued_left`/`glued_right` say whether
/// a word touches it without a space on that side.
fn role(word: &str, glued_left: bool, glued_right: bool) -> Option<Role> {
    let straight = |kind| match (glued_left, glued_right) {
        (false, true) => Role::Open(kind),
        (true, false) => Role::Close(kind),
        _ => Role::Either(kind),
    };
    Some(match word {
        "“" | "„" | "«" | "``" => Role::Open(Kind::Double),
        "”" | "»" | "''" => Role::Close(Kind::Double),
        "‘" | "‹" => Role::Open(Kind::Single),
        "’" | "›" => Role::Close(Kind::Single),
        "\"" => straight(Kind::Double),
        "'" => straight(Kind::Single),
        _ => return None,
    })
}

/// Whether a word is a quotation mark of any kind (opening, closing or straight).
pub(crate) fn is_quotation_mark(word: &str) -> bool {
    role(word, false, false).is_some()
}

struct Open {
    kind: Kind,
    word: usize,
}

/// All quoted regions of the document, outer before inner where they start together.
pub(crate) fn quoted_regions(pd: &ParsedDocument) -> Vec<QuotedRegion> {
    let doc = pd.doc;
    let n = doc.words.len();
    let mut stack: Vec<Open> = Vec::new();
    let mut regions = Vec::new();
    let close = |stack: &mut Vec<Open>, regions: &mut Vec<QuotedRegion>, at: usize| {
        if let Some(open) = stack.pop() {
            regions.push(QuotedRegion {
                inner: open.word + 1..at,
                depth: stack.len(),
            });
        }
    };
    for w in 0..n {
        let word = pd.word_text(w);
        let glued_left = w > 0 && doc.words[w - 1].bytes.end == doc.words[w].bytes.start;
        let glued_right = w + 1 < n && doc.words[w].bytes.end == doc.words[w + 1].bytes.start;
        let role = role(word, glued_left, glued_right);
        if w > 0 && pd.line_break_after(w - 1) && !stack.is_empty() {
            // A quote left open at a paragraph end continues only if this mark reopens it.
            let reopens = matches!(
                role,
                Some(Role::Open(Kind::Double) | Role::Either(Kind::Double))
            );
            if reopens && stack.last().is_some_and(|o| o.kind == Kind::Double) {
                continue;
            }
            while !stack.is_empty() {
                close(&mut stack, &mut regions, w);
            }
        }
        let Some(role) = role else { continue };
        match role {
            Role::Open(kind) => stack.push(Open { kind, word: w }),
            Role::Close(kind) => {
                if let Some(depth) = stack.iter().rposition(|o| o.kind == kind) {
                    // Marks left open inside this quote were never closed: drop them.
                    stack.truncate(depth + 1);
                    close(&mut stack, &mut regions, w);
                }
                // A closing single mark with nothing open is an apostrophe.
            }
            Role::Either(kind) => {
                if stack.last().is_some_and(|o| o.kind == kind) {
                    close(&mut stack, &mut regions, w);
                } else if kind == Kind::Double || glued_right {
                    stack.push(Open { kind, word: w });
                }
            }
        }
    }
    // Unclosed quotes run to the end of their paragraph.
    for open in stack.drain(..).rev() {
        let mut end = open.word + 1;
        while end < n && !pd.line_break_after(end - 1) {
            end += 1;
        }
        regions.push(QuotedRegion {
            inner: open.word + 1..end,
            depth: 0,
        });
    }
    regions.sort_by_key(|r| (r.inner.start, std::cmp::Reverse(r.inner.end)));
    regions.retain(|r| r.inner.start < r.inner.end);
    regions
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Document;
    use crate::linking::lexicon::{ActorDictionary, VerbLexicon};
    use crate::text::{split_sentences, split_words, WindowPlan};

    fn regions(text: &str) -> Vec<String> {
        let words = split_words(text);
        let sentences = split_sentences(text, &words);
        let doc = Document {
            text: text.into(),
            words,
            sentences,
            subwords: Vec::new(),
            plan: WindowPlan::new(&[], 1, 1),
            sentence_plan: WindowPlan::new(&[], 1, 1),
        };
        let pd = ParsedDocument::new(
            &doc,
            &[],
            ActorDictionary::builtin(),
            VerbLexicon::builtin(),
            None,
        );
        quoted_regions(&pd)
            .iter()
            .map(|r| doc.text_of(r.inner.clone()).to_string())
            .collect()
    }

    #[test]
    fn pairs_curly_straight_and_nested_marks() {
        assert_eq!(
            regions("“We will win,” he said. \"No,\" she said."),
            vec!["We will win,", "No,"]
        );
        assert_eq!(
            regions("“They told us, ‘Leave now,’ and we left,” she said of Syria’s war."),
            vec!["They told us, ‘Leave now,’ and we left,", "Leave now,"]
        );
    }

    #[test]
    fn a_quote_reopened_in_the_next_paragraph_continues() {
        assert_eq!(
            regions("“Russia hit us again.\n“We need more,” he said."),
            vec!["Russia hit us again.\n“We need more,"]
        );
        assert_eq!(
            regions("“Unclosed words here\nNext paragraph."),
            vec!["Unclosed words here"]
        );
    }
}
