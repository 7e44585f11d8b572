//! Nominal events: an event noun ("airstrikes", "offensive", "arrest") with its actor before it
//! or in a "by" phrase and its target in an "on/against/of" phrase; after a light verb
//! ("carried out airstrikes", "imposed sanctions") the verb's subject is the actor.

use super::clauses::{complements, is_particle, subjects, verb_group};
use super::cues;
use super::events::{Assertion, EventFinder, FoundEvent};

/// Prepositions that introduce an event noun's target.
const TARGET_PREPOSITIONS: &[&str] = &[
    "on",
    "against",
    "at",
    "upon",
    "into",
    "targeting",
    "with",
    "toward",
    "towards",
    "of",
];

impl EventFinder<'_> {
    /// The light verb whose object phrase `p` is, if any ("launched an offensive").
    fn light_verb(&self, s: usize, p: usize) -> Option<usize> {
        let parse = &self.pd.parses[s];
        let mut v = parse.before(parse.phrases[p].tokens.start)?;
        if is_particle(parse.lower(v)) {
            v = parse.before(v)?;
        }
        (parse.is_verb(v) && cues::is_light_verb(parse.lower(v))).then_some(v)
    }

    /// The nominal events of sentence `s`.
    pub(crate) fn nominal(&self, s: usize) -> Vec<FoundEvent> {
        let parse = &self.pd.parses[s];
        let mut out = Vec::new();
        for p in 0..parse.phrases.len() {
            let Some((noun, code)) = self.event_noun(s, p) else {
                continue;
            };
            let after = complements(parse, parse.phrases[p].tokens.end);
            // Only the phrases that hang on the noun: "by" and target prepositions in a row
            // ("an ambush by PKK fighters on a convoy"); "in a statement" ends them.
            let chain: Vec<(&str, &Vec<usize>)> = after
                .prepositional
                .iter()
                .map(|(prep, q)| (parse.lower(*prep), q))
                .take_while(|(word, _)| *word == "by" || TARGET_PREPOSITIONS.contains(word))
                .collect();
            let by = chain
                .iter()
                .find(|(word, _)| *word == "by")
                .map(|(_, q)| (*q).clone());
            let target_phrases = chain
                .iter()
                .find(|(word, _)| *word != "by")
                .map(|(_, q)| (*q).clone());
            let action = self.words(s, noun.clone());
            let mut assertion = Assertion::default();
            let mut actors: Vec<Option<super::participants::Role>> = Vec::new();
            if let Some(v) = self.light_verb(s, p) {
                let group = verb_group(parse, v);
                let subj = subjects(parse, v);
                assertion = Assertion {
                    negated: group.negated,
                    modality: group.modality.or(subj.modality),
                };
                actors = subj.phrases.iter().map(|&a| self.role(s, a)).collect();
            }
            if actors.is_empty() {
                if let Some(role) = self.premodifier(s, p, &noun) {
                    actors.push(Some(role));
                } else if let Some(by) = &by {
                    actors = by.iter().map(|&a| self.role(s, a)).collect();
                }
            }
            if actors.is_empty() {
                actors.push(None);
            }
            // Another event is no target ("airstrikes on Idlib and a ground offensive").
            let target_phrases: Vec<usize> = target_phrases
                .unwrap_or_default()
                .into_iter()
                .filter(|&q| self.event_noun(s, q).is_none())
                .collect();
            let targets: Vec<Option<super::participants::Role>> = if target_phrases.is_empty() {
                vec![None]
            } else {
                target_phrases.iter().map(|&q| self.role(s, q)).collect()
            };
            let participant = |r: &Option<super::participants::Role>| {
                r.as_ref()
                    .is_some_and(|r| r.code.is_some() || r.entity.is_some() || r.pronoun)
            };
            for actor in &actors {
                for target in &targets {
                    // A nominal event needs a participant the dictionaries or the entities know.
                    if !participant(actor) && !participant(target) {
                        continue;
                    }
                    out.push(self.event(
                        s,
                        actor.clone(),
                        &action,
                        &code,
                        &None,
                        target.clone(),
                        assertion,
                        false,
                    ));
                }
            }
        }
        out
    }
}
