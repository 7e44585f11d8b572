//! Statement events: a quote whose cue is itself an action (accused, denied, urged ...) makes
//! an event of its speaker, linked to the quote; pronoun participants get their antecedent.

use std::ops::Range;

use super::clauses::{complements, verb_group};
use super::coreference::{resolve, resolve_pronoun, Mention};
use super::cues;
use super::events::{Assertion, EventFinder, FoundEvent};
use super::function_words::{pronoun, PronounKind};
use super::lexicon::cameo_root;
use super::participants::Role;
use super::quotes::Attribution;
use crate::text::Interval;

impl EventFinder<'_> {
    /// The code of the phrase a span of words ends in (a quote's speaker as actor).
    fn code_of_words(&self, words: &Range<usize>) -> Option<String> {
        let last = words.end.checked_sub(1)?;
        let (s, t) = self.pd.token(last)?;
        let p = self.pd.parses[s].phrase_at(t)?;
        self.role(s, p)
            .and_then(|r| r.code)
            .or_else(|| self.coder.code_words(&self.pd.texts(words.clone())))
    }

    fn has_country(&self, words: &Range<usize>) -> bool {
        let texts = self.pd.texts(words.clone());
        self.coder.actors.lookup(&texts).is_some()
    }

    fn speaker_role(&self, quote: &Attribution) -> Option<Role> {
        let words = quote.source.clone()?;
        let is_pronoun =
            words.len() <= 2 && pronoun(&self.pd.word_text(words.start).to_lowercase()).is_some();
        let own = if is_pronoun {
            None
        } else {
            self.code_of_words(&words)
        };
        // A description speaks for the entity it refers to: "the spokesman" codes as the
        // spokesman the article named, not as a bare agent.
        let named = quote
            .entity
            .and_then(|e| self.pd.entity_words.get(e).cloned().flatten())
            .is_some_and(|w| w == words);
        let code = match quote.entity {
            Some(e) if !named && !is_pronoun && !self.has_country(&words) => {
                self.entity_code(e, words.start).or(own)
            }
            _ => own,
        };
        Some(Role {
            words,
            code,
            entity: quote.entity,
            pronoun: is_pronoun,
        })
    }

    /// Links events whose action is a quote's cue to that quote, with the speaker as actor,
    /// and makes the statement event where the verb rules found none.
    pub(crate) fn statements(&self, quotes: &[Attribution], events: &mut Vec<FoundEvent>) {
        for (q, quote) in quotes.iter().enumerate() {
            let Some(cue) = &quote.cue else { continue };
            let speaker = self.speaker_role(quote);
            let mut linked = false;
            // Coordinated actors ("Fornost and Gondor welcomed") keep their own events; a
            // single event takes the quote's speaker as its actor.
            let actors: Vec<Option<Range<usize>>> = events
                .iter()
                .filter(|e| e.action.overlaps(&cue))
                .map(|e| e.actor.as_ref().map(|a| a.words.clone()))
                .collect();
            let coordinated = actors.iter().skip(1).any(|a| a != &actors[0]);
            for event in events.iter_mut().filter(|e| e.action.overlaps(&cue)) {
                event.quote = Some(q);
                if speaker.is_some() && !coordinated {
                    event.actor = speaker.clone();
                }
                linked = true;
            }
            if linked {
                continue;
            }
            let Some((s, t)) = self.pd.token(cue.start) else {
                continue;
            };
            let parse = &self.pd.parses[s];
            let verb = (t..(t + cue.len()).min(parse.len()))
                .find(|&i| cues::speech_verb(parse.lower(i)).is_some_and(|v| v.statement));
            let Some(verb) = verb else { continue };
            let words = self.sentence_words(s);
            let Some(found) = self.verbs.lookup(&words, verb) else {
                continue;
            };
            let group = verb_group(parse, verb);
            let target = if cameo_root(&found.code) == "01" {
                None
            } else {
                self.statement_target(s, group.end)
            };
            let action = self.words(s, verb..group.end.max(verb + 1));
            let mut event = self.event(
                s,
                speaker.clone(),
                &action,
                &found.code,
                &found.reverse_code,
                target,
                Assertion::default(),
                false,
            );
            event.quote = Some(q);
            events.push(event);
        }
    }

    fn statement_target(&self, s: usize, from: usize) -> Option<Role> {
        let parse = &self.pd.parses[s];
        let after = complements(parse, from);
        let p = *after.direct.first()?;
        self.role(s, p)
    }

    /// Gives pronoun actors and targets the entity and code of their antecedent: the speaker's
    /// code for "we" inside a quote, the salient entity for "he", "it", "they".
    pub(crate) fn resolve_pronouns(&self, quotes: &[Attribution], events: &mut [FoundEvent]) {
        let mut salient: Vec<Mention> = quotes
            .iter()
            .filter_map(|q| {
                Some(Mention {
                    words: q.source.clone()?,
                    entity: q.entity?,
                })
            })
            .collect();
        for event in events.iter() {
            if let Some(actor) = event.actor.as_ref().filter(|a| !a.pronoun) {
                if let Some(entity) = actor.entity {
                    salient.push(Mention {
                        words: actor.words.clone(),
                        entity,
                    });
                }
            }
        }
        salient.sort_by_key(|m| m.words.start);
        for event in events.iter_mut() {
            for role in [&mut event.actor, &mut event.target].into_iter().flatten() {
                if !role.pronoun {
                    continue;
                }
                let word = self.pd.word_text(role.words.start).to_lowercase();
                match pronoun(&word) {
                    Some(PronounKind::Speaker) => {
                        // "we" inside a quote is the speaker's side.
                        let quote = quotes.iter().find(|q| {
                            q.content.start <= role.words.start && role.words.end <= q.content.end
                        });
                        if let Some(quote) = quote {
                            role.code = self.speaker_role(quote).and_then(|r| {
                                r.code.or_else(|| {
                                    r.entity.and_then(|e| self.entity_code(e, r.words.start))
                                })
                            });
                        }
                    }
                    Some(kind) => {
                        let entity = role
                            .entity
                            .or_else(|| resolve_pronoun(self.pd, role.words.start, kind, &salient));
                        role.entity = entity;
                        if role.code.is_none() {
                            role.code = entity.and_then(|e| self.entity_code(e, role.words.start));
                        }
                        // "The army said it had ...": an antecedent without a name has a code.
                        if role.code.is_none() {
                            role.code = self.antecedent_code(role.words.start);
                        }
                    }
                    None => {
                        if role.entity.is_none() {
                            role.entity = resolve(self.pd, &role.words, &salient);
                        }
                    }
                }
            }
        }
    }

    /// The code of the latest coded mention of pronoun `w`'s antecedent chain, if the parse
    /// gave the pronoun one.
    fn antecedent_code(&self, w: usize) -> Option<String> {
        let antecedents = self.pd.antecedents.as_ref()?;
        antecedents.earlier_mentions(w).find_map(|m| {
            let (s, t) = self.pd.token(m)?;
            let p = self.pd.parses[s].phrase_at(t)?;
            self.role(s, p).and_then(|r| r.code)
        })
    }

    /// The code of an entity from its mention nearest before `at` (its first one otherwise).
    pub(crate) fn entity_code(&self, e: usize, at: usize) -> Option<String> {
        let words = self.pd.entity_words.get(e)?.clone()?;
        let mention =
            (0..at.min(self.pd.word_count()))
                .rev()
                .find(|&w| {
                    self.pd.entity_at[w].is_some_and(|x| {
                        x == e
                            || self.pd.entities.get(x).is_some_and(|other| {
                                other.span.text == self.pd.entities[e].span.text
                            })
                    })
                })
                .unwrap_or(words.end - 1);
        let (s, t) = self.pd.token(mention)?;
        let p = self.pd.parses[s].phrase_at(t)?;
        self.role(s, p).and_then(|r| r.code)
    }
}
