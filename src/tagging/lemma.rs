//! Lemmas as edit scripts (as UDPipe does): the lemma head classifies each word into a script
//! that turns its form into its lemma, so the label set is learned from the treebank and the
//! same few hundred scripts cover words never seen in training.

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
    fn a_script_longer_than_the_form_keeps_the_form() {
        let script = LemmaScript::parse("k;5;go").expect("valid label");
        assert_eq!(script.apply("is"), "is");
        assert_eq!(LemmaScript::parse("x;1;"), None);
    }
}
