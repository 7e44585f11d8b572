//! One article prepared for the model: words, sentences, subwords and the window plan.
//! Each stage after this adds to the document; none reaches back into the text.

use crate::record::Span;
use crate::text::{
    split_sentences, split_words, EncodeError, Sentence, SubwordEncoder, WindowPlan, Word,
};

/// An article's text cut into the units every later stage works on.
pub struct Document {
    pub text: String,
    pub words: Vec<Word>,
    pub sentences: Vec<Sentence>,
    /// Subword ids of each word.
    pub subwords: Vec<Vec<u32>>,
    /// Overlapping windows across sentences: the quote head reads these (quotes span sentences).
    pub plan: WindowPlan,
    /// Windows within sentences: the entity head reads these, as it was trained on sentences.
    pub sentence_plan: WindowPlan,
}

/// How long articles are cut into encoder inputs.
#[derive(Debug, Clone, Copy)]
pub struct WindowOptions {
    /// Subwords per window, `[CLS]` and `[SEP]` excluded (at most 510 for BERT).
    pub max_tokens: usize,
    /// Subwords between window starts; the rest of a window overlaps the next.
    pub stride: usize,
}

impl Default for WindowOptions {
    fn default() -> Self {
        WindowOptions {
            max_tokens: 254,
            stride: 192,
        }
    }
}

impl Document {
    pub fn prepare(
        text: String,
        tokenizer: &SubwordEncoder,
        windows: WindowOptions,
    ) -> Result<Document, EncodeError> {
        let words = split_words(&text);
        Self::from_words(text, words, tokenizer, windows)
    }

    /// A document over words cut elsewhere (a corpus's own tokens).
    pub fn from_words(
        text: String,
        words: Vec<Word>,
        tokenizer: &SubwordEncoder,
        windows: WindowOptions,
    ) -> Result<Document, EncodeError> {
        let sentences = split_sentences(&text, &words);
        Self::with_sentences(text, words, sentences, tokenizer, windows)
    }

    /// A document over words and sentences given elsewhere (a treebank's gold sentences).
    pub fn from_sentences(
        text: String,
        words: Vec<Word>,
        sentences: &[std::ops::Range<usize>],
        tokenizer: &SubwordEncoder,
        windows: WindowOptions,
    ) -> Result<Document, EncodeError> {
        let sentences = sentences
            .iter()
            .filter(|s| !s.is_empty())
            .map(|s| Sentence {
                span: Span::new(words[s.start].span.start, words[s.end - 1].span.end),
                words: s.clone(),
            })
            .collect();
        Self::with_sentences(text, words, sentences, tokenizer, windows)
    }

    fn with_sentences(
        text: String,
        words: Vec<Word>,
        sentences: Vec<Sentence>,
        tokenizer: &SubwordEncoder,
        windows: WindowOptions,
    ) -> Result<Document, EncodeError> {
        let word_texts: Vec<&str> = words.iter().map(|w| w.text(&text)).collect();
        let subwords = tokenizer.encode_words(&word_texts)?;
        let lengths: Vec<usize> = subwords.iter().map(Vec::len).collect();
        let plan = WindowPlan::new(&lengths, windows.max_tokens, windows.stride);
        let ranges: Vec<_> = sentences.iter().map(|s| s.words.clone()).collect();
        let sentence_plan =
            WindowPlan::by_sentences(&lengths, &ranges, windows.max_tokens, windows.stride);
        Ok(Document {
            text,
            words,
            sentences,
            subwords,
            plan,
            sentence_plan,
        })
    }

    /// Code point span of a run of words.
    pub fn span_of(&self, words: std::ops::Range<usize>) -> Span {
        Span::new(
            self.words[words.start].span.start,
            self.words[words.end - 1].span.end,
        )
    }

    /// The text of a run of words, as in the article.
    pub fn text_of(&self, words: std::ops::Range<usize>) -> &str {
        &self.text[self.words[words.start].bytes.start..self.words[words.end - 1].bytes.end]
    }

    /// Total subword count, the unit of throughput.
    pub fn subword_count(&self) -> usize {
        self.subwords.iter().map(Vec::len).sum()
    }
}
