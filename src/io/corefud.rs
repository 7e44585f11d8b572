//! Gold coreference in CorefUD's MISC notation (`Entity=(e1-person-...` opens a mention of
//! entity `e1` at a word, `e1)` closes it, `(e2-place-...)` is a one-word mention), as GUM
//! carries it: the mentions of a document with their entity, over the document's words.

use std::ops::Range;

use super::conllu::UdSentence;

/// One gold mention: its entity's id (`"1"` of `(1-abstract-new-...`) and the document words
/// it covers (words numbered across the document's sentences, from 0).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldMention {
    pub entity: String,
    pub words: Range<usize>,
}

/// A bracket that does not pair up: where and what.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("word {word} of the document: {problem}")]
pub struct BracketError {
    pub word: usize,
    pub problem: String,
}

/// The mentions of one document (its sentences in order), sorted by start then by length,
/// longest first, so an enclosing mention comes before those inside it.
pub fn document_mentions(sentences: &[UdSentence]) -> Result<Vec<GoldMention>, BracketError> {
    let mut open: Vec<(String, usize)> = Vec::new();
    let mut out = Vec::new();
    let words = sentences.iter().flat_map(|s| &s.words);
    for (w, word) in words.enumerate() {
        let Some(brackets) = &word.entity else {
            continue;
        };
        for part in split_brackets(brackets) {
            match part {
                Bracket::Open(id) => open.push((id, w)),
                Bracket::Single(id) => out.push(GoldMention {
                    entity: id,
                    words: w..w + 1,
                }),
                Bracket::Close(id) => {
                    let Some(at) = open.iter().rposition(|(o, _)| *o == id) else {
                        return Err(BracketError {
                            word: w,
                            problem: format!("{id}) closes no open mention"),
                        });
                    };
                    let (entity, start) = open.remove(at);
                    out.push(GoldMention {
                        entity,
                        words: start..w + 1,
                    });
                }
            }
        }
    }
    if let Some((id, start)) = open.first() {
        return Err(BracketError {
            word: *start,
            problem: format!("({id} is never closed"),
        });
    }
    out.sort_by_key(|m| (m.words.start, std::cmp::Reverse(m.words.end)));
    Ok(out)
}

enum Bracket {
    Open(String),
    Close(String),
    Single(String),
}

/// `(4-place-new-...-United_States` -> Open("4"); `4)1)` -> Close("4"), Close("1");
/// `(2-abstract-...-coref)` -> Single("2"). A discontinuous part's `[1/2]` is dropped from the
/// id, so its parts read as separate mentions of the entity.
fn split_brackets(value: &str) -> Vec<Bracket> {
    let mut out = Vec::new();
    let mut rest = value;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('(') {
            let end = after.find(['(', ')']).unwrap_or(after.len());
            let id = entity_id(&after[..end]);
            if after[end..].starts_with(')') {
                out.push(Bracket::Single(id));
                rest = &after[end + 1..];
            } else {
                out.push(Bracket::Open(id));
                rest = &after[end..];
            }
        } else {
            let end = rest.find(')').unwrap_or(rest.len());
            out.push(Bracket::Close(entity_id(&rest[..end])));
            rest = rest.get(end + 1..).unwrap_or("");
        }
    }
    out
}

fn entity_id(annotation: &str) -> String {
    let id = annotation.split('-').next().unwrap_or(annotation);
    id.split('[').next().unwrap_or(id).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::conllu::parse_conllu;

    #[test]
    fn nested_and_one_word_mentions_pair_up_across_sentences() {
        // [[racial groups]3 in [America]4]1 . || [They]3 left .
        let doc = "\
1\tracial\tracial\tADJ\t_\t_\t2\tamod\t_\tEntity=(1-abstract-new(3-person-new-s-cf3-2
2\tgroups\tgroup\tNOUN\t_\t_\t0\troot\t_\tEntity=3)
3\tin\tin\tADP\t_\t_\t4\tcase\t_\t_
4\tAmerica\tAmerica\tPROPN\t_\t_\t2\tnmod\t_\tEntity=(4-place-new-cf2-1-sgl-United_States)1)

1\tThey\tthey\tPRON\t_\tPerson=3\t2\tnsubj\t_\tEntity=(3-person-giv-s-cf1-1-coref)
2\tleft\tleave\tVERB\t_\t_\t0\troot\t_\t_
";
        let bank = parse_conllu(doc, "t");
        assert!(bank.skipped.is_empty(), "{:?}", bank.skipped);
        assert_eq!(bank.sentences[1].words[0].feats, "Person=3");
        let mentions = document_mentions(&bank.sentences).unwrap();
        let got: Vec<(&str, Range<usize>)> = mentions
            .iter()
            .map(|m| (m.entity.as_str(), m.words.clone()))
            .collect();
        assert_eq!(
            got,
            vec![("1", 0..4), ("3", 0..2), ("4", 3..4), ("3", 4..5)]
        );
    }

    #[test]
    fn an_unpaired_bracket_is_an_error_with_its_word() {
        let doc = "1\ta\ta\tX\t_\t_\t0\troot\t_\tEntity=5)\n";
        let bank = parse_conllu(doc, "t");
        let e = document_mentions(&bank.sentences).unwrap_err();
        assert_eq!(e.word, 0);
        assert!(e.problem.contains("5)"), "{e}");
    }
}
