//! Pronoun resolution on a CorefUD treebank (GUM): for each third-person personal pronoun
//! (`PronType=Prs`, `Person=3`) that is a mention of an entity mentioned before it, whether the
//! pipeline's antecedent lies in a mention of that entity (the innermost gold mention around
//! the antecedent's head word is the pronoun's entity). The model reads each document over
//! the treebank's own words and sentences.

use serde::Serialize;

use crate::corpus::from_treebank;
use crate::document::{Document, WindowOptions};
use crate::io::conllu::{documents, UdSentence, UdWord};
use crate::io::corefud::{document_mentions, GoldMention};
use crate::linking::resolve_pronouns;
use crate::model::ModelError;
use crate::pipeline::{Pipeline, PipelineError};

/// Documents read by the model at once.
const DOCUMENTS_PER_CALL: usize = 8;

/// Pronoun resolution counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct CorefScores {
    pub documents: usize,
    /// Third-person pronouns whose entity was mentioned before them: the denominator.
    pub pronouns: usize,
    /// Of those, the ones given an antecedent at all.
    pub resolved: usize,
    /// Of those, the ones whose antecedent is a mention of their entity.
    pub right: usize,
    /// Documents skipped for brackets that do not pair up.
    pub skipped: usize,
}

impl CorefScores {
    /// The share of pronouns resolved to a mention of their entity: the measure.
    pub fn accuracy(&self) -> f64 {
        self.right as f64 / self.pronouns.max(1) as f64
    }

    /// The share right among those resolved.
    pub fn precision(&self) -> f64 {
        self.right as f64 / self.resolved.max(1) as f64
    }
}

fn is_third_person_pronoun(word: &UdWord) -> bool {
    let feats: Vec<&str> = word.feats.split('|').collect();
    word.upos == "PRON" && feats.contains(&"PronType=Prs") && feats.contains(&"Person=3")
}

/// Scores `pipeline`'s pronoun resolution on `sentences` (a CorefUD treebank).
pub fn score_coref(
    pipeline: &Pipeline,
    sentences: &[UdSentence],
    windows: WindowOptions,
) -> Result<CorefScores, PipelineError> {
    let mut scores = CorefScores::default();
    let mut gold = Vec::new();
    for doc in documents(sentences) {
        match document_mentions(doc) {
            Ok(mentions) => gold.push((doc, mentions)),
            Err(_) => scores.skipped += 1,
        }
    }
    for group in gold.chunks(DOCUMENTS_PER_CALL) {
        let texts: Vec<_> = group.iter().map(|(d, _)| from_treebank(d)).collect();
        let docs = texts
            .iter()
            .map(|t| {
                Document::from_sentences(
                    t.text.clone(),
                    t.words.clone(),
                    &t.sentences,
                    &pipeline.model().tokenizer,
                    windows,
                )
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(ModelError::from)?;
        let readings = pipeline.read_documents(&docs)?;
        for ((sentences, mentions), (doc, reading)) in group.iter().zip(docs.iter().zip(readings)) {
            let Some(syntax) = &reading.syntax else {
                return Err(ModelError::Config {
                    path: "config.json".into(),
                    reason: "the model has no syntax heads (upos, lemma, deps)".into(),
                }
                .into());
            };
            let antecedents = resolve_pronouns(doc, &reading.entities, syntax);
            let words: Vec<&UdWord> = sentences.iter().flat_map(|s| &s.words).collect();
            scores.documents += 1;
            score_document(&words, mentions, |w| antecedents.of(w), &mut scores);
        }
    }
    Ok(scores)
}

/// Adds one document's pronouns to `scores`; `antecedent` gives ours for a word.
fn score_document(
    words: &[&UdWord],
    mentions: &[GoldMention],
    antecedent: impl Fn(usize) -> Option<usize>,
    scores: &mut CorefScores,
) {
    for (w, word) in words.iter().enumerate() {
        if !is_third_person_pronoun(word) {
            continue;
        }
        let Some(own) = mentions.iter().find(|m| m.words == (w..w + 1)) else {
            continue;
        };
        let mentioned_before = mentions
            .iter()
            .any(|m| m.entity == own.entity && m.words.end <= w);
        if !mentioned_before {
            continue;
        }
        scores.pronouns += 1;
        let Some(a) = antecedent(w) else {
            continue;
        };
        scores.resolved += 1;
        let innermost = mentions
            .iter()
            .filter(|m| m.words.contains(&a))
            .min_by_key(|m| m.words.len());
        if innermost.is_some_and(|m| m.entity == own.entity) {
            scores.right += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::conllu::parse_conllu;

    #[test]
    fn a_pronoun_counts_right_when_the_innermost_mention_around_its_antecedent_is_its_entity() {
        // [[The CEO]1 of [Acme]2]1 resigned . [He]1 left [it]2 . [It]3 rained .
        let doc = "\
1\tThe\tthe\tDET\t_\t_\t2\tdet\t_\tEntity=(1-person
2\tCEO\tCEO\tNOUN\t_\t_\t5\tnsubj\t_\t_
3\tof\tof\tADP\t_\t_\t4\tcase\t_\t_
4\tAcme\tAcme\tPROPN\t_\t_\t2\tnmod\t_\tEntity=(2-organization)1)
5\tresigned\tresign\tVERB\t_\t_\t0\troot\t_\t_

1\tHe\the\tPRON\t_\tPerson=3|PronType=Prs\t2\tnsubj\t_\tEntity=(1-person)
2\tleft\tleave\tVERB\t_\t_\t0\troot\t_\t_
3\tit\tit\tPRON\t_\tPerson=3|PronType=Prs\t2\tobj\t_\tEntity=(2-organization)
4\tIt\tit\tPRON\t_\tPerson=3|PronType=Prs\t5\texpl\t_\tEntity=(3-abstract)
5\trained\train\tVERB\t_\t_\t2\tparataxis\t_\t_
";
        let bank = parse_conllu(doc, "t");
        assert!(bank.skipped.is_empty(), "{:?}", bank.skipped);
        let mentions = document_mentions(&bank.sentences).unwrap();
        let words: Vec<&UdWord> = bank.sentences.iter().flat_map(|s| &s.words).collect();
        // He -> CEO (right), it -> Acme's word "Acme" (right); "It" 3 is a first mention.
        let mut scores = CorefScores::default();
        score_document(
            &words,
            &mentions,
            |w| {
                [None, None, None, None, None, Some(1), None, Some(3)]
                    .get(w)
                    .copied()
                    .flatten()
            },
            &mut scores,
        );
        assert_eq!((scores.pronouns, scores.resolved, scores.right), (2, 2, 2));
        // He -> "Acme": inside the CEO's mention, but its innermost mention is Acme's: wrong.
        let mut scores = CorefScores::default();
        score_document(&words, &mentions, |w| (w == 5).then_some(3), &mut scores);
        assert_eq!((scores.pronouns, scores.resolved, scores.right), (2, 1, 0));
    }
}
