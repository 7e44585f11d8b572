//! Grammatical roles around a verb in a shallow parse: its verb group (auxiliaries, negation,
//! modality, voice), its subjects, direct objects and prepositional phrases.

use std::ops::Range;

use super::cues;
use super::function_words::{is_subject_pronoun, Auxiliary, Modality, PronounKind};
use super::syntax::{may_be_participle, Class, Form, Parse};

/// Particles that belong to the verb ("shot down", "fight back").
pub(crate) fn is_particle(word: &str) -> bool {
    matches!(
        word,
        "down" | "up" | "back" | "off" | "out" | "away" | "dead"
    )
}

/// A verb with its auxiliaries and particles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct VerbGroup {
    /// First token of the group (an auxiliary, a negator or the verb).
    pub start: usize,
    pub verb: usize,
    /// Token after the verb and its particles.
    pub end: usize,
    pub negated: bool,
    pub modality: Option<Modality>,
    pub passive: bool,
}

pub(crate) fn verb_group(parse: &Parse, verb: usize) -> VerbGroup {
    let mut start = verb;
    let mut negated = false;
    let mut modality = None;
    let mut be = false;
    while start > 0 {
        match parse.class(start - 1) {
            Some(Class::Aux(aux)) => match aux {
                Auxiliary::Be => be = true,
                Auxiliary::Modal(m) if m != Modality::Demand => {
                    modality.get_or_insert(m);
                }
                _ => {}
            },
            Some(Class::Neg) => negated = true,
            Some(Class::Adv) => {
                if parse.lower(start - 1) == "never" {
                    negated = true;
                }
            }
            _ => break,
        }
        start -= 1;
    }
    let lower = parse.lower(verb);
    let passive = be
        && parse
            .form(verb)
            .is_some_and(|f| may_be_participle(lower, f));
    let mut end = verb + 1;
    while end < parse.len()
        && is_particle(parse.lower(end))
        && !matches!(parse.class(end), Some(Class::Verb(_)))
    {
        end += 1;
    }
    VerbGroup {
        start,
        verb,
        end,
        negated,
        modality,
        passive,
    }
}

/// The subjects of a verb and a modality the construction gives the event
/// ("threatened to strike": threat; "urged X to": demand).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Subjects {
    pub phrases: Vec<usize>,
    pub modality: Option<Modality>,
    /// Words of a demand or speech verb whose `that`-clause this verb is in.
    pub governor: Option<usize>,
}

impl Subjects {
    fn of(phrases: Vec<usize>) -> Subjects {
        Subjects {
            phrases,
            ..Default::default()
        }
    }
}

/// The nearest verb before `t` that heads a clause of its own, quoted stretches skipped
/// ("...'move or we will shoot' before opening fire": the soldiers open fire). With
/// `main_only`, verbs of relative, infinitive, participle and `that` clauses are skipped too:
/// "demanded that Russia release X, and urged Y" coordinates "urged" with "demanded".
fn previous_finite(parse: &Parse, t: usize, main_only: bool, depth: usize) -> Option<usize> {
    let mut i = t;
    while i > 0 {
        i -= 1;
        if parse.class(i) == Some(Class::Mark) {
            // Jump over the quotation this mark closes.
            if let Some(open) = (0..i).rev().find(|&k| parse.class(k) == Some(Class::Mark)) {
                i = open;
            }
            continue;
        }
        if !matches!(
            parse.class(i),
            Some(Class::Verb(Form::Past | Form::Third | Form::Base))
        ) {
            continue;
        }
        if !main_only || is_main_verb(parse, i, depth) {
            return Some(i);
        }
    }
    None
}

/// Whether verb `v` heads a main clause: no relative pronoun, "to", or `that` before it, and
/// no participle hanging on a noun.
fn is_main_verb(parse: &Parse, v: usize, depth: usize) -> bool {
    let group = verb_group(parse, v);
    let before = parse.before(group.start);
    let before_class = before.and_then(|b| parse.class(b));
    if before_class == Some(Class::To) {
        return false;
    }
    if before_class == Some(Class::Sub)
        && matches!(
            before.map(|b| parse.lower(b)),
            Some("who" | "which" | "that")
        )
    {
        return false;
    }
    // "journalists held in occupied territories".
    if group.start == v
        && parse.form(v) == Some(Form::Past)
        && before.and_then(|b| parse.phrase_at(b)).is_some()
    {
        let earlier = (0..group.start)
            .any(|i| parse.is_verb(i) && !matches!(parse.class(i + 1), Some(Class::Punct)));
        if earlier && before.is_none_or(|b| parse.tokens[b].text != ",") {
            return false;
        }
    }
    subjects_at(parse, v, depth + 1).governor.is_none()
}

/// The subjects of the verb at token `verb`.
pub(crate) fn subjects(parse: &Parse, verb: usize) -> Subjects {
    subjects_at(parse, verb, 0)
}

fn subjects_at(parse: &Parse, verb: usize, depth: usize) -> Subjects {
    if depth > 4 {
        return Subjects::default();
    }
    let group = verb_group(parse, verb);
    let before = parse.before(group.start);
    let before_class = before.and_then(|b| parse.class(b));
    let before_lower = before.map(|b| parse.lower(b)).unwrap_or("");
    // Infinitives: "threatened to strike", "urged Washington to resume", "marched to demand".
    if before_class == Some(Class::To) {
        return infinitive_subjects(parse, before.unwrap_or(0), depth);
    }
    if parse.form(verb) == Some(Form::Ing) {
        match before_class {
            Some(Class::Punct) | Some(Class::Sub) => {
                return previous_finite(parse, group.start, true, depth)
                    .map(|v| Subjects::of(subjects_at(parse, v, depth + 1).phrases))
                    .unwrap_or_default();
            }
            // A gerund complement: "denied using chemical weapons".
            Some(Class::Verb(_)) => {
                return Subjects::of(subjects_at(parse, before.unwrap_or(0), depth + 1).phrases);
            }
            Some(Class::Prep) => {
                let b = before.unwrap_or(0);
                // "accused Turkey of shelling": the object of the verb before is the subject.
                if matches!(before_lower, "of" | "for") {
                    if let Some(p) = parse.phrase_before(b) {
                        let objects = coordinated_left(parse, p);
                        let first = parse.phrases[objects[0]].tokens.start;
                        if parse.before(first).is_some_and(|v| parse.is_verb(v)) {
                            return Subjects::of(objects);
                        }
                    }
                }
                return previous_finite(parse, b, true, depth)
                    .map(|v| Subjects::of(subjects_at(parse, v, depth + 1).phrases))
                    .unwrap_or_default();
            }
            Some(Class::Noun) | Some(Class::Pron(_)) => {
                if let Some(p) = before.and_then(|b| parse.phrase_at(b)) {
                    return Subjects::of(vec![p]);
                }
            }
            _ => {}
        }
    }
    // Verb phrases joined by a conjunction share the subject: "did not fight back and withdrew".
    if before_class == Some(Class::Conj) {
        if let Some(v) = previous_finite(parse, before.unwrap_or(0), true, depth) {
            // "will find and arrest": the modal of the first verb carries over.
            let mut found = subjects_at(parse, v, depth + 1);
            found.modality = found.modality.or(verb_group(parse, v).modality);
            return found;
        }
    }
    // A relative clause: "demonstrators who blocked the road".
    if before_class == Some(Class::Sub) && matches!(before_lower, "who" | "which" | "that") {
        let b = before.unwrap_or(0);
        let mut k = b;
        if k > 0 && parse.tokens[k - 1].text == "," {
            k -= 1;
        }
        if let Some(p) = parse.phrase_before(k).filter(|&p| !parse.phrases[p].time) {
            return Subjects::of(vec![p]);
        }
    }
    // A subject pronoun right before the verb: "he said", "or we will shoot".
    if let Some(p) = before.and_then(|b| parse.phrase_at(b)) {
        let phrase = &parse.phrases[p];
        if phrase.pronoun.is_some() && is_subject_pronoun(parse.lower(phrase.tokens.start)) {
            let threat = parse
                .before(phrase.tokens.start)
                .is_some_and(|c| parse.lower(c) == "or")
                && group.modality == Some(Modality::Intent);
            let mut found = Subjects::of(vec![p]);
            if threat {
                found.modality = Some(Modality::Threat);
            }
            found.governor = complement_governor(parse, phrase.tokens.start);
            if found
                .governor
                .is_some_and(|g| cues::is_demand_verb(parse.lower(g)))
            {
                found.modality = Some(Modality::Demand);
            }
            return found;
        }
    }
    clause_subjects(parse, group.start)
}

/// Subjects of an infinitive whose "to" is at token `to`.
fn infinitive_subjects(parse: &Parse, to: usize, depth: usize) -> Subjects {
    let Some(g) = before_skipping_time(parse, to) else {
        return Subjects::default();
    };
    match parse.class(g) {
        Some(Class::Verb(_)) => {
            let lower = parse.lower(g);
            let modality = cues::subject_control(lower);
            let mut found = subjects_at(parse, g, depth + 1);
            found.modality = modality.or(found.modality);
            found
        }
        // "is about to", "is to": the subject of "is", with intent.
        Some(Class::Aux(Auxiliary::Be)) | Some(Class::Adv) => {
            let mut found = clause_subjects(parse, g);
            found.modality = Some(Modality::Intent);
            found
        }
        _ => {
            // "urged Washington to", "called on Kyiv to": the object is the subject.
            if let Some(mut p) = parse.phrase_before(to) {
                // "urged all parties to the conflict to allow": past the object's attachments.
                for _ in 0..3 {
                    let Some(g) = parse.governing_preposition(p) else {
                        break;
                    };
                    match parse.phrase_before(g) {
                        Some(q) => p = q,
                        None => break,
                    }
                }
                let start = parse.phrases[p].tokens.start;
                let mut v = parse.before(start);
                if v.is_some_and(|v| matches!(parse.lower(v), "on" | "upon")) {
                    v = v.and_then(|v| parse.before(v));
                }
                if let Some(v) = v.filter(|&v| parse.is_verb(v)) {
                    if cues::is_object_control(parse.lower(v)) {
                        return Subjects {
                            phrases: coordinated_left(parse, p),
                            modality: Some(Modality::Demand),
                            governor: Some(v),
                        };
                    }
                }
            }
            // A purpose clause: "marched to demand", "gathered to protest".
            previous_finite(parse, to, false, depth)
                .map(|v| Subjects::of(subjects_at(parse, v, depth + 1).phrases))
                .unwrap_or_default()
        }
    }
}

/// The token before `t`, skipping adverbs and time phrases ("threatened on Friday to").
pub(crate) fn before_skipping_time(parse: &Parse, t: usize) -> Option<usize> {
    let mut b = parse.before(t)?;
    for _ in 0..3 {
        let Some(p) = parse.phrase_at(b).filter(|&p| parse.phrases[p].time) else {
            break;
        };
        b = parse.before(parse.phrases[p].tokens.start)?;
        if matches!(parse.class(b), Some(Class::Prep)) {
            b = parse.before(b)?;
        }
    }
    Some(b)
}

/// The verb whose `that`-clause (or bare complement) starts at token `start`.
fn complement_governor(parse: &Parse, start: usize) -> Option<usize> {
    let mut b = parse.before(start)?;
    if parse.lower(b) == "that" {
        b = parse.before(b)?;
    }
    parse.is_verb(b).then_some(b)
}

/// A phrase can be a subject: no time, no object pronoun.
fn subject_candidate(parse: &Parse, p: usize) -> bool {
    let phrase = &parse.phrases[p];
    if phrase.time {
        return false;
    }
    match phrase.pronoun {
        Some(PronounKind::Reciprocal) => false,
        Some(_) => is_subject_pronoun(parse.lower(phrase.tokens.start)),
        None => true,
    }
}

/// Tokens that end the search for a subject.
fn is_clause_boundary(parse: &Parse, i: usize) -> bool {
    match parse.class(i) {
        Some(Class::Sub | Class::Mark | Class::Verb(_)) => true,
        Some(Class::Punct) => matches!(
            parse.tokens[i].text.as_str(),
            ";" | ":" | "—" | "–" | "(" | ")" | "." | "?" | "!"
        ),
        _ => false,
    }
}

/// The subject found by word order: the first phrase of the clause that is not inside a
/// prepositional phrase, skipping parentheticals and appositions between commas.
fn clause_subjects(parse: &Parse, start: usize) -> Subjects {
    let mut end = start;
    let mut first = true;
    for _ in 0..5 {
        // This segment: back to a comma or a clause boundary.
        let mut i = end;
        let mut boundary = None;
        while i > 0 {
            if parse.tokens[i - 1].text == "," {
                break;
            }
            let reduced_relative = parse.form(i - 1) == Some(Form::Ing)
                && i >= 2
                && parse.phrase_before(i - 1).is_some();
            if is_clause_boundary(parse, i - 1)
                && (first || !parse.is_verb(i - 1))
                && !reduced_relative
            {
                boundary = Some(i - 1);
                break;
            }
            i -= 1;
        }
        let segment = i..end;
        let candidates: Vec<usize> = phrases_in(parse, &segment)
            .into_iter()
            .filter(|&p| subject_candidate(parse, p) && parse.governing_preposition(p).is_none())
            .collect();
        if let Some(&p) = candidates.first() {
            // "Karim Haddad, an assistant secretary-general of the Arab League, told": the name.
            let article = parse
                .tokens
                .get(segment.start)
                .is_some_and(|t| matches!(t.lower.as_str(), "a" | "an" | "the"));
            let description = !parse.tokens[parse.phrases[p].head.clone()]
                .iter()
                .all(|t| t.capital || t.locked)
                || parse
                    .tokens
                    .get(parse.phrases[p].head.end.saturating_sub(1))
                    .is_some_and(|t| !t.capital);
            if (article || description) && boundary.is_none() && segment.start > 0 {
                if let Some(name) = name_before_comma(parse, segment.start - 1) {
                    return Subjects::of(vec![name]);
                }
            }
            let mut phrases = coordinated_right(parse, p, segment.end);
            // A list across commas: "Mordor, Rohan, Fornost and Bree welcomed".
            let opens_with_conjunction = parse.class(segment.start) == Some(Class::Conj);
            if boundary.is_none()
                && (phrases.len() > 1 || opens_with_conjunction)
                && segment.start > 0
            {
                let mut k = segment.start - 1;
                while let Some(q) = parse.phrase_before(k) {
                    let phrase = &parse.phrases[q];
                    let alone = phrase.tokens.start == 0
                        || parse.tokens.get(phrase.tokens.start - 1).is_some_and(|t| {
                            t.text == "," || is_clause_boundary(parse, phrase.tokens.start - 1)
                        });
                    if !alone || !subject_candidate(parse, q) {
                        break;
                    }
                    phrases.insert(0, q);
                    if phrase.tokens.start == 0 || parse.tokens[phrase.tokens.start - 1].text != ","
                    {
                        break;
                    }
                    k = phrase.tokens.start - 1;
                }
            }
            let mut found = Subjects::of(phrases);
            if let Some(b) = boundary {
                found.governor = governor_of_boundary(parse, b);
                if found
                    .governor
                    .is_some_and(|g| cues::is_demand_verb(parse.lower(g)))
                {
                    found.modality = Some(Modality::Demand);
                }
            }
            return found;
        }
        if boundary.is_some() || i == 0 {
            return Subjects::default();
        }
        // Nothing here: a parenthetical ("in remarks published on Monday") or an empty
        // segment; look before the comma.
        end = i - 1;
        first = false;
    }
    Subjects::default()
}

/// The verb a `that` boundary hangs on ("demanded that Russia release").
fn governor_of_boundary(parse: &Parse, b: usize) -> Option<usize> {
    if parse.is_verb(b) {
        return Some(b);
    }
    if parse.lower(b) != "that" {
        return None;
    }
    let v = parse.before(b)?;
    if parse.is_verb(v) {
        return Some(v);
    }
    // "demanded on Monday that": skip a time phrase.
    let p = parse.phrase_at(v)?;
    let w = parse.before(parse.phrases[p].tokens.start)?;
    let w = if parse.class(w) == Some(Class::Prep) {
        parse.before(w)?
    } else {
        w
    };
    parse.is_verb(w).then_some(w)
}

/// A name phrase ending right before the comma at `comma`, with nothing else in its segment.
fn name_before_comma(parse: &Parse, comma: usize) -> Option<usize> {
    let p = parse.phrase_before(comma)?;
    let phrase = &parse.phrases[p];
    let is_name = !phrase.time
        && parse.tokens[phrase.head.clone()]
            .iter()
            .all(|t| t.capital || t.locked);
    let alone = phrase.tokens.start == 0
        || is_clause_boundary(parse, phrase.tokens.start - 1)
        || parse.tokens[phrase.tokens.start - 1].text == ",";
    (is_name && alone).then_some(p)
}

/// Phrases lying wholly inside a token range.
pub(crate) fn phrases_in(parse: &Parse, range: &Range<usize>) -> Vec<usize> {
    (0..parse.phrases.len())
        .filter(|&p| {
            let t = &parse.phrases[p].tokens;
            range.start <= t.start && t.end <= range.end
        })
        .collect()
}

/// Phrase `p` with the phrases coordinated after it ("Russia and Iran"), up to token `limit`.
pub(crate) fn coordinated_right(parse: &Parse, p: usize, limit: usize) -> Vec<usize> {
    coordinated(parse, p, limit, false)
}

/// Objects coordinated after phrase `p`; a conjunct with its own verb starts a new clause
/// ("voted against it and Guyana abstained").
pub(crate) fn coordinated_objects(parse: &Parse, p: usize, limit: usize) -> Vec<usize> {
    coordinated(parse, p, limit, true)
}

fn coordinated(parse: &Parse, p: usize, limit: usize, objects: bool) -> Vec<usize> {
    let mut out = vec![p];
    let mut end = parse.phrases[p].tokens.end;
    let mut comma_list = false;
    while end < limit.min(parse.len()) {
        let link = parse.lower(end);
        let is_link = matches!(link, "and" | "or" | "nor" | ",")
            || (link == "as" && parse.lower(end + 2) == "as");
        if !is_link {
            break;
        }
        let mut next = end + 1;
        if link == "as" {
            next = end + 3;
        }
        if link == "," && matches!(parse.lower(next), "and" | "or") {
            // ", and" ends a list ("A, B, and C") but otherwise joins clauses.
            if !comma_list {
                break;
            }
            next += 1;
        }
        if link == "," {
            comma_list = true;
        }
        if parse.lower(next) == "not" {
            next += 1;
        }
        let Some(q) = parse
            .phrase_at(next)
            .filter(|&q| parse.phrases[q].tokens.start == next)
        else {
            break;
        };
        if parse.phrases[q].time || parse.phrases[q].tokens.end > limit {
            break;
        }
        let mut k = parse.phrases[q].tokens.end;
        while matches!(
            parse.class(k),
            Some(Class::Adv | Class::Aux(_) | Class::Neg)
        ) {
            k += 1;
        }
        if objects && parse.is_verb(k) {
            break;
        }
        out.push(q);
        end = parse.phrases[q].tokens.end;
    }
    out
}

/// Phrase `p` with the phrases coordinated before it ("accused Turkey and Iran of").
pub(crate) fn coordinated_left(parse: &Parse, p: usize) -> Vec<usize> {
    let mut out = vec![p];
    let mut start = parse.phrases[p].tokens.start;
    while start >= 2 {
        let link = parse.lower(start - 1);
        if !matches!(link, "and" | "or" | ",") {
            break;
        }
        let Some(q) = parse.phrase_before(start - 1) else {
            break;
        };
        if parse.phrases[q].time || parse.governing_preposition(q).is_some() && link != "," {
            break;
        }
        out.insert(0, q);
        start = parse.phrases[q].tokens.start;
    }
    out
}

/// What follows a verb: its direct objects and prepositional phrases, up to the clause end.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Complements {
    pub direct: Vec<usize>,
    /// (preposition token, its objects), in order.
    pub prepositional: Vec<(usize, Vec<usize>)>,
    /// Conjuncts preceded by "not" ("bandits, not residents").
    pub negated: Vec<usize>,
}

/// The complements from token `from` (after the verb group).
pub(crate) fn complements(parse: &Parse, from: usize) -> Complements {
    let mut out = Complements::default();
    let mut i = from;
    let n = parse.len();
    let skip_adverbs = |mut i: usize| {
        while i < n && matches!(parse.class(i), Some(Class::Adv)) {
            i += 1;
        }
        i
    };
    i = skip_adverbs(i);
    // A time phrase right after the verb: "fired on Thursday two shells".
    if let Some(p) = parse
        .phrase_at(i)
        .filter(|&p| parse.phrases[p].tokens.start == i)
    {
        if !parse.phrases[p].time {
            let phrases = coordinated_objects(parse, p, n);
            for &q in &phrases {
                if q > 0
                    && parse
                        .tokens
                        .get(parse.phrases[q].tokens.start.saturating_sub(1))
                        .is_some_and(|t| t.lower == "not")
                {
                    out.negated.push(q);
                }
            }
            i = parse.phrases[*phrases.last().unwrap_or(&p)].tokens.end;
            out.direct = phrases;
        } else {
            i = parse.phrases[p].tokens.end;
        }
    }
    let mut steps = 0;
    while i < n && steps < 8 {
        steps += 1;
        i = skip_adverbs(i);
        match parse.class(i) {
            Some(Class::Prep | Class::To) => {
                let Some(p) = parse.phrase_after(i) else {
                    break;
                };
                if parse.phrases[p].time {
                    i = parse.phrases[p].tokens.end;
                    continue;
                }
                let phrases = coordinated_objects(parse, p, n);
                let end = parse.phrases[*phrases.last().unwrap_or(&p)].tokens.end;
                out.prepositional.push((i, phrases));
                i = end;
            }
            Some(Class::Time) => {
                i = parse
                    .phrase_at(i)
                    .map(|p| parse.phrases[p].tokens.end)
                    .unwrap_or(i + 1);
            }
            Some(Class::Noun | Class::Det | Class::Num) if out.direct.is_empty() => {
                // A second object after an adverbial: "fired yesterday two shells".
                let Some(p) = parse.phrase_at(i) else { break };
                if !parse.phrases[p].time {
                    out.direct = coordinated_objects(parse, p, n);
                }
                i = parse.phrases[*out.direct.last().unwrap_or(&p)]
                    .tokens
                    .end
                    .max(i + 1);
            }
            Some(Class::Noun) => {
                // A noun that is no phrase start continues the one before ("north of").
                i += 1;
            }
            _ => break,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::linking::lexicon::VerbLexicon;

    fn parse(text: &str) -> Parse {
        let words: Vec<&str> = text.split_whitespace().collect();
        let none = vec![false; words.len()];
        Parse::new(&words, &none, &none, VerbLexicon::builtin())
    }

    fn texts(p: &Parse, phrases: &[usize]) -> Vec<String> {
        phrases
            .iter()
            .map(|&q| {
                p.tokens[p.phrases[q].head.clone()]
                    .iter()
                    .map(|t| t.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    fn verb(p: &Parse, word: &str) -> usize {
        p.tokens.iter().position(|t| t.text == word).unwrap()
    }

    #[test]
    fn subjects_across_pps_commas_and_coordination() {
        let p = parse("Riot police in Minsk detained 40 people on Sunday");
        assert_eq!(
            texts(&p, &subjects(&p, verb(&p, "detained")).phrases),
            vec!["Riot police"]
        );
        let p = parse("Russia and Iran supplied drones to the government , a UN panel said");
        assert_eq!(
            texts(&p, &subjects(&p, verb(&p, "supplied")).phrases),
            vec!["Russia", "Iran"]
        );
        assert_eq!(
            texts(&p, &subjects(&p, verb(&p, "said")).phrases),
            vec!["UN panel"]
        );
        let p = parse("Mordor , Rohan , Fornost and Bree welcomed the talks");
        assert_eq!(
            texts(&p, &subjects(&p, verb(&p, "welcomed")).phrases),
            vec!["Mordor", "Rohan", "Fornost", "Bree"]
        );
    }

    #[test]
    fn infinitives_take_their_controller() {
        let p = parse("He urged Washington to resume talks with Moscow");
        let s = subjects(&p, verb(&p, "resume"));
        assert_eq!(
            (texts(&p, &s.phrases), s.modality),
            (vec!["Washington".to_string()], Some(Modality::Demand))
        );
        let p = parse("North Korea threatened on Friday to shoot down any aircraft");
        let s = subjects(&p, verb(&p, "shoot"));
        assert_eq!(
            (texts(&p, &s.phrases), s.modality),
            (vec!["North Korea".to_string()], Some(Modality::Threat))
        );
    }

    #[test]
    fn passive_groups_and_complements() {
        let p = parse("Several villages were seized by Islamic State fighters overnight");
        let g = verb_group(&p, verb(&p, "seized"));
        assert!(g.passive);
        let c = complements(&p, g.end);
        assert_eq!(p.lower(c.prepositional[0].0), "by");
        assert_eq!(
            texts(&p, &c.prepositional[0].1),
            vec!["Islamic State fighters"]
        );
        let p = parse("Israel did not strike targets in Lebanon");
        let g = verb_group(&p, verb(&p, "strike"));
        assert!(g.negated && !g.passive);
        assert_eq!(texts(&p, &complements(&p, g.end).direct), vec!["targets"]);
    }
}
