//! The verb lexicon the linker codes actions with: the built-in CAMEO verbs and event nouns,
//! extended with news verbs and nouns of our own (data/news.*.txt) where CAMEO has no code.

use std::sync::OnceLock;

use super::lexicon::{NounTable, VerbLexicon};

/// The built-in lexicon with the news supplement, built once.
pub(crate) fn news_lexicon() -> &'static VerbLexicon {
    static LEXICON: OnceLock<VerbLexicon> = OnceLock::new();
    LEXICON.get_or_init(|| {
        let nouns = NounTable::parse_lenient(include_str!("data/news.nouns.txt"), "news.nouns.txt")
            .dictionary;
        let supplement =
            VerbLexicon::parse_lenient(include_str!("data/news.verbs.txt"), "news.verbs.txt")
                .dictionary
                .with_nouns(nouns);
        let mut lexicon = VerbLexicon::builtin().clone();
        lexicon.extend(supplement);
        lexicon
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn supplement_reads_cleanly_and_codes_news_verbs() {
        let verbs =
            VerbLexicon::parse_lenient(include_str!("data/news.verbs.txt"), "news.verbs.txt");
        assert!(verbs.skipped.is_empty(), "{:?}", verbs.skipped.first());
        let nouns = NounTable::parse_lenient(include_str!("data/news.nouns.txt"), "news.nouns.txt");
        assert!(nouns.skipped.is_empty(), "{:?}", nouns.skipped.first());
        let l = news_lexicon();
        let code = |s: &str, head: usize| {
            let words: Vec<&str> = s.split_whitespace().collect();
            l.lookup(&words, head).map(|m| m.code)
        };
        assert_eq!(
            code("Ankara rejected the charge", 1).as_deref(),
            Some("016")
        );
        assert_eq!(
            code("Ankara rejected the proposal", 1).as_deref(),
            Some("125")
        );
        assert_eq!(
            code("it sent 200 trucks of flour", 1).as_deref(),
            Some("073")
        );
        assert_eq!(
            code("France recalled its ambassador", 1).as_deref(),
            Some("161")
        );
        assert_eq!(
            code("Russia fired missiles", 1).map(|c| c.starts_with("19")),
            Some(true)
        );
        assert_eq!(l.lookup_noun("operation").as_deref(), Some("190"));
        assert_eq!(l.lookup_noun("airstrikes").as_deref(), Some("195"));
    }
}
