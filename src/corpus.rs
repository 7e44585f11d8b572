//! Gold-labelled texts for training and evaluation: CoNLL documents and PolNeAR articles
//! turned into words with one BIO tag per word for each head they label.

use crate::io::brat::{AttributedArticle, Role};
use crate::io::conll::ConllDocument;
use crate::record::Span;
use crate::text::{split_words, CaseShape, Word};

/// A text, its words, and gold BIO tags per word for one head.
#[derive(Debug, Clone)]
pub struct LabeledText {
    pub id: String,
    pub text: String,
    pub words: Vec<Word>,
    /// Name of the head these tags train (`entities` or `quotes`).
    pub head: String,
    pub tags: Vec<String>,
}

/// A CoNLL document as one text: tokens joined by spaces, sentences by newlines, so that the
/// model sees document context as it will at inference.
pub fn from_conll(id: &str, doc: &ConllDocument, head: &str) -> LabeledText {
    let mut text = String::new();
    let mut words = Vec::new();
    let mut tags = Vec::new();
    let mut cp = 0;
    for (si, sentence) in doc.sentences.iter().enumerate() {
        if si > 0 {
            text.push('\n');
            cp += 1;
        }
        for (ti, (token, tag)) in sentence.tokens.iter().zip(&sentence.tags).enumerate() {
            if ti > 0 {
                text.push(' ');
                cp += 1;
            }
            let n = token.chars().count();
            let start_byte = text.len();
            text.push_str(token);
            words.push(Word {
                span: Span::new(cp, cp + n),
                bytes: start_byte..text.len(),
                shape: CaseShape::of(token),
            });
            tags.push(tag.clone());
            cp += n;
        }
    }
    LabeledText {
        id: id.to_string(),
        text,
        words,
        head: head.to_string(),
        tags,
    }
}

/// A brat article with BIO tags over SOURCE / CUE / CONTENT. Longer spans are painted first, so
/// a cue or source inside a content keeps its own label.
pub fn from_attributions(article: &AttributedArticle, head: &str) -> LabeledText {
    let words = split_words(&article.text);
    let mut spans: Vec<(Span, Role)> = article
        .attributions
        .iter()
        .flat_map(|a| {
            [
                (a.source, Role::Source),
                (a.cue, Role::Cue),
                (a.content, Role::Content),
            ]
            .into_iter()
            .filter_map(|(s, r)| s.filter(|s| !s.is_empty()).map(|s| (s, r)))
        })
        .collect();
    spans.sort_by_key(|(s, _)| std::cmp::Reverse(s.len()));
    // Each word: the painted role and which span painted it (to tell adjacent spans apart).
    let mut paint: Vec<Option<(Role, usize)>> = vec![None; words.len()];
    for (k, (span, role)) in spans.iter().enumerate() {
        let first = words.partition_point(|w| w.span.end <= span.start);
        for (w, slot) in words[first..].iter().zip(&mut paint[first..]) {
            if w.span.start >= span.end {
                break;
            }
            *slot = Some((*role, k));
        }
    }
    let mut tags = Vec::with_capacity(words.len());
    let mut prev: Option<(Role, usize)> = None;
    for p in &paint {
        tags.push(match p {
            None => "O".to_string(),
            Some((role, k)) if prev.is_some_and(|(_, pk)| pk == *k) => {
                format!("I-{}", role.label())
            }
            Some((role, _)) => format!("B-{}", role.label()),
        });
        prev = *p;
    }
    LabeledText {
        id: article.name.clone(),
        text: article.text.clone(),
        words,
        head: head.to_string(),
        tags,
    }
}

/// The label list of a head from the tags seen: `O`, then `B-X`, `I-X` per type, sorted.
pub fn label_list<'a>(tags: impl Iterator<Item = &'a String>) -> Vec<String> {
    let mut kinds: Vec<String> = tags
        .filter_map(|t| t.split_once('-').map(|(_, k)| k.to_string()))
        .collect();
    kinds.sort();
    kinds.dedup();
    std::iter::once("O".to_string())
        .chain(
            kinds
                .iter()
                .flat_map(|k| [format!("B-{k}"), format!("I-{k}")]),
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::brat::Attribution;
    use crate::io::conll::ConllSentence;

    #[test]
    fn conll_document_offsets_match_tokens() {
        let doc = ConllDocument {
            sentences: vec![
                ConllSentence {
                    tokens: vec!["Zürich".into(), "won".into()],
                    tags: vec!["B-LOC".into(), "O".into()],
                },
                ConllSentence {
                    tokens: vec!["Yes".into()],
                    tags: vec!["O".into()],
                },
            ],
        };
        let lt = from_conll("d", &doc, "entities");
        assert_eq!(lt.text, "Zürich won\nYes");
        assert_eq!(lt.words[2].span, Span::new(11, 14));
        assert_eq!(lt.words[0].text(&lt.text), "Zürich");
    }

    #[test]
    fn inner_cue_keeps_its_label() {
        let text = "He said that rebels , he claimed , fled .";
        let article = AttributedArticle {
            name: "a".into(),
            text: text.into(),
            attributions: vec![
                Attribution {
                    source: Some(Span::new(0, 2)),
                    cue: Some(Span::new(3, 7)),
                    content: Some(Span::new(13, 39)),
                },
                Attribution {
                    source: Some(Span::new(22, 24)),
                    cue: Some(Span::new(25, 32)),
                    content: None,
                },
            ],
        };
        let lt = from_attributions(&article, "quotes");
        assert_eq!(
            lt.tags,
            [
                "B-SOURCE",
                "B-CUE",
                "O",
                "B-CONTENT",
                "I-CONTENT",
                "B-SOURCE",
                "B-CUE",
                "B-CONTENT",
                "I-CONTENT",
                "O"
            ]
        );
        assert_eq!(
            label_list(lt.tags.iter()),
            [
                "O",
                "B-CONTENT",
                "I-CONTENT",
                "B-CUE",
                "I-CUE",
                "B-SOURCE",
                "I-SOURCE"
            ]
        );
    }
}
