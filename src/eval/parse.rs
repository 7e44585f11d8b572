//! Scores the syntax heads on a treebank with gold tokenisation, as the CoNLL 2018 shared task's
//! evaluation script does: UPOS, lemma, UAS and LAS over every word, punctuation included, LAS
//! comparing relations without their subtypes.

use crate::corpus::{from_treebank, ParsedText};
use crate::document::{Document, WindowOptions};
use crate::inference::predict;
use crate::io::conllu::{UdSentence, UdWord};
use crate::model::{ModelError, TokenClassifier, Windows};
use crate::parsing::{parse_document, sentence_tokens, HeadOutputs};
use crate::pipeline::PipelineError;
use crate::record::Token;
use serde::Serialize;

/// Counts of right words per measure, over `words`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct ParseScores {
    pub words: usize,
    pub upos: usize,
    pub lemma: usize,
    pub uas: usize,
    pub las: usize,
}

impl ParseScores {
    /// The scores of `parsed` (as `parse_sentences` gives it) against the gold `sentences`.
    pub fn of(sentences: &[UdSentence], parsed: &[Vec<Token>]) -> ParseScores {
        let mut scores = ParseScores::default();
        for (gold, ours) in sentences.iter().zip(parsed) {
            for (word, token) in gold.words.iter().zip(ours) {
                scores.add(word, token);
            }
        }
        scores
    }

    fn share(&self, right: usize) -> f64 {
        right as f64 / self.words.max(1) as f64
    }
    pub fn upos_accuracy(&self) -> f64 {
        self.share(self.upos)
    }
    pub fn lemma_accuracy(&self) -> f64 {
        self.share(self.lemma)
    }
    pub fn uas_score(&self) -> f64 {
        self.share(self.uas)
    }
    pub fn las_score(&self) -> f64 {
        self.share(self.las)
    }

    /// Adds one word: the gold syntax and ours (`head` -1 for the root, else a 0-based index).
    fn add(&mut self, gold: &UdWord, ours: &Token) {
        self.words += 1;
        self.upos += usize::from(ours.upos == gold.upos);
        // The script counts a lemma right against an unannotated gold lemma.
        self.lemma += usize::from(gold.lemma == "_" || ours.lemma == gold.lemma);
        if ours.head + 1 == gold.head as i64 {
            self.uas += 1;
            self.las += usize::from(universal(&ours.deprel) == universal(&gold.deprel));
        }
    }
}

/// The universal part of a relation (`nsubj:pass` -> `nsubj`).
fn universal(relation: &str) -> &str {
    relation.split(':').next().unwrap_or(relation)
}

/// Documents of a treebank: its `# newdoc` groups, cut to at most `MAX_SENTENCES` sentences.
fn documents(sentences: &[UdSentence]) -> Vec<&[UdSentence]> {
    const MAX_SENTENCES: usize = 64;
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=sentences.len() {
        if i == sentences.len() || sentences[i].newdoc.is_some() || i - start >= MAX_SENTENCES {
            if i > start {
                out.push(&sentences[start..i]);
            }
            start = i;
        }
    }
    out
}

/// UPOS, lemma, UAS and LAS of `model` over `sentences`, read with the windows `extract` uses.
///
/// ```no_run
/// use newsevents::io::conllu::read_conllu;
/// use newsevents::{score_parse, ModelSource, TokenClassifier};
/// let model = TokenClassifier::load(&ModelSource::default_model(), &candle_core::Device::Cpu)?;
/// let bank = read_conllu("en_ewt-ud-test.conllu".as_ref())?;
/// let scores = score_parse(&model, &bank.sentences, Default::default(), 16)?;
/// println!("UAS {:.4} LAS {:.4}", scores.uas_score(), scores.las_score());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn score_parse(
    model: &TokenClassifier,
    sentences: &[UdSentence],
    windows: WindowOptions,
    batch_size: usize,
) -> Result<ParseScores, PipelineError> {
    let parsed = parse_sentences(model, sentences, windows, batch_size)?;
    Ok(ParseScores::of(sentences, &parsed))
}

/// Our parse of treebank sentences as CoNLL-U: the gold ids, forms and spacing, our lemma,
/// UPOS, head and relation.
pub fn treebank_conllu(sentences: &[UdSentence], parsed: &[Vec<Token>]) -> String {
    let mut out = String::new();
    for (k, (gold, ours)) in sentences.iter().zip(parsed).enumerate() {
        if let Some(doc) = &gold.newdoc {
            out += &format!("# newdoc id = {doc}\n");
        }
        let id = gold.sent_id.clone().unwrap_or_else(|| (k + 1).to_string());
        out += &format!("# sent_id = {id}\n");
        for (i, (word, token)) in gold.words.iter().zip(ours).enumerate() {
            out += &format!(
                "{}\t{}\t{}\t{}\t_\t_\t{}\t{}\t_\t{}\n",
                i + 1,
                word.form,
                token.lemma,
                token.upos,
                token.head + 1,
                token.deprel,
                if word.no_space_after {
                    "SpaceAfter=No"
                } else {
                    "_"
                }
            );
        }
        out.push('\n');
    }
    out
}

/// The model's parse of each treebank sentence over its own words (gold tokenisation and
/// sentences), one token per word, in order: what `score_parse` scores, and what
/// `eval parse --output` writes for other evaluation tools.
pub fn parse_sentences(
    model: &TokenClassifier,
    sentences: &[UdSentence],
    windows: WindowOptions,
    batch_size: usize,
) -> Result<Vec<Vec<Token>>, PipelineError> {
    if model.parser.is_none() {
        return Err(ModelError::Config {
            path: "config.json".into(),
            reason: "the model has no syntax heads (upos, lemma, deps)".into(),
        }
        .into());
    }
    let mut passes: Vec<Windows> = model.heads.iter().map(|h| h.windows).collect();
    passes.extend(model.parser.as_ref().map(|p| p.windows));
    passes.sort();
    passes.dedup();
    let mut out = Vec::with_capacity(sentences.len());
    for group in documents(sentences).chunks(16) {
        let gold: Vec<ParsedText> = group.iter().map(|d| from_treebank(d)).collect();
        let docs = gold
            .iter()
            .map(|g| {
                Document::from_sentences(
                    g.text.clone(),
                    g.words.clone(),
                    &g.sentences,
                    &model.tokenizer,
                    windows,
                )
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(ModelError::from)?;
        let by_pass = passes
            .iter()
            .map(|&w| predict(model, &docs, batch_size, w))
            .collect::<candle_core::Result<Vec<_>>>()?;
        for (d, (doc, g)) in docs.iter().zip(&gold).enumerate() {
            let probs: Vec<_> = by_pass.iter().map(|p| &p[d]).collect();
            let outputs = HeadOutputs {
                model,
                passes: &passes,
                probs: &probs,
            };
            let syntax = parse_document(doc, &outputs)?.unwrap_or_default();
            for sentence in &g.sentences {
                out.push(sentence_tokens(doc, &syntax, sentence.clone()));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_count_words_as_the_shared_task_does() {
        let bank = crate::io::conllu::parse_conllu(
            "1\tRebels\trebel\tNOUN\t_\t_\t2\tnsubj:pass\t_\t_\n\
2\twere\tbe\tAUX\t_\t_\t0\troot\t_\t_\n\
3\tseen\tsee\tVERB\t_\t_\t2\tpunct\t_\t_\n",
            "t",
        );
        let token = |upos: &str, lemma: &str, head, deprel: &str| Token {
            span: crate::record::TextSpan::new(0, 0, String::new()),
            upos: upos.into(),
            lemma: lemma.into(),
            head,
            deprel: deprel.into(),
        };
        let ours = [
            // right head, relation right but for its subtype: counts for LAS
            token("NOUN", "rebel", 1, "nsubj"),
            // right head (the root), wrong relation, wrong UPOS and lemma
            token("VERB", "were", -1, "ccomp"),
            // wrong head
            token("VERB", "see", 0, "punct"),
        ];
        let mut scores = ParseScores::default();
        for (gold, o) in bank.sentences[0].words.iter().zip(&ours) {
            scores.add(gold, o);
        }
        assert_eq!(
            scores,
            ParseScores {
                words: 3,
                upos: 2,
                lemma: 2,
                uas: 2,
                las: 1
            }
        );
        assert!((scores.las_score() - 1.0 / 3.0).abs() < 1e-12);
    }
}
