//! Reader for CAMEO verb pattern files: synsets, verb blocks, verbs and patterns.

use std::collections::HashMap;

use super::inflect::regular_forms;
use super::pattern::{Element, Literal, Pattern, Step};
use super::{VerbBlock, VerbEntry, VerbForm, VerbLexicon};
use crate::linking::lexicon::error::{At, Problems};
use crate::linking::lexicon::event_code::EventCode;
use crate::linking::lexicon::source::{content_lines, split_groups};
use crate::linking::lexicon::LexiconError;

/// Longest pattern, in tokens; keeps the matcher's recursion shallow on any input.
const MAX_PATTERN_TOKENS: usize = 64;
/// Deepest synset nesting (`+&OTHER` members).
const MAX_SYNSET_DEPTH: usize = 16;
/// Most spellings one synset member may expand to.
const MAX_EXPANSIONS: usize = 4096;

struct RawSynset {
    line: usize,
    /// Label ends in `_`: members are not nouns, so no plural or stem forms.
    exact: bool,
    members: Vec<String>,
}

enum RawElement {
    Word(Literal),
    Synset(String),
    Slot,
    Verb,
}

struct RawToken {
    element: RawElement,
    /// Joined to the previous token by `_`.
    joined: bool,
}

struct RawPattern {
    block: usize,
    line: usize,
    text: String,
    tokens: Vec<RawToken>,
    code: Option<EventCode>,
}

/// A verb phrase: the inflecting head and the fixed words around it.
struct Shape {
    before: Vec<String>,
    head: String,
    after: Vec<String>,
}

#[derive(Default)]
struct State {
    lexicon: VerbLexicon,
    synsets: Vec<RawSynset>,
    synset_ids: HashMap<String, usize>,
    patterns: Vec<RawPattern>,
    block: Option<usize>,
    synset: Option<usize>,
}

pub(super) fn read(
    text: &str,
    origin: &str,
    problems: &mut Problems,
) -> Result<VerbLexicon, LexiconError> {
    let mut state = State::default();
    for line in content_lines(text) {
        let at = At {
            origin,
            line: line.number,
        };
        if let Err(error) = state.line(line.text.trim(), at) {
            problems.report(error)?;
        }
    }
    state.finish(origin, problems)
}

impl State {
    fn line(&mut self, text: &str, at: At<'_>) -> Result<(), LexiconError> {
        if let (Some(id), Some(member)) = (self.synset, text.strip_prefix('+')) {
            if let Some(synset) = self.synsets.get_mut(id) {
                synset.members.push(member.trim().to_string());
            }
            return Ok(());
        }
        self.synset = None;
        if text.starts_with("---") {
            self.block_header(text, at)
        } else if let Some(name) = text.strip_prefix('&') {
            self.synset_header(name, at)
        } else if let Some(body) = text.strip_prefix('-') {
            self.pattern(body, at)
        } else {
            self.verb(text, at)
        }
    }

    /// `--- PHYSICAL_CONFLICT [190] ---`; a block without a code is null-coded.
    fn block_header(&mut self, text: &str, at: At<'_>) -> Result<(), LexiconError> {
        let inner = text.trim_matches(|c: char| c == '-' || c.is_whitespace());
        let groups = split_groups(inner, '[', ']', at)?;
        // PETRARCH reads the first code of a header and ignores any others.
        let code = match groups.inside.first() {
            None => None,
            Some(code) => EventCode::parse(code, at)?,
        };
        let name = groups.outside.trim();
        if name.is_empty() {
            return Err(at.malformed("block header without a name"));
        }
        self.block = Some(self.lexicon.blocks.len());
        self.lexicon.blocks.push(VerbBlock {
            name: name.to_uppercase(),
            code,
            patterns: Vec::new(),
        });
        Ok(())
    }

    fn synset_header(&mut self, name: &str, at: At<'_>) -> Result<(), LexiconError> {
        let name = name.trim();
        if name.is_empty() || name.contains(char::is_whitespace) {
            return Err(at.malformed(format!("bad synset name '&{name}'")));
        }
        let key = synset_key(name);
        let raw = RawSynset {
            line: at.line,
            exact: name.ends_with('_'),
            members: Vec::new(),
        };
        // A later definition replaces an earlier one, as in PETRARCH.
        let id = match self.synset_ids.get(&key) {
            Some(&id) => {
                if let Some(slot) = self.synsets.get_mut(id) {
                    *slot = raw;
                }
                id
            }
            None => {
                self.synsets.push(raw);
                self.synset_ids.insert(key, self.synsets.len() - 1);
                self.synsets.len() - 1
            }
        };
        self.synset = Some(id);
        Ok(())
    }

    /// `- SAID * FIRE ON + [193]`.
    fn pattern(&mut self, body: &str, at: At<'_>) -> Result<(), LexiconError> {
        let block = self.block.ok_or(LexiconError::OutsideBlock {
            origin: at.origin.to_string(),
            line: at.line,
            what: "pattern",
        })?;
        let body = cut_comment(body);
        let groups = split_groups(body, '[', ']', at)?;
        let code = match groups.inside.as_slice() {
            [] => return Err(at.missing_code()),
            [code] => EventCode::parse(code, at)?,
            _ => return Err(at.malformed("pattern with more than one [code]")),
        };
        // PETRARCH2's {noun phrase} and (prepositional phrase) marks carry no words.
        let words: String = groups
            .outside
            .chars()
            .map(|c| if "{}()".contains(c) { ' ' } else { c })
            .collect();
        let tokens = tokenize(&words);
        let verbs = tokens
            .iter()
            .filter(|t| matches!(t.element, RawElement::Verb))
            .count();
        if verbs != 1 {
            return Err(LexiconError::VerbMarker {
                origin: at.origin.to_string(),
                line: at.line,
                found: verbs,
            });
        }
        if tokens.len() > MAX_PATTERN_TOKENS {
            return Err(at.malformed(format!("pattern longer than {MAX_PATTERN_TOKENS} tokens")));
        }
        self.patterns.push(RawPattern {
            block,
            line: at.line,
            text: words.split_whitespace().collect::<Vec<_>>().join(" "),
            tokens,
            code,
        });
        Ok(())
    }

    /// `FIGHT {FIGHTS FOUGHT FIGHTING} [190]`, `+CLEAR_UP`, `RE_+ARREST`.
    fn verb(&mut self, text: &str, at: At<'_>) -> Result<(), LexiconError> {
        let block = self.block.ok_or(LexiconError::OutsideBlock {
            origin: at.origin.to_string(),
            line: at.line,
            what: "verb",
        })?;
        let text = cut_comment(text);
        let codes = split_groups(text, '[', ']', at)?;
        let code = match codes.inside.as_slice() {
            [] => None,
            [code] => Some(EventCode::parse(code, at)?),
            _ => return Err(at.malformed("verb with more than one [code]")),
        };
        let forms = split_groups(&codes.outside, '{', '}', at)?;
        let base = shape(&forms.outside).ok_or_else(|| at.malformed("verb line without a verb"))?;
        let mut shapes = Vec::new();
        match forms.inside.as_slice() {
            [] => {
                for form in regular_forms(&base.head) {
                    shapes.push(Shape {
                        before: base.before.clone(),
                        head: form,
                        after: base.after.clone(),
                    });
                }
            }
            [listed] => shapes.extend(listed.split_whitespace().filter_map(shape)),
            _ => return Err(at.malformed("verb with more than one {forms} group")),
        }
        let verb = self.lexicon.verbs.len() as u32;
        let display: Vec<&str> = base
            .before
            .iter()
            .chain(std::iter::once(&base.head))
            .chain(&base.after)
            .map(String::as_str)
            .collect();
        self.lexicon.verbs.push(VerbEntry {
            base: display.join(" "),
            head: base.head.clone(),
            block,
            code,
        });
        for shape in std::iter::once(base).chain(shapes) {
            self.lexicon
                .add_form(shape.head, VerbForm::new(verb, shape.before, shape.after));
        }
        Ok(())
    }

    fn finish(
        mut self,
        origin: &str,
        problems: &mut Problems,
    ) -> Result<VerbLexicon, LexiconError> {
        let mut resolver = Resolver {
            raw: &self.synsets,
            ids: &self.synset_ids,
            resolved: vec![None; self.synsets.len()],
            origin,
        };
        let mut synsets = Vec::with_capacity(self.synsets.len());
        for id in 0..self.synsets.len() {
            match resolver.resolve(id, 0) {
                Ok(members) => synsets.push(members),
                Err(error) => {
                    problems.report(error)?;
                    synsets.push(Vec::new());
                }
            }
        }
        self.lexicon.synsets = synsets;
        for raw in std::mem::take(&mut self.patterns) {
            match compile(&raw, &self.synset_ids, origin) {
                Ok(pattern) => {
                    if let Some(block) = self.lexicon.blocks.get_mut(raw.block) {
                        block.patterns.push(pattern);
                    }
                }
                Err(error) => problems.report(error)?,
            }
        }
        Ok(self.lexicon)
    }
}

/// TABARI's `;` comments survive in some verb files.
fn cut_comment(text: &str) -> &str {
    text.split(';').next().unwrap_or("")
}

fn synset_key(name: &str) -> String {
    name.trim_start_matches('&')
        .trim_end_matches('_')
        .to_uppercase()
}

/// Splits pattern text into tokens; `_` joins tokens, a trailing `_` makes a word exact.
fn tokenize(text: &str) -> Vec<RawToken> {
    let mut tokens = Vec::new();
    for chunk in text.split_whitespace() {
        let parts: Vec<&str> = chunk.split('_').collect();
        let mut first_in_chunk = true;
        for (index, part) in parts.iter().enumerate() {
            if part.is_empty() {
                continue;
            }
            // "KNIFE_" or "X__Y": an empty part right after marks TABARI's exact word.
            let exact = parts.get(index + 1).is_some_and(|next| next.is_empty());
            let element = match *part {
                "*" => RawElement::Verb,
                "+" | "$" | "^" | "%" => RawElement::Slot,
                word if word.starts_with('&') && word.len() > 1 => {
                    RawElement::Synset(synset_key(word))
                }
                word => RawElement::Word(Literal {
                    text: word.to_uppercase().into(),
                    exact,
                }),
            };
            tokens.push(RawToken {
                element,
                joined: !first_in_chunk,
            });
            first_in_chunk = false;
        }
    }
    tokens
}

/// Reads a verb phrase; `+` marks the inflecting word, else the first word is.
fn shape(text: &str) -> Option<Shape> {
    let parts: Vec<&str> = text
        .split(|c: char| c == '_' || c.is_whitespace())
        .filter(|p| !p.trim_matches('+').is_empty())
        .collect();
    let head = parts.iter().position(|p| p.starts_with('+')).unwrap_or(0);
    let clean = |p: &&str| p.trim_matches('+').to_uppercase();
    Some(Shape {
        before: parts.get(..head)?.iter().map(clean).collect(),
        head: parts.get(head).map(clean)?,
        after: parts.get(head + 1..)?.iter().map(clean).collect(),
    })
}

/// Turns raw tokens into steps walking away from the verb on each side.
fn compile(
    raw: &RawPattern,
    ids: &HashMap<String, usize>,
    origin: &str,
) -> Result<Pattern, LexiconError> {
    let mut elements = Vec::with_capacity(raw.tokens.len());
    for token in &raw.tokens {
        elements.push(match &token.element {
            RawElement::Word(literal) => Some(Element::Word(literal.clone())),
            RawElement::Slot => Some(Element::Slot),
            RawElement::Verb => None,
            RawElement::Synset(name) => Some(Element::Synset(*ids.get(name).ok_or_else(|| {
                LexiconError::UndefinedSynset {
                    origin: origin.to_string(),
                    line: raw.line,
                    name: format!("&{name}"),
                }
            })?)),
        });
    }
    let verb = elements.iter().position(Option::is_none).unwrap_or(0);
    let joined = |index: usize| raw.tokens.get(index).is_some_and(|t| t.joined);
    // Before the verb a token touches its right-hand neighbour; after it, its left one.
    let pre = (0..verb)
        .rev()
        .filter_map(|i| {
            let element = elements.get(i)?.clone()?;
            Some(Step {
                element,
                tight: joined(i + 1),
            })
        })
        .collect();
    let post = (verb + 1..elements.len())
        .filter_map(|i| {
            let element = elements.get(i)?.clone()?;
            Some(Step {
                element,
                tight: joined(i),
            })
        })
        .collect();
    Ok(Pattern {
        pre,
        post,
        code: raw.code.clone(),
        text: raw.text.clone(),
    })
}

/// Expands synsets into runs of literals, following `&OTHER` members.
struct Resolver<'a> {
    raw: &'a [RawSynset],
    ids: &'a HashMap<String, usize>,
    resolved: Vec<Option<Vec<Vec<Literal>>>>,
    origin: &'a str,
}

impl Resolver<'_> {
    fn resolve(&mut self, id: usize, depth: usize) -> Result<Vec<Vec<Literal>>, LexiconError> {
        if let Some(Some(done)) = self.resolved.get(id) {
            return Ok(done.clone());
        }
        let Some(raw) = self.raw.get(id) else {
            return Ok(Vec::new());
        };
        if depth > MAX_SYNSET_DEPTH {
            let name = self
                .ids
                .iter()
                .find(|(_, &other)| other == id)
                .map(|(name, _)| format!("&{name}"))
                .unwrap_or_default();
            return Err(LexiconError::SynsetCycle {
                origin: self.origin.to_string(),
                line: raw.line,
                name,
            });
        }
        let mut runs: Vec<Vec<Literal>> = Vec::new();
        for member in &raw.members {
            let member_exact = raw.exact || member.ends_with('_');
            let words: Vec<&str> = member
                .split(|c: char| c == '_' || c.is_whitespace())
                .filter(|w| !w.is_empty())
                .collect();
            let mut expansions: Vec<Vec<Literal>> = vec![Vec::new()];
            for (index, word) in words.iter().enumerate() {
                let options: Vec<Vec<Literal>> = if word.starts_with('&') {
                    let key = synset_key(word);
                    let other =
                        *self
                            .ids
                            .get(&key)
                            .ok_or_else(|| LexiconError::UndefinedSynset {
                                origin: self.origin.to_string(),
                                line: raw.line,
                                name: format!("&{key}"),
                            })?;
                    self.resolve(other, depth + 1)?
                } else {
                    let last = index + 1 == words.len();
                    vec![vec![Literal {
                        text: word.to_uppercase().into(),
                        exact: raw.exact || (last && member_exact),
                    }]]
                };
                let mut next = Vec::new();
                for prefix in &expansions {
                    for option in &options {
                        if next.len() >= MAX_EXPANSIONS {
                            break;
                        }
                        let mut run = prefix.clone();
                        run.extend(option.iter().cloned());
                        next.push(run);
                    }
                }
                expansions = next;
            }
            runs.extend(expansions.into_iter().filter(|run| !run.is_empty()));
        }
        // Longer runs first, so "IS TO" is preferred over a one-word member.
        runs.sort_by_key(|run| std::cmp::Reverse(run.len()));
        if let Some(slot) = self.resolved.get_mut(id) {
            *slot = Some(runs.clone());
        }
        Ok(runs)
    }
}
