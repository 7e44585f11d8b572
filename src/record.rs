//! The output records (README, "Extract"): spans are code point offsets into one article text.

use serde::{Deserialize, Serialize};

/// A half-open range of Unicode code points, `text[start..end]` in Python terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }

    pub fn contains(&self, other: &Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

/// Index of an entity in its article's `entities` list.
pub type EntityId = usize;

/// A span with the text it covers, as written in the output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextSpan {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

impl TextSpan {
    /// A span and the text it covers.
    pub fn new(start: usize, end: usize, text: impl Into<String>) -> TextSpan {
        TextSpan {
            start,
            end,
            text: text.into(),
        }
    }

    /// The code point offsets alone.
    pub fn offsets(&self) -> Span {
        Span::new(self.start, self.end)
    }
}

/// A named entity found by the entity head.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    #[serde(flatten)]
    pub span: TextSpan,
    pub label: String,
    pub score: f32,
}

/// The speaker of a quote, with the entity it resolves to when there is one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    #[serde(flatten)]
    pub span: TextSpan,
    pub entity: Option<EntityId>,
}

/// An attributed quotation: what was said, who said it, and the cue that says so.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    pub content: TextSpan,
    pub source: Option<Source>,
    pub cue: Option<TextSpan>,
    pub direct: bool,
    pub score: f32,
}

/// An actor or target of an event, coded with CAMEO actor codes where the dictionaries know it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Participant {
    #[serde(flatten)]
    pub span: TextSpan,
    pub code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity: Option<EntityId>,
}

/// The action of an event with its CAMEO code, CAMEO root and PLOVER category.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Action {
    #[serde(flatten)]
    pub span: TextSpan,
    pub cameo: String,
    pub root: String,
    pub plover: Option<String>,
}

/// Who did what to whom, in which sentence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub actor: Option<Participant>,
    pub action: Action,
    pub target: Option<Participant>,
    pub sentence: Span,
    /// Index into `quotes` when the event is a statement made in that quote's cue.
    pub quote: Option<usize>,
    #[serde(default)]
    pub negated: bool,
    /// `threat`, `possible`, `intent` or `demand` when the action is not asserted as done.
    #[serde(default)]
    pub modality: Option<String>,
    pub score: f32,
}

/// One token of a sentence with its syntax (`extract --syntax`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Token {
    #[serde(flatten)]
    pub span: TextSpan,
    pub upos: String,
    pub lemma: String,
    /// Index of the head token in the sentence's `tokens`; -1 for the root.
    pub head: i64,
    /// The UD relation to the head, with its subtype (`nsubj:pass`).
    pub deprel: String,
}

/// A sentence and the syntax of its tokens (`extract --syntax`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SentenceSyntax {
    pub start: usize,
    pub end: usize,
    pub tokens: Vec<Token>,
}

/// Everything found in one article: the JSONL record of `extract`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    pub id: String,
    pub entities: Vec<Entity>,
    pub quotes: Vec<Quote>,
    pub events: Vec<Event>,
    /// The parse of every sentence, when asked for (`extract --syntax`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sentences: Option<Vec<SentenceSyntax>>,
    pub errors: Vec<String>,
    /// Fields of the input record other than `id` and `text`, passed through unchanged.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// The fields of an `extract` record; an input field of the same name must not shadow them.
const OWN_FIELDS: [&str; 6] = ["id", "entities", "quotes", "events", "sentences", "errors"];

impl Analysis {
    /// An empty analysis of record `id` carrying the input record's other fields. A field named
    /// like one of ours (a gold `quotes` list, say) is kept as `input_<name>`: written as is,
    /// it would make a second `quotes` key that JSON readers take instead of ours.
    pub fn carrying(id: String, extra: &serde_json::Map<String, serde_json::Value>) -> Analysis {
        let extra = extra
            .iter()
            .map(|(key, value)| {
                let key = if OWN_FIELDS.contains(&key.as_str()) {
                    format!("input_{key}")
                } else {
                    key.clone()
                };
                (key, value.clone())
            })
            .collect();
        Analysis {
            id,
            extra,
            ..Default::default()
        }
    }
}

#[cfg(test)]
mod carrying_tests {
    use super::*;

    #[test]
    fn flattened_spans_write_the_fields_of_before() {
        let entity = Entity {
            span: TextSpan::new(3, 9, "Russia"),
            label: "LOC".into(),
            score: 1.0,
        };
        let line = serde_json::to_string(&entity).unwrap();
        assert_eq!(
            line,
            r#"{"start":3,"end":9,"text":"Russia","label":"LOC","score":1.0}"#
        );
        assert_eq!(serde_json::from_str::<Entity>(&line).unwrap(), entity);
    }

    #[test]
    fn input_fields_named_like_ours_are_kept_under_another_name() {
        let extra: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(r#"{"quotes": [1], "source": "ap"}"#).unwrap();
        let analysis = Analysis::carrying("a1".into(), &extra);
        let line = serde_json::to_string(&analysis).unwrap();
        assert_eq!(line.matches("\"quotes\"").count(), 1, "{line}");
        let back: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(back["quotes"], serde_json::json!([]));
        assert_eq!(back["input_quotes"], serde_json::json!([1]));
        assert_eq!(back["source"], "ap");
    }
}
