//! CoNLL-U treebanks (Universal Dependencies): the syntax heads' training and evaluation data.
//! The syntax is over syntactic words: a multiword token (`1-2 don't`) contributes its words
//! (`do`, `n't`), and empty nodes (`8.1`) of the enhanced graph are skipped.

use crate::record::SentenceSyntax;
use std::fmt::Write;
use std::path::Path;

/// The documents of a treebank, in order: its `# newdoc` groups, whole (a file without
/// `# newdoc` is one document).
pub fn documents(sentences: &[UdSentence]) -> Vec<&[UdSentence]> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=sentences.len() {
        if i == sentences.len() || sentences[i].newdoc.is_some() {
            out.push(&sentences[start..i]);
            start = i;
        }
    }
    out.retain(|d| !d.is_empty());
    out
}

/// One syntactic word of a sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct UdWord {
    pub form: String,
    pub lemma: String,
    pub upos: String,
    /// 0 for the root, else the 1-based index of the head word in the sentence.
    pub head: usize,
    /// The relation with its subtype (`nsubj:pass`).
    pub deprel: String,
    /// The morphological features as written (`Number=Sing|Person=3|PronType=Prs`, `_`).
    pub feats: String,
    /// The coreference brackets of MISC's `Entity=` (CorefUD; GUM has them), if any.
    pub entity: Option<String>,
    /// No space follows the word in the original text (`SpaceAfter=No`, or inside a
    /// multiword token).
    pub no_space_after: bool,
}

/// One sentence of a treebank.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UdSentence {
    /// The document it starts (`# newdoc id = ...`), if it starts one.
    pub newdoc: Option<String>,
    pub sent_id: Option<String>,
    pub words: Vec<UdWord>,
}

/// A sentence that could not be read: where and why. The reader skips it and keeps the rest.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{path}:{line}: {reason}")]
pub struct ConlluLineError {
    pub path: String,
    pub line: usize,
    pub reason: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ConlluError {
    #[error("cannot read {path}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

/// A treebank: its well-formed sentences, and an error for each sentence it had to skip.
#[derive(Debug, Default)]
pub struct Treebank {
    pub sentences: Vec<UdSentence>,
    pub skipped: Vec<ConlluLineError>,
}

pub fn read_conllu(path: &Path) -> Result<Treebank, ConlluError> {
    let text = std::fs::read_to_string(path).map_err(|e| ConlluError::Io {
        path: path.display().to_string(),
        source: e,
    })?;
    Ok(parse_conllu(&text, &path.display().to_string()))
}

/// Parses CoNLL-U text; `origin` names it in errors.
pub fn parse_conllu(text: &str, origin: &str) -> Treebank {
    let mut bank = Treebank::default();
    let mut current = SentenceBuilder::default();
    for (i, line) in text.lines().enumerate() {
        let number = i + 1;
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            current.finish(&mut bank, origin);
            continue;
        }
        if current.start_line == 0 {
            current.start_line = number;
        }
        if let Some(comment) = line.strip_prefix('#') {
            current.comment(comment.trim());
            continue;
        }
        if current.error.is_some() {
            continue;
        }
        if let Err(reason) = current.line(line) {
            current.error = Some(ConlluLineError {
                path: origin.to_string(),
                line: number,
                reason,
            });
        }
    }
    current.finish(&mut bank, origin);
    bank
}

#[derive(Default)]
struct SentenceBuilder {
    sentence: UdSentence,
    start_line: usize,
    /// The open multiword token: its last word, and whether a space follows it.
    multiword: Option<(usize, bool)>,
    error: Option<ConlluLineError>,
}

impl SentenceBuilder {
    fn comment(&mut self, comment: &str) {
        let Some((key, value)) = comment.split_once('=') else {
            return;
        };
        match key.trim() {
            "newdoc id" => self.sentence.newdoc = Some(value.trim().to_string()),
            "sent_id" => self.sentence.sent_id = Some(value.trim().to_string()),
            _ => {}
        }
    }

    fn line(&mut self, line: &str) -> Result<(), String> {
        let columns: Vec<&str> = line.split('\t').collect();
        if columns.len() != 10 {
            return Err(format!(
                "expected 10 tab-separated columns, found {}",
                columns.len()
            ));
        }
        let id = columns[0];
        if id.contains('.') {
            return Ok(()); // an empty node of the enhanced graph
        }
        let misc = columns[9].split('|');
        let space_after = !misc.clone().any(|m| m == "SpaceAfter=No");
        let entity = misc
            .filter_map(|m| m.strip_prefix("Entity="))
            .next()
            .map(str::to_string);
        if let Some((first, last)) = id.split_once('-') {
            let (first, last) = (parse_index(first)?, parse_index(last)?);
            if first != self.sentence.words.len() + 1 || last < first {
                return Err(format!("multiword token {id} out of order"));
            }
            // The token's own SpaceAfter applies to its last word.
            self.multiword = Some((last, space_after));
            return Ok(());
        }
        let index = parse_index(id)?;
        if index != self.sentence.words.len() + 1 {
            return Err(format!(
                "word {index} where word {} was expected",
                self.sentence.words.len() + 1
            ));
        }
        let head = parse_index(columns[6]).map_err(|_| format!("head {:?}", columns[6]))?;
        let no_space_after = match self.multiword {
            Some((last, token_space)) if index <= last => index < last || !token_space,
            _ => !space_after,
        };
        self.sentence.words.push(UdWord {
            form: columns[1].to_string(),
            lemma: columns[2].to_string(),
            upos: columns[3].to_string(),
            head,
            deprel: columns[7].to_string(),
            feats: columns[5].to_string(),
            entity,
            no_space_after,
        });
        Ok(())
    }

    fn finish(&mut self, bank: &mut Treebank, origin: &str) {
        let done = std::mem::take(self);
        if done.start_line == 0 {
            return;
        }
        if let Some(e) = done.error {
            bank.skipped.push(e);
            return;
        }
        let n = done.sentence.words.len();
        let check = if n == 0 {
            Err("a sentence without words".to_string())
        } else if let Some(w) = done.sentence.words.iter().find(|w| w.head > n) {
            Err(format!("head {} outside the sentence's {n} words", w.head))
        } else if done.sentence.words.iter().filter(|w| w.head == 0).count() != 1 {
            Err("not exactly one root".to_string())
        } else {
            Ok(())
        };
        match check {
            Ok(()) => bank.sentences.push(done.sentence),
            Err(reason) => bank.skipped.push(ConlluLineError {
                path: origin.to_string(),
                line: done.start_line,
                reason,
            }),
        }
    }
}

fn parse_index(s: &str) -> Result<usize, String> {
    s.parse().map_err(|_| format!("{s:?} is not a word index"))
}

/// One article's parse as CoNLL-U: `# newdoc id`, then per sentence `# sent_id`, `# text` and a
/// line per token (ID, FORM, LEMMA, UPOS, HEAD, DEPREL; `SpaceAfter=No` where the next token
/// follows without a space). `text` is the article the offsets point into.
///
/// ```no_run
/// use newsevents::{write_conllu, Article, Pipeline, PipelineOptions};
/// # fn run(pipeline: &Pipeline) -> Result<(), Box<dyn std::error::Error>> {
/// let article = Article::new("a1", "Rebels seized the town. The army withdrew.");
/// let analysis = pipeline.analyze(std::slice::from_ref(&article))?.remove(0);
/// print!("{}", write_conllu(&article.id, &article.text, &analysis.sentences.unwrap_or_default()));
/// # Ok(()) }
/// ```
pub fn write_conllu(id: &str, text: &str, sentences: &[SentenceSyntax]) -> String {
    let bytes: Vec<usize> = text
        .char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(text.len()))
        .collect();
    let slice = |start: usize, end: usize| &text[bytes[start]..bytes[end]];
    let clean = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::new();
    let _ = writeln!(out, "# newdoc id = {}", clean(id));
    for (k, sentence) in sentences.iter().enumerate() {
        let _ = writeln!(out, "# sent_id = {}-{}", clean(id), k + 1);
        let _ = writeln!(
            out,
            "# text = {}",
            clean(slice(sentence.start, sentence.end))
        );
        for (i, token) in sentence.tokens.iter().enumerate() {
            let glued = sentence
                .tokens
                .get(i + 1)
                .is_some_and(|next| next.span.start == token.span.end);
            let _ = writeln!(
                out,
                "{}\t{}\t{}\t{}\t_\t_\t{}\t{}\t_\t{}",
                i + 1,
                clean(&token.span.text).replace(' ', "_"),
                clean(&token.lemma).replace(' ', "_"),
                token.upos,
                token.head + 1,
                token.deprel,
                if glued { "SpaceAfter=No" } else { "_" }
            );
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "# newdoc id = d1\n# sent_id = s1\n# text = I don't know.\n\
1\tI\tI\tPRON\tPRP\t_\t4\tnsubj\t_\t_\n\
2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n\
2\tdo\tdo\tAUX\tVBP\t_\t4\taux\t_\t_\n\
3\tn't\tnot\tPART\tRB\t_\t4\tadvmod\t_\t_\n\
4\tknow\tknow\tVERB\tVB\t_\t0\troot\t_\tSpaceAfter=No\n\
4.1\tknows\tknow\tVERB\tVB\t_\t_\t_\t4:conj\t_\n\
5\t.\t.\tPUNCT\t.\t_\t4\tpunct\t_\t_\n\n";

    #[test]
    fn multiword_tokens_give_their_words_and_empty_nodes_are_skipped() {
        let bank = parse_conllu(SAMPLE, "t.conllu");
        assert!(bank.skipped.is_empty());
        let s = &bank.sentences[0];
        assert_eq!(s.newdoc.as_deref(), Some("d1"));
        assert_eq!(s.sent_id.as_deref(), Some("s1"));
        let forms: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
        assert_eq!(forms, ["I", "do", "n't", "know", "."]);
        let glued: Vec<bool> = s.words.iter().map(|w| w.no_space_after).collect();
        assert_eq!(glued, [false, true, false, true, false]);
        assert_eq!(s.words[2].lemma, "not");
        assert_eq!(s.words[3].head, 0);
    }

    #[test]
    fn a_bad_line_skips_its_sentence_with_file_and_line_and_keeps_the_rest() {
        let text = format!("{SAMPLE}1\tOops\n\n{SAMPLE}");
        let bank = parse_conllu(&text, "t.conllu");
        assert_eq!(bank.sentences.len(), 2);
        assert_eq!(bank.skipped.len(), 1);
        let e = bank.skipped[0].to_string();
        assert!(e.starts_with("t.conllu:12: expected 10"), "{e}");
    }

    #[test]
    fn written_conllu_reads_back_with_its_tree_and_spacing() {
        use crate::record::{TextSpan, Token};
        let text = "Rebels fled.";
        let token = |start, end, text: &str, upos: &str, head, deprel: &str| Token {
            span: TextSpan::new(start, end, text),
            upos: upos.into(),
            lemma: text.to_lowercase(),
            head,
            deprel: deprel.into(),
        };
        let sentences = [SentenceSyntax {
            start: 0,
            end: 12,
            tokens: vec![
                token(0, 6, "Rebels", "NOUN", 1, "nsubj"),
                token(7, 11, "fled", "VERB", -1, "root"),
                token(11, 12, ".", "PUNCT", 1, "punct"),
            ],
        }];
        let written = write_conllu("a 1", text, &sentences);
        assert!(
            written.starts_with("# newdoc id = a 1\n# sent_id = a 1-1\n# text = Rebels fled.\n")
        );
        let bank = parse_conllu(&written, "w");
        assert!(bank.skipped.is_empty(), "{:?}", bank.skipped);
        let words = &bank.sentences[0].words;
        assert_eq!(words.iter().map(|w| w.head).collect::<Vec<_>>(), [2, 0, 2]);
        assert!(words[1].no_space_after && !words[0].no_space_after);
    }

    #[test]
    fn a_sentence_without_one_root_is_skipped() {
        let text = "1\ta\ta\tX\t_\t_\t2\tdep\t_\t_\n2\tb\tb\tX\t_\t_\t1\tdep\t_\t_\n";
        let bank = parse_conllu(text, "t");
        assert!(bank.sentences.is_empty());
        assert_eq!(bank.skipped[0].line, 1);
    }
}
