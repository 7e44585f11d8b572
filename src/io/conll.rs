//! CoNLL column files (token ... tag per line, blank line between sentences, `-DOCSTART-`
//! between documents), the entity head's training and evaluation data.

use std::path::Path;

/// One sentence: tokens and their tags (last column).
#[derive(Debug, Clone, PartialEq)]
pub struct ConllSentence {
    pub tokens: Vec<String>,
    pub tags: Vec<String>,
}

/// One `-DOCSTART-` document.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ConllDocument {
    pub sentences: Vec<ConllSentence>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConllError {
    #[error("cannot read {path}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}:{line}: {reason}")]
    Format {
        path: String,
        line: usize,
        reason: String,
    },
}

/// Reads a CoNLL file; tags in IOB1 are converted to IOB2 (`B-` starts every span).
pub fn read_conll(path: &Path) -> Result<Vec<ConllDocument>, ConllError> {
    let text = std::fs::read_to_string(path).map_err(|e| ConllError::Io {
        path: path.display().to_string(),
        source: e,
    })?;
    parse_conll(&text, &path.display().to_string())
}

pub fn parse_conll(text: &str, origin: &str) -> Result<Vec<ConllDocument>, ConllError> {
    let mut docs = vec![ConllDocument::default()];
    let mut sentence = ConllSentence {
        tokens: Vec::new(),
        tags: Vec::new(),
    };
    let end_sentence = |s: &mut ConllSentence, docs: &mut Vec<ConllDocument>| {
        if !s.tokens.is_empty() {
            to_iob2(&mut s.tags);
            docs.last_mut()
                .expect("one document")
                .sentences
                .push(std::mem::replace(
                    s,
                    ConllSentence {
                        tokens: Vec::new(),
                        tags: Vec::new(),
                    },
                ));
        }
    };
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.is_empty() {
            end_sentence(&mut sentence, &mut docs);
            continue;
        }
        let cols: Vec<&str> = line.split_whitespace().collect();
        if cols[0] == "-DOCSTART-" {
            end_sentence(&mut sentence, &mut docs);
            if !docs.last().expect("one document").sentences.is_empty() {
                docs.push(ConllDocument::default());
            }
            continue;
        }
        if cols.len() < 2 {
            return Err(ConllError::Format {
                path: origin.to_string(),
                line: i + 1,
                reason: format!("expected a token and a tag, found {line:?}"),
            });
        }
        sentence.tokens.push(cols[0].to_string());
        sentence.tags.push(cols[cols.len() - 1].to_string());
    }
    end_sentence(&mut sentence, &mut docs);
    docs.retain(|d| !d.sentences.is_empty());
    Ok(docs)
}

fn to_iob2(tags: &mut [String]) {
    let mut prev: Option<String> = None;
    for tag in tags.iter_mut() {
        if let Some(kind) = tag.strip_prefix("I-") {
            let continues = prev
                .as_deref()
                .is_some_and(|p| p.len() > 2 && &p[2..] == kind);
            if !continues {
                *tag = format!("B-{kind}");
            }
        }
        prev = if tag == "O" { None } else { Some(tag.clone()) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_documents_and_repairs_iob1() {
        let text = "-DOCSTART- -X- O O\n\nEU NNP B-NP I-ORG\nrejects VBZ B-VP O\nGerman JJ B-NP I-MISC\n\nPeter NNP B-NP B-PER\n\n-DOCSTART- -X- O O\n\nx X X O\n";
        let docs = parse_conll(text, "t").unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].sentences[0].tags, vec!["B-ORG", "O", "B-MISC"]);
        assert_eq!(docs[0].sentences[1].tokens, vec!["Peter"]);
        assert!(parse_conll("lonely\n", "f")
            .unwrap_err()
            .to_string()
            .starts_with("f:1:"));
    }
}
