//! The syntax of a prepared document from the syntax heads: each word's UPOS and lemma (the
//! argmax of its head), and one dependency tree per sentence from the dependency head.

use crate::document::Document;
use crate::inference::WordProbs;
use crate::model::{SentenceBatch, TokenClassifier, LEMMA, UPOS};
use crate::record::TextSpan;
use crate::record::Token;
use crate::tagging::LemmaScript;
use candle_core::Tensor;

const SENTENCES_PER_CALL: usize = 32;

/// The syntax of one word.
#[derive(Debug, Clone, PartialEq)]
pub struct WordSyntax {
    pub upos: String,
    pub lemma: String,
    /// The head word's index in the document; `None` for the sentence's root.
    pub head: Option<usize>,
    /// The UD relation to the head, with its subtype.
    pub deprel: String,
}

/// The heads' outputs for a document, one `WordProbs` per encoder pass.
pub struct HeadOutputs<'a> {
    pub model: &'a TokenClassifier,
    /// The passes' windows, in the order of `probs`.
    pub passes: &'a [crate::model::Windows],
    pub probs: &'a [&'a WordProbs],
}

impl HeadOutputs<'_> {
    fn pass(&self, windows: crate::model::Windows) -> &WordProbs {
        let i = self
            .passes
            .iter()
            .position(|&w| w == windows)
            .expect("every head's pass ran");
        self.probs[i]
    }

    /// Each word's best label of head `name`, if the model has it.
    fn labels_of(&self, name: &str, words: usize) -> Option<Vec<&str>> {
        let i = self.model.heads.iter().position(|h| h.name == name)?;
        let head = &self.model.heads[i];
        let probs = &self.pass(head.windows).probs[i];
        let n = head.labels.len();
        Some(
            (0..words)
                .map(|w| {
                    let row = &probs[w * n..(w + 1) * n];
                    let best = row
                        .iter()
                        .enumerate()
                        .fold(
                            (0, f32::NEG_INFINITY),
                            |a, (k, &v)| if v > a.1 { (k, v) } else { a },
                        )
                        .0;
                    head.labels[best].as_str()
                })
                .collect(),
        )
    }
}

/// The output tokens of the sentence of words `words`: heads become indices into the sentence
/// (-1 for its root).
pub fn sentence_tokens(
    doc: &Document,
    syntax: &[WordSyntax],
    words: std::ops::Range<usize>,
) -> Vec<Token> {
    words
        .clone()
        .map(|w| {
            let word = &doc.words[w];
            let s = &syntax[w];
            Token {
                span: TextSpan::new(
                    word.span.start,
                    word.span.end,
                    word.text(&doc.text).to_string(),
                ),
                upos: s.upos.clone(),
                lemma: s.lemma.clone(),
                head: s.head.map_or(-1, |h| (h - words.start) as i64),
                deprel: s.deprel.clone(),
            }
        })
        .collect()
}

/// The syntax of every word of `doc`, or `None` when the model has no syntax heads.
pub fn parse_document(
    doc: &Document,
    outputs: &HeadOutputs,
) -> candle_core::Result<Option<Vec<WordSyntax>>> {
    let model = outputs.model;
    let (Some(parser), Some(upos), Some(lemmas)) = (
        &model.parser,
        outputs.labels_of(UPOS, doc.words.len()),
        outputs.labels_of(LEMMA, doc.words.len()),
    ) else {
        return Ok(None);
    };
    let hidden = model.config.hidden_size;
    let vectors = &outputs.pass(parser.windows).vectors;
    let mut syntax: Vec<WordSyntax> = doc
        .words
        .iter()
        .zip(upos.iter().zip(&lemmas))
        .map(|(word, (upos, script))| {
            let form = word.text(&doc.text);
            // A form the training treebanks had keeps their lemma; the head's script does
            // the rest.
            let known = model.lemmas.as_ref().and_then(|l| l.lemma(form, upos));
            WordSyntax {
                upos: upos.to_string(),
                lemma: known.map(str::to_string).unwrap_or_else(|| {
                    LemmaScript::parse(script).map_or_else(|| form.to_string(), |s| s.apply(form))
                }),
                head: None,
                deprel: String::new(),
            }
        })
        .collect();
    if doc.words.is_empty() {
        return Ok(Some(syntax));
    }
    let words = Tensor::from_slice(vectors, (doc.words.len(), hidden), model.device())?;
    // A few dozen sentences at a time, of similar lengths, bound the (sentences x width x
    // width) score tensor and the padding in it.
    let mut order: Vec<&crate::text::Sentence> = doc.sentences.iter().collect();
    order.sort_by_key(|s| s.words.len());
    for sentences in order.chunks(SENTENCES_PER_CALL) {
        // The chunk's own words, numbered from 0: the head's MLPs run on these alone.
        let mut next = 0u32;
        let rows: Vec<Vec<u32>> = sentences
            .iter()
            .map(|s| {
                let numbered = (next..next + s.words.len() as u32).collect();
                next += s.words.len() as u32;
                numbered
            })
            .collect();
        let picked: Vec<u32> = sentences
            .iter()
            .flat_map(|s| s.words.clone().map(|w| w as u32))
            .collect();
        let count = picked.len();
        let chunk_words =
            words.index_select(&Tensor::from_vec(picked, count, model.device())?, 0)?;
        let batch = SentenceBatch::new(&rows, count, model.device())?;
        let trees = parser.parse(&chunk_words, &batch)?;
        for (sentence, tree) in sentences.iter().zip(trees) {
            for (w, (head, relation)) in sentence.words.clone().zip(tree) {
                syntax[w].head = (head > 0).then(|| sentence.words.start + head - 1);
                syntax[w].deprel = parser.relations[relation].clone();
            }
        }
    }
    Ok(Some(syntax))
}
