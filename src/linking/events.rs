//! Verbal events: a verb the CAMEO lexicon codes, its subject as actor and its object or
//! prepositional target as target, in active and passive voice, over coordinated actors and
//! targets, with negation and modality from the verb group and the construction.

use std::ops::Range;

use super::clauses::{complements, subjects, verb_group, Complements};
use super::cues;
use super::function_words::{
    is_attaching_preposition, is_instrument_noun, is_place_noun, is_target_preposition,
    is_weapon_noun, Modality, PronounKind,
};
use super::lexicon::{cameo_root, VerbLexicon};
use super::parsed::ParsedDocument;
use super::participants::{entity_of, ParticipantCoder, Role};
use super::syntax::{Class, Parse};

/// An event as the rules find it, over document words.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FoundEvent {
    pub actor: Option<Role>,
    pub action: Range<usize>,
    pub code: String,
    /// What the target does in return, for CAMEO's paired codes ("042:043").
    pub reverse: Option<String>,
    pub target: Option<Role>,
    pub sentence: usize,
    pub negated: bool,
    pub modality: Option<Modality>,
    pub quote: Option<usize>,
    pub score: f32,
}

/// Finds events in one document.
pub(crate) struct EventFinder<'a> {
    pub pd: &'a ParsedDocument<'a>,
    pub coder: &'a ParticipantCoder<'a>,
    pub verbs: &'a VerbLexicon,
}

/// CAMEO roots of acts two parties do together (consult, cooperate diplomatically or
/// materially): coordinated actors without a target do them to each other. Not 03: what two
/// parties pledge or offer together ("pledged aid") is each one's own.
const JOINT_ROOTS: &[&str] = &["04", "05", "06"];

/// Verbs whose subject may be an attack that killed or destroyed: the event keeps the
/// attack's code and actor ("Israeli strikes on Damascus killed two commanders").
fn is_result_verb(word: &str) -> bool {
    [
        "kill", "wound", "injur", "destroy", "damag", "hit", "leave", "left",
    ]
    .iter()
    .any(|s| word.starts_with(s))
}

/// Verbs the CAMEO lexicon codes in some block but that name no event alone.
fn is_generic_verb(word: &str) -> bool {
    const STEMS: &[&str] = &[
        "come", "came", "go", "went", "gone", "get", "got", "need", "gather", "fall", "fell",
        "aim", "allie", "ally", "mar", "remain", "become", "became", "seem", "die", "dying", "die",
        "explod", "live", "lie", "lay", "grow", "rise", "rose", "run", "ran", "look", "keep",
        "kept", "bow", "mean", "face", "stand", "stood", "sit", "pass", "play", "land", "strain",
        "take", "took", "taken", "protect", "lead", "led", "struggl",
    ];
    STEMS
        .iter()
        .any(|s| word.starts_with(s) && word.len() <= s.len() + 3)
}

/// Verbs whose "to" complement is the event ("plans to send", "is set to sign").
fn is_catenative(word: &str) -> bool {
    const STEMS: &[&str] = &[
        "plan", "intend", "aim", "want", "hope", "tri", "try", "seek", "sought", "decid", "prepar",
        "expect", "wish", "attempt", "need", "schedul", "mov", "set", "go", "agre", "vow", "pledg",
        "promis", "offer", "continu", "begin", "began", "start",
    ];
    STEMS
        .iter()
        .any(|s| word.starts_with(s) && word.len() <= s.len() + 4)
}

/// "the town of Saraqeb", "the village of Novomykhailivka": the name is the participant.
fn named_in(parse: &Parse, p: usize) -> usize {
    let phrase = &parse.phrases[p];
    let noun = parse
        .tokens
        .get(phrase.head.end.saturating_sub(1))
        .map(|t| t.lower.as_str())
        .unwrap_or("");
    let place = matches!(
        noun,
        "town"
            | "village"
            | "city"
            | "region"
            | "province"
            | "district"
            | "port"
            | "island"
            | "enclave"
    );
    let possession = matches!(
        noun,
        "assets" | "property" | "accounts" | "funds" | "holdings" | "properties"
    );
    if !place && !possession {
        return p;
    }
    if possession {
        return match parse.phrase_after(phrase.tokens.end) {
            Some(q) if parse.lower(phrase.tokens.end) == "of" => q,
            _ => p,
        };
    }
    if parse.lower(phrase.tokens.end) != "of" {
        return p;
    }
    match parse.phrase_after(phrase.tokens.end) {
        Some(q)
            if parse.tokens[parse.phrases[q].head.clone()]
                .iter()
                .all(|t| t.capital || t.locked) =>
        {
            q
        }
        _ => p,
    }
}

/// How confident a rule-made event is: the more of it the rules found and coded, the more.
/// 0.4 for a coded action, +0.2 for an actor and for a target, +0.1 for each coded one.
pub(crate) fn event_score(actor: Option<&Role>, target: Option<&Role>) -> f32 {
    let mut score = 0.4;
    for role in [actor, target].into_iter().flatten() {
        score += 0.2;
        if role.code.is_some() {
            score += 0.1;
        }
    }
    score
}

impl EventFinder<'_> {
    pub(crate) fn sentence_words(&self, s: usize) -> Vec<&str> {
        self.pd.texts(self.pd.sentences[s].clone())
    }

    /// Document words of a token range of sentence `s`.
    pub(crate) fn words(&self, s: usize, tokens: Range<usize>) -> Range<usize> {
        let base = self.pd.sentences[s].start;
        base + tokens.start..base + tokens.end
    }

    pub(crate) fn role(&self, s: usize, p: usize) -> Option<Role> {
        self.coder.role(self.pd, s, p)
    }

    /// Whether a role has anything that makes it a participant: a code, an entity or a
    /// pronoun to resolve.
    fn is_coded(&self, s: usize, p: usize) -> bool {
        self.role(s, p)
            .is_some_and(|r| r.code.is_some() || r.entity.is_some() || r.pronoun)
    }

    /// The event noun heading phrase `p`: its tokens and code ("Russian airstrikes" -> 195).
    pub(crate) fn event_noun(&self, s: usize, p: usize) -> Option<(Range<usize>, String)> {
        let parse = &self.pd.parses[s];
        let phrase = parse.phrases.get(p)?;
        if phrase.pronoun.is_some() || phrase.time {
            return None;
        }
        let head = phrase.head.clone();
        let texts: Vec<&str> = parse.tokens[head.clone()]
            .iter()
            .map(|t| t.text.as_str())
            .collect();
        let found = self.verbs.lookup_noun_phrase(&texts)?;
        if found.range.end != texts.len() || parse.tokens[head.start + found.range.start].locked {
            return None;
        }
        Some((head.start + found.range.start..head.end, found.code))
    }

    /// The actor named before an event noun in its phrase ("Russian" airstrikes, "army" operation).
    pub(crate) fn premodifier(&self, s: usize, p: usize, noun: &Range<usize>) -> Option<Role> {
        let parse = &self.pd.parses[s];
        let head = parse.phrases[p].head.clone();
        if noun.start <= head.start {
            return None;
        }
        let mut start = head.start;
        // The possessor with its clitic counts: "Iran's attack".
        while start < noun.start && matches!(parse.class(start), Some(Class::Det | Class::Num)) {
            start += 1;
        }
        let mut end = noun.start;
        while end > start && matches!(parse.class(end - 1), Some(Class::Poss)) {
            end -= 1;
        }
        if start >= end {
            return None;
        }
        let words = self.words(s, start..end);
        let texts = self.pd.texts(words.clone());
        let code = self.coder.code_words(&texts);
        let entity = entity_of(self.pd, &words, &words);
        (code.is_some() || entity.is_some()).then_some(Role {
            words,
            code,
            entity,
            pronoun: false,
        })
    }

    /// The phrases a verb acts on. In order: a coded direct object; a place or facility
    /// object; a coded target in the prepositional phrases after it ("fired missiles at X",
    /// "restored ties with X", "approved funding for X"); the object; else a weapon or other
    /// instrument object ("shot down drones"). An object that is the actor's own ("recalled
    /// its ambassador from X") or an instrument yields to the prepositional target.
    pub(crate) fn targets(&self, s: usize, complements: &Complements, code: &str) -> Vec<usize> {
        let parse = &self.pd.parses[s];
        let direct = &complements.direct;
        // The chain of phrases after the object: target prepositions, and noun attachments
        // ("of", "in") and times between them; anything else ends the verb's reach.
        let mut chain: Vec<(&str, &Vec<usize>)> = Vec::new();
        for (prep, phrases) in &complements.prepositional {
            let word = parse.lower(*prep);
            let usable = is_target_preposition(word)
                || matches!(word, "for" | "from" | "by" | "between" | "about")
                || is_attaching_preposition(word);
            if !usable {
                break;
            }
            chain.push((word, phrases));
        }
        let coded_after = |accept: &dyn Fn(&str) -> bool| {
            chain
                .iter()
                .find(|(word, phrases)| {
                    accept(word) && phrases.iter().any(|&q| self.is_coded(s, q))
                })
                .map(|(_, q)| (*q).clone())
        };
        // Taking a place from someone: the loser is the target ("recaptured the town from X").
        if cameo_root(code) == "19" {
            if let Some(from) = coded_after(&|w| w == "from") {
                return from;
            }
        }
        let Some(&d) = direct.first() else {
            if let Some(found) =
                coded_after(&|w| is_target_preposition(w) || matches!(w, "for" | "between"))
            {
                return found;
            }
            // "fired on two of its posts": force is aimed at whatever it names.
            if cameo_root(code).as_bytes().first() == Some(&b'1') && cameo_root(code) >= "17" {
                if let Some((_, phrases)) = chain.iter().find(|(w, _)| is_target_preposition(w)) {
                    return (*phrases).clone();
                }
            }
            return Vec::new();
        };
        // "condemned an attack by Osgiliath soldiers": the attacker is the target.
        if self.event_noun(s, d).is_some() {
            if let Some(by) = coded_after(&|w| w == "by") {
                return by;
            }
        }
        let head = parse.phrases[d].head.clone();
        let noun = parse
            .tokens
            .get(head.end.saturating_sub(1))
            .map(|t| t.lower.as_str())
            .unwrap_or("");
        let own = parse
            .tokens
            .get(parse.phrases[d].tokens.start)
            .is_some_and(|t| matches!(t.lower.as_str(), "its" | "their" | "his" | "her" | "our"));
        let weapon = is_weapon_noun(noun);
        let abstract_object = is_instrument_noun(noun) && !weapon;
        let usable = !weapon && !abstract_object && !own;
        if usable && direct.iter().any(|&q| self.is_named(s, q)) {
            return direct.clone();
        }
        if usable && is_place_noun(noun) {
            return direct.clone();
        }
        let prepositions = |w: &str| {
            is_target_preposition(w) || matches!(w, "for" | "between") || (own && w == "from")
        };
        if let Some(found) = coded_after(&prepositions) {
            return found;
        }
        if usable {
            return direct.clone();
        }
        if weapon {
            // "fired a missile at a farmhouse": the place fired at, coded or not.
            if let Some((_, phrases)) = chain.iter().find(|(w, _)| is_target_preposition(w)) {
                return (*phrases).clone();
            }
        }
        if abstract_object {
            return Vec::new();
        }
        direct.clone()
    }

    /// Whether a phrase names a participant by itself (a code of its own words, an entity or
    /// a pronoun), not only through a place after it ("the conference in Switzerland").
    fn is_named(&self, s: usize, p: usize) -> bool {
        let parse = &self.pd.parses[s];
        let phrase = &parse.phrases[p];
        if phrase.pronoun.is_some() {
            return true;
        }
        let words = self.words(s, phrase.head.clone());
        !self.pd.entities_in(&words).is_empty()
            || self.coder.code_words(&self.pd.texts(words)).is_some()
    }

    /// "warned it would take": a warning of one's own action is a threat; a warning of a
    /// danger is a plain cue.
    fn warns_own_action(&self, parse: &Parse, t: usize) -> bool {
        let mut i = t + 1;
        if parse.lower(i) == "that" {
            i += 1;
        }
        matches!(
            parse.class(i),
            Some(Class::Pron(
                PronounKind::Thing | PronounKind::Group | PronounKind::Speaker
            ))
        ) && matches!(
            parse.class(i + 1),
            Some(Class::Aux(super::function_words::Auxiliary::Modal(_)))
        )
    }

    /// The verbal events of sentence `s`.
    pub(crate) fn verbal(&self, s: usize) -> Vec<FoundEvent> {
        let parse = &self.pd.parses[s];
        let words = self.sentence_words(s);
        let mut out = Vec::new();
        for t in 0..parse.len() {
            if !parse.is_verb(t) {
                continue;
            }
            let lower = parse.lower(t);
            let mut warning = false;
            if let Some(speech) = cues::speech_verb(lower) {
                warning = speech.lemma == "warn";
                let patterned = !matches!(speech.lemma, "say" | "tell" | "add" | "write")
                    && self.verbs.lookup(&words, t).is_some_and(|m| m.phrase);
                let acts =
                    speech.statement || patterned || (warning && self.warns_own_action(parse, t));
                if !acts {
                    continue;
                }
            }
            let Some(found) = self.verbs.lookup(&words, t) else {
                continue;
            };
            // Verbs that say little alone ("came", "need") count only inside a pattern.
            if is_generic_verb(lower) && !found.phrase {
                continue;
            }
            let group = verb_group(parse, t);
            // "plans to send": the plan is the modality of the sending, no event of its own.
            let to_infinitive =
                parse.class(group.end) == Some(Class::To) && parse.is_verb(group.end + 1);
            // "began launching the missiles": the launching is the event.
            let gerund = parse.form(group.end) == Some(super::syntax::Form::Ing);
            if is_catenative(lower) && (to_infinitive || gerund) {
                continue;
            }
            // Words of a multi-word verb after the head ("shot down", "opened fire").
            let mut action_end = group.end;
            for extra in found.verb.split_whitespace().skip(1) {
                if parse
                    .tokens
                    .get(action_end)
                    .is_some_and(|tok| tok.text.eq_ignore_ascii_case(extra))
                {
                    action_end += 1;
                }
            }
            let after = complements(parse, action_end);
            // "used tear gas to disperse the crowd": the dispersal is the event.
            if lower.starts_with("us")
                && lower.len() <= 5
                && self.has_purpose(parse, &after, action_end)
            {
                continue;
            }
            if cues::is_light_verb(lower)
                && after
                    .direct
                    .first()
                    .is_some_and(|&d| self.event_noun(s, d).is_some())
            {
                // The object noun is the event ("imposed sanctions"): see `nominal`.
                continue;
            }
            let subj = subjects(parse, t);
            let reduced = self.reduced_relative(parse, t, &group);
            let root = cameo_root(&found.code).to_string();
            if reduced.is_some() && root.as_str() < "14" {
                // "militias allied with Iran": a participle describing a noun, not an event.
                continue;
            }
            let by = || {
                after
                    .prepositional
                    .iter()
                    .find(|(prep, _)| parse.lower(*prep) == "by")
                    .map(|(_, phrases)| phrases.clone())
                    .unwrap_or_default()
            };
            let (actors, mut targets) = if let Some(noun) = reduced {
                (by(), vec![noun])
            } else if group.passive {
                (by(), subj.phrases.clone())
            } else {
                (subj.phrases.clone(), self.targets(s, &after, &found.code))
            };
            if root == "01" || warning {
                targets.clear();
            } else if !group.passive && reduced.is_none() {
                if targets.is_empty() {
                    targets = self.embedded_target(parse, s, action_end, &found.code);
                }
                // Where the rules found no party as target (a place or weapon hit is one, and a
                // pronoun will be resolved), the parse may reach one.
                let uncoded = targets.iter().all(|&q| {
                    let noun = parse
                        .tokens
                        .get(parse.phrases[q].head.end.saturating_sub(1))
                        .map_or("", |t| t.lower.as_str());
                    !is_place_noun(noun) && !is_weapon_noun(noun) && !self.is_coded(s, q)
                });
                if uncoded {
                    let tree = self.tree_targets(s, self.words(s, t..t + 1).start);
                    if !tree.is_empty() {
                        targets = tree;
                    }
                }
            }
            // Nobody acts on themselves here ("A and B signed an agreement").
            targets.retain(|q| !actors.contains(q));
            // A target that is itself an event is no participant ("retaliate against any attack").
            targets.retain(|&q| {
                self.event_noun(s, q).is_none() || self.premodifier_of(s, q).is_some()
            });
            let targets: Vec<usize> = targets.into_iter().map(|q| named_in(parse, q)).collect();
            let actors: Vec<usize> = actors.into_iter().map(|q| named_in(parse, q)).collect();
            let targets = self.coordinated(s, targets);
            let actors = self.coordinated(s, actors);
            // "Armenia and Azerbaijan signed an agreement": a joint act of coordinated parties
            // with no target of its own is each one's toward the others.
            let joint = targets.is_empty()
                && actors.len() > 1
                && JOINT_ROOTS.contains(&root.as_str())
                && actors.iter().all(|&a| {
                    self.role(s, a)
                        .is_some_and(|r| r.code.is_some() || r.entity.is_some())
                });
            // The construction's modality (threat, demand) outranks the modal verb's intent.
            let modality = subj.modality.or(group.modality);
            let action = self.words(s, t..action_end.max(t + 1));
            out.extend(self.combine(
                s,
                &actors,
                &targets,
                &after.negated,
                joint,
                Assertion {
                    negated: group.negated,
                    modality,
                },
                |actor| {
                    self.result_of_attack(
                        s,
                        actor,
                        lower,
                        &found.code,
                        &found.reverse_code,
                        &action,
                    )
                },
            ));
        }
        out
    }

    /// The target the parse gives a verb whose target the shallow rules did not find: the
    /// first named participant among its objects, its obliques marked by a target preposition
    /// ("depart from Libya"), the possessor or prepositional modifiers of its object ("support
    /// Peru's bid", "a resumption of ties with Gondor"), then the same in the clause it
    /// controls ("vowed to wage war on the Rohans"). Phrases of sentence `s`; none without a
    /// parse.
    fn tree_targets(&self, s: usize, verb: usize) -> Vec<usize> {
        let Some(tree) = &self.pd.tree else {
            return Vec::new();
        };
        let marked = |w: usize| {
            tree.case_marker(w).is_some_and(|m| {
                is_target_preposition(&m)
                    || matches!(m.as_str(), "for" | "from" | "between" | "about")
            })
        };
        let mut clause = Some(verb);
        while let Some(v) = clause {
            let objects: Vec<usize> = tree
                .dependents(v, "obj")
                .chain(tree.dependents(v, "iobj"))
                .collect();
            let obliques: Vec<usize> = tree.dependents(v, "obl").filter(|&o| marked(o)).collect();
            // Inside the object: its possessor, then what its prepositions attach, two deep.
            let mut inside: Vec<usize> = Vec::new();
            for &o in &objects {
                inside.extend(
                    tree.dependents(o, "nmod")
                        .filter(|&m| tree.relation(m) == "nmod:poss"),
                );
                for m in tree.dependents(o, "nmod") {
                    if marked(m) {
                        inside.push(m);
                    }
                    inside.extend(tree.dependents(m, "nmod").filter(|&n| marked(n)));
                }
            }
            for group in [objects, obliques, inside] {
                for w in group {
                    let phrases = self.named_phrases(s, &tree.with_conjuncts(w));
                    if !phrases.is_empty() {
                        return phrases;
                    }
                }
            }
            clause = tree.dependents(v, "xcomp").next();
        }
        Vec::new()
    }

    /// Of phrases the shallow rules read as coordinated, the parties and those the parse
    /// coordinates with the first: an uncoded apposition ("Dagolath, its biggest trading
    /// partner") or a phrase after a comma that is no conjunct ("Gondor, five years after") is
    /// no participant of its own. A party is kept whatever the parse says: coordinated names
    /// are where the parser errs most. All of them without a parse.
    fn coordinated(&self, s: usize, phrases: Vec<usize>) -> Vec<usize> {
        let Some(tree) = &self.pd.tree else {
            return phrases;
        };
        let Some(&first) = phrases.first() else {
            return phrases;
        };
        let parse = &self.pd.parses[s];
        let top = |p: usize| {
            let head = parse.phrases[p].head.end.saturating_sub(1);
            tree.first_conjunct(self.words(s, head..head + 1).start)
        };
        let first_top = top(first);
        phrases
            .into_iter()
            .filter(|&p| p == first || self.is_coded(s, p) || top(p) == first_top)
            .collect()
    }

    /// The shallow phrases of sentence `s` holding the tree's `words` that name a party, each
    /// once: the word is a name (an entity or a dictionary actor) or an agent its modifiers
    /// name ("French troops"; not the actor's own "troops", nor "a Security Council
    /// resolution", which is no party).
    fn named_phrases(&self, s: usize, words: &[usize]) -> Vec<usize> {
        let (Some(tree), parse) = (&self.pd.tree, &self.pd.parses[s]) else {
            return Vec::new();
        };
        let mut out: Vec<usize> = Vec::new();
        for &w in words {
            let Some((ws, t)) = self.pd.token(w) else {
                continue;
            };
            let Some(p) = parse.phrase_at(t).filter(|_| ws == s) else {
                continue;
            };
            let name = tree.name_words(w);
            let texts = self.pd.texts(name.clone());
            let actors = match self.coder.date {
                Some(date) => self.coder.actors.scan_at(&texts, date),
                None => self.coder.actors.scan(&texts),
            };
            let at = w - name.start;
            let is_name = self.pd.entity_at.get(w).is_some_and(Option::is_some)
                || actors
                    .iter()
                    .any(|a| a.range.start <= at && at < a.range.end);
            let named_agent = self.coder.agents.lookup(&[self.pd.word_text(w)]).is_some()
                && (!self.pd.entities_in(&name).is_empty() || !actors.is_empty());
            if (is_name || named_agent)
                && !out.contains(&p)
                && !parse.phrases[p].time
                && self.is_coded(s, p)
            {
                out.push(p);
            }
        }
        out
    }

    /// Whether a "to"-infinitive follows the verb's object ("used water cannon to disperse").
    fn has_purpose(&self, parse: &Parse, after: &Complements, from: usize) -> bool {
        let end = after
            .direct
            .last()
            .map(|&d| parse.phrases[d].tokens.end)
            .unwrap_or(from);
        parse.class(end) == Some(Class::To) && parse.is_verb(end + 1)
    }

    /// A past participle right after a noun in a clause that already has its verb
    /// ("journalists held in occupied territories"): the noun it describes.
    fn reduced_relative(
        &self,
        parse: &Parse,
        t: usize,
        group: &super::clauses::VerbGroup,
    ) -> Option<usize> {
        if group.start != t || parse.form(t) != Some(super::syntax::Form::Past) {
            return None;
        }
        let p = parse.phrase_before(t)?;
        let start = parse.phrases[p].tokens.start;
        // A finite verb earlier in the same comma-free stretch.
        let mut i = start;
        while i > 0 {
            i -= 1;
            match parse.class(i) {
                Some(Class::Punct | Class::Sub | Class::Mark) => return None,
                // "said Syria used chlorine": after a speech verb the noun is a subject.
                Some(Class::Verb(_)) => {
                    let says = i + 1 == start && cues::speech_verb(parse.lower(i)).is_some();
                    return (!says).then_some(p);
                }
                _ => {}
            }
        }
        None
    }

    /// The actor named in an event-noun phrase, if any.
    fn premodifier_of(&self, s: usize, p: usize) -> Option<Role> {
        let (noun, _) = self.event_noun(s, p)?;
        self.premodifier(s, p, &noun)
    }

    /// For a verb with no target of its own: the target of what it threatens ("threatened to
    /// shoot down any aircraft") or the subject of what it demands ("demanded that Russia release").
    fn embedded_target(&self, parse: &Parse, s: usize, from: usize, code: &str) -> Vec<usize> {
        let mut i = from;
        while parse.class(i) == Some(Class::Adv)
            || parse.phrase_at(i).is_some_and(|p| parse.phrases[p].time)
        {
            i += 1;
        }
        if parse.lower(i) == "on"
            && parse
                .phrase_at(i + 1)
                .is_some_and(|p| parse.phrases[p].time)
        {
            i = parse
                .phrase_at(i + 1)
                .map(|p| parse.phrases[p].tokens.end)
                .unwrap_or(i + 1);
        }
        match parse.class(i) {
            Some(Class::To)
                if parse.is_verb(i + 1)
                    && self.verbs.lookup(&self.sentence_words(s), i + 1).is_some() =>
            {
                let group = verb_group(parse, i + 1);
                let after = complements(parse, group.end);
                self.targets(s, &after, code)
            }
            Some(Class::Sub) if parse.lower(i) == "that" => parse
                .phrase_after(i)
                .filter(|&p| parse.phrases[p].pronoun.is_none())
                .map(|p| vec![p])
                .unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    /// The actor and code of an event whose subject is an attack ("Israeli strikes ... killed").
    fn result_of_attack(
        &self,
        s: usize,
        actor: Option<usize>,
        lower: &str,
        code: &str,
        reverse: &Option<String>,
        action: &Range<usize>,
    ) -> (Option<Role>, String, Option<String>, Range<usize>) {
        let plain = |role| (role, code.to_string(), reverse.clone(), action.clone());
        let Some(p) = actor else { return plain(None) };
        if let Some((noun, noun_code)) = self.event_noun(s, p) {
            // An attack as subject: its actor acts ("Israeli strikes killed"), or nobody named.
            let premodifier = self.premodifier(s, p, &noun);
            let code = if is_result_verb(lower) && premodifier.is_some() {
                noun_code
            } else {
                code.to_string()
            };
            return (premodifier, code, reverse.clone(), action.clone());
        }
        plain(self.role(s, p))
    }

    /// One event per actor and target (coordination), reciprocal targets ("each other")
    /// paired with the other actors, and with `joint` each actor toward each other one.
    #[allow(clippy::too_many_arguments)]
    fn combine(
        &self,
        s: usize,
        actors: &[usize],
        targets: &[usize],
        negated_targets: &[usize],
        joint: bool,
        assertion: Assertion,
        actor_role: impl Fn(Option<usize>) -> (Option<Role>, String, Option<String>, Range<usize>),
    ) -> Vec<FoundEvent> {
        let parse = &self.pd.parses[s];
        let actor_list: Vec<Option<usize>> = if actors.is_empty() {
            vec![None]
        } else {
            actors.iter().copied().map(Some).collect()
        };
        let target_list: Vec<Option<usize>> = if targets.is_empty() {
            vec![None]
        } else {
            targets.iter().copied().map(Some).collect()
        };
        let mut out = Vec::new();
        for (i, &a) in actor_list.iter().enumerate() {
            let (actor, code, reverse, action) = actor_role(a);
            for &t in &target_list {
                let reciprocal = joint
                    || t.is_some_and(|t| parse.phrases[t].pronoun == Some(PronounKind::Reciprocal));
                let target = match t {
                    _ if reciprocal => {
                        // "Russia and Ukraine blamed each other": each blames the other(s), as
                        // each signs with the other(s) in a joint act.
                        let words = t.and_then(|t| self.role(s, t)).map(|r| r.words);
                        for (j, &other) in actor_list.iter().enumerate() {
                            if j == i {
                                continue;
                            }
                            let mut role = other.and_then(|o| self.role(s, o));
                            if let (Some(role), Some(words)) = (role.as_mut(), words.clone()) {
                                role.words = words;
                            }
                            out.push(self.event(
                                s,
                                actor.clone(),
                                &action,
                                &code,
                                &reverse,
                                role,
                                assertion,
                                false,
                            ));
                        }
                        continue;
                    }
                    Some(t) => self.role(s, t),
                    None => None,
                };
                if actor.is_none() && target.is_none() {
                    continue;
                }
                let negated = t.is_some_and(|t| negated_targets.contains(&t));
                out.push(self.event(
                    s,
                    actor.clone(),
                    &action,
                    &code,
                    &reverse,
                    target,
                    assertion,
                    negated,
                ));
            }
        }
        out
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) fn event(
        &self,
        s: usize,
        actor: Option<Role>,
        action: &Range<usize>,
        code: &str,
        reverse: &Option<String>,
        target: Option<Role>,
        assertion: Assertion,
        negated_target: bool,
    ) -> FoundEvent {
        let score = event_score(actor.as_ref(), target.as_ref());
        FoundEvent {
            actor,
            action: action.clone(),
            code: code.to_string(),
            reverse: reverse.clone(),
            target,
            sentence: s,
            negated: assertion.negated || negated_target,
            modality: assertion.modality,
            quote: None,
            score,
        }
    }
}

/// Whether and how an event is asserted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Assertion {
    pub negated: bool,
    pub modality: Option<Modality>,
}
