//! Which entity a speaker or participant refers to: a name to itself, a pronoun to the most
//! salient compatible antecedent, a description ("the ministry", "the spokesman") to the
//! entity the article names with it, members of an organisation to the organisation.

use std::ops::Range;

use super::function_words::{pronoun, PronounKind};
use super::parsed::ParsedDocument;

/// A span already resolved, kept so later pronouns and descriptions can refer back to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Mention {
    pub words: Range<usize>,
    pub entity: usize,
}

/// How many sentences back a pronoun looks for a salient antecedent.
const SALIENCE_WINDOW: usize = 3;

fn compatible(kind: PronounKind, label: &str) -> bool {
    match kind {
        PronounKind::Person => label == "PER",
        PronounKind::Thing => matches!(label, "ORG" | "LOC"),
        PronounKind::Group => matches!(label, "ORG" | "LOC" | "MISC"),
        PronounKind::Speaker | PronounKind::Reciprocal => false,
    }
}

/// Person nouns a description may use for a named person.
fn is_person_role(noun: &str) -> bool {
    matches!(
        noun,
        "spokesman"
            | "spokeswoman"
            | "spokesperson"
            | "minister"
            | "chief"
            | "commander"
            | "envoy"
            | "governor"
            | "director"
            | "secretary"
            | "ambassador"
            | "president"
            | "official"
            | "premier"
            | "leader"
            | "head"
            | "mayor"
            | "general"
            | "prosecutor"
            | "judge"
            | "commissioner"
            | "coordinator"
            | "negotiator"
            | "diplomat"
            | "activist"
            | "lawyer"
            | "spokesperson's"
            | "chairman"
            | "chairwoman"
            | "ceo"
    )
}

/// Organisation nouns a description may use for a named organisation.
fn is_organisation_noun(noun: &str) -> bool {
    matches!(
        noun,
        "ministry"
            | "group"
            | "organisation"
            | "organization"
            | "agency"
            | "body"
            | "monitor"
            | "mission"
            | "bloc"
            | "union"
            | "council"
            | "panel"
            | "committee"
            | "court"
            | "office"
            | "watchdog"
            | "alliance"
            | "coalition"
            | "company"
            | "firm"
            | "party"
            | "movement"
            | "programme"
            | "program"
            | "observatory"
            | "commission"
            | "department"
            | "tribunal"
            | "charity"
            | "network"
            | "institute"
            | "centre"
            | "center"
            | "association"
            | "federation"
            | "league"
            | "foundation"
            | "service"
            | "broadcaster"
            | "newspaper"
            | "channel"
            | "outlet"
            | "militia"
            | "faction"
            | "authority"
    )
}

fn singular(word: &str) -> String {
    let lower = word.to_lowercase();
    if let Some(stem) = lower.strip_suffix("ies") {
        return format!("{stem}y");
    }
    match lower.strip_suffix('s') {
        Some(stem) if !lower.ends_with("ss") && stem.len() > 2 => stem.to_string(),
        _ => lower,
    }
}

/// Resolves `words` to an entity. `salient` holds earlier resolved speakers and subjects,
/// oldest first.
pub(crate) fn resolve(
    pd: &ParsedDocument,
    words: &Range<usize>,
    salient: &[Mention],
) -> Option<usize> {
    if words.start >= words.end || words.start >= pd.word_count() {
        return None;
    }
    let inside = pd.entities_in(words);
    if !inside.is_empty() {
        return named(pd, words, &inside);
    }
    if words.len() <= 2 {
        let first = pd.word_text(words.start).to_lowercase();
        if let Some(kind) = pronoun(&first) {
            return resolve_pronoun(pd, words.start, kind, salient);
        }
    }
    if let Some(e) = member_of(pd, words) {
        return Some(e);
    }
    resolve_description(pd, words, salient)
}

/// A span with entities in it: the person or organisation it names, or the entity it is.
fn named(pd: &ParsedDocument, words: &Range<usize>, inside: &[usize]) -> Option<usize> {
    if let Some(&e) = inside.iter().rev().find(|&&e| pd.label(e) == "PER") {
        return Some(e);
    }
    if let Some(&e) = inside.iter().rev().find(|&&e| pd.label(e) == "ORG") {
        return Some(e);
    }
    // A place named alone ("Moscow said") is its own speaker; as a modifier it is no link.
    inside
        .iter()
        .copied()
        .find(|&e| pd.entity_words[e].as_ref() == Some(words))
}

/// "Observers from the OSCE", "Leaders of the FNSEA union": the organisation named right after.
fn member_of(pd: &ParsedDocument, words: &Range<usize>) -> Option<usize> {
    let mut w = words.end;
    let preposition = pd.word_text(w).to_lowercase();
    if !matches!(preposition.as_str(), "of" | "from" | "at" | "for" | "with") {
        return None;
    }
    w += 1;
    if pd.word_text(w).eq_ignore_ascii_case("the") {
        w += 1;
    }
    let e = pd.entity_at.get(w).copied().flatten()?;
    (pd.label(e) == "ORG" && pd.sentence(w) == pd.sentence(words.start)).then_some(e)
}

/// A pronoun: the latest salient compatible mention in the last sentences, else the nearest
/// compatible entity before it.
pub(crate) fn resolve_pronoun(
    pd: &ParsedDocument,
    at: usize,
    kind: PronounKind,
    salient: &[Mention],
) -> Option<usize> {
    // The parse's chain first: the latest named mention of the pronoun's antecedent.
    if let Some(antecedents) = &pd.antecedents {
        let named = antecedents
            .earlier_mentions(at)
            .find_map(|m| pd.entity_at.get(m).copied().flatten());
        if named.is_some() {
            return named;
        }
    }
    let sentence = pd.sentence(at);
    let recent = salient.iter().rev().find(|m| {
        m.words.end <= at
            && sentence.saturating_sub(pd.sentence(m.words.start)) <= SALIENCE_WINDOW
            && compatible(kind, pd.label(m.entity))
    });
    if let Some(m) = recent {
        return Some(m.entity);
    }
    // "they", "them": an organisation close by before a place or a nationality.
    if kind == PronounKind::Group {
        let organisation = nearest_before(pd, at, |label| label == "ORG");
        if let Some(e) = organisation {
            let near = pd.entity_words[e]
                .as_ref()
                .is_some_and(|w| sentence.saturating_sub(pd.sentence(w.start)) <= 1);
            if near {
                return Some(e);
            }
        }
    }
    nearest_before(pd, at, |label| compatible(kind, label))
}

fn nearest_before(pd: &ParsedDocument, at: usize, accept: impl Fn(&str) -> bool) -> Option<usize> {
    (0..at.min(pd.word_count())).rev().find_map(|w| {
        let e = pd.entity_at[w]?;
        accept(pd.label(e)).then_some(e)
    })
}

/// A definite description: an earlier mention with the same head noun, an organisation whose
/// name holds the noun, a person the article gave that role, or the latest salient one of
/// the noun's kind.
fn resolve_description(
    pd: &ParsedDocument,
    words: &Range<usize>,
    salient: &[Mention],
) -> Option<usize> {
    let before = words
        .start
        .checked_sub(1)
        .map(|w| pd.word_text(w).to_lowercase())
        .unwrap_or_default();
    let definite =
        matches!(before.as_str(), "the" | "this" | "that") || words.len() == 1 && before == "its";
    let head = singular(pd.word_text(words.end - 1));
    let earlier = salient
        .iter()
        .rev()
        .find(|m| m.words.end <= words.start && singular(pd.word_text(m.words.end - 1)) == head);
    if let Some(m) = earlier {
        return Some(m.entity);
    }
    if !definite {
        return None;
    }
    // "The ministry" -> "Defence Ministry", "the Foreign Office" -> "Foreign Office".
    let by_name = (0..words.start).rev().find_map(|w| {
        let e = pd.entity_at[w]?;
        let matches = pd.label(e) == "ORG"
            && pd.entities[e]
                .span
                .text
                .split_whitespace()
                .any(|part| singular(part) == head);
        matches.then_some(e)
    });
    if by_name.is_some() {
        return by_name;
    }
    if is_person_role(&head) {
        // A person introduced with that role: "Kremlin spokesman Ilya Sorokin", "X, the spokesman".
        let with_role = (0..words.start).rev().find_map(|w| {
            let e = pd.entity_at[w]?;
            let range = pd.entity_words[e].clone()?;
            let around = range.start.saturating_sub(3)..(range.end + 6).min(words.start);
            let has_role =
                pd.label(e) == "PER" && around.clone().any(|x| singular(pd.word_text(x)) == head);
            has_role.then_some(e)
        });
        if with_role.is_some() {
            return with_role;
        }
        return resolve_pronoun(pd, words.start, PronounKind::Person, salient);
    }
    if is_organisation_noun(&head) {
        let recent = salient
            .iter()
            .rev()
            .find(|m| m.words.end <= words.start && pd.label(m.entity) == "ORG");
        return recent
            .map(|m| m.entity)
            .or_else(|| nearest_before(pd, words.start, |l| l == "ORG"));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Document;
    use crate::linking::lexicon::{ActorDictionary, VerbLexicon};
    use crate::record::Entity;
    use crate::text::{split_sentences, split_words, WindowPlan};

    fn entity(text: &str, name: &str, label: &str) -> Entity {
        let start = text.find(name).unwrap();
        let start = text[..start].chars().count();
        Entity {
            span: crate::record::TextSpan::new(start, start + name.chars().count(), name),
            label: label.into(),
            score: 1.0,
        }
    }

    #[test]
    fn pronouns_and_descriptions_find_their_entities() {
        let text =
            "Kremlin spokesman Ilya Sorokin spoke in Moscow. The spokesman said he was tired.";
        let words = split_words(text);
        let sentences = split_sentences(text, &words);
        let doc = Document {
            text: text.into(),
            words,
            sentences,
            subwords: Vec::new(),
            plan: WindowPlan::new(&[], 1, 1),
            sentence_plan: WindowPlan::new(&[], 1, 1),
        };
        let entities = vec![
            entity(text, "Kremlin", "ORG"),
            entity(text, "Ilya Sorokin", "PER"),
            entity(text, "Moscow", "LOC"),
        ];
        let pd = ParsedDocument::new(
            &doc,
            &entities,
            ActorDictionary::builtin(),
            VerbLexicon::builtin(),
            None,
        );
        // "spokesman" (second) is word 9, "he" word 11.
        assert_eq!(pd.word_text(9), "spokesman");
        assert_eq!(resolve(&pd, &(9..10), &[]), Some(1));
        assert_eq!(resolve(&pd, &(11..12), &[]), Some(1));
        assert_eq!(resolve(&pd, &(2..4), &[]), Some(1));
        assert_eq!(resolve(&pd, &(0..2), &[]), Some(0));
    }
}
