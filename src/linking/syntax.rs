//! Shallow syntax of one sentence: a class for every word, which words act as verbs there,
//! and the noun phrases between them. No parser: closed-class lists, the verb lexicon and
//! word order, which is what the event and quote rules need.

use std::ops::Range;

use super::cues;
use super::function_words::{
    auxiliary, is_adverb, is_conjunction, is_determiner, is_negator, is_possessive_clitic,
    is_preposition, is_quantity, is_quantity_noun, is_quotation_mark, is_relative,
    is_subject_pronoun, is_subordinator, is_time_word, pronoun, Auxiliary, PronounKind,
};
use super::lexicon::VerbLexicon;

/// The inflection of a verb form, from its spelling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Form {
    Base,
    Third,
    Past,
    Ing,
}

/// What a word is doing in its sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    Punct,
    /// A quotation mark.
    Mark,
    /// The possessive clitic 's.
    Poss,
    Det,
    Num,
    Pron(PronounKind),
    Prep,
    /// "to": a preposition or the infinitive marker; the verb after it decides.
    To,
    Conj,
    Sub,
    Aux(Auxiliary),
    Neg,
    Adv,
    Time,
    /// A word acting as a verb here.
    Verb(Form),
    /// Nouns, adjectives and names: what noun phrases are made of.
    Noun,
}

/// One word of the sentence.
#[derive(Debug, Clone)]
pub(crate) struct Token {
    pub text: String,
    pub lower: String,
    pub class: Class,
    /// Written with a capital and not the sentence's first word: a name.
    pub capital: bool,
    /// A nationality adjective or MISC entity ("Russian", "Israeli"): a modifier, no head.
    pub adjectival: bool,
    /// Inside an entity or a dictionary actor name: kept inside one noun phrase.
    pub locked: bool,
}

/// A noun phrase: its tokens (with determiners) and its head (without them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Phrase {
    pub tokens: Range<usize>,
    pub head: Range<usize>,
    /// A time expression ("on Sunday", "last year"): never a participant.
    pub time: bool,
    pub pronoun: Option<PronounKind>,
}

/// The shallow analysis of one sentence.
#[derive(Debug, Clone)]
pub(crate) struct Parse {
    pub tokens: Vec<Token>,
    pub phrases: Vec<Phrase>,
    phrase_of: Vec<Option<usize>>,
}

/// Past forms that do not end in -ed.
const IRREGULAR_PAST: &[&str] = &[
    "struck",
    "stricken",
    "shot",
    "held",
    "froze",
    "frozen",
    "withdrew",
    "withdrawn",
    "fought",
    "took",
    "taken",
    "gave",
    "given",
    "made",
    "sent",
    "led",
    "began",
    "begun",
    "broke",
    "broken",
    "stole",
    "stolen",
    "told",
    "said",
    "met",
    "left",
    "fled",
    "won",
    "lost",
    "paid",
    "sold",
    "brought",
    "caught",
    "sought",
    "bought",
    "threw",
    "thrown",
    "drew",
    "drawn",
    "drove",
    "driven",
    "rode",
    "rose",
    "risen",
    "fell",
    "fallen",
    "hid",
    "hidden",
    "beaten",
    "bit",
    "bitten",
    "bound",
    "blew",
    "blown",
    "built",
    "burnt",
    "came",
    "went",
    "gone",
    "kept",
    "laid",
    "slew",
    "slain",
    "spoke",
    "spoken",
    "swore",
    "sworn",
    "tore",
    "torn",
    "wore",
    "woke",
    "wrote",
    "written",
    "chose",
    "chosen",
    "forbade",
    "forbidden",
    "overran",
    "overrun",
    "overthrew",
    "overthrown",
    "shook",
    "shaken",
    "sank",
    "sunk",
    "stood",
    "strove",
    "undertook",
    "undertaken",
    "withheld",
    "arose",
    "forgave",
    "forgiven",
    "ate",
    "eaten",
    "flew",
    "flown",
    "grew",
    "grown",
    "knew",
    "known",
    "saw",
    "seen",
    "found",
    "heard",
    "felt",
    "meant",
    "sat",
    "understood",
    "shed",
    "fed",
    "sped",
    "swept",
    "wept",
    "slept",
    "dealt",
    "lent",
    "spent",
    "bent",
    "upheld",
    "overtook",
    "overtaken",
    "foresaw",
    "foreseen",
    "shut",
];

/// Verbs whose past form is their base form.
const BASE_IS_PAST: &[&str] = &[
    "hit",
    "put",
    "set",
    "cut",
    "shut",
    "spread",
    "quit",
    "cast",
    "beat",
    "hurt",
    "let",
    "read",
    "bid",
    "burst",
    "cost",
    "upset",
    "broadcast",
    "forecast",
    "offset",
    "thrust",
    "shed",
];

/// Words in -ing that are never verbs.
const ING_NOUNS: &[&str] = &[
    "building",
    "morning",
    "evening",
    "ceiling",
    "wedding",
    "during",
    "something",
    "nothing",
    "anything",
    "everything",
    "king",
    "thing",
    "spring",
    "string",
    "sibling",
    "lightning",
    "beijing",
    "according",
    "including",
    "following",
    "notwithstanding",
    "regarding",
    "concerning",
    "pending",
    "wing",
];

/// Countries whose names end like nationality adjectives.
const AN_COUNTRIES: &[&str] = &[
    "iran",
    "sudan",
    "japan",
    "oman",
    "jordan",
    "taiwan",
    "bhutan",
    "vatican",
    "yerevan",
    "tehran",
    "isfahan",
    "abidjan",
    "amman",
    "kazan",
    "wuhan",
    "michigan",
    "gondor",
    "lebanon",
    "milan",
    "azerbaijan",
    "afghan",
];

pub(crate) fn form_of(lower: &str) -> Form {
    let chars = lower.chars().count();
    if chars > 4 && lower.ends_with("ing") {
        Form::Ing
    } else if IRREGULAR_PAST.contains(&lower) || (chars > 3 && lower.ends_with("ed")) {
        Form::Past
    } else if chars > 3 && lower.ends_with('s') && !lower.ends_with("ss") && !lower.ends_with("us")
    {
        Form::Third
    } else {
        Form::Base
    }
}

/// Whether the form may be a past participle ("were hit" as well as "were seized").
pub(crate) fn may_be_participle(lower: &str, form: Form) -> bool {
    form == Form::Past || BASE_IS_PAST.contains(&lower)
}

fn is_verb_candidate(lower: &str, verbs: &VerbLexicon) -> bool {
    if !lower.chars().all(|c| c.is_alphabetic() || c == '-') || lower.chars().count() < 2 {
        return false;
    }
    if ING_NOUNS.contains(&lower) {
        return false;
    }
    let chars = lower.chars().count();
    verbs.is_verb(lower)
        || cues::speech_verb(lower).is_some()
        || IRREGULAR_PAST.contains(&lower)
        || (chars > 4 && lower.ends_with("ed") && !lower.contains('-'))
        || (chars > 5 && lower.ends_with("ing") && !lower.contains('-'))
}

/// A capitalised nationality adjective ("Russian", "Israeli", "French").
fn looks_like_demonym(text: &str, lower: &str) -> bool {
    if !text.chars().next().is_some_and(char::is_uppercase) {
        return false;
    }
    if AN_COUNTRIES.contains(&lower) || lower.ends_with("stan") {
        return false;
    }
    ["ian", "ean", "ese", "ish", "an", "i", "ch"]
        .iter()
        .any(|s| lower.ends_with(s))
        && lower.chars().count() > 3
}

impl Parse {
    /// Analyses one sentence. `words` are the sentence's words as written; `locked[i]` marks words inside an entity or dictionary
    /// actor name, `misc[i]` words inside a MISC entity (nationality adjectives).
    pub(crate) fn new(
        words: &[&str],
        locked: &[bool],
        misc: &[bool],
        verbs: &VerbLexicon,
    ) -> Parse {
        let mut tokens: Vec<Token> = words
            .iter()
            .enumerate()
            .map(|(i, text)| {
                let lower = text.to_lowercase();
                let locked = locked.get(i).copied().unwrap_or(false);
                let adjectival = misc.get(i).copied().unwrap_or(false)
                    || (!locked && looks_like_demonym(text, &lower));
                Token {
                    text: text.to_string(),
                    lower,
                    class: Class::Noun,
                    capital: false,
                    adjectival,
                    locked,
                }
            })
            .collect();
        let first_content = tokens
            .iter()
            .position(|t| t.text.chars().any(char::is_alphanumeric))
            .unwrap_or(0);
        for i in 0..tokens.len() {
            let capital = i != first_content
                && tokens[i]
                    .text
                    .chars()
                    .next()
                    .is_some_and(char::is_uppercase);
            tokens[i].capital = capital;
            tokens[i].class = initial_class(&tokens, i, first_content, verbs);
        }
        resolve_verbs(&mut tokens, first_content);
        let (phrases, phrase_of) = chunk(&mut tokens);
        let mut parse = Parse {
            tokens,
            phrases,
            phrase_of,
        };
        parse.mark_clause_prepositions();
        parse
    }

    pub(crate) fn len(&self) -> usize {
        self.tokens.len()
    }

    pub(crate) fn class(&self, t: usize) -> Option<Class> {
        self.tokens.get(t).map(|t| t.class)
    }

    pub(crate) fn lower(&self, t: usize) -> &str {
        self.tokens.get(t).map(|t| t.lower.as_str()).unwrap_or("")
    }

    pub(crate) fn phrase_at(&self, t: usize) -> Option<usize> {
        self.phrase_of.get(t).copied().flatten()
    }

    pub(crate) fn is_verb(&self, t: usize) -> bool {
        matches!(self.class(t), Some(Class::Verb(_)))
    }

    pub(crate) fn form(&self, t: usize) -> Option<Form> {
        match self.class(t) {
            Some(Class::Verb(form)) => Some(form),
            _ => None,
        }
    }

    /// The token before `t`, skipping adverbs.
    pub(crate) fn before(&self, t: usize) -> Option<usize> {
        let mut i = t;
        while i > 0 {
            i -= 1;
            if self.class(i) != Some(Class::Adv) {
                return Some(i);
            }
        }
        None
    }

    /// The token after `t`, skipping adverbs.
    pub(crate) fn after(&self, t: usize) -> Option<usize> {
        let mut i = t + 1;
        while i < self.len() {
            if self.class(i) != Some(Class::Adv) {
                return Some(i);
            }
            i += 1;
        }
        None
    }

    /// The phrase ending right before `t` (adverbs skipped), if any.
    pub(crate) fn phrase_before(&self, t: usize) -> Option<usize> {
        let b = self.before(t)?;
        let p = self.phrase_at(b)?;
        (self.phrases[p].tokens.end == b + 1).then_some(p)
    }

    /// The phrase starting right after `t` (adverbs skipped), if any.
    pub(crate) fn phrase_after(&self, t: usize) -> Option<usize> {
        let a = self.after(t)?;
        let p = self.phrase_at(a)?;
        (self.phrases[p].tokens.start == a).then_some(p)
    }

    /// Whether phrase `p` is the object of a preposition (the token before it is one).
    pub(crate) fn governing_preposition(&self, p: usize) -> Option<usize> {
        let start = self.phrases.get(p)?.tokens.start;
        let b = self.before(start)?;
        matches!(self.class(b), Some(Class::Prep | Class::To)).then_some(b)
    }

    /// "after", "since", "as" ... followed by a clause open a clause, not a phrase.
    fn mark_clause_prepositions(&mut self) {
        for t in 0..self.len() {
            if self.class(t) != Some(Class::Prep)
                || !matches!(
                    self.lower(t),
                    "after" | "before" | "since" | "until" | "as" | "once" | "while"
                )
            {
                continue;
            }
            let Some(p) = self.phrase_after(t) else {
                continue;
            };
            let mut i = self.phrases[p].tokens.end;
            while matches!(self.class(i), Some(Class::Aux(_) | Class::Neg | Class::Adv)) {
                i += 1;
            }
            if matches!(
                self.class(i),
                Some(Class::Verb(Form::Past | Form::Third | Form::Base))
            ) {
                self.tokens[t].class = Class::Sub;
            }
        }
    }
}

/// The class of token `i` from the word alone and its neighbours' spelling.
fn initial_class(tokens: &[Token], i: usize, first_content: usize, verbs: &VerbLexicon) -> Class {
    let token = &tokens[i];
    let lower = token.lower.as_str();
    let next = tokens.get(i + 1).map(|t| t.lower.as_str()).unwrap_or("");
    let prev = i
        .checked_sub(1)
        .and_then(|p| tokens.get(p))
        .map(|t| t.lower.as_str())
        .unwrap_or("");
    if token.locked {
        // "The" opening a dictionary name ("THE UN SECURITY COUNCIL") stays out of the span.
        let opens = i == 0 || !tokens[i - 1].locked;
        return match lower {
            _ if is_possessive_clitic(lower) => Class::Poss,
            "the" | "a" | "an" if opens => Class::Det,
            _ => Class::Noun,
        };
    }
    if matches!(lower, "$" | "€" | "£" | "¥" | "%") {
        return Class::Num;
    }
    if !token.text.chars().any(char::is_alphanumeric) {
        if is_possessive_clitic(lower) && i > 0 && lower != "'" && lower != "’" {
            return Class::Poss;
        }
        return if is_quotation_mark(lower) {
            Class::Mark
        } else {
            Class::Punct
        };
    }
    if is_possessive_clitic(lower) {
        return Class::Poss;
    }
    if token
        .text
        .chars()
        .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
    {
        return Class::Num;
    }
    // Capitalised words mid-sentence are names; months and weekdays are times.
    if token.capital {
        if is_time_word(lower) {
            return Class::Time;
        }
        if token.text == "US" || token.text == "UK" || token.text == "IT" {
            return Class::Noun;
        }
        if !matches!(lower, "i") {
            return Class::Noun;
        }
    }
    match lower {
        "to" => return Class::To,
        "according" if next == "to" => return Class::Prep,
        "about" if next == "to" => return Class::Adv,
        "at" if next == "least" || next == "most" => return Class::Num,
        "least" if prev == "at" => return Class::Num,
        "more" | "fewer" | "less" if next == "than" => return Class::Num,
        "than" if matches!(prev, "more" | "fewer" | "less") => return Class::Num,
        "about" | "over" | "nearly" | "almost" | "around" | "some" | "up"
            if tokens
                .get(i + 1)
                .is_some_and(|t| t.text.chars().next().is_some_and(|c| c.is_ascii_digit())) =>
        {
            return Class::Num
        }
        "each" | "one" if next == "other" || next == "another" => {
            return Class::Pron(PronounKind::Reciprocal)
        }
        "other" | "another" if prev == "each" || prev == "one" => {
            return Class::Pron(PronounKind::Reciprocal)
        }
        "her" => {
            let noun_follows = tokens.get(i + 1).is_some_and(|t| {
                t.text.chars().all(char::is_alphabetic)
                    && !is_preposition(&t.lower)
                    && !is_conjunction(&t.lower)
                    && auxiliary(&t.lower).is_none()
            });
            return if noun_follows {
                Class::Det
            } else {
                Class::Pron(PronounKind::Person)
            };
        }
        "that" => {
            // "that group" after a preposition is a determiner; otherwise it opens a clause.
            let after_preposition = is_preposition(prev) || prev == "to";
            return if after_preposition {
                Class::Det
            } else {
                Class::Sub
            };
        }
        "no" => return Class::Det,
        "as" if next == "well" => return Class::Conj,
        "well" if prev == "as" => return Class::Conj,
        "neither" => return Class::Neg,
        "last" | "next" | "this" | "late" | "early" | "earlier" | "later"
            if tokens.get(i + 1).is_some_and(|t| is_time_word(&t.lower)) =>
        {
            return Class::Time
        }
        _ => {}
    }
    if let Some(aux) = auxiliary(lower) {
        // "May" is a month, "will" rarely a noun.
        return Class::Aux(aux);
    }
    if is_conjunction(lower) {
        return Class::Conj;
    }
    if is_negator(lower) {
        return Class::Neg;
    }
    if let Some(kind) = pronoun(lower) {
        if token.text != "US" {
            return Class::Pron(kind);
        }
    }
    if is_determiner(lower) {
        return Class::Det;
    }
    if is_quantity(lower)
        && !matches!(
            lower,
            "about" | "over" | "around" | "at" | "than" | "more" | "some"
        )
    {
        return Class::Num;
    }
    if is_time_word(lower) && lower != "march" && lower != "may" {
        return Class::Time;
    }
    if is_subordinator(lower) && !is_preposition(lower) {
        return Class::Sub;
    }
    if is_preposition(lower) {
        return Class::Prep;
    }
    if is_adverb(lower) && !verbs.is_verb(lower) {
        return Class::Adv;
    }
    if i == first_content || !token.capital {
        if is_verb_candidate(lower, verbs) {
            return Class::Verb(form_of(lower));
        }
        if is_adverb(lower) {
            return Class::Adv;
        }
    }
    Class::Noun
}

fn is_comma_like(text: &str) -> bool {
    matches!(text, "," | "—" | "–" | "(" | ";" | ":")
}

/// Decides which verb candidates act as verbs, from the words around them.
fn resolve_verbs(tokens: &mut [Token], first_content: usize) {
    let mut clause_finite = false;
    for t in 0..tokens.len() {
        match tokens[t].class {
            Class::Sub => clause_finite = false,
            Class::Punct if is_comma_like(&tokens[t].text) => clause_finite = false,
            _ => {}
        }
        let Class::Verb(form) = tokens[t].class else {
            continue;
        };
        let verbal = is_verbal(tokens, t, form, clause_finite, first_content);
        if !verbal {
            tokens[t].class = Class::Noun;
            continue;
        }
        // Participles in -ing leave the clause open for its own verb.
        if form != Form::Ing {
            clause_finite = true;
        }
    }
}

fn previous(tokens: &[Token], t: usize) -> Option<usize> {
    let mut i = t;
    while i > 0 {
        i -= 1;
        if tokens[i].class != Class::Adv {
            return Some(i);
        }
    }
    None
}

fn is_noun_like(class: Class) -> bool {
    matches!(class, Class::Noun | Class::Verb(_))
}

fn is_verbal(
    tokens: &[Token],
    t: usize,
    form: Form,
    clause_finite: bool,
    first_content: usize,
) -> bool {
    let p = previous(tokens, t);
    let pc = p.map(|p| tokens[p].class);
    let plower = p.map(|p| tokens[p].lower.as_str()).unwrap_or("");
    let next = tokens.get(t + 1);
    let nc = next.map(|n| n.class);
    let nlower = next.map(|n| n.lower.as_str()).unwrap_or("");
    if t == first_content && form == Form::Base {
        // An imperative or a headline: no event we can attribute.
        return false;
    }
    match form {
        Form::Ing => match pc {
            Some(Class::Aux(Auxiliary::Be) | Class::Neg) => true,
            Some(Class::Punct) if p.is_some_and(|p| is_comma_like(&tokens[p].text)) => {
                nlower != "of"
            }
            Some(Class::Prep) => {
                matches!(
                    plower,
                    "of" | "for"
                        | "by"
                        | "after"
                        | "before"
                        | "without"
                        | "from"
                        | "in"
                        | "on"
                        | "upon"
                        | "against"
                        | "about"
                        | "since"
                        | "despite"
                ) && nlower != "of"
                    && !matches!(nc, Some(Class::Punct | Class::Conj) | None)
            }
            Some(Class::Sub) => true,
            // A gerund complement: "denied using", "stopped firing".
            Some(Class::Verb(_)) => matches!(
                nc,
                Some(Class::Det | Class::Noun | Class::Num | Class::Pron(_))
            ),
            Some(Class::Conj) => p.and_then(|p| previous(tokens, p)).is_some_and(|q| {
                tokens[q].class == Class::Verb(Form::Ing) || is_object_end(tokens, q)
            }),
            Some(Class::Noun | Class::Pron(_)) => {
                matches!(nc, Some(Class::Det | Class::Num | Class::Pron(_)))
                    && !p.is_some_and(|p| tokens[p].adjectival)
            }
            _ => false,
        },
        Form::Past => match pc {
            Some(Class::Num) if is_quantity_noun(plower) => true,
            Some(Class::Det | Class::Poss | Class::Num) => false,
            Some(Class::Prep | Class::To) | None
                if next.is_some_and(|n| is_noun_like(n.class) && !n.capital) =>
            {
                false
            }
            _ if tokens[t].lower.contains('-') => false,
            Some(Class::Noun)
                if p.is_some_and(|p| tokens[p].adjectival) && nc.is_some_and(is_noun_like) =>
            {
                false
            }
            _ => true,
        },
        Form::Base | Form::Third => match pc {
            Some(Class::Aux(_) | Class::Neg | Class::To) => true,
            Some(Class::Pron(_)) if is_subject_pronoun(plower) => true,
            Some(Class::Sub) if is_relative(plower) => p
                .and_then(|p| previous(tokens, p))
                .is_some_and(|q| matches!(tokens[q].class, Class::Noun | Class::Punct)),
            Some(Class::Conj) => p.and_then(|p| previous(tokens, p)).is_some_and(|q| {
                // "will find and arrest": the verb before the conjunction is a verb of the same kind.
                matches!(tokens[q].class, Class::Verb(Form::Base | Form::Third))
            }),
            Some(Class::Noun) | Some(Class::Punct) => {
                let subject_like = match pc {
                    Some(Class::Noun) => p.is_some_and(|p| !tokens[p].adjectival),
                    _ => plower == ")",
                };
                // "the rights monitor OVD-Info said": a name with its own verb follows.
                let name_then_verb = next.is_some_and(|n| n.capital || n.locked) && {
                    let mut k = t + 1;
                    while tokens.get(k).is_some_and(|x| x.capital || x.locked) {
                        k += 1;
                    }
                    tokens
                        .get(k)
                        .is_some_and(|x| matches!(x.class, Class::Verb(_) | Class::Aux(_)))
                };
                subject_like
                    && !name_then_verb
                    && !clause_finite
                    && !matches!(
                        nlower,
                        "on" | "against" | "by" | "of" | "in" | "between" | "," | "." | "and"
                    )
                    && !matches!(nc, Some(Class::Verb(_) | Class::Aux(_)) | None)
            }
            _ => false,
        },
    }
}

/// Whether token `q` can end a verb's object ("recalled its ambassador and ...").
fn is_object_end(tokens: &[Token], q: usize) -> bool {
    matches!(tokens[q].class, Class::Noun | Class::Pron(_) | Class::Time)
}

/// Groups tokens into noun phrases; returns the phrases and each token's phrase.
fn chunk(tokens: &mut [Token]) -> (Vec<Phrase>, Vec<Option<usize>>) {
    let n = tokens.len();
    let mut phrases: Vec<Phrase> = Vec::new();
    let in_phrase = |c: Class| matches!(c, Class::Det | Class::Num | Class::Noun | Class::Poss);
    let mut t = 0;
    while t < n {
        match tokens[t].class {
            Class::Pron(kind) => {
                let end = if kind == PronounKind::Reciprocal && t + 1 < n {
                    t + 2
                } else {
                    t + 1
                };
                phrases.push(Phrase {
                    tokens: t..end,
                    head: t..end,
                    time: false,
                    pronoun: Some(kind),
                });
                t = end;
            }
            Class::Time => {
                let start = t;
                while t < n && matches!(tokens[t].class, Class::Time | Class::Num | Class::Poss) {
                    t += 1;
                }
                phrases.push(Phrase {
                    tokens: start..t,
                    head: start..t,
                    time: true,
                    pronoun: None,
                });
            }
            c if in_phrase(c) && c != Class::Poss => {
                let start = t;
                let mut end = t + 1;
                let mut seen_noun = c == Class::Noun;
                while end < n {
                    let class = tokens[end].class;
                    // Words of one entity or dictionary name stay together ("Organisation
                    // for the Prohibition of Chemical Weapons").
                    let inside_name = tokens[end].locked && tokens[end - 1].locked;
                    let continues = inside_name
                        || match class {
                            Class::Noun | Class::Poss => true,
                            // A determiner after a noun opens the next phrase ("gave Gondor the money").
                            Class::Det | Class::Num => {
                                !seen_noun || tokens[end - 1].class == Class::Poss
                            }
                            Class::Mark => {
                                // A quoted modifier: “terrorist” groups.
                                tokens.get(end + 1).is_some_and(|n| n.class == Class::Noun)
                                    && tokens.get(end + 2).is_some_and(|n| {
                                        matches!(n.class, Class::Noun | Class::Mark)
                                    })
                                    && !seen_noun
                            }
                            Class::Adv => {
                                tokens[end].lower == "very"
                                    && tokens.get(end + 1).is_some_and(|n| n.class == Class::Noun)
                            }
                            _ => false,
                        };
                    if !continues {
                        break;
                    }
                    if class == Class::Noun {
                        seen_noun = true;
                    }
                    end += 1;
                }
                // A possessive clitic never ends a phrase it opens nothing after.
                let head = head_of(tokens, start..end);
                let time = tokens[head.clone()]
                    .iter()
                    .all(|t| t.class == Class::Time || is_time_word(&t.lower))
                    || tokens
                        .get(head.end.saturating_sub(1))
                        .is_some_and(|t| is_time_word(&t.lower) && !t.capital && head.len() <= 2);
                phrases.push(Phrase {
                    tokens: start..end,
                    head,
                    time,
                    pronoun: None,
                });
                t = end;
            }
            _ => t += 1,
        }
    }
    let phrases = merge_quantities(tokens, phrases);
    let mut phrase_of = vec![None; n];
    for (i, p) in phrases.iter().enumerate() {
        for slot in phrase_of.get_mut(p.tokens.clone()).into_iter().flatten() {
            *slot = Some(i);
        }
    }
    (phrases, phrase_of)
}

/// The head of a phrase: without leading determiners, quantities and marks.
fn head_of(tokens: &[Token], range: Range<usize>) -> Range<usize> {
    let mut start = range.start;
    while start + 1 < range.end
        && matches!(
            tokens[start].class,
            Class::Det | Class::Num | Class::Mark | Class::Adv
        )
    {
        start += 1;
    }
    let mut end = range.end;
    while end > start + 1 && matches!(tokens[end - 1].class, Class::Mark) {
        end -= 1;
    }
    start..end
}

/// "Thousands of farmers", "38 of the 45 drones": the quantity belongs to the phrase after
/// "of", whose head is the participant.
fn merge_quantities(tokens: &[Token], phrases: Vec<Phrase>) -> Vec<Phrase> {
    let mut out: Vec<Phrase> = Vec::with_capacity(phrases.len());
    let mut i = 0;
    while i < phrases.len() {
        let mut current = phrases[i].clone();
        i += 1;
        loop {
            let quantity_only = current.pronoun.is_none()
                && tokens[current.head.clone()].iter().all(|t| {
                    matches!(t.class, Class::Det | Class::Num)
                        || is_quantity_noun(&t.lower)
                        || t.lower == "several"
                });
            let of = current.tokens.end;
            let next = phrases.get(i);
            let mergeable = quantity_only
                && tokens.get(of).is_some_and(|t| t.lower == "of")
                && next.is_some_and(|n| n.tokens.start == of + 1 && n.pronoun.is_none() && !n.time);
            if !mergeable {
                break;
            }
            let next = &phrases[i];
            current = Phrase {
                tokens: current.tokens.start..next.tokens.end,
                head: next.head.clone(),
                time: false,
                pronoun: None,
            };
            i += 1;
        }
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Parse {
        let words: Vec<&str> = text.split_whitespace().collect();
        let none = vec![false; words.len()];
        Parse::new(&words, &none, &none, VerbLexicon::builtin())
    }

    fn verbs(p: &Parse) -> Vec<&str> {
        p.tokens
            .iter()
            .filter(|t| matches!(t.class, Class::Verb(_)))
            .map(|t| t.text.as_str())
            .collect()
    }

    fn heads(p: &Parse) -> Vec<String> {
        p.phrases
            .iter()
            .filter(|ph| !ph.time)
            .map(|ph| {
                p.tokens[ph.head.clone()]
                    .iter()
                    .map(|t| t.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    #[test]
    fn tells_verbs_from_nouns_by_context() {
        let p = parse("Russian airstrikes on Idlib killed civilians , and Israel strikes Damascus");
        assert_eq!(verbs(&p), vec!["killed", "strikes"]);
        let p = parse(
            "the army said its helicopters had not fired on civilians during an army operation",
        );
        assert_eq!(verbs(&p), vec!["said", "fired"]);
        let p = parse("He urged Washington to resume talks with Moscow");
        assert_eq!(verbs(&p), vec!["urged", "resume"]);
    }

    #[test]
    fn chunks_phrases_with_quantities_and_possessives() {
        let p = parse("Thousands of farmers blocked motorways around Paris");
        assert_eq!(heads(&p), vec!["farmers", "motorways", "Paris"]);
        let p = parse("Russia 's defence ministry denied reports on Sunday");
        assert_eq!(heads(&p), vec!["Russia 's defence ministry", "reports"]);
        assert!(p.phrases.last().unwrap().time);
    }
}
