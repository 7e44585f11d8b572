//! Actors and targets: which words of a noun phrase name the participant, its CAMEO actor code
//! (dictionaries, with the places and appositions around it) and the entity it is.

use std::ops::Range;

use super::function_words::is_attaching_preposition;
use super::lexicon::{
    code_phrase, code_phrase_at, ActorDictionary, AgentDictionary, AgentPosition, Date,
};
use super::parsed::{is_agent_label, ParsedDocument};
use super::syntax::{Class, Parse};

/// A participant as the rules find it: document words, code and entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Role {
    pub words: Range<usize>,
    pub code: Option<String>,
    pub entity: Option<usize>,
    /// A pronoun, to be resolved to its antecedent.
    pub pronoun: bool,
}

/// Codes noun phrases with the actor and agent dictionaries.
pub(crate) struct ParticipantCoder<'a> {
    pub actors: &'a ActorDictionary,
    pub agents: &'a AgentDictionary,
    pub date: Option<Date>,
    /// Give an agent without a country the country the article is about ("police" -> "TURCOP").
    pub infer_country: bool,
}

impl ParticipantCoder<'_> {
    /// The CAMEO code of a phrase given as words.
    pub(crate) fn code_words(&self, words: &[&str]) -> Option<String> {
        if words.is_empty() {
            return None;
        }
        let lookup = |words: &[&str]| match self.date {
            Some(date) => code_phrase_at(self.actors, self.agents, words, date),
            None => code_phrase(self.actors, self.agents, words),
        };
        // Dictionaries spell some names with their article ("THE_ISLAMIC_STATE"); text often
        // drops it ("Islamic State fighters").
        let named = words
            .first()
            .is_some_and(|w| w.chars().next().is_some_and(char::is_uppercase));
        let plain = match self.date {
            Some(date) => self.actors.lookup_at(words, date),
            None => self.actors.lookup(words),
        };
        let with_article = [&["the"], words].concat();
        let code = if named && plain.is_none() && self.actor(words).is_some() {
            lookup(&with_article)?
        } else {
            lookup(words)?
        };
        // An armed group's members are the group: "Hezbollah fighters" is LBNREB, not LBNREBUAF.
        if let Some(actor) = self.actor(words) {
            let rest = code.strip_prefix(actor.code.as_str()).unwrap_or("");
            // Nor is an agent the name already carries added twice ("HGWGOVMED" + "GOVMED").
            let repeated = !rest.is_empty() && actor.code.ends_with(rest);
            if actor.code.len() >= 6 && (matches!(rest, "UAF" | "MIL" | "REB") || repeated) {
                return Some(actor.code);
            }
        }
        Some(code)
    }

    /// The actor named in `words`, also as the dictionary may spell it with its article.
    fn actor(&self, words: &[&str]) -> Option<super::lexicon::ActorMatch> {
        let lookup = |words: &[&str]| match self.date {
            Some(date) => self.actors.lookup_at(words, date),
            None => self.actors.lookup(words),
        };
        lookup(words).or_else(|| {
            let named = words
                .first()
                .is_some_and(|w| w.chars().next().is_some_and(char::is_uppercase));
            named.then(|| lookup(&[&["the"], words].concat())).flatten()
        })
    }

    fn has_actor(&self, words: &[&str]) -> bool {
        self.actor(words).is_some()
    }

    /// The participant named by phrase `p` of sentence `s`.
    pub(crate) fn role(&self, pd: &ParsedDocument, s: usize, p: usize) -> Option<Role> {
        let parse = pd.parses.get(s)?;
        let phrase = parse.phrases.get(p)?;
        let base = pd.sentences.get(s)?.start;
        let head = base + phrase.head.start..base + phrase.head.end;
        if phrase.pronoun.is_some() {
            return Some(Role {
                words: head,
                code: None,
                entity: None,
                pronoun: true,
            });
        }
        let words = participant_words(pd, &head);
        let entity = entity_of(pd, &head, &words);
        let code = self.code_phrase_in_context(pd, parse, s, p, &head);
        Some(Role {
            words,
            code,
            entity,
            pronoun: false,
        })
    }

    /// The code of a phrase, helped by the places after it ("police in Minsk"), its apposition
    /// ("Karim Haddad, an official of the Arab League") and the article's country.
    fn code_phrase_in_context(
        &self,
        pd: &ParsedDocument,
        parse: &Parse,
        s: usize,
        p: usize,
        head: &Range<usize>,
    ) -> Option<String> {
        let texts = pd.texts(head.clone());
        // A dictionary name inside a person's name ("Aden" in "Abdifatah Aden") is no code.
        let person = pd
            .entities_in(head)
            .into_iter()
            .find(|&e| pd.label(e) == "PER");
        let inside_person = person
            .and_then(|e| pd.entity_words[e].clone())
            .is_some_and(|name| {
                self.actor(&texts).is_some_and(|m| {
                    let start = head.start + m.range.start;
                    let end = head.start + m.range.end;
                    start >= name.start && end <= name.end && (start, end) != (name.start, name.end)
                })
            });
        let own = if inside_person {
            None
        } else {
            self.code_words(&texts)
        };
        if own.is_some() && self.has_actor(&texts) {
            return own;
        }
        let base = pd.sentences[s].start;
        // Attached prepositional phrases: "outskirts of Khan Younis", "Soldiers from Gondor".
        let mut extended = texts.clone();
        let mut end = parse.phrases[p].tokens.end;
        for _ in 0..2 {
            let Some(prep) = parse.tokens.get(end) else {
                break;
            };
            if prep.class != Class::Prep || !is_attaching_preposition(&prep.lower) {
                break;
            }
            let Some(q) = parse.phrase_after(end) else {
                break;
            };
            let phrase = &parse.phrases[q];
            if phrase.time || phrase.pronoun.is_some() {
                break;
            }
            extended.push(pd.word_text(base + end));
            extended.extend(pd.texts(base + phrase.tokens.start..base + phrase.tokens.end));
            end = phrase.tokens.end;
        }
        if extended.len() > texts.len() && self.has_actor(&extended) {
            return self.code_words(&extended);
        }
        // A name with its description beside it, between commas.
        if let Some(apposition) = apposition(parse, p) {
            let words = pd.texts(base + apposition.start..base + apposition.end);
            if self.has_actor(&words) || own.is_none() {
                if let Some(code) = self.code_words(&[texts.as_slice(), words.as_slice()].concat())
                {
                    return Some(code);
                }
            }
        }
        match own {
            Some(code) if self.infer_country => {
                Some(self.with_country(pd, head.start, &texts, code))
            }
            other => other,
        }
    }

    /// An agent code without a country gets the nearest country named before it in the
    /// article (after it, if none comes before).
    fn with_country(&self, pd: &ParsedDocument, at: usize, texts: &[&str], code: String) -> String {
        let Some(country) = nearest_country(self, pd, at) else {
            return code;
        };
        match self.agents.lookup(texts).map(|a| a.position) {
            Some(AgentPosition::BeforeActor) => format!("{code}{country}"),
            _ => format!("{country}{code}"),
        }
    }
}

/// Country codes (three letters) named in the article, nearest before `at` first.
fn nearest_country(coder: &ParticipantCoder, pd: &ParsedDocument, at: usize) -> Option<String> {
    let mut before: Option<(usize, String)> = None;
    let mut after: Option<(usize, String)> = None;
    for (s, range) in pd.sentences.iter().enumerate() {
        let words = pd.texts(range.clone());
        let found = match coder.date {
            Some(date) => coder.actors.scan_at(&words, date),
            None => coder.actors.scan(&words),
        };
        for m in found {
            let w = range.start + m.range.start;
            let Some(country) = m
                .code
                .get(..3)
                .filter(|c| is_country(c))
                .map(str::to_string)
            else {
                continue;
            };
            if w < at {
                before = Some((w, country));
            } else if after.is_none() {
                after = Some((w, country));
            }
        }
        if s > pd.sentence(at) && after.is_some() {
            break;
        }
    }
    before.or(after).map(|(_, code)| code)
}

/// Whether a three-letter code is a country's: one the built-in dictionary gives alone to
/// some entry ("RUS"), unlike the prefixes of international actors ("IGO", "NGO").
fn is_country(code: &str) -> bool {
    static COUNTRIES: std::sync::OnceLock<std::collections::HashSet<String>> =
        std::sync::OnceLock::new();
    COUNTRIES
        .get_or_init(|| {
            ActorDictionary::builtin()
                .entries()
                .iter()
                .flat_map(|e| e.codes.iter())
                .map(|c| c.code.clone())
                .filter(|c| c.len() == 3 && c.chars().all(|x| x.is_ascii_uppercase()))
                .filter(|c| {
                    !matches!(
                        c.as_str(),
                        "IGO" | "NGO" | "IMG" | "MNC" | "UIS" | "NGM" | "REB" | "GOV" | "MIL"
                    )
                })
                .collect()
        })
        .contains(code)
}

/// The words a participant's span covers: the entity when the phrase ends in one
/// ("northern Israel" -> "Israel"), else the phrase head.
fn participant_words(pd: &ParsedDocument, head: &Range<usize>) -> Range<usize> {
    let last = head.end.saturating_sub(1);
    let entity = pd.entity_at.get(last).copied().flatten();
    if let Some(range) = entity.and_then(|e| pd.entity_words.get(e).cloned().flatten()) {
        let start = range.start.max(head.start);
        let end = range.end.min(head.end);
        if start < end {
            return start..end;
        }
    }
    head.clone()
}

/// The entity a participant is: the entity it names, or the organisation whose members or
/// organs it names ("Pentagon officials"); a nationality or country modifier is no link.
pub(crate) fn entity_of(
    pd: &ParsedDocument,
    head: &Range<usize>,
    words: &Range<usize>,
) -> Option<usize> {
    let inside = pd.entities_in(head);
    if let Some(&e) = inside
        .iter()
        .find(|&&e| pd.entity_words[e].as_ref() == Some(words))
    {
        return Some(e);
    }
    inside
        .iter()
        .rev()
        .copied()
        .find(|&e| is_agent_label(pd.label(e)))
}

/// The description next to a name between commas: "X, an official of Y," or ", the
/// governor of Y, X": token range of the other side.
fn apposition(parse: &Parse, p: usize) -> Option<Range<usize>> {
    let phrase = &parse.phrases[p];
    let name = parse
        .tokens
        .get(phrase.head.clone())?
        .iter()
        .all(|t| t.capital || t.locked);
    if !name {
        return None;
    }
    let end = phrase.tokens.end;
    if parse.tokens.get(end).is_some_and(|t| t.text == ",") {
        let q = parse.phrase_after(end)?;
        let mut stop = parse.phrases[q].tokens.end;
        // Its own attachments: "an assistant secretary-general of the Arab League".
        while parse
            .tokens
            .get(stop)
            .is_some_and(|t| t.class == Class::Prep && is_attaching_preposition(&t.lower))
        {
            match parse.phrase_after(stop) {
                Some(r) => stop = parse.phrases[r].tokens.end,
                None => break,
            }
        }
        return Some(parse.phrases[q].tokens.start..stop);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Document;
    use crate::record::Entity;
    use crate::text::{split_sentences, split_words, WindowPlan};

    fn doc(text: &str) -> Document {
        let words = split_words(text);
        let sentences = split_sentences(text, &words);
        Document {
            text: text.to_string(),
            words,
            sentences,
            subwords: Vec::new(),
            plan: WindowPlan::new(&[], 1, 1),
            sentence_plan: WindowPlan::new(&[], 1, 1),
        }
    }

    #[test]
    fn codes_with_places_and_country_of_the_article() {
        let d = doc("Riot police in Minsk detained protesters.");
        let entities: Vec<Entity> = Vec::new();
        let pd = ParsedDocument::new(
            &d,
            &entities,
            ActorDictionary::builtin(),
            super::super::lexicon::VerbLexicon::builtin(),
            None,
        );
        let coder = ParticipantCoder {
            actors: ActorDictionary::builtin(),
            agents: AgentDictionary::builtin(),
            date: None,
            infer_country: true,
        };
        let codes: Vec<Option<String>> = (0..pd.parses[0].phrases.len())
            .map(|p| coder.role(&pd, 0, p).and_then(|r| r.code))
            .collect();
        assert_eq!(codes.first().cloned().flatten().as_deref(), Some("BLRCOP"));
        assert_eq!(codes.last().cloned().flatten().as_deref(), Some("BLROPP"));
    }
}
