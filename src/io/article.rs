//! The unit of input: one article with its id and any fields to pass through.

/// A news article to analyse.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Article {
    pub id: String,
    pub text: String,
    /// Fields of the input record other than `id` and `text`, written back unchanged.
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl Article {
    pub fn new(id: impl Into<String>, text: impl Into<String>) -> Self {
        Article {
            id: id.into(),
            text: text.into(),
            extra: Default::default(),
        }
    }
}
