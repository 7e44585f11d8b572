//! Word -> subword ids with a Hugging Face `tokenizer.json`, one id list per word.

use std::path::Path;
use tokenizers::Tokenizer;

/// Longest subword run kept for one word: a word's label comes from its first subword, so
/// the rest only gives context; capping keeps a pathological "word" from filling a window.
const MAX_SUBWORDS_PER_WORD: usize = 16;
/// Words per tokenizer call: bounds the tokenizer's memory on enormous articles.
const WORDS_PER_CALL: usize = 2048;

#[derive(Debug, thiserror::Error)]
pub enum EncodeError {
    #[error("cannot read tokenizer {path}: {reason}")]
    Load { path: String, reason: String },
    #[error("tokenizer {path} has no {token} token")]
    MissingSpecial { path: String, token: &'static str },
    #[error("tokenizer failed: {0}")]
    Tokenize(String),
}

/// A WordPiece tokenizer that keeps track of which subwords belong to which word.
#[derive(Clone)]
pub struct SubwordEncoder {
    tokenizer: Tokenizer,
    pub cls: u32,
    pub sep: u32,
    pub pad: u32,
    pub unk: u32,
    vocab_size: usize,
}

impl SubwordEncoder {
    pub fn from_file(path: &Path) -> Result<Self, EncodeError> {
        let mut tokenizer = Tokenizer::from_file(path).map_err(|e| EncodeError::Load {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        // Windows are cut by us; the file's own truncation and padding would drop text.
        tokenizer
            .with_truncation(None)
            .map_err(|e| EncodeError::Tokenize(e.to_string()))?;
        tokenizer.with_padding(None);
        let special = |token: &'static str| {
            tokenizer
                .token_to_id(token)
                .ok_or_else(|| EncodeError::MissingSpecial {
                    path: path.display().to_string(),
                    token,
                })
        };
        Ok(SubwordEncoder {
            cls: special("[CLS]")?,
            sep: special("[SEP]")?,
            pad: special("[PAD]")?,
            unk: special("[UNK]")?,
            vocab_size: tokenizer.get_vocab_size(true),
            tokenizer,
        })
    }

    /// Size of the vocabulary, added tokens included: every id is below it.
    pub fn vocab_size(&self) -> usize {
        self.vocab_size
    }

    /// Subword ids of each word; a word the tokenizer drops entirely becomes `[UNK]` so that
    /// every word keeps a position (and a label).
    pub fn encode_words(&self, words: &[&str]) -> Result<Vec<Vec<u32>>, EncodeError> {
        let mut out: Vec<Vec<u32>> = Vec::with_capacity(words.len());
        for chunk in words.chunks(WORDS_PER_CALL) {
            let base = out.len();
            out.extend(std::iter::repeat_with(Vec::new).take(chunk.len()));
            let encoding = self
                .tokenizer
                .encode(chunk, false)
                .map_err(|e| EncodeError::Tokenize(e.to_string()))?;
            for (&id, word) in encoding.get_ids().iter().zip(encoding.get_word_ids()) {
                if let Some(ids) = word.and_then(|w| out.get_mut(base + w as usize)) {
                    if ids.len() < MAX_SUBWORDS_PER_WORD {
                        ids.push(id);
                    }
                }
            }
        }
        for ids in &mut out {
            if ids.is_empty() {
                ids.push(self.unk);
            }
        }
        Ok(out)
    }
}
