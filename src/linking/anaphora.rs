//! Third-person pronouns resolved over the parse: every nominal the parse heads is a mention,
//! mentions of one name form a chain, and a pronoun joins the most salient chain that agrees
//! with it in gender, number and personhood, salience in the manner of Lappin and Leass (1994):
//! each mention weighs by its grammatical role, and the weight halves with every sentence back.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::dependency_tree::DependencyTree;
use super::parsed::{words_of, ParsedDocument};
use crate::document::Document;
use crate::parsing::WordSyntax;
use crate::record::Entity;

/// How many sentences back a pronoun looks for its antecedent (a mention's weight halves with
/// each, so a far one wins only when nothing nearer agrees).
const WINDOW: usize = 10;

/// How far back along its chain a pronoun looks for a name or a code.
const MAX_EARLIER: usize = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gender {
    Masculine,
    Feminine,
    /// Not a person ("it").
    Neuter,
    Any,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Number {
    Singular,
    Plural,
    Any,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PronounKind {
    Personal,
    Reflexive,
    /// "this", "those": a mention a later pronoun may refer to, itself left unresolved.
    Demonstrative,
}

/// What the pronoun data file says of a form.
#[derive(Debug, Clone, Copy)]
struct PronounFeatures {
    gender: Gender,
    number: Number,
    kind: PronounKind,
}

struct Lexicon {
    pronouns: HashMap<String, PronounFeatures>,
    /// Common nouns (lemmas) that name a person, with a gender when they have one.
    person_nouns: HashMap<String, Gender>,
}

fn gender(field: &str) -> Gender {
    match field {
        "masc" => Gender::Masculine,
        "fem" => Gender::Feminine,
        "neut" => Gender::Neuter,
        _ => Gender::Any,
    }
}

fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| {
        let rows = |text: &'static str| {
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(|l| l.split_whitespace().collect::<Vec<_>>())
        };
        let pronouns = rows(include_str!("data/en.pronouns.txt"))
            .filter(|f| f.len() == 4)
            .map(|f| {
                let number = match f[2] {
                    "sing" => Number::Singular,
                    "plur" => Number::Plural,
                    _ => Number::Any,
                };
                let kind = match f[3] {
                    "reflexive" => PronounKind::Reflexive,
                    "demonstrative" => PronounKind::Demonstrative,
                    _ => PronounKind::Personal,
                };
                let features = PronounFeatures {
                    gender: gender(f[1]),
                    number,
                    kind,
                };
                (f[0].to_string(), features)
            })
            .collect();
        let person_nouns = rows(include_str!("data/en.person-nouns.txt"))
            .filter(|f| f.len() == 2)
            .map(|f| (f[0].to_string(), gender(f[1])))
            .collect();
        Lexicon {
            pronouns,
            person_nouns,
        }
    })
}

/// The entity kind the entity head gives a word, as far as agreement cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NamedKind {
    Person,
    /// An organisation: "it" and "they" both refer to one.
    Organisation,
    /// A place or anything else named.
    Other,
}

impl NamedKind {
    /// The kind of an entity label (`PER`, `ORG`, `LOC`, `MISC`).
    pub(crate) fn of_label(label: &str) -> NamedKind {
        match label {
            "PER" => NamedKind::Person,
            "ORG" => NamedKind::Organisation,
            _ => NamedKind::Other,
        }
    }
}

/// A document's words as the resolver reads them.
pub(crate) struct AnaphoraInput<'a> {
    pub words: &'a [&'a str],
    pub tree: &'a DependencyTree<'a>,
    /// The sentence of each word.
    pub sentence_of: &'a [usize],
    /// The kind of the named entity each word is part of, if any.
    pub named: &'a [Option<NamedKind>],
}

/// What a chain of mentions is known to be.
#[derive(Debug, Clone, Copy)]
struct Agreement {
    gender: Gender,
    number: Number,
    /// An organisation is singular and plural at once ("the ministry said it", "... they").
    organisation: bool,
}

impl Agreement {
    fn accepts(&self, p: &PronounFeatures) -> bool {
        let gender = match (self.gender, p.gender) {
            (Gender::Any, _) | (_, Gender::Any) => true,
            (a, b) => a == b,
        };
        let number = self.organisation
            || matches!((self.number, p.number), (Number::Any, _) | (_, Number::Any))
            || self.number == p.number;
        gender && number
    }

    /// What a pronoun adds to the chain it joins ("he" makes an unknown person masculine).
    fn narrow(&mut self, p: &PronounFeatures) {
        if self.gender == Gender::Any {
            self.gender = p.gender;
        }
        if self.number == Number::Any && !self.organisation {
            self.number = p.number;
        }
    }
}

struct Mention {
    head: usize,
    sentence: usize,
    weight: f32,
    subject: bool,
}

struct Chain {
    agreement: Agreement,
    mentions: Vec<Mention>,
}

/// Each pronoun's antecedent: the head word of the latest mention of the chain it joined.
#[derive(Debug, Clone, Default)]
pub(crate) struct Antecedents {
    antecedent: Vec<Option<usize>>,
    /// The chain of each mention head, for following a pronoun back to a name.
    chain: Vec<Option<usize>>,
    /// Each chain's mention heads, in text order.
    members: Vec<Vec<usize>>,
}

impl Antecedents {
    /// The head word of the mention pronoun `w` refers back to.
    pub(crate) fn of(&self, w: usize) -> Option<usize> {
        self.antecedent.get(w).copied().flatten()
    }

    /// The mentions before `w` of the chain `w` belongs to, latest first, at most
    /// `MAX_EARLIER` of them (a chain of pronouns can run through a whole article).
    pub(crate) fn earlier_mentions(&self, w: usize) -> impl Iterator<Item = usize> + '_ {
        let members = self
            .chain
            .get(w)
            .copied()
            .flatten()
            .map(|c| self.members[c].as_slice())
            .unwrap_or(&[]);
        let before = members.partition_point(|&m| m < w);
        members[..before].iter().rev().copied().take(MAX_EARLIER)
    }
}

/// The third-person personal pronoun `word` is, if it is one.
fn pronoun_features(word: &str) -> Option<PronounFeatures> {
    lexicon().pronouns.get(&word.to_lowercase()).copied()
}

/// Lappin and Leass's weights for a mention's role: recency 100, subject 80, direct object 50,
/// indirect object 40, head-noun emphasis 80 (not inside another noun phrase), non-adverbial 50
/// (not an oblique).
fn weight(tree: &DependencyTree, w: usize) -> f32 {
    let relation = tree.relation(w);
    let base = tree.base_relation(w);
    let mut weight = 100.0;
    weight += match base {
        "nsubj" | "csubj" => 80.0,
        "expl" => 70.0,
        "obj" => 50.0,
        "iobj" => 40.0,
        _ => 0.0,
    };
    if base != "nmod" && !relation.starts_with("nmod") {
        weight += 80.0;
    }
    if base != "obl" && base != "advmod" {
        weight += 50.0;
    }
    weight
}

fn is_subject(tree: &DependencyTree, w: usize) -> bool {
    matches!(tree.base_relation(w), "nsubj" | "csubj")
}

/// Whether `a` and `b` are arguments of the same predicate (a non-reflexive pronoun cannot
/// refer to a co-argument: "Smith praised him" is not Smith).
fn co_arguments(tree: &DependencyTree, a: usize, b: usize) -> bool {
    let core = |w: usize| matches!(tree.base_relation(w), "nsubj" | "obj" | "iobj" | "obl");
    tree.head(a).is_some() && tree.head(a) == tree.head(b) && core(a) && core(b)
}

/// Resolves the third-person pronouns of `doc` over its parse (`syntax`, one per word) and its
/// entities: for a caller without the linker's document (`eval coref`).
pub(crate) fn resolve_document(
    doc: &Document,
    entities: &[Entity],
    syntax: &[WordSyntax],
) -> Antecedents {
    let n = doc.words.len();
    let mut sentence_of = vec![0; n];
    for (s, sentence) in doc.sentences.iter().enumerate() {
        for slot in sentence_of
            .get_mut(sentence.words.clone())
            .into_iter()
            .flatten()
        {
            *slot = s;
        }
    }
    let mut named = vec![None; n];
    for e in entities {
        let kind = NamedKind::of_label(&e.label);
        for w in words_of(doc, e.span.offsets()).into_iter().flatten() {
            if let Some(slot) = named.get_mut(w) {
                *slot = Some(kind);
            }
        }
    }
    resolve_words(doc, &sentence_of, &named, syntax)
}

/// The same over the linker's document, which has already placed sentences and entities.
pub(crate) fn resolve_parsed(pd: &ParsedDocument, syntax: &[WordSyntax]) -> Antecedents {
    let named: Vec<Option<NamedKind>> = pd
        .entity_at
        .iter()
        .map(|e| e.map(|e| NamedKind::of_label(pd.label(e))))
        .collect();
    resolve_words(pd.doc, &pd.sentence_of, &named, syntax)
}

fn resolve_words(
    doc: &Document,
    sentence_of: &[usize],
    named: &[Option<NamedKind>],
    syntax: &[WordSyntax],
) -> Antecedents {
    let n = doc.words.len().min(syntax.len());
    let words: Vec<&str> = doc.words[..n].iter().map(|w| w.text(&doc.text)).collect();
    let tree = DependencyTree::new(&syntax[..n]);
    resolve(&AnaphoraInput {
        words: &words,
        tree: &tree,
        sentence_of: &sentence_of[..n],
        named: &named[..n],
    })
}

/// Resolves every third-person pronoun of a document.
pub(crate) fn resolve(input: &AnaphoraInput) -> Antecedents {
    let lexicon = lexicon();
    let tree = input.tree;
    let n = input.words.len();
    let mut out = Antecedents {
        antecedent: vec![None; n],
        chain: vec![None; n],
        members: Vec::new(),
    };
    let mut chains: Vec<Chain> = Vec::new();
    // The chains with a mention in the last `WINDOW` sentences: a pronoun looks at these only,
    // so a long article costs each pronoun the chains near it, not every chain before it.
    let mut active: Vec<usize> = Vec::new();
    // Names seen so far, by their lowercased words and by their last word, to their chain.
    let mut names: HashMap<String, usize> = HashMap::new();
    for w in 0..n {
        let sentence = input.sentence_of[w];
        let upos = tree.upos(w);
        let mention = Mention {
            head: w,
            sentence,
            weight: weight(tree, w),
            subject: is_subject(tree, w),
        };
        let joined = if upos == "PRON" {
            let Some(p) = pronoun_features(input.words[w]) else {
                continue;
            };
            if tree.relation(w) == "expl" {
                continue;
            }
            active.retain(|&c| {
                chains[c]
                    .mentions
                    .last()
                    .is_some_and(|m| sentence.saturating_sub(m.sentence) <= WINDOW)
            });
            let chosen = match p.kind {
                PronounKind::Demonstrative => None,
                // "himself" refers to a subject of its sentence; failing one, as "him" does.
                PronounKind::Reflexive => best_chain(input, &chains, &active, w, &p, true)
                    .or_else(|| best_chain(input, &chains, &active, w, &p, false)),
                PronounKind::Personal => best_chain(input, &chains, &active, w, &p, false),
            };
            match chosen {
                Some(c) => {
                    out.antecedent[w] = chains[c].mentions.last().map(|m| m.head);
                    chains[c].agreement.narrow(&p);
                    c
                }
                None => {
                    chains.push(Chain {
                        agreement: Agreement {
                            gender: p.gender,
                            number: p.number,
                            organisation: false,
                        },
                        mentions: Vec::new(),
                    });
                    chains.len() - 1
                }
            }
        } else if matches!(upos, "NOUN" | "PROPN") && heads_a_mention(tree, w) {
            let agreement = noun_agreement(input, lexicon, w);
            let key = (upos == "PROPN" || input.named[w].is_some())
                .then(|| name_key(input, w))
                .flatten();
            let existing = key.as_ref().and_then(|k| names.get(k).copied());
            match existing {
                Some(c) => c,
                None => {
                    chains.push(Chain {
                        agreement,
                        mentions: Vec::new(),
                    });
                    let c = chains.len() - 1;
                    if let Some(k) = key {
                        // "Hamfast Gamgee" ... "Gamgee": a person's surname names them again.
                        let last = k.rsplit(' ').next().unwrap_or(&k).to_string();
                        if input.named[w] == Some(NamedKind::Person) {
                            names.entry(last).or_insert(c);
                        }
                        names.insert(k, c);
                    }
                    c
                }
            }
        } else {
            continue;
        };
        chains[joined].mentions.push(mention);
        if !active.contains(&joined) {
            active.push(joined);
        }
        out.chain[w] = Some(joined);
    }
    out.members = chains
        .iter()
        .map(|c| c.mentions.iter().map(|m| m.head).collect())
        .collect();
    out
}

/// A noun that heads its own phrase (not a part of a compound or a name).
fn heads_a_mention(tree: &DependencyTree, w: usize) -> bool {
    !matches!(
        tree.base_relation(w),
        "compound" | "flat" | "fixed" | "goeswith" | "amod" | "advmod" | "case" | "det"
    )
}

/// The words of the name headed by `w`, lowercased: what a later mention of it repeats.
fn name_key(input: &AnaphoraInput, w: usize) -> Option<String> {
    let words = input.tree.name_words(w);
    let named: Vec<String> = words
        .filter(|&x| matches!(input.tree.upos(x), "PROPN") || input.named[x].is_some())
        .map(|x| input.words[x].to_lowercase())
        .collect();
    (!named.is_empty()).then(|| named.join(" "))
}

fn noun_agreement(input: &AnaphoraInput, lexicon: &Lexicon, w: usize) -> Agreement {
    let tree = input.tree;
    let lemma = tree.lemma(w).to_lowercase();
    let form = input.words[w].to_lowercase();
    let plural = tree.upos(w) == "NOUN" && form != lemma && form.ends_with('s');
    let number = if plural {
        Number::Plural
    } else {
        Number::Singular
    };
    match input.named[w] {
        Some(NamedKind::Person) => Agreement {
            gender: Gender::Any,
            number,
            organisation: false,
        },
        Some(NamedKind::Organisation) => Agreement {
            gender: Gender::Neuter,
            number,
            organisation: true,
        },
        Some(NamedKind::Other) => Agreement {
            gender: Gender::Neuter,
            number,
            organisation: false,
        },
        // A name the entity head missed may be anyone or anything.
        None if tree.upos(w) == "PROPN" => Agreement {
            gender: Gender::Any,
            number: Number::Any,
            organisation: false,
        },
        None => {
            let gender = match lexicon.person_nouns.get(&lemma) {
                Some(&g) => g,
                // "they" refers to things and people alike; "he" and "she" to people only.
                None if plural => Gender::Any,
                None => Gender::Neuter,
            };
            Agreement {
                gender,
                number,
                organisation: false,
            }
        }
    }
}

/// The chain pronoun `w` joins: the most salient agreeing chain with a mention in the last
/// `WINDOW` sentences before `w`, if any.
fn best_chain(
    input: &AnaphoraInput,
    chains: &[Chain],
    active: &[usize],
    w: usize,
    p: &PronounFeatures,
    reflexive: bool,
) -> Option<usize> {
    let tree = input.tree;
    let sentence = input.sentence_of[w];
    let own_head = tree.head(w);
    let mut best: Option<(f32, usize, usize)> = None;
    for &c in active {
        let chain = &chains[c];
        if !chain.agreement.accepts(p) {
            continue;
        }
        let mut salience = 0.0;
        let mut latest: Option<&Mention> = None;
        // Latest first: the walk stops at the first mention out of the window.
        for m in chain.mentions.iter().rev() {
            let back = sentence.saturating_sub(m.sentence);
            if back > WINDOW {
                break;
            }
            if m.head >= w {
                continue;
            }
            if reflexive {
                // "himself" refers within its sentence, to a subject.
                if back > 0 || !m.subject {
                    continue;
                }
            } else if back == 0 && (co_arguments(tree, m.head, w) || Some(m.head) == own_head) {
                continue;
            }
            salience += m.weight * 0.5f32.powi(back as i32);
            latest = latest.or(Some(m));
        }
        let Some(latest) = latest else {
            continue;
        };
        // Parallel roles: a subject pronoun prefers the chain last seen as a subject.
        if latest.subject && is_subject(tree, w) {
            salience += 35.0;
        }
        let better = match best {
            None => true,
            Some((s, _, at)) => salience > s || (salience == s && latest.head > at),
        };
        if better {
            best = Some((salience, c, latest.head));
        }
    }
    best.map(|(_, c, _)| c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::linking::dependency_tree::tests::words;

    /// Resolves a parse given as rows "form upos lemma head deprel" (one sentence per blank
    /// line-separated block; heads within the block), with named kinds given by form.
    fn antecedents(blocks: &[&str], people: &[&str], orgs: &[&str]) -> (Vec<String>, Antecedents) {
        let mut syntax = Vec::new();
        let mut sentence_of = Vec::new();
        let mut forms = Vec::new();
        for (s, block) in blocks.iter().enumerate() {
            let offset = syntax.len();
            for mut word in words(block) {
                word.head = word.head.map(|h| h + offset);
                syntax.push(word);
                sentence_of.push(s);
            }
            forms.extend(
                block
                    .lines()
                    .filter_map(|l| l.split_whitespace().next())
                    .map(str::to_string),
            );
        }
        let named: Vec<Option<NamedKind>> = forms
            .iter()
            .map(|f| {
                if people.contains(&f.as_str()) {
                    Some(NamedKind::Person)
                } else if orgs.contains(&f.as_str()) {
                    Some(NamedKind::Organisation)
                } else {
                    None
                }
            })
            .collect();
        let tree = DependencyTree::new(&syntax);
        let refs: Vec<&str> = forms.iter().map(String::as_str).collect();
        let found = resolve(&AnaphoraInput {
            words: &refs,
            tree: &tree,
            sentence_of: &sentence_of,
            named: &named,
        });
        (forms, found)
    }

    #[test]
    fn a_pronoun_takes_the_salient_agreeing_mention_across_sentences() {
        // Merkel met the ministers . She told them the ministry would act . It did .
        let (forms, found) = antecedents(
            &[
                "Merkel PROPN Merkel 2 nsubj
                 met VERB meet 0 root
                 the DET the 4 det
                 ministers NOUN minister 2 obj
                 . PUNCT . 2 punct",
                "She PRON she 2 nsubj
                 told VERB tell 0 root
                 them PRON they 2 iobj
                 the DET the 5 det
                 ministry NOUN ministry 7 nsubj
                 would AUX would 7 aux
                 act VERB act 2 ccomp
                 . PUNCT . 2 punct",
                "It PRON it 2 nsubj
                 did VERB do 0 root
                 . PUNCT . 2 punct",
            ],
            &["Merkel"],
            &[],
        );
        let of = |w: usize| found.of(w).map(|a| forms[a].as_str());
        assert_eq!(of(5), Some("Merkel"), "She");
        assert_eq!(of(7), Some("ministers"), "them: plural, not Merkel");
        assert_eq!(of(13), Some("ministry"), "It: not a person");
        assert_eq!(found.earlier_mentions(5).collect::<Vec<_>>(), vec![0]);
    }

    #[test]
    fn co_arguments_and_possessed_nouns_are_no_antecedents_but_reflexives_need_them() {
        // Smith praised him . Jones blamed himself for his loss .
        let (forms, found) = antecedents(
            &[
                "Jones PROPN Jones 2 nsubj
                 left VERB leave 0 root
                 . PUNCT . 2 punct",
                "Smith PROPN Smith 2 nsubj
                 praised VERB praise 0 root
                 him PRON he 2 obj
                 and CCONJ and 5 cc
                 blamed VERB blame 2 conj
                 himself PRON himself 5 obj
                 for ADP for 9 case
                 his PRON his 9 nmod:poss
                 loss NOUN loss 5 obl
                 . PUNCT . 2 punct",
            ],
            &["Smith", "Jones"],
            &[],
        );
        let of = |w: usize| found.of(w).map(|a| forms[a].as_str());
        assert_eq!(of(5), Some("Jones"), "him: not its co-argument Smith");
        assert_eq!(of(8), Some("Smith"), "himself: the subject");
        // "his" joins Smith's chain (its subject mention and "himself" outweigh Jones, a
        // sentence back) and refers to its latest mention; never to "loss", which it modifies.
        assert_eq!(of(10), Some("himself"));
    }
}
