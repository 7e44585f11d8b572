//! Speech verbs that cue a quote ("said", "told", "according to"), and which of them are
//! themselves actions a coder records (accuse, deny, urge ...).

/// A speech verb, by lemma.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SpeechVerb {
    pub lemma: &'static str,
    /// Whether the verb is a CAMEO action (a statement event), not a plain cue.
    pub statement: bool,
    /// Whether the verb keeps its hearer in the cue span ("told reporters").
    pub takes_hearer: bool,
}

const PLAIN: &[&str] = &[
    "say",
    "tell",
    "add",
    "claim",
    "report",
    "write",
    "conclude",
    "note",
    "state",
    "announce",
    "explain",
    "insist",
    "argue",
    "declare",
    "reveal",
    "confirm",
    "acknowledge",
    "testify",
    "allege",
    "stress",
    "emphasise",
    "emphasize",
    "maintain",
    "suggest",
    "estimate",
    "predict",
    "tweet",
    "post",
    "remark",
    "observe",
    "comment",
    "assert",
    "contend",
    "admit",
    "concede",
    "disclose",
    "inform",
    "quote",
    "describe",
    "warn",
    "caution",
    "recount",
    "reply",
    "mention",
    "underline",
];

const STATEMENT: &[&str] = &[
    "accuse",
    "deny",
    "demand",
    "threaten",
    "praise",
    "condemn",
    "urge",
    "blame",
    "reject",
    "dismiss",
    "criticise",
    "criticize",
    "denounce",
    "welcome",
    "appeal",
    "vow",
    "pledge",
    "promise",
    "call",
    "plead",
    "request",
    "decry",
    "deplore",
    "commend",
    "applaud",
    "rebuke",
    "slam",
    "refute",
    "complain",
    "reassure",
];

/// The lemma of an inflected verb form among `lemmas`, if any.
fn lemma_of(word: &str, lemmas: &[&'static str]) -> Option<&'static str> {
    let irregular = match word {
        "said" => Some("say"),
        "told" => Some("tell"),
        "wrote" | "written" => Some("write"),
        "saying" => Some("say"),
        "telling" => Some("tell"),
        _ => None,
    };
    if let Some(lemma) = irregular {
        return lemmas.iter().find(|l| **l == lemma).copied();
    }
    let mut candidates = vec![word.to_string()];
    for (suffix, add) in [
        ("ies", "y"),
        ("ied", "y"),
        ("es", ""),
        ("s", ""),
        ("ed", ""),
        ("ed", "e"),
        ("d", ""),
        ("ing", ""),
        ("ing", "e"),
    ] {
        if let Some(stem) = word.strip_suffix(suffix) {
            candidates.push(format!("{stem}{add}"));
            // Doubled final consonants: "committed" -> "commit".
            let mut chars = stem.chars();
            if let (Some(a), Some(b)) = (chars.next_back(), chars.next_back()) {
                if a == b && suffix.len() > 1 {
                    candidates.push(stem[..stem.len() - a.len_utf8()].to_string());
                }
            }
        }
    }
    candidates
        .iter()
        .find_map(|c| lemmas.iter().find(|l| **l == c.as_str()).copied())
}

/// The speech verb a lower-cased word is a form of.
pub(crate) fn speech_verb(word: &str) -> Option<SpeechVerb> {
    if let Some(lemma) = lemma_of(word, PLAIN) {
        return Some(SpeechVerb {
            lemma,
            statement: false,
            takes_hearer: lemma == "tell" || lemma == "inform",
        });
    }
    lemma_of(word, STATEMENT).map(|lemma| SpeechVerb {
        lemma,
        statement: true,
        takes_hearer: false,
    })
}

/// Verbs whose infinitive complement gets the verb's subject and a modality
/// ("threatened to strike": threat; "plans to send": intent).
pub(crate) fn subject_control(
    lemma_word: &str,
) -> Option<crate::linking::function_words::Modality> {
    use crate::linking::function_words::Modality;
    let lemma = lemma_of(
        lemma_word,
        &[
            "threaten",
            "plan",
            "intend",
            "aim",
            "vow",
            "promise",
            "pledge",
            "prepare",
            "decide",
            "agree",
            "seek",
            "want",
            "hope",
            "expect",
            "try",
            "set",
            "go",
            "refuse",
            "offer",
            "move",
            "schedule",
            "attempt",
            "wish",
            "resolve",
            "propose",
            "undertake",
            "continue",
            "begin",
            "start",
            "need",
        ],
    )?;
    Some(match lemma {
        "threaten" => Modality::Threat,
        "continue" | "begin" | "start" => return None,
        _ => Modality::Intent,
    })
}

/// Verbs whose object is the subject of their infinitive complement and which
/// make that event demanded ("urged Washington to resume talks").
pub(crate) fn is_object_control(word: &str) -> bool {
    lemma_of(
        word,
        &[
            "urge",
            "call",
            "ask",
            "press",
            "encourage",
            "invite",
            "allow",
            "force",
            "order",
            "tell",
            "persuade",
            "demand",
            "request",
            "appeal",
            "push",
            "pressure",
            "instruct",
            "compel",
            "advise",
            "warn",
            "implore",
            "beg",
            "challenge",
            "direct",
        ],
    )
    .is_some()
}

/// Verbs whose `that`-clause states what someone must do ("demanded that Russia release").
pub(crate) fn is_demand_verb(word: &str) -> bool {
    lemma_of(
        word,
        &[
            "demand", "insist", "urge", "request", "require", "order", "ask", "call",
        ],
    )
    .is_some()
}

/// Light verbs whose object noun names the event ("carried out airstrikes", "imposed sanctions").
pub(crate) fn is_light_verb(word: &str) -> bool {
    lemma_of(
        word,
        &[
            "carry",
            "impose",
            "hold",
            "launch",
            "conduct",
            "stage",
            "mount",
            "resume",
            "begin",
            "start",
            "continue",
            "step",
            "undertake",
            "perform",
            "wage",
            "intensify",
            "escalate",
            "slap",
            "unleash",
        ],
    )
    .is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_lemmas_of_inflected_cues() {
        assert_eq!(speech_verb("said").map(|v| v.lemma), Some("say"));
        assert_eq!(
            speech_verb("accused").map(|v| (v.lemma, v.statement)),
            Some(("accuse", true))
        );
        assert_eq!(speech_verb("denies").map(|v| v.lemma), Some("deny"));
        assert_eq!(speech_verb("urging").map(|v| v.lemma), Some("urge"));
        assert!(speech_verb("told").unwrap().takes_hearer);
        assert!(speech_verb("fired").is_none());
        assert!(
            !speech_verb("added").unwrap().statement && speech_verb("condemned").unwrap().statement
        );
    }
}
