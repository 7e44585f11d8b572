//! Gold-labelled texts for training and evaluation: CoNLL documents and PolNeAR articles
//! turned into words with one BIO tag per word for each head they label, and treebank
//! sentences into words with their syntax.

use crate::io::brat::{AttributedArticle, Role};
use crate::io::conll::ConllDocument;
use crate::io::conllu::UdSentence;
use crate::record::Span;
use crate::tagging::LemmaScript;
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

/// Treebank sentences as one text: words joined as the treebank says (`SpaceAfter=No`), sentences
/// by newlines; the syntax of every word.
#[derive(Debug, Clone)]
pub struct ParsedText {
    pub text: String,
    pub words: Vec<Word>,
    /// The words of each sentence.
    pub sentences: Vec<std::ops::Range<usize>>,
    pub upos: Vec<String>,
    pub lemmas: Vec<String>,
    /// Each word's lemma as the lemma head's label (`LemmaScript::label`).
    pub lemma_scripts: Vec<String>,
    /// 0 for the root, else the 1-based index of the head in the word's sentence.
    pub heads: Vec<usize>,
    pub relations: Vec<String>,
}

pub fn from_treebank(sentences: &[UdSentence]) -> ParsedText {
    let mut out = ParsedText {
        text: String::new(),
        words: Vec::new(),
        sentences: Vec::new(),
        upos: Vec::new(),
        lemmas: Vec::new(),
        lemma_scripts: Vec::new(),
        heads: Vec::new(),
        relations: Vec::new(),
    };
    let mut cp = 0;
    for (si, sentence) in sentences.iter().enumerate() {
        if si > 0 {
            out.text.push('\n');
            cp += 1;
        }
        let first = out.words.len();
        for (wi, word) in sentence.words.iter().enumerate() {
            if wi > 0 && !sentence.words[wi - 1].no_space_after {
                out.text.push(' ');
                cp += 1;
            }
            let n = word.form.chars().count();
            let start_byte = out.text.len();
            out.text.push_str(&word.form);
            out.words.push(Word {
                span: Span::new(cp, cp + n),
                bytes: start_byte..out.text.len(),
                shape: CaseShape::of(&word.form),
            });
            cp += n;
            out.upos.push(word.upos.clone());
            out.lemmas.push(word.lemma.clone());
            out.lemma_scripts
                .push(LemmaScript::between(&word.form, &word.lemma).label());
            out.heads.push(word.head);
            out.relations.push(word.deprel.clone());
        }
        out.sentences.push(first..out.words.len());
    }
    out
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
    fn treebank_sentences_join_as_the_treebank_spaces_them() {
        let bank = crate::io::conllu::parse_conllu(
            "1\tI\tI\tPRON\t_\t_\t2\tnsubj\t_\t_\n2\tsaw\tsee\tVERB\t_\t_\t0\troot\t_\tSpaceAfter=No\n3\t.\t.\tPUNCT\t_\t_\t2\tpunct\t_\t_\n\n1\tYes\tyes\tINTJ\t_\t_\t0\troot\t_\t_\n",
            "t",
        );
        let parsed = from_treebank(&bank.sentences);
        assert_eq!(parsed.text, "I saw.\nYes");
        assert_eq!(parsed.sentences, [0..3, 3..4]);
        assert_eq!(parsed.words[3].span, Span::new(7, 10));
        assert_eq!(parsed.lemma_scripts[1], "l;2;ee");
        assert_eq!(parsed.lemma_scripts[3], "l;0;");
        assert_eq!(parsed.heads, [2, 0, 2, 0]);
    }

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
