//! From spans to records: quotes attributed to speakers, actor-action-target events.

mod anaphora;
mod clauses;
mod coreference;
mod cues;
mod dependency_tree;
mod dictionaries;
mod events;
mod function_words;
pub mod lexicon;
mod news_lexicon;
mod nominal;
mod parsed;
mod participants;
mod quotation_marks;
mod quotes;
mod statements;
mod syntax;

use std::path::PathBuf;

pub(crate) use anaphora::resolve_document as resolve_pronouns;
pub use dictionaries::LinkError;

use crate::document::Document;
use crate::parsing::WordSyntax;
use crate::record::{Action, Entity, Event, Participant, Quote, Source};
use crate::tagging::LabeledSpan;
use dependency_tree::DependencyTree;
use dictionaries::Dictionaries;
use events::{EventFinder, FoundEvent};
use lexicon::{cameo_root, plover, Date};
use parsed::ParsedDocument;
use participants::{ParticipantCoder, Role};
use quotes::Attribution;

/// The quote head's spans of one document, by role (word ranges).
#[derive(Debug, Clone, Default)]
pub struct QuoteSpans {
    pub contents: Vec<LabeledSpan>,
    pub sources: Vec<LabeledSpan>,
    pub cues: Vec<LabeledSpan>,
}

impl QuoteSpans {
    pub fn from_labeled(spans: Vec<LabeledSpan>) -> QuoteSpans {
        let mut out = QuoteSpans::default();
        for s in spans {
            match s.label.to_ascii_uppercase().as_str() {
                "CONTENT" => out.contents.push(s),
                "SOURCE" => out.sources.push(s),
                "CUE" => out.cues.push(s),
                _ => {}
            }
        }
        out
    }
}

/// Settings of one linking run beyond the dictionaries.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LinkOptions {
    /// Code actors with the codes in force on this date (PETRARCH records carry one).
    pub date: Option<Date>,
    /// Give agents without a country the article's country ("police" -> "TURCOP"); PETRARCH
    /// codes them without one ("---COP").
    pub infer_country: bool,
}

impl Default for LinkOptions {
    fn default() -> Self {
        LinkOptions {
            date: None,
            infer_country: true,
        }
    }
}

/// An event with what PETRARCH-style scoring needs beyond the record: the paired code the
/// target does in return ("042:043": a visit is hosted).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CodedEvent {
    pub event: Event,
    pub reverse: Option<String>,
}

/// Links spans into quotes and events: rules over words and sentences with the CAMEO verb
/// lexicon and the actor and agent dictionaries.
///
/// ```no_run
/// use newsevents::{Linker, ModelSource, Pipeline};
/// // Your own PETRARCH-format actor dictionary on top of the built-in ones.
/// let linker = Linker::with_dictionaries(&["my-actors.txt".into()], &[])?;
/// let mut pipeline = Pipeline::load(&ModelSource::default_model())?;
/// pipeline.set_linker(linker);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Linker {
    dictionaries: Dictionaries,
}

impl Linker {
    /// A linker whose actor and agent dictionaries are the built-ins extended with the user's
    /// PETRARCH-format files (repeatable); the user's entries take precedence.
    pub fn with_dictionaries(
        actor_files: &[PathBuf],
        agent_files: &[PathBuf],
    ) -> Result<Linker, LinkError> {
        Ok(Linker {
            dictionaries: Dictionaries::with_files(actor_files, agent_files)?,
        })
    }

    /// This linker with CAMEO verb pattern files added (PETRARCH format, repeatable); their
    /// verbs take precedence over the built-in ones (PETRARCH's validation records, for one,
    /// are coded with their own verb file). Lines that cannot be read are skipped, as PETRARCH
    /// does, and returned as `file:line: problem` warnings; an unreadable file is an error.
    pub fn with_verbs(
        mut self,
        verb_files: &[PathBuf],
    ) -> Result<(Linker, Vec<String>), LinkError> {
        let skipped = self.dictionaries.add_verb_files(verb_files)?;
        Ok((self, skipped))
    }

    /// Quotes (with speakers resolved to `entities`) and events of one document, from its
    /// text, words and sentences and, when the model gives one, the parse of its words (one
    /// `WordSyntax` per word): pronouns are resolved over it.
    pub fn link(
        &self,
        doc: &Document,
        entities: &[Entity],
        quotes: &QuoteSpans,
        syntax: Option<&[WordSyntax]>,
    ) -> (Vec<Quote>, Vec<Event>) {
        let (quotes, events) =
            self.link_with(doc, entities, quotes, syntax, LinkOptions::default());
        (quotes, events.into_iter().map(|e| e.event).collect())
    }

    pub(crate) fn link_with(
        &self,
        doc: &Document,
        entities: &[Entity],
        spans: &QuoteSpans,
        syntax: Option<&[WordSyntax]>,
        options: LinkOptions,
    ) -> (Vec<Quote>, Vec<CodedEvent>) {
        if doc.words.is_empty() {
            return (Vec::new(), Vec::new());
        }
        let verbs: &lexicon::VerbLexicon = &self.dictionaries.verbs;
        let actors: &lexicon::ActorDictionary = &self.dictionaries.actors;
        let agents: &lexicon::AgentDictionary = &self.dictionaries.agents;
        let mut pd = ParsedDocument::new(doc, entities, actors, verbs, options.date);
        let syntax = syntax.filter(|syntax| syntax.len() == doc.words.len());
        pd.antecedents = syntax.map(|syntax| anaphora::resolve_parsed(&pd, syntax));
        pd.tree = syntax.map(DependencyTree::new);
        let coder = ParticipantCoder {
            actors,
            agents,
            date: options.date,
            infer_country: options.infer_country,
        };
        let regions = quotation_marks::quoted_regions(&pd);
        let attributions = quotes::attribute(&pd, spans, &regions);
        let finder = EventFinder {
            pd: &pd,
            coder: &coder,
            verbs,
        };
        let mut found: Vec<FoundEvent> = Vec::new();
        for s in 0..pd.parses.len() {
            let verbal = finder.verbal(s);
            let mut nominal = finder.nominal(s);
            // "condemned an attack by Osgiliath soldiers": the attackers are the condemnation's
            // target; the attack, with no target of its own, is no second event.
            nominal.retain(|n| {
                n.target.is_some()
                    || !verbal.iter().any(|v| {
                        v.target.as_ref().map(|t| &t.words) == n.actor.as_ref().map(|a| &a.words)
                    })
            });
            found.extend(verbal);
            found.extend(nominal);
        }
        finder.statements(&attributions, &mut found);
        finder.resolve_pronouns(&attributions, &mut found);
        let quotes = attributions.iter().map(|a| to_quote(&pd, a)).collect();
        (quotes, to_events(&pd, found))
    }
}

fn to_quote(pd: &ParsedDocument, a: &Attribution) -> Quote {
    Quote {
        content: pd.text_span(&a.content),
        source: a.source.as_ref().map(|words| Source {
            span: pd.text_span(words),
            entity: a.entity,
        }),
        cue: a.cue.as_ref().map(|words| pd.text_span(words)),
        direct: a.direct,
        score: a.score,
    }
}

fn to_participant(pd: &ParsedDocument, role: &Role) -> Participant {
    Participant {
        span: pd.text_span(&role.words),
        code: role.code.clone(),
        entity: role.entity,
    }
}

/// Records in text order, one per action, actor and target.
fn to_events(pd: &ParsedDocument, found: Vec<FoundEvent>) -> Vec<CodedEvent> {
    let mut out: Vec<CodedEvent> = Vec::new();
    for f in found {
        let code = f.code.trim_end_matches('!').to_string();
        let event = Event {
            actor: f.actor.as_ref().map(|r| to_participant(pd, r)),
            action: Action {
                span: pd.text_span(&f.action),
                root: cameo_root(&code).to_string(),
                plover: plover(&code).map(str::to_string),
                cameo: code,
            },
            target: f.target.as_ref().map(|r| to_participant(pd, r)),
            sentence: pd.span(&pd.sentences[f.sentence.min(pd.sentences.len().saturating_sub(1))]),
            quote: f.quote,
            negated: f.negated,
            modality: f.modality.map(|m| m.name().to_string()),
            score: f.score,
        };
        let key = |e: &Event| {
            (
                e.action.span.start,
                e.actor.as_ref().map(|a| a.span.offsets()),
                e.target.as_ref().map(|t| t.span.offsets()),
            )
        };
        if out.iter().any(|o| key(&o.event) == key(&event)) {
            continue;
        }
        out.push(CodedEvent {
            event,
            reverse: f.reverse,
        });
    }
    out.sort_by_key(|e| {
        (
            e.event.action.span.start,
            e.event.actor.as_ref().map(|a| a.span.start),
            e.event.target.as_ref().map(|t| t.span.start),
        )
    });
    out
}
