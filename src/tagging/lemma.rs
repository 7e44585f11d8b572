//! Lemmas as edit scripts (as UDPipe does): the lemma head classifies each word into a script
//! that turns its form into its lemma, so the label set is learned from the treebank and the
//! same few hundred scripts cover words never seen in training.

use std::collections::HashMap;

/// How a form becomes its lemma: lowercase it or not, drop `strip` characters from its end,
/// append `append`. Written as a label `"l;2;e"` (lowercase, strip 2, append "e").
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LemmaScript {
    pub lowercase: bool,
    pub strip: usize,
    pub append: String,
}

impl LemmaScript {
    /// The script that turns `form` into `lemma`.
    pub fn between(form: &str, lemma: &str) -> LemmaScript {
        let lowered = form.to_lowercase();
        // Lowercase whenever that explains the lemma at least as well as the form as written:
        // one script for "killed" and "Killed", so the head's choice is whether a word keeps
        // its case (names, acronyms, "I"), not how the form happens to be written. (The
        // uncased encoder cannot see the form's case; the scripts used to split on it.)
        let lowercase = common_prefix(&lowered, lemma) >= common_prefix(form, lemma);
        let base = if lowercase { lowered.as_str() } else { form };
        let keep = common_prefix(base, lemma);
        LemmaScript {
            lowercase,
            strip: base.chars().count() - keep,
            append: lemma.chars().skip(keep).collect(),
        }
    }

    /// The lemma of `form`; a script that would strip more than the form has keeps the form.
    pub fn apply(&self, form: &str) -> String {
        let base = if self.lowercase {
            form.to_lowercase()
        } else {
            form.to_string()
        };
        let n = base.chars().count();
        if self.strip > n {
            return base;
        }
        let mut out: String = base.chars().take(n - self.strip).collect();
        out.push_str(&self.append);
        out
    }

    /// The head's label for this script.
    pub fn label(&self) -> String {
        format!(
            "{};{};{}",
            if self.lowercase { "l" } else { "k" },
            self.strip,
            self.append
        )
    }

    /// Reads a label written by `label`.
    pub fn parse(label: &str) -> Option<LemmaScript> {
        let mut parts = label.splitn(3, ';');
        let lowercase = match parts.next()? {
            "l" => true,
            "k" => false,
            _ => return None,
        };
        let strip = parts.next()?.parse().ok()?;
        let append = parts.next()?.to_string();
        Some(LemmaScript {
            lowercase,
            strip,
            append,
        })
    }
}

/// The lemmas of the forms a treebank holds (as UDPipe 1 keeps them): each (form, UPOS) to its
/// most frequent lemma. It answers for words seen in training, irregular ones above all
/// ("told" -> "tell"), which the script head, seeing subwords and not letters, gets wrong; the
/// script head answers for the rest. Written beside the weights as `lemmas.tsv`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LemmaLexicon {
    /// (form, UPOS) -> (lemma, occurrences), as the treebank spells the form.
    exact: HashMap<(String, String), (String, u32)>,
    /// (lowercased form, UPOS) -> lemma, for forms whose lemma is lower case: "Killed" finds
    /// the lemma of "killed".
    lowered: HashMap<(String, String), (String, u32)>,
}

impl LemmaLexicon {
    /// The lexicon of `(form, upos, lemma)` occurrences.
    pub fn from_words<'a>(words: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>) -> Self {
        let mut counts: HashMap<(String, String), HashMap<String, u32>> = HashMap::new();
        for (form, upos, lemma) in words {
            *counts
                .entry((form.to_string(), upos.to_string()))
                .or_default()
                .entry(lemma.to_string())
                .or_default() += 1;
        }
        let mut lexicon = LemmaLexicon::default();
        for ((form, upos), lemmas) in counts {
            // The majority lemma of the form; the file keeps only it, so reading the file
            // back builds the same lexicon.
            let (lemma, n) = lemmas
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
                .expect("a counted form has a lemma");
            lexicon.add(form, upos, lemma, n);
        }
        lexicon.index_lowered();
        lexicon
    }

    fn add(&mut self, form: String, upos: String, lemma: String, n: u32) {
        self.exact.insert((form, upos), (lemma, n));
    }

    /// Builds `lowered` from `exact`: per lowercased form and UPOS, the lower-case lemma with
    /// the most occurrences over the form's spellings (ties to the first in order).
    fn index_lowered(&mut self) {
        let mut counts: HashMap<(String, String), HashMap<&str, u32>> = HashMap::new();
        for ((form, upos), (lemma, n)) in &self.exact {
            if lemma.chars().all(|c| !c.is_uppercase()) {
                *counts
                    .entry((form.to_lowercase(), upos.clone()))
                    .or_default()
                    .entry(lemma)
                    .or_default() += n;
            }
        }
        self.lowered = counts
            .into_iter()
            .map(|(key, lemmas)| {
                let (lemma, n) = lemmas
                    .into_iter()
                    .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
                    .expect("a counted form has a lemma");
                (key, (lemma.to_string(), n))
            })
            .collect();
    }

    /// The lemma of `form` tagged `upos`, if the treebank had the form.
    pub fn lemma(&self, form: &str, upos: &str) -> Option<&str> {
        let key = (form.to_string(), upos.to_string());
        if let Some((lemma, _)) = self.exact.get(&key) {
            return Some(lemma);
        }
        self.lowered
            .get(&(form.to_lowercase(), key.1))
            .map(|(lemma, _)| lemma.as_str())
    }

    pub fn len(&self) -> usize {
        self.exact.len()
    }

    pub fn is_empty(&self) -> bool {
        self.exact.is_empty()
    }

    /// `form<TAB>upos<TAB>lemma<TAB>count` lines, sorted (the file is reproducible).
    pub fn to_tsv(&self) -> String {
        let mut rows: Vec<String> = self
            .exact
            .iter()
            .map(|((form, upos), (lemma, n))| format!("{form}\t{upos}\t{lemma}\t{n}"))
            .collect();
        rows.sort();
        rows.iter().map(|r| format!("{r}\n")).collect()
    }

    /// Reads what `to_tsv` wrote; a bad line is an error naming it.
    pub fn from_tsv(text: &str) -> Result<LemmaLexicon, String> {
        let mut lexicon = LemmaLexicon::default();
        for (i, line) in text.lines().enumerate() {
            let fields: Vec<&str> = line.split('\t').collect();
            let [form, upos, lemma, n] = fields[..] else {
                return Err(format!(
                    "line {}: expected form, UPOS, lemma and count",
                    i + 1
                ));
            };
            let n = n
                .parse()
                .map_err(|_| format!("line {}: count '{n}' is not a number", i + 1))?;
            lexicon.add(form.into(), upos.into(), lemma.into(), n);
        }
        lexicon.index_lowered();
        Ok(lexicon)
    }
}

/// Characters two strings share at their start.
fn common_prefix(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_turn_forms_into_lemmas_and_round_trip_as_labels() {
        for (form, lemma) in [
            ("forces", "force"),
            ("killed", "kill"),
            ("The", "the"),
            ("NASA", "NASA"),
            ("went", "go"),
            ("Studies", "study"),
            ("n't", "not"),
            ("mice", "mouse"),
            ("", ""),
        ] {
            let script = LemmaScript::between(form, lemma);
            assert_eq!(script.apply(form), lemma, "{form} -> {lemma}");
            assert_eq!(LemmaScript::parse(&script.label()), Some(script));
        }
    }

    #[test]
    fn one_script_covers_unseen_words() {
        let script = LemmaScript::between("attacks", "attack");
        assert_eq!(script.label(), "l;1;");
        assert_eq!(script.apply("missiles"), "missile");
        // Title-case forms lowercase when the lemma is lowercase, with the same script.
        assert_eq!(LemmaScript::between("Attacks", "attack"), script);
        assert_eq!(script.apply("Strikes"), "strike");
        // Names keep their case.
        assert_eq!(LemmaScript::between("Obama", "Obama").label(), "k;0;");
    }

    #[test]
    fn the_lexicon_knows_training_forms_by_majority_and_round_trips() {
        let lexicon = LemmaLexicon::from_words([
            ("told", "VERB", "tell"),
            ("told", "VERB", "tell"),
            ("told", "VERB", "toll"),
            ("i", "PRON", "I"),
            ("Posted", "VERB", "post"),
            ("US", "PROPN", "US"),
        ]);
        assert_eq!(lexicon.lemma("told", "VERB"), Some("tell"));
        assert_eq!(
            lexicon.lemma("Told", "VERB"),
            Some("tell"),
            "lower-case lemmas ignore case"
        );
        assert_eq!(lexicon.lemma("posted", "VERB"), Some("post"));
        assert_eq!(lexicon.lemma("i", "PRON"), Some("I"));
        assert_eq!(lexicon.lemma("us", "PROPN"), None, "a name's case counts");
        assert_eq!(lexicon.lemma("told", "NOUN"), None);
        let back = LemmaLexicon::from_tsv(&lexicon.to_tsv()).expect("reads its own file");
        assert_eq!(back, lexicon);
        assert!(LemmaLexicon::from_tsv("told\tVERB\ttell\n")
            .unwrap_err()
            .contains("line 1"));
    }

    #[test]
    fn a_script_longer_than_the_form_keeps_the_form() {
        let script = LemmaScript::parse("k;5;go").expect("valid label");
        assert_eq!(script.apply("is"), "is");
        assert_eq!(LemmaScript::parse("x;1;"), None);
    }
}
